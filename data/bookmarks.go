package data

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"kurultai/sessions"
	"kurultai/sessions/msg"
)

// Bookmarks is a bookmarks file: passages kept by their owners, apart from
// any archive.
type Bookmarks struct{ db *DB }

// OpenBookmarks opens or creates a bookmarks file.
func OpenBookmarks(ctx context.Context, path string) (*Bookmarks, error) {
	// The first bookmark may come before the default archive was ever
	// built, so its folder may not exist yet.
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, msg.Errorf("cannot make the folder for the bookmarks file %s: %v", path, err)
	}
	d, err := open(ctx, path, ReadWrite, bookmarksSchema, nil)
	if err != nil {
		return nil, err
	}
	return &Bookmarks{db: d}, nil
}

// Close closes the file.
func (b *Bookmarks) Close() error { return b.db.Close() }

// ArchiveID is the archive's identity, which bookmarks record.
func (d *DB) ArchiveID(ctx context.Context) (string, error) { return d.meta(ctx, "archive_id") }

// BookmarkFilter narrows a list of bookmarks.
type BookmarkFilter struct {
	Tag  string
	Doc  string
	Text string // in the note, quote, document id or tags, any case
	// Screen lists for the screen: newest session first, a page at a
	// time (Limit and Offset), with only the start of each quote.
	Screen        bool
	Limit, Offset int
}

func newUID() string {
	var b [12]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// AlreadyKept is the error of adding a passage its owner already keeps:
// the same document and paragraphs. Nothing was changed.
type AlreadyKept struct {
	ID       int64 // the bookmark that keeps it
	Doc      string
	From, To int
}

func (e *AlreadyKept) Error() string { return e.Say(nil) }

// Say says which bookmark in the interface's language.
func (e *AlreadyKept) Say(tr msg.Translate) string {
	return msg.T("bookmark %d already keeps %s, %s; nothing changed", e.ID, e.Doc, sessions.Citation{From: e.From, To: e.To}.Paras()).Say(tr)
}

// Add keeps a new passage. It sets its uid (unless it has one) and times.
// A passage its owner already keeps (same document and paragraphs) is not
// added again: Add returns that bookmark's number and an *AlreadyKept.
func (b *Bookmarks) Add(ctx context.Context, p *sessions.Passage) (int64, error) {
	if err := passageKeepable(p); err != nil {
		return 0, err
	}
	now := time.Now().UTC().Format(time.RFC3339)
	if p.UID == "" {
		p.UID = newUID()
	}
	if p.Created == "" {
		p.Created = now
	}
	if p.Updated == "" {
		p.Updated = now
	}
	var id int64
	var kept *AlreadyKept
	// The transaction takes the write lock first (_txlock=immediate), so
	// two writers cannot both find the passage missing and both add it.
	err := b.db.inTx(ctx, func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, "SELECT id FROM bookmarks WHERE owner = ? AND doc = ? AND para_from = ? AND para_to = ? ORDER BY id LIMIT 1",
			p.Owner, p.Doc, p.From, p.To).Scan(&id)
		if err == nil {
			kept = &AlreadyKept{ID: id, Doc: p.Doc, From: p.From, To: p.To}
			return nil
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return Friendly(err)
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO bookmarks (uid, owner, archive, doc, session, date, para_from, para_to, quote, note, created, updated)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, p.UID, p.Owner, p.Archive, p.Doc, p.Citation.Session, p.Citation.Date,
			p.From, p.To, p.Quote, p.Note, p.Created, p.Updated)
		if err != nil {
			return Friendly(err)
		}
		id, _ = res.LastInsertId()
		for _, t := range p.Tags {
			if _, err := tx.ExecContext(ctx, "INSERT OR IGNORE INTO bookmark_tags (bookmark, tag) VALUES (?, ?)", id, t); err != nil {
				return Friendly(err)
			}
		}
		return nil
	})
	if err == nil && kept != nil {
		return id, kept
	}
	return id, err
}

// Bookmark is a kept passage with its number in the file.
type Bookmark struct {
	ID int64
	sessions.Passage
}

// List gives an owner's bookmarks, oldest first.
func (b *Bookmarks) List(ctx context.Context, owner string, f BookmarkFilter) ([]Bookmark, error) {
	where, args := f.where(owner)
	cols := "id, uid, owner, archive, doc, para_from, para_to, quote, note, created, updated, session, date"
	order := " ORDER BY created, id"
	if f.Screen {
		// What the screen shows, in the order it shows it, from the index.
		cols = "id, doc, para_from, para_to, substr(quote, 1, 200), note, session, date"
		order = " ORDER BY date DESC, session, doc, para_from, id"
		if f.Limit > 0 {
			order += fmt.Sprintf(" LIMIT %d OFFSET %d", f.Limit, max(f.Offset, 0))
		}
	}
	rows, err := b.db.db.QueryContext(ctx, "SELECT "+cols+" FROM bookmarks b WHERE "+where+order, args...)
	if err != nil {
		return nil, Friendly(err)
	}
	var out []Bookmark
	index := map[int64]int{}
	for rows.Next() {
		bm, err := scanBookmark(rows.Scan, f.Screen, owner)
		if err != nil {
			rows.Close()
			return nil, Friendly(err)
		}
		index[bm.ID] = len(out)
		out = append(out, bm)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, Friendly(err)
	}
	if len(out) == 0 {
		return out, nil
	}
	// The tags of all of them in one read.
	tagWhere, tagArgs := where, args
	if f.Screen && f.Limit > 0 {
		tagWhere, tagArgs = "b.id BETWEEN ? AND ? AND "+where, append([]any{minID(out), maxID(out)}, args...)
	}
	trows, err := b.db.db.QueryContext(ctx, `SELECT t.bookmark, t.tag FROM bookmark_tags t JOIN bookmarks b ON b.id = t.bookmark
		WHERE `+tagWhere+" ORDER BY t.bookmark, t.tag", tagArgs...)
	if err != nil {
		return nil, Friendly(err)
	}
	defer trows.Close()
	for trows.Next() {
		var id int64
		var tag string
		if err := trows.Scan(&id, &tag); err != nil {
			return nil, Friendly(err)
		}
		if i, ok := index[id]; ok {
			out[i].Tags = append(out[i].Tags, tag)
		}
	}
	return out, Friendly(trows.Err())
}

// Remove deletes an owner's bookmark by its number.
func (b *Bookmarks) Remove(ctx context.Context, owner string, id int64) error {
	res, err := b.db.db.ExecContext(ctx, "DELETE FROM bookmarks WHERE owner = ? AND id = ?", owner, id)
	if err != nil {
		return Friendly(err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return msg.Errorf("bookmark %d: %v", id, ErrNotFound)
	}
	return nil
}

// Import adds passages (from a JSON export) that the file does not hold
// yet, by uid, for owner; a passage the owner already keeps under another
// uid (the same document and paragraphs) is skipped too. It reports how
// many it added and skipped.
func (b *Bookmarks) Import(ctx context.Context, owner string, ps []sessions.Passage) (added, skipped int, err error) {
	return importPassages(ctx, b, owner, ps, func(uid string) (bool, error) {
		var n int
		err := b.db.db.QueryRowContext(ctx, "SELECT count(*) FROM bookmarks WHERE uid = ?", uid).Scan(&n)
		return n > 0, Friendly(err)
	})
}

// ParseRange reads a paragraph range: 3 or 3-5.
func ParseRange(s string) (int, int, error) {
	var from, to int
	if a, c, ok := strings.Cut(s, "-"); ok {
		if _, err := fmt.Sscan(a, &from); err != nil {
			return 0, 0, msg.Errorf("paragraph range %q: expected N or N-M", s)
		}
		if _, err := fmt.Sscan(c, &to); err != nil {
			return 0, 0, msg.Errorf("paragraph range %q: expected N or N-M", s)
		}
	} else if _, err := fmt.Sscan(s, &from); err != nil {
		return 0, 0, msg.Errorf("paragraph range %q: expected N or N-M", s)
	} else {
		to = from
	}
	if from < 1 || to < from {
		return 0, 0, msg.Errorf("paragraph range %q: expected 1 ≤ N ≤ M", s)
	}
	return from, to, nil
}

// RangeError is a paragraph range that a document does not have.
type RangeError struct {
	Doc        string
	Paragraphs int // how many it has
	From, To   int
}

func (e *RangeError) Error() string { return e.Say(nil) }

// Say says the range in the interface's language.
func (e *RangeError) Say(tr msg.Translate) string {
	return msg.T("%s has %v paragraphs; ¶ %d is not among them", e.Doc, msg.Count(e.Paragraphs), e.To).Say(tr)
}

// NewPassage makes a passage of paragraphs from..to of a speech or
// proposal, quoting them as they stand in the archive. A range the
// document does not have is a *RangeError.
func (d *DB) NewPassage(ctx context.Context, owner, doc string, from, to int) (*sessions.Passage, error) {
	dd, err := d.Document(ctx, doc)
	if err != nil {
		return nil, err
	}
	if from < 1 || to < from || to > len(dd.Paragraphs) {
		return nil, &RangeError{Doc: doc, Paragraphs: len(dd.Paragraphs), From: from, To: to}
	}
	var quote []string
	for _, p := range dd.Paragraphs[from-1 : to] {
		quote = append(quote, p.Text)
	}
	archive, err := d.ArchiveID(ctx)
	if err != nil {
		return nil, err
	}
	c, err := newCiter(d).cite(ctx, dd)
	if err != nil {
		return nil, err
	}
	c.From, c.To = from, to
	return &sessions.Passage{Owner: owner, Archive: archive, Doc: doc, From: from, To: to,
		Quote: strings.Join(quote, "\n\n"), Citation: c}, nil
}

// Cite fills in the citations of bookmarks from the archive, and keeps
// those of session (when it is set). A passage whose paragraphs no longer
// hold the text it quoted is looked for again (anchor): where it is found
// it is "moved" and cited where it now stands; where it is not, it is
// "orphaned", keeps its quote and is cited without paragraphs, so that it
// never points at the wrong text or at paragraphs that do not exist. The
// others are "ok".
func (d *DB) Cite(ctx context.Context, bms []Bookmark, session string) ([]sessions.Passage, error) {
	heads := map[string]*Document{} // header facts only, by document
	full := map[string]*Document{}  // whole documents, read only to re-anchor
	ct := newCiter(d)
	out := make([]sessions.Passage, 0, len(bms))
	for _, bm := range bms {
		head, ok := heads[bm.Doc]
		if !ok {
			var err error
			head, err = d.header(ctx, bm.Doc)
			if err != nil && !errors.Is(err, ErrNotFound) {
				return nil, err
			}
			heads[bm.Doc] = head
		}
		p := bm.Passage
		p.State = "ok"
		switch {
		case head == nil:
			// The document is gone: cite it by what the bookmark recorded.
			s := bm.Citation.Session
			p.State = "orphaned"
			p.Citation = sessions.Citation{Key: sessions.BaseKey("", bm.Citation.Date, s) + sessions.DocSuffix(bm.Doc, s),
				Title: bm.Doc, Session: s, Date: bm.Citation.Date}
		default:
			text, err := d.rangeText(ctx, head, bm.From, bm.To)
			if err != nil {
				return nil, err
			}
			if text != bm.Quote {
				dd, ok := full[bm.Doc]
				if !ok {
					if dd, err = d.Document(ctx, bm.Doc); err != nil {
						return nil, err
					}
					full[bm.Doc] = dd
				}
				from, to, state := anchor(dd.Paragraphs, bm.Quote, bm.From, bm.To)
				if state != "" {
					p.State = state
				}
				if state == "moved" {
					p.From, p.To = from, to
				}
			}
			c, err := ct.cite(ctx, head)
			if err != nil {
				return nil, err
			}
			if p.State != "orphaned" {
				c.From, c.To = p.From, p.To
			}
			p.Citation = c
		}
		if session != "" && p.Citation.Session != session {
			continue
		}
		out = append(out, p)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Citation.Date < out[j].Citation.Date })
	return out, nil
}

// citer makes the citations of documents, without paragraphs, and keeps
// what it read for the next.
type citer struct {
	d     *DB
	docs  map[string]sessions.Citation
	keys  map[string]string // document id -> citation key
	years map[string][]sessionRef
}

type sessionRef struct{ id, body, title string }

func newCiter(d *DB) *citer {
	return &citer{d: d, docs: map[string]sessions.Citation{}, keys: map[string]string{}, years: map[string][]sessionRef{}}
}

// cite is the citation of a document: its author and source (for a
// proposal, those of the speech it was made in), its session, and its key.
func (ct *citer) cite(ctx context.Context, dd *Document) (sessions.Citation, error) {
	if c, ok := ct.docs[dd.ID]; ok {
		return c, nil
	}
	c := sessions.Citation{Speaker: dd.Speaker, Title: dd.Title, Body: dd.Session.Body, Session: dd.Session.ID,
		Meeting: dd.Session.Number, Place: dd.Session.Place, Date: dd.Session.Date, SourceURL: dd.SourceURL, Kind: dd.Kind, Language: dd.Language}
	if dd.Kind == KindProposal {
		if err := ct.d.proposalSource(ctx, dd, &c); err != nil {
			return c, err
		}
	} else {
		var forms string
		err := ct.d.queryRow(ctx, `SELECT sp.family, sp.given, sp.forms FROM speeches x
			JOIN speakers sp ON sp.id = x.speaker_id WHERE x.id = ?`, dd.ID).Scan(&c.Family, &c.Given, &forms)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return c, Friendly(err)
		}
		c.Forms = parseForms(forms)
	}
	key, err := ct.key(ctx, dd.ID, dd.Session.ID, dd.Session.Date)
	if err != nil {
		return c, err
	}
	c.Key = key
	ct.docs[dd.ID] = c
	return c, nil
}

// madeInSQL picks the speech a proposal was made in that cites it: the
// first, in the session's order, that has a speaker, else the first.
const madeInSQL = `SELECT coalesce(sp.name, ''), coalesce(sp.family, ''), coalesce(sp.given, ''), coalesce(sp.forms, ''),
	s.source_url FROM proposal_refs r
	JOIN speeches s ON s.id = r.speech_id LEFT JOIN speakers sp ON sp.id = s.speaker_id
	WHERE r.proposal_id = ? ORDER BY coalesce(sp.name, '') = '', s.ord, r.speech_id, r.paragraph LIMIT 1`

// institution is the author of what has no speaker: the body, or else the
// session.
func institution(body, title, id string) string {
	switch {
	case body != "":
		return body
	case title != "":
		return title
	}
	return id
}

// proposalSource fills in a proposal's author and URL: the speaker and
// source of the speech it was made in; failing a speaker, the body as an
// institution; failing that speech's source, the first web address in the
// proposal's timeline, then the session's first source.
func (d *DB) proposalSource(ctx context.Context, dd *Document, c *sessions.Citation) error {
	var name, forms, url string
	err := d.queryRow(ctx, madeInSQL, dd.ID).Scan(&name, &c.Family, &c.Given, &forms, &url)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return Friendly(err)
	}
	c.Speaker, c.Forms = name, parseForms(forms)
	if c.Speaker == "" {
		c.Speaker = institution(dd.Session.Body, dd.Session.Title, dd.Session.ID)
	}
	c.SourceURL = url
	// A timeline's source is prose that may hold addresses: "https://… (2026-01-20); …".
	for _, e := range dd.Timeline {
		for _, f := range strings.Fields(e.Source) {
			if f = strings.TrimRight(f, ";,."); c.SourceURL == "" && isWebAddress(f) {
				c.SourceURL = f
			}
		}
	}
	if c.SourceURL == "" {
		var raw string
		if err := d.queryRow(ctx, "SELECT sources FROM sessions WHERE id = ?", dd.Session.ID).Scan(&raw); err != nil {
			return Friendly(err)
		}
		var srcs []sessions.Source
		if err := json.Unmarshal([]byte(raw), &srcs); err != nil {
			return msg.Errorf("session %s has unreadable sources: %v", dd.Session.ID, err)
		}
		for _, s := range srcs {
			if isWebAddress(s.URL) {
				c.SourceURL = s.URL
				break
			}
		}
	}
	return nil
}

func isWebAddress(s string) bool {
	return (strings.HasPrefix(s, "https://") || strings.HasPrefix(s, "http://")) && !strings.ContainsAny(s, " \t\n")
}

// key is a document's citation key. It depends on the archive's documents
// only, never on what else is cited with it: the base key (the author's
// family name, year and session); where documents share one (as a speech
// and the proposals made in it do), the first of them in the archive's
// order (speeches before proposals, then by session, order and id) keeps
// it and the others add their id's suffix (DocSuffix), and a hash of the
// id in the unlikely case that is not enough.
func (ct *citer) key(ctx context.Context, doc, session, date string) (string, error) {
	if k, ok := ct.keys[doc]; ok {
		return k, nil
	}
	year := ""
	if len(date) >= 4 {
		year = date[:4]
	}
	refs, ok := ct.years[year]
	if !ok {
		// A year of four digits is read as a range of dates, which the
		// index on date finds: a scan of every session took tens of
		// milliseconds for each new citation in an archive of 100,000.
		q, args := "SELECT id, body, title FROM sessions WHERE substr(date, 1, 4) = ? ORDER BY id", []any{year}
		if y, err := strconv.Atoi(year); err == nil && len(year) == 4 && y >= 0 && y < 9999 {
			q, args = "SELECT id, body, title FROM sessions WHERE date >= ? AND date < ? ORDER BY id", []any{year, fmt.Sprintf("%04d", y+1)}
		}
		rows, err := ct.d.query(ctx, q, args...)
		if err != nil {
			return "", Friendly(err)
		}
		for rows.Next() {
			var r sessionRef
			if err := rows.Scan(&r.id, &r.body, &r.title); err != nil {
				rows.Close()
				return "", Friendly(err)
			}
			refs = append(refs, r)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return "", Friendly(err)
		}
		ct.years[year] = refs
	}
	// The documents whose base keys could be the same: those of the
	// sessions of the same year whose ids fold alike.
	type member struct {
		id, session, base string
		proposal          bool
		ord               int
	}
	var group []member
	fold := sessions.FoldKey(session)
	for _, r := range refs {
		if sessions.FoldKey(r.id) != fold {
			continue
		}
		rows, err := ct.d.query(ctx, `SELECT x.id, 0, x.ord, coalesce(sp.name, '') FROM speeches x
			LEFT JOIN speakers sp ON sp.id = x.speaker_id WHERE x.session_id = ?1
			UNION ALL SELECT p.id, 1, p.ord, coalesce((SELECT sp.name FROM proposal_refs r
				JOIN speeches s ON s.id = r.speech_id JOIN speakers sp ON sp.id = s.speaker_id
				WHERE r.proposal_id = p.id AND sp.name <> '' ORDER BY s.ord, r.speech_id, r.paragraph LIMIT 1), '')
			FROM proposals p WHERE p.session_id = ?1`, r.id)
		if err != nil {
			return "", Friendly(err)
		}
		for rows.Next() {
			var m member
			var author string
			if err := rows.Scan(&m.id, &m.proposal, &m.ord, &author); err != nil {
				rows.Close()
				return "", Friendly(err)
			}
			if author == "" && m.proposal {
				author = institution(r.body, r.title, r.id)
			}
			m.session = r.id
			m.base = sessions.BaseKey(author, date, r.id)
			group = append(group, m)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return "", Friendly(err)
		}
	}
	sort.Slice(group, func(i, j int) bool {
		a, b := group[i], group[j]
		switch {
		case a.proposal != b.proposal:
			return !a.proposal
		case a.session != b.session:
			return a.session < b.session
		case a.ord != b.ord:
			return a.ord < b.ord
		}
		return a.id < b.id
	})
	taken := map[string]bool{}
	keys := make([]string, len(group))
	for i, m := range group {
		if !taken[m.base] {
			keys[i] = m.base
			taken[m.base] = true
		}
	}
	for i, m := range group {
		if keys[i] != "" {
			continue
		}
		k := m.base + sessions.DocSuffix(m.id, m.session)
		if taken[k] {
			h := fnv.New32a()
			h.Write([]byte(m.id))
			k += fmt.Sprintf("%08x", h.Sum32())
		}
		keys[i] = k
		taken[k] = true
	}
	for i, m := range group {
		ct.keys[m.id] = keys[i]
	}
	if k, ok := ct.keys[doc]; ok {
		return k, nil
	}
	// Not among them (the archive changed while it was read): the base
	// key with the document's suffix.
	return sessions.BaseKey("", date, session) + sessions.DocSuffix(doc, session), nil
}

// header reads what cites a speech or proposal, without its paragraphs
// (a proposal keeps its text, which is short).
func (d *DB) header(ctx context.Context, id string) (*Document, error) {
	kind, err := d.Kind(ctx, id)
	if err != nil {
		return nil, err
	}
	if kind == KindProposal {
		return d.proposal(ctx, id)
	}
	if kind != KindSpeech {
		return nil, msg.Errorf("%s is %v", id, ErrNotADocument)
	}
	doc := &Document{Kind: KindSpeech, ID: id}
	var session string
	err = d.db.QueryRowContext(ctx, `SELECT x.session_id, x.title, coalesce(sp.name, ''), x.role, x.language, x.source_url, x.provenance
		FROM speeches x LEFT JOIN speakers sp ON sp.id = x.speaker_id WHERE x.id = ?`, id).
		Scan(&session, &doc.Title, &doc.Speaker, &doc.Role, &doc.Language, &doc.SourceURL, &doc.Provenance)
	if err != nil {
		return nil, Friendly(err)
	}
	return doc, d.fillSession(ctx, doc, session)
}

// rangeText is the text of paragraphs from..to as a passage quotes it.
func (d *DB) rangeText(ctx context.Context, head *Document, from, to int) (string, error) {
	var parts []string
	if head.Kind == KindProposal {
		for _, p := range head.Paragraphs {
			if p.Number >= from && p.Number <= to {
				parts = append(parts, p.Text)
			}
		}
		return strings.Join(parts, "\n\n"), nil
	}
	rows, err := d.db.QueryContext(ctx, "SELECT text FROM paragraphs WHERE speech_id = ? AND number BETWEEN ? AND ? ORDER BY number", head.ID, from, to)
	if err != nil {
		return "", Friendly(err)
	}
	defer rows.Close()
	for rows.Next() {
		var t string
		if err := rows.Scan(&t); err != nil {
			return "", Friendly(err)
		}
		parts = append(parts, t)
	}
	return strings.Join(parts, "\n\n"), Friendly(rows.Err())
}

// anchor finds where a quote of paragraphs from..to stands now: there
// still (""), at other paragraphs exactly or, failing that, at the closest
// stretch of the same length whose words mostly agree ("moved"), or
// nowhere ("orphaned").
func anchor(paras []sessions.Paragraph, quote string, from, to int) (int, int, string) {
	n := to - from + 1
	window := func(i int) string {
		var parts []string
		for _, p := range paras[i : i+n] {
			parts = append(parts, p.Text)
		}
		return strings.Join(parts, "\n\n")
	}
	// White space does not count: a paragraph whose hard-wrapped lines
	// became one line is the same paragraph.
	same := func(a, b string) bool {
		return a == b || strings.Join(strings.Fields(a), " ") == strings.Join(strings.Fields(b), " ")
	}
	if from >= 1 && to <= len(paras) && same(window(from-1), quote) {
		return from, to, ""
	}
	for i := 0; i+n <= len(paras); i++ {
		if same(window(i), quote) {
			return i + 1, i + n, "moved"
		}
	}
	want := wordSet(quote)
	best, bestScore := -1, 0.0
	for i := 0; i+n <= len(paras); i++ {
		if s := similarity(want, wordSet(window(i))); s > bestScore {
			best, bestScore = i, s
		}
	}
	if best >= 0 && bestScore >= 0.6 {
		return best + 1, best + n, "moved"
	}
	return from, to, "orphaned"
}

func wordSet(s string) map[string]bool {
	out := map[string]bool{}
	for _, w := range strings.Fields(Fold(s)) {
		out[strings.Trim(w, ".,;:!?\"'«»“”()")] = true
	}
	return out
}

// similarity is the Jaccard index of two sets of words.
func similarity(a, b map[string]bool) float64 {
	if len(a) == 0 && len(b) == 0 {
		return 1
	}
	inter := 0
	for w := range a {
		if b[w] {
			inter++
		}
	}
	return float64(inter) / float64(len(a)+len(b)-inter)
}

// Edit changes an owner's bookmark's note and tags.
func (b *Bookmarks) Edit(ctx context.Context, owner string, id int64, note string, tags []string) error {
	if err := keepable(append([]string{note}, tags...)...); err != nil {
		return err
	}
	return b.db.inTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, "UPDATE bookmarks SET note = ?, updated = ? WHERE owner = ? AND id = ?",
			note, time.Now().UTC().Format(time.RFC3339), owner, id)
		if err != nil {
			return Friendly(err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return msg.Errorf("bookmark %d: %v", id, ErrNotFound)
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM bookmark_tags WHERE bookmark = ?", id); err != nil {
			return Friendly(err)
		}
		for _, t := range tags {
			if _, err := tx.ExecContext(ctx, "INSERT OR IGNORE INTO bookmark_tags (bookmark, tag) VALUES (?, ?)", id, t); err != nil {
				return Friendly(err)
			}
		}
		return nil
	})
}

// Get reads one of an owner's bookmarks whole.
func (b *Bookmarks) Get(ctx context.Context, owner string, id int64) (*Bookmark, error) {
	return getBookmark(ctx, b, owner, id)
}

func minID(bs []Bookmark) int64 {
	m := bs[0].ID
	for _, b := range bs {
		m = min(m, b.ID)
	}
	return m
}

func maxID(bs []Bookmark) int64 {
	m := bs[0].ID
	for _, b := range bs {
		m = max(m, b.ID)
	}
	return m
}

// where is the SQL condition of a filter for an owner.
func (f BookmarkFilter) where(owner string) (string, []any) {
	where, args := "b.owner = ?", []any{owner}
	if f.Tag != "" {
		where += " AND b.id IN (SELECT bookmark FROM bookmark_tags WHERE tag = ?)"
		args = append(args, f.Tag)
	}
	if f.Doc != "" {
		where += " AND b.doc = ?"
		args = append(args, f.Doc)
	}
	if t := strings.TrimSpace(f.Text); t != "" {
		if tag, ok := strings.CutPrefix(t, "#"); ok {
			where += " AND b.id IN (SELECT bookmark FROM bookmark_tags WHERE kfold(tag) = ?)"
			args = append(args, Fold(tag))
		} else {
			where += ` AND (instr(kfold(b.note || ' ' || b.quote || ' ' || b.doc), ?) > 0
				OR b.id IN (SELECT bookmark FROM bookmark_tags WHERE instr(kfold(tag), ?) > 0))`
			args = append(args, Fold(t), Fold(t))
		}
	}
	return where, args
}

// Count counts an owner's bookmarks that a filter keeps.
func (b *Bookmarks) Count(ctx context.Context, owner string, f BookmarkFilter) (int, error) {
	where, args := f.where(owner)
	var n int
	err := b.db.db.QueryRowContext(ctx, "SELECT count(*) FROM bookmarks b WHERE "+where, args...).Scan(&n)
	return n, Friendly(err)
}

// Forget deletes every bookmark of the owners whose names start with
// prefix: a guest's at the end of their connection, or all guests' left
// behind when a server stopped abruptly.
func (b *Bookmarks) Forget(ctx context.Context, prefix string) (int64, error) {
	if prefix == "" {
		return 0, msg.New("forget needs an owner prefix")
	}
	res, err := b.db.db.ExecContext(ctx, "DELETE FROM bookmarks WHERE substr(owner, 1, length(?1)) = ?1", prefix)
	if err != nil {
		return 0, Friendly(err)
	}
	n, _ := res.RowsAffected()
	// Their follows and what they have seen go with them.
	for _, table := range []string{"follows", "opened", "baselines"} {
		if _, err := b.db.db.ExecContext(ctx, "DELETE FROM "+table+" WHERE substr(owner, 1, length(?1)) = ?1", prefix); err != nil {
			return n, Friendly(err)
		}
	}
	return n, nil
}
