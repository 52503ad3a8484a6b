package sessions

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/charmbracelet/x/exp/golden"
)

func samplePassages() []Passage {
	c := Citation{Speaker: "Kassym-Jomart Tokayev (Қасым-Жомарт Тоқаев)", Title: "Address at the fifth meeting (summary)",
		Body: "National Kurultai", Session: "nk-5", Meeting: 5, Place: "Kyzylorda (Қызылорда)", Date: "2026-01-20",
		From: 3, To: 4, SourceURL: "https://eku.kz", Kind: "speech", Family: "Tokayev", Given: "Kassym-Jomart",
		Forms: map[string]PersonName{"kk": {Family: "Тоқаев", Given: "Қасым-Жомарт"}, "ru": {Family: "Токаев", Given: "Касым-Жомарт"}}}
	c2 := c
	c2.From, c2.To = 11, 11
	c3 := Citation{Speaker: "Главчев, Димитър Борисов", Title: "Главчев, Димитър Борисов", Body: "ParlaMint-BG",
		Session: "ParlaMint-BG_2017-05-11", Meeting: 11, Place: "Sofia, Bulgaria", Date: "2017-05-11", From: 1, To: 1, Kind: "speech"}
	return []Passage{
		{UID: "u1", Owner: "local:test", Archive: "a", Doc: "nk-5/address", From: 3, To: 4,
			Quote: "The central proposal is a Parliament of one chamber.\n\nIn the new Parliament there would be no quota.",
			Note:  "Compare the 2022 referendum; 100% & {braces}", Tags: []string{"parliament", "reform"}, Created: "2026-11-27T00:00:00Z", Updated: "2026-11-27T00:00:00Z", Citation: c},
		{UID: "u2", Owner: "local:test", Archive: "a", Doc: "nk-5/address", From: 11, To: 11,
			Quote: "A Constitutional Commission would prepare the amendments.", Tags: []string{"referendum"},
			Created: "2026-11-27T00:00:01Z", Updated: "2026-11-27T00:00:01Z", Citation: c2},
		{UID: "u3", Owner: "local:test", Archive: "a", Doc: "ParlaMint-BG_2017-05-11.u1", From: 1, To: 1,
			Quote: "Добро утро, уважаеми колеги!", Created: "2026-11-27T00:00:02Z", Updated: "2026-11-27T00:00:02Z", Citation: c3},
	}
}

// TestWritePassages pins every export format with golden files (refresh
// with go test ./sessions -run TestWritePassages -update).
func TestWritePassages(t *testing.T) {
	for _, f := range append(ExportFormats, "md-session", "md-tag") {
		t.Run(f, func(t *testing.T) {
			format, group, _ := strings.Cut(f, "-")
			if format == "csl" || format == "csl-json" {
				format, group = "csl-json", ""
			}
			var b bytes.Buffer
			if err := WritePassages(&b, format, group, samplePassages()); err != nil {
				t.Fatal(err)
			}
			golden.RequireEqual(t, b.Bytes())
		})
	}
}

// Without keys from the archive, a document's key is made from the
// passages: one key a document, whatever its paragraphs.
func TestCitationKeys(t *testing.T) {
	keys := Keys(samplePassages())
	want := []string{"tokayev2026nk5", "tokayev2026nk5", "glavchev2017parlamintbg20170511"}
	for i := range want {
		if keys[i] != want[i] {
			t.Errorf("key %d = %q, want %q", i, keys[i], want[i])
		}
	}
}

// The CSL-JSON carries the fields the CSL schema requires of an item (id
// and type) and those citeproc needs to cite a speech.
func TestCSLJSONFields(t *testing.T) {
	var b bytes.Buffer
	WritePassages(&b, "csl-json", "", samplePassages())
	var items []map[string]any
	if err := json.Unmarshal(b.Bytes(), &items); err != nil {
		t.Fatal(err)
	}
	for _, it := range items {
		for _, f := range []string{"id", "type", "title", "issued", "author", "event-title"} {
			if _, ok := it[f]; !ok {
				t.Errorf("item %v lacks %s", it["id"], f)
			}
		}
		if it["type"] != "speech" {
			t.Errorf("type %v", it["type"])
		}
	}
}

func TestWritePassagesJSONRoundTrip(t *testing.T) {
	var b bytes.Buffer
	WritePassages(&b, "json", "", samplePassages())
	var doc struct {
		Version  int       `json:"kurultai_bookmarks"`
		Passages []Passage `json:"passages"`
	}
	if err := json.Unmarshal(b.Bytes(), &doc); err != nil || doc.Version != 1 || len(doc.Passages) != 3 || doc.Passages[0].Tags[1] != "reform" {
		t.Fatalf("json export does not read back: %v %+v", err, doc)
	}
}
