package ui

import (
	"context"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"kurultai/data"

	"github.com/charmbracelet/x/ansi"
)

// The rune-counting wrap and truncate agree with ansi's on narrow text,
// and leave other text to ansi.
func TestWrapTruncateAgree(t *testing.T) {
	texts := []string{"", "one", "Қазақстан парламенті «референдум» туралы заң жобасын қарады — 2026 жылы.",
		strings.Repeat("word ", 40), "averyveryverylongwordthatislongerthanthelinewidthitself and more words after it",
		"mixed 漢字 wide", "e\u0301 combining"}
	for _, s := range texts {
		for _, w := range []int{5, 20, 37, 80} {
			if got, want := wrap(s, w), ansi.Wrap(s, w, ""); got != want && narrow(s) {
				t.Errorf("wrap(%q, %d):\n got %q\nwant %q", s, w, got, want)
			}
			if got, want := truncate(s, w), ansi.Truncate(s, w, "…"); got != want {
				t.Errorf("truncate(%q, %d) = %q, ansi gives %q", s, w, got, want)
			}
		}
	}
}

// --style ascii draws every sign of the screens in ASCII; NO_COLOR alone
// keeps them.
func TestStyleASCIIOnly(t *testing.T) {
	db := sampleDB(t)
	for _, opts := range []Options{{Theme: ThemeASCII}, {NoColor: true}} {
		d := &driver{t: t, m: New(context.Background(), db, opts)}
		d.send(tea.WindowSizeMsg{Width: 100, Height: 30})
		d.run(d.m.Init())
		d.send(openDocMsg{id: "nk-5/address"})
		screen := d.m.View().Content
		nonASCII := strings.IndexFunc(screen, func(r rune) bool {
			return r > 0x7e && strings.ContainsRune("›▌•¶—·…█│", r)
		}) >= 0
		if opts.Theme == ThemeASCII && nonASCII {
			t.Errorf("--style ascii draws a sign outside ASCII:\n%s", screen)
		}
		if opts.NoColor && !nonASCII {
			t.Errorf("NO_COLOR alone should keep the signs:\n%s", screen)
		}
	}
	// In ASCII an ellipsis is three cells and an arrow two: no line of any
	// screen grows past the width for it.
	for _, size := range [][2]int{{80, 24}, {41, 12}, {20, 5}} {
		d := &driver{t: t, m: New(context.Background(), db, Options{Theme: ThemeASCII})}
		d.send(tea.WindowSizeMsg{Width: size[0], Height: size[1]})
		d.run(d.m.Init())
		check := func(where string) {
			for _, l := range strings.Split(d.m.View().Content, "\n") {
				if w := ansi.StringWidth(l); w > size[0] {
					t.Errorf("%dx%d, %s: a line of %d cells: %q", size[0], size[1], where, w, ansi.Strip(l))
				}
			}
		}
		check("sessions")
		d.press("enter")
		check("session")
		d.send(openDocMsg{id: "nk-5/p2-supreme-court"})
		d.press("tab")
		check("proposal with a link selected")
		d.send(tea.KeyPressMsg{Code: 'g', Mod: tea.ModCtrl})
		for _, r := range "referendum" {
			d.press(string(r))
		}
		check("search")
	}
	var b strings.Builder
	if err := PrintDocument(context.Background(), &b, db, "nk-5/address", PrintOptions{Width: 80, Plain: true, ASCII: true}); err != nil {
		t.Fatal(err)
	}
	if strings.ContainsAny(b.String(), "›▌•¶—·…█│") {
		t.Errorf("show --style ascii prints signs outside ASCII:\n%s", b.String())
	}
}

// A result row keeps its first match in view whatever the width, and the
// list draws matches in the match colours, not in quotation marks.
func TestHitRowCentresAndColoursMatch(t *testing.T) {
	long := strings.Repeat("word ", 60)
	// Before the match: short words; long Kazakh words; a web address
	// with no space in it.
	befores := []string{long, strings.Repeat("квотасыменнемесепарламенттегі ", 6),
		"see https://otyrar.kz/2026/01/" + strings.Repeat("constitutional-", 8)}
	st := NewStyles(NewTheme(ThemeDark))
	for _, w := range []int{60, 80, 120, 200} {
		for _, before := range befores {
			h := data.Hit{Kind: data.KindSpeech, Session: "nk-5", Date: "2026-01-20", Speaker: "A Speaker", Paragraph: 3,
				Snippet: before + data.MarkStart + "referendum" + data.MarkEnd + " " + long}
			row := hitRowIn(nil, h, w)
			for _, selected := range []bool{false, true} {
				drawn := drawMarked(row, w, selected, st)
				plain := ansi.Strip(drawn)
				if !strings.Contains(plain, "referendum") {
					t.Errorf("width %d: the match is cut off: %q", w, plain)
				}
				if ansi.StringWidth(plain) > w || strings.ContainsAny(plain, "«»"+data.MarkStart+data.MarkEnd) {
					t.Errorf("width %d: row %q", w, plain)
				}
				if !strings.Contains(drawn, st.Match.Render("referendum")) && !strings.Contains(drawn, st.MatchCurrent.Render("referendum")) {
					t.Errorf("width %d: the match is not coloured: %q", w, drawn)
				}
			}
		}
	}
}

// What copying says depends on what can be promised: inside tmux without
// its buffer, that tmux may keep the text from the clipboard.
func TestCopySaysWhatItCan(t *testing.T) {
	db := sampleDB(t)
	var got string
	for _, c := range []struct {
		opts Options
		want string
	}{
		{Options{}, "Copied ¶ 3 with its citation."},
		{Options{Term: "tmux-256color"}, "set-clipboard on"},
		{Options{Term: "tmux-256color", Copy: func(s string) error { got = s; return nil }}, "tmux's buffer and the clipboard"},
	} {
		c.opts.Theme = ThemeDark
		d := &driver{t: t, m: New(context.Background(), db, c.opts)}
		d.send(tea.WindowSizeMsg{Width: 120, Height: 30})
		d.run(d.m.Init())
		d.send(openDocMsg{id: "nk-5/address", para: 3})
		d.press("y")
		d.expect(c.want)
	}
	if !strings.Contains(got, "Tokayev") {
		t.Errorf("the second way got %q", got)
	}
}

// L reads the same paragraph of the next language version of a speech,
// round to the first, in the same page.
func TestLanguageVersions(t *testing.T) {
	db := sampleDB(t)
	vs, err := db.Versions(context.Background(), "nk-5/address-kk")
	if err != nil || len(vs) != 3 || vs[0].ID != "nk-5/address" {
		t.Fatalf("versions of nk-5/address-kk: %+v, %v", vs, err)
	}
	d := newDriver(t, db, 100, 30)
	d.send(openDocMsg{id: "nk-5/address", para: 5})
	depth := len(d.m.stack)
	for _, want := range []string{"nk-5/address-kk", "nk-5/address-ru", "nk-5/address"} {
		d.press("L")
		d.expect("¶ 5/13")
		r, ok := d.m.top().(*readerPage)
		if !ok || r.id != want || len(d.m.stack) != depth {
			t.Fatalf("after L: %T %v, stack %d (was %d); want %s", d.m.top(), r.id, len(d.m.stack), depth, want)
		}
	}
	if vs, _ := db.Versions(context.Background(), "nk-1/address"); len(vs) != 1 {
		t.Errorf("a speech with no other version has only itself: %+v", vs)
	}
}
