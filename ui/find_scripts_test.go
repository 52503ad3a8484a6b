package ui

import (
	"fmt"
	"strings"
	"testing"

	"kurultai/data"
	"kurultai/sessions"
)

// The reader's find folds as the search does: Greek without accents, ё
// as е, Latin accents; and in a Kazakh document it finds a word typed in
// another script or alphabet.
func TestReaderFindScripts(t *testing.T) {
	text := func(i int) string {
		switch i {
		case 3:
			return "Ұлттық құрылтай отырысы Шымкентте өтті."
		case 7:
			return "Ευχαριστώ πολύ. ΣΥΝΕΔΡΙΑΣΗ."
		case 9:
			return "Всё решено в кафе «Café»."
		case 12:
			return "Qurultai and Shymkent, in Latin."
		}
		return fmt.Sprintf("Filler paragraph %d.", i)
	}
	find := func(d *driver, typed string) []int {
		d.press("/")
		for _, r := range typed {
			d.press(string(r))
		}
		d.press("enter")
		v := d.reader()
		var paras []int
		for _, m := range v.matches {
			paras = append(paras, v.blocks[v.owner[m.line]].para)
		}
		d.press("esc")
		return paras
	}
	kk := paragraphsSession(15, text)
	d := openReader(t, archiveWith(t, kk), 70, 30)
	for _, c := range []struct {
		typed string
		want  []int
	}{
		{"qurultai", []int{3, 12}},
		{"qurult", []int{3, 12}},
		{"құрылтай", []int{3, 12}},
		{"Şymkent", []int{3, 12}},
		{"shymkent", []int{3, 12}},
		{"ευχαριστω", []int{7}},
		{"συνεδριαση", []int{7}},
		{"все", []int{9}},
		{"cafe", []int{9}},
		{"казак", nil},
	} {
		if got := find(d, c.typed); fmt.Sprint(got) != fmt.Sprint(c.want) {
			t.Errorf("find %q in Kazakh: paragraphs %v, want %v", c.typed, got, c.want)
		}
	}

	// In a document in another language, the Kazakh key is not used.
	ru := paragraphsSession(15, text)
	ru.Speeches[0].Language = "ru"
	d = openReader(t, archiveWith(t, ru), 70, 30)
	if got := find(d, "qurultai"); fmt.Sprint(got) != "[12]" {
		t.Errorf("find qurultai in Russian: paragraphs %v, want [12]", got)
	}

	// A search's words are highlighted as the search matched them.
	d = openReader(t, archiveWith(t, kk), 70, 30)
	v := d.reader()
	v.Highlight(data.ParseQuery("qurultai =café").Words(), 0)
	var paras []int
	for _, m := range v.matches {
		paras = append(paras, v.blocks[v.owner[m.line]].para)
	}
	if fmt.Sprint(paras) != "[3 9 12]" {
		t.Errorf("highlight of qurultai =café: paragraphs %v, want [3 9 12]", paras)
	}
}

// The reader's header shows the speaker's party on the day and its side.
func TestReaderHeaderParty(t *testing.T) {
	s := paragraphsSession(3, func(i int) string { return fmt.Sprintf("Paragraph %d.", i) })
	s.Speeches[0].Speaker.Role = "chair"
	s.Speeches[0].Speaker.Party, s.Speeches[0].Speaker.PartyName, s.Speeches[0].Speaker.Side = "LAB", "Labour", "opposition"
	d := openReader(t, archiveWith(t, s), 100, 20)
	d.expect("Speaker, chair · LAB (Labour), opposition")
}

// S lists the speakers: filtered with /, ordered with o, and enter lists
// a speaker's speeches newest first.
func TestSpeakersScreen(t *testing.T) {
	s := paragraphsSession(3, func(i int) string { return fmt.Sprintf("Paragraph %d.", i) })
	s.Speeches[0].Speaker = sessions.Speaker{ID: "ann", Name: "Ann Able", Party: "PX"}
	two := paragraphsSession(1, func(int) string { return "Words of Bob, many words here." })
	two.ID, two.Date = "t-2", "2025-02-02"
	two.Speeches[0].ID, two.Speeches[0].SessionID = "t-2/s", "t-2"
	two.Speeches[0].Speaker = sessions.Speaker{ID: "bob", Name: "Bob Best", Party: "PY"}
	d := newDriver(t, archiveWith(t, s, two), 120, 20)
	d.press("S")
	d.expect("Ann Able")
	d.expect("Bob Best")
	d.expect("2 speakers · by name")
	d.press("o")
	d.expect("by speeches")
	d.press("/", "b", "e", "s", "t", "enter")
	d.expect("1 speaker of 2")
	d.expect("1 speech ")
	if strings.Contains(d.m.render(), "Ann Able") {
		t.Error("the filter best still shows Ann Able")
	}
	// enter opens the person: who they are, and their speeches; enter
	// on a speech opens it.
	d.press("enter")
	d.expect("Bob Best (bob)")
	d.expect("Speeches, newest first (1)")
	d.press("enter")
	d.expect("Words of Bob")
}

// A person's page shows what the list of persons gave: names over time,
// affiliations as a timeline, links; enter on a party of the timeline
// searches the speeches they made for it.
func TestPersonPage(t *testing.T) {
	s := paragraphsSession(2, func(i int) string { return fmt.Sprintf("Budget paragraph %d.", i) })
	s.Speeches[0].Speaker = sessions.Speaker{ID: "ann", Name: "Ann Able-Best", Party: "PY", Person: &sessions.PersonInfo{
		Names: []sessions.NameSpan{{Name: "Ann Able", To: "2019-12-31"}, {Name: "Ann Able-Best", From: "2020-01-01"}},
		Sex:   "F", Birth: "1970",
		Links: []sessions.PersonLink{{Type: "URI", Subtype: "parliament", URL: "https://example.org/ann"}},
		Affiliations: []sessions.AffiliationInfo{
			{Org: "party.PX", OrgAbbr: "PX", OrgName: "Party X", OrgKind: "politicalParty", Role: "member", From: "2010-01-01", To: "2019-12-31"},
			{Org: "party.PY", OrgAbbr: "PY", OrgName: "Party Y", OrgKind: "politicalParty", Role: "member", From: "2020-01-01", Orientation: "CL"},
		},
	}}
	d := newDriver(t, archiveWith(t, s), 120, 30)
	d.press("S")
	d.expect("Ann Able-Best")
	d.press("enter")
	for _, want := range []string{"born 1970", "Names", "– 2019-12-31", "Ann Able", "Affiliations",
		"2010-01-01 – 2019-12-31", "member · PX (Party X)", "member · PY (Party Y) · centre-left",
		"Links", "parliament: https://example.org/ann", "Speeches, newest first (1)"} {
		d.expect(want)
	}
	// The cursor starts on the first party; the status says what enter does.
	d.expect("enter: their speeches for PX")
	d.press("down")
	d.expect("enter: their speeches for PY")
	d.press("enter")
	d.expect("speaker:ann party:PY")
	d.expect("Budget paragraph")
}

// A paragraph in another language than its speech says so in the reader.
func TestReaderParagraphLanguage(t *testing.T) {
	s := paragraphsSession(3, func(i int) string { return fmt.Sprintf("Paragraph number %d.", i) })
	s.Speeches[0].Paragraphs[1].Language = "fr"
	d := newDriver(t, archiveWith(t, s), 100, 30)
	d.send(openDocMsg{id: s.Speeches[0].ID})
	d.expect("(fr) Paragraph number 2.")
	if strings.Count(d.screen(), "(fr)") != 1 {
		t.Errorf("only the French paragraph should say so:\n%s", d.screen())
	}
}
