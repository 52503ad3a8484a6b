package ui

import (
	"bytes"
	"context"
	"encoding/base64"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/teatest/v2"

	"kurultai/data"
	"kurultai/sessions"
)

// pasteAttack is a paragraph that, pasted raw into bash 5.2, ends
// bracketed paste and runs a command; it also hides a right-to-left
// override and a zero-width space, and carries C1 CSI and OSC 52.
const pasteAttack = "Quote \x1b[201~touch /tmp/pwned\u202e gnp.exe \u200b end \x1b]52;c;ZXZpbA==\x07 \u009b2J done"

// y copies the passage as the reader shows it: the exact OSC 52 payload
// that the program writes, base64-decoded, holds no ESC, no C1 control
// and no BEL, and shows the override and the zero-width space.
func TestClipboardGetsSanitisedText(t *testing.T) {
	s := paragraphsSession(1, func(int) string { return pasteAttack })
	s.Speeches[0].Speaker.Name = "Speaker \u202eevil"
	db := archiveWith(t, s)
	tm := teatest.NewTestModel(t, New(context.Background(), db, Options{Theme: ThemeASCII}), teatest.WithInitialTermSize(80, 24))
	tm.Send(openDocMsg{id: "t-1/s"})
	out := new(bytes.Buffer)
	wait := func(what string, done func([]byte) bool) {
		t.Helper()
		teatest.WaitFor(t, tm.Output(), func(b []byte) bool {
			out.Write(b)
			return done(out.Bytes())
		}, teatest.WithDuration(5*time.Second), teatest.WithCheckInterval(20*time.Millisecond))
	}
	// --style ascii writes the paragraph sign as #.
	wait("the reader", func(b []byte) bool { return bytes.Contains([]byte(ansi.Strip(string(b))), []byte("# 1/1")) })
	tm.Send(tea.KeyPressMsg{Code: 'y', Text: "y"})
	const osc52 = "\x1b]52;c;"
	wait("the clipboard", func(b []byte) bool {
		i := bytes.Index(b, []byte(osc52))
		return i >= 0 && bytes.IndexByte(b[i:], '\a') > 0
	})
	tm.Send(tea.KeyPressMsg{Code: 'q', Text: "q"})
	tm.WaitFinished(t, teatest.WithFinalTimeout(5*time.Second))

	b := out.Bytes()
	i := bytes.Index(b, []byte(osc52)) + len(osc52)
	payload := b[i : i+bytes.IndexByte(b[i:], '\a')]
	clip, err := base64.StdEncoding.DecodeString(string(payload))
	if err != nil {
		t.Fatalf("OSC 52 payload %q: %v", payload, err)
	}
	text := string(clip)
	for _, bad := range []string{"\x1b", "\u009b", "\a", "\r", "\u202e", "\u200b", "[201~"} {
		if strings.Contains(text, bad) {
			t.Errorf("the clipboard holds %q: %q", bad, text)
		}
	}
	for _, want := range []string{"Quote touch /tmp/pwned⟨U+202E⟩ gnp.exe ⟨U+200B⟩ end", "Speaker ⟨U+202E⟩evil", "¶ 1"} {
		if !strings.Contains(text, want) {
			t.Errorf("the clipboard lacks %q: %q", want, text)
		}
	}
}

// Bidi controls and zero-width characters are shown by code point in the
// UI (lists, the session page, the reader, also when they come from an
// HTML entity that glamour decodes), in show and in the sessions table,
// and lines stay within the terminal's width.
func TestInvisibleCharactersShown(t *testing.T) {
	s := paragraphsSession(2, func(i int) string {
		return "Vote \u202eyes\u202c\u200b and &#x202E;entity&#8203; end"
	})
	s.Title = "Title \u2066rtl\u2069 \u200d"
	db := archiveWith(t, s)
	check := func(where, out string, want ...string) {
		t.Helper()
		plain := ansi.Strip(out)
		for _, r := range plain {
			if sessions.Invisible(r) {
				t.Errorf("%s: %U reached the output", where, r)
			}
		}
		for _, w := range want {
			if !strings.Contains(plain, w) {
				t.Errorf("%s: %q not shown in:\n%s", where, w, plain)
			}
		}
	}
	d := newDriver(t, db, 120, 24)
	check("sessions list", d.m.render(), "Title ⟨U+2066⟩rtl⟨U+2069⟩ ⟨U+200D⟩")
	d.press("enter")
	check("session", d.m.render(), "⟨U+2066⟩")
	d.send(openDocMsg{id: "t-1/s"})
	check("reader", d.m.render(), "Vote ⟨U+202E⟩yes⟨U+202C⟩⟨U+200B⟩ and ⟨U+202E⟩entity⟨U+200B⟩ end")
	for _, l := range strings.Split(d.m.render(), "\n") {
		if w := ansi.StringWidth(l); w > 120 {
			t.Errorf("reader line %q is %d wide", ansi.Strip(l), w)
		}
	}
	var b strings.Builder
	if err := PrintDocument(context.Background(), &b, db, "t-1/s", PrintOptions{Width: 80, Theme: ThemeDark}); err != nil {
		t.Fatal(err)
	}
	check("show", b.String(), "⟨U+202E⟩yes⟨U+202C⟩⟨U+200B⟩", "⟨U+202E⟩entity⟨U+200B⟩")
	b.Reset()
	PrintDocument(context.Background(), &b, db, "t-1/s", PrintOptions{Width: 80, Plain: true})
	check("plain show", b.String(), "⟨U+202E⟩yes⟨U+202C⟩⟨U+200B⟩")
	rows, _ := db.Sessions(context.Background(), data.SessionQuery{})
	b.Reset()
	PrintSessions(&b, rows, 120, nil)
	check("sessions", b.String(), "⟨U+2066⟩rtl⟨U+2069⟩")
	res, err := db.Search(context.Background(), data.ParseQuery("vote"), data.SearchOptions{})
	if err != nil || len(res.Hits) == 0 {
		t.Fatalf("search: %v, %d hits", err, len(res.Hits))
	}
	b.Reset()
	for i, h := range res.Hits {
		b.WriteString(HitText(nil, i+1, h, 80))
	}
	check("search", b.String(), "⟨U+202E⟩")
}
