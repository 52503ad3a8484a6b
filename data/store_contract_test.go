package data

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"

	"kurultai/data/pgtest"
	"kurultai/sessions"
)

// twoHandles opens a store twice, as two servers (or two processes) of
// one archive open it: what one writes, the other must read.
type twoHandles func(t *testing.T) (a, b Store)

func sqliteStore(t *testing.T) (Store, Store) {
	path := filepath.Join(t.TempDir(), "bookmarks.db")
	open := func() Store {
		b, err := OpenBookmarks(context.Background(), path)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { b.Close() })
		return b
	}
	return open(), open()
}

func pgStore(t *testing.T) (Store, Store) {
	addr := pgtest.Start(t).NewDatabase(t)
	open := func() Store {
		s, err := OpenPGStore(context.Background(), addr)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		return s
	}
	return open(), open()
}

// TestStoreContract runs the same checks on each store: the SQLite file of
// a laptop or a single server, and PostgreSQL, which several servers share.
func TestStoreContract(t *testing.T) {
	for name, open := range map[string]twoHandles{"sqlite": sqliteStore, "postgres": pgStore} {
		t.Run(name, func(t *testing.T) { storeContract(t, open) })
	}
}

func passage(owner, doc string, from, to int, note string, tags ...string) *sessions.Passage {
	return &sessions.Passage{Owner: owner, Archive: "arch-1", Doc: doc, From: from, To: to,
		Quote: fmt.Sprintf("The words of %s, ¶ %d to %d. Құрылтай", doc, from, to), Note: note, Tags: tags,
		Citation: sessions.Citation{Session: "nk-" + doc[:1], Date: "2026-01-" + fmt.Sprintf("%02d", from)}}
}

func bookmarkIDs(bs []Bookmark) []int64 {
	var out []int64
	for _, b := range bs {
		out = append(out, b.ID)
	}
	return out
}

func storeContract(t *testing.T, open twoHandles) {
	ctx := context.Background()
	a, b := open(t)

	// Add, and the same passage again: the bookmark that keeps it.
	first, err := a.Add(ctx, passage("alice", "1/address", 3, 4, "on the referendum", "ref", "ch2"))
	if err != nil || first < 1 {
		t.Fatalf("Add: %d, %v", first, err)
	}
	again, err := b.Add(ctx, passage("alice", "1/address", 3, 4, "twice"))
	var kept *AlreadyKept
	if !errors.As(err, &kept) || again != first || kept.ID != first {
		t.Fatalf("the same passage again: %d, %v; want %d and AlreadyKept", again, err, first)
	}
	second, _ := a.Add(ctx, passage("alice", "2/speech", 1, 1, "Parliament in one chamber", "ch2"))
	third, _ := b.Add(ctx, passage("alice", "1/address", 7, 7, ""))
	other, _ := a.Add(ctx, passage("bob", "1/address", 3, 4, "bob's own"))

	// What one handle wrote, the other lists, oldest first, with tags.
	list, err := b.List(ctx, "alice", BookmarkFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := bookmarkIDs(list), []int64{first, second, third}; !slices.Equal(got, want) {
		t.Fatalf("alice's list %v, want %v", got, want)
	}
	if got := list[0]; got.Note != "on the referendum" || !slices.Equal(got.Tags, []string{"ch2", "ref"}) || got.Archive != "arch-1" ||
		got.Citation.Session != "nk-1" || got.Citation.Date != "2026-01-03" || got.UID == "" || got.Created == "" {
		t.Errorf("first bookmark read back as %+v", got)
	}

	// Filters: a tag, a document, words in any case and script, a tag
	// by #, and the count of each.
	for _, c := range []struct {
		f    BookmarkFilter
		want []int64
	}{
		{BookmarkFilter{Tag: "ch2"}, []int64{first, second}},
		{BookmarkFilter{Doc: "1/address"}, []int64{first, third}},
		{BookmarkFilter{Text: "PARLIAMENT"}, []int64{second}},
		{BookmarkFilter{Text: "құрылтай"}, []int64{first, second, third}},
		{BookmarkFilter{Text: "#REF"}, []int64{first}},
		{BookmarkFilter{Text: "CH2"}, []int64{first, second}}, // in tags alone
		{BookmarkFilter{Text: "nobody wrote this"}, nil},
	} {
		got, err := a.List(ctx, "alice", c.f)
		if err != nil {
			t.Fatal(err)
		}
		n, err := a.Count(ctx, "alice", c.f)
		if err != nil || n != len(c.want) || !slices.Equal(bookmarkIDs(got), c.want) {
			t.Errorf("filter %+v: %v (count %d, %v), want %v", c.f, bookmarkIDs(got), n, err, c.want)
		}
	}

	// The screen's order: newest session date first, a page at a time.
	screen, err := a.List(ctx, "alice", BookmarkFilter{Screen: true, Limit: 2})
	if err != nil || !slices.Equal(bookmarkIDs(screen), []int64{third, first}) {
		t.Errorf("screen page 1: %v, %v", bookmarkIDs(screen), err)
	}
	screen, _ = a.List(ctx, "alice", BookmarkFilter{Screen: true, Limit: 2, Offset: 2})
	if !slices.Equal(bookmarkIDs(screen), []int64{second}) || len(screen[0].Tags) != 1 {
		t.Errorf("screen page 2: %+v", screen)
	}

	// One owner never reaches another's.
	if got, _ := a.List(ctx, "bob", BookmarkFilter{}); !slices.Equal(bookmarkIDs(got), []int64{other}) {
		t.Errorf("bob's list %v", bookmarkIDs(got))
	}
	if err := b.Remove(ctx, "bob", first); !errors.Is(err, ErrNotFound) {
		t.Errorf("bob removed alice's bookmark: %v", err)
	}
	if err := b.Edit(ctx, "bob", first, "mine now", nil); !errors.Is(err, ErrNotFound) {
		t.Errorf("bob edited alice's bookmark: %v", err)
	}
	if _, err := b.Get(ctx, "bob", first); !errors.Is(err, ErrNotFound) {
		t.Errorf("bob read alice's bookmark: %v", err)
	}

	// Edit: the note, the tags, and the filter follows them.
	if err := b.Edit(ctx, "alice", second, "one chamber, not two", []string{"senate"}); err != nil {
		t.Fatal(err)
	}
	got, err := a.Get(ctx, "alice", second)
	if err != nil || got.Note != "one chamber, not two" || !slices.Equal(got.Tags, []string{"senate"}) || got.Updated < got.Created {
		t.Errorf("after Edit: %+v, %v", got, err)
	}
	if n, _ := a.Count(ctx, "alice", BookmarkFilter{Text: "parliament"}); n != 0 {
		t.Errorf("the old note is still found (%d)", n)
	}
	if n, _ := a.Count(ctx, "alice", BookmarkFilter{Text: "#senate"}); n != 1 {
		t.Errorf("the new tag is not found (%d)", n)
	}

	// Delete and undo, as the bookmarks screen does: the bookmark read
	// whole, removed, and added back with its uid, note, tags and times.
	gone, err := a.Get(ctx, "alice", first)
	if err != nil {
		t.Fatal(err)
	}
	if err := a.Remove(ctx, "alice", first); err != nil {
		t.Fatal(err)
	}
	back := gone.Passage
	restored, err := b.Add(ctx, &back)
	if err != nil || restored <= other {
		t.Fatalf("undo: %d, %v", restored, err)
	}
	got2, err := a.Get(ctx, "alice", restored)
	if err != nil || got2.UID != gone.UID || got2.Note != gone.Note || !slices.Equal(got2.Tags, gone.Tags) || got2.Created != gone.Created {
		t.Errorf("undone as %+v (%v), deleted as %+v", got2, err, gone)
	}
	first = restored

	// Remove, and a number is never given again.
	if err := a.Remove(ctx, "alice", third); err != nil {
		t.Fatal(err)
	}
	if err := b.Remove(ctx, "alice", third); !errors.Is(err, ErrNotFound) {
		t.Errorf("removing twice: %v", err)
	}
	fourth, err := b.Add(ctx, passage("alice", "1/address", 7, 7, "back again"))
	if err != nil || fourth <= other {
		t.Errorf("a bookmark added after a removal is %d (%v), not after %d", fourth, err, other)
	}

	// Import: by uid, once, and a passage kept under another uid is
	// skipped.
	all, _ := a.List(ctx, "alice", BookmarkFilter{})
	var export []sessions.Passage
	for _, bm := range all {
		export = append(export, bm.Passage)
	}
	export = append(export, *passage("x", "3/new", 2, 2, "from a file", "imported"))
	added, skipped, err := b.Import(ctx, "carol", export)
	if err != nil || added != 1 || skipped != len(all) {
		t.Errorf("import into carol: %d added, %d skipped, %v; want 1 and %d", added, skipped, err, len(all))
	}
	added, skipped, err = a.Import(ctx, "carol", export)
	if err != nil || added != 0 || skipped != len(export) {
		t.Errorf("import again: %d added, %d skipped, %v", added, skipped, err)
	}

	followContract(t, a, b)

	// Forget: a prefix's owners lose everything, the others nothing.
	if _, err := a.Add(ctx, passage("guest:h1:7", "1/address", 1, 1, "")); err != nil {
		t.Fatal(err)
	}
	if _, err := a.AddFollow(ctx, "guest:h1:7", "arch-1", &Follow{Name: "x", Kind: FollowSearch, Target: "x"}, 1); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Add(ctx, passage("guest:h2:7", "1/address", 1, 1, "")); err != nil {
		t.Fatal(err)
	}
	if n, err := b.Forget(ctx, "guest:h1:"); err != nil || n != 1 {
		t.Errorf("Forget: %d, %v", n, err)
	}
	if fs, _ := a.Follows(ctx, "guest:h1:7", "arch-1"); len(fs) != 0 {
		t.Errorf("a forgotten guest's follows remain: %v", fs)
	}
	if n, _ := a.Count(ctx, "guest:h2:7", BookmarkFilter{}); n != 1 {
		t.Errorf("another host's guest lost its bookmark")
	}
	if n, _ := a.Count(ctx, "alice", BookmarkFilter{}); n != 3 {
		t.Errorf("alice has %d bookmarks after Forget, want 3", n)
	}
	if _, err := a.Forget(ctx, ""); err == nil {
		t.Error("Forget of every owner was not refused")
	}

	concurrentContract(t, a, b)
	limitsContract(t, a, b)
}

// limitsContract: both stores keep the same text and refuse the same:
// long tags and queries are kept, a NUL byte or bytes that are not UTF-8
// are refused in plain words; and sessions that start at once agree on a
// reader's baseline.
func limitsContract(t *testing.T, a, b Store) {
	ctx := context.Background()
	long := strings.Repeat("құрылтай ", 400) // 6,800 bytes
	id, err := a.Add(ctx, passage("erin", "5/long", 1, 1, long, long))
	if err != nil {
		t.Fatalf("a long note and tag: %v", err)
	}
	if n, _ := b.Count(ctx, "erin", BookmarkFilter{Tag: long}); n != 1 {
		t.Errorf("the long tag finds %d", n)
	}
	if err := b.Edit(ctx, "erin", id, "short", []string{long, long + "x"}); err != nil {
		t.Errorf("editing with long tags: %v", err)
	}
	if _, err := a.AddFollow(ctx, "erin", "arch-1", &Follow{Name: "long", Kind: FollowSearch, Target: long}, 1); err != nil {
		t.Errorf("following a long query: %v", err)
	}
	var already *AlreadyFollowed
	if _, err := b.AddFollow(ctx, "erin", "arch-1", &Follow{Name: "long", Kind: FollowSearch, Target: long}, 1); !errors.As(err, &already) {
		t.Errorf("following the long query again: %v", err)
	}
	for _, bad := range []string{"a\x00b", "\xff\xfe"} {
		if _, err := a.Add(ctx, passage("erin", "5/bad", 2, 2, bad)); !errors.Is(err, ErrNotKeepable) {
			t.Errorf("a note %q: %v", bad, err)
		}
		if err := a.Edit(ctx, "erin", id, "ok", []string{bad}); !errors.Is(err, ErrNotKeepable) {
			t.Errorf("a tag %q: %v", bad, err)
		}
		if _, err := a.AddFollow(ctx, "erin", "arch-1", &Follow{Name: "x", Kind: FollowSearch, Target: bad}, 1); !errors.Is(err, ErrNotKeepable) {
			t.Errorf("a query %q: %v", bad, err)
		}
	}
	var wg sync.WaitGroup
	got := make([]int64, 8)
	for i := range got {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s := a
			if i%2 == 1 {
				s = b
			}
			n, err := s.Baseline(ctx, "frank", "arch-1", int64(10+i))
			if err != nil {
				t.Errorf("baseline %d: %v", i, err)
			}
			got[i] = n
		}()
	}
	wg.Wait()
	for _, n := range got {
		if n != got[0] || n < 10 {
			t.Errorf("sessions starting at once disagree on the baseline: %v", got)
			break
		}
	}
}

func followContract(t *testing.T, a, b Store) {
	ctx := context.Background()
	f := &Follow{Name: "referendum", Kind: FollowSearch, Target: "referendum"}
	id, err := a.AddFollow(ctx, "alice", "arch-1", f, 5)
	if err != nil || id < 1 || f.ID != id || f.SeenBatch != 5 || f.SeenAt == "" {
		t.Fatalf("AddFollow: %d, %v, %+v", id, err, f)
	}
	var already *AlreadyFollowed
	if _, err := b.AddFollow(ctx, "alice", "arch-1", &Follow{Name: "again", Kind: FollowSearch, Target: "referendum"}, 6); !errors.As(err, &already) || already.ID != id {
		t.Errorf("following again: %v", err)
	}
	p, _ := b.AddFollow(ctx, "alice", "arch-1", &Follow{Name: "A proposal", Kind: FollowProposal, Target: "nk-5/p1", Status: "adopted"}, 5)
	if _, err := b.AddFollow(ctx, "bob", "arch-1", &Follow{Name: "referendum", Kind: FollowSearch, Target: "referendum"}, 5); err != nil {
		t.Errorf("bob cannot follow what alice follows: %v", err)
	}
	if _, err := b.AddFollow(ctx, "alice", "arch-2", &Follow{Name: "referendum", Kind: FollowSearch, Target: "referendum"}, 1); err != nil {
		t.Errorf("alice cannot follow it in another archive: %v", err)
	}
	fs, err := b.Follows(ctx, "alice", "arch-1")
	if err != nil || len(fs) != 2 || fs[0].ID != id || fs[1].ID != p || fs[1].seenStatus != "adopted" || fs[0].Name != "referendum" {
		t.Fatalf("Follows: %+v, %v", fs, err)
	}
	if err := a.SetSeen(ctx, "alice", p, 9, "signed"); err != nil {
		t.Fatal(err)
	}
	if err := a.SetSeen(ctx, "bob", p, 9, ""); !errors.Is(err, ErrNoFollow) {
		t.Errorf("bob marked alice's follow seen: %v", err)
	}
	fs, _ = b.Follows(ctx, "alice", "arch-1")
	if fs[1].SeenBatch != 9 || fs[1].seenStatus != "signed" {
		t.Errorf("after SetSeen: %+v", fs[1])
	}
	if err := b.RemoveFollow(ctx, "bob", id); !errors.Is(err, ErrNoFollow) {
		t.Errorf("bob removed alice's follow: %v", err)
	}
	if err := b.RemoveFollow(ctx, "alice", id); err != nil {
		t.Fatal(err)
	}
	if fs, _ := a.Follows(ctx, "alice", "arch-1"); len(fs) != 1 || fs[0].ID != p {
		t.Errorf("after RemoveFollow: %+v", fs)
	}

	// The baseline is the first one kept; what was opened keeps its
	// newest batch.
	if n, err := a.Baseline(ctx, "alice", "arch-1", 4); err != nil || n != 4 {
		t.Errorf("first baseline: %d, %v", n, err)
	}
	if n, err := b.Baseline(ctx, "alice", "arch-1", 8); err != nil || n != 4 {
		t.Errorf("second baseline: %d, %v; want the first, 4", n, err)
	}
	for _, batch := range []int64{3, 7, 5} {
		if err := a.MarkOpened(ctx, "alice", "arch-1", "nk-5", batch); err != nil {
			t.Fatal(err)
		}
	}
	b.MarkOpened(ctx, "bob", "arch-1", "nk-4", 2)
	opened, err := b.Opened(ctx, "alice", "arch-1", []string{"nk-5", "nk-4", "nk-3"})
	if err != nil || !reflect.DeepEqual(opened, map[string]int64{"nk-5": 7}) {
		t.Errorf("Opened: %v, %v", opened, err)
	}
}

// concurrentContract: two handles writing at once lose nothing, and the
// same passage added by both at once is kept once.
func concurrentContract(t *testing.T, a, b Store) {
	ctx := context.Background()
	const each = 25
	var wg sync.WaitGroup
	errs := make(chan error, 2*each+2)
	for h, s := range []Store{a, b} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each {
				if _, err := s.Add(ctx, passage("dave", fmt.Sprintf("%d/doc", h+4), i+1, i+1, "")); err != nil {
					errs <- err
				}
			}
			_, err := s.Add(ctx, passage("dave", "9/same", 1, 2, ""))
			var kept *AlreadyKept
			if err != nil && !errors.As(err, &kept) {
				errs <- err
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Errorf("writing at once: %v", err)
	}
	if n, _ := a.Count(ctx, "dave", BookmarkFilter{}); n != 2*each+1 {
		t.Errorf("dave has %d bookmarks, want %d", n, 2*each+1)
	}
	if n, _ := b.Count(ctx, "dave", BookmarkFilter{Doc: "9/same"}); n != 1 {
		t.Errorf("the passage both added at once is kept %d times", n)
	}
}

// TestCiteFromEitherStore: bookmarks read from either store are cited and
// anchored again the same way: where they were made (ok), where their
// text moved to (moved), or nowhere (orphaned).
func TestCiteFromEitherStore(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "a.db")
	if _, err := EnsureSample(ctx, path); err != nil {
		t.Fatal(err)
	}
	d, err := Open(ctx, path, ReadOnly)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	for name, open := range map[string]twoHandles{"sqlite": sqliteStore, "postgres": pgStore} {
		t.Run(name, func(t *testing.T) {
			s, other := open(t)
			ok, err := d.NewPassage(ctx, "alice", "nk-5/address", 2, 2)
			if err != nil {
				t.Fatal(err)
			}
			moved, orphaned := *ok, *ok
			moved.From, moved.To = 5, 5 // its text is ¶ 2's
			orphaned.From, orphaned.To, orphaned.Quote = 7, 7, "words that no paragraph of this speech holds, anywhere at all"
			for _, p := range []*sessions.Passage{ok, &moved, &orphaned} {
				p.UID = ""
				if _, err := s.Add(ctx, p); err != nil {
					t.Fatal(err)
				}
			}
			list, err := other.List(ctx, "alice", BookmarkFilter{})
			if err != nil {
				t.Fatal(err)
			}
			cited, err := d.Cite(ctx, list, "")
			if err != nil {
				t.Fatal(err)
			}
			var states []string
			for _, p := range cited {
				states = append(states, fmt.Sprintf("%s ¶%d", p.State, p.Citation.From))
			}
			if want := []string{"ok ¶2", "moved ¶2", "orphaned ¶0"}; !slices.Equal(states, want) {
				t.Errorf("cited as %v, want %v", states, want)
			}
		})
	}
}
