package sessions

import (
	"strings"
	"testing"
)

// The collapser gives what CollapseSpace gives, however the text is cut
// into pieces (runes split between pieces included), and a text past
// handOverAt, handed over without a copy, is not changed by the next one.
func FuzzSpaceCollapserPieces(f *testing.F) {
	f.Add("Ұлттық\u00a0құрылтай  отырысы\n", uint8(2))
	f.Add(" a\u2003b \xff\xfe c ", uint8(0))
	f.Fuzz(func(t *testing.T, s string, cut uint8) {
		size := int(cut%7) + 1
		var c spaceCollapser
		feed := func(s string) string {
			c.reset()
			for i := 0; i < len(s); i += size {
				c.write([]byte(s[i:min(i+size, len(s))]))
			}
			return c.String()
		}
		if got, want := feed(s), strings.Join(strings.Fields(s), " "); got != want {
			t.Fatalf("pieces of %d: %q, want %q", size, got, want)
		}
		long := strings.Repeat(s+" x ", handOverAt/(len(s)+3)+1)
		first := feed(long)
		want := strings.Join(strings.Fields(long), " ")
		if first != want {
			t.Fatalf("long text differs")
		}
		feed("something else entirely")
		if first != want {
			t.Fatal("a text handed over was changed by the next")
		}
	})
}
