package data

import (
	"context"
	"math"
	"strings"
	"testing"

	"kurultai/sessions"
)

// scanWords counts words the plain way, apart from the index's reading:
// runs of letters and digits, lower case and folded.
func scanWords(counts map[string]int64, text string) int64 {
	var n int64
	for _, w := range plainWords(text) {
		counts[Fold(w)]++
		n++
	}
	return n
}

// runningTexts hands fn every text of running text of a session: its
// summary, its speeches' paragraphs (with the speech), its proposals'
// paragraphs and its timeline notes.
func runningTexts(s *sessions.Session, fn func(sp *sessions.Speech, text string)) {
	fn(nil, s.Summary)
	for i := range s.Speeches {
		for _, p := range s.Speeches[i].Paragraphs {
			fn(&s.Speeches[i], p.Text)
		}
	}
	for _, p := range s.Proposals {
		for _, para := range sessions.SplitParagraphs(p.Text) {
			fn(nil, para.Text)
		}
		for _, e := range p.Timeline {
			fn(nil, e.Note)
		}
	}
}

// archiveCounts reads word_counts whole.
func archiveCounts(t *testing.T, d *DB) map[string]int64 {
	t.Helper()
	return countsOf(t, d, "SELECT word, n FROM word_counts")
}

// indexCounts reads the index's own count of each word of its body
// column, the running text, and their total under "".
func indexCounts(t *testing.T, d *DB) map[string]int64 {
	t.Helper()
	if _, err := d.SQL().Exec("CREATE VIRTUAL TABLE IF NOT EXISTS temp.body_vocab USING fts5vocab(main, search_fts, col)"); err != nil {
		t.Fatal(err)
	}
	out := countsOf(t, d, "SELECT term, cnt FROM temp.body_vocab WHERE col = 'body'")
	var total int64
	for _, n := range out {
		total += n
	}
	out[""] = total
	return out
}

// countsOf reads words and their counts.
func countsOf(t *testing.T, d *DB, query string) map[string]int64 {
	t.Helper()
	out := map[string]int64{}
	rows, err := d.SQL().Query(query)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var w string
		var n int64
		if err := rows.Scan(&w, &n); err != nil {
			t.Fatal(err)
		}
		out[w] = n
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

func sameCounts(t *testing.T, what string, got, want map[string]int64) {
	t.Helper()
	bad := 0
	for w, n := range want {
		if got[w] != n {
			if bad++; bad <= 10 {
				t.Errorf("%s: %q counted %d times, want %d", what, w, got[w], n)
			}
		}
	}
	for w, n := range got {
		if _, ok := want[w]; !ok {
			if bad++; bad <= 10 {
				t.Errorf("%s: %q counted %d times, want none", what, w, n)
			}
		}
	}
	if bad > 10 {
		t.Errorf("%s: and %d more", what, bad-10)
	}
}

// The archive's word counts are the index's own, and a plain scan's:
// after an import, after sessions change and go, and after an import
// rolled back to its savepoint.
func TestWordCountsAgree(t *testing.T) {
	ctx := context.Background()
	d, list := researchArchive(t)
	check := func(when string, list []sessions.Session) {
		t.Helper()
		want := map[string]int64{}
		var total int64
		for i := range list {
			runningTexts(&list[i], func(_ *sessions.Speech, text string) { total += scanWords(want, text) })
		}
		want[""] = total
		got := archiveCounts(t, d)
		sameCounts(t, when+", against a scan", got, want)
		sameCounts(t, when+", against the index", got, indexCounts(t, d))
	}
	check("imported", list)

	// Changed: a speech and a session get new text,
	// and the last ones go.
	for i := range list[0].Speeches[0].Paragraphs {
		list[0].Speeches[0].Paragraphs[i].Text = "A paragraph anew, the same everywhere: budget."
	}
	list[1].Summary = "A summary anew: budget, budget and reform."
	list[1].Speeches[0].Paragraphs[0].Text = "Ёлка and ΣΥΝΕΔΡΙΑΣΗ, Café — Құрылтай."
	if err := d.Replace(ctx, "", list[:2]); err != nil {
		t.Fatal(err)
	}
	kept := list[:len(list)-5]
	im, err := d.BeginImport(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range list[len(kept):] {
		if ok, err := im.RemoveSession(s.ID); !ok || err != nil {
			t.Fatalf("removing %s: %v, %v", s.ID, ok, err)
		}
	}
	if err := im.Commit(); err != nil {
		t.Fatal(err)
	}
	check("changed and removed", kept)

	// A source rolled back leaves the counts as they were.
	im, err = d.BeginImport(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := im.Savepoint(); err != nil {
		t.Fatal(err)
	}
	extra := genSessions(t, 9, 200, 2, "rolled-")
	for i := range extra {
		if _, err := im.Write(&extra[i], "rolled", "rolled"); err != nil {
			t.Fatal(err)
		}
	}
	if err := im.RollbackTo(); err != nil {
		t.Fatal(err)
	}
	if err := im.Commit(); err != nil {
		t.Fatal(err)
	}
	check("after a rollback", kept)
}

// The log-likelihood of the worked example that the UCREL calculator
// (ucrel.lancs.ac.uk/llwizard.html) reproduces: 52 occurrences in 50,000
// words against 57 in 75,000 give + 2.65; and values worked by hand.
func TestLogLikelihood(t *testing.T) {
	near := func(what string, got, want, tol float64) {
		t.Helper()
		if math.Abs(got-want) > tol {
			t.Errorf("%s = %.6f, want %.6f", what, got, want)
		}
	}
	near("LL(52, 57, 50000, 75000)", LogLikelihood(52, 57, 50000, 75000), 2.65, 0.005)
	// E1 = E2 = 5: 2 × 10 × ln 2.
	near("LL(10, 0, 1000, 1000)", LogLikelihood(10, 0, 1000, 1000), 20*math.Ln2, 1e-12)
	near("LL(5, 5, 100, 100)", LogLikelihood(5, 5, 100, 100), 0, 1e-12)
	// Simple maths: 1,000 per million + 1 over 0 per million + 1.
	near("SimpleMaths(1, 0, 1000, 5000)", SimpleMaths(1, 0, 1000, 5000, 1), 1001, 1e-9)
	near("SimpleMaths(10, 20, 1e6, 1e6)", SimpleMaths(10, 20, 1e6, 1e6, 1), 11.0/21, 1e-12)
	// logDice: 14 + log2(2·10/(100+100)) = 14 − log2 10; always together, 14.
	near("LogDice(10, 100, 100)", LogDice(10, 100, 100), 14-math.Log2(10), 1e-12)
	near("LogDice(7, 7, 7)", LogDice(7, 7, 7), 14, 1e-12)
	near("LogDice(1, 1, 1023)", LogDice(1, 1, 1023), 14-9, 1e-12)
	// MI: log2(10 · 10^6 / (100 · 1,000)) = log2 100.
	near("MI(10, 100, 1000, 1e6)", MutualInformation(10, 100, 1000, 1e6), math.Log2(100), 1e-12)
}

// Keywords of a speaker against the rest of the archive, and against a
// part given as a query, agree with a plain scan.
func TestKeywordsAgree(t *testing.T) {
	d, list := researchArchive(t)
	ctx := context.Background()
	speaker := list[0].Speeches[0].Speaker.ID
	focus, rest, year := map[string]int64{}, map[string]int64{}, map[string]int64{}
	var c, dd, dy int64
	for i := range list {
		s := &list[i]
		runningTexts(s, func(sp *sessions.Speech, text string) {
			if sp != nil && sp.Speaker.ID == speaker {
				c += scanWords(focus, text)
			} else {
				dd += scanWords(rest, text)
			}
			if strings.HasPrefix(s.Date, list[len(list)-1].Date[:4]) {
				dy += scanWords(year, text)
			}
		})
	}
	check := func(k *Keywords, ref map[string]int64, refTotal int64) {
		t.Helper()
		if k.FocusWords != c || k.ReferenceWords != refTotal {
			t.Fatalf("%d and %d words, want %d and %d", k.FocusWords, k.ReferenceWords, c, refTotal)
		}
		listed := map[string]bool{}
		for i, r := range k.Rows {
			listed[r.Word] = true
			if r.Focus != focus[r.Word] || r.Reference != ref[r.Word] {
				t.Errorf("%q: %d and %d, want %d and %d", r.Word, r.Focus, r.Reference, focus[r.Word], ref[r.Word])
			}
			if want := LogLikelihood(focus[r.Word], ref[r.Word], c, refTotal); math.Abs(r.LL-want) > 1e-9 {
				t.Errorf("%q: LL %f, want %f", r.Word, r.LL, want)
			}
			if i > 0 && k.Rows[i-1].LL < r.LL {
				t.Errorf("not by LL at %d", i)
			}
		}
		// Every word more frequent in the focus, at least 3 times, is
		// listed; the others are counted as left out.
		below := 0
		for w, a := range focus {
			more := float64(a)*float64(refTotal) > float64(ref[w])*float64(c)
			switch {
			case more && a >= 3 && !listed[w]:
				t.Errorf("%q (%d in the focus, %d in the reference) is not listed", w, a, ref[w])
			case more && a < 3:
				below++
			case !more && listed[w]:
				t.Errorf("%q is listed, but not more frequent in the focus", w)
			}
		}
		if below != k.Below {
			t.Errorf("%d left out, want %d", k.Below, below)
		}
	}
	k, err := d.Keywords(ctx, ParseQuery("speaker:"+speaker), nil, 3, "ll")
	if err != nil {
		t.Fatal(err)
	}
	if len(k.Rows) < 10 {
		t.Fatalf("only %d keywords", len(k.Rows))
	}
	check(k, rest, dd)
	ref := ParseQuery("from:" + list[len(list)-1].Date[:4])
	k, err = d.Keywords(ctx, ParseQuery("speaker:"+speaker), &ref, 3, "ll")
	if err != nil {
		t.Fatal(err)
	}
	check(k, year, dy)
	// By ratio, largest first.
	k, _ = d.Keywords(ctx, ParseQuery("speaker:"+speaker), nil, 3, "ratio")
	for i := 1; i < len(k.Rows); i++ {
		if k.Rows[i-1].Ratio < k.Rows[i].Ratio {
			t.Fatalf("not by ratio at %d", i)
		}
	}
	if _, err := d.Keywords(ctx, Query{}, nil, 3, "ll"); err == nil {
		t.Error("keywords without a focus")
	}
}

// Collocates agree with a plain scan of the words within the window of
// each occurrence, within its paragraph.
func TestCollocatesAgree(t *testing.T) {
	d, list := researchArchive(t)
	ctx := context.Background()
	const node, window = "budget", 4
	near, all := map[string]int64{}, map[string]int64{}
	var nodes, total int64
	for i := range list {
		runningTexts(&list[i], func(_ *sessions.Speech, text string) {
			total += scanWords(all, text)
			for _, para := range strings.Split(text, "\n\n") {
				ws := plainWords(para)
				for i, w := range ws {
					if Fold(w) != node {
						continue
					}
					nodes++
					for j := max(0, i-window); j < min(len(ws), i+window+1); j++ {
						if j != i {
							near[Fold(ws[j])]++
						}
					}
				}
			}
		})
	}
	for _, measure := range CollocateMeasures {
		co, err := d.Collocates(ctx, ParseQuery(node), window, measure, 2)
		if err != nil {
			t.Fatal(err)
		}
		if co.Node != nodes || co.Words != total || nodes == 0 {
			t.Fatalf("%d matches in %d words, want %d in %d", co.Node, co.Words, nodes, total)
		}
		listed, below := 0, 0
		for _, n := range near {
			if n < 2 {
				below++
			}
		}
		for i, r := range co.Rows {
			listed++
			if r.Freq != near[r.Word] || r.Total != all[r.Word] {
				t.Errorf("%q: %d near, %d in all; want %d, %d", r.Word, r.Freq, r.Total, near[r.Word], all[r.Word])
			}
			if want := LogDice(near[r.Word], nodes, all[r.Word]); math.Abs(r.LogDice-want) > 1e-9 {
				t.Errorf("%q: logDice %f, want %f", r.Word, r.LogDice, want)
			}
			if want := MutualInformation(near[r.Word], nodes, all[r.Word], total); math.Abs(r.MI-want) > 1e-9 {
				t.Errorf("%q: MI %f, want %f", r.Word, r.MI, want)
			}
			if i == 0 {
				continue
			}
			p := co.Rows[i-1]
			if measure == "logdice" && p.LogDice < r.LogDice || measure == "mi" && p.MI < r.MI || measure == "freq" && p.Freq < r.Freq {
				t.Errorf("by %s: not in order at %d", measure, i)
			}
		}
		if listed+below != len(near) || co.Below != below {
			t.Errorf("%d listed and %d left out, want %d in all, %d left out", listed, co.Below, len(near), below)
		}
	}
	// Within a session's filters, the totals are the session's words.
	s := list[3]
	part := map[string]int64{}
	var words int64
	runningTexts(&s, func(_ *sessions.Speech, text string) { words += scanWords(part, text) })
	co, err := d.Collocates(ctx, ParseQuery(node+" session:"+s.ID), window, "freq", 1)
	if err != nil {
		t.Fatal(err)
	}
	if co.Words != words {
		t.Errorf("the session has %d words, want %d", co.Words, words)
	}
	for _, r := range co.Rows {
		if r.Total != part[r.Word] {
			t.Errorf("%q: %d in the session, want %d", r.Word, r.Total, part[r.Word])
		}
	}
	for _, bad := range []int{0, -1, 51} {
		if _, err := d.Collocates(ctx, ParseQuery(node), bad, "logdice", 1); err == nil {
			t.Errorf("a window of %d is taken", bad)
		}
	}
	if _, err := d.Collocates(ctx, ParseQuery("session:"+s.ID), 5, "logdice", 1); err == nil {
		t.Error("collocates without a word")
	}
}

// On real ParlaMint sittings in four languages and three scripts, and
// the sample archive in Kazakh, Russian and English, the archive's word
// counts are the index's own, word for word; imported again, they stay.
func TestWordCountsAgreeOnRealText(t *testing.T) {
	dir := parlamint(t)
	ctx := context.Background()
	d := MustOpen(t)
	if _, err := d.ImportFiles(ctx, []string{dir}, ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	all, _ := sessions.Sample()
	if err := d.Replace(ctx, sessions.SampleOrigin, all); err != nil {
		t.Fatal(err)
	}
	got := archiveCounts(t, d)
	if len(got) < 5000 {
		t.Fatalf("only %d words", len(got))
	}
	sameCounts(t, "ParlaMint and the sample", got, indexCounts(t, d))
	if _, err := d.ImportFiles(ctx, []string{dir}, ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	sameCounts(t, "imported again", archiveCounts(t, d), got)
}
