package ui

import (
	"strings"
	"testing"

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
