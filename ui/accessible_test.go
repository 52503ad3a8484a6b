package ui

import (
	"bytes"
	"context"
	"io"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
)

// accessibleDriver runs the accessible mode as the Bubble Tea runtime
// would (the driver, with the mode taking the messages), keeping what it
// says.
type accessibleDriver struct {
	*driver
	a   *Accessible
	out bytes.Buffer
}

func newAccessibleDriver(t *testing.T, opts Options) *accessibleDriver {
	d := &accessibleDriver{driver: &driver{t: t}}
	d.a = NewAccessible(context.Background(), sampleDB(t), opts, &d.out)
	d.update = func(msg tea.Msg) tea.Cmd {
		_, cmd := d.a.Update(msg)
		return cmd
	}
	d.run(d.a.Init())
	return d
}

// said gives the lines said since it was last called.
func (d *accessibleDriver) said() []string {
	s := d.out.String()
	d.out.Reset()
	return strings.Split(strings.TrimSuffix(s, "\n"), "\n")
}

func (d *accessibleDriver) expect(lines []string, want ...string) {
	d.t.Helper()
	i := 0
	for _, l := range lines {
		if i < len(want) && strings.HasPrefix(l, want[i]) {
			i++
		}
	}
	if i < len(want) {
		d.t.Fatalf("said\n%s\nwithout %q (in that order)", strings.Join(lines, "\n"), want[i])
	}
}

// The accessible mode says every change as a line, with the selection in
// words, and reaches every screen with the usual keys.
func TestAccessibleMode(t *testing.T) {
	d := newAccessibleDriver(t, Options{})
	d.expect(d.said(), "kurultai, accessible mode", "Screen: Sessions.", "5 sessions · newest first", "1 of 5: 5 2026-01-20 Kyzylorda")
	d.press("j")
	d.expect(d.said(), "2 of 5: 4 2025-03-14 Burabay")
	d.press("k", "enter")
	d.expect(d.said(), "1 of 5:", "Screen: nk-5; back: Sessions.", "Summary tab.")
	d.press("tab")
	d.expect(d.said(), "Speeches tab.", "1 of 3: 1 Address at the fifth meeting")
	d.press("tab")
	d.expect(d.said(), "Proposals tab.", "1 of 8: ")
	d.press("shift+tab", "enter")
	d.expect(d.said(), "Speeches tab.", "Screen: nk-5/address; back: nk-5, Sessions.",
		"Address at the fifth meeting", "1 of 13: paragraph 1. The President opened the fifth meeting in Kyzylorda")
	d.press("]")
	d.expect(d.said(), "2 of 13: paragraph 2. Turning to the host region")
	d.press("?")
	lines := d.said()
	d.expect(lines, "Help for this screen", "]: next paragraph", "b: bookmark paragraph", "esc: back", "q: quit")
	d.press("esc", "/")
	d.expect(d.said(), "Help closed.", "Typing: find")
	d.press("K", "u", "r", "u", "l", "t", "a", "i", "enter")
	d.expect(d.said(), "Typing: find: K", "Typing: find: Kurultai")
	d.press("esc", "esc", "esc", "ctrl+g")
	d.expect(d.said(), "Screen: nk-5; back: Sessions.", "Screen: Sessions.", "Screen: Search; back: Sessions.")
	d.press("r", "e", "f", "e", "r", "e", "n", "d", "u", "m")
	time.Sleep(300 * time.Millisecond)
	d.press("down")
	d.expect(d.said(), "Typing: ", "1 of ")
	d.press("tab")
	d.expect(d.said(), "Facets: enter adds")
	d.press("ctrl+c")
	if !d.quit {
		t.Fatal("ctrl+c did not quit")
	}
}

// What the accessible mode writes holds no escape sequence and no control
// character but the line feed: nothing moves the cursor, nothing is drawn
// over, whatever the archive's text holds.
func TestAccessibleStreamIsPlainLines(t *testing.T) {
	d := newAccessibleDriver(t, Options{Theme: ThemeDark})
	d.press("enter", "enter", "]", "]", "?", "esc", "/", "x", "esc", "esc", "esc", "B", "esc", "S", "j", "enter", "esc", "esc", "ctrl+g", "t", "a", "x")
	time.Sleep(200 * time.Millisecond)
	d.press("down", "tab", "down", "f3")
	time.Sleep(200 * time.Millisecond)
	d.press("esc", "esc", "q")
	raw := d.out.Bytes()
	if len(raw) < 500 {
		t.Fatalf("said only %d bytes", len(raw))
	}
	for i, b := range raw {
		if b < 0x20 && b != '\n' || b == 0x7f {
			t.Fatalf("byte %d is %#x: %q", i, b, raw[max(0, i-40):min(len(raw), i+40)])
		}
	}
	for _, r := range string(raw) {
		if r >= 0x80 && r < 0xa0 || r == '\u2028' || r == '\u2029' || r == '\ufffd' {
			t.Errorf("the stream holds %U", r)
		}
	}
	if !d.quit {
		t.Error("q did not quit")
	}
}

// Hostile text in the archive reaches the accessible mode's lines
// harmless.
func TestAccessibleHostileText(t *testing.T) {
	a := NewAccessible(context.Background(), sampleDB(t), Options{}, io.Discard)
	if got := a.plain("a\x1b[2J\x1b]52;c;aGk=\x07b\r\nc\u202e¶ 3 ↑"); strings.ContainsAny(got, "\x1b\r\n\x07") || !strings.Contains(got, "paragraph 3 up") {
		t.Errorf("plain: %q", got)
	}
}
