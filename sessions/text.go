package sessions

import (
	"strings"
	"unicode/utf8"
	"unsafe"
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

// handOverAt is the length from which String gives the text without
// copying it, and the collapser starts again with a new buffer.
const handOverAt = 64 << 10

func (c *spaceCollapser) reset() { c.b, c.space, c.pending = c.b[:0], false, c.pending[:0] }

func (c *spaceCollapser) write(p []byte) {
	// What a piece gives is at most its length, with a space before it
	// and a rune left over from the last piece.
	c.reserve(len(c.pending) + len(p) + 1)
	if n := len(c.pending); n > 0 {
		// The rune split between the pieces is put together from the
		// few bytes it needs, not by copying the whole piece.
		var join [2 * utf8.UTFMax]byte
		k := copy(join[:], c.pending)
		k += copy(join[k:], p)
		i := 0
		for i < n {
			next, incomplete := c.step(join[:k], i)
			if incomplete {
				c.pending = append(c.pending[:0], join[i:k]...)
				return
			}
			i = next
		}
		c.pending = c.pending[:0]
		p = p[i-n:]
	}
	for i := 0; i < len(p); {
		// ASCII inline, as nearly all of it is; the rest through step.
		if ch := p[i]; ch < utf8.RuneSelf {
			if ch == ' ' || ch == '\n' || ch == '\t' || ch == '\r' || ch == '\v' || ch == '\f' {
				c.space = true
			} else {
				c.char(p[i : i+1])
			}
			i++
			continue
		}
		next, incomplete := c.step(p, i)
		if incomplete {
			c.pending = append(c.pending, p[i:]...)
			return
		}
		i = next
	}
}

// step takes the rune at p[i] and says where the next one starts, or that
// p ends inside it.
func (c *spaceCollapser) step(p []byte, i int) (next int, incomplete bool) {
	ch := p[i]
	if ch < utf8.RuneSelf {
		if ch == ' ' || ch == '\n' || ch == '\t' || ch == '\r' || ch == '\v' || ch == '\f' {
			c.space = true
		} else {
			c.char(p[i : i+1])
		}
		return i + 1, false
	}
	if !utf8.FullRune(p[i:]) {
		return i, true
	}
	r, size := utf8.DecodeRune(p[i:])
	if isSpaceRune(r) {
		c.space = true
	} else {
		c.char(p[i : i+size])
	}
	return i + size, false
}

// reserve makes room for n more bytes. A text of one piece gets just its
// size, and a large one grows by a quarter, not double: a paragraph of
// 60 MB should not take 120.
func (c *spaceCollapser) reserve(n int) {
	if cap(c.b)-len(c.b) >= n {
		return
	}
	size := len(c.b) + n
	if cap(c.b) < 1<<20 {
		size = max(size, 2*cap(c.b))
	} else {
		size = max(size, cap(c.b)+cap(c.b)/4)
	}
	b := make([]byte, len(c.b), size)
	copy(b, c.b)
	c.b = b
}

func (c *spaceCollapser) char(p []byte) {
	if c.space && len(c.b) > 0 {
		c.b = append(c.b, ' ')
	}
	c.space = false
	c.b = append(c.b, p...)
}

// String gives the text. A short one is copied and the buffer kept for
// the next; a long one is given as it is, without a copy, and the
// collapser lets go of it: nothing writes to it again.
func (c *spaceCollapser) String() string {
	if len(c.pending) > 0 {
		c.reserve(len(c.pending) + 1)
		c.char(c.pending)
		c.pending = c.pending[:0]
	}
	if len(c.b) < handOverAt {
		return string(c.b)
	}
	s := unsafe.String(unsafe.SliceData(c.b), len(c.b))
	c.b = nil
	return s
}
