package sessions

import (
	"strings"
	"testing"
	"unicode"
)

func TestCollapseSpaceAndWordCount(t *testing.T) {
	for _, s := range []string{"", "  ", "one", " one  two\n\tthree ", "Ұлттық\u00a0құрылтай\u2003отырысы", "a\u0085b", "x\r\ny\v\fz", "\xffbad utf8 \xfe"} {
		if got, want := CollapseSpace(s), strings.Join(strings.Fields(s), " "); got != want {
			t.Errorf("CollapseSpace(%q) = %q, want %q", s, got, want)
		}
		var c spaceCollapser
		for i := 0; i < len(s); i += 3 {
			c.write([]byte(s[i:min(i+3, len(s))]))
		}
		if got, want := c.String(), strings.Join(strings.Fields(s), " "); got != want {
			t.Errorf("spaceCollapser on %q = %q, want %q", s, got, want)
		}
		if got, want := WordCount(s), len(strings.Fields(s)); got != want {
			t.Errorf("WordCount(%q) = %d, want %d", s, got, want)
		}
	}
}

func FuzzWordCount(f *testing.F) {
	f.Add(" one  two\n")
	f.Fuzz(func(t *testing.T, s string) {
		if CollapseSpace(s) != strings.Join(strings.Fields(s), " ") || WordCount(s) != len(strings.Fields(s)) {
			t.Fatalf("differs from strings.Fields on %q", s)
		}
	})
}

func TestIsSpaceRune(t *testing.T) {
	for r := rune(0x80); r < 0x110000; r++ {
		if isSpaceRune(r) != unicode.IsSpace(r) {
			t.Fatalf("isSpaceRune(%U) = %v", r, isSpaceRune(r))
		}
	}
}
