package ui

import (
	"strconv"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"kurultai/data"
)

// openOrphan shows the text an orphaned bookmark was made with: its
// paragraphs are no longer in the archive, so the reader cannot open
// them, and the text is labelled as what it is.
func (c *common) openOrphan(b data.Bookmark) tea.Cmd {
	return func() tea.Msg { return openPageMsg{page: newOrphanPage(c, b)} }
}

// openPageMsg opens a page made elsewhere.
type openPageMsg struct{ page page }

// orphanPage is the reader for the quote an orphaned bookmark keeps.
type orphanPage struct {
	c      *common
	b      data.Bookmark
	view   *docView
	width  int
	height int
}

func newOrphanPage(c *common, b data.Bookmark) *orphanPage {
	p := &orphanPage{c: c, b: b}
	note := c.tr.T("**Orphaned bookmark.** The text below is what ¶ %s of %s held when it was bookmarked. The archive no longer has it there or anywhere in the document.",
		paraRange(b.From, b.To), SanitizeLine(b.Doc))
	blocks := []docBlock{{kind: blockText, md: note}}
	for _, para := range strings.Split(b.Quote, "\n\n") {
		blocks = append(blocks, docBlock{kind: blockText, md: "> " + strings.ReplaceAll(Sanitize(para), "\n", "\n> ")})
	}
	p.view = newDocView(c, c.styles.Theme, "orphan:"+strconv.FormatInt(b.ID, 10), blocks, false)
	return p
}

func paraRange(from, to int) string {
	if from == to {
		return strconv.Itoa(from)
	}
	return strconv.Itoa(from) + "–" + strconv.Itoa(to)
}

func (p *orphanPage) Init() tea.Cmd { return nil }

func (p *orphanPage) Update(msg tea.Msg) (tea.Cmd, bool) {
	if p.view == nil {
		return nil, false
	}
	return p.view.Update(msg)
}

func (p *orphanPage) View() string { return p.view.View() }

func (p *orphanPage) SetSize(w, h int) tea.Cmd {
	p.width, p.height = w, h
	return p.view.SetSize(w, h)
}

func (p *orphanPage) Screen() string { return screenOrphan }

func (p *orphanPage) Title() string { return p.c.tr.T("orphaned: %s", SanitizeLine(p.b.Doc)) }

func (p *orphanPage) Status() string { return p.c.tr.T("the text this bookmark was made with") }

func (p *orphanPage) Prompt() (string, bool) { return "", false }

func (p *orphanPage) Capturing() bool { return false }

func (p *orphanPage) ShortHelp() []key.Binding {
	k := p.c.keys
	return []key.Binding{k.Up, k.Down, k.Back}
}

func (p *orphanPage) FullHelp() [][]key.Binding {
	k := p.c.keys
	return [][]key.Binding{{k.Up, k.Down, k.PageUp, k.PageDown, k.Back}}
}

func (p *orphanPage) ThemeChanged() tea.Cmd { return p.view.ThemeChanged() }
