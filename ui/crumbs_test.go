package ui

import (
	"context"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
)

// TestCrumbsKeepCurrentScreen opens the reader on nk-5/address from the
// session nk-5 and checks the title line at several sizes: when the
// crumbs do not fit, those on the left give way, then the left of the
// last one, and the end of the current screen's name stays in view. Every
// line of the frame, as the terminal gets it, fits the width, so nothing
// wraps.
func TestCrumbsKeepCurrentScreen(t *testing.T) {
	cases := []struct {
		theme string
		w, h  int
		want  string
	}{
		{ThemeDark, 80, 24, "kurultai › Sessions › nk-5 › nk-5/address"},
		{ThemeDark, 40, 10, "… › Sessions › nk-5 › nk-5/address"},
		{ThemeDark, 20, 5, "… › nk-5/address"},
		{ThemeDark, 12, 5, "nk-5/address"},
		{ThemeDark, 10, 5, "…5/address"},
		// --style ascii draws … as three dots, which must fit as well.
		{ThemeASCII, 40, 10, "... > Sessions > nk-5 > nk-5/address"},
		{ThemeASCII, 20, 5, "... > nk-5/address"},
		{ThemeASCII, 10, 5, "...address"},
	}
	db := sampleDB(t)
	for _, tc := range cases {
		d := &driver{t: t, m: New(context.Background(), db, Options{Theme: tc.theme})}
		d.send(tea.WindowSizeMsg{Width: tc.w, Height: tc.h})
		d.run(d.m.Init())
		d.press("enter") // the newest session, nk-5
		d.send(openDocMsg{id: "nk-5/address"})
		if got := d.m.top().Title(); got != "nk-5/address" {
			t.Fatalf("%s %dx%d: the screen on top is %q, not the reader", tc.theme, tc.w, tc.h, got)
		}
		screen := ansi.Strip(d.m.View().Content)
		lines := strings.Split(screen, "\n")
		if lines[0] != tc.want {
			t.Errorf("%s %dx%d: title line %q, want %q", tc.theme, tc.w, tc.h, lines[0], tc.want)
		}
		if len(lines) != tc.h {
			t.Errorf("%s %dx%d: %d lines:\n%s", tc.theme, tc.w, tc.h, len(lines), screen)
		}
		for i, l := range lines {
			if w := ansi.StringWidth(l); w > tc.w {
				t.Errorf("%s %dx%d: line %d is %d columns wide: %q", tc.theme, tc.w, tc.h, i+1, w, l)
			}
		}
	}
}
