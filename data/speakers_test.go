package data

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"reflect"
	"sort"
	"testing"

	"kurultai/sessions"
	"kurultai/sessions/msg"
)

// The speakers list agrees with a count made from the corpora as decoded,
// apart from the archive: speeches, words, first and last dates, and the
// parties spoken for, latest first.
func TestSpeakersList(t *testing.T) {
	dir := parlamint(t)
	roots := []string{filepath.Join(dir, "ParlaMint-GB", "ParlaMint-GB.xml"), filepath.Join(dir, "ParlaMint-ES-GA", "ParlaMint-ES-GA.xml")}
	ctx := context.Background()
	d := MustOpen(t)
	if _, err := d.ImportFiles(ctx, roots, ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	got, err := d.Speakers(ctx)
	if err != nil {
		t.Fatal(err)
	}

	want := map[string]*SpeakerRow{}
	lastFor := map[string]map[string]string{} // speaker -> party -> last date
	for _, root := range roots {
		err := sessions.DecodeTEIFile(root, sessions.CorpusOptions{}, func(s *sessions.Session) error {
			for _, sp := range s.Speeches {
				id := sp.Speaker.ID
				if id == "" {
					continue
				}
				r := want[id]
				if r == nil {
					r = &SpeakerRow{ID: id, Name: sp.Speaker.Name, Gender: sp.Speaker.Gender, First: s.Date, Last: s.Date}
					want[id] = r
					lastFor[id] = map[string]string{}
				}
				r.Speeches++
				for _, p := range sp.Paragraphs {
					r.Words += sessions.WordCount(p.Text)
				}
				r.First, r.Last = min(r.First, s.Date), max(r.Last, s.Date)
				if p := sp.Speaker.Party; p != "" && s.Date > lastFor[id][p] {
					lastFor[id][p] = s.Date
				}
			}
			return nil
		}, func(msg.Text) {})
		if err != nil {
			t.Fatal(err)
		}
	}
	for id, parties := range lastFor {
		var list []string
		for p := range parties {
			list = append(list, p)
		}
		sort.Slice(list, func(i, j int) bool {
			if parties[list[i]] != parties[list[j]] {
				return parties[list[i]] > parties[list[j]]
			}
			return list[i] < list[j]
		})
		if len(list) > 0 {
			want[id].Party, want[id].Before = list[0], list[1:]
			if len(want[id].Before) == 0 {
				want[id].Before = nil
			}
		}
	}
	if len(got) != len(want) {
		t.Fatalf("%d speakers listed, the corpora have %d", len(got), len(want))
	}
	for _, r := range got {
		if w := want[r.ID]; w == nil || !reflect.DeepEqual(r, *w) {
			t.Errorf("%s:\n%+v\nwant\n%+v", r.ID, r, w)
		}
	}
	if !SortSpeakers(got, "speeches") || got[0].Speeches < got[len(got)-1].Speeches {
		t.Errorf("sorted by speeches: first %d, last %d", got[0].Speeches, got[len(got)-1].Speeches)
	}
	if SortSpeakers(got, "height") {
		t.Error("an unknown order was taken")
	}
}

// A speaker who changed party is listed under the party of their last
// speech, with the one before: the generator moves every seventh speaker
// to the next party in 2015.
func TestSpeakersChangedParty(t *testing.T) {
	ctx := context.Background()
	d := MustOpen(t)
	if err := d.Replace(ctx, "", genSessions(t, 1, 6000, 60, "gen-")); err != nil {
		t.Fatal(err)
	}
	rows, err := d.Speakers(ctx)
	if err != nil {
		t.Fatal(err)
	}
	moved := 0
	parties := []string{"AMN", "AZ", "HP", "AUL", "RSP"}
	for _, r := range rows {
		var who int
		if _, err := fmt.Sscanf(r.ID, "gen-speaker-%d", &who); err != nil || who%7 != 0 || r.First >= "2015" || r.Last < "2015" {
			continue
		}
		before, now := who%5, (who%5+1)%5
		if r.Party != parties[now] || !reflect.DeepEqual(r.Before, []string{parties[before]}) {
			t.Errorf("%s: party %s, before %q; want %s, before %s", r.ID, r.Party, r.Before, parties[now], parties[before])
		}
		moved++
	}
	if moved == 0 {
		t.Error("no speaker who moved party in 2015 spoke before and after it: the test tells nothing")
	}
}

// The counts follow each import: a speaker whose speeches are gone leaves
// the list, and the others are counted again.
func TestSpeakersAfterChange(t *testing.T) {
	ctx := context.Background()
	d := MustOpen(t)
	speech := func(session, id, who, party, text string) sessions.Speech {
		return sessions.Speech{ID: session + "/" + id, SessionID: session, Order: 1, Speaker: sessions.Speaker{ID: who, Name: who, Party: party},
			Paragraphs: sessions.SplitParagraphs(text)}
	}
	a := sessions.Session{ID: "a", Body: "B", Date: "2020-01-01", Title: "A", Language: "en",
		Speeches: []sessions.Speech{speech("a", "1", "x", "P1", "one two three"), speech("a", "2", "y", "P1", "four five")}}
	b := sessions.Session{ID: "b", Body: "B", Date: "2021-01-01", Title: "B", Language: "en",
		Speeches: []sessions.Speech{speech("b", "1", "y", "P2", "six")}}
	b.Speeches[0].Order = 1
	a.Speeches[1].Order = 2
	write := func(list ...sessions.Session) {
		im, err := d.BeginImport(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range list {
			if _, err := im.Write(&s, "", "test"); err != nil {
				t.Fatal(err)
			}
		}
		if err := im.Commit(); err != nil {
			t.Fatal(err)
		}
	}
	list := func() string {
		rows, err := d.Speakers(ctx)
		if err != nil {
			t.Fatal(err)
		}
		out := ""
		for _, r := range rows {
			out += fmt.Sprintf("%s %d %d %s-%s %s %v; ", r.ID, r.Speeches, r.Words, r.First, r.Last, r.Party, r.Before)
		}
		return out
	}
	write(a, b)
	if got, want := list(), "x 1 3 2020-01-01-2020-01-01 P1 []; y 2 3 2020-01-01-2021-01-01 P2 [P1]; "; got != want {
		t.Errorf("after the first import:\n%s\nwant\n%s", got, want)
	}
	a.Speeches = a.Speeches[1:]
	a.Speeches[0].Order = 1
	write(a)
	if got, want := list(), "y 2 3 2020-01-01-2021-01-01 P2 [P1]; "; got != want {
		t.Errorf("after x's speech went:\n%s\nwant\n%s", got, want)
	}
}

// BenchmarkSpeakers lists 10,000 speakers of 1,000 sessions of 50
// speeches each, as the speakers list and screen read them.
func BenchmarkSpeakers(b *testing.B) {
	ctx := context.Background()
	d := MustOpen(b)
	var list []sessions.Session
	for i := range 1000 {
		id := fmt.Sprintf("s%04d", i)
		s := sessions.Session{ID: id, Body: "B", Date: fmt.Sprintf("%d-01-01", 2000+i%25), Title: id, Language: "en"}
		for j := range 50 {
			who := fmt.Sprintf("p%05d", (i*50+j)%10000)
			s.Speeches = append(s.Speeches, sessions.Speech{ID: fmt.Sprintf("%s/%d", id, j), SessionID: id, Order: j + 1,
				Speaker:    sessions.Speaker{ID: who, Name: "Person " + who, Party: fmt.Sprintf("P%d", (i+j)%7)},
				Paragraphs: sessions.SplitParagraphs("A few words of a speech.")})
		}
		list = append(list, s)
	}
	if err := d.Replace(ctx, "", list); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		rows, err := d.Speakers(ctx)
		if err != nil || len(rows) != 10000 {
			b.Fatalf("%d speakers, %v", len(rows), err)
		}
	}
}

// BenchmarkSpeakerPage reads one person's page among 10,000 speakers,
// each with a record of a list of persons and five speeches.
func BenchmarkSpeakerPage(b *testing.B) {
	ctx := context.Background()
	d := MustOpen(b)
	person := func(who string) *sessions.PersonInfo {
		p := &sessions.PersonInfo{Names: []sessions.NameSpan{{Name: "Person " + who}}, Sex: "F", Birth: "1970",
			Links: []sessions.PersonLink{{Type: "URI", URL: "https://example.org/" + who}}}
		for k := range 6 {
			p.Affiliations = append(p.Affiliations, sessions.AffiliationInfo{Org: fmt.Sprintf("party.P%d", k), OrgAbbr: fmt.Sprintf("P%d", k),
				OrgName: fmt.Sprintf("Party %d", k), OrgKind: "politicalParty", Role: "member", From: fmt.Sprintf("%d-01-01", 2000+k*4)})
		}
		return p
	}
	var list []sessions.Session
	for i := range 1000 {
		id := fmt.Sprintf("s%04d", i)
		s := sessions.Session{ID: id, Body: "B", Date: fmt.Sprintf("%d-01-01", 2000+i%25), Title: id, Language: "en"}
		for j := range 50 {
			who := fmt.Sprintf("p%05d", (i*50+j)%10000)
			s.Speeches = append(s.Speeches, sessions.Speech{ID: fmt.Sprintf("%s/%d", id, j), SessionID: id, Order: j + 1,
				Speaker:    sessions.Speaker{ID: who, Name: "Person " + who, Party: fmt.Sprintf("P%d", (i+j)%7), Person: person(who)},
				Paragraphs: sessions.SplitParagraphs("A few words of a speech.")})
		}
		list = append(list, s)
	}
	if err := d.Replace(ctx, "", list); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		det, err := d.Speaker(ctx, "p04321")
		if err != nil || len(det.List) != 5 || det.Person == nil || len(det.Person.Affiliations) != 6 {
			b.Fatalf("%+v, %v", det, err)
		}
	}
}

// A speaker's page lists every speech of theirs, newest first, each with
// the party of its day.
func TestSpeakerDetail(t *testing.T) {
	ctx := context.Background()
	d := MustOpen(t)
	if err := d.Replace(ctx, "", genSessions(t, 1, 6000, 60, "gen-")); err != nil {
		t.Fatal(err)
	}
	rows, err := d.Speakers(ctx)
	if err != nil || len(rows) == 0 {
		t.Fatal(err)
	}
	r := rows[0]
	det, err := d.Speaker(ctx, r.ID)
	if err != nil {
		t.Fatal(err)
	}
	words := 0
	for i, sp := range det.List {
		words += sp.Words
		if i > 0 && sp.Date > det.List[i-1].Date {
			t.Errorf("speech %d (%s) is newer than the one before it (%s)", i, sp.Date, det.List[i-1].Date)
		}
		if sp.Party == "" {
			t.Errorf("%s has no party of its day", sp.ID)
		}
	}
	if len(det.List) != r.Speeches || words != r.Words || det.List[0].Date != r.Last {
		t.Errorf("%d speeches of %d words, last %s; the list says %d, %d, %s", len(det.List), words, det.List[0].Date, r.Speeches, r.Words, r.Last)
	}
	if _, err := d.Speaker(ctx, "nobody"); !errors.Is(err, ErrNoSpeaker) {
		t.Errorf("a speaker not there: %v", err)
	}
}
