package sessions

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

// A note is private: the bibliographies leave it out unless asked, and
// then CSL-JSON and BibTeX carry it in annote, never in note, which
// citeproc prints.
func TestExportNotesArePrivate(t *testing.T) {
	const private = "Compare the 2022 referendum"
	for _, f := range []string{"csl-json", "bibtex", "ris"} {
		var without, with bytes.Buffer
		if err := WriteExport(&without, f, ExportOptions{}, samplePassages()); err != nil {
			t.Fatal(err)
		}
		if strings.Contains(without.String(), private) {
			t.Errorf("%s without --notes carries the note:\n%s", f, without.String())
		}
		if err := WriteExport(&with, f, ExportOptions{Notes: true}, samplePassages()); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(with.String(), private) {
			t.Errorf("%s with --notes lacks the note:\n%s", f, with.String())
		}
		switch f {
		case "csl-json":
			var items []map[string]any
			if err := json.Unmarshal(with.Bytes(), &items); err != nil {
				t.Fatal(err)
			}
			for _, it := range items {
				if n, _ := it["note"].(string); strings.Contains(n, private) {
					t.Errorf("CSL note carries the private note: %q", n)
				}
			}
			if a, _ := items[0]["annote"].(string); a != "¶ 3–4: "+samplePassages()[0].Note {
				t.Errorf("CSL annote = %q", a)
			}
		case "bibtex":
			for _, line := range strings.Split(with.String(), "\n") {
				if strings.HasPrefix(strings.TrimSpace(line), "note") && strings.Contains(line, "Compare") {
					t.Errorf("BibTeX note carries the private note: %s", line)
				}
			}
			if !strings.Contains(with.String(), "  annote = {¶ 3–4: Compare the 2022 referendum; 100\\% \\& \\{braces\\}},") {
				t.Errorf("BibTeX annote:\n%s", with.String())
			}
		case "ris":
			if !strings.Contains(with.String(), "N1  - ¶ 3–4: Compare") {
				t.Errorf("RIS N1:\n%s", with.String())
			}
		}
	}
	// Markdown and CSV are the owner's own copy: they keep the notes.
	for _, f := range []string{"md", "csv", "json"} {
		var b bytes.Buffer
		WriteExport(&b, f, ExportOptions{}, samplePassages())
		if !strings.Contains(b.String(), private) {
			t.Errorf("%s lost the note", f)
		}
	}
}

// An orphaned passage is cited without paragraphs in every format: its
// text is no longer at them, and they may not exist.
func TestOrphanedCitesNoParagraphs(t *testing.T) {
	ps := samplePassages()[:1]
	ps[0].From, ps[0].To = 3, 3
	ps[0].Citation.From, ps[0].Citation.To = 0, 0
	ps[0].State = "orphaned"
	ps[0].Citation.Key = "tokayev2026nk5"
	for _, f := range ExportFormats {
		if f == "json" {
			continue // the record itself, for import: it keeps what was bookmarked
		}
		var b bytes.Buffer
		if err := WriteExport(&b, f, ExportOptions{Notes: true}, ps); err != nil {
			t.Fatal(err)
		}
		if strings.Contains(b.String(), "¶") || strings.Contains(b.String(), "para.") {
			t.Errorf("%s cites paragraphs of an orphaned passage:\n%s", f, b.String())
		}
		if f == "md" && (!strings.Contains(b.String(), "[@tokayev2026nk5]") || !strings.Contains(b.String(), "Orphaned")) {
			t.Errorf("md does not label the orphaned passage:\n%s", b.String())
		}
	}
}

// The bibliographies hold one entry a document, with each range cited
// from it once, in order.
func TestExportOneEntryPerDocument(t *testing.T) {
	ps := samplePassages()
	again := ps[0] // the same paragraphs, kept twice
	again.UID = "u4"
	ps = append([]Passage{ps[1]}, append(ps, again)...)
	var b bytes.Buffer
	if err := WriteExport(&b, "csl-json", ExportOptions{}, ps); err != nil {
		t.Fatal(err)
	}
	var items []struct{ ID, Note string }
	json.Unmarshal(b.Bytes(), &items)
	if len(items) != 2 || items[0].ID != "tokayev2026nk5" || items[0].Note != "¶ 3–4, 11" || items[1].Note != "¶ 1" {
		t.Errorf("CSL items: %+v", items)
	}
	b.Reset()
	WriteExport(&b, "bibtex", ExportOptions{}, ps)
	if n := strings.Count(b.String(), "@misc{"); n != 2 {
		t.Errorf("%d BibTeX entries, want 2:\n%s", n, b.String())
	}
	b.Reset()
	WriteExport(&b, "ris", ExportOptions{}, ps)
	if n := strings.Count(b.String(), "TY  - GEN"); n != 2 || !strings.Contains(b.String(), "SP  - ¶ 3–4, 11\r\n") {
		t.Errorf("RIS records:\n%s", b.String())
	}
}

// Exports written before the citation named its author and number still
// import; unknown fields are still refused.
func TestCitationReadsEarlierExports(t *testing.T) {
	var c Citation
	if err := json.Unmarshal([]byte(`{"speaker":"A B","meeting":5,"title":"T","body":"B","session":"s","date":"2026","from":1,"to":2,"kind":"speech"}`), &c); err != nil {
		t.Fatal(err)
	}
	if c.Speaker != "A B" || c.Meeting != 5 || c.To != 2 {
		t.Errorf("read %+v", c)
	}
	if err := json.Unmarshal([]byte(`{"title":"T","nosuch":1}`), &c); err == nil {
		t.Error("an unknown field was accepted")
	}
	b, _ := json.Marshal(Citation{Key: "k", Speaker: "A", Meeting: 5})
	for _, f := range []string{"key", "title", "author", "body", "session", "number", "place", "date", "from", "to", "url"} {
		if !strings.Contains(string(b), `"`+f+`":`) {
			t.Errorf("the citation lacks %s: %s", f, b)
		}
	}
}
