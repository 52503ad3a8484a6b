package data

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"kurultai/sessions"
)

// Hit is one search result: a paragraph of a speech, a proposal, or a
// session's title and summary.
type Hit struct {
	Kind         string  `json:"kind"` // speech, proposal or session
	Session      string  `json:"session"`
	SessionTitle string  `json:"session_title"`
	Date         string  `json:"date"`
	Speech       string  `json:"speech,omitempty"` // the speech or proposal id
	Title        string  `json:"title,omitempty"`
	Speaker      string  `json:"speaker,omitempty"`
	Language     string  `json:"language,omitempty"`
	Paragraph    int     `json:"paragraph,omitempty"`
	Snippet      string  `json:"snippet"` // matches between MarkStart and MarkEnd
	Text         string  `json:"text"`
	Score        float64 `json:"score"`

	pid int64 // a paragraph whose row is still to be read
}

// SearchOptions shape a search.
type SearchOptions struct {
	ByDate bool // newest first instead of by relevance
	Limit  int  // 0 means 50
	Offset int
	// Count counts the matches too. Counting common words costs more than
	// finding the first page, so the UI asks for it separately.
	Count bool
}

// SearchResult is a page of hits and what is known of the rest.
type SearchResult struct {
	Hits []Hit
	// Total counts matches, up to CountCap; Capped says there are more.
	Total   int
	Capped  bool
	Counted bool // Total is known
	// Recent says the paragraphs are listed most recently added first,
	// not by relevance, because there are too many matches to rank fast.
	Recent bool
	// Ranked says how relevance was decided, when it was not over every
	// match: the most common words rank a bounded set.
	Note  string
	Notes []string // from the query
}

// Bounds on the work one search may do, so that the first page stays fast
// however common the words are.
const (
	// CandidateCap is how many matches, newest first, relevance ranks.
	CandidateCap = 500
	// CountCap is how far matches are counted.
	CountCap = 5000
	// FilterCap is how many of the newest matches a filtered search, or
	// one in date order, looks through.
	FilterCap = 5000
)

// filterSQL is the part of a WHERE clause that a query's fields add.
type filterSQL struct {
	where string
	args  []any
}

func (q Query) paragraphFilter() filterSQL { return q.filter("sp.language", true) }

func (q Query) metaFilter() filterSQL { return q.filter("s.language", false) }

// filter turns the query's fields into SQL over sessions s (and speeches
// sp); lang names the column that holds the language, and speakers says
// whether speakers can be filtered (proposals and sessions have none).
func (q Query) filter(lang string, speakers bool) filterSQL {
	var f filterSQL
	add := func(cond string, args ...any) {
		f.where += " AND " + cond
		f.args = append(f.args, args...)
	}
	if q.Session != "" {
		add("s.id = ?", q.Session)
	}
	if q.Speaker != "" && speakers {
		// resolveSpeakers has put the matching speakers in the query.
		if len(q.speakerIDs) == 0 {
			add("0")
		} else {
			add("sp.speaker_id IN (" + strings.TrimSuffix(strings.Repeat("?, ", len(q.speakerIDs)), ", ") + ")")
			for _, id := range q.speakerIDs {
				f.args = append(f.args, id)
			}
		}
	}
	if q.Lang != "" {
		add(lang+" = ?", q.Lang)
	}
	if q.From != "" {
		add("s.date >= ?", q.From)
	}
	if q.To != "" {
		add("s.date <= ?", q.To)
	}
	return f
}

// metaHitsSQL ranks the newest CandidateCap matches of the second index,
// like the paragraphs; the kind filter (%s) applies before the limit.
const metaHitsSQL = `SELECT m.kind, m.ref, m.title, m.text, s.id, s.title, s.date, s.language, c.score
	FROM (SELECT rowid AS id, bm25(meta_fts, 5.0, 1.0, 0, 0) AS score FROM meta_fts WHERE meta_fts MATCH ?%s
		ORDER BY rowid DESC LIMIT 500) c
	JOIN meta_fts m ON m.rowid = c.id
	LEFT JOIN proposals pr ON m.kind = 'proposal' AND pr.id = m.ref
	JOIN sessions s ON s.id = CASE m.kind WHEN 'session' THEN m.ref ELSE pr.session_id END
	WHERE 1`

// metaSQL fills in the kind filter of metaHitsSQL, with its arguments
// after the match.
func metaSQL(q Query, match string) (string, []any) {
	if q.Kind == "proposal" || q.Kind == "session" {
		return fmt.Sprintf(metaHitsSQL, " AND kind = ?"), []any{match, q.Kind}
	}
	return fmt.Sprintf(metaHitsSQL, ""), []any{match}
}

// Search finds a query's matches: speech paragraphs, proposals and
// sessions, ranked by relevance (bm25, titles weighted up) or newest first.
// A query with nothing to match gives no hits and its notes.
func (d *DB) Search(ctx context.Context, q Query, opts SearchOptions) (*SearchResult, error) {
	res := &SearchResult{Notes: q.Notes}
	if q.Empty() {
		if len(q.Exclude) > 0 || q.Speaker != "" || q.Session != "" {
			res.Notes = append(res.Notes, "add a word to search for")
		}
		return res, nil
	}
	limit := opts.Limit
	if limit <= 0 {
		limit = 50
	}
	want := opts.Offset + limit
	match := q.Match()
	if err := d.resolveSpeakers(ctx, &q); err != nil {
		return nil, err
	}
	var hits []Hit
	if (q.Kind == "" || q.Kind == "speech") && !q.filtered() && !opts.ByDate {
		// The common case, unfiltered and by relevance: rank on the index
		// alone, then read the page's rows.
		var err error
		var common bool
		if hits, common, err = d.rankedParagraphs(ctx, match, want); err != nil {
			return nil, err
		}
		if common {
			res.Recent = true
			res.Note = fmt.Sprintf("more than %s matches: the most recently added first", Thousands(CandidateCap))
		}
	} else if q.Kind == "" || q.Kind == "speech" {
		// Filtered, or by date: the newest FilterCap matches are read from
		// the index, and only those are joined, filtered and ordered.
		f := q.paragraphFilter()
		score, order := "bm25(para_fts, 2.0, 1.0)", "ORDER BY score, m.id DESC"
		if !opts.ByDate {
			// As unfiltered: bm25 only where the matches are few.
			var few int
			if err := d.queryRow(ctx, "SELECT count(*) FROM (SELECT 1 FROM para_fts WHERE para_fts MATCH ? LIMIT ?)",
				match, CandidateCap+1).Scan(&few); err != nil {
				return nil, searchError(err)
			}
			if few > CandidateCap {
				score, order = "0", "ORDER BY m.id DESC"
				res.Recent = true
				res.Note = fmt.Sprintf("more than %s matches: the most recently added first", Thousands(CandidateCap))
			}
		}
		if opts.ByDate {
			score, order = "0", "ORDER BY s.date DESC, m.id DESC"
		}
		// Say so when the filters cannot see every match.
		var broad int
		if err := d.queryRow(ctx, "SELECT count(*) FROM (SELECT 1 FROM para_fts WHERE para_fts MATCH ? LIMIT ?)",
			match, FilterCap+1).Scan(&broad); err != nil {
			return nil, searchError(err)
		}
		if broad > FilterCap {
			res.Note = fmt.Sprintf("more than %s matches: filters and date order look through the newest %s",
				Thousands(FilterCap), Thousands(FilterCap))
		}
		sqlText := `SELECT p.id, p.number, p.text, s.id, s.title, s.date, sp.id, sp.title, coalesce(spk.name, ''), sp.language, m.score
			FROM (SELECT rowid AS id, ` + score + ` AS score FROM para_fts WHERE para_fts MATCH ? ORDER BY rowid DESC LIMIT ?) m
			JOIN paragraphs p ON p.id = m.id
			JOIN speeches sp ON sp.id = p.speech_id
			JOIN sessions s ON s.id = sp.session_id
			LEFT JOIN speakers spk ON spk.id = sp.speaker_id
			WHERE 1` + f.where + " " + order + " LIMIT ?"
		args := append([]any{match, FilterCap}, f.args...)
		args = append(args, want)
		rows, err := d.query(ctx, sqlText, args...)
		if err != nil {
			return nil, searchError(err)
		}
		for rows.Next() {
			var h Hit
			var id int64
			if err := rows.Scan(&id, &h.Paragraph, &h.Text, &h.Session, &h.SessionTitle, &h.Date, &h.Speech, &h.Title,
				&h.Speaker, &h.Language, &h.Score); err != nil {
				rows.Close()
				return nil, searchError(err)
			}
			h.Kind = KindSpeech
			hits = append(hits, h)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, searchError(err)
		}
	}
	if (q.Kind == "" || q.Kind == "proposal" || q.Kind == "session") && q.Speaker == "" {
		f := q.metaFilter()
		order := " ORDER BY 9 LIMIT ?"
		if opts.ByDate {
			order = " ORDER BY s.date DESC LIMIT ?"
		}
		base, args := metaSQL(q, match)
		rows, err := d.query(ctx, base+f.where+order, append(append(args, f.args...), want)...)
		if err != nil {
			return nil, searchError(err)
		}
		for rows.Next() {
			var h Hit
			var title, text string
			if err := rows.Scan(&h.Kind, &h.Speech, &title, &text, &h.Session, &h.SessionTitle, &h.Date, &h.Language, &h.Score); err != nil {
				rows.Close()
				return nil, searchError(err)
			}
			h.Title, h.Text = title, text
			if h.Kind == "session" {
				h.Speech = ""
			} else {
				// Name the proposal paragraph that matches, for citing.
				h.Paragraph, h.Text = bestParagraph(text, q)
			}
			hits = append(hits, h)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, searchError(err)
		}
	}
	if opts.ByDate {
		sort.SliceStable(hits, func(i, j int) bool { return hits[i].Date > hits[j].Date })
	} else {
		sort.SliceStable(hits, func(i, j int) bool { return hits[i].Score < hits[j].Score })
	}
	if opts.Offset < len(hits) {
		hits = hits[opts.Offset:min(len(hits), want)]
	} else {
		hits = nil
	}
	if err := d.hydrate(ctx, hits); err != nil {
		return nil, err
	}
	words := q.Words()
	for i := range hits {
		hits[i].Snippet = Snippet(hits[i].Text, words, 24)
	}
	res.Hits = hits
	if !opts.Count {
		return res, nil
	}
	total, capped, err := d.Count(ctx, q)
	if err != nil {
		return nil, err
	}
	res.SetCount(total, capped)
	return res, nil
}

// SetCount records the count of a result's matches.
func (r *SearchResult) SetCount(total int, capped bool) {
	r.Total, r.Capped, r.Counted = total, capped, true
}

// filtered reports whether the query has fields that paragraphs are
// filtered by.
func (q Query) filtered() bool {
	return q.Session != "" || q.Speaker != "" || q.Lang != "" || q.From != "" || q.To != ""
}

// resolveSpeakers finds the speakers a speaker: field names, by a part of
// their name or their id, ignoring case in any script.
func (d *DB) resolveSpeakers(ctx context.Context, q *Query) error {
	if q.Speaker == "" || q.speakerIDs != nil {
		return nil
	}
	rows, err := d.query(ctx, "SELECT id FROM speakers WHERE instr(kfold(name), ?1) > 0 OR kfold(id) = ?1 LIMIT 500", Fold(q.Speaker))
	if err != nil {
		return searchError(err)
	}
	defer rows.Close()
	q.speakerIDs = []string{}
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return searchError(err)
		}
		q.speakerIDs = append(q.speakerIDs, id)
	}
	return searchError(rows.Err())
}

// hydrate reads the rows of the hits that rankedParagraphs left to read:
// only those of the page shown.
func (d *DB) hydrate(ctx context.Context, hits []Hit) error {
	for i := range hits {
		h := &hits[i]
		if h.pid == 0 {
			continue
		}
		err := d.queryRow(ctx, `SELECT p.number, p.text, s.id, s.title, s.date, sp.id, sp.title, coalesce(spk.name, ''), sp.language
			FROM paragraphs p JOIN speeches sp ON sp.id = p.speech_id JOIN sessions s ON s.id = sp.session_id
			LEFT JOIN speakers spk ON spk.id = sp.speaker_id WHERE p.id = ?`, h.pid).
			Scan(&h.Paragraph, &h.Text, &h.Session, &h.SessionTitle, &h.Date, &h.Speech, &h.Title, &h.Speaker, &h.Language)
		if err != nil {
			return searchError(err)
		}
		h.pid = 0
	}
	return nil
}

// rankedParagraphs gives the best n matches by bm25 when there are at most
// CandidateCap of them. FTS5's bm25 counts every match of each word before
// it scores one, so for words in a large share of the paragraphs it costs
// time in proportion to the archive; those searches list the most recently
// added matches first instead, and say so (common is true).
func (d *DB) rankedParagraphs(ctx context.Context, match string, n int) (hits []Hit, common bool, err error) {
	var few int
	if err := d.queryRow(ctx, "SELECT count(*) FROM (SELECT 1 FROM para_fts WHERE para_fts MATCH ? LIMIT ?)",
		match, CandidateCap+1).Scan(&few); err != nil {
		return nil, false, searchError(err)
	}
	common = few > CandidateCap
	query := `SELECT rowid, bm25(para_fts, 2.0, 1.0) AS score FROM para_fts WHERE para_fts MATCH ? ORDER BY score, rowid DESC LIMIT ?`
	if common {
		query = `SELECT rowid, 0 FROM para_fts WHERE para_fts MATCH ? ORDER BY rowid DESC LIMIT ?`
	}
	rows, err := d.query(ctx, query, match, n)
	if err != nil {
		return nil, false, searchError(err)
	}
	var ids []int64
	var scores []float64
	for rows.Next() {
		var id int64
		var score float64
		if err := rows.Scan(&id, &score); err != nil {
			rows.Close()
			return nil, false, searchError(err)
		}
		ids, scores = append(ids, id), append(scores, score)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, false, searchError(err)
	}
	hits = make([]Hit, 0, len(ids))
	for i, id := range ids {
		hits = append(hits, Hit{Kind: KindSpeech, Score: scores[i], pid: id})
	}
	return hits, common, nil
}

// Count counts a query's matches up to CountCap; capped says there are
// more.
func (d *DB) Count(ctx context.Context, q Query) (int, bool, error) {
	if q.Empty() {
		return 0, false, nil
	}
	if err := d.resolveSpeakers(ctx, &q); err != nil {
		return 0, false, err
	}
	match := q.Match()
	total := 0
	if q.Kind == "" || q.Kind == "speech" {
		f := q.paragraphFilter()
		sqlText := `SELECT count(*) FROM (SELECT 1 FROM (SELECT rowid AS id FROM para_fts WHERE para_fts MATCH ? ORDER BY rowid DESC LIMIT ` + fmt.Sprint(FilterCap) + `) m
			JOIN paragraphs p ON p.id = m.id
			JOIN speeches sp ON sp.id = p.speech_id
			JOIN sessions s ON s.id = sp.session_id
			WHERE 1` + f.where + " LIMIT ?)"
		if f.where == "" {
			sqlText = "SELECT count(*) FROM (SELECT 1 FROM para_fts WHERE para_fts MATCH ? LIMIT ?)"
		}
		var n int
		if err := d.queryRow(ctx, sqlText, append(append([]any{match}, f.args...), CountCap+1)...).Scan(&n); err != nil {
			return 0, false, searchError(err)
		}
		total += n
	}
	if (q.Kind == "" || q.Kind == "proposal" || q.Kind == "session") && q.Speaker == "" {
		f := q.metaFilter()
		var n int
		base, args := metaSQL(q, match)
		sqlText := "SELECT count(*) FROM (" + base + f.where + " LIMIT ?)"
		if !q.filtered() {
			// Every match, not the ranked newest: a plain count.
			sqlText, args = "SELECT count(*) FROM (SELECT 1 FROM meta_fts m WHERE meta_fts MATCH ?", []any{match}
			if q.Kind == "proposal" || q.Kind == "session" {
				sqlText += " AND kind = ?"
				args = append(args, q.Kind)
			}
			sqlText += " LIMIT ?)"
		}
		if err := d.queryRow(ctx, sqlText, append(append(args, f.args...), CountCap+1)...).Scan(&n); err != nil {
			return 0, false, searchError(err)
		}
		total += n
	}
	if total > CountCap {
		return CountCap, true, nil
	}
	return total, false, nil
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
	return errors.New("the search could not be run")
}

// bestParagraph finds the paragraph of a proposal's text that matches the
// query best (the most query words), and its number.
func bestParagraph(text string, q Query) (int, string) {
	paras := sessions.SplitParagraphs(text)
	if len(paras) == 0 {
		return 0, text
	}
	words := q.Words()
	best, bestN := 0, -1
	for i, p := range paras {
		n := len(matchRanges(p.Text, words))
		if n > bestN {
			best, bestN = i, n
		}
	}
	return paras[best].Number, paras[best].Text
}

// matchRanges finds where the query words stand in text, as byte ranges of
// whole words (or word starts, for prefixes), ignoring case in any script.
func matchRanges(text string, words []Term) [][2]int {
	var out [][2]int
	i := 0
	for i < len(text) {
		r, size := utf8.DecodeRuneInString(text[i:])
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			i += size
			continue
		}
		j := i
		for j < len(text) {
			r, size := utf8.DecodeRuneInString(text[j:])
			if !unicode.IsLetter(r) && !unicode.IsDigit(r) && !unicode.Is(unicode.Mn, r) {
				break
			}
			j += size
		}
		w := foldMark(text[i:j])
		for _, t := range words {
			if w == t.Text || t.Prefix && strings.HasPrefix(w, t.Text) {
				out = append(out, [2]int{i, j})
				break
			}
		}
		i = j
	}
	return out
}

var markRemover = strings.NewReplacer(MarkStart, "", MarkEnd, "")

// The marks around a match in a snippet: characters of Unicode's private
// use area, which archive text does not hold (the quotes « » that Kazakh
// and Russian use would be mistaken for them). Outputs turn them into
// what suits them.
const (
	MarkStart = "\ue000"
	MarkEnd   = "\ue001"
)

// Snippet cuts about width words of text around the first match and marks
// every match between MarkStart and MarkEnd.
func Snippet(text string, words []Term, width int) string {
	text = strings.Join(strings.Fields(markRemover.Replace(text)), " ")
	ranges := matchRanges(text, words)
	start := 0
	if len(ranges) > 0 {
		// Start a third of the window before the first match.
		start = ranges[0][0]
		for n := 0; start > 0 && n < width/3; n++ {
			k := strings.LastIndexByte(text[:start-1], ' ')
			start = k + 1
			if k < 0 {
				start = 0
			}
		}
	}
	end := start
	for n := 0; end < len(text) && n < width; n++ {
		k := strings.IndexByte(text[end:], ' ')
		if k < 0 {
			end = len(text)
			break
		}
		end += k + 1
	}
	var b strings.Builder
	if start > 0 {
		b.WriteString("… ")
	}
	at := start
	for _, r := range ranges {
		if r[0] < start || r[1] > end {
			continue
		}
		b.WriteString(text[at:r[0]])
		b.WriteString(MarkStart + text[r[0]:r[1]] + MarkEnd)
		at = r[1]
	}
	b.WriteString(strings.TrimRight(text[at:end], " "))
	if end < len(text) {
		b.WriteString(" …")
	}
	return b.String()
}

// Thousands writes a count for people: 12,408.
func Thousands(n int64) string {
	s := fmt.Sprint(n)
	if n < 0 {
		return s
	}
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}

// Optimize merges each search index into a single segment, which makes
// searches of a large archive faster after many imports.
func (d *DB) Optimize(ctx context.Context) error {
	for _, t := range []string{"para_fts", "meta_fts"} {
		if _, err := d.db.ExecContext(ctx, "INSERT INTO "+t+" ("+t+") VALUES ('optimize')"); err != nil {
			return Friendly(err)
		}
	}
	return nil
}
