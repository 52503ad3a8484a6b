package ui

import (
	"fmt"
	"sort"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"kurultai/data"
)

type blockKind int

const (
	blockText    blockKind = iota // unnumbered Markdown: banners, summaries, sections
	blockHeading                  // a section heading before a paragraph
	blockPara                     // a numbered paragraph, the unit of citation
	blockLink                     // a line that opens another document
)

// docLink is where a link block leads.
type docLink struct {
	Target string
	Para   int
}

type docBlock struct {
	kind  blockKind
	md    string // sanitised Markdown (or plain text for links)
	hash  uint64 // of md, for the render cache
	shape blockShape
	para  int // paragraph number, for blockPara
	link  docLink
	lines []string
	final bool // rendered at the current width and theme, by glamour or as plain text
	note  int  // lines of the note above a block shown as plain text
}

// match is one find hit: a screen line and the cells it covers.
type match struct {
	line, start, end int
}

// docView shows a document in a scrolling view: paragraphs rendered with
// glamour one by one, the visible ones first, with a numbered gutter, a
// paragraph cursor, links and find. It is the heart of the reader and of
// the session summary.
type docView struct {
	c        *common
	theme    Theme
	id       string
	blocks   []docBlock
	paras    []int // block index of each numbered paragraph
	links    []int // block index of each link
	numbered bool

	width, height int
	gen           int // bumps when width or theme change, to drop stale renders
	rendering     bool

	lines []string
	owner []int32 // block of each line
	first []int   // first line of each block (after its separator)

	y      int
	cursor int // index into paras, -1 when there are none
	link   int // index into links, -1 when none is selected

	marked   map[int]bool // bookmarked paragraph numbers, marked in the margin
	changed  map[int]bool // paragraphs changed since the reader last opened the document
	anchor   int          // index into paras where a range started, or -1
	finding  bool         // the find prompt is open
	query    string
	terms    []data.Term // words a search brought the reader to, all highlighted
	kazakh   bool        // the document is in Kazakh: find matches its words in any script
	matches  []match
	capped   bool // more than maxMatches were found
	current  int
	gutterW  int
	contentW int

	held map[int]bool // blocks holding glamour's lines: see trimHeld
}

func newDocView(c *common, theme Theme, id string, blocks []docBlock, numbered bool) *docView {
	v := &docView{c: c, theme: theme, id: id, blocks: blocks, numbered: numbered, cursor: -1, link: -1, anchor: -1}
	for i := range blocks {
		blocks[i].md = strings.ReplaceAll(blocks[i].md, "\t", "    ")
		blocks[i].hash = textHash(blocks[i].md)
		blocks[i].shape = measureShape(blocks[i].md)
	}
	for i, b := range blocks {
		switch b.kind {
		case blockPara:
			v.paras = append(v.paras, i)
		case blockLink:
			v.links = append(v.links, i)
		}
	}
	if len(v.paras) > 0 {
		v.cursor = 0
	}
	return v
}

// measure works out the gutter and content widths for a total width.
func measure(width int, numbered bool, maxPara, readWidth int) (gutter, content int) {
	if numbered {
		gutter = len(fmt.Sprintf("▌¶ %d ", maxPara)) - len("▌¶") + 2
	} else {
		gutter = 1
	}
	if gutter > width/3 {
		gutter = 0
	}
	return gutter, min(readWidth, max(1, width-gutter-1))
}

// DefaultReadWidth caps the width text is wrapped to, however wide the
// terminal: longer lines are hard to read (glow wraps at 80 too). The
// config file's width changes it for the reader.
const DefaultReadWidth = 80

func (v *docView) maxPara() int {
	if len(v.paras) == 0 {
		return 0
	}
	return v.blocks[v.paras[len(v.paras)-1]].para
}

// SetSize lays the document out again for a new size. Blocks keep their old
// lines until they are wrapped again, so the text never disappears.
func (v *docView) SetSize(w, h int) tea.Cmd {
	v.layout(w, h)
	return v.ensureRendered()
}

func (v *docView) layout(w, h int) {
	w, h = max(w, 0), max(h, 0)
	if w == v.width && h == v.height && v.lines != nil {
		return
	}
	widthChanged := w != v.width
	v.width, v.height = w, h
	if widthChanged || v.lines == nil {
		v.gutterW, v.contentW = measure(w, v.numbered, v.maxPara(), v.c.readWidth)
		// Text is never wrapped narrower than minWrapWidth: a terminal a
		// few columns wide would otherwise turn a long document into
		// millions of lines. A narrower screen shows the left of each line.
		v.contentW = max(v.contentW, minWrapWidth)
		v.gen++
		v.rewrap()
	}
	v.relayout(-1)
}

// prepare lays a new view out and renders what the first screen shows,
// before the view reaches the UI. It runs in the command that loaded the
// document, so the reader opens on glamour's output at once.
func (v *docView) prepare(w, h, para int) {
	v.layout(w, h)
	if para > 0 {
		v.GotoNumber(para)
	}
	todo := v.pending(v.y, min(len(v.lines), v.y+v.height))
	for b, lines := range renderBlocks(v.c.ctx, v.c.cache, v.id, v.theme, v.contentW, todo) {
		v.setRendered(b, lines)
	}
	v.relayout(-1)
	if para > 0 {
		v.GotoNumber(para)
	}
}

// ThemeChanged marks every block for rendering again in the new theme.
func (v *docView) ThemeChanged() tea.Cmd {
	v.theme = v.c.styles.Theme
	v.gen++
	for i := range v.blocks {
		if v.blocks[i].kind != blockLink && !v.plainBlock(i, true) {
			v.blocks[i].final = false
		}
	}
	v.pullCache()
	v.relayout(-1)
	return v.ensureRendered()
}

// rewrap gives every block lines at the current width: from the render
// cache when glamour has already done it, else plain wrapped text.
func (v *docView) rewrap() {
	for i := range v.blocks {
		b := &v.blocks[i]
		v.dropHeld(i)
		b.final, b.note = false, 0
		switch {
		case b.kind == blockLink:
			b.lines = []string{ansi.Truncate(b.md, v.contentW, "…")}
			b.final = true
		case v.plainBlock(i, false):
		default:
			b.lines = wrapPlain(b.md, v.contentW)
		}
	}
	v.pullCache()
}

func (v *docView) pullCache() {
	theme := v.theme.Name
	for i := range v.blocks {
		b := &v.blocks[i]
		if b.final {
			continue
		}
		if lines, ok := v.c.cache.get(renderKey{v.id, i, b.hash, v.contentW, theme}); ok {
			v.setRendered(i, lines)
		}
	}
}

// relayout joins the blocks' lines, keeping the block at the top of the
// screen where it was. anchor forces a block to the top; -1 keeps the
// current one.
func (v *docView) relayout(anchor int) {
	// A selected link on screen stays on screen, however the blocks
	// above it grow or shrink as glamour's lines replace the stand-ins.
	linkShown := v.link >= 0 && v.link < len(v.links) && v.links[v.link] < len(v.first) &&
		v.first[v.links[v.link]] >= v.y && v.first[v.links[v.link]] < v.y+v.height
	topBlock, within := -1, 0
	if anchor >= 0 {
		topBlock = anchor
	} else if len(v.owner) > 0 && v.y < len(v.owner) {
		topBlock = int(v.owner[v.y])
		within = v.y - v.first[topBlock]
	}
	v.trimHeld(false)
	n := 0
	for _, b := range v.blocks {
		n += len(b.lines) + 1
	}
	v.lines = make([]string, 0, n)
	v.owner = make([]int32, 0, n)
	v.first = make([]int, len(v.blocks))
	for i, b := range v.blocks {
		if i > 0 && b.kind != blockLink {
			v.lines = append(v.lines, "")
			v.owner = append(v.owner, int32(i))
		}
		v.first[i] = len(v.lines)
		for _, l := range b.lines {
			v.lines = append(v.lines, l)
			v.owner = append(v.owner, int32(i))
		}
	}
	if topBlock >= 0 && topBlock < len(v.blocks) {
		v.y = v.first[topBlock] + min(within, max(len(v.blocks[topBlock].lines)-1, 0))
	}
	v.clampY()
	if linkShown {
		v.reveal(v.first[v.links[v.link]])
	}
	if v.query != "" {
		v.findAll(false)
	}
}

func (v *docView) maxY() int { return max(0, len(v.lines)-max(v.height, 1)) }

func (v *docView) clampY() { v.y = max(0, min(v.y, v.maxY())) }

// Update handles scrolling, paragraph and link movement, find, and render
// results. It reports whether it used a key.
func (v *docView) Update(msg tea.Msg) (tea.Cmd, bool) {
	switch msg := msg.(type) {
	case renderedMsg:
		if msg.id != v.id {
			// Another document is on screen and filling the shared cache:
			// this one keeps no more of glamour's output than the cache.
			if v.trimHeld(true) {
				v.relayout(-1)
			}
			return nil, false
		}
		v.rendering = false
		if msg.gen == v.gen {
			for b, lines := range msg.blocks {
				v.setRendered(b, lines)
			}
			v.relayout(-1)
		}
		return v.ensureRendered(), true
	case tea.MouseWheelMsg:
		switch msg.Button {
		case tea.MouseWheelUp:
			v.scroll(-3)
		case tea.MouseWheelDown:
			v.scroll(3)
		}
		return v.ensureRendered(), true
	case tea.PasteMsg:
		if v.finding {
			v.query = appendInput(v.query, msg.Content)
			v.findAll(true)
			return v.ensureRendered(), true
		}
	case tea.KeyPressMsg:
		if v.finding {
			return v.findKey(msg), true
		}
		return v.key(msg)
	}
	return nil, false
}

func (v *docView) key(msg tea.KeyPressMsg) (tea.Cmd, bool) {
	k := v.c.keys
	switch {
	case key.Matches(msg, k.Down, k.VimDown):
		v.scroll(1)
	case key.Matches(msg, k.Up, k.VimUp):
		v.scroll(-1)
	case key.Matches(msg, k.PageDown, k.Space):
		v.scroll(max(1, v.height-1))
	case key.Matches(msg, k.PageUp):
		v.scroll(-max(1, v.height-1))
	case key.Matches(msg, k.HalfDown):
		v.scroll(max(1, v.height/2))
	case key.Matches(msg, k.HalfUp):
		v.scroll(-max(1, v.height/2))
	case key.Matches(msg, k.Home, k.VimTop):
		v.y = 0
		v.syncCursor()
	case key.Matches(msg, k.End, k.VimBottom):
		v.y = v.maxY()
		v.syncCursor()
	case key.Matches(msg, k.NextPara):
		v.GotoPara(v.cursor + 1)
	case key.Matches(msg, k.PrevPara):
		v.GotoPara(v.cursor - 1)
	case key.Matches(msg, k.Find):
		v.finding, v.query, v.matches, v.terms = true, "", nil, nil
	case key.Matches(msg, k.NextMatch) && len(v.matches) > 0:
		v.stepMatch(1)
	case key.Matches(msg, k.PrevMatch) && len(v.matches) > 0:
		v.stepMatch(-1)
	case key.Matches(msg, k.NextLink) && len(v.links) > 0:
		v.stepLink(1)
	case key.Matches(msg, k.PrevLink) && len(v.links) > 0:
		v.stepLink(-1)
	case key.Matches(msg, k.Back) && v.query != "":
		v.query, v.matches, v.terms = "", nil, nil
	default:
		return nil, false
	}
	return v.ensureRendered(), true
}

func (v *docView) scroll(n int) {
	v.y += n
	v.clampY()
	v.syncCursor()
}

// syncCursor moves the paragraph cursor onto the screen after a scroll,
// choosing the paragraph at the top.
func (v *docView) syncCursor() {
	v.clampY()
	if len(v.paras) == 0 || v.y >= len(v.owner) {
		return
	}
	if c := v.paras[v.cursor]; v.first[c] >= v.y && v.first[c] < v.y+v.height {
		return
	}
	top := int(v.owner[v.y])
	i := sort.SearchInts(v.paras, top)
	if i < len(v.paras) && v.paras[i] == top {
		v.cursor = i
		return
	}
	if i < len(v.paras) && v.first[v.paras[i]] < v.y+v.height {
		v.cursor = i
		return
	}
	if i > 0 {
		v.cursor = i - 1
	}
}

// GotoPara puts the cursor on a paragraph (an index into the numbered
// paragraphs) and scrolls it to the top, with its heading.
func (v *docView) GotoPara(i int) {
	if len(v.paras) == 0 {
		return
	}
	i = max(0, min(i, len(v.paras)-1))
	v.cursor = i
	b := v.paras[i]
	if b > 0 && v.blocks[b-1].kind == blockHeading {
		b--
	}
	if len(v.first) > b {
		v.y = v.first[b]
		v.clampY()
	}
}

// GotoNumber puts the cursor on the paragraph with that number.
func (v *docView) GotoNumber(n int) {
	for i, b := range v.paras {
		if v.blocks[b].para == n {
			v.GotoPara(i)
			return
		}
	}
}

// reveal scrolls as little as needed to show a line.
func (v *docView) reveal(line int) {
	if line < v.y {
		v.y = line
	} else if line >= v.y+v.height {
		v.y = line - v.height + 1
	}
	v.clampY()
}

// Position is the status text: the paragraph, the scroll position, and
// the find state.
func (v *docView) Position() string {
	var parts []string
	if len(v.paras) > 0 {
		// Paragraph numbers are the citation's, not counts: never grouped.
		parts = append(parts, fmt.Sprintf("¶ %d/%d", v.blocks[v.paras[v.cursor]].para, v.maxPara()))
	}
	pct := 100
	if v.maxY() > 0 {
		pct = v.y * 100 / v.maxY()
	}
	parts = append(parts, fmt.Sprintf("%d%%", pct))
	if v.query != "" && !v.finding {
		if len(v.matches) == 0 {
			parts = append(parts, v.c.tr.T("“%s” not found", ansi.Truncate(v.query, 20, "…")))
		} else {
			parts = append(parts, v.c.tr.T("match %d/%s", v.current+1, v.matchCount()))
		}
	}
	return strings.Join(parts, " · ")
}

// Capturing reports whether keys are going into the find prompt.
func (v *docView) Capturing() bool { return v.finding }

// View draws the visible lines with the gutter, the cursor, links and
// matches. It only joins and styles what is on screen.
func (v *docView) View() string {
	if v.height <= 0 || v.width <= 0 {
		return ""
	}
	st := v.c.styles
	out := make([]string, 0, v.height)
	mi := sort.Search(len(v.matches), func(i int) bool { return v.matches[i].line >= v.y })
	cursorBlock, linkBlock := -1, -1
	if v.cursor >= 0 && v.cursor < len(v.paras) {
		cursorBlock = v.paras[v.cursor]
	}
	lo, hi := v.Selection()
	if v.link >= 0 && v.link < len(v.links) {
		linkBlock = v.links[v.link]
	}
	for i := v.y; i < v.y+v.height && i < len(v.lines); i++ {
		b := int(v.owner[i])
		blk := &v.blocks[b]
		line := v.lines[i]
		if blk.kind == blockLink {
			if b == linkBlock {
				line = st.LinkSelected.Render(line)
			} else {
				line = st.Link.Render(line)
			}
		}
		var ranges []lipgloss.Range
		for ; mi < len(v.matches) && v.matches[mi].line == i; mi++ {
			style := st.Match
			if mi == v.current {
				style = st.MatchCurrent
			}
			ranges = append(ranges, lipgloss.NewRange(v.matches[mi].start, v.matches[mi].end, style))
		}
		if len(ranges) > 0 {
			line = lipgloss.StyleRanges(line, ranges...)
		}
		selected := b == cursorBlock || blk.kind == blockPara && v.anchor >= 0 && blk.para >= lo && blk.para <= hi
		out = append(out, v.gutter(i, b, blk, selected)+ansi.Truncate(line, v.width-v.gutterW, "…"))
	}
	for len(out) < v.height {
		out = append(out, "")
	}
	return strings.Join(out, "\n")
}

func (v *docView) gutter(line, b int, blk *docBlock, cursor bool) string {
	return v.gutterText(blk, line == v.first[b], cursor, cursor && line >= v.first[b])
}

// gutterText draws the gutter of a line of a block: the paragraph's number
// on its first line, the cursor's bar and the bookmark mark.
func (v *docView) gutterText(blk *docBlock, first, cursor, showBar bool) string {
	if v.gutterW == 0 {
		return ""
	}
	if !v.numbered {
		return strings.Repeat(" ", v.gutterW)
	}
	st := v.c.styles
	label := ""
	if blk.kind == blockPara && first {
		label = fmt.Sprintf("¶ %d", blk.para)
	}
	bar := " "
	if showBar {
		bar = "▌"
	}
	pad := v.gutterW - 2 - ansi.StringWidth(label)
	mark := ""
	if label != "" && v.marked[blk.para] && pad > 0 {
		mark, pad = "•", pad-1
	}
	if label != "" && v.changed[blk.para] && pad > 0 {
		mark, pad = mark+"+", pad-1
	}
	text := bar + mark + strings.Repeat(" ", max(pad, 0)) + label + " "
	if cursor {
		return st.GutterCursor.Render(text)
	}
	return st.Gutter.Render(text)
}

// Highlight marks every word a search's words match, as the search
// matched them, and puts the current match on the first one in paragraph
// para (or after it).
func (v *docView) Highlight(words []data.Term, para int) {
	v.terms = words
	v.query = ""
	for _, w := range words {
		if w.Text != "" {
			v.query = strings.TrimSpace(v.query + " " + w.Text)
		}
	}
	v.findAll(false)
	if len(v.matches) == 0 {
		return
	}
	v.current = 0
	if para > 0 && len(v.paras) > 0 {
		for i, m := range v.matches {
			b := v.blocks[v.owner[m.line]]
			if b.kind == blockPara && b.para >= para {
				v.current = i
				break
			}
		}
	}
	v.showMatch()
}

// Selection is the paragraph numbers the cursor covers: from the range's
// start to the cursor when a range is open, else the cursor's paragraph.
func (v *docView) Selection() (int, int) {
	if len(v.paras) == 0 || v.cursor < 0 {
		return 0, 0
	}
	cur := v.blocks[v.paras[v.cursor]].para
	if v.anchor < 0 || v.anchor >= len(v.paras) {
		return cur, cur
	}
	a := v.blocks[v.paras[v.anchor]].para
	return min(a, cur), max(a, cur)
}
