package ui

import (
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"
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

func FuzzSanitize(f *testing.F) {
	f.Add("a\x1b]52;c;aGVsbG8=\x07b\x1b[2J\x1b")
	f.Add("\u009b\u009d\xff\r")
	f.Fuzz(func(t *testing.T, s string) {
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
	})
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
	}
	for _, c := range cases {
		if got := KeepStyling(c.in); got != c.want {
			t.Errorf("KeepStyling(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}
