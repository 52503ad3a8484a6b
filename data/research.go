package data

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"sync"

	"kurultai/sessions"
	"kurultai/sessions/msg"
)

// The research views count a query's results over time and by who said
// them. Every figure comes from the query's complete results, found as a
// search finds them (matchIDs) and filed by the run of the index each
// belongs to; the denominators are the words each session, speech and
// speaker holds, kept at import (sessions.words, speeches.words,
// speaker_stats.words: paragraphs' words as sessions.WordCount counts
// them).

// TrendBy are the periods a trend counts by.
var TrendBy = []string{"year", "month", "session"}

// TrendPoint is one period of a query's distribution over time.
type TrendPoint struct {
	Query  string `json:"query"`
	Period string `json:"period"` // 2025, 2025-03, or a session's id
	// Label is the period as the chart names it: a session's date and
	// id; the period itself otherwise.
	Label   string `json:"label"`
	Matches int    `json:"matches"`
	// Words is every word of the period's running text: its speeches,
	// proposals, sessions' summaries and timeline notes.
	Words      int64   `json:"words"`
	PerMillion float64 `json:"per_million"`
}

// Trend is a query's matches in every period of the archive, oldest
// first: periods without a match are there with 0, so that a chart shows
// the gaps.
type Trend struct {
	Points []TrendPoint
	// Total is every result, Skipped those in titles and names, which a
	// trend does not count.
	Total, Skipped int
	Notes          []msg.Text
}

// trendPeriod is a period of a trend and the words it holds.
type trendPeriod struct {
	key, label string
	words      int64
}

// trendKinds are the rows a trend counts: running text, whose words the
// periods' totals hold (speech paragraphs, proposals' text, sessions'
// summaries, timeline notes); titles and speakers' names are left out.
var trendKinds = map[runKind]bool{runSpeech: true, runProposal: true, runSession: true, runTimeline: true}

// periodOf names the period of a date (YYYY-MM-DD) by year or month.
func periodOf(date, by string) string {
	if by == "year" {
		return date[:min(4, len(date))]
	}
	m := date[:min(7, len(date))]
	if len(m) == 4 {
		m += "-01"
	}
	return m
}

// periodsCache keeps the periods of each kind, with their words, for the
// state of the archive they were read in: reading them takes longer than
// counting a rare word.
type periodsCache struct {
	mu sync.Mutex
	m  map[string][]trendPeriod // generation and kind -> periods
}

// periods lists the periods of the archive, oldest first, with the words
// each holds: a session's text is in its session's date, a timeline
// note in its event's. The list is kept until the archive changes.
func (d *DB) periods(ctx context.Context, by string) ([]trendPeriod, error) {
	gen, err := d.generation(ctx)
	if err != nil {
		return nil, err
	}
	key := gen + "\x00" + by
	c := &d.periodCache
	c.mu.Lock()
	if p, ok := c.m[key]; ok {
		c.mu.Unlock()
		return p, nil
	}
	c.mu.Unlock()
	p, err := d.readPeriods(ctx, by)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil || len(c.m) >= 3*len(TrendBy) {
		c.m = map[string][]trendPeriod{}
	}
	c.m[key] = p
	return p, nil
}

func (d *DB) readPeriods(ctx context.Context, by string) ([]trendPeriod, error) {
	type dated struct {
		date, session, label string
		words                int64
	}
	var all []dated
	err := d.eachRow(ctx, "SELECT id, date, number, words FROM sessions", func(scan func(...any) error) error {
		var x dated
		var number int
		if err := scan(&x.session, &x.date, &number, &x.words); err != nil {
			return err
		}
		x.label = x.date + " " + x.session
		all = append(all, x)
		return nil
	})
	if err != nil {
		return nil, err
	}
	err = d.eachRow(ctx, "SELECT e.date, p.session_id, s.date, e.note FROM proposal_events e JOIN proposals p ON p.id = e.proposal_id JOIN sessions s ON s.id = p.session_id",
		func(scan func(...any) error) error {
			var x dated
			var sdate, note string
			if err := scan(&x.date, &x.session, &sdate, &note); err != nil {
				return err
			}
			x.words = int64(sessions.WordCount(note))
			if by == "session" {
				x.date = sdate
			}
			x.label = sdate + " " + x.session
			all = append(all, x)
			return nil
		})
	if err != nil {
		return nil, err
	}
	byKey := map[string]*trendPeriod{}
	var out []trendPeriod
	order := map[string]string{} // period -> what it sorts by
	for _, x := range all {
		key, label, sortKey := x.session, x.label, x.date+"\x00"+x.session
		if by != "session" {
			key = periodOf(x.date, by)
			label, sortKey = key, key
		}
		if p := byKey[key]; p != nil {
			p.words += x.words
			continue
		}
		byKey[key] = &trendPeriod{key: key, label: label, words: x.words}
		order[key] = sortKey
	}
	for _, p := range byKey {
		out = append(out, *p)
	}
	slices.SortFunc(out, func(a, b trendPeriod) int { return strings.Compare(order[a.key], order[b.key]) })
	return out, nil
}

// eachRow runs a query and hands each row's scanner to fn.
func (d *DB) eachRow(ctx context.Context, query string, fn func(scan func(...any) error) error, args ...any) error {
	rows, err := d.query(ctx, query, args...)
	if err != nil {
		return Friendly(err)
	}
	defer rows.Close()
	for rows.Next() {
		if err := fn(rows.Scan); err != nil {
			return Friendly(err)
		}
	}
	return Friendly(rows.Err())
}

// Trend counts a query's results by period: year, month or session. It
// counts the rows of running text (see trendKinds), whose words the
// periods hold; results in titles and names are counted in Skipped.
func (d *DB) Trend(ctx context.Context, q Query, by string) (*Trend, error) {
	if !slices.Contains(TrendBy, by) {
		return nil, msg.Errorf("a trend goes by %s, not %q", strings.Join(TrendBy, ", "), by)
	}
	periods, err := d.periods(ctx, by)
	if err != nil {
		return nil, err
	}
	index := make(map[string]int, len(periods))
	for i, p := range periods {
		index[p.key] = i
	}
	out := &Trend{}
	counts := make([]int, len(periods))
	t, notes, err := d.tallyOf(ctx, q)
	out.Notes = notes
	if err != nil {
		return nil, err
	}
	if t != nil {
		if len(t.stray) > 0 {
			return nil, errNoRun
		}
		out.Total = t.total
		ri := t.ri
		for r, c := range t.runs {
			if c == 0 {
				continue
			}
			if !trendKinds[ri.kind[r]] {
				out.Skipped += int(c)
				continue
			}
			key := ri.keys[ri.session[r]]
			if by != "session" {
				key = periodOf(dateOfBlock(ri.start[r]>>dateShift), by)
			}
			i, ok := index[key]
			if !ok {
				return nil, errNoRun
			}
			counts[i] += int(c)
		}
	}
	for i, p := range periods {
		pt := TrendPoint{Query: q.Typed, Period: p.key, Label: p.label, Matches: counts[i], Words: p.words}
		if p.words > 0 {
			pt.PerMillion = float64(counts[i]) * 1e6 / float64(p.words)
		}
		out.Points = append(out.Points, pt)
	}
	if out.Skipped > 0 {
		n := msg.Count(out.Skipped)
		out.Notes = append(out.Notes, msg.Pick(int64(n),
			msg.T("%v result in titles or speakers' names is not counted: a trend counts running text", n),
			msg.T("%v results in titles or speakers' names are not counted: a trend counts running text", n)))
	}
	return out, nil
}

// dateOfBlock writes a date block (YYYYMMDD) as YYYY-MM-DD.
func dateOfBlock(b int64) string {
	return fmt.Sprintf("%04d-%02d-%02d", b/10000, b/100%100, b%100)
}

// tallyOf counts every result of q by the run it is in; nil when the
// query finds nothing by its own terms, with the notes that say why.
func (d *DB) tallyOf(ctx context.Context, q Query) (*tally, []msg.Text, error) {
	res := &SearchResult{}
	c, err := d.prepare(ctx, q, res)
	if c == nil || err != nil {
		return nil, res.Notes, err
	}
	release, err := d.takePrefix(ctx, q)
	if err != nil {
		return nil, res.Notes, err
	}
	defer release()
	ri, err := d.runs.get(ctx, d)
	if err != nil {
		return nil, res.Notes, err
	}
	t := newTally(ri)
	if err := d.matchIDs(ctx, c, t.add); err != nil {
		return nil, res.Notes, err
	}
	return t, res.Notes, nil
}

// WhoBy are what who-says-it-most counts by.
var WhoBy = []string{"speaker", "party"}

// WhoRow is a speaker or party with how many of a query's paragraphs are
// theirs, and how often that is in what they said.
type WhoRow struct {
	Speaker string  `json:"speaker,omitempty"` // the speaker's id; "" in a list by party
	Name    string  `json:"name"`              // the speaker's name, or the party's
	Party   string  `json:"party,omitempty"`   // a speaker's party of their last speech with one
	Matches int     `json:"matches"`           // matching speech paragraphs
	Words   int64   `json:"words"`             // every word they said in the archive
	Per10k  float64 `json:"per_10k"`           // matches per 10,000 of those words
}

// Who is who says a query's words most.
type Who struct {
	Rows []WhoRow
	// Paragraphs is every matching speech paragraph; Unattributed those
	// of speeches without a speaker (or, by party, without a party).
	Paragraphs, Unattributed int
	// Below counts the speakers or parties left out for having said
	// fewer words than MinWords, and BelowMatches their paragraphs.
	Below, BelowMatches int
	Notes               []msg.Text
}

// Who counts a query's matching speech paragraphs by speaker or by
// party, largest first (sort "matches") or by matches per 10,000 words
// (sort "rate"). Speakers or parties who said fewer than minWords words
// in the archive are left out, and counted.
func (d *DB) Who(ctx context.Context, q Query, by, sort string, minWords int64) (*Who, error) {
	if !slices.Contains(WhoBy, by) {
		return nil, msg.Errorf("who goes by %s, not %q", strings.Join(WhoBy, " or "), by)
	}
	if sort != "matches" && sort != "rate" {
		return nil, msg.Errorf("who sorts by matches or rate, not %q", sort)
	}
	out := &Who{}
	t, notes, err := d.tallyOf(ctx, q)
	out.Notes = notes
	if err != nil || t == nil {
		return out, err
	}
	ri := t.ri
	counts := map[int32]int{}
	for r, c := range t.runs {
		if c == 0 || ri.kind[r] != runSpeech {
			continue
		}
		out.Paragraphs += int(c)
		key := ri.speaker[r]
		if by == "party" {
			key = ri.party[r]
		}
		if key == 0 {
			out.Unattributed += int(c)
			continue
		}
		counts[key] += int(c)
	}
	words, names, parties, err := d.whoWords(ctx, by)
	if err != nil {
		return nil, err
	}
	for k, c := range counts {
		id := ri.keys[k]
		row := WhoRow{Name: id, Matches: c, Words: words[id]}
		if by == "speaker" {
			row.Speaker, row.Name, row.Party = id, cmp.Or(names[id], id), parties[id]
		}
		if row.Words < minWords {
			out.Below++
			out.BelowMatches += c
			continue
		}
		if row.Words > 0 {
			row.Per10k = float64(c) * 1e4 / float64(row.Words)
		}
		out.Rows = append(out.Rows, row)
	}
	slices.SortFunc(out.Rows, func(a, b WhoRow) int {
		if sort == "rate" && a.Per10k != b.Per10k {
			return cmp.Compare(b.Per10k, a.Per10k)
		}
		if a.Matches != b.Matches {
			return b.Matches - a.Matches
		}
		return cmp.Or(strings.Compare(a.Name, b.Name), strings.Compare(a.Speaker, b.Speaker))
	})
	if out.Below > 0 {
		n, m := msg.Count(out.Below), msg.Count(out.BelowMatches)
		with := msg.Pick(int64(m), msg.T("%v matching paragraph", m), msg.T("%v matching paragraphs", m))
		if by == "party" {
			out.Notes = append(out.Notes, msg.Pick(int64(n),
				msg.T("%v party whose speakers said fewer than %v words in all is left out, with %v", n, msg.Count(minWords), with),
				msg.T("%v parties whose speakers said fewer than %v words in all are left out, with %v", n, msg.Count(minWords), with)))
		} else {
			out.Notes = append(out.Notes, msg.Pick(int64(n),
				msg.T("%v speaker who said fewer than %v words in all is left out, with %v", n, msg.Count(minWords), with),
				msg.T("%v speakers who said fewer than %v words in all are left out, with %v", n, msg.Count(minWords), with)))
		}
	}
	if out.Unattributed > 0 {
		n := msg.Count(out.Unattributed)
		if by == "party" {
			out.Notes = append(out.Notes, msg.Pick(int64(n),
				msg.T("%v matching paragraph of speeches with no party is not counted here", n),
				msg.T("%v matching paragraphs of speeches with no party are not counted here", n)))
		} else {
			out.Notes = append(out.Notes, msg.Pick(int64(n),
				msg.T("%v matching paragraph of speeches with no speaker is not counted here", n),
				msg.T("%v matching paragraphs of speeches with no speaker are not counted here", n)))
		}
	}
	return out, nil
}

// whoWords gives every word each speaker (by id) or party (by short name)
// said in the archive, and a speaker's name and party.
func (d *DB) whoWords(ctx context.Context, by string) (words map[string]int64, names, parties map[string]string, err error) {
	words, names, parties = map[string]int64{}, map[string]string{}, map[string]string{}
	q := "SELECT party, '', '', sum(words) FROM speeches WHERE party != '' GROUP BY party"
	if by == "speaker" {
		q = "SELECT st.speaker_id, sp.name, st.parties, st.words FROM speaker_stats st JOIN speakers sp ON sp.id = st.speaker_id"
	}
	rows, err := d.query(ctx, q)
	if err != nil {
		return nil, nil, nil, Friendly(err)
	}
	defer rows.Close()
	for rows.Next() {
		var id, name, party string
		var n int64
		if err := rows.Scan(&id, &name, &party, &n); err != nil {
			return nil, nil, nil, Friendly(err)
		}
		words[id], names[id] = n, name
		if p, _, _ := strings.Cut(party, partySep); p != "" {
			parties[id] = p
		}
	}
	return words, names, parties, Friendly(rows.Err())
}

// sessionTextWords are the words of a session's own running text: its
// summary and its proposals' text (sessions.words adds its speeches').
func sessionTextWords(summary string, proposals []sessions.Proposal) int {
	n := sessions.WordCount(summary)
	for _, p := range proposals {
		n += sessions.WordCount(p.Text)
	}
	return n
}

// fillWords counts the words of every session already in an archive
// (migration 10): its speeches' (speeches.words), its summary's and its
// proposals'.
func fillWords(ctx context.Context, tx *sql.Tx, _ Progress) error {
	ids, err := columnStrings(ctx, tx, "SELECT id FROM sessions ORDER BY id")
	if err != nil {
		return err
	}
	set, err := tx.PrepareContext(ctx, "UPDATE sessions SET words = ? WHERE id = ?")
	if err != nil {
		return err
	}
	defer set.Close()
	// (Quick beside the index: no progress of its own.)
	for _, id := range ids {
		var summary string
		var speech int64
		err := tx.QueryRowContext(ctx, `SELECT summary, coalesce((SELECT sum(words) FROM speeches WHERE session_id = ?1), 0)
			FROM sessions WHERE id = ?1`, id).Scan(&summary, &speech)
		if err != nil {
			return err
		}
		texts, err := columnStrings(ctx, tx, "SELECT text FROM proposals WHERE session_id = ?", id)
		if err != nil {
			return err
		}
		var props []sessions.Proposal
		for _, t := range texts {
			props = append(props, sessions.Proposal{Text: t})
		}
		if _, err := set.ExecContext(ctx, speech+int64(sessionTextWords(summary, props)), id); err != nil {
			return err
		}
	}
	return nil
}
