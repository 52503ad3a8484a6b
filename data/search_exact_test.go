package data

import (
	"context"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"kurultai/sessions"
)

// The full-text search checked against an independent count: a plain
// scan, in Go, of the words of every row there can be a result for, made
// from the sessions as they were imported. Nothing of the scan reads the
// search index or any SQL; it takes from the code under test only
// ParseQuery's reading of words, OR, exclusions and filter values (dates
// it reads from the query text itself).
//
// The rows (exactRows): a session's record (title, place, summary); a
// speech's title row when it has a title or topic (title, topic); a speech
// paragraph (text, heading); a proposal's title row (title, category); a
// proposal paragraph, one for each of sessions.SplitParagraphs(text)
// (text, heading); a timeline event (note, status, source), dated by
// itself; a speaker's name (name), undated, with no session, language or
// document.
//
// The meaning of a query (exactArchive.scan): words are runs of letters and
// digits, lower-cased, with the combining marks of their canonical
// decomposition dropped (café is cafe, ё is е); a term matches when its
// words stand one after another in one column, the last as a prefix for
// w*. speaker: matches the lower-cased name by containment or the id
// exactly; session:, kind: and lang: match exactly. A date is the number
// YYYYMMDD, a partial date its first day (see exactUnknown); from:D is
// the first day D covers and to:D the last (to:2026-02 is 20260231); an
// undated row meets neither.

// exactRow is one row there can be a result for.
type exactRow struct {
	key     string // as Hit.Key gives it
	kind    string
	date    string // as given; "" for an undated row
	num     int64  // the date as YYYYMMDD, 00 for a month or day not known
	session string
	speaker string // the speaker's id
	lang    string
	doc     string // the document it belongs to; "" for none
	cols    map[string][]string
	// Of a row in Kazakh, the keys of its words (see modelKeys).
	kcyr, klat []string
	raw        map[string]bool // its words as =word compares them
	// Of a speech's rows, its speaker on the day.
	party, partyName, role, gender, side string
}

// exactColumns are the columns that hold words.
var exactColumns = []string{"body", "heading", "title", "name", "place", "source"}

// exactFold folds text as the index is meant to: lower case, then the
// combining marks of Latin letters dropped.
func exactFold(s string) string {
	s = strings.ToLower(s)
	var b strings.Builder
	base := rune(0)
	for _, r := range norm.NFD.String(s) {
		if !unicode.Is(unicode.Mn, r) {
			base = r
			if r == 'ς' {
				r = 'σ'
			}
		} else if unicode.Is(unicode.Latin, base) || unicode.Is(unicode.Greek, base) || base == 'е' && r == '\u0308' {
			// SQLite's unicode61 takes the marks off Latin letters;
			// kurultai takes them off Greek ones, and ё is е. й and
			// the Kazakh letters are letters of their own.
			continue
		}
		b.WriteRune(r)
	}
	return norm.NFC.String(b.String())
}

// exactTokens splits text into its folded words: runs of letters and digits.
func exactTokens(s string) []string {
	f := strings.FieldsFunc(s, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
	for i := range f {
		f[i] = exactFold(f[i])
	}
	return f
}

// exactUnknown stands for a month or day a date does not give: a partial
// date counts as the first day it covers (an event dated 2026-02 is
// 20260201), as dayNumber in search_index.go has it now. With 0 instead
// (20260200: before the days it covers), an event dated only 2026 would
// leave from:2026-01 to:2026-01 and from:2026-01-01, and sort after rows
// dated 2026-01-01.
const exactUnknown = 1

// exactDateNum turns YYYY, YYYY-MM or YYYY-MM-DD into YYYYMMDD. What the
// date does not give is exactUnknown, or with end, the last month or day
// there can be.
func exactDateNum(s string, end bool) int64 {
	n := [3]int64{0, exactUnknown, exactUnknown}
	if end {
		n = [3]int64{0, 12, 31}
	}
	for i, p := range strings.Split(s, "-") {
		v, err := strconv.ParseInt(p, 10, 64)
		if err != nil || i > 2 {
			panic("bad date " + s)
		}
		n[i] = v
	}
	return n[0]*10000 + n[1]*100 + n[2]
}

// exactArchive is the sessions as imported, and the rows made of them.
type exactArchive struct {
	sessions []*sessions.Session
	speakers map[string]string // id -> name, the first name the import saw
	rows     []*exactRow
	byKey    map[string]*exactRow
}

func (a *exactArchive) add(r *exactRow, texts ...string) {
	if IsKazakh(r.lang) {
		r.kcyr, r.klat = modelKeys(texts...)
	}
	r.raw = modelExactWords(texts...)
	r.num = -1
	if r.date != "" {
		r.num = exactDateNum(r.date, false)
	}
	a.rows = append(a.rows, r)
	a.byKey[r.key] = r
}

// exactRows makes the rows of the archive: see the definition in the
// comment of TestSearchExact.
func exactRows(list []*sessions.Session) *exactArchive {
	a := &exactArchive{sessions: list, speakers: map[string]string{}, byKey: map[string]*exactRow{}}
	var speakerOrder []string
	key := func(kind, id string, para, event int) string {
		return fmt.Sprintf("%s/%s/%d/%d", kind, id, para, event)
	}
	for _, s := range list {
		a.add(&exactRow{key: key(KindSession, s.ID, 0, 0), kind: KindSession, date: s.Date, session: s.ID,
			lang: s.Language, doc: "session:" + s.ID,
			cols: map[string][]string{"title": exactTokens(s.Title), "place": exactTokens(s.Place), "body": exactTokens(s.Summary)}},
			s.Summary, s.Title, s.Place)
		for _, sp := range s.Speeches {
			if id := sp.Speaker.ID; id != "" {
				if _, ok := a.speakers[id]; !ok {
					a.speakers[id] = sp.Speaker.Name
					speakerOrder = append(speakerOrder, id)
				}
			}
			lang := sp.Language
			if lang == "" {
				lang = s.Language
			}
			doc := "speech:" + sp.ID
			who := func(r *exactRow) *exactRow {
				r.party, r.partyName, r.role, r.gender, r.side = sp.Speaker.Party, sp.Speaker.PartyName, sp.Speaker.Role,
					strings.ToUpper(sp.Speaker.Gender), sp.Speaker.Side
				return r
			}
			if sp.Title != "" || sp.Topic != "" {
				a.add(who(&exactRow{key: key(KindTitle, sp.ID, 0, 0), kind: KindTitle, date: s.Date, session: s.ID,
					speaker: sp.Speaker.ID, lang: lang, doc: doc,
					cols: map[string][]string{"title": exactTokens(sp.Title), "heading": exactTokens(sp.Topic)}}),
					sp.Topic, sp.Title)
			}
			for _, p := range sp.Paragraphs {
				a.add(who(&exactRow{key: key(KindSpeech, sp.ID, p.Number, 0), kind: KindSpeech, date: s.Date, session: s.ID,
					speaker: sp.Speaker.ID, lang: lang, doc: doc,
					cols: map[string][]string{"body": exactTokens(p.Text), "heading": exactTokens(p.Heading)}}),
					p.Text, p.Heading)
			}
		}
		for _, pr := range s.Proposals {
			doc := "proposal:" + pr.ID
			a.add(&exactRow{key: key(KindTitle, pr.ID, 0, 0), kind: KindTitle, date: s.Date, session: s.ID,
				lang: s.Language, doc: doc,
				cols: map[string][]string{"title": exactTokens(pr.Title), "heading": exactTokens(pr.Category)}},
				pr.Category, pr.Title)
			for _, p := range sessions.SplitParagraphs(pr.Text) {
				a.add(&exactRow{key: key(KindProposal, pr.ID, p.Number, 0), kind: KindProposal, date: s.Date, session: s.ID,
					lang: s.Language, doc: doc,
					cols: map[string][]string{"body": exactTokens(p.Text), "heading": exactTokens(p.Heading)}},
					p.Text, p.Heading)
			}
			for i, e := range pr.Timeline {
				a.add(&exactRow{key: key(KindTimeline, pr.ID, 0, i+1), kind: KindTimeline, date: e.Date, session: s.ID,
					lang: s.Language, doc: doc,
					cols: map[string][]string{"body": exactTokens(e.Note), "heading": exactTokens(e.Status), "source": exactTokens(e.Source)}},
					e.Note, e.Status, e.Source)
			}
		}
	}
	for _, id := range speakerOrder {
		a.add(&exactRow{key: key(KindSpeaker, id, 0, 0), kind: KindSpeaker, speaker: id,
			cols: map[string][]string{"name": exactTokens(a.speakers[id])}},
			a.speakers[id])
	}
	return a
}

// has reports whether a term (a word, a phrase, either possibly ending
// as a prefix) stands in the row: its words one after another in one
// column.
func (r *exactRow) has(t Term) bool {
	if t.Exact {
		return r.raw[norm.NFC.String(strings.ToLower(t.Text))]
	}
	if t.Column == "" && len(r.kcyr)+len(r.klat) > 0 && modelKeyed(t.Text, t.Prefix, r.kcyr, r.klat) {
		return true
	}
	want := exactTokens(t.Text)
	if len(want) == 0 {
		return false
	}
	cols := exactColumns
	if t.Column != "" {
		cols = []string{t.Column}
	}
	for _, c := range cols {
		toks := r.cols[c]
	at:
		for i := 0; i+len(want) <= len(toks); i++ {
			for j, w := range want {
				got := toks[i+j]
				if got == w || t.Prefix && j == len(want)-1 && strings.HasPrefix(got, w) {
					continue
				}
				continue at
			}
			return true
		}
	}
	return false
}

// exactSpan is the dates a query asks for, as numbers (see exactDateNum):
// from:D is the first day D covers and to:D the last, so that an event
// dated 2026-02 is in from:2026-02, from:2026 and to:2026-02.
type exactSpan struct {
	from, to int64
	dated    bool
}

var exactDateField = regexp.MustCompile(`(?i)(?:^|\s)(from|to):(\S+)`)

// exactDates reads the from: and to: of a query as typed, apart from
// ParseQuery.
func exactDates(s string) exactSpan {
	sp := exactSpan{from: 0, to: 1 << 62}
	for _, m := range exactDateField.FindAllStringSubmatch(s, -1) {
		if sessions.ValidPartialDate(m[2]) != nil {
			continue
		}
		sp.dated = true
		if strings.EqualFold(m[1], "from") {
			sp.from = exactDateNum(m[2], false)
		} else {
			sp.to = exactDateNum(m[2], true)
		}
	}
	return sp
}

// scan lists the rows a query finds, in the archive's order.
func (a *exactArchive) scan(text string, q Query) []*exactRow {
	if !q.Refused.IsZero() || q.Empty() {
		return nil
	}
	span := exactDates(text)
	var out []*exactRow
	for _, r := range a.rows {
		if q.Kind != "" && r.kind != q.Kind {
			continue
		}
		if q.Session != "" && r.session != q.Session {
			continue
		}
		if q.Lang != "" && strings.ToLower(r.lang) != q.Lang {
			continue
		}
		if q.Speaker != "" {
			x := exactFold(q.Speaker)
			if r.speaker == "" || !strings.Contains(exactFold(a.speakers[r.speaker]), x) && exactFold(r.speaker) != x {
				continue
			}
		}
		if span.dated && (r.num < 0 || r.num < span.from || r.num > span.to) {
			continue
		}
		if q.Party != "" && !a.partyIs(r, q.Party) || q.Role != "" && exactFold(r.role) != exactFold(q.Role) ||
			q.Gender != "" && r.gender != q.Gender || q.Side != "" && r.side != q.Side {
			continue
		}
		ok := true
		for _, g := range q.All {
			if !slices.ContainsFunc(g, r.has) {
				ok = false
				break
			}
		}
		if !ok || slices.ContainsFunc(q.Exclude, r.has) {
			continue
		}
		out = append(out, r)
	}
	return out
}

// partyIs reports whether party: names the row's party: its short or its
// full name in any case; and where no party of the archive is so called,
// a part of its full name.
func (a *exactArchive) partyIs(r *exactRow, want string) bool {
	w := exactFold(want)
	named := func(r *exactRow) bool {
		return r.party != "" && exactFold(r.party) == w || r.partyName != "" && exactFold(r.partyName) == w
	}
	if !slices.ContainsFunc(a.rows, named) {
		return r.partyName != "" && strings.Contains(exactFold(r.partyName), w)
	}
	return named(r)
}

// exactFacets counts rows as the facets do, by "field=value", with the
// number of documents under "documents".
func exactFacets(rows []*exactRow) (map[string]int, int) {
	m := map[string]int{}
	docs := map[string]bool{}
	for _, r := range rows {
		m["kind="+r.kind]++
		year := ""
		if r.date != "" {
			year = r.date[:4]
		}
		m["year="+year]++
		m["language="+r.lang]++
		if r.session != "" {
			m["session="+r.session]++
		}
		if r.speaker != "" {
			m["speaker="+r.speaker]++
		}
		if r.party != "" {
			m["party="+r.party]++
		}
		if r.role != "" {
			m["role="+r.role]++
		}
		if r.doc != "" {
			docs[r.doc] = true
		}
	}
	return m, len(docs)
}

// exactSessions makes the archive of the test: synthetic sessions and a
// few made by hand so that every kind and field occurs.
func exactSessions(t *testing.T) []*sessions.Session {
	var list []*sessions.Session
	err := sessions.Generate(sessions.GenOptions{Paragraphs: 3000, Sessions: 40, Seed: 20240615}, func(s *sessions.Session) error {
		list = append(list, s)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	hand1 := &sessions.Session{ID: "hand-1", Body: "Test", Number: 1, Date: "2026-02-15", Language: "kk",
		Place: "Қызылорда", Title: "Құрылтайдың КЕЗЕКТЕН тыс отырысы",
		Summary: "Депутаттар өңірлердегі café мәселесін талқылады.\n\nСессия жабылды.",
		Speeches: []sessions.Speech{
			// Listed out of order: the import sorts them by Order.
			{ID: "hand-1/b", SessionID: "hand-1", Order: 2, Speaker: sessions.Speaker{ID: "hand-ivan", Name: "Иван Ёлкин"},
				Paragraphs: sessions.SplitParagraphs("Новогодняя ёлка стояла в зале, и мой коллега, который пришёл, сказал: «Это café для депутатов».\n\nВторой абзац про Café Central и ЗАКОН О БЮДЖЕТЕ.")},
			{ID: "hand-1/a", SessionID: "hand-1", Order: 1, Title: "Өңірлік даму", Topic: "Ауыл шаруашылығы реформасы", Language: "kk",
				Speaker: sessions.Speaker{ID: "hand-aigerim", Name: "Әйгерім Ғалымжанқызы"},
				Paragraphs: sessions.SplitParagraphs("## Кіріспе бөлім\n\nҚАЗАҚСТАН өңірлері үшін жаңа бағдарлама ұсынылады.\n\n" +
					"Біз ауылдағы мұғалімдерге қолдау көрсетеміз.\n\n## Қорытынды\n\nСоңғы сөз: үкімет пен әкімдіктер бірлесіп жұмыс істейді.")},
			{ID: "hand-1/c", SessionID: "hand-1", Order: 3, Title: "Үнсіз сөз", Language: "kk"},
			{ID: "hand-1/d", SessionID: "hand-1", Order: 4, Topic: "Бюджет на 2026 год", Language: "ru",
				Speaker:    sessions.Speaker{ID: "hand-smith", Name: "Joan Smith"},
				Paragraphs: sessions.SplitParagraphs("The budget of the Kurultai for 2026 was read aloud.")},
			{ID: "hand-1/e", SessionID: "hand-1", Order: 5, Language: "en",
				Paragraphs: sessions.SplitParagraphs("Nobody in particular said VICE-PRESIDENT twice: vice president.")},
		},
		Proposals: []sessions.Proposal{
			{ID: "hand-1/p2", SessionID: "hand-1", Order: 2, Title: "Бюджет кафе", Text: ""},
			{ID: "hand-1/p1", SessionID: "hand-1", Order: 1, Title: "Реформа местного самоуправления", Category: "governance",
				Text: "# Преамбула\n\nПервый пункт: выборы акимов районов.\n\nВторой пункт: отчёт перед жителями.\n\n## Раздел два\n\nТретий пункт о бюджете.",
				Timeline: []sessions.Event{
					{Date: "2025-11-03", Status: "proposed", Note: "Внесено группой депутатов", Source: "kurultai.kz"},
					{Date: "2026", Status: "under discussion", Note: "Обсуждение в течение года", Source: "press"},
					{Date: "2026-01", Status: "draft law submitted", Note: "Draft law sent to the Mäjilis", Source: "gov.kz"},
					{Date: "2026-02", Status: "adopted", Note: "Adopted with amendments", Source: "Әділет"},
					{Date: "2026-02-20", Status: "implemented", Note: "Implementation began in Şymkent", Source: "Adilet"},
				}},
		},
	}
	hand2 := &sessions.Session{ID: "hand-2", Body: "Test", Number: 2, Date: "2026-03-01", Language: "ru",
		Place: "Astana", Title: "Заседание о café и CAFÉ",
		Speeches: []sessions.Speech{
			{ID: "hand-2/a", SessionID: "hand-2", Order: 1, Title: "Second reading", Language: "en",
				Speaker:    sessions.Speaker{ID: "hand-smith", Name: "Joan Smith"},
				Paragraphs: sessions.SplitParagraphs("A second reading of the budget, which the CAFE owners welcomed.")},
		},
		Proposals: []sessions.Proposal{
			{ID: "hand-2/p1", SessionID: "hand-2", Order: 1, Title: "Шағын кәсіп", Text: "Бір абзац ғана.",
				Timeline: []sessions.Event{{Date: "2027", Status: "proposed", Note: "Келесі жылға"}}},
		},
	}
	return append(list, hand1, hand2)
}

// exactCase is a query of the table.
type exactCase struct {
	q    string
	zero bool // the query must find nothing: a check of the scan itself
	// min is the fewest results the scan must find, so that the case
	// tests what it is meant to.
	min int
}

func TestSearchExact(t *testing.T) {
	began := time.Now()
	ctx := context.Background()
	d := MustOpen(t)
	list := exactSessions(t)
	im, err := d.BeginImport(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range list {
		// Write normalises s in place: the scan reads what was written.
		if _, err := im.Write(s, "exact", ""); err != nil {
			im.Rollback()
			t.Fatal(err)
		}
	}
	if err := im.Commit(); err != nil {
		t.Fatal(err)
	}
	a := exactRows(list)
	t.Logf("archive: %d sessions, %d rows, %d speakers; built in %v", len(list), len(a.rows), len(a.speakers), time.Since(began).Round(time.Millisecond))

	cases, common := exactTable(t, a)
	// The queries run side by side: the archive is only read.
	t.Run("queries", func(t *testing.T) {
		for i, c := range cases {
			t.Run(fmt.Sprintf("%03d %s", i, c.q), func(t *testing.T) {
				t.Parallel()
				exactCheck(t, d, a, c)
			})
		}
	})
	// A facet's query narrows the results to the facet's count.
	t.Run("facet queries", func(t *testing.T) {
		for _, base := range []string{"kind:timeline", common, "speaker:smith"} {
			t.Run(base, func(t *testing.T) {
				t.Parallel()
				exactFacetQueries(t, d, a, base)
			})
		}
	})
	t.Logf("%d queries in %v", len(cases), time.Since(began).Round(time.Millisecond))
}

// exactTable builds the queries from words picked by counting them.
// It gives the word in many rows too.
func exactTable(t *testing.T, a *exactArchive) ([]exactCase, string) {
	df := map[string]int{}        // rows that have the word
	inTitle := map[string]int{}   // rows that have it in the title column
	inHeading := map[string]int{} // speech paragraphs that have it as a heading
	bigrams := map[[2]string]int{}
	for _, r := range a.rows {
		seen := map[string]bool{}
		seen2 := map[[2]string]bool{}
		for _, c := range exactColumns {
			toks := r.cols[c]
			for i, w := range toks {
				if !seen[w] {
					seen[w] = true
					df[w]++
				}
				if i > 0 && c == "body" && r.kind == KindSpeech {
					p := [2]string{toks[i-1], w}
					if !seen2[p] {
						seen2[p] = true
						bigrams[p]++
					}
				}
			}
		}
		for _, w := range r.cols["title"] {
			inTitle[w]++
		}
		if r.kind == KindSpeech {
			for _, w := range r.cols["heading"] {
				inHeading[w]++
			}
		}
	}
	words := slices.Collect(maps.Keys(df))
	sort.Slice(words, func(i, j int) bool {
		if df[words[i]] != df[words[j]] {
			return df[words[i]] < df[words[j]]
		}
		return words[i] < words[j]
	})
	pick := func(what string, ok func(w string, n int) bool) string {
		for _, w := range words {
			if ok(w, df[w]) {
				return w
			}
		}
		t.Fatalf("no word is %s", what)
		return ""
	}
	latin := func(w string) bool {
		for _, r := range w {
			if r < 'a' || r > 'z' {
				return false
			}
		}
		return len(w) >= 4
	}
	cyrillic := func(w string) bool {
		for _, r := range w {
			if !unicode.Is(unicode.Cyrillic, r) {
				return false
			}
		}
		return len([]rune(w)) >= 4
	}
	kazakh := func(w string) bool { return strings.ContainsAny(w, "қәөүұіңғ") }
	// й and ё fold to и and е as marks come off; kept out of the picks,
	// which test other things.
	plainCyr := func(w string) bool { return cyrillic(w) && !strings.ContainsAny(w, "йёиеқәөүұіңғһ") }

	rare := pick("rare", func(w string, n int) bool { return n == 1 && latin(w) })
	rare2 := pick("rare (3)", func(w string, n int) bool { return n == 3 && latin(w) })
	mid := pick("of mid frequency", func(w string, n int) bool { return n >= 40 && latin(w) })
	// A word in many rows, though not in most: every result is paged
	// through, by relevance too, which costs time in the square of
	// their number.
	common := ""
	for _, w := range words {
		if df[w] <= len(a.rows)/4 && latin(w) {
			common = w
		}
	}
	kk := pick("Kazakh", func(w string, n int) bool {
		return n >= 20 && cyrillic(w) && kazakh(w) && !strings.ContainsRune(w, 'й')
	})
	ru := pick("Russian", func(w string, n int) bool { return n >= 20 && plainCyr(w) })
	title := pick("in titles", func(w string, n int) bool {
		return latin(w) && inTitle[w] >= 3 && n >= 2*inTitle[w] && n <= 400
	})
	heading := pick("in headings", func(w string, n int) bool { return latin(w) && inHeading[w] >= 1 && n <= 30 })
	var phrase [2]string
	{
		var ps [][2]string
		for p, n := range bigrams {
			if n >= 3 && n <= 30 && df[p[0]] >= 50 && df[p[1]] >= 50 && p[0] != p[1] {
				ps = append(ps, p)
			}
		}
		if len(ps) == 0 {
			t.Fatal("no phrase to search for")
		}
		slices.SortFunc(ps, func(x, y [2]string) int { return strings.Compare(x[0]+" "+x[1], y[0]+" "+y[1]) })
		phrase = ps[0]
	}
	// The speaker who speaks most, a generated session with proposals, and
	// a generated timeline event dated to a short month.
	spoke := map[string]int{}
	for _, r := range a.rows {
		if r.kind == KindSpeech && strings.HasPrefix(r.speaker, "gen-") {
			spoke[r.speaker]++
		}
	}
	speaker := ""
	for id, n := range spoke {
		if speaker == "" || n > spoke[speaker] || n == spoke[speaker] && id < speaker {
			speaker = id
		}
	}
	session, short := "", ""
	var shorts []string
	for _, s := range a.sessions {
		if strings.HasPrefix(s.ID, "gen-") && len(s.Proposals) > 0 && session == "" {
			session = s.ID
		}
		for _, p := range s.Proposals {
			for _, e := range p.Timeline {
				if strings.HasPrefix(s.ID, "gen-") && len(e.Date) == 7 && strings.Contains("-02-04-06-09-11", e.Date[4:]) {
					shorts = append(shorts, e.Date)
				}
			}
		}
	}
	if len(shorts) > 0 {
		short = shorts[len(shorts)/2] // halfway: from: and to: each find some
	}
	if session == "" || short == "" {
		t.Fatal("the synthetic sessions have no proposals dated to a short month")
	}
	smiths := map[string]bool{}
	for id, name := range a.speakers {
		if strings.Contains(strings.ToLower(name), "smith") {
			smiths[id] = true
		}
	}
	if len(smiths) < 3 {
		t.Fatalf("speaker:smith should match several speakers; it matches %d", len(smiths))
	}
	year := short[:4]
	upper := strings.ToUpper(mid)
	pre := string([]rune(mid)[:3])
	kkPre := string([]rune(kk)[:3])

	return []exactCase{
		// Words.
		{q: rare, min: 1},
		{q: rare2, min: 3},
		{q: mid, min: 40},
		{q: common, min: 500},
		{q: strings.ToUpper(common[:1]) + common[1:], min: 500},
		{q: upper, min: 40},
		{q: kk, min: 20},
		{q: strings.ToUpper(kk), min: 20},
		{q: ru, min: 20},
		{q: "ҚАЗАҚСТАН", min: 2},
		{q: "өңірлері", min: 1},
		{q: "cafe", min: 4},
		{q: "CAFÉ", min: 4},
		{q: "Café Central", min: 1},
		{q: "бюджете", min: 1},
		{q: "ёлка", min: 1},
		{q: "мой", min: 1},
		// ё is е, as most Russian is printed; й is a letter of its own
		// (unicode61 takes marks off Latin letters only, kurultai off
		// Greek ones and ё): without its mark the word is another.
		{q: "елка", min: 1},
		{q: "мои", zero: true},
		{q: "name:елкин", min: 1},
		{q: "name:ёлкин", min: 1},
		{q: "Который", min: 1},
		{q: "majilis symkent", zero: true},
		{q: "mäjilis OR şymkent", min: 2},
		{q: "adilet", min: 1},
		{q: rare + " " + mid},
		{q: mid + " " + rare},
		{q: "qqqzzzx"},
		// Phrases and prefixes.
		{q: `"` + phrase[0] + " " + phrase[1] + `"`, min: 3},
		{q: `"` + phrase[1] + " " + phrase[0] + `"`},
		{q: `"vice president"`, min: 1},
		{q: "vice-president", min: 1},
		{q: "vice-pres*", min: 1},
		{q: `"under discussion"`, min: 1},
		{q: `"draft law"`, min: 1},
		{q: pre + "*", min: 40},
		{q: kkPre + "*", min: 20},
		{q: "ҚАЗ*", min: 2},
		// Exclusions and OR.
		{q: common + " -" + mid, min: 100},
		{q: "-" + mid + " " + common, min: 100},
		{q: common + " -" + pre + "*"},
		{q: rare + " OR " + mid, min: 41},
		{q: rare + " OR " + rare2 + " OR " + kk, min: 24},
		{q: rare + " OR " + mid + " " + common},
		{q: common + " " + rare + " OR " + mid},
		{q: rare + " -" + rare, zero: true},
		// Fields that hold words.
		{q: "name:smith", min: 3},
		{q: "name:" + kk},
		{q: "title:" + title, min: 3},
		{q: title + " -title:" + title, min: 1},
		{q: "place:astana", min: 1},
		{q: "place:кызылорда"},
		{q: "place:қызылорда", min: 1},
		{q: "synthetic", min: 40},
		{q: heading, min: 1},
		{q: "governance OR economy", min: 2},
		{q: "реформасы", min: 1},
		// Each filter alone: the filter-only queries.
		{q: "kind:speech", min: 3000},
		{q: "kind:proposal", min: 10},
		{q: "kind:session", min: 42},
		{q: "kind:title", min: 100},
		{q: "kind:titles", min: 100},
		{q: "kind:speaker", min: 50},
		{q: "kind:timeline", min: 20},
		{q: "lang:kk", min: 100},
		{q: "lang:RU kind:title", min: 50},
		{q: "lang:xx", zero: true},
		{q: "session:" + session, min: 5},
		{q: "session:hand-1", min: 15},
		{q: "session:no-such-session", zero: true},
		{q: "speaker:smith", min: 10},
		{q: "speaker:" + speaker, min: 10},
		{q: "speaker:Ёлкин", min: 3},
		{q: "speaker:елкин", min: 3},
		{q: "speaker:nobody-at-all", zero: true},
		// speakers on the day: party (short, full, part of the full
		// name; a speaker who changed party in 2015), role, gender, side
		{q: "party:AMN", min: 10},
		{q: "party:amanat referendum", min: 1},
		{q: "party:\"people's party\"", min: 10},
		{q: "party:zhol", min: 10},
		{q: "party:AZ from:2015", min: 10},
		{q: "party:nobody", zero: true},
		{q: "role:member kind:title", min: 10},
		{q: "gender:f parliament", min: 10},
		{q: "gender:male side:opposition", min: 10},
		{q: "side:coalition -the", min: 1},
		{q: "from:2020", min: 100},
		{q: "to:2000", min: 10},
		{q: "from:2010-06 to:2012-03", min: 10},
		{q: "from:" + short, min: 10},
		{q: "to:" + short, min: 10},
		{q: "from:" + short + " to:" + short, min: 1},
		{q: "from:" + year + " to:" + year, min: 1},
		{q: "from:2026", min: 10},
		{q: "from:2026-01 to:2026-01", min: 1},
		{q: "from:2026-02 to:2026-02", min: 10},
		{q: "from:2026-02-15 to:2026-02-15", min: 10},
		{q: "from:2026-02-20", min: 5},
		{q: "to:2025-11-03 from:2025-11-03", min: 1},
		{q: "from:2025-12 to:2026-01", min: 2},
		{q: "from:2027 to:2026", zero: true},
		// Filters combined, in both orders.
		{q: "speaker:smith lang:en from:2010", min: 1},
		{q: "from:2010 lang:en speaker:smith", min: 1},
		{q: "kind:title session:" + session, min: 2},
		{q: "session:" + session + " kind:title", min: 2},
		{q: "kind:timeline from:" + year + " to:" + year, min: 1},
		{q: "kind:speaker speaker:smith", min: 3},
		{q: "kind:session lang:ru from:2026", min: 1},
		{q: "kind:proposal speaker:smith", zero: true},
		{q: "speaker:" + speaker + " session:hand-1", zero: true},
		// Filters with words, in both orders.
		{q: common + " kind:proposal", min: 10},
		{q: "kind:proposal " + common, min: 10},
		{q: mid + " speaker:smith"},
		{q: "speaker:smith " + mid},
		{q: common + " lang:kk from:2015 to:2022", min: 10},
		{q: "to:2022 " + common + " from:2015 lang:kk", min: 10},
		{q: "adopted kind:timeline", min: 1},
		{q: "kind:title " + title, min: 1},
		{q: "budget kind:speech speaker:smith", min: 2},
		{q: "cafe session:hand-2", min: 2},
		{q: "synthetic from:" + short + " to:" + short, min: 1},
		{q: "name:smith kind:speech", zero: true},
		// Exclusions alone, or with filters only.
		{q: "-" + words[len(words)-1], min: 100}, // the most frequent word
		{q: "-" + common + " kind:speaker", min: 50},
		{q: "kind:timeline -synthetic", min: 6},
		{q: "-" + common + " -" + mid + " lang:en", min: 1},
	}, common
}

// exactCheck compares what the index says of a query with the scan.
func exactCheck(t *testing.T, d *DB, a *exactArchive, c exactCase) {
	ctx := context.Background()
	q := ParseQuery(c.q)
	want := a.scan(c.q, q)
	t.Logf("%s: %d results", c.q, len(want))
	if len(q.Notes) > 0 {
		t.Logf("%s: notes %q", c.q, q.Notes)
	}
	switch {
	case c.zero && len(want) != 0:
		t.Fatalf("%s: the scan finds %d rows, the case expects none (a mistake of the test)", c.q, len(want))
	case len(want) < c.min:
		t.Fatalf("%s: the scan finds %d rows, the case expects at least %d (a mistake of the test)", c.q, len(want), c.min)
	}
	wantKeys := make([]string, len(want))
	for i, r := range want {
		wantKeys[i] = r.key
	}

	// Count.
	n, err := d.Count(ctx, q)
	if err != nil {
		t.Fatalf("%s: Count: %v", c.q, err)
	}
	if n != len(want) {
		t.Errorf("%s: Count = %d, the scan finds %d", c.q, n, len(want))
	}

	// Every result, newest first and by relevance.
	keysOf := func(hits []Hit) []string {
		keys := make([]string, len(hits))
		for j, h := range hits {
			keys[j] = h.Key()
		}
		return keys
	}
	var lists [2][]string
	eachRanked := false
	for i, byDate := range []bool{true, false} {
		var hits []Hit
		res, err := d.Each(ctx, q, byDate, func(h Hit) error {
			hits = append(hits, h)
			return nil
		})
		if err != nil {
			t.Fatalf("%s: Each(byDate=%v): %v", c.q, byDate, err)
		}
		order := "date order"
		if !byDate {
			order, eachRanked = "relevance order", res.Ranked
			if q.HasWords() && len(want) > 0 && !res.Ranked {
				// Ranking may be given up when it would take long
				// (rankProbe), which a busy machine can make happen;
				// the Note must say so.
				if res.Note.IsZero() {
					t.Errorf("%s: %d results, not ranked, and no note says why", c.q, len(want))
				}
				t.Logf("%s: not ranked: %s", c.q, res.Note)
			}
		}
		lists[i] = keysOf(hits)
		exactSameSet(t, c.q+" ("+order+")", lists[i], wantKeys)
		if byDate || !res.Ranked {
			exactDateOrder(t, c.q+" ("+order+")", a, lists[i])
		}
		exactHits(t, c.q, a, hits)
	}
	if !eachRanked && !slices.Equal(lists[0], lists[1]) {
		t.Errorf("%s: not ranked, yet Each lists the results in another order by relevance than by date", c.q)
	}
	// Ranked whatever the time it takes (SearchOptions.Ranked), in one page.
	var ranked []string
	if q.HasWords() {
		res, err := d.Search(ctx, q, SearchOptions{Ranked: true, Limit: len(want) + 8})
		if err != nil {
			t.Fatalf("%s: Search(Ranked): %v", c.q, err)
		}
		ranked = keysOf(res.Hits)
		exactSameSet(t, c.q+" (ranked, one page)", ranked, wantKeys)
		if eachRanked && !slices.Equal(ranked, lists[1]) {
			t.Errorf("%s: Each by relevance and Search(Ranked) in one page list the results in other orders", c.q)
		}
	}

	// Facets.
	f, err := d.Facets(ctx, q)
	if err != nil {
		t.Fatalf("%s: Facets: %v", c.q, err)
	}
	wantF, wantDocs := exactFacets(want)
	gotF := map[string]int{}
	sums := map[string]int{}
	for _, v := range f.Values {
		k := v.Field + "=" + v.Value
		if _, dup := gotF[k]; dup {
			t.Errorf("%s: facet %s is listed twice", c.q, k)
		}
		gotF[k] += v.Count
		sums[v.Field] += v.Count
	}
	var diffs []string
	for _, k := range slices.Sorted(maps.Keys(exactUnion(gotF, wantF))) {
		if gotF[k] != wantF[k] {
			diffs = append(diffs, fmt.Sprintf("%s: index %d, scan %d", k, gotF[k], wantF[k]))
		}
	}
	if len(diffs) > 0 {
		t.Errorf("%s: %d facet values differ:\n\t%s", c.q, len(diffs), strings.Join(exactFew(diffs, 12), "\n\t"))
	}
	if f.Total != len(want) {
		t.Errorf("%s: Facets.Total = %d, the scan finds %d", c.q, f.Total, len(want))
	}
	for _, field := range []string{"kind", "year"} {
		if sums[field] != f.Total {
			t.Errorf("%s: the %s facet adds up to %d, Total is %d", c.q, field, sums[field], f.Total)
		}
	}
	if f.Documents != wantDocs {
		t.Errorf("%s: Facets.Documents = %d, the scan finds %d", c.q, f.Documents, wantDocs)
	}

	// Pages of 7 give the lists above in the same order: every page, and
	// one past the end. By relevance, the first page decides the order
	// and the later ones follow it (SearchOptions.Ranked). Without words,
	// relevance order is date order and runs as it does: only its first
	// pages and its last are read.
	page := func(opts SearchOptions) ([]string, *SearchResult) {
		opts.Limit = 7
		res, err := d.Search(ctx, q, opts)
		if err != nil {
			t.Fatalf("%s: Search(%+v): %v", c.q, opts, err)
		}
		if len(res.Hits) > 7 {
			t.Fatalf("%s: a page of 7 has %d hits", c.q, len(res.Hits))
		}
		return keysOf(res.Hits), res
	}
	pages := func(what string, list []string, opts SearchOptions, offsets []int) {
		var bad []string
		for _, off := range offsets {
			opts.Offset = off
			got, _ := page(opts)
			if want := list[min(off, len(list)):min(off+7, len(list))]; !slices.Equal(got, want) {
				bad = append(bad, fmt.Sprintf("offset %d: %v, Each %v", off, got, want))
			}
		}
		if len(bad) > 0 {
			t.Errorf("%s: %d of %d pages of 7 %s differ from the list of %d:\n\t%s",
				c.q, len(bad), len(offsets), what, len(list), strings.Join(exactFew(bad, 3), "\n\t"))
		}
	}
	every := func(list []string) []int {
		var offs []int
		for off := 0; off <= len(list); off += 7 {
			offs = append(offs, off)
		}
		return offs
	}
	pages("newest first", lists[0], SearchOptions{ByDate: true}, every(lists[0]))
	if !q.HasWords() {
		pages("by relevance (so by date)", lists[0], SearchOptions{}, slices.Compact([]int{0, 7, 14, len(lists[0]) / 7 * 7}))
		return
	}
	first, res := page(SearchOptions{})
	switch {
	case res.Ranked && !slices.Equal(first, ranked[:min(7, len(ranked))]):
		t.Errorf("%s: the first page by relevance is %v, ranked %v", c.q, first, exactFew(ranked, 7))
	case !res.Ranked && !slices.Equal(first, lists[0][:min(7, len(lists[0]))]):
		t.Errorf("%s: the first page by relevance, not ranked (%s), is %v, newest first %v", c.q, res.Note, first, exactFew(lists[0], 7))
	}
	pages("ranked", ranked, SearchOptions{Ranked: true}, every(ranked))
}

// exactFacetQueries adds the query of each facet value of base to base:
// the index must find as many results as the facet said, and as the scan.
func exactFacetQueries(t *testing.T, d *DB, a *exactArchive, base string) {
	ctx := context.Background()
	f, err := d.Facets(ctx, ParseQuery(base))
	if err != nil {
		t.Fatalf("%s: Facets: %v", base, err)
	}
	var bad []string
	tried := 0
	for _, v := range f.Values {
		if v.Query == "" {
			continue
		}
		tried++
		text := base + " " + v.Query
		q := ParseQuery(text)
		n, err := d.Count(ctx, q)
		if err != nil {
			t.Fatalf("%s: Count: %v", text, err)
		}
		scan := len(a.scan(text, q))
		if n != v.Count || scan != v.Count {
			bad = append(bad, fmt.Sprintf("%s: facet %s=%s counts %d; Count gives %d, the scan %d", text, v.Field, v.Value, v.Count, n, scan))
		}
	}
	if tried == 0 {
		t.Fatalf("%s: no facet value has a query", base)
	}
	if len(bad) > 0 {
		t.Errorf("%s: %d of %d facet queries do not find the facet's count:\n\t%s", base, len(bad), tried, strings.Join(exactFew(bad, 8), "\n\t"))
	}
}

// exactSameSet compares a result list with the scan's rows: none missing,
// none more, none twice.
func exactSameSet(t *testing.T, what string, got, want []string) {
	t.Helper()
	wantSet := map[string]bool{}
	for _, k := range want {
		wantSet[k] = true
	}
	seen := map[string]bool{}
	var dups, extra []string
	for _, k := range got {
		if seen[k] {
			dups = append(dups, k)
		}
		seen[k] = true
		if !wantSet[k] {
			extra = append(extra, k)
		}
	}
	var missing []string
	for _, k := range want {
		if !seen[k] {
			missing = append(missing, k)
		}
	}
	if len(dups)+len(extra)+len(missing) == 0 {
		return
	}
	t.Errorf("%s: %d results, the scan finds %d; %d missing %v, %d not in the scan %v, %d twice %v",
		what, len(got), len(want), len(missing), exactFew(missing, 5), len(extra), exactFew(extra, 5), len(dups), exactFew(dups, 5))
}

// exactDateOrder checks that results come newest first.
func exactDateOrder(t *testing.T, what string, a *exactArchive, keys []string) {
	t.Helper()
	for i := 1; i < len(keys); i++ {
		p, r := a.byKey[keys[i-1]], a.byKey[keys[i]]
		if p != nil && r != nil && r.num > p.num {
			t.Errorf("%s: result %d (%s, %s) comes after result %d (%s, %s), which is older", what, i+1, r.key, r.date, i, p.key, p.date)
			return
		}
	}
}

// exactHits checks what a hit says of its row against the scan's row.
func exactHits(t *testing.T, what string, a *exactArchive, hits []Hit) {
	t.Helper()
	var bad []string
	for _, h := range hits {
		r := a.byKey[h.Key()]
		if r == nil {
			continue // reported as not in the scan
		}
		got := fmt.Sprintf("kind %s, date %q, session %q, speaker %q, lang %q", h.Kind, h.Date, h.Session, h.SpeakerID, h.Language)
		want := fmt.Sprintf("kind %s, date %q, session %q, speaker %q, lang %q", r.kind, r.date, r.session, r.speaker, r.lang)
		if got != want {
			bad = append(bad, fmt.Sprintf("%s: %s; the scan: %s", r.key, got, want))
		}
	}
	if len(bad) > 0 {
		t.Errorf("%s: %d hits say other than the scan:\n\t%s", what, len(bad), strings.Join(exactFew(bad, 5), "\n\t"))
	}
}

func exactUnion(a, b map[string]int) map[string]int {
	m := maps.Clone(a)
	for k, v := range b {
		m[k] += v
	}
	return m
}

// exactFew cuts a list for a message.
func exactFew(l []string, n int) []string {
	if len(l) <= n {
		return l
	}
	return append(slices.Clone(l[:n]), fmt.Sprintf("… %d more", len(l)-n))
}
