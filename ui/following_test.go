package ui

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"kurultai/data"
	"kurultai/sessions"
)

// A reader follows a search and a proposal, a new sitting arrives and a
// speech changes; the lists, the reader and the following screen then say
// what is new, and marking it seen clears it.
func TestFollowingWhatIsNew(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "archive.db")
	if _, err := data.EnsureSample(ctx, path); err != nil {
		t.Fatal(err)
	}
	db, err := data.Open(ctx, path, data.ReadWrite)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	marks, err := data.OpenBookmarks(ctx, filepath.Join(t.TempDir(), "bookmarks.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer marks.Close()
	open := func() *driver {
		d := &driver{t: t, m: New(ctx, db, Options{Theme: ThemeASCII, Bookmarks: marks, Owner: "reader"})}
		d.send(tea.WindowSizeMsg{Width: 100, Height: 30})
		d.run(d.m.Init())
		return d
	}
	d := open()
	// Follow a search (f2 on the search screen) and a proposal (f in the
	// reader).
	d.send(tea.KeyPressMsg{Code: 'g', Mod: tea.ModCtrl})
	for _, r := range "referendum" {
		d.press(string(r))
	}
	d.press("f2")
	d.expect("Following “referendum”")
	d.press("esc")
	d.send(openDocMsg{id: "nk-5/p8-commission-referendum"})
	d.press("f")
	d.expect("Following “A Constitutional")
	d.press("F")
	d.expect("2 follows")
	d.expect("nothing new")

	// What arrives: a sixth meeting that names the referendum, a changed
	// paragraph in the fifth meeting's address, and a step of the
	// followed proposal.
	all, _ := sessions.Sample()
	var nk5 sessions.Session
	for _, s := range all {
		if s.ID == "nk-5" {
			nk5 = s
		}
	}
	nk5.Speeches = append([]sessions.Speech(nil), nk5.Speeches...)
	sp := &nk5.Speeches[0]
	sp.Paragraphs = append([]sessions.Paragraph(nil), sp.Paragraphs...)
	sp.Paragraphs[2].Text += " A sentence added later."
	nk5.Proposals = append([]sessions.Proposal(nil), nk5.Proposals...)
	for i := range nk5.Proposals {
		if nk5.Proposals[i].ID == "nk-5/p8-commission-referendum" {
			p := &nk5.Proposals[i]
			p.Timeline = append(append([]sessions.Event(nil), p.Timeline...),
				sessions.Event{Date: "2026-08-01", Status: "reviewed", Note: "A later review.", Source: "a test", Confidence: "low"})
			p.Status = "reviewed"
		}
	}
	nk6 := sessions.Session{ID: "nk-6", Body: "National Kurultai", Number: 6, Date: "2026-09-01", Title: "Sixth meeting",
		Speeches: []sessions.Speech{{ID: "nk-6/a", SessionID: "nk-6", Order: 1, Title: "Opening",
			Paragraphs: sessions.SplitParagraphs("The referendum is behind us.\n\nNow the work.")}}}
	im, err := db.BeginImport(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []sessions.Session{nk5, nk6} {
		s := s
		if _, err := im.Write(&s, sessions.SampleOrigin, "update"); err != nil {
			t.Fatal(err)
		}
	}
	if err := im.Commit(); err != nil {
		t.Fatal(err)
	}

	// The next start: the lists say what is new.
	d = open()
	d.expect("1 new · Sixth meeting")
	d.expect("2 new · Fifth meeting")
	d.press("N")
	if p := d.m.top().(*sessionsPage); p.rows[p.list.cursor].ID != "nk-5" {
		t.Errorf("N moved to %s", p.rows[p.list.cursor].ID)
	}
	d.press("enter", "tab")
	d.expect("new · Address at the fifth meeting")
	d.press("tab")
	d.expect("new · A Constitutional Commission")
	d.press("esc", "esc")

	// The changed speech marks its changed paragraph.
	d.send(openDocMsg{id: "nk-5/address"})
	d.expect("Changed since you last read it (+ in the margin): ¶ 3")
	d.expect("+¶ 3")
	d.press("esc")
	d.expect("1 new · Fifth meeting") // the address is read; the proposal is not

	// The following screen: the proposal's status moved; the search has
	// one new result, the new sitting's ¶ 1.
	// The proposal with a new step shows it.
	d.send(openDocMsg{id: "nk-5/p8-commission-referendum"})
	d.expect("1 new timeline step since you last looked. It is in view.")
	d.expect("reviewed")
	d.press("esc")
	d.press("F")
	d.expect("Status moved: A Constitutional Commission and a national referendum → reviewed")
	fp := d.m.top().(*followingPage)
	var search data.Follow
	for _, f := range fp.follows {
		if f.Kind == data.FollowSearch {
			search = f
		}
	}
	if search.New != 1 { // nk-6 ¶ 1; the new step and the changed ¶ do not name it
		t.Errorf("the search follow counts %d new", search.New)
	}
	d.press("enter")
	if _, ok := d.m.top().(*newHitsPage); !ok {
		t.Fatalf("enter did not list what is new: %T", d.m.top())
	}
	d.expect("1 of 1 new")
	d.expect("nk-6")
	d.press("esc")
	d.press("X")
	d.expect("Marked 2 follows seen.")
	d.expect("nothing new")
	if strings.Contains(d.screen(), "Status moved") {
		t.Errorf("the headline stays after marking seen:\n%s", d.screen())
	}
}

// A feed's link opens the reader at its paragraph.
func TestOpenAtParagraph(t *testing.T) {
	d := &driver{t: t, m: New(context.Background(), sampleDB(t), Options{Theme: ThemeASCII, Open: "nk-5/address", OpenPara: 5})}
	d.send(tea.WindowSizeMsg{Width: 100, Height: 30})
	d.run(d.m.Init())
	d.expect("¶ 5/13")
}
