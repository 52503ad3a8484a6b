package ui

import (
	"context"
	"path/filepath"
	"testing"

	tea "charm.land/bubbletea/v2"

	"kurultai/data"
	"kurultai/sessions"
)

// After a re-import moves one bookmarked paragraph and removes another,
// the bookmarks screen says so, enter opens the moved one where its text
// now is (with the margin mark there), and the orphaned one in a labelled
// view of the text it was made with.
func TestMovedAndOrphanedBookmarks(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "archive.db")
	speech := func(texts ...string) []sessions.Session {
		var paras []sessions.Paragraph
		for i, s := range texts {
			paras = append(paras, sessions.Paragraph{Number: i + 1, Text: s})
		}
		return []sessions.Session{{ID: "t-1", Body: "Test", Number: 1, Date: "2024-01-01", Title: "Test session", Language: "en",
			Speeches: []sessions.Speech{{ID: "t-1/s", SessionID: "t-1", Order: 1, Title: "Speech", Language: "en",
				Speaker: sessions.Speaker{ID: "x", Name: "Speaker"}, Paragraphs: paras}}}}
	}
	w, err := data.Open(ctx, path, data.ReadWrite)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Replace(ctx, "", speech("Alpha opens.", "Beta moves later.", "Gamma goes away.")); err != nil {
		t.Fatal(err)
	}
	marks, err := data.OpenBookmarks(ctx, filepath.Join(dir, "bookmarks.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer marks.Close()
	for _, n := range []int{2, 3} {
		p, err := w.NewPassage(ctx, "tester", "t-1/s", n, n)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := marks.Add(ctx, p); err != nil {
			t.Fatal(err)
		}
	}
	// Beta is now ¶ 3; Gamma is gone.
	if err := w.Replace(ctx, "", speech("Alpha opens.", "A new paragraph.", "Beta moves later.")); err != nil {
		t.Fatal(err)
	}
	w.Close()
	db, err := data.Open(ctx, path, data.ReadOnly)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	d := &driver{t: t, m: New(ctx, db, Options{Theme: ThemeDark, Bookmarks: marks, Owner: "tester"})}
	d.send(tea.WindowSizeMsg{Width: 100, Height: 30})
	d.run(d.m.Init())
	d.press("B")
	d.expect("¶ 3 [moved]")
	d.expect("[orphaned]")
	// The rows are newest first by date, then as added: Beta, then Gamma.
	d.press("enter")
	r, ok := d.m.top().(*readerPage)
	if !ok || r.para != 3 {
		t.Fatalf("enter on the moved bookmark: %T at ¶ %v", d.m.top(), r)
	}
	d.expect("¶ 3/3")
	if r.view == nil || !r.view.marked[3] || r.view.marked[2] {
		t.Errorf("the margin mark should stand at ¶ 3 only: %v", r.view.marked)
	}
	d.press("esc")
	d.press("down", "enter")
	if _, ok := d.m.top().(*orphanPage); !ok {
		t.Fatalf("enter on the orphaned bookmark opened %T", d.m.top())
	}
	d.expect("Orphaned bookmark")
	d.expect("Gamma goes away.")
}
