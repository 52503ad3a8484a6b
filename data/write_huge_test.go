package data

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"kurultai/sessions"
)

// hugeSession is a session whose second paragraph is larger than hugeText,
// with a heading and a last word found nowhere else.
func hugeSession(last string) *sessions.Session {
	big := strings.Repeat("парламент word ", hugeText/18+1) + last
	return &sessions.Session{ID: "huge", Body: "B", Date: "2024-01-01", Title: "T",
		Speeches: []sessions.Speech{{ID: "huge/s", SessionID: "huge", Title: "S", Order: 1, Paragraphs: []sessions.Paragraph{
			{Number: 1, Text: "before"},
			{Number: 2, Heading: "Budgetheading", Text: big},
			{Number: 3, Text: "after"},
		}}}}
}

// matches counts the paragraphs that the full-text index finds for a query.
func matches(t *testing.T, d *DB, q string) int {
	t.Helper()
	var n int
	if err := d.SQL().QueryRow("SELECT count(*) FROM search_fts WHERE search_fts MATCH ?", "{tags}: k1 AND ("+q+")").Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// A paragraph larger than hugeText is written in steps (see writeHuge):
// the archive holds the same row, word count and index entries as for any
// other paragraph, a re-import changes nothing, and a changed one replaces
// its index entries.
func TestWriteHugeParagraph(t *testing.T) {
	ctx := context.Background()
	s := hugeSession("zebraword")
	want := s.Speeches[0].Paragraphs[1].Text
	dir := t.TempDir()
	src := filepath.Join(dir, "huge.json")
	writeDoc := func(s *sessions.Session) {
		f, err := os.Create(src)
		if err != nil {
			t.Fatal(err)
		}
		jw, _ := sessions.NewJSONWriter(f)
		if err := jw.Write(s); err != nil {
			t.Fatal(err)
		}
		if err := jw.Close(); err != nil {
			t.Fatal(err)
		}
		f.Close()
	}
	writeDoc(s)

	d := MustOpen(t)
	rep, err := d.ImportFiles(ctx, []string{src}, ImportOptions{})
	if err != nil || rep.Added != 1 {
		t.Fatalf("import: %+v %v", rep, err)
	}
	doc, err := d.Document(ctx, "huge/s")
	if err != nil {
		t.Fatal(err)
	}
	if len(doc.Paragraphs) != 3 || doc.Paragraphs[1].Text != want || doc.Paragraphs[1].Heading != "Budgetheading" ||
		doc.Paragraphs[0].Text != "before" || doc.Paragraphs[2].Text != "after" {
		t.Fatalf("paragraphs read back differ: %d of them", len(doc.Paragraphs))
	}
	var words int
	d.SQL().QueryRow("SELECT words FROM paragraphs WHERE text = ?", want).Scan(&words)
	if words != sessions.WordCount(want) {
		t.Errorf("words %d, want %d", words, sessions.WordCount(want))
	}
	for q, n := range map[string]int{"zebraword": 1, "budgetheading": 1, "парламент": 1, "before": 1, "after": 1} {
		if got := matches(t, d, q); got != n {
			t.Errorf("%s: %d matches, want %d", q, got, n)
		}
	}
	var rows int
	d.SQL().QueryRow("SELECT count(*) FROM search_fts WHERE search_fts MATCH '{tags}: k1'").Scan(&rows)
	if rows != 3 {
		t.Errorf("%d speech paragraphs in the index, want 3", rows)
	}
	assertIntegrity(t, d)

	// The same archive as writing it in one piece, through Replace.
	b := MustOpen(t)
	if err := b.Replace(ctx, "import", []sessions.Session{*hugeSession("zebraword")}); err != nil {
		t.Fatal(err)
	}
	h1, _ := d.RecordHash(ctx)
	h2, _ := b.RecordHash(ctx)
	if h1 != h2 {
		t.Error("import and Replace give different archives")
	}

	rep, err = d.ImportFiles(ctx, []string{src}, ImportOptions{})
	if err != nil || rep.Unchanged != 1 {
		t.Fatalf("re-import: %+v %v", rep, err)
	}
	writeDoc(hugeSession("yakword"))
	rep, err = d.ImportFiles(ctx, []string{src}, ImportOptions{})
	if err != nil || rep.Updated != 1 {
		t.Fatalf("changed import: %+v %v", rep, err)
	}
	if matches(t, d, "zebraword") != 0 || matches(t, d, "yakword") != 1 || matches(t, d, "budgetheading") != 1 {
		t.Error("the index still has the old paragraph, or not the new one")
	}
	assertIntegrity(t, d)
	// The archive's word counts, the huge paragraph's among them, are
	// the index's, after the import and after the change; and Replace's.
	sameCounts(t, "huge paragraph", archiveCounts(t, d), indexCounts(t, d))
	sameCounts(t, "huge paragraph by Replace", archiveCounts(t, b), indexCounts(t, b))
}

// A session that the import hands over is spent: the text of its huge
// paragraph is dropped from it once stored, so that memory holds SQLite's
// copy alone. A session that the caller keeps is left whole.
func TestWriteHugeParagraphSpendsOnlyWhatItIsGiven(t *testing.T) {
	ctx := context.Background()
	for _, spend := range []bool{false, true} {
		t.Run(fmt.Sprint("spend ", spend), func(t *testing.T) {
			d := MustOpen(t)
			s := hugeSession("zebraword")
			p, err := Prepare(s)
			if err != nil {
				t.Fatal(err)
			}
			p.spend = spend
			im, err := d.BeginImport(ctx)
			if err != nil {
				t.Fatal(err)
			}
			defer im.Rollback()
			if _, err := im.WritePrepared(p, "", ""); err != nil {
				t.Fatal(err)
			}
			if err := im.Commit(); err != nil {
				t.Fatal(err)
			}
			if dropped := s.Speeches[0].Paragraphs[1].Text == ""; dropped != spend {
				t.Errorf("text dropped: %v", dropped)
			}
			if s.Speeches[0].Paragraphs[0].Text != "before" {
				t.Error("a small paragraph was dropped")
			}
			if matches(t, d, "zebraword") != 1 {
				t.Error("not indexed")
			}
		})
	}
}
