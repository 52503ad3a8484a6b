package data

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"kurultai/sessions"
	"kurultai/sessions/msg"
)

// SessionRow is one line of the sessions list.
type SessionRow struct {
	ID        string `json:"id"`
	Body      string `json:"body"`
	Number    int    `json:"number"`
	Date      string `json:"date"`
	Place     string `json:"place"`
	Title     string `json:"title"`
	Language  string `json:"language"`
	Speeches  int    `json:"speeches"`
	Proposals int    `json:"proposals"`
}

// SessionQuery asks for one page of the sessions list.
type SessionQuery struct {
	// Filter keeps sessions whose number, date, place, title or id contain
	// it, ignoring case in any script.
	Filter string
	// Oldest lists oldest first; the default is newest first.
	Oldest bool
	// After continues a list after this row (keyset paging): pass the last
	// row of the previous page.
	After *SessionRow
	// Limit is the page size; 0 means 100.
	Limit int
}

const sessionCols = `s.id, s.body, s.number, s.date, s.place, s.title, s.language,
	(SELECT count(*) FROM speeches WHERE session_id = s.id),
	(SELECT count(*) FROM proposals WHERE session_id = s.id)`

// The list queries, kept here so that a test can check their plans.
func sessionsSQL(where, order string) string {
	return fmt.Sprintf("SELECT %s FROM sessions s WHERE 1%s ORDER BY s.date %s, s.id %s LIMIT ?",
		sessionCols, where, order, order)
}

func speechesSQL(where string) string {
	return `SELECT x.id, x.ord, x.title, coalesce(sp.name, ''), x.role, x.language,
		(SELECT count(*) FROM paragraphs WHERE speech_id = x.id),
		(SELECT coalesce(sum(words), 0) FROM paragraphs WHERE speech_id = x.id)
		FROM speeches x LEFT JOIN speakers sp ON sp.id = x.speaker_id
		WHERE x.session_id = ?` + where + ` ORDER BY x.ord, x.id LIMIT ?`
}

func proposalsSQL(where string) string {
	return `SELECT x.id, x.ord, x.title, x.status, x.category
		FROM proposals x WHERE x.session_id = ?` + where + ` ORDER BY x.ord, x.id LIMIT ?`
}

const paragraphsSQL = "SELECT number, heading, text, lang, lemmas FROM paragraphs WHERE speech_id = ? ORDER BY number"

func scanSession(row interface{ Scan(...any) error }) (SessionRow, error) {
	var r SessionRow
	err := row.Scan(&r.ID, &r.Body, &r.Number, &r.Date, &r.Place, &r.Title, &r.Language, &r.Speeches, &r.Proposals)
	return r, err
}

func filterArgs(filter string) (string, []any) {
	filter = strings.TrimSpace(filter)
	if filter == "" {
		return "", nil
	}
	return ` AND instr(kfold(s.id || ' ' || s.number || ' ' || s.date || ' ' || s.place || ' ' || s.title), ?) > 0`,
		[]any{Fold(filter)}
}

// Sessions returns one page of the sessions list.
func (d *DB) Sessions(ctx context.Context, q SessionQuery) ([]SessionRow, error) {
	limit := q.Limit
	if limit <= 0 {
		limit = 100
	}
	where, args := filterArgs(q.Filter)
	cmp, order := "<", "DESC"
	if q.Oldest {
		cmp, order = ">", "ASC"
	}
	if q.After != nil {
		where += fmt.Sprintf(" AND (s.date, s.id) %s (?, ?)", cmp)
		args = append(args, q.After.Date, q.After.ID)
	}
	args = append(args, limit)
	rows, err := d.query(ctx, sessionsSQL(where, order), args...)
	if err != nil {
		return nil, Friendly(err)
	}
	defer rows.Close()
	var out []SessionRow
	for rows.Next() {
		r, err := scanSession(rows)
		if err != nil {
			return nil, Friendly(err)
		}
		out = append(out, r)
	}
	return out, Friendly(rows.Err())
}

// CountSessions counts the sessions that match a filter.
func (d *DB) CountSessions(ctx context.Context, filter string) (int, error) {
	where, args := filterArgs(filter)
	var n int
	err := d.queryRow(ctx, "SELECT count(*) FROM sessions s WHERE 1"+where, args...).Scan(&n)
	return n, Friendly(err)
}

// SessionDetail is a session's own record without its children.
type SessionDetail struct {
	SessionRow
	Summary    string
	Provenance string
	Sources    []sessions.Source
}

// Session reads one session's record.
func (d *DB) Session(ctx context.Context, id string) (*SessionDetail, error) {
	row := d.queryRow(ctx, "SELECT "+sessionCols+", s.summary, s.provenance, s.sources FROM sessions s WHERE s.id = ?", id)
	var (
		s       SessionDetail
		sources string
	)
	err := row.Scan(&s.ID, &s.Body, &s.Number, &s.Date, &s.Place, &s.Title, &s.Language, &s.Speeches, &s.Proposals,
		&s.Summary, &s.Provenance, &sources)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, msg.Errorf("session %s: %v", id, ErrNotFound)
	}
	if err != nil {
		return nil, Friendly(err)
	}
	if err := json.Unmarshal([]byte(sources), &s.Sources); err != nil {
		return nil, msg.Errorf("session %s has unreadable sources: %v", id, err)
	}
	return &s, nil
}

// ItemRow is one line of a session's speeches or proposals.
type ItemRow struct {
	ID         string
	Order      int
	Title      string
	Speaker    string // speeches
	Role       string // speeches
	Language   string // speeches
	Paragraphs int    // speeches
	Words      int    // speeches
	Status     string // proposals
	Category   string // proposals
}

// Page continues a list of speeches or proposals after a row.
type Page struct {
	AfterOrder int
	AfterID    string
	Limit      int
}

func (p Page) args() (string, []any, int) {
	limit := p.Limit
	if limit <= 0 {
		limit = 100
	}
	if p.AfterID == "" {
		return "", nil, limit
	}
	return " AND (x.ord, x.id) > (?, ?)", []any{p.AfterOrder, p.AfterID}, limit
}

// Speeches returns one page of a session's speeches in order.
func (d *DB) Speeches(ctx context.Context, session string, p Page) ([]ItemRow, error) {
	where, args, limit := p.args()
	args = append([]any{session}, args...)
	args = append(args, limit)
	rows, err := d.query(ctx, speechesSQL(where), args...)
	if err != nil {
		return nil, Friendly(err)
	}
	defer rows.Close()
	var out []ItemRow
	for rows.Next() {
		var r ItemRow
		if err := rows.Scan(&r.ID, &r.Order, &r.Title, &r.Speaker, &r.Role, &r.Language, &r.Paragraphs, &r.Words); err != nil {
			return nil, Friendly(err)
		}
		out = append(out, r)
	}
	return out, Friendly(rows.Err())
}

// Proposals returns one page of a session's proposals in order.
func (d *DB) Proposals(ctx context.Context, session string, p Page) ([]ItemRow, error) {
	where, args, limit := p.args()
	args = append([]any{session}, args...)
	args = append(args, limit)
	rows, err := d.query(ctx, proposalsSQL(where), args...)
	if err != nil {
		return nil, Friendly(err)
	}
	defer rows.Close()
	var out []ItemRow
	for rows.Next() {
		var r ItemRow
		if err := rows.Scan(&r.ID, &r.Order, &r.Title, &r.Status, &r.Category); err != nil {
			return nil, Friendly(err)
		}
		out = append(out, r)
	}
	return out, Friendly(rows.Err())
}

// Kinds of readable document.
const (
	KindSpeech   = sessions.KindSpeech
	KindProposal = sessions.KindProposal
)

// Ref is a paragraph that a proposal was made in, or a proposal made in a
// paragraph.
type Ref struct {
	Speech      string
	SpeechTitle string
	Paragraph   int
	Proposal    string
	Title       string
	Excerpt     string
}

// Document is a speech or proposal ready to read: its header facts, its
// paragraphs, and for a proposal its status timeline and references.
type Document struct {
	Kind      string
	ID        string
	Session   SessionRow
	Title     string
	Speaker   string
	SpeakerID string
	Role      string
	// Party and PartyName are the speaker's party or group on the day,
	// short and full; Side is coalition or opposition; "" when unknown.
	Party, PartyName, Side string
	Language               string
	SourceURL              string
	Provenance             string
	Paragraphs             []sessions.Paragraph
	// Proposals only.
	Status   string
	Category string
	Timeline []sessions.Event
	// MadeIn lists, for a proposal, the speech paragraphs it was made in;
	// for a speech, the proposals made in its paragraphs.
	MadeIn []Ref
}

// Kind tells whether id names a session, a speech or a proposal.
func (d *DB) Kind(ctx context.Context, id string) (string, error) {
	var kind string
	err := d.queryRow(ctx, `SELECT 'session' FROM sessions WHERE id = ?1
		UNION ALL SELECT 'speech' FROM speeches WHERE id = ?1
		UNION ALL SELECT 'proposal' FROM proposals WHERE id = ?1 LIMIT 1`, id).Scan(&kind)
	if errors.Is(err, sql.ErrNoRows) {
		return "", msg.Errorf("no session, speech or proposal has the id %q: %v", id, ErrNotFound)
	}
	return kind, Friendly(err)
}

// Document reads a speech or a proposal whole.
func (d *DB) Document(ctx context.Context, id string) (*Document, error) {
	kind, err := d.Kind(ctx, id)
	if err != nil {
		return nil, err
	}
	switch kind {
	case KindSpeech:
		return d.speech(ctx, id)
	case KindProposal:
		return d.proposal(ctx, id)
	}
	return nil, msg.Errorf("%s is %v", id, ErrNotADocument)
}

func (d *DB) speech(ctx context.Context, id string) (*Document, error) {
	doc := &Document{Kind: KindSpeech, ID: id}
	var session string
	err := d.queryRow(ctx, `SELECT x.session_id, x.title, coalesce(sp.name, ''), coalesce(x.speaker_id, ''), x.role, x.language, x.source_url, x.provenance,
			x.party, x.party_name, x.side
		FROM speeches x LEFT JOIN speakers sp ON sp.id = x.speaker_id WHERE x.id = ?`, id).
		Scan(&session, &doc.Title, &doc.Speaker, &doc.SpeakerID, &doc.Role, &doc.Language, &doc.SourceURL, &doc.Provenance,
			&doc.Party, &doc.PartyName, &doc.Side)
	if err != nil {
		return nil, Friendly(err)
	}
	if err := d.fillSession(ctx, doc, session); err != nil {
		return nil, err
	}
	rows, err := d.query(ctx, paragraphsSQL, id)
	if err != nil {
		return nil, Friendly(err)
	}
	defer rows.Close()
	for rows.Next() {
		var p sessions.Paragraph
		var lemmas string // to mark what a lemma: search found
		if err := rows.Scan(&p.Number, &p.Heading, &p.Text, &p.Language, &lemmas); err != nil {
			return nil, Friendly(err)
		}
		p.Lemmas = parseLemmas(lemmas)
		doc.Paragraphs = append(doc.Paragraphs, p)
	}
	if err := rows.Err(); err != nil {
		return nil, Friendly(err)
	}
	refs, err := d.query(ctx, `SELECT r.paragraph, p.id, p.title FROM proposal_refs r
		JOIN proposals p ON p.id = r.proposal_id WHERE r.speech_id = ? ORDER BY r.paragraph, p.ord`, id)
	if err != nil {
		return nil, Friendly(err)
	}
	defer refs.Close()
	for refs.Next() {
		r := Ref{Speech: id, SpeechTitle: doc.Title}
		if err := refs.Scan(&r.Paragraph, &r.Proposal, &r.Title); err != nil {
			return nil, Friendly(err)
		}
		doc.MadeIn = append(doc.MadeIn, r)
	}
	return doc, Friendly(refs.Err())
}

func (d *DB) proposal(ctx context.Context, id string) (*Document, error) {
	doc := &Document{Kind: KindProposal, ID: id}
	var session, text string
	err := d.queryRow(ctx, `SELECT session_id, title, text, category, status, provenance FROM proposals WHERE id = ?`, id).
		Scan(&session, &doc.Title, &text, &doc.Category, &doc.Status, &doc.Provenance)
	if err != nil {
		return nil, Friendly(err)
	}
	if err := d.fillSession(ctx, doc, session); err != nil {
		return nil, err
	}
	doc.Language = doc.Session.Language
	doc.Paragraphs = sessions.SplitParagraphs(text)
	events, err := d.query(ctx, "SELECT date, status, note, source, confidence FROM proposal_events WHERE proposal_id = ? ORDER BY seq", id)
	if err != nil {
		return nil, Friendly(err)
	}
	defer events.Close()
	for events.Next() {
		var e sessions.Event
		if err := events.Scan(&e.Date, &e.Status, &e.Note, &e.Source, &e.Confidence); err != nil {
			return nil, Friendly(err)
		}
		doc.Timeline = append(doc.Timeline, e)
	}
	if err := events.Err(); err != nil {
		return nil, Friendly(err)
	}
	refs, err := d.query(ctx, `SELECT r.speech_id, s.title, r.paragraph, coalesce(p.text, '') FROM proposal_refs r
		JOIN speeches s ON s.id = r.speech_id
		LEFT JOIN paragraphs p ON p.speech_id = r.speech_id AND p.number = r.paragraph
		WHERE r.proposal_id = ? ORDER BY s.ord, r.speech_id, r.paragraph`, id)
	if err != nil {
		return nil, Friendly(err)
	}
	defer refs.Close()
	for refs.Next() {
		r := Ref{Proposal: id, Title: doc.Title}
		if err := refs.Scan(&r.Speech, &r.SpeechTitle, &r.Paragraph, &r.Excerpt); err != nil {
			return nil, Friendly(err)
		}
		doc.MadeIn = append(doc.MadeIn, r)
	}
	return doc, Friendly(refs.Err())
}

func (d *DB) fillSession(ctx context.Context, doc *Document, session string) error {
	s, err := scanSession(d.queryRow(ctx, "SELECT "+sessionCols+" FROM sessions s WHERE s.id = ?", session))
	if err != nil {
		return Friendly(err)
	}
	doc.Session = s
	return nil
}

// SessionsOf gives, for each speech or proposal id, "date session" of the
// session it belongs to, reading them in batches.
func (d *DB) SessionsOf(ctx context.Context, ids []string) (map[string]string, error) {
	out := make(map[string]string, len(ids))
	for len(ids) > 0 {
		n := min(len(ids), 400)
		batch := ids[:n]
		ids = ids[n:]
		marks := strings.TrimSuffix(strings.Repeat("?, ", n), ", ")
		args := make([]any, 0, 2*n)
		for _, id := range batch {
			args = append(args, id)
		}
		args = append(args, args...)
		rows, err := d.query(ctx, `SELECT x.id, s.date || ' ' || s.id FROM speeches x JOIN sessions s ON s.id = x.session_id WHERE x.id IN (`+marks+`)
			UNION ALL SELECT x.id, s.date || ' ' || s.id FROM proposals x JOIN sessions s ON s.id = x.session_id WHERE x.id IN (`+marks+`)`, args...)
		if err != nil {
			return nil, Friendly(err)
		}
		for rows.Next() {
			var id, v string
			if err := rows.Scan(&id, &v); err != nil {
				rows.Close()
				return nil, Friendly(err)
			}
			out[id] = v
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, Friendly(err)
		}
	}
	return out, nil
}

// Version is one language version of a document.
type Version struct {
	ID       string `json:"id"`
	Language string `json:"language"`
}

// Versions lists the language versions of a speech: the speech whose id
// the others extend with -LANG, their own language (nk-5/address,
// nk-5/address-kk, nk-5/address-ru), in the session's order. A speech
// with no other version has only itself.
func (d *DB) Versions(ctx context.Context, id string) ([]Version, error) {
	var session, lang string
	err := d.db.QueryRowContext(ctx, "SELECT session_id, language FROM speeches WHERE id = ?", id).Scan(&session, &lang)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, msg.Errorf("%v: speech %s", ErrNotFound, id)
	}
	if err != nil {
		return nil, Friendly(err)
	}
	base := id
	if lang != "" && strings.HasSuffix(id, "-"+lang) {
		base = strings.TrimSuffix(id, "-"+lang)
	}
	rows, err := d.db.QueryContext(ctx, `SELECT id, language FROM speeches WHERE session_id = ?1
		AND (id = ?2 OR language != '' AND id = ?2 || '-' || language) ORDER BY ord, id`, session, base)
	if err != nil {
		return nil, Friendly(err)
	}
	defer rows.Close()
	var out []Version
	for rows.Next() {
		var v Version
		if err := rows.Scan(&v.ID, &v.Language); err != nil {
			return nil, Friendly(err)
		}
		out = append(out, v)
	}
	return out, Friendly(rows.Err())
}

// IDsFrom lists up to limit ids that start with prefix, in order: of
// sessions, speeches and proposals, or with speakers true of speakers.
// Each table is read by its primary key from the prefix on, however large
// the archive.
func (d *DB) IDsFrom(ctx context.Context, prefix string, speakers bool, limit int) ([]string, error) {
	q := `SELECT id FROM (
		SELECT id FROM (SELECT id FROM sessions WHERE id >= ?1 AND id < ?1 || char(1114111) ORDER BY id LIMIT ?2)
		UNION ALL SELECT id FROM (SELECT id FROM speeches WHERE id >= ?1 AND id < ?1 || char(1114111) ORDER BY id LIMIT ?2)
		UNION ALL SELECT id FROM (SELECT id FROM proposals WHERE id >= ?1 AND id < ?1 || char(1114111) ORDER BY id LIMIT ?2)
	) ORDER BY id LIMIT ?2`
	if speakers {
		q = `SELECT id FROM speakers WHERE id >= ?1 AND id < ?1 || char(1114111) ORDER BY id LIMIT ?2`
	}
	rows, err := d.query(ctx, q, prefix, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, rows.Err()
}
