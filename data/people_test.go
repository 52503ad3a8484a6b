package data

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"kurultai/sessions"
	"kurultai/sessions/msg"
)

// A small corpus in the ParlaMint schema: a person whose name changes in
// 2011 and who moves from party A to party B in 2014, a parliament with
// its terms, party B with a dated orientation; a sitting in 2013 and one
// in 2015; a speech that mixes Dutch and French; an annotated sitting of
// 2016 with lemmas.
const peopleRoot = `<?xml version="1.0" encoding="UTF-8"?>
<teiCorpus xmlns="http://www.tei-c.org/ns/1.0" xmlns:xi="http://www.w3.org/2001/XInclude" xml:id="ParlaMint-XP" xml:lang="en">
 <teiHeader><profileDesc><particDesc>
  <xi:include href="ParlaMint-XP-listOrg.xml"/>
  <xi:include href="ParlaMint-XP-listPerson.xml"/>
 </particDesc></profileDesc></teiHeader>
 <xi:include href="ParlaMint-XP_2013-05-02.xml"/>
 <xi:include href="ParlaMint-XP_2015-05-02.xml"/>
 <xi:include href="ParlaMint-XP_2016-05-02.ana.xml"/>
</teiCorpus>`

const peopleOrgs = `<?xml version="1.0" encoding="UTF-8"?>
<listOrg xmlns="http://www.tei-c.org/ns/1.0" xml:id="ParlaMint-XP-listOrg" xml:lang="en">
 <org xml:id="PX" role="parliament">
  <orgName xml:lang="en" full="yes">Parliament of X</orgName>
  <listEvent>
   <event xml:id="PX.1" from="2010-01-01" to="2014-12-31"><label xml:lang="xx">Mandat 1</label><label xml:lang="en">Term 1</label></event>
   <event xml:id="PX.2" from="2015-01-01"><label xml:lang="en">Term 2</label></event>
  </listEvent>
 </org>
 <org xml:id="party.A" role="politicalParty">
  <orgName full="yes" xml:lang="en">Alpha Party</orgName>
  <orgName full="yes" xml:lang="xx">Partia Alfa</orgName>
  <orgName full="abb">PA</orgName>
 </org>
 <org xml:id="party.B" role="politicalParty">
  <orgName full="yes" xml:lang="en">Beta Union</orgName>
  <orgName full="abb" xml:lang="xx">BU</orgName>
  <state type="politicalOrientation">
   <state type="Wikipedia" source="https://example.org/beta" ana="#orientation.CL"/>
   <state type="encoder" source="#someone" ana="#orientation.C"/>
  </state>
 </org>
</listOrg>`

const peoplePersons = `<?xml version="1.0" encoding="UTF-8"?>
<listPerson xmlns="http://www.tei-c.org/ns/1.0" xml:id="ParlaMint-XP-listPerson" xml:lang="en">
 <person xml:id="MarikaTuus">
  <persName to="2011-09-11"><surname>Tuus</surname><forename>Marika</forename></persName>
  <persName from="2011-09-12"><surname>Tuus-Laul</surname><forename>Marika</forename></persName>
  <sex value="F"/>
  <birth when="1951-05-12"><placeName>Tallinn</placeName></birth>
  <idno type="URI" subtype="parliament">https://example.org/members/tuus</idno>
  <affiliation ref="#PX" role="member" ana="#PX.1" from="2010-01-01" to="2014-12-31"/>
  <affiliation ref="#party.A" role="member" from="2009-01-01" to="2014-06-30"/>
  <affiliation ref="#party.B" role="member" from="2014-07-01"/>
  <affiliation ref="#PX" role="member" ana="#PX.2" from="2015-01-01"/>
 </person>
 <person xml:id="JanJansen">
  <persName><surname>Jansen</surname><forename>Jan</forename></persName>
  <sex value="M"/>
  <affiliation ref="#party.A" role="member" from="2000-01-01"/>
 </person>
</listPerson>`

func peopleSitting(id, date, body string) string {
	return `<?xml version="1.0" encoding="UTF-8"?>
<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:id="` + id + `" xml:lang="en">
 <teiHeader><fileDesc><titleStmt><title type="main" xml:lang="en">Sitting of ` + date + `</title></titleStmt></fileDesc>
  <profileDesc><settingDesc><setting><date when="` + date + `"/></setting></settingDesc></profileDesc></teiHeader>
 <text><body><div type="debateSection">` + body + `</div></body></text>
</TEI>`
}

func writePeopleCorpus(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	files := map[string]string{
		"ParlaMint-XP.xml":            peopleRoot,
		"ParlaMint-XP-listOrg.xml":    peopleOrgs,
		"ParlaMint-XP-listPerson.xml": peoplePersons,
		"ParlaMint-XP_2013-05-02.xml": peopleSitting("ParlaMint-XP_2013-05-02", "2013-05-02",
			`<u xml:id="a.u1" who="#MarikaTuus" ana="#regular"><seg>We speak of the budget.</seg></u>
			 <u xml:id="a.u2" who="#JanJansen" ana="#chair"><seg>The budget is next.</seg></u>`),
		"ParlaMint-XP_2015-05-02.xml": peopleSitting("ParlaMint-XP_2015-05-02", "2015-05-02",
			`<u xml:id="b.u1" who="#MarikaTuus" ana="#regular"><seg>The budget again, and the roads.</seg></u>
			 <u xml:id="b.u2" who="#JanJansen" ana="#regular" xml:lang="nl">
			  <seg>Wij spreken over de begroting.</seg>
			  <seg xml:lang="fr">Nous parlons du budget de la ville.</seg>
			  <seg xml:lang="fr">Et des routes.</seg>
			  <seg>En de wegen.</seg>
			  <seg>Dank u wel.</seg>
			 </u>`),
		"ParlaMint-XP_2016-05-02.ana.xml": peopleSitting("ParlaMint-XP_2016-05-02.ana", "2016-05-02",
			`<u xml:id="c.u1" who="#MarikaTuus" ana="#regular" xml:lang="ru">
			  <seg xml:lang="ru"><w lemma="я">Я</w> <w lemma="говорить">говорю</w> <w lemma="правда">правду</w><pc>.</pc></seg>
			  <seg xml:lang="ru"><w lemma="они">Они</w> <w lemma="говорить">говорили</w> <w lemma="о">о</w> <w lemma="бюджет">бюджете</w><pc>.</pc></seg>
			  <seg xml:lang="ru"><w lemma="бюджет">Бюджет</w> <w lemma="говорить" join="right">говорит</w><pc>!</pc></seg>
			 </u>
			 <u xml:id="c.u2" who="#JanJansen" ana="#regular" xml:lang="ru">
			  <seg xml:lang="ru"><w lemma="правда">Правда</w> <w lemma="говорить">говорят</w><pc>.</pc></seg>
			 </u>`),
	}
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return filepath.Join(dir, "ParlaMint-XP.xml")
}

func importPeopleCorpus(t *testing.T) (*DB, string) {
	t.Helper()
	root := writePeopleCorpus(t)
	d := MustOpen(t)
	var warnings []string
	if _, err := d.ImportFiles(context.Background(), []string{root}, ImportOptions{Warn: func(w msg.Text) { warnings = append(warnings, w.String()) }}); err != nil {
		t.Fatal(err)
	}
	return d, root
}

// A person's record: names over time, birth, links, and affiliations as a
// dated timeline with each organisation named and the term read; and the
// name and party each speech shows are those of its day.
func TestPersonRecord(t *testing.T) {
	d, _ := importPeopleCorpus(t)
	ctx := context.Background()
	det, err := d.Speaker(ctx, "ParlaMint-XP:MarikaTuus")
	if err != nil {
		t.Fatal(err)
	}
	p := det.Person
	if p == nil {
		t.Fatal("no record of the list of persons")
	}
	if len(p.Names) != 2 || p.Names[0].Name != "Marika Tuus" || p.Names[0].To != "2011-09-11" || p.Names[1].Name != "Marika Tuus-Laul" || p.Names[1].From != "2011-09-12" {
		t.Errorf("names %+v", p.Names)
	}
	if p.Sex != "F" || p.Birth != "1951-05-12" || p.BirthPlace != "Tallinn" {
		t.Errorf("sex %q birth %q in %q", p.Sex, p.Birth, p.BirthPlace)
	}
	if len(p.Links) != 1 || p.Links[0].URL != "https://example.org/members/tuus" || p.Links[0].Subtype != "parliament" {
		t.Errorf("links %+v", p.Links)
	}
	var got []string
	for _, a := range p.Affiliations {
		got = append(got, strings.Join([]string{a.From, a.To, a.Role, a.OrgAbbr, a.OrgName, a.OrgKind, a.Term, a.Orientation}, "|"))
	}
	want := []string{
		"2009-01-01|2014-06-30|member|PA|Alpha Party|politicalParty||",
		"2010-01-01|2014-12-31|member||Parliament of X|parliament|Term 1|",
		"2014-07-01||member|BU|Beta Union|politicalParty||CL",
		"2015-01-01||member||Parliament of X|parliament|Term 2|",
	}
	if !slices.Equal(got, want) {
		t.Errorf("affiliations\n%q\nwant\n%q", got, want)
	}
	if party := p.Affiliations[0].OrgNames; !slices.Contains(party, "Partia Alfa") {
		t.Errorf("party A's names %q lack the one in xx", party)
	}
	// The speeches, newest first, with the party of their day.
	var parties []string
	for _, sp := range det.List {
		parties = append(parties, sp.Date+" "+sp.Party)
	}
	if want := []string{"2016-05-02 BU", "2015-05-02 BU", "2013-05-02 PA"}; !slices.Equal(parties, want) {
		t.Errorf("speeches %q, want %q", parties, want)
	}
	if det.Party != "BU" || !slices.Equal(det.Before, []string{"PA"}) {
		t.Errorf("party %q before %q", det.Party, det.Before)
	}
	// A speech's name is the name of its day.
	for _, c := range []struct{ id, name string }{{"a.u1", "Marika Tuus-Laul"}} {
		doc, err := d.Document(ctx, c.id)
		if err != nil {
			t.Fatal(err)
		}
		if doc.Speaker != c.name {
			t.Errorf("%s: speaker %q, want %q", c.id, doc.Speaker, c.name)
		}
	}
}

// party: takes a party's short or full name in any language the list of
// organisations gives, and finds the speeches made for it on their day.
func TestPartyAnyLanguage(t *testing.T) {
	d, _ := importPeopleCorpus(t)
	ctx := context.Background()
	speeches := func(q string) []string {
		t.Helper()
		res, err := d.Search(ctx, ParseQuery(q), SearchOptions{Limit: -1, ByDate: true})
		if err != nil {
			t.Fatal(err)
		}
		seen := map[string]bool{}
		var out []string
		for _, h := range res.Hits {
			if h.Speech != "" && !seen[h.Speech] {
				seen[h.Speech] = true
				out = append(out, h.Speech)
			}
		}
		slices.Sort(out)
		return out
	}
	for _, c := range []struct {
		query string
		want  []string
	}{
		{"speaker:ParlaMint-XP:MarikaTuus party:PA", []string{"a.u1"}},
		{"speaker:ParlaMint-XP:MarikaTuus party:BU", []string{"b.u1", "c.u1"}},
		{`party:"Partia Alfa"`, []string{"a.u1", "a.u2", "b.u2", "c.u2"}},
		{`party:alfa`, []string{"a.u1", "a.u2", "b.u2", "c.u2"}},
		{`party:"Beta Union" budget`, []string{"b.u1"}},
	} {
		if got := speeches(c.query); !slices.Equal(got, c.want) {
			t.Errorf("%s: %q, want %q", c.query, got, c.want)
		}
	}
}

// A speech that mixes languages files each paragraph under its own:
// lang: and the language facet count paragraphs, checked against the
// segments as written.
func TestParagraphLanguages(t *testing.T) {
	d, _ := importPeopleCorpus(t)
	ctx := context.Background()
	doc, err := d.Document(ctx, "b.u2")
	if err != nil {
		t.Fatal(err)
	}
	var langs []string
	for _, p := range doc.Paragraphs {
		langs = append(langs, p.Language)
	}
	// The speech is in Dutch (most of its words); its French paragraphs
	// say so.
	if doc.Language != "nl" || !slices.Equal(langs, []string{"", "fr", "fr", "", ""}) {
		t.Errorf("speech in %q, paragraphs %q", doc.Language, langs)
	}
	for _, c := range []struct {
		query string
		paras []int
	}{
		{"speaker:ParlaMint-XP:JanJansen lang:fr kind:speech", []int{2, 3}},
		{"speaker:ParlaMint-XP:JanJansen lang:nl kind:speech", []int{1, 4, 5}},
	} {
		res, err := d.Search(ctx, ParseQuery(c.query), SearchOptions{Limit: -1, ByDate: true})
		if err != nil {
			t.Fatal(err)
		}
		var got []int
		for _, h := range res.Hits {
			if h.Speech == "b.u2" {
				got = append(got, h.Paragraph)
				if want := map[bool]string{true: "fr", false: "nl"}[h.Paragraph == 2 || h.Paragraph == 3]; h.Language != want {
					t.Errorf("%s ¶%d: language %q, want %q", c.query, h.Paragraph, h.Language, want)
				}
			}
		}
		slices.Sort(got)
		if !slices.Equal(got, c.paras) {
			t.Errorf("%s: paragraphs %v, want %v", c.query, got, c.paras)
		}
	}
	fs, err := d.Facets(ctx, ParseQuery("speaker:ParlaMint-XP:JanJansen kind:speech"))
	if err != nil {
		t.Fatal(err)
	}
	// Counted from the sittings as written: Jan's paragraphs by language.
	want := map[string]int{"en": 1, "nl": 3, "fr": 2, "ru": 1}
	for _, f := range fs.Field("language") {
		if f.Count != want[f.Value] {
			t.Errorf("language facet %s = %d, want %d", f.Value, f.Count, want[f.Value])
		}
		delete(want, f.Value)
	}
	if len(want) > 0 {
		t.Errorf("language facets missing: %v", want)
	}
}

// lemma: finds every form of a word in an annotated sitting, in phrases
// and with filters, and marks the forms; the counts agree with the
// lemmas as the sitting gives them.
func TestLemmaSearch(t *testing.T) {
	d, root := importPeopleCorpus(t)
	ctx := context.Background()
	// The paragraphs with each lemma, from the sittings as decoded.
	byLemma := map[string]int{}
	err := sessions.DecodeTEIFile(root, sessions.CorpusOptions{}, func(s *sessions.Session) error {
		for _, sp := range s.Speeches {
			for _, p := range sp.Paragraphs {
				seen := map[string]bool{}
				for _, l := range p.Lemmas {
					if !seen[l.Lemma] {
						seen[l.Lemma] = true
						byLemma[l.Lemma]++
					}
				}
			}
		}
		return nil
	}, func(msg.Text) {})
	if err != nil {
		t.Fatal(err)
	}
	if byLemma["говорить"] != 4 {
		t.Fatalf("the test corpus has %d paragraphs with говорить", byLemma["говорить"])
	}
	for _, c := range []struct {
		query string
		want  int
		marks []string
	}{
		{"lemma:говорить", byLemma["говорить"], []string{"говорю", "говорили", "говорит", "говорят"}},
		{"lemma:ГОВОРИТЬ", byLemma["говорить"], nil},
		{"lemma:говор*", byLemma["говорить"], nil},
		{`lemma:"говорить правда"`, 1, []string{"говорю", "правду"}},
		{`lemma:"правда говорить"`, 1, []string{"Правда", "говорят"}},
		{"lemma:говорить speaker:ParlaMint-XP:JanJansen", 1, nil},
		{"lemma:говорить party:BU", 3, nil},
		{"lemma:говорить -lemma:бюджет", 2, nil},
		{"lemma:бюджет OR lemma:правда", 4, nil},
		{"говорить", 0, nil}, // the lemma is not a word of the text
		{"lemma:говорю", 0, nil},
	} {
		res, err := d.Search(ctx, ParseQuery(c.query), SearchOptions{Limit: -1, Count: true})
		if err != nil {
			t.Fatal(err)
		}
		if res.Total != c.want || len(res.Hits) != c.want {
			t.Errorf("%s: %d found (%d listed), want %d", c.query, res.Total, len(res.Hits), c.want)
		}
		for _, m := range c.marks {
			found := false
			for _, h := range res.Hits {
				found = found || strings.Contains(h.Snippet, MarkStart+m+MarkEnd)
			}
			if !found {
				var snips []string
				for _, h := range res.Hits {
					snips = append(snips, h.Snippet)
				}
				t.Errorf("%s: %q is not marked in %q", c.query, m, snips)
			}
		}
	}
}

// The reader marks what lemma: found by the document's own lemmas: the
// words whose lemma matched, and for a phrase, those where it matched.
func TestLemmaMarksInReader(t *testing.T) {
	d, _ := importPeopleCorpus(t)
	doc, err := d.Document(context.Background(), "c.u1")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		query string
		want  []string
	}{
		{"lemma:говорить", []string{"говорю", "говорили", "говорит"}},
		{`lemma:"говорить правда"`, []string{"говорю", "правду"}},
		{"lemma:бюджет", []string{"бюджете", "Бюджет"}},
	} {
		words := WithLemmaForms(ParseQuery(c.query).Words(), doc.Paragraphs)
		var got []string
		for _, p := range doc.Paragraphs {
			EachMatch(p.Text, words, false, func(i, j int) bool {
				got = append(got, p.Text[i:j])
				return true
			})
		}
		if !slices.Equal(got, c.want) {
			t.Errorf("%s marks %q, want %q", c.query, got, c.want)
		}
	}
}
