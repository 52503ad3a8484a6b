package ui

import (
	"container/list"
	"hash/fnv"
	"strings"
	"sync"

	"unicode/utf8"

	"charm.land/glamour/v2"
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
}

func newMarkdownRenderer(theme Theme, width int) (*markdownRenderer, error) {
	tr, err := glamour.NewTermRenderer(glamour.WithStyles(theme.GlamourStyle()), glamour.WithWordWrap(width))
	if err != nil {
		return nil, err
	}
	return &markdownRenderer{tr: tr, width: width}, nil
}

// render turns one Markdown block into screen lines, without the blank
// lines glamour puts around it. If glamour fails, the block is shown
// wrapped as plain text, so one odd paragraph never hides a document.
func (r *markdownRenderer) render(md string) []string {
	out, err := r.tr.Render(md)
	if err != nil {
		return wrapPlain(md, r.width)
	}
	return trimBlankLines(strings.Split(KeepStyling(out), "\n"))
}

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
		lines[i] = strings.TrimRight(l, " ")
	}
	if len(lines) == 0 {
		return []string{""}
	}
	return lines
}

// wrapPlain wraps text to width without Markdown styling: the stand-in for a
// block until glamour has rendered it, with the same words on nearly the
// same lines. Like glamour it reflows single line breaks. It measures runes
// with a width table instead of segmenting graphemes, which is several
// times faster and exact for the scripts an archive holds; the glamour
// output that replaces it is exact for everything.
func wrapPlain(text string, width int) []string {
	width = max(width, 1)
	var (
		out  []string
		line strings.Builder
		w    int
	)
	flush := func() {
		out = append(out, line.String())
		line.Reset()
		w = 0
	}
	for _, word := range strings.Fields(text) {
		ww := textWidth(word)
		if w > 0 && w+1+ww > width {
			flush()
		}
		if w > 0 {
			line.WriteByte(' ')
			w++
		}
		for ww > width-w && ww > 0 && w+ww > width {
			// A word longer than the line: break it by runes.
			cut, cw := 0, 0
			for i, r := range word {
				rw := cellWidth.RuneWidth(r)
				if w+cw+rw > width && cw > 0 {
					cut = i
					break
				}
				cw += rw
				cut = i + utf8.RuneLen(r)
			}
			line.WriteString(word[:cut])
			flush()
			word = word[cut:]
			ww = textWidth(word)
		}
		line.WriteString(word)
		w += ww
	}
	if w > 0 || len(out) == 0 {
		flush()
	}
	return out
}

// cellWidth measures runes as the terminal libraries do, whatever the
// locale: go-runewidth's default reads LANG and would count Cyrillic as
// two cells under a CJK locale.
var cellWidth = &runewidth.Condition{EastAsianWidth: false}

// textWidth is the width of plain text in cells.
func textWidth(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return cellWidth.StringWidth(s)
		}
		n++
	}
	return n
}

// textHash is a fast digest of a block's text for the render cache key.
func textHash(s string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(s))
	return h.Sum64()
}
