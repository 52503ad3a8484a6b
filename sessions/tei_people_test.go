package sessions

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"kurultai/sessions/msg"
)

// The whole list of persons of ParlaMint-ES-GA is read: every person, with
// names, sex, birth, links and dated affiliations.
func TestReadPeopleESGA(t *testing.T) {
	dir := filepath.Join(parlamintDir(t), "ParlaMint-ES-GA")
	list := filepath.Join(dir, "ParlaMint-ES-GA-listPerson.xml")
	raw, err := os.ReadFile(list)
	if err != nil {
		t.Fatal(err)
	}
	people := map[string]*PersonRecord{}
	if err := readPeople(list, people); err != nil {
		t.Fatal(err)
	}
	if want := strings.Count(string(raw), "<person "); len(people) != want {
		t.Errorf("%d persons read, the file has %d", len(people), want)
	}
	if want := strings.Count(string(raw), "<affiliation "); countAffiliations(people) != want {
		t.Errorf("%d affiliations read, the file has %d", countAffiliations(people), want)
	}
	got := people["DíazYolanda"]
	want := &PersonRecord{ID: "DíazYolanda",
		Names: []DatedName{{PersonName: PersonName{Family: "Díaz Pérez", Given: "Yolanda"}, Full: "Yolanda Díaz Pérez"}},
		Sex:   "F", Birth: "1971-05-06", BirthPlace: "Fene",
		Links: []PersonLink{
			{Type: "URI", Subtype: "wikimedia", Lang: "gl", URL: "https://gl.wikipedia.org/wiki/Yolanda_D%C3%ADaz"},
			{Type: "URI", Subtype: "wikimedia", Lang: "en", URL: "https://en.wikipedia.org/wiki/Yolanda_D%C3%ADaz"}},
		Affiliations: []Affiliation{
			{Org: "PG", Role: "member", From: "2012-11-16", To: "2016-01-07", Ana: "#PG.9"},
			{Org: "party.AGE", Role: "member", From: "2012-11-13", To: "2016-01-04", Ana: "#PG.9"}}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("DíazYolanda:\n%+v\nwant\n%+v", got, want)
	}
}

func countAffiliations(people map[string]*PersonRecord) int {
	n := 0
	for _, p := range people {
		n += len(p.Affiliations)
	}
	return n
}

// A speaker is named as on the day of the sitting: ParlaMint-EE's Marika
// Tuus is Tuus-Laul from 2011-09-12.
func TestNamesOverTime(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("ParlaMint-EE-listPerson.xml", `<listPerson xmlns="http://www.tei-c.org/ns/1.0">
	 <person xml:id="m_tuus_laul_19510512">
	  <persName to="2011-09-11"><surname>Tuus</surname><forename>Marika</forename></persName>
	  <persName from="2011-09-12"><surname>Tuus-Laul</surname><forename>Marika</forename></persName>
	  <sex value="F"/>
	 </person>
	 <person xml:id="vanDijk"><persName><forename>Jan</forename><nameLink>van</nameLink><surname>Dijk</surname></persName></person>
	</listPerson>`)
	write("ParlaMint-EE.xml", `<teiCorpus xmlns="http://www.tei-c.org/ns/1.0" xmlns:xi="http://www.w3.org/2001/XInclude" xml:id="ParlaMint-EE">
	 <teiHeader><profileDesc><particDesc><xi:include href="ParlaMint-EE-listPerson.xml"/></particDesc></profileDesc></teiHeader>
	 <xi:include href="ParlaMint-EE_2010-03-01.xml"/><xi:include href="ParlaMint-EE_2015-01-12.xml"/>
	</teiCorpus>`)
	for _, date := range []string{"2010-03-01", "2015-01-12"} {
		write("ParlaMint-EE_"+date+".xml", `<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:id="ParlaMint-EE_`+date+`" xml:lang="et">
		 <teiHeader><profileDesc><settingDesc><setting><date when="`+date+`"/></setting></settingDesc></profileDesc></teiHeader>
		 <text><body><u xml:id="ParlaMint-EE_`+date+`.u1" who="#m_tuus_laul_19510512"><seg>Tere.</seg></u>
		 <u xml:id="ParlaMint-EE_`+date+`.u2" who="#vanDijk"><seg>Hallo.</seg></u></body></text></TEI>`)
	}
	names := map[string][]string{}
	err := DecodeTEIFile(filepath.Join(dir, "ParlaMint-EE.xml"), CorpusOptions{}, func(s *Session) error {
		for _, sp := range s.Speeches {
			names[s.Date] = append(names[s.Date], sp.Speaker.Name+" ("+sp.Speaker.Family+")")
		}
		return nil
	}, func(msg.Text) {})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][]string{
		"2010-03-01": {"Marika Tuus (Tuus)", "Jan van Dijk (van Dijk)"},
		"2015-01-12": {"Marika Tuus-Laul (Tuus-Laul)", "Jan van Dijk (van Dijk)"},
	}
	if !reflect.DeepEqual(names, want) {
		t.Errorf("names %q, want %q", names, want)
	}
}

func TestNameOnPartialDates(t *testing.T) {
	p := &PersonRecord{Names: []DatedName{
		{Full: "Old", To: "2011"}, {Full: "New", From: "2012-03"}, {Full: "Undated"},
	}}
	for date, want := range map[string]string{
		"2010-05-05": "Old", "2011-12-31": "Old", "2012-02-28": "Undated", "2012-03-01": "New", "2020-01-01": "New", "": "Undated",
	} {
		if n, _ := p.NameOn(date); n.Full != want {
			t.Errorf("on %q: %q, want %q", date, n.Full, want)
		}
	}
}

// Names from -meta.tsv, "Surname, Forename", are put as every other path
// writes them.
func TestMetaName(t *testing.T) {
	for in, want := range map[string]string{
		"Bartošek, Jan":       "Jan Bartošek",
		"ΚΑΚΛΑΜΑΝΗΣ, ΝΙΚΗΤΑΣ": "ΝΙΚΗΤΑΣ ΚΑΚΛΑΜΑΝΗΣ",
		"Kinnock, Stephen N.": "Stephen N. Kinnock",
		"Plain Name":          "Plain Name",
		"One, Two, Three":     "One, Two, Three",
		" Spaced ,  Out ":     "Out Spaced",
	} {
		if got := metaName(in).Name; got != want {
			t.Errorf("%q: %q, want %q", in, got, want)
		}
	}
}

// A speaker's party is the one of the day: ParlaMint-ES-GA's Antón Sánchez
// was in AGE until 2016-08-01 and in En Marea from 2016-10-21.
func TestPartyOnTheDay(t *testing.T) {
	dir := filepath.Join(parlamintDir(t), "ParlaMint-ES-GA")
	people, orgs := map[string]*PersonRecord{}, map[string]*OrgRecord{}
	if err := readPeople(filepath.Join(dir, "ParlaMint-ES-GA-listPerson.xml"), people); err != nil {
		t.Fatal(err)
	}
	var relations []Relation
	if err := readOrgs(filepath.Join(dir, "ParlaMint-ES-GA-listOrg.xml"), orgs, &relations); err != nil {
		t.Fatal(err)
	}
	if want := strings.Count(string(mustRead(t, filepath.Join(dir, "ParlaMint-ES-GA-listOrg.xml"))), "<relation "); len(relations) != want {
		t.Errorf("%d relations read, the file has %d", len(relations), want)
	}
	// The side of a party on the day, from the coalitions and
	// oppositions of the list (the term of 2016-2020 names no
	// coalition).
	for _, c := range []struct{ org, date, want string }{
		{"party.PPdeG", "2015-01-26", "coalition"},
		{"party.AGE", "2015-01-26", "opposition"},
		{"party.EM", "2018-07-11", "opposition"},
		{"party.PPdeG", "2018-07-11", ""},
		{"party.BNG", "2022-05-25", "opposition"},
		{"party.PPdeG", "2022-05-25", "coalition"},
	} {
		if got := SideOn(c.org, c.date, relations); got != c.want {
			t.Errorf("%s on %s: %q, want %q", c.org, c.date, got, c.want)
		}
	}
	raw, _ := os.ReadFile(filepath.Join(dir, "ParlaMint-ES-GA-listOrg.xml"))
	if want := strings.Count(string(raw), "<org "); len(orgs) != want {
		t.Errorf("%d organisations read, the file has %d", len(orgs), want)
	}
	p := people["SánchezAntón"]
	for date, want := range map[string][2]string{
		"2015-01-26": {"AGE", "Galician Alternativa of the Left"},
		"2016-08-01": {"AGE", "Galician Alternativa of the Left"},
		"2016-09-15": {"", ""},
		"2018-07-11": {"EM", "In Tide"},
	} {
		if short, full := p.PartyOn(date, orgs); short != want[0] || full != want[1] {
			t.Errorf("on %s: %q (%q), want %q (%q)", date, short, full, want[0], want[1])
		}
	}
}

// Where the -meta.tsv and the list of persons disagree on a speaker's
// party, the -meta.tsv's is kept and a warning names both.
func TestPartyMetaWins(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("ParlaMint-XX-listPerson.xml", `<listPerson xmlns="http://www.tei-c.org/ns/1.0">
	 <person xml:id="A"><persName><forename>Ann</forename><surname>Able</surname></persName><sex value="F"/>
	  <affiliation role="member" ref="#party.X" from="2019"/></person>
	 <person xml:id="B"><persName><forename>Bob</forename><surname>Best</surname></persName>
	  <affiliation role="member" ref="#party.X" from="2019"/></person></listPerson>`)
	write("ParlaMint-XX-listOrg.xml", `<listOrg xmlns="http://www.tei-c.org/ns/1.0">
	 <org xml:id="party.X" role="politicalParty"><orgName full="yes" xml:lang="en">Party X</orgName><orgName full="abb">PX</orgName></org></listOrg>`)
	write("ParlaMint-XX.xml", `<teiCorpus xmlns="http://www.tei-c.org/ns/1.0" xmlns:xi="http://www.w3.org/2001/XInclude">
	 <teiHeader><profileDesc><particDesc><xi:include href="ParlaMint-XX-listOrg.xml"/><xi:include href="ParlaMint-XX-listPerson.xml"/></particDesc></profileDesc></teiHeader>
	 <xi:include href="ParlaMint-XX_2020-01-01.xml"/></teiCorpus>`)
	write("ParlaMint-XX_2020-01-01.xml", `<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:id="ParlaMint-XX_2020-01-01" xml:lang="en">
	 <teiHeader><profileDesc><settingDesc><setting><date when="2020-01-01"/></setting></settingDesc></profileDesc></teiHeader>
	 <text><body><u xml:id="u1" who="#A"><seg>One.</seg></u><u xml:id="u2" who="#B"><seg>Two.</seg></u></body></text></TEI>`)
	write("ParlaMint-XX_2020-01-01-meta.tsv", "ID\tSpeaker_party\tSpeaker_party_name\tParty_status\tSpeaker_gender\n"+
		"u1\tPY\tParty Y\tCoalition\t-\nu2\tPX\tParty X\tOpposition\tM\n")
	var got *Session
	var warnings []string
	err := DecodeTEIFile(filepath.Join(dir, "ParlaMint-XX.xml"), CorpusOptions{}, func(s *Session) error { got = s; return nil },
		func(w msg.Text) { warnings = append(warnings, w.String()) })
	if err != nil {
		t.Fatal(err)
	}
	var speakers []Speaker
	for _, sp := range got.Speeches {
		if sp.Speaker.Person == nil || len(sp.Speaker.Person.Names) == 0 {
			t.Errorf("%s: no record of the list of persons kept", sp.Speaker.ID)
		}
		sp.Speaker.Person = nil
		speakers = append(speakers, sp.Speaker)
	}
	want := []Speaker{
		{ID: "ParlaMint-XX:A", Name: "Ann Able", PersonName: PersonName{Family: "Able", Given: "Ann"}, Party: "PY", PartyName: "Party Y", Side: "coalition", Gender: "F"},
		{ID: "ParlaMint-XX:B", Name: "Bob Best", PersonName: PersonName{Family: "Best", Given: "Bob"}, Party: "PX", PartyName: "Party X", Side: "opposition", Gender: "M"},
	}
	if !reflect.DeepEqual(speakers, want) {
		t.Errorf("speakers\n%+v\nwant\n%+v", speakers, want)
	}
	if len(warnings) != 1 || !strings.Contains(warnings[0], "1 speech's -meta.tsv party is not the party of the list of persons") ||
		!strings.Contains(warnings[0], "u1: PX in the list of persons, PY in the -meta.tsv") {
		t.Errorf("warnings %q", warnings)
	}
}

func mustRead(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
