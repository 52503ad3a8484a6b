package sessions

import (
	"bufio"
	"cmp"
	"encoding/xml"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// TEIWriter writes sessions as a ParlaMint-style TEI corpus: a root file
// that includes one file per sitting and a listPerson file. It exists to
// make large corpora for measuring the TEI importer.
type TEIWriter struct {
	dir      string
	corpus   string
	sittings []string
	people   map[string]*teiPerson
	parties  map[string]string // short name -> full name
}

// teiPerson is a speaker as the list of persons gives them: their name,
// gender, and the span of dates they spoke for each party, which become
// dated affiliations.
type teiPerson struct {
	Speaker
	first, last string               // the dates they spoke
	parties     map[string][2]string // party -> first and last date
}

// NewTEIWriter writes a corpus named corpus (such as "ParlaMint-XX") into
// dir, which must exist.
func NewTEIWriter(dir, corpus string) *TEIWriter {
	return &TEIWriter{dir: dir, corpus: corpus, people: map[string]*teiPerson{}, parties: map[string]string{}}
}

func xmlText(s string) string {
	var b strings.Builder
	xml.EscapeText(&b, []byte(s))
	return b.String()
}

// ncName turns an id into something an xml:id may be.
func ncName(s string) string {
	r := strings.NewReplacer("/", ".", ":", ".", " ", "_")
	s = r.Replace(s)
	if s == "" || !(s[0] >= 'A' && s[0] <= 'Z' || s[0] >= 'a' && s[0] <= 'z' || s[0] == '_') {
		s = "x" + s
	}
	return s
}

// Write writes one session as a sitting.
func (w *TEIWriter) Write(s *Session) error {
	id := fmt.Sprintf("%s_%s-%s", w.corpus, s.Date, ncName(s.ID))
	rel := filepath.Join(s.Date[:4], id+".xml")
	if err := os.MkdirAll(filepath.Join(w.dir, s.Date[:4]), 0o755); err != nil {
		return err
	}
	f, err := os.Create(filepath.Join(w.dir, rel))
	if err != nil {
		return err
	}
	b := bufio.NewWriterSize(f, 256*1024)
	lang := s.Language
	if lang == "" {
		lang = "en"
	}
	fmt.Fprintf(b, `<?xml version="1.0" encoding="UTF-8"?>
<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:id="%s" xml:lang="%s">
 <teiHeader><fileDesc><titleStmt>
  <title type="main" xml:lang="en">%s</title>
  <meeting ana="#parla.sitting" n="%s">%s</meeting>
 </titleStmt></fileDesc>
 <profileDesc><settingDesc><setting><name type="city">%s</name><date when="%s"/></setting></settingDesc></profileDesc>
 </teiHeader>
 <text><body><div type="debateSection">
`, id, lang, xmlText(s.Title), s.Date, s.Date, xmlText(s.Place), s.Date)
	seg := 0
	for i, sp := range s.Speeches {
		who := ""
		if sp.Speaker.ID != "" {
			pid := ncName(sp.Speaker.ID)
			w.note(pid, sp.Speaker, s.Date)
			who = fmt.Sprintf(` who="#%s"`, pid)
		}
		for _, p := range sp.Paragraphs {
			if p.Heading != "" && p.Number == 1 {
				fmt.Fprintf(b, "  <head>%s</head>\n", xmlText(p.Heading))
			}
		}
		fmt.Fprintf(b, "  <u xml:id=\"%s.u%d\" ana=\"#regular\"%s>\n", id, i+1, who)
		for _, p := range sp.Paragraphs {
			seg++
			fmt.Fprintf(b, "   <seg xml:id=\"%s.seg%d\">%s</seg>\n", id, seg, xmlText(p.Text))
		}
		b.WriteString("  </u>\n")
	}
	b.WriteString(" </div></body></text>\n</TEI>\n")
	if err := b.Flush(); err != nil {
		f.Close()
		return err
	}
	w.sittings = append(w.sittings, filepath.ToSlash(rel))
	return f.Close()
}

// note keeps what the list of persons will say of a speaker: their name
// and gender, and the dates they spoke for each party.
func (w *TEIWriter) note(pid string, sp Speaker, date string) {
	p := w.people[pid]
	if p == nil {
		p = &teiPerson{Speaker: sp, first: date, last: date, parties: map[string][2]string{}}
		w.people[pid] = p
	}
	p.first, p.last = min(p.first, date), max(p.last, date)
	if sp.Party == "" {
		return
	}
	w.parties[sp.Party] = cmp.Or(sp.PartyName, sp.Party)
	span, ok := p.parties[sp.Party]
	if !ok {
		span = [2]string{date, date}
	}
	p.parties[sp.Party] = [2]string{min(span[0], date), max(span[1], date)}
}

// Close writes the lists of persons and organisations and the corpus root.
func (w *TEIWriter) Close() error {
	people, orgs := w.corpus+"-listPerson.xml", w.corpus+"-listOrg.xml"
	var lp strings.Builder
	lp.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n" + `<listPerson xmlns="http://www.tei-c.org/ns/1.0">` + "\n")
	ids := make([]string, 0, len(w.people))
	for id := range w.people {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		sp := w.people[id]
		first, last := sp.Given, sp.Family
		if sp.Family == "" {
			first, last, _ = strings.Cut(sp.Name, " ")
		}
		fmt.Fprintf(&lp, ` <person xml:id="%s">`+"\n"+`  <persName><forename>%s</forename><surname>%s</surname></persName>`+"\n",
			id, xmlText(first), xmlText(last))
		if sp.Gender != "" {
			fmt.Fprintf(&lp, "  <sex value=\"%s\"/>\n", xmlText(sp.Gender))
		}
		fmt.Fprintf(&lp, "  <affiliation ref=\"#%s.parliament\" role=\"member\" from=\"%s\" to=\"%s\"/>\n", w.corpus, sp.first, sp.last)
		parties := make([]string, 0, len(sp.parties))
		for party := range sp.parties {
			parties = append(parties, party)
		}
		sort.Strings(parties)
		for _, party := range parties {
			span := sp.parties[party]
			fmt.Fprintf(&lp, "  <affiliation ref=\"#party.%s\" role=\"member\" from=\"%s\" to=\"%s\"/>\n", ncName(party), span[0], span[1])
		}
		lp.WriteString(" </person>\n")
	}
	lp.WriteString("</listPerson>\n")
	if err := os.WriteFile(filepath.Join(w.dir, people), []byte(lp.String()), 0o644); err != nil {
		return err
	}
	var lo strings.Builder
	lo.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n" + `<listOrg xmlns="http://www.tei-c.org/ns/1.0">` + "\n")
	fmt.Fprintf(&lo, " <org xml:id=\"%s.parliament\" role=\"parliament\"><orgName full=\"yes\" xml:lang=\"en\">%s</orgName></org>\n",
		w.corpus, xmlText(w.corpus+" parliament"))
	parties := make([]string, 0, len(w.parties))
	for party := range w.parties {
		parties = append(parties, party)
	}
	sort.Strings(parties)
	for _, party := range parties {
		fmt.Fprintf(&lo, " <org xml:id=\"party.%s\" role=\"politicalParty\"><orgName full=\"yes\" xml:lang=\"en\">%s</orgName><orgName full=\"abb\">%s</orgName></org>\n",
			ncName(party), xmlText(w.parties[party]), xmlText(party))
	}
	lo.WriteString("</listOrg>\n")
	if err := os.WriteFile(filepath.Join(w.dir, orgs), []byte(lo.String()), 0o644); err != nil {
		return err
	}
	var root strings.Builder
	fmt.Fprintf(&root, `<?xml version="1.0" encoding="UTF-8"?>
<teiCorpus xmlns="http://www.tei-c.org/ns/1.0" xmlns:xi="http://www.w3.org/2001/XInclude" xml:id="%s" xml:lang="en">
 <teiHeader><fileDesc><titleStmt><title type="main">%s</title></titleStmt></fileDesc>
  <profileDesc><particDesc><xi:include href="%s"/><xi:include href="%s"/></particDesc></profileDesc>
 </teiHeader>
`, w.corpus, xmlText(w.corpus+" (synthetic)"), orgs, people)
	for _, s := range w.sittings {
		fmt.Fprintf(&root, " <xi:include href=\"%s\"/>\n", s)
	}
	root.WriteString("</teiCorpus>\n")
	return os.WriteFile(filepath.Join(w.dir, w.corpus+".xml"), []byte(root.String()), 0o644)
}
