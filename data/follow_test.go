package data

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"kurultai/sessions"
)

// genSessions generates an archive's sessions with ids of a prefix of its
// own, so that two seeds give sessions that can stand side by side.
func genSessions(t *testing.T, seed int64, paragraphs, n int, prefix string) []sessions.Session {
	t.Helper()
	var out []sessions.Session
	err := sessions.Generate(sessions.GenOptions{Paragraphs: paragraphs, Sessions: n, Seed: seed, Prefix: prefix}, func(s *sessions.Session) error {
		out = append(out, *s)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// The counts of what is new for follows agree with an independent count:
// every result of the follow's search (the exact search, all of it),
// kept when it is in a session the second import added, or is a paragraph
// or a timeline event the test changed.
func TestFollowCountsAgree(t *testing.T) {
	ctx := context.Background()
	d := MustOpen(t)
	old := genSessions(t, 1, 3000, 30, "gen-")
	if err := d.Replace(ctx, "", old); err != nil {
		t.Fatal(err)
	}
	seen, _ := d.LastBatch(ctx)

	fresh := genSessions(t, 2, 600, 5, "new-")
	newSessions := map[string]bool{}
	for _, s := range fresh {
		newSessions[s.ID] = true
	}
	// Change an old session: a paragraph rewritten, one added, a
	// timeline event added.
	changed := old[2]
	changed.Speeches = append([]sessions.Speech(nil), changed.Speeches...)
	sp0 := &changed.Speeches[0]
	sp0.Paragraphs = append([]sessions.Paragraph(nil), sp0.Paragraphs...)
	sp0.Paragraphs[0].Text = "The referendum was amended, and the reform with it."
	sp1 := &changed.Speeches[1]
	sp1.Paragraphs = append(append([]sessions.Paragraph(nil), sp1.Paragraphs...),
		sessions.Paragraph{Number: len(sp1.Paragraphs) + 1, Text: "A new word on the referendum and the parliament."})
	newParas := map[string]bool{
		fmt.Sprintf("%s ¶%d", sp0.ID, 1):                   true,
		fmt.Sprintf("%s ¶%d", sp1.ID, len(sp1.Paragraphs)): true,
	}
	changed.Proposals = append([]sessions.Proposal(nil), changed.Proposals...)
	if len(changed.Proposals) == 0 {
		t.Fatal("the generated session has no proposal to change")
	}
	pr := &changed.Proposals[0]
	pr.Timeline = append(append([]sessions.Event(nil), pr.Timeline...),
		sessions.Event{Date: "2026-06-01", Status: "adopted", Note: "The referendum reform was adopted.", Source: "the record"})
	pr.Status = "adopted"
	newEvents := map[string]bool{fmt.Sprintf("%s #%d", pr.ID, len(pr.Timeline)): true}

	im, err := d.BeginImport(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range append(fresh, changed) {
		s := s
		if _, err := im.Write(&s, "", "update.json"); err != nil {
			t.Fatal(err)
		}
	}
	if err := im.Commit(); err != nil {
		t.Fatal(err)
	}

	isNew := func(h Hit) bool {
		switch {
		case newSessions[h.Session]:
			return true
		case h.Kind == KindSpeech:
			return newParas[fmt.Sprintf("%s ¶%d", h.Speech, h.Paragraph)]
		case h.Kind == KindTimeline:
			return newEvents[fmt.Sprintf("%s #%d", h.Speech, h.Event)]
		}
		return false
	}
	expect := func(query string) int {
		n := 0
		if _, err := d.Each(ctx, ParseQuery(query), true, func(h Hit) error {
			if isNew(h) {
				n++
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		return n
	}
	speaker := fresh[0].Speeches[0].Speaker.ID
	cases := []struct {
		f     Follow
		query string // the search whose new results the follow counts
	}{
		{Follow{Kind: FollowSearch, Target: "referendum"}, "referendum"},
		{Follow{Kind: FollowSearch, Target: "the"}, "the"},
		{Follow{Kind: FollowSearch, Target: "reform -parliament"}, "reform -parliament"},
		{Follow{Kind: FollowSearch, Target: `"referendum reform"`}, `"referendum reform"`},
		{Follow{Kind: FollowSearch, Target: "adopted kind:timeline"}, "adopted kind:timeline"},
		{Follow{Kind: FollowSearch, Target: "referendum from:2026-01-01"}, "referendum from:2026-01-01"},
		{Follow{Kind: FollowSpeaker, Target: speaker}, "speaker:" + speaker},
		{Follow{Kind: FollowBody, Target: "Synthetic Kurultai"}, "from:1000-01-01"},
	}
	nc := d.NewCounter()
	for _, c := range cases {
		f := c.f
		f.SeenBatch = seen
		if err := nc.Count(ctx, &f); err != nil {
			t.Fatal(err)
		}
		want := expect(c.query)
		if f.New != want || !f.Problem.IsZero() {
			t.Errorf("%s %q: %d new (%s), an independent count finds %d", f.Kind, f.Target, f.New, f.Problem, want)
		}
		if f.Kind == FollowSearch && c.query == "referendum" && want < 3 {
			t.Errorf("the test changed too little to tell: %d new results for referendum", want)
		}
	}
	// Seen after the import, nothing is new.
	for _, c := range cases {
		f := c.f
		f.SeenBatch, _ = d.LastBatch(ctx)
		if err := nc.Count(ctx, &f); err != nil || f.New != 0 {
			t.Errorf("%s %q seen now: %d new, %v", f.Kind, f.Target, f.New, err)
		}
	}
	// A proposal: its new event, and its status moved.
	f := Follow{Kind: FollowProposal, Target: pr.ID}
	if err := d.CheckFollow(ctx, &f); err != nil {
		t.Fatal(err)
	}
	f.SeenBatch, f.seenStatus = seen, old[2].Proposals[0].CurrentStatus()
	if err := nc.Count(ctx, &f); err != nil || f.New != 1 || f.Status != "adopted" || f.StatusMoved != (f.seenStatus != "adopted") {
		t.Errorf("the proposal: %+v %v", f, err)
	}
	// A query this kurultai does not read is kept, with its problem.
	bad := Follow{Kind: FollowSearch, Target: "ref* par* con* dep* sen* pre* cou* law* bud*", SeenBatch: seen}
	if err := nc.Count(ctx, &bad); err != nil || bad.Problem.IsZero() {
		t.Errorf("an unreadable query: %+v %v", bad, err)
	}
}

// Follows live in the bookmarks file: added once, listed, seen, removed,
// each owner their own, numbers never given twice.
func TestFollowsFile(t *testing.T) {
	ctx := context.Background()
	d := searchArchive(t)
	b, err := OpenBookmarks(ctx, t.TempDir()+"/marks.db")
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	archive, _ := d.ArchiveID(ctx)
	last, _ := d.LastBatch(ctx)
	for _, f := range []Follow{{Kind: FollowSearch, Target: "referendum"}, {Kind: FollowSpeaker, Target: "tokayev"},
		{Kind: FollowBody, Target: "National Kurultai"}, {Kind: FollowProposal, Target: "nk-5/p1-unicameral-parliament"}} {
		f := f
		if err := d.CheckFollow(ctx, &f); err != nil {
			t.Fatalf("%+v: %v", f, err)
		}
		if _, err := b.AddFollow(ctx, "alice", archive, &f, last); err != nil {
			t.Fatal(err)
		}
	}
	again := Follow{Kind: FollowSearch, Target: "referendum", Name: "again"}
	var already *AlreadyFollowed
	if _, err := b.AddFollow(ctx, "alice", archive, &again, last); !errors.As(err, &already) || already.ID != 1 {
		t.Errorf("following twice: %v", err)
	}
	for _, bad := range []Follow{{Kind: FollowSpeaker, Target: "nobody"}, {Kind: FollowProposal, Target: "nk-9/p"},
		{Kind: FollowBody, Target: "Senate"}, {Kind: "mood", Target: "x"}, {Kind: FollowSearch, Target: "  "}} {
		if err := d.CheckFollow(ctx, &bad); err == nil {
			t.Errorf("%+v was accepted", bad)
		}
	}
	fs, err := b.Follows(ctx, "alice", archive)
	if err != nil || len(fs) != 4 || fs[1].Name != "Kassym-Jomart Tokayev (Қасым-Жомарт Тоқаев)" || fs[3].Name == "" {
		t.Fatalf("follows: %+v %v", fs, err)
	}
	if other, _ := b.Follows(ctx, "bob", archive); len(other) != 0 {
		t.Errorf("bob sees alice's follows: %+v", other)
	}
	if n, err := d.SeeFollows(ctx, b, "alice", 0); err != nil || n != 4 {
		t.Errorf("seeing all: %d %v", n, err)
	}
	if _, err := d.SeeFollows(ctx, b, "bob", 2); !errors.Is(err, ErrNoFollow) {
		t.Errorf("bob marked alice's follow: %v", err)
	}
	if err := b.RemoveFollow(ctx, "alice", 4); err != nil {
		t.Fatal(err)
	}
	f := Follow{Kind: FollowProposal, Target: "nk-5/p1-unicameral-parliament"}
	d.CheckFollow(ctx, &f)
	if id, err := b.AddFollow(ctx, "alice", archive, &f, last); err != nil || id != 5 {
		t.Errorf("a follow after a removed one got number %d (%v), want 5", id, err)
	}
}

// The new results a follow lists are those it counts, newest first.
func TestFollowHitsAreTheCount(t *testing.T) {
	ctx := context.Background()
	d := MustOpen(t)
	if err := d.Replace(ctx, "", genSessions(t, 1, 1500, 15, "gen-")); err != nil {
		t.Fatal(err)
	}
	seen, _ := d.LastBatch(ctx)
	fresh := genSessions(t, 3, 500, 4, "new-")
	if err := d.Replace(ctx, "", fresh); err != nil {
		t.Fatal(err)
	}
	nc := d.NewCounter()
	for _, f := range []Follow{{Kind: FollowSearch, Target: "referendum"}, {Kind: FollowSearch, Target: "the reform"},
		{Kind: FollowSpeaker, Target: fresh[0].Speeches[0].Speaker.ID}, {Kind: FollowBody, Target: "Synthetic Kurultai"}} {
		f.SeenBatch = seen
		if err := nc.Count(ctx, &f); err != nil {
			t.Fatal(err)
		}
		hits, err := nc.Hits(ctx, f, 0)
		if err != nil {
			t.Fatal(err)
		}
		if len(hits) != f.New || f.New == 0 {
			t.Errorf("%s %q: %d hits, %d counted", f.Kind, f.Target, len(hits), f.New)
		}
		for i, h := range hits {
			if !strings.HasPrefix(h.Session, "new-") {
				t.Errorf("%s %q: an old result %+v", f.Kind, f.Target, h)
				break
			}
			if i > 0 && h.Date > hits[i-1].Date {
				t.Errorf("%s %q: not newest first at %d", f.Kind, f.Target, i)
				break
			}
		}
		if few, _ := nc.Hits(ctx, f, 3); len(few) != min(3, f.New) {
			t.Errorf("%s %q: a limit of 3 gave %d", f.Kind, f.Target, len(few))
		}
	}
}
