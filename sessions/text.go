package sessions

import (
	"strings"
	"unicode/utf8"
)

// CollapseSpace trims text and turns every run of white space into one
// space: the paragraph text of a TEI seg. It is strings.Fields joined with
// spaces, in one pass.
func CollapseSpace(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	space, started := false, false
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\v' || c == '\f' {
				space = true
				i++
				continue
			}
			if space && started {
				b.WriteByte(' ')
			}
			space, started = false, true
			b.WriteByte(c)
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if isSpaceRune(r) {
			space = true
			i += size
			continue
		}
		if space && started {
			b.WriteByte(' ')
		}
		space, started = false, true
		b.WriteString(s[i : i+size])
		i += size
	}
	return b.String()
}

// WordCount counts whitespace-separated tokens, as len(strings.Fields(s))
// does, without building them.
func WordCount(s string) int {
	n := 0
	in := false
	for i := 0; i < len(s); {
		c := s[i]
		var space bool
		if c < utf8.RuneSelf {
			space = c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\v' || c == '\f'
			i++
		} else {
			r, size := utf8.DecodeRuneInString(s[i:])
			space = isSpaceRune(r)
			i += size
		}
		if space {
			in = false
		} else if !in {
			in = true
			n++
		}
	}
	return n
}

// isSpaceRune is unicode.IsSpace for runes from U+0080 up, without the
// table search: the white space above ASCII is a short list.
func isSpaceRune(r rune) bool {
	switch {
	case r < 0x85:
		return false
	case r == 0x85, r == 0xA0, r == 0x1680, r >= 0x2000 && r <= 0x200A,
		r == 0x2028, r == 0x2029, r == 0x202F, r == 0x205F, r == 0x3000:
		return true
	}
	return false
}

// spaceCollapser builds text from pieces as CollapseSpace would from their
// concatenation, in one pass as the pieces arrive.
type spaceCollapser struct {
	b       []byte
	space   bool
	pending []byte // an incomplete UTF-8 sequence at the end of a piece
}

func (c *spaceCollapser) reset() { c.b, c.space, c.pending = c.b[:0], false, c.pending[:0] }

func (c *spaceCollapser) write(p []byte) {
	if len(c.pending) > 0 {
		p = append(c.pending, p...)
		c.pending = c.pending[:0]
	}
	for i := 0; i < len(p); {
		ch := p[i]
		if ch < utf8.RuneSelf {
			if ch == ' ' || ch == '\n' || ch == '\t' || ch == '\r' || ch == '\v' || ch == '\f' {
				c.space = true
			} else {
				c.char(p[i : i+1])
			}
			i++
			continue
		}
		if !utf8.FullRune(p[i:]) {
			c.pending = append(c.pending, p[i:]...)
			return
		}
		r, size := utf8.DecodeRune(p[i:])
		if isSpaceRune(r) {
			c.space = true
		} else {
			c.char(p[i : i+size])
		}
		i += size
	}
}

func (c *spaceCollapser) char(p []byte) {
	if c.space && len(c.b) > 0 {
		c.b = append(c.b, ' ')
	}
	c.space = false
	c.b = append(c.b, p...)
}

func (c *spaceCollapser) String() string {
	if len(c.pending) > 0 {
		c.char(c.pending)
		c.pending = c.pending[:0]
	}
	return string(c.b)
}
