package sessions

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"kurultai/sessions/msg"
)

// parlamintDir is the shared ParlaMint sample data, when it is present.
func parlamintDir(t testing.TB) string {
	t.Helper()
	dir := filepath.Join("..", "..", "shared", "testdata", "parlamint")
	if _, err := os.Stat(dir); err != nil {
		t.Skipf("ParlaMint samples not found at %s; skipping", dir)
	}
	return dir
}

// The expected counts of the samples' README: u, speakers, seg, words.
var parlamintCounts = []struct {
	file, date, lang        string
	u, speakers, seg, words int
}{
	{"ParlaMint-BG/2017/ParlaMint-BG_2017-05-11.xml", "2017-05-11", "bg", 4, 2, 46, 567},
	{"ParlaMint-BG/2019/ParlaMint-BG_2019-10-03.xml", "2019-10-03", "bg", 4, 3, 35, 611},
	{"ParlaMint-BG/2022/ParlaMint-BG_2022-07-29.xml", "2022-07-29", "bg", 4, 3, 47, 1965},
	{"ParlaMint-GB/2017/ParlaMint-GB_2017-09-07-commons.xml", "2017-09-07", "en", 4, 4, 6, 250},
	{"ParlaMint-GB/2017/ParlaMint-GB_2017-09-07-commons.ana.xml", "2017-09-07", "en", 4, 4, 6, 250},
	{"ParlaMint-GB/2020/ParlaMint-GB_2020-02-12-lords.xml", "2020-02-12", "en", 4, 4, 22, 2294},
	{"ParlaMint-GB/2022/ParlaMint-GB_2022-07-21-commons.xml", "2022-07-21", "en", 4, 4, 23, 2202},
	{"ParlaMint-TR/2014/ParlaMint-TR_2014-12-11-tbmm-T24.xml", "2014-12-11", "tr", 4, 3, 266, 3049},
	{"ParlaMint-TR/2018/ParlaMint-TR_2018-11-01-tbmm-T27.xml", "2018-11-01", "tr", 4, 3, 14, 666},
	{"ParlaMint-TR/2022/ParlaMint-TR_2022-11-17-tbmm-T27.xml", "2022-11-17", "tr", 1, 1, 3, 40},
}

func TestTEISamplesCounts(t *testing.T) {
	dir := parlamintDir(t)
	for _, c := range parlamintCounts {
		t.Run(filepath.Base(c.file), func(t *testing.T) {
			var got []*Session
			var warnings []string
			err := DecodeTEIFile(filepath.Join(dir, c.file), CorpusOptions{}, func(s *Session) error { got = append(got, s); return nil },
				func(w msg.Text) { warnings = append(warnings, w.String()) })
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != 1 {
				t.Fatalf("%d sessions", len(got))
			}
			s := got[0]
			speakers := map[string]bool{}
			segs, words := 0, 0
			for _, sp := range s.Speeches {
				if sp.Speaker.ID != "" {
					speakers[sp.Speaker.ID] = true
				}
				for _, p := range sp.Paragraphs {
					segs++
					words += len(strings.Fields(p.Text))
				}
			}
			if s.Date != c.date || s.Language != c.lang || len(s.Speeches) != c.u || len(speakers) != c.speakers || segs != c.seg || words != c.words {
				t.Errorf("got date %s lang %s u %d speakers %d seg %d words %d; want %s %s %d %d %d %d",
					s.Date, s.Language, len(s.Speeches), len(speakers), segs, words, c.date, c.lang, c.u, c.speakers, c.seg, c.words)
			}
			t.Logf("%s | %s | %s | body %s no. %d | %s", s.ID, s.Title, s.Place, s.Body, s.Number, s.Speeches[0].Speaker.Name)
		})
	}
}

const miniTEI = `<?xml version="1.0" encoding="UTF-8"?>
<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:id="ParlaMint-XX_2020-01-01" xml:lang="en">
 <teiHeader><fileDesc><titleStmt><title type="main" xml:lang="en">A sitting</title></titleStmt></fileDesc>
 <profileDesc><settingDesc><setting><date when="2020-01-01"/></setting></settingDesc></profileDesc></teiHeader>
 <text><body><div type="debateSection"><head>Agenda</head>
  <u xml:id="u1" who="#SmithJohn" ana="#chair topic:econ"><seg>Order, <note>laughter</note>order.</seg><kinesic><desc>Applause</desc></kinesic><seg>Next.</seg></u>
  <u xml:id="u2"><seg>Anonymous &amp; brief.</seg></u>
 </div></body></text>
</TEI>
`

func TestDecodeTEISitting(t *testing.T) {
	var got *Session
	err := DecodeTEISitting("mini.xml", strings.NewReader(miniTEI), func(who, u, date string) Person { return Person{Name: readableID(who)} },
		func(s *Session) error { got = s; return nil })
	if err != nil {
		t.Fatal(err)
	}
	if err := got.Validate(); err != nil {
		t.Fatal(err)
	}
	sp := got.Speeches
	if len(sp) != 2 || sp[0].Speaker.Name != "Smith John" || sp[0].Speaker.Role != "chair" || sp[0].Topic != "econ" {
		t.Fatalf("speeches: %+v", sp)
	}
	if p := sp[0].Paragraphs; len(p) != 2 || p[0].Text != "Order, order." || p[0].Heading != "Agenda" || p[1].Text != "Next." {
		t.Fatalf("paragraphs: %+v", p)
	}
	if sp[1].Speaker.ID != "" || sp[1].Title != "Unknown speaker" || sp[1].Paragraphs[0].Text != "Anonymous & brief." {
		t.Fatalf("unknown speaker: %+v", sp[1])
	}
	for _, bad := range []struct{ text, want string }{
		{strings.Replace(miniTEI, "</seg><kinesic>", "</u><kinesic>", 1), "malformed XML: <seg> is closed by </u>"},
		{strings.Replace(miniTEI, `<date when="2020-01-01"/>`, `<date when="2020-02-31"/>`, 1), "not a real date"},
		{strings.Replace(miniTEI, "&amp;", "&nbsp;", 1), "malformed XML"},
		{miniTEI[:400], "malformed XML"},
		{strings.Replace(miniTEI, "Next.", "Ne\xffxt.", 1), "not valid UTF-8"},
		{strings.Replace(miniTEI, "<TEI ", "<teiCorpus ", 1), "expected <TEI>"},
	} {
		err := DecodeTEISitting("bad.xml", strings.NewReader(bad.text), func(w, u, date string) Person { return Person{Name: w} },
			validateAs("bad.xml"))
		if err == nil || !strings.Contains(err.Error(), bad.want) || !strings.HasPrefix(err.Error(), "bad.xml:") {
			t.Errorf("got %v, want %q with the file and line", err, bad.want)
		}
	}
}

func FuzzDecodeTEI(f *testing.F) {
	f.Add([]byte(miniTEI))
	f.Add([]byte(`<TEI xml:id="a_b"><u><seg>x</seg></u></TEI>`))
	f.Add([]byte(`<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:id="X_1"><teiHeader><settingDesc><setting><date when="2020-01-01"/></setting></settingDesc></teiHeader><text><body><u who="#a b"><seg><seg>x</seg></seg></u></body></text></TEI>`))
	if dir := filepath.Join("..", "..", "shared", "testdata", "parlamint", "ParlaMint-TR", "2022"); true {
		if data, err := os.ReadFile(filepath.Join(dir, "ParlaMint-TR_2022-11-17-tbmm-T27.xml")); err == nil {
			f.Add(data)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		err := DecodeTEISitting("f.xml", strings.NewReader(string(data)), func(w, u, date string) Person { return Person{Name: readableID(w)} },
			validateAs("f.xml"))
		if err != nil && !strings.HasPrefix(err.Error(), "f.xml") {
			t.Fatalf("error without the file name: %v", err)
		}
	})
}

func FuzzDecodeJSON(f *testing.F) {
	f.Add([]byte(`{"kurultai": 1, "sessions": [{"id": "a", "date": "2024-01-01", "title": "T", "speeches": [{"id": "a/s", "paragraphs": [{"number": 1, "text": "x"}]}]}]}`))
	f.Add([]byte(`{"kurultai": 1, "sessions": []}`))
	f.Add([]byte(`{"sessions": [`))
	f.Fuzz(func(t *testing.T, data []byte) {
		err := DecodeJSON("f.json", strings.NewReader(string(data)), func(s *Session) error { return nil })
		if err != nil && !strings.HasPrefix(err.Error(), "f.json") {
			t.Fatalf("error without the file name: %v", err)
		}
	})
}

// validateAs validates what a decoder emits and names the file, as the
// importer does.
func validateAs(name string) func(*Session) error {
	return func(s *Session) error {
		if err := s.Validate(); err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		return nil
	}
}

// An annotated sitting reads as its plain twin: the same ids, speakers
// and paragraphs, word for word, its words and punctuation joined as
// join says.
func TestTEIAnnotatedIsPlain(t *testing.T) {
	dir := parlamintDir(t)
	read := func(f string) *Session {
		var got *Session
		err := DecodeTEIFile(filepath.Join(dir, f), CorpusOptions{}, func(s *Session) error { got = s; return nil }, func(msg.Text) {})
		if err != nil || got == nil {
			t.Fatalf("%s: %v", f, err)
		}
		return got
	}
	ana := read("ParlaMint-GB/2017/ParlaMint-GB_2017-09-07-commons.ana.xml")
	plain := read("ParlaMint-GB/2017/ParlaMint-GB_2017-09-07-commons.xml")
	// The two files differ where the corpus does: the annotated copy's
	// title says "ParlaMint.ana", and its <u>s carry no topic:.
	if !strings.Contains(ana.Title, "ParlaMint.ana") {
		t.Errorf("the annotated title %q", ana.Title)
	}
	ana.Title = plain.Title
	for i := range plain.Speeches {
		plain.Speeches[i].Topic = ""
	}
	// The annotated copy adds the lemmas of its words: one for each
	// word (<w>), none for punctuation (<pc>), and the forms in the
	// order of the text.
	lemmas := 0
	for i := range ana.Speeches {
		for j := range ana.Speeches[i].Paragraphs {
			p := &ana.Speeches[i].Paragraphs[j]
			at := 0
			for _, l := range p.Lemmas {
				k := strings.Index(p.Text[at:], l.Form)
				if k < 0 || l.Lemma == "" {
					t.Fatalf("%s ¶%d: lemma %+v is not of a word of the text after %d: %q", ana.Speeches[i].ID, p.Number, l, at, p.Text)
				}
				at += k
			}
			lemmas += len(p.Lemmas)
			p.Lemmas = nil
		}
	}
	// Counted again from the file: every <w> with a lemma.
	raw, err := os.ReadFile(filepath.Join(dir, "ParlaMint-GB/2017/ParlaMint-GB_2017-09-07-commons.ana.xml"))
	if err != nil {
		t.Fatal(err)
	}
	if want := len(regexp.MustCompile(`<w [^>]*lemma="[^"]+"`).FindAll(raw, -1)); lemmas != want || want == 0 {
		t.Errorf("%d lemmas read, the file has %d words with one", lemmas, want)
	}
	if !reflect.DeepEqual(ana, plain) {
		a, _ := json.MarshalIndent(ana, "", " ")
		p, _ := json.MarshalIndent(plain, "", " ")
		t.Errorf("the annotated sitting differs from the plain one:\nannotated %s\nplain     %s", a, p)
	}
}

// join: right and both join a token to the next, left and both to the
// one before; what stands between tokens (line breaks, <name> spans,
// links) is layout; notes in a seg are not text; a seg without tokens
// reads as before.
func TestTEIJoin(t *testing.T) {
	const ana = `<?xml version="1.0" encoding="UTF-8"?>
<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:id="ParlaMint-XX_2020-01-01.ana" xml:lang="en">
 <teiHeader><profileDesc><settingDesc><setting><date when="2020-01-01"/></setting></settingDesc></profileDesc></teiHeader>
 <text><body><div>
  <u xml:id="ParlaMint-XX_2020-01-01.u1" who="#A"><seg xml:id="s1">
   <s>
<w join="right">"</w>
<w>Tere</w>
     <name type="PER">
<w lemma="Mari">Mari</w>
     </name>
<pc join="left">,</pc>
<w>hommikust</w>
<note>laughter</note>
<pc>!</pc>
<w join="both">-</w>
<w join="right">ok</w>
<pc join="right">"</pc>
<linkGrp><link target="#a #b"/></linkGrp>
   </s>
  </seg><seg>Plain   text, as before.</seg></u>
 </div></body></text>
</TEI>`
	var got *Session
	if err := DecodeTEISitting("x.ana.xml", strings.NewReader(ana), func(who, u, date string) Person { return Person{Name: who} },
		func(s *Session) error { got = s; return nil }); err != nil {
		t.Fatal(err)
	}
	if got.ID != "ParlaMint-XX_2020-01-01" {
		t.Errorf("id %q: .ana should be taken off", got.ID)
	}
	want := []string{`"Tere Mari, hommikust !-ok"`, "Plain text, as before."}
	var texts []string
	for _, p := range got.Speeches[0].Paragraphs {
		texts = append(texts, p.Text)
	}
	if !reflect.DeepEqual(texts, want) {
		t.Errorf("paragraphs %q, want %q", texts, want)
	}
}

// A place is in one language: English where the setting gives English,
// else the sitting's own; never one name in each.
func TestTEIPlaceOneLanguage(t *testing.T) {
	for _, c := range []struct{ names, want string }{
		{`<name type="city" xml:lang="de">Wien</name><name type="city" xml:lang="en">Vienna</name>
		  <name type="country" xml:lang="en">Austria</name><name type="country" xml:lang="de">Österreich</name>`, "Vienna, Austria"},
		{`<name type="city" xml:lang="de">Wien</name><name type="city" xml:lang="en">Vienna</name>
		  <name type="country" xml:lang="de">Österreich</name>`, "Wien, Österreich"},
		{`<name type="city">Wien</name><name type="country" key="AT">Österreich</name>`, "Wien, Österreich"},
		{`<name type="city" xml:lang="en">Vienna</name><name type="place">Parlament</name>`, "Vienna"},
		{``, ""},
	} {
		doc := `<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:id="ParlaMint-AT_2020-01-01" xml:lang="de"><teiHeader><profileDesc>
		  <settingDesc><setting>` + c.names + `<date when="2020-01-01"/></setting></settingDesc></profileDesc></teiHeader>
		  <text><body><u xml:id="u1"><seg>Text.</seg></u></body></text></TEI>`
		var got *Session
		if err := DecodeTEISitting("at.xml", strings.NewReader(doc), func(who, u, date string) Person { return Person{Name: who} },
			func(s *Session) error { got = s; return nil }); err != nil {
			t.Fatal(err)
		}
		if got.Place != c.want {
			t.Errorf("%s: place %q, want %q", c.names, got.Place, c.want)
		}
	}
}

// A speech's language is its segs': the language most of its words are
// in, a seg without xml:lang counting as in the utterance's.
func TestTEISpeechLanguageFromSegs(t *testing.T) {
	doc := `<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:id="ParlaMint-BE_2020-01-01" xml:lang="nl"><teiHeader><profileDesc>
	  <settingDesc><setting><date when="2020-01-01"/></setting></settingDesc></profileDesc></teiHeader><text><body>
	  <u xml:id="u1" xml:lang="nl"><seg xml:lang="fr">Monsieur le président, chers collègues.</seg><seg xml:lang="fr">Merci.</seg></u>
	  <u xml:id="u2"><seg>Dank u wel, voorzitter.</seg><seg xml:lang="fr">Merci.</seg></u>
	  <u xml:id="u3" xml:lang="fr"><seg xml:lang="nl">Ja.</seg><seg>Je vous remercie beaucoup.</seg></u>
	  <u xml:id="u4"><seg>Geen taal op de seg.</seg></u>
	</body></text></TEI>`
	var got *Session
	if err := DecodeTEISitting("be.xml", strings.NewReader(doc), func(who, u, date string) Person { return Person{Name: who} },
		func(s *Session) error { got = s; return nil }); err != nil {
		t.Fatal(err)
	}
	var langs []string
	for _, sp := range got.Speeches {
		langs = append(langs, sp.Language)
	}
	if want := []string{"fr", "nl", "fr", "nl"}; !reflect.DeepEqual(langs, want) {
		t.Errorf("speech languages %q, want %q", langs, want)
	}
}

// Missing includes are warned of in plain words, in the right number: the
// sittings and the lists of persons and organisations named, the
// taxonomies, which kurultai does not read, only counted.
func TestTEIMissingIncludesWarnings(t *testing.T) {
	dir := t.TempDir()
	root := `<teiCorpus xmlns="http://www.tei-c.org/ns/1.0" xmlns:xi="http://www.w3.org/2001/XInclude" xml:id="ParlaMint-XX" xml:lang="en">
	 <teiHeader><encodingDesc><classDecl>
	   <xi:include href="ParlaMint-taxonomy-a.xml"/><xi:include href="ParlaMint-taxonomy-b.xml"/>
	 </classDecl></encodingDesc><profileDesc><particDesc><xi:include href="ParlaMint-XX-listPerson.xml"/></particDesc></profileDesc></teiHeader>
	 <xi:include href="ParlaMint-XX_2020-01-01.xml"/>
	</teiCorpus>`
	path := filepath.Join(dir, "ParlaMint-XX.xml")
	if err := os.WriteFile(path, []byte(root), 0o644); err != nil {
		t.Fatal(err)
	}
	var warnings []string
	if _, err := ReadCorpus(path, CorpusOptions{}, func(w msg.Text) { warnings = append(warnings, strings.TrimPrefix(w.String(), path+": ")) }); err != nil {
		t.Fatal(err)
	}
	want := []string{
		"1 sitting it includes is not there, going on without it: ParlaMint-XX_2020-01-01.xml",
		"1 list it includes is not there, going on without it: ParlaMint-XX-listPerson.xml",
		"2 other header files it includes are not there (taxonomies and the like, which kurultai does not read)",
	}
	if !reflect.DeepEqual(warnings, want) {
		t.Errorf("warnings\n%q\nwant\n%q", warnings, want)
	}
}

// A topic in ana is not taken for a role (ParlaMint-IS).
func TestTEITopicIsNotRole(t *testing.T) {
	doc := `<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:id="ParlaMint-IS_2020-01-01" xml:lang="is"><teiHeader><profileDesc>
	  <settingDesc><setting><date when="2020-01-01"/></setting></settingDesc></profileDesc></teiHeader><text><body>
	  <u xml:id="u1" who="#A" ana="#regular #topic.146_226_M"><seg>Texti.</seg></u>
	  <u xml:id="u2" who="#B" ana="#topic.7_1 #chair"><seg>Texti.</seg></u>
	</body></text></TEI>`
	var got *Session
	if err := DecodeTEISitting("is.xml", strings.NewReader(doc), func(who, u, date string) Person { return Person{Name: who} },
		func(s *Session) error { got = s; return nil }); err != nil {
		t.Fatal(err)
	}
	for i, want := range [][2]string{{"regular", "146_226_M"}, {"chair", "7_1"}} {
		sp := got.Speeches[i]
		if sp.Speaker.Role != want[0] || sp.Topic != want[1] {
			t.Errorf("u%d: role %q topic %q, want %q %q", i+1, sp.Speaker.Role, sp.Topic, want[0], want[1])
		}
	}
}
