package sessions

import (
	"bufio"
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
	people   map[string]Speaker
}

// NewTEIWriter writes a corpus named corpus (such as "ParlaMint-XX") into
// dir, which must exist.
func NewTEIWriter(dir, corpus string) *TEIWriter {
	return &TEIWriter{dir: dir, corpus: corpus, people: map[string]Speaker{}}
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
			w.people[pid] = sp.Speaker
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

// Close writes the list of persons and the corpus root.
func (w *TEIWriter) Close() error {
	people := w.corpus + "-listPerson.xml"
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
		fmt.Fprintf(&lp, ` <person xml:id="%s"><persName><forename>%s</forename><surname>%s</surname></persName></person>`+"\n",
			id, xmlText(first), xmlText(last))
	}
	lp.WriteString("</listPerson>\n")
	if err := os.WriteFile(filepath.Join(w.dir, people), []byte(lp.String()), 0o644); err != nil {
		return err
	}
	var root strings.Builder
	fmt.Fprintf(&root, `<?xml version="1.0" encoding="UTF-8"?>
<teiCorpus xmlns="http://www.tei-c.org/ns/1.0" xmlns:xi="http://www.w3.org/2001/XInclude" xml:id="%s" xml:lang="en">
 <teiHeader><fileDesc><titleStmt><title type="main">%s</title></titleStmt></fileDesc>
  <profileDesc><particDesc><xi:include href="%s"/></particDesc></profileDesc>
 </teiHeader>
`, w.corpus, xmlText(w.corpus+" (synthetic)"), people)
	for _, s := range w.sittings {
		fmt.Fprintf(&root, " <xi:include href=\"%s\"/>\n", s)
	}
	root.WriteString("</teiCorpus>\n")
	return os.WriteFile(filepath.Join(w.dir, w.corpus+".xml"), []byte(root.String()), 0o644)
}
