package ui

import (
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/charmbracelet/x/ansi"

	"kurultai/sessions"
)

func TestSanitize(t *testing.T) {
	cases := []struct{ in, want string }{
		{"plain Ұлттық құрылтай", "plain Ұлттық құрылтай"},
		{"a\x1b]52;c;aGVsbG8=\x07b", "ab"},   // OSC 52 clipboard write, BEL
		{"a\x1b]52;c;aGVsbG8=\x1b\\b", "ab"}, // OSC 52 with ST
		{"a\x1b[2J\x1b[Hb", "ab"},            // CSI clear screen, home
		{"a\x1bb", "a"},                      // bare ESC eats its final byte
		{"end\x1b", "end"},                   // bare ESC at the end
		{"a\x1b]0;title", "a"},               // unterminated OSC
		{"x\u009b31mred", "xred"},            // C1 CSI
		{"x\u009d8;;http://e\u009cy", "xy"},  // C1 OSC and ST
		{"bell\x07 bs\x08 nul\x00 del\x7f", "bell bs nul del"},
		{"line\r\nnext\rthird", "line\nnext\nthird"},
		{"tab\tkept\nnewline", "tab\tkept\nnewline"},
		{"bad \xff utf8", "bad \uFFFD utf8"},
		{"\x1bP+q544e\x1b\\after", "after"}, // DCS
		// Bidi controls and zero-width characters are shown by code point.
		{"abc\u202Efdp.exe", "abc⟨U+202E⟩fdp.exe"},
		{"\u2066x\u2069 \u200Ey\u200F \u061C", "⟨U+2066⟩x⟨U+2069⟩ ⟨U+200E⟩y⟨U+200F⟩ ⟨U+061C⟩"},
		{"zero\u200Bwidth\u2060\uFEFF\u180E", "zero⟨U+200B⟩width⟨U+2060⟩⟨U+FEFF⟩⟨U+180E⟩"},
		{"ZWNJ\u200C ZWJ\u200D \u2062", "ZWNJ⟨U+200C⟩ ZWJ⟨U+200D⟩ ⟨U+2062⟩"},
		{"Ұлттық “құрылтай” — ¶ 3 😀 é", "Ұлттық “құрылтай” — ¶ 3 😀 é"},
		{"a\x1b]0;title\nb", "a\nb"}, // a control string ends at the line
		{"cut \xe2\x80", "cut \uFFFD\uFFFD"},
	}
	for _, c := range cases {
		if got := Sanitize(c.in); got != c.want {
			t.Errorf("Sanitize(%q) = %q, want %q", c.in, got, c.want)
		}
	}
	if got := SanitizeLine("a\nb\tc"); got != "a b c" {
		t.Errorf("SanitizeLine = %q", got)
	}
}

// FuzzSanitize checks Sanitize, KeepStyling and SafeWriter on any text.
// The writer gets the text in pieces whose lengths come from cuts, and
// must give what it gives for the text in one piece, which must be
// KeepStyling's result but for tabs and CR LF, and Sanitize's but for
// SGR: one set of rules however the text arrives.
func FuzzSanitize(f *testing.F) {
	f.Add("a\x1b]52;c;aGVsbG8=\x07b\x1b[2J\x1b", []byte{1, 2, 3})
	f.Add("\u009b\u009d\xff\r", []byte{1, 1, 1, 1, 1})
	f.Add("\x1b[1;38;5;111mbold\x1b[0m\r\n\t\u202e\u200d", []byte{2, 5, 0, 1})
	f.Add("\x1b[201~touch /tmp/x\n\xe2\x80\xae\xf0\x9f\x98\x80", []byte{3, 3, 6, 2, 1, 1, 2})
	f.Fuzz(func(t *testing.T, s string, cuts []byte) {
		out := Sanitize(s)
		if !utf8.ValidString(out) {
			t.Fatalf("invalid UTF-8 out of %q", s)
		}
		for _, r := range out {
			if r < 0x20 && r != '\n' && r != '\t' || r == 0x7f || r >= 0x80 && r < 0xa0 {
				t.Fatalf("control %U left in %q (from %q)", r, out, s)
			}
		}
		if strings.Contains(out, "\x1b") {
			t.Fatal("ESC left")
		}
		kept := sgr.ReplaceAllString(KeepStyling(s), "")
		for _, r := range kept {
			if r < 0x20 && r != '\n' || r == 0x7f || r >= 0x80 && r < 0xa0 {
				t.Fatalf("KeepStyling left %U in %q (from %q)", r, kept, s)
			}
		}
		for _, r := range out + kept {
			if sessions.Invisible(r) {
				t.Fatalf("%U left in %q", r, s)
			}
		}

		whole := writeSafe(t, s)
		var b strings.Builder
		w := NewSafeWriter(&b)
		rest := s
		for _, c := range cuts {
			n := min(int(c)%8, len(rest))
			w.Write([]byte(rest[:n]))
			rest = rest[n:]
		}
		w.Write([]byte(rest))
		w.Flush()
		pieces := b.String()
		if pieces != whole {
			t.Fatalf("SafeWriter in pieces %v gave %q, in one %q (from %q)", cuts, pieces, whole, s)
		}
		checkSafeOutput(t, whole, s)
		lf := strings.ReplaceAll(whole, "\r\n", "\n")
		if want := KeepStyling(s); strings.ReplaceAll(lf, "\t", "    ") != want {
			t.Fatalf("SafeWriter gave %q, KeepStyling %q (from %q)", whole, want, s)
		}
		if got := sgr.ReplaceAllString(lf, ""); got != out {
			t.Fatalf("SafeWriter without SGR gave %q, Sanitize %q (from %q)", got, out, s)
		}
	})
}

// writeSafe is what a SafeWriter makes of s written in one piece.
func writeSafe(t testing.TB, s string) string {
	t.Helper()
	var b strings.Builder
	w := NewSafeWriter(&b)
	if _, err := w.Write([]byte(s)); err != nil {
		t.Fatal(err)
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// checkSafeOutput fails unless out is valid UTF-8 whose every ESC starts
// an SGR sequence, without C1 controls, other C0 controls than newline,
// tab and a CR before a newline, and Invisible characters.
func checkSafeOutput(t testing.TB, out, from string) {
	t.Helper()
	if !utf8.ValidString(out) {
		t.Fatalf("invalid UTF-8 in %q (from %q)", out, from)
	}
	rest := sgr.ReplaceAllString(out, "")
	if strings.Contains(rest, "\x1b") {
		t.Fatalf("an ESC that does not start SGR in %q (from %q)", out, from)
	}
	for i, r := range rest {
		if r == '\r' && strings.HasPrefix(rest[i+1:], "\n") {
			continue
		}
		if r < 0x20 && r != '\n' && r != '\t' || r == 0x7f || r >= 0x80 && r < 0xa0 || sessions.Invisible(r) {
			t.Fatalf("%U left in %q (from %q)", r, out, from)
		}
	}
}

func TestSafeWriter(t *testing.T) {
	cases := []struct{ in, want string }{
		{"plain Ұлттық құрылтай\n", "plain Ұлттық құрылтай\n"},
		{"\x1b[1;38;5;111mbold\x1b[0m", "\x1b[1;38;5;111mbold\x1b[0m"},
		{"search,csv\x1b]52;c;ZXZpbA==\x07,row\n", "search,csv,row\n"},
		{"\x1b]2;pane title\x1b\\\x1b[2J\x1b[Hcleared", "cleared"},
		{"ris\r\nTY  - GEN\r\n", "ris\r\nTY  - GEN\r\n"}, // CR LF kept for RIS
		{"lone\rcr", "lone\ncr"},
		{"csv\tfield", "csv\tfield"},
		{"x\u009d8;;http://e\u009cy\u009b2Jz", "xyz"},
		{"\u202Eevil\u200B", "⟨U+202E⟩evil⟨U+200B⟩"},
		{"end\x1b[3", "end"},                             // unfinished sequence dropped at Flush
		{"rune \xf0\x9f\x98", "rune \uFFFD\uFFFD\uFFFD"}, // incomplete rune at Flush
		{"\x1b[" + strings.Repeat("1;", 100) + "mlong", "long"},
	}
	for _, c := range cases {
		if got := writeSafe(t, c.in); got != c.want {
			t.Errorf("SafeWriter(%q) = %q, want %q", c.in, got, c.want)
		}
		// Split anywhere, in two and in three pieces, the result is the same.
		for i := 0; i <= len(c.in); i++ {
			for j := i; j <= len(c.in); j++ {
				var b strings.Builder
				w := NewSafeWriter(&b)
				w.Write([]byte(c.in[:i]))
				w.Write([]byte(c.in[i:j]))
				w.Write([]byte(c.in[j:]))
				w.Flush()
				if b.String() != c.want {
					t.Fatalf("SafeWriter(%q) split at %d and %d = %q, want %q", c.in, i, j, b.String(), c.want)
				}
			}
		}
	}
}

// A partial sequence is never written before the rest arrives: after the
// first piece the writer under it has nothing of the ESC.
func TestSafeWriterHoldsPartialSequence(t *testing.T) {
	var b strings.Builder
	w := NewSafeWriter(&b)
	w.Write([]byte("text\x1b"))
	if b.String() != "text" {
		t.Fatalf("after the first piece: %q", b.String())
	}
	w.Write([]byte("]52;c;ZXZpbA=="))
	w.Write([]byte("\x07more\xe2\x80"))
	if b.String() != "textmore" {
		t.Fatalf("after the second and third: %q", b.String())
	}
	w.Write([]byte("\xae"))
	w.Flush()
	if b.String() != "textmore⟨U+202E⟩" {
		t.Fatalf("at the end: %q", b.String())
	}
}

// cleanLen is a byte-level shortcut; for every code point it must agree
// with the rune-level rules.
func TestCleanLenAgreesWithRunes(t *testing.T) {
	for r := rune(0); r <= utf8.MaxRune; r++ {
		if r >= 0xd800 && r <= 0xdfff {
			continue
		}
		s := "a" + string(r) + "b"
		want := !(r < 0x20 && r != '\n' && r != '\t' || r >= 0x7f && r < 0xa0 || sessions.Invisible(r))
		if got := cleanLen(s, true) == len(s); got != want {
			t.Fatalf("cleanLen on %U: clean %v, want %v", r, got, want)
		}
	}
	for _, s := range []string{"\xff", "\xc0\x80", "\xed\xa0\x80", "\xf4\x90\x80\x80", "\xe2\x80", "\x80"} {
		if n := cleanLen("a"+s, true); n != 1 {
			t.Errorf("cleanLen(%q) = %d: invalid UTF-8 counted as clean", s, n)
		}
	}
}

// The visible form is measured as it is drawn: eight cells, by each of
// the measures the UI uses.
func TestVisibleFormWidth(t *testing.T) {
	s := Sanitize("a\u200Bb\u202Ec")
	if s != "a⟨U+200B⟩b⟨U+202E⟩c" {
		t.Fatalf("Sanitize = %q", s)
	}
	if w1, w2 := ansi.StringWidth(s), textWidth(s); w1 != 19 || w2 != 19 {
		t.Fatalf("width %d by ansi, %d by textWidth; want 19", w1, w2)
	}
	for _, l := range wrapPlain(s, 10) {
		if ansi.StringWidth(l) > 10 {
			t.Fatalf("wrapped line %q is wider than 10", l)
		}
	}
}

var sgr = regexp.MustCompile("\x1b\\[[0-9;:]*m")

func TestKeepStyling(t *testing.T) {
	cases := []struct{ in, want string }{
		{"\x1b[1;38;5;111mbold\x1b[0m", "\x1b[1;38;5;111mbold\x1b[0m"},
		{"a\x1b]52;c;ZXZpbA==\x07b", "ab"},
		{"a\x1b[2Jb\x1b[?25lc", "abc"},
		{"x\x1b]8;;http://e\x1b\\link\x1b]8;;\x1b\\y", "xlinky"},
		{"tab\there\r\x08", "tab    here\n"},
		{"\x1b[38;2;1;2;3mrgb", "\x1b[38;2;1;2;3mrgb"},
		{"crlf\r\nline", "crlf\nline"},
		{"x\u009b1my", "xy"},                             // C1 CSI is not kept, even as SGR
		{"\x1b[1;2?m\x1b[>4;1m\x1b[4:3mz", "\x1b[4:3mz"}, // private and malformed SGR dropped
		{"\x1b[31m\u202Eevil", "\x1b[31m⟨U+202E⟩evil"},   // glamour decodes &#x202E;
	}
	for _, c := range cases {
		if got := KeepStyling(c.in); got != c.want {
			t.Errorf("KeepStyling(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}
