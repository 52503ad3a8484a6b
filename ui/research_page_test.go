package ui

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"kurultai/data"
)

// researchDriver is the sample archive with a bookmarks file, at w x h.
func researchDriver(t *testing.T, w, h int) (*driver, *data.Bookmarks) {
	t.Helper()
	ctx := context.Background()
	marks, err := data.OpenBookmarks(ctx, filepath.Join(t.TempDir(), "bookmarks.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { marks.Close() })
	d := &driver{t: t, m: New(ctx, sampleDB(t), Options{Theme: ThemeASCII, Bookmarks: marks, Owner: "tester"})}
	d.send(tea.WindowSizeMsg{Width: w, Height: h})
	d.run(d.m.Init())
	return d, marks
}

// From a search, f3 charts it over time: by year, month or session, per
// million words or raw; enter searches the period under the cursor.
func TestTrendView(t *testing.T) {
	d, _ := researchDriver(t, 80, 24)
	d.press("ctrl+g")
	d.send(tea.PasteMsg{Content: "referendum "})
	d.press("f3")
	d.expect("1 referendum")
	d.expect("matches per million words, by year")
	d.expect("1 result in titles or names not counted")
	d.press("?")
	d.expect("Per million words counts")
	d.press("?")
	d.press("tab")
	d.expect("by month")
	d.press("tab")
	d.expect("by session")
	d.expect("2026-01-20 nk-5")
	d.press("n")
	d.expect("matches, by session")
	d.press("end")
	d.expect("2026-01-20 nk-5 · 1: 32 matches")
	// A second query, side by side.
	d.press("a")
	d.send(tea.PasteMsg{Content: "constitution"})
	d.press("enter")
	d.expect("2 constitution")
	d.press("enter")
	d.expect("search: referendum session:nk-5")
	d.expect("1 of 33")
}

// f4 lists who says it most; enter searches their matches.
func TestWhoView(t *testing.T) {
	d, _ := researchDriver(t, 100, 24)
	d.press("ctrl+g")
	d.send(tea.PasteMsg{Content: "kurultai "})
	d.press("f4")
	d.expect("Kassym-Jomart Tokayev")
	d.expect("per 10,000")
	d.expect("by matches")
	d.press("o")
	d.expect("by matches per 10,000 words")
	d.press("enter")
	d.expect("speaker:tokayev kind:speech")
}

// f5 is the concordance: the match in its own column, sorted by s;
// enter opens the paragraph, b bookmarks it.
func TestConcordanceView(t *testing.T) {
	d, marks := researchDriver(t, 100, 30)
	d.press("ctrl+g")
	d.send(tea.PasteMsg{Content: "referendum "})
	d.press("f5")
	d.expect("34 lines · sorted by date")
	// Every match starts in the same column.
	col := -1
	for _, line := range strings.Split(d.screen(), "\n") {
		i := strings.Index(strings.ToLower(line), "referendum")
		if i < 0 || !strings.HasPrefix(line, " 20") {
			continue
		}
		i = Width(line[:i])
		if col >= 0 && i != col {
			t.Errorf("a match at column %d, another at %d:\n%s", col, i, d.screen())
			break
		}
		col = i
	}
	d.press("s")
	d.expect("sorted by left1")
	d.press("s", "s", "s")
	d.expect("sorted by right1")
	d.press("b")
	d.expect("Bookmarked")
	list, err := marks.List(context.Background(), "tester", data.BookmarkFilter{})
	if err != nil || len(list) != 1 {
		t.Fatalf("%d bookmarks, %v", len(list), err)
	}
	d.press("enter")
	d.expect("Proposal · constitution in force")
}

// The views fit the screen at 80x24, 200x60 and a tiny 20x6, in every
// theme and without colour (NO_COLOR): no line wider than the terminal,
// no more lines than it has.
func TestResearchViewsFit(t *testing.T) {
	db := sampleDB(t)
	for _, theme := range []string{ThemeASCII, ThemeDark, ThemeLight, "NO_COLOR"} {
		for _, size := range [][2]int{{80, 24}, {200, 60}, {20, 6}} {
			for _, view := range []string{"f3", "f4", "f5", "f6", "C"} {
				opts := Options{Theme: theme}
				if theme == "NO_COLOR" {
					opts = Options{NoColor: true}
				}
				d := &driver{t: t, m: New(context.Background(), db, opts)}
				d.send(tea.WindowSizeMsg{Width: size[0], Height: size[1]})
				d.run(d.m.Init())
				d.press("ctrl+g")
				d.send(tea.PasteMsg{Content: "referendum "})
				if view == "C" {
					// Collocates, from the concordance.
					d.press("f5")
				}
				d.press(view, "tab", "down")
				lines := strings.Split(d.screen(), "\n")
				if len(lines) > size[1] {
					t.Errorf("%s %v %s: %d lines", theme, size, view, len(lines))
				}
				for _, l := range lines {
					if w := Width(l); w > size[0] {
						t.Errorf("%s %v %s: a line of %d cells: %q", theme, size, view, w, l)
						break
					}
				}
			}
		}
	}
}

// f6 lists the keywords of a search's results against the rest of the
// archive: the fifth meeting's are its new constitution; o orders them
// by ratio, enter searches the word within the focus, and ? explains the
// figures.
func TestKeywordsView(t *testing.T) {
	d, _ := researchDriver(t, 100, 30)
	d.press("ctrl+g")
	d.send(tea.PasteMsg{Content: "session:nk-5 "})
	d.press("f6")
	d.expect("by log-likelihood")
	d.expect("1. constitution")
	d.expect("reference")
	d.press("?")
	d.expect("simple maths")
	d.press("?")
	d.press("o")
	d.expect("by simple-maths ratio")
	d.press("home", "enter")
	d.expect("search: session:nk-5 constitution")
}

// On the speakers screen, f6 gives a speaker's keywords against
// everyone else.
func TestSpeakerKeywords(t *testing.T) {
	d, _ := researchDriver(t, 100, 30)
	d.press("S")
	d.expect("Tokayev")
	d.press("f6")
	d.expect("speaker:tokayev")
	d.expect("against the rest")
}

// C on a concordance lists the words near its matches; o orders them by
// logDice, MI or frequency, + and - change the window.
func TestCollocatesView(t *testing.T) {
	d, _ := researchDriver(t, 100, 30)
	d.press("ctrl+g")
	d.send(tea.PasteMsg{Content: "referendum "})
	d.press("f5")
	d.expect("34 lines")
	d.press("C")
	d.expect("1. decree")
	d.expect("5 either side · by logdice")
	d.expect("logDice")
	d.press("o")
	d.expect("by mi")
	d.press("+")
	d.expect("6 either side")
	d.press("enter")
	d.expect("search: referendum")
}

// Coming back from a line's paragraph finds the concordance as it was
// left: sorted, at the same line.
func TestConcordanceKeepsItsPlace(t *testing.T) {
	d, _ := researchDriver(t, 100, 30)
	d.press("ctrl+g")
	d.send(tea.PasteMsg{Content: "referendum "})
	d.press("f5", "s", "s", "s", "s", "down", "down")
	d.expect("sorted by right1")
	d.press("enter")
	d.expect("¶")
	d.press("esc", "esc")
	d.expect("sorted by right1")
}

// Keys pressed while a chart is being counted again act on nothing that
// is gone: x then 2 before the new counts come.
func TestTrendKeysWhileCounting(t *testing.T) {
	d, _ := researchDriver(t, 80, 24)
	p := newTrendPage(d.m.c, []string{"referendum", "constitution"})
	p.SetSize(80, 20)
	msg := p.Init()()
	p.Update(msg)
	if p.periods() == 0 {
		t.Fatal("no periods")
	}
	p.Update(keyMsg("x")) // counts again, for one query: the command is not run
	for _, k := range []string{"2", "1", "enter", "tab", "end", "n"} {
		p.Update(keyMsg(k))
		_ = p.View()
		_ = p.Status()
	}
}
