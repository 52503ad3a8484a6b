package data

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"testing"

	"kurultai/sessions"
)

func TestBookmarks(t *testing.T) {
	ctx := context.Background()
	d := MustOpen(t)
	all, _ := sessions.Sample()
	d.Replace(ctx, "sample", all)
	bm, err := OpenBookmarks(ctx, filepath.Join(t.TempDir(), "bookmarks.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer bm.Close()
	p, err := d.NewPassage(ctx, "alice", "nk-5/address", 3, 4)
	if err != nil {
		t.Fatal(err)
	}
	if p.Citation.Speaker == "" || p.Citation.Meeting != 5 || p.Archive == "" || len(p.Quote) < 100 {
		t.Fatalf("passage: %+v", p)
	}
	p.Tags = []string{"reform", "parliament"}
	if _, err := bm.Add(ctx, p); err != nil {
		t.Fatal(err)
	}
	q, _ := d.NewPassage(ctx, "bob", "nk-5/p8-commission-referendum", 1, 1)
	bm.Add(ctx, q)
	if _, err := d.NewPassage(ctx, "alice", "nk-5/address", 13, 14); err == nil {
		t.Error("a range past the last paragraph should be refused")
	}
	list, _ := bm.List(ctx, "alice", BookmarkFilter{})
	if len(list) != 1 || list[0].Tags[0] != "parliament" {
		t.Fatalf("alice sees %+v", list)
	}
	if list, _ := bm.List(ctx, "alice", BookmarkFilter{Tag: "nope"}); len(list) != 0 {
		t.Error("tag filter")
	}
	passages, err := d.Cite(ctx, list, "")
	if err != nil || len(passages) != 1 || passages[0].Citation.Place == "" {
		t.Fatalf("cite: %v %+v", err, passages)
	}
	// Import restores without duplicates.
	added, skipped, err := bm.Import(ctx, "alice", passages)
	if err != nil || added != 0 || skipped != 1 {
		t.Fatalf("re-import: added %d skipped %d %v", added, skipped, err)
	}
	// A passage without a uid is new, unless its owner keeps those
	// paragraphs already.
	passages[0].UID = ""
	if added, skipped, _ := bm.Import(ctx, "alice", passages); added != 0 || skipped != 1 {
		t.Errorf("the same paragraphs under a new uid: added %d skipped %d", added, skipped)
	}
	passages[0].UID, passages[0].From, passages[0].To = "", 5, 5
	if added, _, _ := bm.Import(ctx, "alice", passages); added != 1 {
		t.Error("a passage without a uid is new")
	}
	// One owner cannot remove another's bookmark.
	bobs, _ := bm.List(ctx, "bob", BookmarkFilter{})
	if err := bm.Remove(ctx, "alice", bobs[0].ID); !errors.Is(err, ErrNotFound) {
		t.Errorf("alice removed bob's bookmark: %v", err)
	}
	if err := bm.Remove(ctx, "bob", bobs[0].ID); err != nil {
		t.Error(err)
	}
	// A bookmarks file is not an archive, and the other way round.
	if _, err := Open(ctx, bm.db.Path(), ReadOnly); err == nil {
		t.Error("a bookmarks file opened as an archive")
	}
	if _, err := OpenBookmarks(ctx, d.Path()); err == nil {
		t.Error("an archive opened as a bookmarks file")
	}
	for _, r := range []string{"0", "3-2", "x", "1-y", ""} {
		if _, _, err := ParseRange(r); err == nil {
			t.Errorf("range %q accepted", r)
		}
	}
}

// After a re-import that inserts paragraphs, a bookmark finds its text
// again: exactly, fuzzily after an edit, or not at all.
func TestBookmarkReanchoring(t *testing.T) {
	ctx := context.Background()
	d := MustOpen(t)
	mk := func(text string) sessions.Session {
		return sessions.Session{ID: "r-1", Body: "B", Date: "2024-01-01", Title: "T",
			Speeches: []sessions.Speech{{ID: "r-1/s", SessionID: "r-1", Title: "S", Paragraphs: sessions.SplitParagraphs(text)}}}
	}
	d.Replace(ctx, "", []sessions.Session{mk("Alpha one two three four five.\n\nBeta six seven eight nine ten.\n\nGamma eleven twelve thirteen fourteen fifteen.")})
	exact, _ := d.NewPassage(ctx, "a", "r-1/s", 2, 2)
	edited, _ := d.NewPassage(ctx, "a", "r-1/s", 3, 3)
	gone, _ := d.NewPassage(ctx, "a", "r-1/s", 1, 1)
	bms := []Bookmark{{ID: 1, Passage: *exact}, {ID: 2, Passage: *edited}, {ID: 3, Passage: *gone}}
	// Two paragraphs inserted at the top, ¶ 3 lightly edited, ¶ 1 gone.
	d.Replace(ctx, "", []sessions.Session{mk("New first.\n\nNew second.\n\nBeta six seven eight nine ten.\n\nGamma eleven twelve thirteen fourteen sixteen.")})
	ps, err := d.Cite(ctx, bms, "")
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, p := range ps {
		got[p.UID+p.Quote[:4]] = fmt.Sprintf("%s %d-%d", p.State, p.From, p.To)
	}
	for k, want := range map[string]string{"Beta": "moved 3-3", "Gamm": "moved 4-4", "Alph": "orphaned 1-1"} {
		if got[k] != want {
			t.Errorf("%s: %q, want %q (all %v)", k, got[k], want, got)
		}
	}
	// Each is cited where its text now stands; the orphaned one, whose
	// text is nowhere, at no paragraph.
	for _, p := range ps {
		want := [2]int{p.From, p.To}
		if p.State == "orphaned" {
			want = [2]int{0, 0}
		}
		if got := [2]int{p.Citation.From, p.Citation.To}; got != want {
			t.Errorf("%s %s: cited at %v, want %v", p.State, p.Quote[:4], got, want)
		}
	}
}

// A paragraph whose hard-wrapped lines became one line is the same
// paragraph: its bookmarks stay where they were, not moved.
func TestAnchorIgnoresWhiteSpace(t *testing.T) {
	paras := []sessions.Paragraph{{Number: 1, Text: "First one"}, {Number: 2, Text: "The second paragraph, now on one line."}}
	from, to, state := anchor(paras, "The second paragraph,\nnow on one line.", 2, 2)
	if from != 2 || to != 2 || state != "" {
		t.Errorf("got ¶ %d–%d %q, want ¶ 2 as it was", from, to, state)
	}
}
