package data

import (
	"context"
	"encoding/json"
	"path/filepath"
	"reflect"
	"testing"
)

// fill gives a store readers' state of every kind, a removed bookmark and
// follow among them, and a guest's.
func fill(t *testing.T, s StateStore) {
	t.Helper()
	ctx := context.Background()
	must := func(_ int64, err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(s.Add(ctx, passage("alice", "1/address", 3, 4, "on the referendum", "ref", "ch2")))
	must(s.Add(ctx, passage("alice", "2/speech", 1, 1, "")))
	gone, err := s.Add(ctx, passage("bob", "1/address", 5, 5, "removed later"))
	must(gone, err)
	must(s.Add(ctx, passage("bob", "1/address", 1, 2, "Қазақша жазба", "тег")))
	if err := s.Remove(ctx, "bob", gone); err != nil {
		t.Fatal(err)
	}
	must(s.Add(ctx, passage("guest:h1:9", "1/address", 1, 1, "a guest's")))
	must(s.AddFollow(ctx, "alice", "arch-1", &Follow{Name: "referendum", Kind: FollowSearch, Target: "referendum"}, 3))
	f, err := s.AddFollow(ctx, "bob", "arch-1", &Follow{Name: "p", Kind: FollowProposal, Target: "nk-5/p1", Status: "adopted"}, 3)
	must(f, err)
	must(s.AddFollow(ctx, "alice", "arch-1", &Follow{Name: "gone", Kind: FollowBody, Target: "Senate"}, 3))
	if err := s.RemoveFollow(ctx, "alice", f+1); err != nil {
		t.Fatal(err)
	}
	must(s.Baseline(ctx, "alice", "arch-1", 2))
	if err := s.MarkOpened(ctx, "alice", "arch-1", "nk-5", 4); err != nil {
		t.Fatal(err)
	}
}

// TestStateMovesLosslessly: a single server's file moves into PostgreSQL
// and back with every bookmark (numbers, uids, tags, notes, times),
// follow, baseline and opened document as it was, guests' left behind;
// loading again adds nothing; and neither store gives a number again that
// the first gave, removed ones too.
func TestStateMovesLosslessly(t *testing.T) {
	ctx := context.Background()
	file, _ := sqliteStore(t)
	pg, _ := pgStore(t)
	src := file.(StateStore)
	fill(t, src)
	st, err := src.DumpState(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(st.Bookmarks) != 3 || len(st.Follows) != 2 || len(st.Baselines) != 1 || len(st.Opened) != 1 || st.Next.Bookmark != 5 || st.Next.Follow != 3 {
		t.Fatalf("dumped %d bookmarks, %d follows, %d baselines, %d opened, next %+v", len(st.Bookmarks), len(st.Follows),
			len(st.Baselines), len(st.Opened), st.Next)
	}
	// Through JSON, as kurultai state export writes it.
	b, err := json.Marshal(st)
	if err != nil {
		t.Fatal(err)
	}
	var read State
	if err := json.Unmarshal(b, &read); err != nil {
		t.Fatal(err)
	}
	dst := pg.(StateStore)
	r, err := dst.LoadState(ctx, &read)
	if err != nil || r != (StateLoaded{Bookmarks: 3, Follows: 2, Baselines: 1, Opened: 1}) {
		t.Fatalf("loaded %+v, %v", r, err)
	}
	back, err := dst.DumpState(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(back, st) {
		t.Errorf("PostgreSQL holds\n%+v\nthe file held\n%+v", back, st)
	}
	r, err = dst.LoadState(ctx, &read)
	if err != nil || r != (StateLoaded{SkippedBookmarks: 3, SkippedFollows: 2, Opened: 1}) {
		t.Errorf("loading again: %+v, %v", r, err)
	}
	// The numbers go on after the highest the file ever gave.
	id, err := dst.Add(ctx, passage("carol", "3/new", 1, 1, ""))
	if err != nil || id != 6 {
		t.Errorf("the next bookmark in PostgreSQL is %d (%v), want 6", id, err)
	}
	fid, err := dst.AddFollow(ctx, "carol", "arch-1", &Follow{Name: "x", Kind: FollowSearch, Target: "x"}, 1)
	if err != nil || fid != 4 {
		t.Errorf("the next follow in PostgreSQL is %d (%v), want 4", fid, err)
	}

	// And back into a new file, which already has a bookmark of its own
	// that holds number 1: the loaded one is given a new number.
	other := filepath.Join(t.TempDir(), "bookmarks.db")
	f2, err := OpenBookmarks(ctx, other)
	if err != nil {
		t.Fatal(err)
	}
	defer f2.Close()
	if _, err := f2.Add(ctx, passage("dave", "9/own", 1, 1, "")); err != nil {
		t.Fatal(err)
	}
	all, err := dst.DumpState(ctx)
	if err != nil {
		t.Fatal(err)
	}
	r, err = f2.LoadState(ctx, all)
	if err != nil || r.Bookmarks != 4 || r.Renumbered != 1 || r.Follows != 3 {
		t.Errorf("into a file with a bookmark 1 of its own: %+v, %v", r, err)
	}
	if n, _ := f2.Count(ctx, "alice", BookmarkFilter{Text: "#ch2"}); n != 1 {
		t.Errorf("tags did not come back: %d", n)
	}
	if id, _ := f2.Add(ctx, passage("dave", "9/own", 2, 2, "")); id <= 6 {
		t.Errorf("the file gives number %d again", id)
	}
}
