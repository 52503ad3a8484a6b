package data

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"unicode"

	"kurultai/sessions"
)

func searchArchive(t *testing.T) *DB {
	t.Helper()
	d := MustOpen(t)
	all, _ := sessions.Sample()
	ctx := context.Background()
	if err := d.Replace(ctx, "sample", all); err != nil {
		t.Fatal(err)
	}
	extra := sessions.Session{ID: "x-1", Body: "Test", Date: "2019-05-05", Title: "Тестовое заседание", Language: "kk",
		Speeches: []sessions.Speech{
			{ID: "x-1/a", SessionID: "x-1", Order: 1, Title: "A", Language: "kk", Speaker: sessions.Speaker{ID: "aigerim", Name: "Айгерім Сапарова"},
				Paragraphs: sessions.SplitParagraphs("ҚАЗАҚСТАН халқы референдумға дайын.\n\nVice President and vice-presidential duties.\n\nЦифровые данные граждан.")},
			{ID: "x-1/b", SessionID: "x-1", Order: 2, Title: "B", Language: "ru", Speaker: sessions.Speaker{ID: "ivan", Name: "Иван Петров"},
				Paragraphs: sessions.SplitParagraphs("Референдум о парламенте.\n\nParliament reform without the senate.")},
		}}
	if err := d.Replace(ctx, "", []sessions.Session{extra}); err != nil {
		t.Fatal(err)
	}
	return d
}

func search(t *testing.T, d *DB, q string, opts SearchOptions) *SearchResult {
	t.Helper()
	opts.Count = true
	res, err := d.Search(context.Background(), ParseQuery(q), opts)
	if err != nil {
		t.Fatalf("search %q: %v", q, err)
	}
	return res
}

func ids(res *SearchResult) []string {
	var out []string
	for _, h := range res.Hits {
		id := h.Speech
		if id == "" {
			id = h.Session
		}
		out = append(out, id)
	}
	return out
}

func TestSearch(t *testing.T) {
	d := searchArchive(t)
	cases := []struct {
		q        string
		contains []string
		excludes []string
		total    int
	}{
		{"referendum", []string{"nk-5/p8-commission-referendum", "nk-5/address"}, nil, -1},
		{"қазақстан", []string{"x-1/a"}, nil, 6},   // Kazakh case folding: ҚАЗАҚСТАН
		{"казакстан", nil, []string{"x-1/a"}, 0},   // no letter mapping
		{"РЕФЕРЕНДУМ", []string{"x-1/b"}, nil, -1}, // Russian case folding
		{`"vice president"`, []string{"x-1/a", "nk-5/address"}, nil, -1},
		{`"president vice"`, nil, []string{"x-1/a"}, -1},
		{"presid*", []string{"x-1/a"}, nil, -1},
		{"parliament -senate", nil, []string{"x-1/b"}, -1},
		{"parliament senate", []string{"x-1/b"}, nil, -1},
		{"цифровые OR nonexistentword", []string{"x-1/a"}, nil, 1},
		{"референдум speaker:петров", []string{"x-1/b"}, []string{"x-1/a"}, -1},
		{"referendum kind:title", []string{"nk-5/p8-commission-referendum"}, []string{"nk-5/address"}, -1},
		{"referendum session:nk-5", []string{"nk-5/address"}, []string{"x-1/b"}, -1},
		{"referendum from:2026 to:2026-12", []string{"nk-5/address"}, []string{"x-1/b"}, -1},
		{"референдум lang:ru", []string{"x-1/b"}, []string{"x-1/a"}, -1},
		{"kurultai kind:session", []string{"nk-5"}, nil, -1},
	}
	for _, c := range cases {
		res := search(t, d, c.q, SearchOptions{Limit: 100})
		got := strings.Join(ids(res), " ")
		for _, want := range c.contains {
			if !strings.Contains(" "+got+" ", " "+want+" ") {
				t.Errorf("%q: want %s among %s", c.q, want, got)
			}
		}
		for _, not := range c.excludes {
			if strings.Contains(" "+got+" ", " "+not+" ") {
				t.Errorf("%q: %s should not be among %s", c.q, not, got)
			}
		}
		if c.total >= 0 && res.Total != c.total {
			t.Errorf("%q: total %d, want %d", c.q, res.Total, c.total)
		}
	}
}

func TestSearchRankingAndSnippets(t *testing.T) {
	d := searchArchive(t)
	res := search(t, d, "referendum", SearchOptions{})
	if len(res.Hits) == 0 || res.Hits[0].Kind != KindTitle || !res.Ranked {
		t.Fatalf("a proposal whose title says referendum should rank first: %+v", ids(res))
	}
	for _, h := range res.Hits {
		if !strings.Contains(h.Snippet, MarkStart) {
			t.Errorf("snippet without a marked match: %q", h.Snippet)
		}
		if h.Kind == KindProposal && h.Paragraph == 0 {
			t.Errorf("a proposal hit should name its paragraph: %+v", h)
		}
		if h.Field == "" {
			t.Errorf("a hit should say which field matched: %+v", h)
		}
	}
	byDate := search(t, d, "referendum", SearchOptions{ByDate: true})
	for i := 1; i < len(byDate.Hits); i++ {
		if byDate.Hits[i].Date > byDate.Hits[i-1].Date {
			t.Fatalf("date order broken: %s after %s", byDate.Hits[i].Date, byDate.Hits[i-1].Date)
		}
	}
	page2 := search(t, d, "referendum", SearchOptions{Limit: 2, Offset: 2})
	if len(page2.Hits) == 0 || page2.Hits[0].Speech != res.Hits[2].Speech || page2.Hits[0].Paragraph != res.Hits[2].Paragraph {
		t.Errorf("second page should continue the first")
	}
}

// Whatever a person types gives results or nothing, never an error.
func TestSearchAnyInput(t *testing.T) {
	d := searchArchive(t)
	for _, q := range []string{`"unbalanced`, "-", "*", "AND (", "OR", "NOT", `'; DROP TABLE sessions; --`,
		"🙂🙂", "\xff\xfe", strings.Repeat("слово ", 2000), `""`, `" "`, "speaker:", "from:yesterday", "kind:poem referendum",
		"a:b:c", "NEAR(a b)", "^x", "x + y", "col:text", "-referendum", `"a" OR OR b`} {
		res, err := d.Search(context.Background(), ParseQuery(q), SearchOptions{})
		if err != nil {
			t.Errorf("%q gave an error: %v", q, err)
			continue
		}
		_ = res
	}
	// Exclusions alone are a query: everything without the word.
	all, _ := d.Count(context.Background(), ParseQuery("from:1000 to:9999"))
	with, _ := d.Count(context.Background(), ParseQuery("referendum"))
	without, _ := d.Count(context.Background(), ParseQuery("-referendum from:1000"))
	if all == 0 || with == 0 || without != all-with {
		t.Errorf("-referendum: %d results; all dated %d, with the word %d", without, all, with)
	}
}

func FuzzParseQuery(f *testing.F) {
	for _, s := range []string{`referendum "vice president" reform* -senate OR x speaker:"A B" from:2024 to:2025-12-31 kind:proposal lang:kk`,
		`"`, "-", "*", "OR OR", "a:b", "\xff",
		// filters alone, and fields
		"speaker:tokayev", "session:nk-5 kind:timeline", "from:2026-02 to:2026", "lang:en -referendum", "kind:speaker",
		`name:"Kassym-Jomart" title:referendum place:kyzyl*`, "to:1999", "from:2027-13-45",
		// scripts, alphabets and accents, and the exact operator
		"qurultai Шымкент", "=bar -=все", `="Ulttyq Qurultai"`, "S'ymkent* Şymkent", "ΣΥΝΕΔΡΙΑΣΗ ευχαριστω",
		"=ΣΥΝΕΔΡΙΑΣΗ*", "name:=Tokayev", "Ádilet OR әділет -бар", "ı İ ŋ ’ ʼ", "=", "==x", "-=", "=-x", "qazaq'stan'",
		"Quryltaı* OR Qūryltai", "ёлка =café", "Қызылорда kyzylorda"} {
		f.Add(s)
	}
	d := searchArchiveF(f)
	f.Fuzz(func(t *testing.T, s string) {
		ctx := context.Background()
		q := ParseQuery(s)
		res, err := d.Search(ctx, q, SearchOptions{Limit: 5, Count: true})
		if err != nil {
			t.Fatalf("%q: %v", s, err)
		}
		// Whatever the query, the count, the facets and the page agree.
		fs, err := d.Facets(ctx, q)
		if err != nil {
			t.Fatalf("%q: facets: %v", s, err)
		}
		kinds := 0
		for _, v := range fs.Field("kind") {
			kinds += v.Count
		}
		if fs.Total != res.Total || kinds != res.Total || len(res.Hits) != min(5, res.Total) {
			t.Fatalf("%q: count %d, facets %d (kinds %d), page %d", s, res.Total, fs.Total, kinds, len(res.Hits))
		}
	})
}

func searchArchiveF(f *testing.F) *DB {
	d, err := Open(context.Background(), f.TempDir()+"/a.db", ReadWrite)
	if err != nil {
		f.Fatal(err)
	}
	all, _ := sessions.Sample()
	d.Replace(context.Background(), "sample", all)
	f.Cleanup(func() { d.Close() })
	return d
}

func TestFacets(t *testing.T) {
	d := searchArchive(t)
	f, err := d.Facets(context.Background(), ParseQuery("referendum"))
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]int{}
	for _, v := range f.Values {
		got[v.Field+"="+v.Value] = v.Count
	}
	// Speech paragraph: nk-5 ¶ 11; proposal paragraphs p1 ¶ 3 and p8 ¶ 1-2,
	// and p8's title; the summaries of nk-1 and nk-5; 27 timeline events of
	// nk-5's proposals (for each of eight, the referendum called, held and
	// put into effect; the 2025 address in p1 and p8; p8's proposal).
	for k, want := range map[string]int{"kind=speech": 1, "kind=proposal": 3, "kind=title": 1, "kind=session": 2, "kind=timeline": 27,
		"year=2026": 31, "year=2025": 2, "year=2022": 1, "session=nk-5": 33, "language=en": 34} {
		if got[k] != want {
			t.Errorf("facet %s = %d, want %d (all: %v)", k, got[k], want, got)
		}
	}
	if f.Total != 34 {
		t.Errorf("facets total %d, want 34", f.Total)
	}
	// Counts follow the query: adding a facet's query narrows to it.
	for _, v := range f.Values {
		if v.Query == "" {
			continue
		}
		res := search(t, d, "referendum "+v.Query, SearchOptions{})
		if res.Total != v.Count {
			t.Errorf("%s: %d results, facet said %d", v.Query, res.Total, v.Count)
		}
	}
}

func TestSearchCancelled(t *testing.T) {
	d := searchArchive(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := d.Search(ctx, ParseQuery("referendum"), SearchOptions{Count: true})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("a cancelled search should end with context.Canceled, got %v", err)
	}
}

// Many readers at once share the prepared statements: the same answers
// as one reader alone, some of them cancelled on the way (run with -race).
func TestSearchConcurrent(t *testing.T) {
	d := searchArchive(t)
	ctx := context.Background()
	queries := []string{"referendum", "parliament lang:kk", "kind:proposal referendum", `"vice president"`, "reform*"}
	want := map[string]int{}
	for _, q := range queries {
		res, err := d.Search(ctx, ParseQuery(q), SearchOptions{Count: true})
		if err != nil {
			t.Fatal(err)
		}
		want[q] = res.Total
	}
	var wg sync.WaitGroup
	errs := make(chan error, 64)
	for i := range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range 20 {
				q := queries[(i+j)%len(queries)]
				c, cancel := context.WithCancel(ctx)
				if j%5 == 4 {
					cancel() // some searches are left, as typing does
				}
				res, err := d.Search(c, ParseQuery(q), SearchOptions{Count: true})
				cancel()
				switch {
				case j%5 == 4:
				case err != nil:
					errs <- err
				case res.Total != want[q]:
					errs <- fmt.Errorf("%q: %d matches, alone %d", q, res.Total, want[q])
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

// Findings of a review, kept as tests.
func TestSearchEdges(t *testing.T) {
	ctx := context.Background()
	d := MustOpen(t)
	// Many exclusions stay within FTS5's expression depth.
	if _, err := d.Search(ctx, ParseQuery(strings.Repeat("-x ", 300)+"referendum"), SearchOptions{Count: true}); err != nil {
		t.Errorf("300 exclusions: %v", err)
	}
	// Quotation marks in the text are not taken for match marks.
	s := sessions.Session{ID: "q-1", Body: "B", Date: "2024-01-01", Title: "Budget", Language: "ru",
		Speeches: []sessions.Speech{{ID: "q-1/a", SessionID: "q-1", Title: "A",
			Paragraphs: sessions.SplitParagraphs("Партия «Аманат» поддержала реформу.")}}}
	var props []sessions.Proposal
	for i := 0; i < 600; i++ {
		props = append(props, sessions.Proposal{ID: fmt.Sprintf("q-2/p%d", i), SessionID: "q-2", Order: i, Title: "On the budget"})
	}
	newer := sessions.Session{ID: "q-2", Body: "B", Date: "2025-01-01", Title: "Later", Proposals: props}
	if err := d.Replace(ctx, "", []sessions.Session{s, newer}); err != nil {
		t.Fatal(err)
	}
	res := search(t, d, "реформу", SearchOptions{})
	if len(res.Hits) != 1 || !strings.Contains(res.Hits[0].Snippet, MarkStart+"реформу"+MarkEnd) || strings.Contains(res.Hits[0].Snippet, MarkStart+"Аманат") {
		t.Errorf("snippet marks: %+v", res.Hits)
	}
	// The kind filter: one session's record among 600 proposal titles.
	if res := search(t, d, "budget kind:session", SearchOptions{}); len(res.Hits) != 1 || res.Total != 1 {
		t.Errorf("budget kind:session: %d hits, total %d", len(res.Hits), res.Total)
	}
	// Diacritics: the index folds them, and so does the highlight.
	s3 := sessions.Session{ID: "q-3", Body: "B", Date: "2024-02-02", Title: "Café", Speeches: []sessions.Speech{{ID: "q-3/a", SessionID: "q-3",
		Paragraphs: sessions.SplitParagraphs("Une réunion au café.")}}}
	d.Replace(ctx, "", []sessions.Session{s3})
	if res := search(t, d, "cafe kind:speech", SearchOptions{}); len(res.Hits) != 1 || !strings.Contains(res.Hits[0].Snippet, MarkStart+"café"+MarkEnd) {
		t.Errorf("cafe should mark café: %+v", res.Hits)
	}
	// Replacing a session removes its rows from the index: three
	// sessions, a speech title, two paragraphs, 600 proposal titles.
	assertIntegrity(t, d)
	const want = 3 + 1 + 2 + 600
	var fts, runs int
	d.SQL().QueryRow("SELECT count(*) FROM search_fts").Scan(&fts)
	d.SQL().QueryRow("SELECT coalesce(sum(stop - start + 1), 0) FROM search_runs").Scan(&runs)
	if fts != want || runs != want {
		t.Errorf("index rows %d, rows of runs %d, want %d", fts, runs, want)
	}
	d.Replace(ctx, "", []sessions.Session{newer})
	d.SQL().QueryRow("SELECT count(*) FROM search_fts").Scan(&fts)
	if fts != want {
		t.Errorf("after replacing a session the index has %d rows, want %d", fts, want)
	}
}

// The table of runes that folding leaves alone must agree with
// normalising: every pair of runes before U+2000 (a sample of the second),
// and words that need normalising.
func TestFoldPlainAgrees(t *testing.T) {
	for _, w := range []string{"Қазақстан", "ДЕПУТАТ", "Йошкар", "ёлка", "Café", "한국", "e\u0301", "\u1100\u1161", "ӘҒҚҢӨҰҮҺІ"} {
		if got, want := foldMark(w), stripMarks(strings.ToLower(w)); got != want {
			t.Errorf("foldMark(%q) = %q, normalising gives %q", w, got, want)
		}
	}
	for r := rune(0x80); r < plainRunes; r++ {
		for r2 := rune(0x41); r2 < plainRunes+0x100; r2 += 13 {
			w := string(r) + string(r2)
			if got, want := foldMark(w), stripMarks(strings.ToLower(w)); got != want {
				t.Fatalf("foldMark(%q) = %q, normalising gives %q", w, got, want)
			}
		}
	}
}

// BenchmarkFold folds eight common Kazakh, Russian and English words for
// highlighting: through the table of letters that need no normalising,
// and by normalising every word, as before the table.
func BenchmarkFold(b *testing.B) {
	words := []string{"Қазақстан", "парламент", "реформа", "Мемлекеттік", "жиналыс", "депутаттар", "закон", "ДЕПУТАТ"}
	b.Run("table", func(b *testing.B) {
		for b.Loop() {
			for _, w := range words {
				foldMark(w)
			}
		}
	})
	b.Run("normalise", func(b *testing.B) {
		for b.Loop() {
			for _, w := range words {
				stripMarks(strings.ToLower(w))
			}
		}
	})
}

// What the reader shows of the sample can be found: the speaker's name
// in either script, the place, and the timeline notes; counted against
// the sample's own records.
func TestSampleFindsWhatReaderShows(t *testing.T) {
	d := searchArchive(t)
	ctx := context.Background()
	all, _ := sessions.Sample()
	hasWord := func(text, w string) bool {
		for _, f := range strings.FieldsFunc(strings.ToLower(text), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
			if f == w {
				return true
			}
		}
		return false
	}
	decree := 0
	for _, s := range all {
		for _, p := range s.Proposals {
			for _, e := range p.Timeline {
				if hasWord(e.Note, "decree") || hasWord(e.Status, "decree") || hasWord(e.Source, "decree") {
					decree++
				}
			}
		}
	}
	if decree == 0 {
		t.Fatal("the sample's timelines should mention a decree")
	}
	for q, check := range map[string]func(res *SearchResult) string{
		"tokayev": func(res *SearchResult) string {
			for _, h := range res.Hits {
				if h.Kind == KindSpeaker && h.SpeakerID == "tokayev" && h.Field == "name" {
					return ""
				}
			}
			return "no speaker name row for tokayev"
		},
		"Тоқаев": func(res *SearchResult) string {
			for _, h := range res.Hits {
				if h.Kind == KindSpeaker && strings.Contains(h.Snippet, MarkStart+"Тоқаев"+MarkEnd) {
					return ""
				}
			}
			return "no speaker name row marked Тоқаев"
		},
		"Қызылорда": func(res *SearchResult) string {
			for _, h := range res.Hits {
				if h.Kind == KindSession && h.Session == "nk-5" && h.Field == "place" {
					return ""
				}
			}
			return "nk-5's place not found"
		},
		"decree kind:timeline": func(res *SearchResult) string {
			if res.Total != decree || len(res.Hits) != decree {
				return fmt.Sprintf("%d results (%d shown), the sample has %d timeline events that mention a decree", res.Total, len(res.Hits), decree)
			}
			for _, h := range res.Hits {
				if h.Kind != KindTimeline || h.Event == 0 || !strings.Contains(h.FieldLabel(), "timeline, ") {
					return fmt.Sprintf("not a timeline event: %+v", h)
				}
			}
			return ""
		},
	} {
		res, err := d.Search(ctx, ParseQuery(q), SearchOptions{Limit: 100, Count: true})
		if err != nil {
			t.Fatal(err)
		}
		if msg := check(res); msg != "" {
			t.Errorf("%s: %s", q, msg)
		}
	}
	// The speaker filter alone lists everything the speaker said.
	n, err := d.Count(ctx, ParseQuery("speaker:tokayev kind:speech"))
	if err != nil {
		t.Fatal(err)
	}
	want := 0
	for _, s := range all {
		for _, sp := range s.Speeches {
			if sp.Speaker.ID == "tokayev" {
				want += len(sp.Paragraphs)
			}
		}
	}
	if n != want || want == 0 {
		t.Errorf("speaker:tokayev kind:speech: %d, the sample has %d paragraphs of his", n, want)
	}
}

// Only the word being typed becomes a prefix: not one before a filter,
// an exclusion or a phrase typed after it.
func TestPrefixLast(t *testing.T) {
	for typed, want := range map[string]string{
		"ref":                    "ref*",
		"referendum ref":         "ref*",
		"referendum from:2020":   "",
		"referendum -senate":     "",
		`referendum "vice pres`:  "",
		"re":                     "",
		"name:tok":               "tok*",
		"referendum speaker:tok": "",
		"ref OR parl":            "parl*",
	} {
		q := ParseQuery(typed)
		q.PrefixLast(typed)
		got := ""
		for _, g := range q.All {
			for _, term := range g {
				if term.Prefix {
					got = term.Text + "*"
				}
			}
		}
		if got != want {
			t.Errorf("%q: prefix %q, want %q", typed, got, want)
		}
	}
}

// The note of a prefix search speaks of what was typed: a word ending in *
// when one was, the word being typed when the box made it a prefix.
func TestPrefixNote(t *testing.T) {
	d := searchArchive(t)
	for typed, want := range map[string]string{
		"ref":            "the word being typed finds every word it starts",
		"ref*":           "a word ending in * finds every word it starts",
		"parl* referend": "a word ending in * finds every word it starts",
	} {
		q := ParseQuery(typed)
		q.PrefixLast(typed)
		res, err := d.Search(context.Background(), q, SearchOptions{Limit: 5})
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(res.Note.String(), want) || len(res.Hits) == 0 {
			t.Errorf("%q: %d results, note %q, want %q", typed, len(res.Hits), res.Note, want)
		}
	}
}

// The kept answers stay within their count and their bytes, and an
// answer too large to keep is not kept.
func TestAnswerCacheBounds(t *testing.T) {
	var a answerCache
	for i := range 1000 {
		a.put(fmt.Sprint("k", i), i, 1<<20)
	}
	if len(a.order) > answersKept || a.bytes > answersBytes || len(a.m) != len(a.order) {
		t.Fatalf("%d answers in %d bytes (map %d)", len(a.order), a.bytes, len(a.m))
	}
	if v, ok := a.get("k999"); !ok || v.(int) != 999 {
		t.Errorf("the newest answer is gone: %v %v", v, ok)
	}
	if _, ok := a.get("k0"); ok {
		t.Error("the oldest answer is still kept")
	}
	a.put("huge", 1, answersBytes)
	if _, ok := a.get("huge"); ok {
		t.Error("an answer of the whole budget was kept")
	}
}
