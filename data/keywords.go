package data

import (
	"cmp"
	"context"
	"math"
	"slices"
	"strings"

	"kurultai/sessions/msg"
)

// Keywords and collocations (issue 17) count words as the index holds
// them (data/words.go): a word's count here is its number of occurrences
// in the running text of the part counted, as a search finds them.

// part is the words of a part of the archive, counted.
type part struct {
	counts wordCounts
	total  int64
	// results is every result read; outside those that are not running
	// text (a title, a name), whose words are not counted.
	results, outside int
	notes            []msg.Text
}

// partOf counts the words of a query's results.
func (d *DB) partOf(ctx context.Context, q Query) (*part, error) {
	p := &part{counts: wordCounts{}}
	var buf []byte
	res, err := d.eachText(ctx, q, func(h Hit) error {
		p.results++
		if !kwicKinds[h.Kind] {
			p.outside++
			return nil
		}
		var n int64
		n, buf = p.counts.add(h.Text, 1, buf)
		p.total += n
		return nil
	})
	if err != nil {
		return nil, err
	}
	if res != nil {
		p.notes = res.Notes
	}
	return p, nil
}

// plain is the part's counts as a plain map.
func (p *part) plain() map[string]int64 {
	out := make(map[string]int64, len(p.counts))
	for w, n := range p.counts {
		out[w] = *n
	}
	return out
}

// archiveWords gives how often each of words occurs in the whole
// archive (word_counts), and the archive's total.
func (d *DB) archiveWords(ctx context.Context, words []string) (map[string]int64, int64, error) {
	out := make(map[string]int64, len(words))
	var total int64
	err := d.eachRow(ctx, "SELECT n FROM word_counts WHERE word = ''", func(scan func(...any) error) error { return scan(&total) })
	if err != nil {
		return nil, 0, err
	}
	// A few hundred words a statement.
	const step = 500
	for i := 0; i < len(words); i += step {
		chunk := words[i:min(i+step, len(words))]
		args := make([]any, len(chunk))
		for j, w := range chunk {
			args[j] = w
		}
		q := "SELECT word, n FROM word_counts WHERE word IN (?" + strings.Repeat(", ?", len(chunk)-1) + ")"
		err := d.eachRow(ctx, q, func(scan func(...any) error) error {
			var w string
			var n int64
			if err := scan(&w, &n); err != nil {
				return err
			}
			out[w] = n
			return nil
		}, args...)
		if err != nil {
			return nil, 0, err
		}
	}
	return out, total, nil
}

// KeywordRow is a word more frequent in a focus than in its reference.
type KeywordRow struct {
	Word      string  `json:"word"`
	Focus     int64   `json:"focus"`     // occurrences in the focus
	Reference int64   `json:"reference"` // occurrences in the reference
	LL        float64 `json:"ll"`        // log-likelihood (G2)
	Ratio     float64 `json:"ratio"`     // simple maths: (per million in focus + 1) / (per million in reference + 1)
}

// KeywordSorts are the orders of a keyword list.
var KeywordSorts = []string{"ll", "ratio"}

// Keywords is what a comparison of two parts found.
type Keywords struct {
	Rows []KeywordRow
	// FocusWords and ReferenceWords are the parts' sizes in words;
	// FocusResults and ReferenceResults the results read (0 for a
	// reference that is the rest of the archive).
	FocusWords, ReferenceWords     int64
	FocusResults, ReferenceResults int
	// Rest says that the reference is the archive outside the focus.
	Rest bool
	// Below counts the words more frequent in the focus that it holds
	// fewer than MinFreq times, left out.
	Below   int
	MinFreq int64
	Sort    string
	Notes   []msg.Text
}

// LogLikelihood is the log-likelihood (G2) of a word occurring a times
// in a part of c words and b times in one of d words (Rayson and Garside
// 2000): 2 Σ O ln(O/E), E being the occurrences expected in each part
// were the word as frequent in both.
func LogLikelihood(a, b, c, d int64) float64 {
	if c+d == 0 {
		return 0
	}
	e1 := float64(c) * float64(a+b) / float64(c+d)
	e2 := float64(d) * float64(a+b) / float64(c+d)
	ll := 0.0
	if a > 0 {
		ll += float64(a) * math.Log(float64(a)/e1)
	}
	if b > 0 {
		ll += float64(b) * math.Log(float64(b)/e2)
	}
	return 2 * ll
}

// SimpleMaths is Kilgarriff's (2009) keyness score: a word's frequency
// per million in the focus, plus n, over the same in the reference; n
// (1 here, as Sketch Engine has it by default) keeps words absent from
// the reference from dividing by nothing.
func SimpleMaths(a, b, c, d int64, n float64) float64 {
	pm := func(x, total int64) float64 {
		if total == 0 {
			return 0
		}
		return float64(x) * 1e6 / float64(total)
	}
	return (pm(a, c) + n) / (pm(b, d) + n)
}

// Keywords lists the words more frequent in focus than in reference, by
// log-likelihood (sort "ll") or by the simple-maths ratio ("ratio").
// reference nil is the archive outside the focus. Words the focus holds
// fewer than minFreq times are left out, and counted.
func (d *DB) Keywords(ctx context.Context, focus Query, reference *Query, minFreq int64, sort string) (*Keywords, error) {
	if !slices.Contains(KeywordSorts, sort) {
		return nil, msg.Errorf("keywords sort by %s, not %q", strings.Join(KeywordSorts, " or "), sort)
	}
	if focus.Empty() {
		return nil, msg.New("keywords need a focus: a query or filters, such as speaker:ID or from:2025")
	}
	out := &Keywords{Rest: reference == nil, MinFreq: minFreq, Sort: sort}
	f, err := d.partOf(ctx, focus)
	if err != nil {
		return nil, err
	}
	out.FocusWords, out.FocusResults, out.Notes = f.total, f.results, f.notes
	words := make([]string, 0, len(f.counts))
	for w := range f.counts {
		words = append(words, w)
	}
	var ref map[string]int64
	if reference == nil {
		all, total, err := d.archiveWords(ctx, words)
		if err != nil {
			return nil, err
		}
		ref = make(map[string]int64, len(all))
		for w, n := range all {
			ref[w] = n - f.counts.get(w)
		}
		out.ReferenceWords = total - f.total
	} else {
		if reference.Empty() {
			return nil, msg.New("the reference is empty: give a query or filters, or leave it out to compare with the rest of the archive")
		}
		r, err := d.partOf(ctx, *reference)
		if err != nil {
			return nil, err
		}
		ref, out.ReferenceWords, out.ReferenceResults = r.plain(), r.total, r.results
		for _, n := range r.notes {
			out.Notes = append(out.Notes, msg.T("reference: %v", n))
		}
	}
	c, dd := out.FocusWords, out.ReferenceWords
	switch {
	case c == 0:
		out.Notes = append(out.Notes, msg.T("the focus has no words of running text"))
		return out, nil
	case dd == 0:
		out.Notes = append(out.Notes, msg.T("the reference has no words of running text"))
		return out, nil
	}
	for _, w := range words {
		a, b := f.counts.get(w), ref[w]
		// More frequent in the focus: a/c > b/d.
		if float64(a)*float64(dd) <= float64(b)*float64(c) {
			continue
		}
		if a < minFreq {
			out.Below++
			continue
		}
		out.Rows = append(out.Rows, KeywordRow{Word: w, Focus: a, Reference: b,
			LL: LogLikelihood(a, b, c, dd), Ratio: SimpleMaths(a, b, c, dd, 1)})
	}
	slices.SortFunc(out.Rows, func(x, y KeywordRow) int {
		if sort == "ratio" && x.Ratio != y.Ratio {
			return cmp.Compare(y.Ratio, x.Ratio)
		}
		if x.LL != y.LL {
			return cmp.Compare(y.LL, x.LL)
		}
		return strings.Compare(x.Word, y.Word)
	})
	if f.outside > 0 {
		n := msg.Count(f.outside)
		out.Notes = append(out.Notes, msg.Pick(int64(n),
			msg.T("%v result of the focus is not running text (a title or a name); its words are not counted", n),
			msg.T("%v results of the focus are not running text (a title or a name); their words are not counted", n)))
	}
	if out.Below > 0 {
		n := msg.Count(out.Below)
		out.Notes = append(out.Notes, msg.Pick(int64(n),
			msg.T("%v word more frequent in the focus but found there fewer than %d times is left out", n, minFreq),
			msg.T("%v words more frequent in the focus but found there fewer than %d times are left out", n, minFreq)))
	}
	return out, nil
}

// CollocateRow is a word found near a query's matches.
type CollocateRow struct {
	Word    string  `json:"word"`
	Freq    int64   `json:"freq"`  // occurrences within the window of a match
	Total   int64   `json:"total"` // occurrences in the part searched
	LogDice float64 `json:"logdice"`
	MI      float64 `json:"mi"`
}

// CollocateMeasures are the orders of a collocation list.
var CollocateMeasures = []string{"logdice", "mi", "freq"}

// Collocates is what a collocation count found.
type Collocates struct {
	Rows []CollocateRow
	// Node is the matches (the occurrences of the query's words, a
	// phrase being one), Words the size in words of the part searched
	// (the archive, or what the query's filters select), Window the
	// words counted on each side of a match.
	Node, Words int64
	Window      int
	// Results is every result read; Outside those whose match is not
	// in their running text.
	Results, Outside int
	Below            int
	MinFreq          int64
	Measure          string
	Notes            []msg.Text
}

// LogDice is Rychlý's (2008) association score of a word found f_xy
// times near a node of frequency f_x, itself of frequency f_y: 14 +
// log2(2 f_xy / (f_x + f_y)); 14 at most, when both always occur
// together.
func LogDice(fxy, fx, fy int64) float64 {
	return 14 + math.Log2(2*float64(fxy)/float64(fx+fy))
}

// MutualInformation is Church and Hanks' (1990) pointwise mutual
// information, log2(f_xy N / (f_x f_y)), in a part of n words.
func MutualInformation(fxy, fx, fy, n int64) float64 {
	return math.Log2(float64(fxy) * float64(n) / (float64(fx) * float64(fy)))
}

// Collocates counts the words within window words either side of each
// match of q's words, within the match's paragraph, and ranks them by
// measure. The part searched is what q's filters select (the whole
// archive without filters), whose words give each word's frequency.
// Words found fewer than minFreq times in the windows are left out,
// and counted.
func (d *DB) Collocates(ctx context.Context, q Query, window int, measure string, minFreq int64) (*Collocates, error) {
	if !slices.Contains(CollocateMeasures, measure) {
		return nil, msg.Errorf("collocates are ranked by %s, not %q", strings.Join(CollocateMeasures, ", "), measure)
	}
	if window < 1 || window > maxWindow {
		return nil, msg.Errorf("the window is 1 to %d words either side, not %d", maxWindow, window)
	}
	if !q.HasWords() {
		return nil, msg.New("collocates need a word to look around: give one, with filters if you like")
	}
	out := &Collocates{Window: window, MinFreq: minFreq, Measure: measure}
	near := wordCounts{}
	var buf []byte
	k, err := d.EachKwic(ctx, q, window, func(l *KwicLine) error {
		out.Node++
		_, buf = near.add(l.Left, 1, buf)
		_, buf = near.add(l.Right, 1, buf)
		return nil
	})
	if err != nil {
		return nil, err
	}
	out.Results, out.Outside, out.Notes = k.Results, k.Outside, k.Notes
	if out.Node == 0 {
		return out, nil
	}
	words := make([]string, 0, len(near))
	for w, n := range near {
		if *n < minFreq {
			out.Below++
			continue
		}
		words = append(words, w)
	}
	var totals map[string]int64
	filters := q
	filters.All, filters.Exclude, filters.Notes = nil, nil, nil
	if filters.Empty() {
		totals, out.Words, err = d.archiveWords(ctx, words)
	} else {
		var p *part
		if p, err = d.partOf(ctx, filters); err == nil {
			totals, out.Words = p.plain(), p.total
		}
	}
	if err != nil {
		return nil, err
	}
	for _, w := range words {
		fy := totals[w]
		if fy == 0 {
			// Not in the part counted: it cannot be near a match in it.
			return nil, msg.Errorf("the word %q is near a match but the archive's word counts do not have it: they are out of step with its text", w)
		}
		f := near.get(w)
		out.Rows = append(out.Rows, CollocateRow{Word: w, Freq: f, Total: fy,
			LogDice: LogDice(f, out.Node, fy), MI: MutualInformation(f, out.Node, fy, out.Words)})
	}
	slices.SortFunc(out.Rows, func(x, y CollocateRow) int {
		switch {
		case measure == "logdice" && x.LogDice != y.LogDice:
			return cmp.Compare(y.LogDice, x.LogDice)
		case measure == "mi" && x.MI != y.MI:
			return cmp.Compare(y.MI, x.MI)
		case x.Freq != y.Freq:
			return cmp.Compare(y.Freq, x.Freq)
		}
		return strings.Compare(x.Word, y.Word)
	})
	if out.Below > 0 {
		n := msg.Count(out.Below)
		out.Notes = append(out.Notes, msg.Pick(int64(n),
			msg.T("%v word found fewer than %d times near a match is left out", n, minFreq),
			msg.T("%v words found fewer than %d times near a match are left out", n, minFreq)))
	}
	return out, nil
}

// maxWindow bounds the words a collocation looks at either side.
const maxWindow = 50
