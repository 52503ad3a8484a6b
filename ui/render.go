package ui

import (
	"container/list"
	"hash/fnv"
	"regexp"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"unicode"
	"unicode/utf8"

	"charm.land/glamour/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/mattn/go-runewidth"
)

// renderKey names one rendered block: a block of a document at a width in a
// theme.
type renderKey struct {
	doc   string
	block int
	hash  uint64 // of the block's text, so an archive changed underneath is never shown stale
	width int
	theme string
}

// renderCache keeps rendered blocks, bounded by bytes and evicting the
// least recently used. It is shared by every screen and safe for the render
// commands that run beside the UI.
type renderCache struct {
	mu    sync.Mutex
	max   int
	size  int
	order *list.List
	items map[renderKey]*list.Element
}

type cacheEntry struct {
	key   renderKey
	lines []string
	size  int
}

func newRenderCache(maxBytes int) *renderCache {
	return &renderCache{max: maxBytes, order: list.New(), items: map[renderKey]*list.Element{}}
}

func (c *renderCache) get(k renderKey) ([]string, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	el, ok := c.items[k]
	if !ok {
		return nil, false
	}
	c.order.MoveToFront(el)
	return el.Value.(*cacheEntry).lines, true
}

func (c *renderCache) put(k renderKey, lines []string) {
	size := 64
	for _, l := range lines {
		size += len(l) + 16
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if el, ok := c.items[k]; ok {
		c.size -= el.Value.(*cacheEntry).size
		c.order.Remove(el)
		delete(c.items, k)
	}
	if size > c.max {
		return
	}
	c.items[k] = c.order.PushFront(&cacheEntry{key: k, lines: lines, size: size})
	c.size += size
	for c.size > c.max {
		el := c.order.Back()
		e := el.Value.(*cacheEntry)
		c.order.Remove(el)
		delete(c.items, e.key)
		c.size -= e.size
	}
}

// has reports whether the cache holds k, without making it recent.
func (c *renderCache) has(k renderKey) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	_, ok := c.items[k]
	return ok
}

// Bytes is the cache's current size.
func (c *renderCache) Bytes() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.size
}

// markdownRenderer renders Markdown blocks at one width in one theme. It is
// made inside a command and used by that command alone.
type markdownRenderer struct {
	tr    *glamour.TermRenderer
	width int
	note  lipgloss.Style
}

func newMarkdownRenderer(theme Theme, width int) (*markdownRenderer, error) {
	style := theme.GlamourStyle()
	// Code is shown without syntax colouring: the language of a fence is
	// archive text, and it would choose which of chroma's hundreds of
	// lexers runs on the block.
	style.CodeBlock.Theme, style.CodeBlock.Chroma = "", nil
	tr, err := glamour.NewTermRenderer(glamour.WithStyles(style), glamour.WithWordWrap(width))
	if err != nil {
		return nil, err
	}
	return &markdownRenderer{tr: tr, width: width, note: noteStyle(theme)}, nil
}

// render turns one Markdown block into screen lines, without the blank
// lines glamour puts around it. A block past the limits in render_limits.go
// is shown as plain text under a note, and so is one glamour fails on, so
// that one odd paragraph never hides a document or holds up its reader.
func (r *markdownRenderer) render(md string) []string {
	if note := measureShape(md).plainNote(r.width); note != "" {
		return plainLines(md, note, r.width, r.note)
	}
	if kept, words, ok := keepWhole(md, r.width); ok {
		if out, err := r.tr.Render(kept); err == nil {
			if out, ok := restoreWhole(out, words); ok {
				return r.breakAfterLong(trimBlankLines(strings.Split(KeepStyling(out), "\n")))
			}
		}
	}
	out, err := r.tr.Render(md)
	if err != nil {
		return wrapPlain(md, r.width)
	}
	return trimBlankLines(strings.Split(KeepStyling(out), "\n"))
}

// wholeWord finds what must not be broken across lines: web addresses,
// archive ids (nk-5/p8-commission-referendum), dates, and numbers and
// names with points or commas inside (9,127,192; 87.15%; gov.kz), which
// glamour would break at a hyphen, a slash, a point or a comma. What follows a word (a full stop, a bracket) is
// trimmed off by wholeWords. It is compiled the first time it is used,
// not as every command starts.
var wholeWord = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`(?:https?://|www\.)[^\s<>\[\]]+|[\p{L}\p{N}][\p{L}\p{N}_.:-]*/[\p{L}\p{N}_.:/#?=&%~+-]*|\b\d{4}-\d\d(?:-\d\d)?\b|[\p{L}\p{N}]+(?:[.,:][\p{L}\p{N}]+)+%?|\b\d{1,2} (?:January|February|March|April|May|June|July|August|September|October|November|December)(?: \d{4})?\b`)
})

// keepWhole stands in for each whole word a run of one private-use
// character, of the word's width: glamour wraps it as one word, so it goes
// to the next line whole. A word longer than a line (width) stands in for
// as long as a line, and its line comes back wider than width: it is never
// cut in two. restoreWhole puts the words back. ok is false when there is
// nothing to keep whole. A link's own address ([text](address),
// <address>) is left alone: glamour prints it as it likes.
func keepWhole(md string, width int) (kept string, words wholeWords, ok bool) {
	if !strings.ContainsAny(md, "/-.,:") {
		return md, words, false
	}
	for r := rune(0xE000); r < 0xE100; r++ {
		if !strings.ContainsRune(md, r) {
			words.stand = r
			break
		}
	}
	if words.stand == 0 {
		return md, words, false
	}
	line := max(width-6, 8) // room for glamour's margin and a list's indent
	var b strings.Builder
	last := 0
	for _, m := range wholeWord().FindAllStringIndex(md, -1) {
		start, end := m[0], trimWordEnd(md[m[0]:m[1]])+m[0]
		if strings.HasSuffix(md[:start], "](") || strings.HasSuffix(md[:start], "<") || end-start < 2 {
			continue
		}
		word := []rune(md[start:end])
		if slices.ContainsFunc(word, func(r rune) bool { return runewidth.RuneWidth(r) != 1 }) {
			continue
		}
		b.WriteString(md[last:start])
		n := min(len(word), line)
		b.WriteString(strings.Repeat(string(words.stand), n))
		words.list = append(words.list, wholeWordAt{word, n})
		last = end
	}
	if len(words.list) == 0 {
		return md, words, false
	}
	b.WriteString(md[last:])
	return b.String(), words, true
}

// wholeWords are the words keepWhole took out, in order, and the rune that
// stands in for them.
type wholeWords struct {
	stand rune
	list  []wholeWordAt
}

type wholeWordAt struct {
	word  []rune
	stand int // how many stand-ins it has
}

// breakAfterLong puts what follows a word longer than a line on a line of
// its own, at the same indent: on the word's line it would be cut off
// with the word's end.
func (r *markdownRenderer) breakAfterLong(lines []string) []string {
	var out []string
	for _, l := range lines {
		plain := ansi.Strip(l)
		if textWidth(plain) <= r.width {
			out = append(out, l)
			continue
		}
		indent := len(plain) - len(strings.TrimLeft(plain, " "))
		// The last space before which the line is too wide ends the
		// long word; what follows it moves down.
		cut, at := -1, 0
		col := 0
		for i, ch := range plain {
			if ch == ' ' && i > indent && col >= r.width-1 {
				cut, at = col, i
				break
			}
			col += runeCells(ch)
		}
		if cut < 0 || strings.TrimSpace(plain[at+1:]) == "" {
			out = append(out, l)
			continue
		}
		total := textWidth(plain)
		out = append(out, ansi.Cut(l, 0, cut), strings.Repeat(" ", indent)+ansi.Cut(l, cut+1, total))
	}
	return out
}

// trimWordEnd is the length of a whole word without the punctuation that
// ends the sentence or the bracket around it: a closing bracket stays when
// the word opened one.
func trimWordEnd(w string) int {
	for len(w) > 0 {
		c := w[len(w)-1]
		switch {
		case strings.IndexByte(".,;:!?'\"", c) >= 0:
		case c == ')' && strings.Count(w, "(") < strings.Count(w, ")"):
		default:
			return len(w)
		}
		w = w[:len(w)-1]
	}
	return 0
}

// restoreWhole puts back the words keepWhole stood in for, in order: each
// stand-in is a rune of its word, and the last of a word's stand-ins is the
// rest of it. ok is false when glamour did not give back exactly as many
// stand-ins as it was given.
func restoreWhole(out string, words wholeWords) (string, bool) {
	var b strings.Builder
	b.Grow(len(out))
	i, k := 0, 0 // the word, and its stand-ins so far
	for _, r := range out {
		if r != words.stand {
			b.WriteRune(r)
			continue
		}
		if i == len(words.list) {
			return "", false
		}
		w := words.list[i]
		if k == w.stand-1 {
			b.WriteString(string(w.word[k:]))
			i, k = i+1, 0
			continue
		}
		b.WriteRune(w.word[k])
		k++
	}
	return b.String(), i == len(words.list) && k == 0
}

// plainLines shows a block as plain wrapped text, under a note that says
// why.
func plainLines(md, note string, width int, style lipgloss.Style) []string {
	text := wrapPlain(md, width)
	out := make([]string, 0, len(text)+2)
	for _, l := range wrapPlain(note, width) {
		out = append(out, style.Render(l))
	}
	return append(out, text...)
}

// noteStyle is how a note about a block is drawn: dim, as the gutter is.
func noteStyle(theme Theme) lipgloss.Style { return NewStyles(theme).Dim }

func trimBlankLines(lines []string) []string {
	blank := func(s string) bool { return strings.TrimSpace(ansi.Strip(s)) == "" }
	for len(lines) > 0 && blank(lines[0]) {
		lines = lines[1:]
	}
	for len(lines) > 0 && blank(lines[len(lines)-1]) {
		lines = lines[:len(lines)-1]
	}
	for i, l := range lines {
		// glamour pads lines to the wrap width; the padding only costs
		// bytes and confuses terminal copy.
		lines[i] = trimPadding(l)
	}
	if len(lines) == 0 {
		return []string{""}
	}
	return lines
}

// trimPadding removes the spaces glamour pads a line with up to the wrap
// width. Each is a style sequence, a space and a reset, about 14 bytes a
// cell, so that the padding of a line 500 cells wide took 7 KB whatever the
// line held. A space is removed only when its style shows nothing on it: a
// colour or weight of text; a background, reverse video or a line through
// or under it stays.
func trimPadding(l string) string {
	trimmed := false
	for {
		t := strings.TrimRight(l, " ")
		var rest string
		switch {
		case strings.HasSuffix(t, "\x1b[m"):
			rest = t[:len(t)-3]
		case strings.HasSuffix(t, "\x1b[0m"):
			rest = t[:len(t)-4]
		}
		body := strings.TrimRight(rest, " ")
		open := strings.LastIndex(body, "\x1b[")
		if rest == "" || !strings.HasSuffix(body, "m") || open < 0 || !invisibleOnSpace(body[open+2:len(body)-1]) {
			if trimmed && strings.IndexByte(t, 0x1b) >= 0 && !strings.HasSuffix(t, "\x1b[m") && !strings.HasSuffix(t, "\x1b[0m") {
				t += "\x1b[m"
			}
			return t
		}
		l, trimmed = body[:open], true
	}
}

// invisibleOnSpace reports whether the SGR parameters params change nothing
// on a space.
func invisibleOnSpace(params string) bool {
	var nums []int
	for _, p := range strings.Split(params, ";") {
		n := 0
		for _, c := range []byte(p) {
			if c < '0' || c > '9' {
				return false
			}
			n = n*10 + int(c-'0')
		}
		nums = append(nums, n)
	}
	for i := 0; i < len(nums); i++ {
		switch n := nums[i]; {
		case n == 38 || n == 58: // a text or underline colour: skip its value
			if i+1 < len(nums) && nums[i+1] == 5 {
				i += 2
			} else if i+1 < len(nums) && nums[i+1] == 2 {
				i += 4
			}
		case n == 4 || n == 7 || n == 9 || n == 21 || n == 53, n == 48, n >= 40 && n <= 47, n >= 100 && n <= 107:
			return false
		}
	}
	return true
}

// wrapPlain wraps text to width without Markdown styling: the stand-in for a
// block until glamour has rendered it, with the same words on nearly the
// same lines, and the whole of a block too large for glamour. Like glamour
// it reflows single line breaks. It measures runes with a width table
// instead of segmenting graphemes, which is several times faster and exact
// for the scripts an archive holds; the glamour output that replaces it is
// exact for everything.
//
// It is linear in the length of the text, whatever its shape: each word is
// measured once and a word longer than the line is cut in one pass. A line
// whose words stood one space apart in text is a slice of text, not a
// copy, so a document laid out plainly costs little more than its text.
func wrapPlain(text string, width int) []string {
	width = max(width, 1)
	var out []string
	var (
		// The line so far is text[from:to] while its pieces are contiguous
		// in text; otherwise it is copied into buf.
		from, to int
		buf      []byte
		copied   bool
		w        int // cells on the line
	)
	flush := func() {
		if copied {
			out = append(out, string(buf))
		} else {
			out = append(out, text[from:to])
		}
		from, to, buf, copied, w = 0, 0, buf[:0], false, 0
	}
	// add puts text[s:e] on the line, after a space if sep.
	add := func(s, e int, sep bool) {
		switch {
		case copied:
		case from == to && !sep:
			from, to = s, e
			return
		case sep && s == to+1 && text[to] == ' ':
			to = e
			return
		default:
			buf, copied = append(buf[:0], text[from:to]...), true
		}
		if sep {
			buf = append(buf, ' ')
		}
		buf = append(buf, text[s:e]...)
	}
	for i := 0; i < len(text); {
		s := skipSpace(text, i)
		if s == len(text) {
			break
		}
		e := wordEnd(text, s)
		i = e
		ww := textWidth(text[s:e])
		if w > 0 && w+1+ww > width {
			flush()
		}
		sep := w > 0
		if sep {
			w++
		}
		if ww <= width-w || ww == 0 {
			add(s, e, sep)
			w += ww
			continue
		}
		// A word longer than the line (which is empty here): cut it by
		// runes, in one pass, taking at least one rune a line.
		cut, cw := s, 0
		for j, r := range text[s:e] {
			rw := runeCells(r)
			if w+cw+rw > width && cw > 0 {
				add(cut, s+j, sep)
				flush()
				cut, cw, sep = s+j, 0, false
			}
			cw += rw
		}
		add(cut, e, sep)
		w += cw
	}
	if w > 0 || len(out) == 0 || from != to || copied {
		flush()
	}
	return out
}

// skipSpace returns the index of the first byte at or after i that does not
// begin a space, as strings.Fields counts spaces.
func skipSpace(s string, i int) int {
	for i < len(s) {
		if c := s[i]; c < utf8.RuneSelf {
			if asciiSpace[c] == 0 {
				return i
			}
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if !unicode.IsSpace(r) {
			return i
		}
		i += n
	}
	return i
}

// wordEnd returns the index of the first space at or after i.
func wordEnd(s string, i int) int {
	for i < len(s) {
		if c := s[i]; c < utf8.RuneSelf {
			if asciiSpace[c] != 0 {
				return i
			}
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if unicode.IsSpace(r) {
			return i
		}
		i += n
	}
	return i
}

var asciiSpace = [utf8.RuneSelf]uint8{'\t': 1, '\n': 1, '\v': 1, '\f': 1, '\r': 1, ' ': 1}

// cellWidth measures runes as the terminal libraries do, whatever the
// locale: go-runewidth's default reads LANG and would count Cyrillic as
// two cells under a CJK locale.
var cellWidth = &runewidth.Condition{EastAsianWidth: false}

// runeCells is the width of a rune in cells, looked up for the runes UTF-8
// writes in one or two bytes.
func runeCells(r rune) int {
	if r >= 0 && r < 0x800 {
		return int(smallRuneCells()[r])
	}
	return cellWidth.RuneWidth(r)
}

var smallRuneCellsTable atomic.Pointer[[0x800]int8]

// smallRuneCells is the width of each rune of the two-byte range, built
// the first time it is needed (a millisecond that a command drawing
// nothing should not spend as it starts).
func smallRuneCells() *[0x800]int8 {
	if t := smallRuneCellsTable.Load(); t != nil {
		return t
	}
	var t [0x800]int8
	for r := range t {
		t[r] = int8(cellWidth.RuneWidth(rune(r)))
	}
	smallRuneCellsTable.Store(&t)
	return &t
}

// textWidth is the width of plain text in cells. Text written in one- and
// two-byte runes (Latin, Greek, Cyrillic, Kazakh) is measured rune by rune
// from a table; anything else, where graphemes of several runes (emoji,
// Hangul) may be wider than their first rune, by grapheme.
func textWidth(s string) int {
	n := 0
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c < utf8.RuneSelf:
			n++
			i++
		case c >= 0xc2 && c < 0xe0 && i+1 < len(s) && s[i+1]&0xc0 == 0x80:
			n += int(smallRuneCells()[rune(c&0x1f)<<6|rune(s[i+1]&0x3f)])
			i += 2
		default:
			return cellWidth.StringWidth(s)
		}
	}
	return n
}

// textHash is a fast digest of a block's text for the render cache key.
func textHash(s string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(s))
	return h.Sum64()
}
