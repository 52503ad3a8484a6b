package data

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"kurultai/sessions/msg"
)

// Hit is one search result: one row of one kind (see Kinds).
type Hit struct {
	Kind string `json:"kind"`
	// Field says which field the words matched: text, heading, title,
	// topic, category, summary, place, name, status, note or source; ""
	// when the query has filters only.
	Field        string `json:"field,omitempty"`
	Session      string `json:"session,omitempty"`
	SessionTitle string `json:"session_title,omitempty"`
	// Date is the row's date: its session's, or a timeline event's own.
	Date string `json:"date,omitempty"`
	// Speech is the speech or proposal the row belongs to.
	Speech    string `json:"speech,omitempty"`
	Title     string `json:"title,omitempty"`
	Speaker   string `json:"speaker,omitempty"`
	SpeakerID string `json:"speaker_id,omitempty"`
	// Party, Role and Gender are the speaker's on the day of a speech.
	Party     string `json:"party,omitempty"`
	Role      string `json:"role,omitempty"`
	Gender    string `json:"gender,omitempty"`
	Language  string `json:"language,omitempty"`
	Paragraph int    `json:"paragraph,omitempty"`
	Event     int    `json:"event,omitempty"` // a timeline event's number in its proposal
	Snippet   string `json:"snippet"`         // matches between MarkStart and MarkEnd
	// Through says the words marked in the snippet were matched through
	// the Kazakh cross-script key: "script" when one of them is in
	// another script than the query's word (qurultai marking құрылтай),
	// "spelling" when in the same script but another alphabet (Shymkent
	// marking Şymkent); "" when matched as written.
	Through string  `json:"through,omitempty"`
	Text    string  `json:"text"`
	Score   float64 `json:"score"`
	// marks are the words that mark the row's matches, as the snippet
	// marks them (with the forms a lemma: term found).
	marks []Term
}

// Key names the row a hit is, for comparing result lists.
func (h Hit) Key() string {
	id := h.Speech
	switch h.Kind {
	case KindSession:
		id = h.Session
	case KindSpeaker:
		id = h.SpeakerID
	}
	return fmt.Sprintf("%s/%s/%d/%d", h.Kind, id, h.Paragraph, h.Event)
}

// FieldLabel says in words where the match is, as a result line shows it:
// "speaker name", "timeline, 2026-02-11".
func (h Hit) FieldLabel() string {
	switch h.Kind {
	case KindTimeline:
		return "timeline, " + h.Date
	case KindSpeaker:
		return "speaker name"
	case KindSession:
		if h.Field == "" {
			return "session"
		}
		return "session " + h.Field
	case KindTitle:
		switch h.Field {
		case "topic", "category":
			return h.Field
		}
		return "title"
	}
	if h.Field == "heading" {
		return "heading"
	}
	return ""
}

// SearchOptions shape a search.
type SearchOptions struct {
	ByDate bool // newest first instead of by relevance
	// Ranked ranks without asking whether ranking is affordable: the
	// first page of the same query was ranked, and the later pages must
	// follow the same order.
	Ranked bool
	Limit  int // 0 means 50
	Offset int
	// Count counts every result too (see DB.Count).
	Count bool
}

// SearchResult is a page of hits and what is known of the rest.
type SearchResult struct {
	Hits []Hit
	// Total is the exact number of results, when Counted.
	Total   int
	Counted bool
	// Ranked says the results are in order of relevance (bm25); otherwise
	// they are newest first, and Note says why when relevance was asked.
	Ranked bool
	Note   msg.Text
	Notes  []msg.Text // from the query
}

// RankCap is the most results ranked by relevance. FTS5's bm25 reads
// every match before it can order them, at about half a microsecond a
// match here; more matches than this are listed newest first, all of them,
// with a note.
const RankCap = 10000

// rankProbe bounds the time spent finding out whether a query's results
// are few enough to rank. Finding them all is half the cost of ranking
// them (a phrase of common words must be checked in every row that has
// both); a query whose results take longer to find is listed newest
// first, where the first page needs only the newest matches.
const rankProbe = 10 * time.Millisecond

// bm25 weighs the columns of search_fts: body, heading, title, name,
// place, source, tags, and the Kazakh keys and exact words (klat, exact),
// which hold the words of every field and weigh as the body.
const bm25 = "bm25(search_fts, 1.0, 2.0, 4.0, 4.0, 2.0, 0.5, 0.0, 1.0, 1.0)"

// compiled is a query as the index runs it.
type compiled struct {
	match  string
	lo, hi int64 // the rowids of its dates
	// none says a filter names nothing in the archive: no results.
	none  bool
	notes []msg.Text
}

// compile turns a query into an FTS5 expression with its filters as tags,
// and its dates as a rowid range.
func (d *DB) compile(ctx context.Context, q Query) (*compiled, error) {
	c := &compiled{}
	c.lo, c.hi = dateRange(q.From, q.To)
	if q.From != "" && q.To != "" && q.From > q.To {
		c.none = true
		c.notes = append(c.notes, msg.T("from:%s comes after to:%s", q.From, q.To))
	}
	var tags []string
	if q.Kind != "" {
		tags = append(tags, `"`+kindTag(q.Kind)+`"`)
	}
	if q.Session != "" {
		var key int64
		// The id as given, else as given in other case (a scan of the
		// keys, as rare as a mistyped id).
		err := d.queryRow(ctx, "SELECT id FROM search_keys WHERE kind = 'session' AND value = ?", q.Session).Scan(&key)
		if errors.Is(err, sql.ErrNoRows) {
			err = d.queryRow(ctx, "SELECT id FROM search_keys WHERE kind = 'session' AND kfold(value) = ? ORDER BY id LIMIT 1", Fold(q.Session)).Scan(&key)
		}
		if err := c.keyTag(err, key, "s", &tags, msg.T("no session has the id %s", q.Session)); err != nil {
			return nil, err
		}
	}
	if q.Speaker != "" {
		keys, err := d.int64s(ctx, `SELECT k.id FROM speakers s JOIN search_keys k ON k.kind = 'speaker' AND k.value = s.id
			WHERE instr(kfold(s.name), ?1) > 0 OR kfold(s.id) = ?1 ORDER BY k.id`, Fold(q.Speaker))
		if err != nil {
			return nil, err
		}
		if len(keys) == 0 {
			c.none = true
			c.notes = append(c.notes, msg.T("no speaker's name or id has %s in it", q.Speaker))
		}
		alts := make([]string, len(keys))
		for i, k := range keys {
			alts[i] = `"p` + strconv.FormatInt(k, 10) + `"`
		}
		tags = append(tags, "("+strings.Join(alts, " OR ")+")")
	}
	if q.Lang != "" {
		var key int64
		err := d.queryRow(ctx, "SELECT id FROM search_keys WHERE kind = 'lang' AND lower(value) = ?", q.Lang).Scan(&key)
		if err := c.keyTag(err, key, "l", &tags, msg.T("nothing in the archive is in the language %s", q.Lang)); err != nil {
			return nil, err
		}
	}
	people := []struct {
		kinds, value, tag string
		none              msg.Text
	}{
		{"'party', 'party_name'", q.Party, "g", msg.T("no speech's party is called %s", q.Party)},
		{"'role'", q.Role, "r", msg.T("no speaker has the role %s", q.Role)},
		{"'gender'", q.Gender, "x", msg.T("no speaker's gender is given as %s", q.Gender)},
		{"'side'", q.Side, "o", msg.T("no speech is marked as of the %s", q.Side)},
	}
	for _, f := range people {
		if f.value == "" {
			continue
		}
		var keys []int64
		var err error
		if f.tag == "g" {
			keys, err = d.partyKeys(ctx, f.value)
		} else {
			keys, err = d.int64s(ctx, "SELECT id FROM search_keys WHERE kind IN ("+f.kinds+") AND kfold(value) = ?1 ORDER BY id", Fold(f.value))
		}
		if err != nil {
			return nil, err
		}
		if len(keys) == 0 {
			c.none = true
			c.notes = append(c.notes, f.none)
			continue
		}
		alts := make([]string, len(keys))
		for i, k := range keys {
			alts[i] = `"` + f.tag + strconv.FormatInt(k, 10) + `"`
		}
		tags = append(tags, "("+strings.Join(alts, " OR ")+")")
	}
	filters := ""
	for i, t := range tags {
		if i > 0 {
			filters += " AND "
		}
		filters += "{tags} : " + t
	}
	kk, err := d.kazakhSearch(ctx)
	if err != nil {
		return nil, err
	}
	switch {
	case q.HasWords() && filters != "":
		c.match = "(" + q.words("", kk) + ") AND " + filters
	case q.HasWords():
		c.match = q.words("", kk)
	case filters != "":
		c.match = q.words(filters, kk)
	default:
		// Dates alone, or exclusions alone: every row of every kind.
		all := make([]string, len(Kinds))
		for i, k := range Kinds {
			all[i] = `"` + kindTag(k) + `"`
		}
		c.match = q.words("{tags} : ("+strings.Join(all, " OR ")+")", kk)
	}
	if kk.err != nil {
		return nil, searchError(kk.err)
	}
	c.notes = append(c.notes, kk.notes...)
	return c, nil
}

// maxKazakhWords bounds the Cyrillic spellings a Latin word or prefix is
// matched by.
const maxKazakhWords = 2000

// kazakhSearch gives what matching Latin words in Cyrillic Kazakh needs
// (see quoteFTS); its lookups are made as the query is compiled.
func (d *DB) kazakhSearch(ctx context.Context) (*kazakhSearch, error) {
	kk := &kazakhSearch{}
	rows, err := d.query(ctx, "SELECT id, value FROM search_keys WHERE kind = 'lang' ORDER BY id")
	if err != nil {
		return nil, searchError(err)
	}
	var tags []string
	for rows.Next() {
		var id int64
		var lang string
		if err := rows.Scan(&id, &lang); err != nil {
			rows.Close()
			return nil, searchError(err)
		}
		if IsKazakh(lang) {
			tags = append(tags, `"l`+strconv.FormatInt(id, 10)+`"`)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, searchError(err)
	}
	kk.tags = strings.Join(tags, " OR ")
	kk.words = func(key string, prefix bool) ([]string, bool) {
		q := "SELECT word FROM kazakh_words WHERE key = ?1 ORDER BY word LIMIT ?2"
		if prefix {
			q = "SELECT word FROM kazakh_words WHERE key >= ?1 AND key < ?1 || char(1114111) ORDER BY key, word LIMIT ?2"
		}
		rows, err := d.query(ctx, q, key, maxKazakhWords+1)
		if err != nil {
			kk.err = err
			return nil, false
		}
		defer rows.Close()
		var out []string
		for rows.Next() {
			var w string
			if err := rows.Scan(&w); err != nil {
				kk.err = err
				return nil, false
			}
			out = append(out, w)
		}
		if err := rows.Err(); err != nil {
			kk.err = err
		}
		if len(out) > maxKazakhWords {
			return out[:maxKazakhWords], true
		}
		return out, false
	}
	return kk, nil
}

// keyTag adds the tag of a filter's key to tags, as its lookup went: a
// filter that names nothing finds nothing, and says so.
func (c *compiled) keyTag(err error, key int64, prefix string, tags *[]string, none msg.Text) error {
	switch {
	case errors.Is(err, sql.ErrNoRows):
		c.none = true
		c.notes = append(c.notes, none)
	case err != nil:
		return searchError(err)
	default:
		*tags = append(*tags, `"`+prefix+strconv.FormatInt(key, 10)+`"`)
	}
	return nil
}

// int64s reads a column of integers.
func (d *DB) int64s(ctx context.Context, query string, args ...any) ([]int64, error) {
	rows, err := d.query(ctx, query, args...)
	if err != nil {
		return nil, searchError(err)
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var n int64
		if err := rows.Scan(&n); err != nil {
			return nil, searchError(err)
		}
		out = append(out, n)
	}
	return out, searchError(rows.Err())
}

// prepare reads a query for searching: nil when it finds nothing by its
// own terms (refused, empty, or a filter that names nothing), with the
// notes that say so in res.
func (d *DB) prepare(ctx context.Context, q Query, res *SearchResult) (*compiled, error) {
	res.Notes = append(res.Notes, q.Notes...)
	if !q.Refused.IsZero() {
		res.Notes = append(res.Notes, q.Refused)
		res.Counted = true
		return nil, nil
	}
	if q.Empty() {
		res.Counted = true
		return nil, nil
	}
	c, err := d.compile(ctx, q)
	if err != nil {
		return nil, err
	}
	res.Notes = append(res.Notes, c.notes...)
	if c.none {
		res.Counted = true
		return nil, nil
	}
	return c, nil
}

// start prepares a query and takes its place if it searches a prefix:
// no compiled query (nil) when it finds nothing by its own terms, and
// release to call when done otherwise.
func (d *DB) start(ctx context.Context, q Query) (*SearchResult, *compiled, func(), error) {
	res := &SearchResult{}
	c, err := d.prepare(ctx, q, res)
	if c == nil || err != nil {
		return res, nil, nil, err
	}
	release, err := d.takePrefix(ctx, q)
	if err != nil {
		return nil, nil, nil, err
	}
	return res, c, release, nil
}

// Search gives a page of a query's results, by relevance or newest
// first. Every result can be reached by paging; Count and Facets count
// them all.
func (d *DB) Search(ctx context.Context, q Query, opts SearchOptions) (*SearchResult, error) {
	res, c, release, err := d.start(ctx, q)
	if c == nil || err != nil {
		return res, err
	}
	defer release()
	limit := opts.Limit
	if limit <= 0 {
		limit = 50
	}
	byDate, err := d.order(ctx, q, c, opts, res)
	if err != nil {
		return nil, err
	}
	err = d.each(ctx, q, c, byDate, limit, max(opts.Offset, 0), func(h Hit) error {
		res.Hits = append(res.Hits, h)
		return nil
	})
	if err != nil {
		return nil, err
	}
	if opts.Count && !res.Counted {
		n, err := d.count(ctx, c)
		if err != nil {
			return nil, err
		}
		res.Total, res.Counted = n, true
	}
	return res, nil
}

// takePrefix waits for a place to search a query with a prefix, if it
// has one. FTS5 joins every word a prefix starts before it gives a
// result, in one step that cannot be interrupted: two at a time keep a
// served archive's connections and cores for everyone else, and a
// search given up while it waits (the next key typed) costs nothing.
func (d *DB) takePrefix(ctx context.Context, q Query) (func(), error) {
	if !q.HasPrefix() {
		return func() {}, nil
	}
	select {
	case d.prefixes <- struct{}{}:
		return func() { <-d.prefixes }, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// order decides between relevance and date order: relevance where the
// query has words and its results are at most RankCap, found within
// rankProbe. When the probe finds them all, their count is kept.
func (d *DB) order(ctx context.Context, q Query, c *compiled, opts SearchOptions, res *SearchResult) (bool, error) {
	if opts.ByDate || !q.HasWords() {
		return true, nil
	}
	if opts.Ranked {
		res.Ranked = true
		return false, nil
	}
	if q.HasPrefix() {
		// As Lucene scores a prefix alike for every word it starts:
		// FTS5 joins those words before it finds the first result,
		// and ranking would do it twice.
		res.Note = msg.T("a word ending in * finds every word it starts, newest first")
		if !q.TypedPrefixes() {
			res.Note = msg.T("the word being typed finds every word it starts, newest first")
		}
		return true, nil
	}
	probe, cancel := context.WithTimeout(ctx, rankProbe)
	defer cancel()
	var n int
	err := d.queryRow(probe, "SELECT count(*) FROM (SELECT 1 FROM search_fts WHERE search_fts MATCH ? AND rowid BETWEEN ? AND ? LIMIT ?)",
		c.match, c.lo, c.hi, RankCap+1).Scan(&n)
	switch {
	case err != nil && ctx.Err() == nil && probe.Err() != nil:
		res.Note = msg.T("too slow to rank: all of them, newest first")
		return true, nil
	case err != nil:
		return false, searchError(err)
	case n > RankCap:
		res.Note = msg.T("more than %v are too many to rank: all of them, newest first", msg.Count(RankCap))
		return true, nil
	}
	res.Ranked = true
	res.Total, res.Counted = n, true
	return false, nil
}

// Each calls fn with every result of a query, in the order Search would
// page them, reading them as it goes: memory stays flat however many
// there are. It returns what Search would say of the order.
func (d *DB) Each(ctx context.Context, q Query, byDate bool, fn func(Hit) error) (*SearchResult, error) {
	res, c, release, err := d.start(ctx, q)
	if c == nil || err != nil {
		return res, err
	}
	defer release()
	if byDate, err = d.order(ctx, q, c, SearchOptions{ByDate: byDate}, res); err != nil {
		return nil, err
	}
	return res, d.each(ctx, q, c, byDate, -1, 0, fn)
}

// eachText is Each, newest first, with bare hits: their text without a
// snippet, for the views that read every result's text.
func (d *DB) eachText(ctx context.Context, q Query, fn func(Hit) error) (*SearchResult, error) {
	res, c, release, err := d.start(ctx, q)
	if c == nil || err != nil {
		return res, err
	}
	defer release()
	if _, err := d.order(ctx, q, c, SearchOptions{ByDate: true}, res); err != nil {
		return nil, err
	}
	return res, d.eachHit(ctx, q, c, true, -1, 0, true, fn)
}

// Count gives the exact number of a query's results.
func (d *DB) Count(ctx context.Context, q Query) (int, error) {
	res := &SearchResult{}
	c, err := d.prepare(ctx, q, res)
	if c == nil || err != nil {
		return 0, err
	}
	gen, err := d.generation(ctx)
	if err != nil {
		return 0, err
	}
	key := "count\x00" + gen + "\x00" + c.key()
	if v, ok := d.answers.get(key); ok {
		return v.(int), nil
	}
	release, err := d.takePrefix(ctx, q)
	if err != nil {
		return 0, err
	}
	defer release()
	if v, ok := d.answers.get(key); ok {
		return v.(int), nil
	}
	n, err := d.count(ctx, c)
	if err == nil {
		d.answers.put(key, n, 64+len(key))
	}
	return n, err
}

func (d *DB) count(ctx context.Context, c *compiled) (int, error) {
	var n int
	err := d.queryRow(ctx, "SELECT count(*) FROM search_fts WHERE search_fts MATCH ? AND rowid BETWEEN ? AND ?", c.match, c.lo, c.hi).Scan(&n)
	return n, searchError(err)
}

// searchError keeps SQLite's words from the user: a cancelled search says
// so, anything else is a plain failure.
func searchError(err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	if strings.Contains(err.Error(), "interrupted") {
		return context.Canceled
	}
	if fe := Friendly(err); fe != err {
		return fe
	}
	return msg.New("the search could not be run")
}

// throughNames are Hit.Through's words for how a snippet matched.
var throughNames = [...]string{matchDirect: "", matchSpelling: "spelling", matchScript: "script"}

// How a word matched a query word: as written (folded), through the
// Kazakh key in the same script (another alphabet or spelling), or
// through the key in another script.
const (
	matchDirect = iota
	matchSpelling
	matchScript
)

// eachMatch calls fn with the byte range of each word of text that a
// query word matches, and how it matched, in order and without overlaps,
// until fn returns false. The query words' Kazakh keys are matched only
// where kazakh says the text is Kazakh. A word matched as written is not
// matched again by its key.
func eachMatch(text string, words []Term, kazakh bool, fn func(i, j, how int) bool) {
	var direct, keyed []Term
	for _, t := range words {
		switch {
		case t.Key == "":
			direct = append(direct, t)
		case kazakh:
			keyed = append(keyed, t)
		}
	}
	if len(keyed) == 0 {
		eachDirect(text, direct, func(i, j int) bool { return fn(i, j, matchDirect) })
		return
	}
	// One pass over the words as the key reads them (an apostrophe after
	// a Latin letter belongs to its word): the words as written inside
	// each are tried first, then the whole word's key.
	dm := newDirectMatcher(direct)
	var firsts [256]bool
	for _, t := range keyed {
		firsts[t.Key[0]] = true
	}
	var buf [64]byte
	eachKeyWord(text, func(i, j int, r rune) bool {
		matched, going := false, true
		if !strings.ContainsAny(text[i:j], "'’ʼ") {
			// No apostrophe: the word the key reads is the word as
			// written.
			if dm.match(r, text[i:j]) {
				matched, going = true, fn(i, j, matchDirect)
			}
		} else {
			eachDirect(text[i:j], direct, func(a, b int) bool {
				matched, going = true, fn(i+a, i+b, matchDirect)
				return going
			})
		}
		if !going {
			return false
		}
		if ws := letterScript(lowerKeyRune(r)); !matched && ws != scriptOther && mayKeyTo(r, &firsts) {
			var key []byte // made once a term needs it
			for _, t := range keyed {
				if ws == scriptCyrillic && t.script != scriptLatin {
					continue
				}
				if key == nil {
					key = appendKazakhKey(buf[:0], text[i:j])
				}
				if string(key) == t.Key || t.Prefix && strings.HasPrefix(string(key), t.Key) {
					how := matchSpelling
					if ws != t.script {
						how = matchScript
					}
					return fn(i, j, how)
				}
			}
		}
		return true
	})
}

// mayKeyTo reports whether a word whose first letter is r can have a key
// that starts with one of firsts. A letter that keys to i (which the key
// drops before e; y and ı key to i), to nothing (ъ, ь) or to a letter
// beyond the tables is not ruled out.
func mayKeyTo(r rune, firsts *[256]bool) bool {
	l := lowerKeyRune(r)
	if l >= 0x800 {
		return true
	}
	k := keyLetters()[l]
	if k == "" || k == "-" || k[0] == 'i' {
		return true
	}
	// zh is j and kh is h: a word that starts with z or k may key to
	// either.
	return firsts[k[0]] || k[0] == 'z' && firsts['j'] || k[0] == 'k' && firsts['h']
}

// eachDirect calls fn with the byte range of each word of text that a
// query word matches as written (folded, or exactly for =word), until fn
// returns false.
func eachDirect(text string, words []Term, fn func(i, j int) bool) {
	if len(words) == 0 {
		return
	}
	wordOnce.Do(buildWordRunes)
	dm := newDirectMatcher(words)
	i := 0
	for i < len(text) {
		r, size := rune(text[i]), 1
		if r >= utf8.RuneSelf {
			r, size = decodeRune(text[i:])
		}
		if !wordRune(r) {
			i += size
			continue
		}
		j := i + size
		for j < len(text) {
			r2, size2 := rune(text[j]), 1
			if r2 >= utf8.RuneSelf {
				r2, size2 = decodeRune(text[j:])
			}
			if !wordRune(r2) && (r2 < 0x300 || !unicode.Is(unicode.Mn, r2)) {
				break
			}
			j += size2
		}
		if dm.match(r, text[i:j]) && !fn(i, j) {
			return
		}
		i = j
	}
}

// directMatcher matches words as written (folded, or exactly for =word)
// against query words. A word is folded only when its first letter could
// start one of the query words: most words of a paragraph are passed over
// after one letter.
type directMatcher struct {
	words           []Term
	firsts          [8]rune
	nf              int
	anyFirst, exact bool
}

func newDirectMatcher(words []Term) *directMatcher {
	plainOnce.Do(buildPlain)
	m := &directMatcher{words: words}
	for _, t := range words {
		r, _ := utf8.DecodeRuneInString(t.Text)
		m.exact = m.exact || t.Exact
		if m.nf < len(m.firsts) {
			m.firsts[m.nf] = r
			m.nf++
		} else {
			m.anyFirst = true
		}
	}
	return m
}

// match reports whether word, whose first rune is r, matches a query word.
func (m *directMatcher) match(r rune, word string) bool {
	if len(m.words) == 0 || !m.anyFirst && !mayStart(r, m.firsts[:m.nf]) {
		return false
	}
	w := foldMark(FoldAccents(word))
	lw := ""
	if m.exact {
		lw = exactLower(word)
	}
	for _, t := range m.words {
		if t.Exact && lw == t.Text || !t.Exact && (w == t.Text || t.Prefix && strings.HasPrefix(w, t.Text)) {
			return true
		}
	}
	return false
}

// decodeRune is utf8.DecodeRuneInString with ASCII and the two-byte
// runes of Cyrillic, Greek and Latin with diacritics decoded in line.
func decodeRune(s string) (rune, int) {
	c := s[0]
	if c < utf8.RuneSelf {
		return rune(c), 1
	}
	if c >= 0xc2 && c <= 0xdf && len(s) > 1 && s[1]&0xc0 == 0x80 {
		return rune(c&0x1f)<<6 | rune(s[1]&0x3f), 2
	}
	return utf8.DecodeRuneInString(s)
}

// decodeLastRune is decodeRune from the end of s.
func decodeLastRune(s string) (rune, int) {
	n := len(s)
	c := s[n-1]
	if c < utf8.RuneSelf {
		return rune(c), 1
	}
	if n > 1 && c&0xc0 == 0x80 && s[n-2] >= 0xc2 && s[n-2] <= 0xdf {
		return rune(s[n-2]&0x1f)<<6 | rune(c&0x3f), 2
	}
	return utf8.DecodeLastRuneInString(s)
}

// wordRune reports whether r is a letter or a digit, as the index reads
// words; eachMatch builds the table first.
func wordRune(r rune) bool {
	if r < 1<<16 {
		return wordRunes[r>>6]&(1<<(r&63)) != 0
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r)
}

// wordRunes marks the letters and digits of the Basic Multilingual
// Plane, one bit each: a word's bounds are found a rune at a time.
var (
	wordOnce  sync.Once
	wordRunes []uint64
)

func buildWordRunes() {
	wordRunes = make([]uint64, 1<<16/64) // ASCII included, for wordRune
	for r := rune(0); r < 1<<16; r++ {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			wordRunes[r>>6] |= 1 << (r & 63)
		}
	}
}

// isSpace is unicode.IsSpace, without a table.
func isSpace(r rune) bool {
	if r < utf8.RuneSelf {
		return r == ' ' || r >= '\t' && r <= '\r'
	}
	switch r {
	case 0x85, 0xa0, 0x1680, 0x2028, 0x2029, 0x202f, 0x205f, 0x3000:
		return true
	}
	return r >= 0x2000 && r <= 0x200a
}

// mayStart reports whether a word whose first rune is r can fold to a
// word that starts with one of firsts. Runes that folding changes other
// than by case (é, й) are not ruled out.
func mayStart(r rune, firsts []rune) bool {
	l := unicode.ToLower(r)
	if l >= 0x80 && (l >= plainRunes || !plainFoldedRune(l)) {
		return true
	}
	for _, f := range firsts {
		if f == l {
			return true
		}
	}
	return false
}

// plainFoldedRune reports whether folding leaves a lower-case rune as it
// is; eachMatch has built the table.
func plainFoldedRune(r rune) bool { return plain[r] }

var markRemover = strings.NewReplacer(MarkStart, "", MarkEnd, "")

// The marks around a match in a snippet: characters of Unicode's private
// use area, which archive text does not hold (the quotes « » that Kazakh
// and Russian use would be mistaken for them). Outputs turn them into
// what suits them.
const (
	MarkStart = "\ue000"
	MarkEnd   = "\ue001"
)

// snippet cuts about width words of text around the first match, marks
// every match between MarkStart and MarkEnd, and says whether anything
// matched, and how the marked words matched at most (matchScript when one
// of them matched through another script). Only the words around the first match are read past it, so a
// long text costs little more than a short one.
func snippet(text string, words []Term, kazakh bool, width int) (string, bool, int) {
	if strings.IndexByte(text, MarkStart[0]) >= 0 {
		// The marks' first byte: remove them only if they are there.
		text = markRemover.Replace(text)
	}
	start, matched, how := 0, false, matchDirect
	eachMatch(text, words, kazakh, func(i, _, _ int) bool {
		start, matched = i, true
		return false
	})
	// A third of the window before the first match, whole words, and
	// width words from there.
	start = fieldsBack(text, start, width/3)
	window, end := fieldsOn(text, start, width)
	var b strings.Builder
	b.Grow(len(window) + 16)
	if strings.TrimSpace(text[:start]) != "" {
		b.WriteString("… ")
	}
	at := 0
	eachMatch(window, words, kazakh, func(i, j, h int) bool {
		b.WriteString(window[at:i])
		b.WriteString(MarkStart + window[i:j] + MarkEnd)
		at = j
		how = max(how, h)
		return true
	})
	b.WriteString(window[at:])
	if strings.TrimSpace(text[end:]) != "" {
		b.WriteString(" …")
	}
	return b.String(), matched, how
}

// fieldsBack moves i back to the start of the white-space-separated
// field it is in, then n fields further.
func fieldsBack(text string, i, n int) int {
	for ; i > 0; n-- {
		for i > 0 {
			r, size := decodeLastRune(text[:i])
			if isSpace(r) {
				break
			}
			i -= size
		}
		if n == 0 {
			return i
		}
		for i > 0 {
			r, size := decodeLastRune(text[:i])
			if !isSpace(r) {
				break
			}
			i -= size
		}
	}
	return i
}

// fieldsOn reads n white-space-separated fields from i: it gives them
// joined by single spaces, and where the last ends.
func fieldsOn(text string, i, n int) (string, int) {
	b := make([]byte, 0, 8*n)
	for ; n > 0 && i < len(text); n-- {
		for i < len(text) {
			r, size := decodeRune(text[i:])
			if !isSpace(r) {
				break
			}
			i += size
		}
		if i == len(text) {
			break
		}
		if len(b) > 0 {
			b = append(b, ' ')
		}
		j := i
		for j < len(text) {
			r, size := decodeRune(text[j:])
			if isSpace(r) {
				break
			}
			j += size
		}
		b = append(b, text[i:j]...)
		i = j
	}
	return string(b), i
}

// Thousands writes a count for people: 12,408.
func Thousands(n int64) string { return msg.Count(n).String() }

// Optimize merges each search index into a single segment, which makes
// searches of a large archive faster after many imports.
func (d *DB) Optimize(ctx context.Context) error {
	for _, t := range []string{"search_fts"} {
		if _, err := d.db.ExecContext(ctx, "INSERT INTO "+t+" ("+t+") VALUES ('optimize')"); err != nil {
			return Friendly(err)
		}
	}
	return nil
}

// partyKeys are the keys of the parties party:value names: by their short
// or full name as the speeches keep it; failing that, by any name the
// list of organisations gives the party in any language (speakers.person
// keeps them with each affiliation, read only then); failing both, by a
// part of a full name (party:labour), then of any name.
func (d *DB) partyKeys(ctx context.Context, value string) ([]int64, error) {
	const kept = `SELECT id FROM search_keys WHERE kind IN ('party', 'party_name') AND %s ORDER BY id`
	const anyLanguage = `SELECT id FROM search_keys WHERE kind IN ('party', 'party_name') AND value IN (
			SELECT json_extract(a.value, '$.org_abbr') FROM speakers sp, json_each(sp.person, '$.affiliations') a,
				json_each(a.value, '$.org_names') n WHERE sp.person != '' AND %[1]s
			UNION SELECT json_extract(a.value, '$.org_name') FROM speakers sp, json_each(sp.person, '$.affiliations') a,
				json_each(a.value, '$.org_names') n WHERE sp.person != '' AND %[1]s) ORDER BY id`
	f := Fold(value)
	for _, q := range []string{
		fmt.Sprintf(kept, "kfold(value) = ?1"),
		fmt.Sprintf(anyLanguage, "kfold(n.value) = ?1"),
		fmt.Sprintf(kept, "kind = 'party_name' AND instr(kfold(value), ?1) > 0"),
		fmt.Sprintf(anyLanguage, "instr(kfold(n.value), ?1) > 0"),
	} {
		keys, err := d.int64s(ctx, q, f)
		if err != nil || len(keys) > 0 {
			return keys, err
		}
	}
	return nil, nil
}
