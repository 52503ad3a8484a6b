package data

import (
	"context"
	"fmt"
	"math"
	"strings"
	"testing"
	"unicode"

	"kurultai/sessions"
)

// plainWords splits text into lower-case words the plain way, apart from
// the index: runs of letters and digits.
func plainWords(text string) []string {
	return strings.FieldsFunc(strings.ToLower(text), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
}

// researchArchive is a generated archive and its sessions as generated.
func researchArchive(t *testing.T) (*DB, []sessions.Session) {
	t.Helper()
	list := genSessions(t, 7, 4000, 40, "gen-")
	d := MustOpen(t)
	if err := d.Replace(context.Background(), "", list); err != nil {
		t.Fatal(err)
	}
	return d, list
}

// The distribution over time agrees with a plain scan of every
// paragraph: matching paragraphs a period, every word of the period, and
// matches per million words.
func TestTrendAgrees(t *testing.T) {
	d, list := researchArchive(t)
	ctx := context.Background()
	for _, word := range []string{"parliament", "reform", "budget"} {
		for _, by := range TrendBy {
			matches, words := map[string]int{}, map[string]int64{}
			periodOf := func(date, session string) string {
				return map[string]string{"year": date[:4], "month": date[:7], "session": session}[by]
			}
			for _, s := range list {
				period := periodOf(s.Date, s.ID)
				words[period] += int64(sessions.WordCount(s.Summary))
				for _, p := range s.Proposals {
					words[period] += int64(sessions.WordCount(p.Text))
					for _, e := range p.Timeline {
						words[periodOf(e.Date, s.ID)] += int64(sessions.WordCount(e.Note))
					}
				}
				for _, sp := range s.Speeches {
					for _, p := range sp.Paragraphs {
						words[period] += int64(sessions.WordCount(p.Text))
						for _, w := range plainWords(p.Text + " " + p.Heading) {
							if w == word {
								matches[period]++
								break
							}
						}
					}
				}
			}
			tr, err := d.Trend(ctx, ParseQuery(word+" kind:speech"), by)
			if err != nil {
				t.Fatal(err)
			}
			if len(tr.Points) != len(words) {
				t.Errorf("%s by %s: %d periods, want %d", word, by, len(tr.Points), len(words))
			}
			total := 0
			for _, p := range tr.Points {
				total += p.Matches
				if p.Matches != matches[p.Period] || p.Words != words[p.Period] {
					t.Errorf("%s by %s, %s: %d matches in %d words, want %d in %d", word, by, p.Period, p.Matches, p.Words, matches[p.Period], words[p.Period])
				}
				if want := float64(matches[p.Period]) * 1e6 / float64(words[p.Period]); math.Abs(p.PerMillion-want) > 1e-9 {
					t.Errorf("%s by %s, %s: %f per million, want %f", word, by, p.Period, p.PerMillion, want)
				}
				if p.Query != word+" kind:speech" {
					t.Errorf("query %q", p.Query)
				}
			}
			if total == 0 || total != tr.Total {
				t.Errorf("%s by %s: %d matches over the periods, total %d", word, by, total, tr.Total)
			}
			// Without kind:, every result is in a period or in a title
			// or name, which a trend leaves out and counts.
			all, err := d.Trend(ctx, ParseQuery(word), by)
			if err != nil {
				t.Fatal(err)
			}
			n, err := d.Count(ctx, ParseQuery(word))
			if err != nil {
				t.Fatal(err)
			}
			titles, err := d.Count(ctx, ParseQuery(word+" kind:title"))
			if err != nil {
				t.Fatal(err)
			}
			names, err := d.Count(ctx, ParseQuery(word+" kind:speaker"))
			if err != nil {
				t.Fatal(err)
			}
			sum := 0
			for _, p := range all.Points {
				sum += p.Matches
			}
			if all.Total != n || all.Skipped != titles+names || sum+all.Skipped != n {
				t.Errorf("%s by %s: %d in periods, %d skipped, total %d; the search counts %d (%d in titles, %d in names)",
					word, by, sum, all.Skipped, all.Total, n, titles, names)
			}
			for i := 1; i < len(tr.Points); i++ {
				if by != "session" && tr.Points[i-1].Period >= tr.Points[i].Period {
					t.Errorf("%s by %s: periods out of order: %s, %s", word, by, tr.Points[i-1].Period, tr.Points[i].Period)
				}
			}
		}
	}
}

// Who says it most agrees with a plain scan: each speaker's matching
// paragraphs, every word they said, and matches per 10,000 of them; the
// speakers left out below the threshold are counted.
func TestWhoAgrees(t *testing.T) {
	d, list := researchArchive(t)
	ctx := context.Background()
	const word = "parliament"
	matches, words := map[string]int{}, map[string]int64{}
	partyMatches, partyWords := map[string]int{}, map[string]int64{}
	for _, s := range list {
		for _, sp := range s.Speeches {
			for _, p := range sp.Paragraphs {
				n := int64(sessions.WordCount(p.Text))
				words[sp.Speaker.ID] += n
				partyWords[sp.Speaker.Party] += n
				for _, w := range plainWords(p.Text + " " + p.Heading) {
					if w == word {
						matches[sp.Speaker.ID]++
						partyMatches[sp.Speaker.Party]++
						break
					}
				}
			}
		}
	}
	const min = 3000
	who, err := d.Who(ctx, ParseQuery(word), "speaker", "rate", min)
	if err != nil {
		t.Fatal(err)
	}
	below, belowMatches := 0, 0
	for id, c := range matches {
		if words[id] < min {
			below++
			belowMatches += c
		}
	}
	if who.Below != below || who.BelowMatches != belowMatches || below == 0 {
		t.Errorf("left out %d speakers with %d matches, want %d with %d", who.Below, who.BelowMatches, below, belowMatches)
	}
	if len(who.Rows) != len(matches)-below {
		t.Errorf("%d speakers listed, want %d", len(who.Rows), len(matches)-below)
	}
	for i, r := range who.Rows {
		if r.Matches != matches[r.Speaker] || r.Words != words[r.Speaker] {
			t.Errorf("%s: %d matches in %d words, want %d in %d", r.Speaker, r.Matches, r.Words, matches[r.Speaker], words[r.Speaker])
		}
		if want := float64(matches[r.Speaker]) * 1e4 / float64(words[r.Speaker]); math.Abs(r.Per10k-want) > 1e-9 {
			t.Errorf("%s: %f per 10k, want %f", r.Speaker, r.Per10k, want)
		}
		if i > 0 && who.Rows[i-1].Per10k < r.Per10k {
			t.Errorf("not by rate at %d", i)
		}
	}
	byParty, err := d.Who(ctx, ParseQuery(word), "party", "matches", 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range byParty.Rows {
		if r.Matches != partyMatches[r.Name] || r.Words != partyWords[r.Name] {
			t.Errorf("party %s: %d matches in %d words, want %d in %d", r.Name, r.Matches, r.Words, partyMatches[r.Name], partyWords[r.Name])
		}
	}
	if len(byParty.Rows) == 0 || byParty.Unattributed != partyMatches[""] {
		t.Errorf("%d parties, %d unattributed, want %d", len(byParty.Rows), byParty.Unattributed, partyMatches[""])
	}
}

// A concordance has a line for each occurrence, with the context words
// on either side, cut at the paragraph's edges.
func TestConcordanceAgrees(t *testing.T) {
	d, list := researchArchive(t)
	ctx := context.Background()
	const word, width = "budget", 3
	want := map[string]int{} // "speech ¶n left|right" -> occurrences
	total := 0
	for _, s := range list {
		for _, sp := range s.Speeches {
			for _, p := range sp.Paragraphs {
				ws := plainWords(p.Text)
				for i, w := range ws {
					if w != word {
						continue
					}
					left := ws[max(0, i-width):i]
					right := ws[i+1 : min(len(ws), i+1+width)]
					want[sp.ID+" "+strings.Join(left, " ")+"|"+strings.Join(right, " ")]++
					total++
				}
			}
		}
	}
	k, err := d.Concordance(ctx, ParseQuery(word+" kind:speech"), width, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(k.Lines) != total || total == 0 {
		t.Fatalf("%d lines, want %d", len(k.Lines), total)
	}
	for _, l := range k.Lines {
		if strings.ToLower(l.Match) != word {
			t.Errorf("match %q", l.Match)
		}
		key := l.Speech + " " + strings.Join(plainWords(l.Left), " ") + "|" + strings.Join(plainWords(l.Right), " ")
		if want[key] == 0 {
			t.Errorf("a line no scan finds: %q", key)
			continue
		}
		want[key]--
	}
	for i := 1; i < len(k.Lines); i++ {
		if k.Lines[i-1].Date < k.Lines[i].Date {
			t.Fatalf("not newest first at %d", i)
		}
	}
	// Sorted by the first word to the right, then sampled: the same seed
	// draws the same lines.
	if err := SortKwic(k.Lines, "right1"); err != nil {
		t.Fatal(err)
	}
	for i := 1; i < len(k.Lines); i++ {
		a, b := plainWords(k.Lines[i-1].Right), plainWords(k.Lines[i].Right)
		if len(a) > 0 && (len(b) == 0 || Fold(a[0]) > Fold(b[0])) {
			t.Fatalf("not by the first word to the right at %d: %q, %q", i, k.Lines[i-1].Right, k.Lines[i].Right)
		}
	}
	a, _ := d.Concordance(ctx, ParseQuery(word+" kind:speech"), width, 0)
	b, _ := d.Concordance(ctx, ParseQuery(word+" kind:speech"), width, 0)
	SampleKwic(a, 10, 42)
	SampleKwic(b, 10, 42)
	if len(a.Lines) != 10 || a.Sampled != total {
		t.Fatalf("sample of %d from %d", len(a.Lines), a.Sampled)
	}
	for i := range a.Lines {
		if a.Lines[i] != b.Lines[i] {
			t.Errorf("the same seed drew another line at %d", i)
		}
	}
}

// The context stops at the paragraph's edges: a match that opens or
// closes its paragraph has nothing on that side.
func TestConcordanceEdges(t *testing.T) {
	s := sessions.Session{ID: "e-1", Body: "B", Date: "2024-05-01", Title: "Edges", Language: "en",
		Speeches: []sessions.Speech{{ID: "e-1/s", SessionID: "e-1", Order: 1, Speaker: sessions.Speaker{ID: "x", Name: "X"},
			Paragraphs: sessions.SplitParagraphs("Budget opens this one, and ends with the budget\n\nA second, budget in the middle of it.")}}}
	d := MustOpen(t)
	if err := d.Replace(context.Background(), "", []sessions.Session{s}); err != nil {
		t.Fatal(err)
	}
	k, err := d.Concordance(context.Background(), ParseQuery("budget"), 2, 0)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, l := range k.Lines {
		got = append(got, l.Left+"["+l.Match+"]"+l.Right)
	}
	// Newest first, as results come: the second paragraph first.
	want := []string{"A second, [budget] in the", "[Budget] opens this", "with the [budget]"}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("lines\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// A phrase's words are one match, and only where they follow one
// another (as the search matches a phrase, punctuation between them
// allowed); a word twice in a row is two; titles give no line.
func TestConcordancePhrase(t *testing.T) {
	s := sessions.Session{ID: "p-1", Body: "B", Date: "2024-05-01", Title: "Phrase", Language: "en",
		Speeches: []sessions.Speech{{ID: "p-1/s", SessionID: "p-1", Order: 1, Speaker: sessions.Speaker{ID: "x", Name: "X"},
			Title: "Budget and the vice president", Topic: "Budget",
			Paragraphs: sessions.SplitParagraphs("The vice chair met the president. Then the vice president spoke of the budget budget.\n\n" +
				"vice president vice president\n\nvice, president")}}}
	d := MustOpen(t)
	if err := d.Replace(context.Background(), "", []sessions.Session{s}); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		query   string
		want    []string
		outside int
	}{
		{`"vice president"`, []string{"vice, president", "vice president", "vice president", "vice president"}, 1},
		{"budget", []string{"budget", "budget"}, 1},
		{`"vice president" kind:speech`, []string{"vice, president", "vice president", "vice president", "vice president"}, 0},
	} {
		k, err := d.Concordance(context.Background(), ParseQuery(c.query), 2, 0)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, l := range k.Lines {
			got = append(got, l.Match)
		}
		if strings.Join(got, "|") != strings.Join(c.want, "|") || k.Outside != c.outside {
			t.Errorf("%s: %q with %d outside, want %q with %d", c.query, got, k.Outside, c.want, c.outside)
		}
	}
}

// A lemma: concordance marks in each paragraph the forms of its own
// lemmas, however many results are read at once.
func TestConcordanceLemmas(t *testing.T) {
	s := sessions.Session{ID: "l-1", Body: "B", Date: "2024-05-01", Title: "Lemmas", Language: "ru",
		Speeches: []sessions.Speech{{ID: "l-1/s", SessionID: "l-1", Order: 1, Speaker: sessions.Speaker{ID: "x", Name: "X"}}}}
	for i, form := range []string{"говорю", "говорил", "говорят", "говорила"} {
		s.Speeches[0].Paragraphs = append(s.Speeches[0].Paragraphs, sessions.Paragraph{Number: i + 1, Text: form + " bill vote",
			Lemmas: []sessions.WordLemma{{Form: form, Lemma: "говорить"}, {Form: "bill", Lemma: "bill"}, {Form: "vote", Lemma: "vote"}}})
	}
	d := MustOpen(t)
	if err := d.Replace(context.Background(), "", []sessions.Session{s}); err != nil {
		t.Fatal(err)
	}
	k, err := d.Concordance(context.Background(), ParseQuery("lemma:говорить bill vote"), 2, 0)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, l := range k.Lines {
		got = append(got, fmt.Sprint(l.Paragraph, " ", l.Match))
	}
	want := []string{"4 говорила", "4 bill", "4 vote", "3 говорят", "3 bill", "3 vote", "2 говорил", "2 bill", "2 vote", "1 говорю", "1 bill", "1 vote"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("lines %q\nwant %q", got, want)
	}
}

// A summary's paragraphs are apart: the context stops at their edge.
func TestConcordanceSummaryEdges(t *testing.T) {
	s := sessions.Session{ID: "m-1", Body: "B", Date: "2024-05-01", Title: "Summary", Language: "en",
		Summary: "The first part ends here.\n\nBudget opens the second part."}
	d := MustOpen(t)
	if err := d.Replace(context.Background(), "", []sessions.Session{s}); err != nil {
		t.Fatal(err)
	}
	k, err := d.Concordance(context.Background(), ParseQuery("budget"), 3, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(k.Lines) != 1 || k.Lines[0].Left != "" || k.Lines[0].Right != " opens the second" {
		t.Errorf("lines %+v", k.Lines)
	}
}
