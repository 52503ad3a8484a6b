package ui

import (
	"strconv"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"kurultai/data"
	"kurultai/sessions"
)

// readerPage reads a speech or a proposal: a fixed header, the document
// in a docView, and the position in the status line.
type readerPage struct {
	c      *common
	id     string
	para   int
	words  []data.Term // search words to highlight on opening
	form   *markForm
	token  int
	doc    *data.Document
	view   *docView
	err    error
	width  int
	height int
}

type docLoadedMsg struct {
	token int
	doc   *data.Document
	view  *docView
	err   error
}

func newReaderPage(c *common, id string, para int) *readerPage {
	return &readerPage{c: c, id: id, para: para, token: c.token()}
}

func (p *readerPage) headerHeight() int {
	switch {
	case p.height >= 12:
		return 4
	case p.height >= 5:
		return 1
	}
	return 0
}

// Init loads the document and renders its first screen in a command.
func (p *readerPage) Init() tea.Cmd {
	c, id, para, token, theme := p.c, p.id, p.para, p.token, p.c.styles.Theme
	w, h := p.width, p.height-p.headerHeight()
	return func() tea.Msg {
		doc, err := c.archive().Document(c.ctx, id)
		if err != nil {
			return docLoadedMsg{token: token, err: err}
		}
		var blocks []docBlock
		if doc.Kind == data.KindProposal {
			blocks = proposalBlocks(c.tr, doc)
		} else {
			blocks = speechBlocks(c.tr, doc)
		}
		v := newDocView(c, theme, id, blocks, true)
		v.kazakh = data.IsKazakh(doc.Language)
		v.prepare(w, h, para)
		return docLoadedMsg{token: token, doc: doc, view: v}
	}
}

func (p *readerPage) Update(msg tea.Msg) (tea.Cmd, bool) {
	if msg, ok := msg.(docLoadedMsg); ok {
		if msg.token != p.token {
			return nil, false
		}
		if msg.err != nil {
			p.err = msg.err
			return errorCmd(msg.err), true
		}
		p.doc, p.view = msg.doc, msg.view
		cmd := p.view.SetSize(p.width, p.height-p.headerHeight())
		if len(p.words) > 0 {
			// A lemma: search marks the words it found by their lemmas.
			p.view.Highlight(data.WithLemmaForms(p.words, p.doc.Paragraphs), p.para)
			cmd = tea.Batch(cmd, p.view.ensureRendered())
		}
		cmd = tea.Batch(cmd, p.loadMarks(), p.c.loadChanged(p.token, p.id))
		if p.view.theme.Name != p.c.styles.Theme.Name {
			// The terminal's background answer came while loading.
			cmd = p.view.ThemeChanged()
		}
		return cmd, true
	}
	switch msg := msg.(type) {
	case changedMsg:
		if msg.token != p.token || p.view == nil || len(msg.paras) == 0 {
			return nil, false
		}
		return p.showChanged(msg.paras), true
	case markedMsg:
		if msg.token != p.token {
			return nil, false
		}
		if msg.err != nil {
			return errorCmd(msg.err), true
		}
		if p.view != nil {
			if p.view.marked == nil {
				p.view.marked = map[int]bool{}
			}
			for _, n := range msg.paras {
				p.view.marked[n] = true
			}
		}
		if msg.text != "" {
			text := msg.text
			return func() tea.Msg { return statusMsg{text: text} }, true
		}
		return nil, true
	case copyMsg:
		return tea.Batch(tea.SetClipboard(msg.text), p.c.copied(msg)), true
	case versionMsg:
		if msg.token != p.token {
			return nil, false
		}
		if msg.err != nil {
			return errorCmd(msg.err), true
		}
		if msg.id == "" {
			text := p.c.tr.T("This document has no other language version.")
			return func() tea.Msg { return statusMsg{text: text} }, true
		}
		// The same page reads the other version, at the same paragraph.
		p.id, p.para, p.token = msg.id, msg.para, p.c.token()
		p.doc, p.view = nil, nil
		return p.Init(), true
	case tea.KeyPressMsg:
		if cmd, used := p.markKey(msg); used {
			return cmd, true
		}
		if key.Matches(msg, p.c.keys.Language) && p.form == nil && p.doc != nil && p.doc.Kind == data.KindSpeech &&
			(p.view == nil || !p.view.Capturing()) {
			return p.nextVersion(), true
		}
	}
	if p.view == nil {
		return nil, false
	}
	if msg, ok := msg.(tea.KeyPressMsg); ok && !p.view.Capturing() && key.Matches(msg, p.c.keys.Open) {
		if l, ok := p.view.SelectedLink(); ok {
			return openDoc(l.Target, l.Para), true
		}
		if len(p.view.links) == 0 {
			text := p.c.tr.T("This document has no links to open.")
			return func() tea.Msg { return statusMsg{text: text} }, true
		}
		// Nothing selected yet: select the first link on or below the
		// screen, and let a second enter open it.
		p.view.stepLink(1)
		text := p.c.tr.T("Link selected: enter opens it, tab moves to the next.")
		return tea.Batch(p.view.ensureRendered(), func() tea.Msg { return statusMsg{text: text} }), true
	}
	return p.view.Update(msg)
}

func (p *readerPage) View() string {
	if p.err != nil {
		return p.c.styles.Error.Render(ansi.Truncate(" "+plainError(p.c.tr, p.err), p.width, "…"))
	}
	if p.view == nil {
		return p.c.styles.Dim.Render(p.c.tr.T(" Loading…"))
	}
	var lines []string
	if hh := p.headerHeight(); hh > 0 {
		for _, l := range p.header(hh) {
			lines = append(lines, " "+l)
		}
	}
	lines = append(lines, p.view.View())
	return strings.Join(lines, "\n")
}

// header names the document, its session, speaker, date and language.
func (p *readerPage) header(h int) []string {
	st := p.c.styles
	d := p.doc
	w := max(p.width-1, 1)
	title := st.Title.Render(ansi.Truncate(SanitizeLine(d.Title), w, "…"))
	if h == 1 {
		return []string{title}
	}
	who := SanitizeLine(d.Speaker)
	if d.Role != "" {
		who += ", " + SanitizeLine(d.Role)
	}
	if party := partyLabel(d.Party, d.PartyName, d.Side); party != "" {
		who += " · " + party
	}
	if d.Kind == data.KindProposal {
		who = p.c.tr.T("Proposal · %s", statusLabelIn(p.c.tr, d.Status, lastConfidence(d.Timeline)))
	}
	lang := p.c.tr.T("language: %s", SanitizeLine(orDash(d.Language)))
	lines := []string{
		title,
		st.Dim.Render(ansi.Truncate(SanitizeLine(d.Session.Title), w, "…")),
		st.Dim.Render(ansi.Truncate(sessionLineIn(p.c.tr, d.Session)+" · "+lang, w, "…")),
		st.Dim.Render(ansi.Truncate(who, w, "…")),
	}
	return lines[:h]
}

// partyLabel writes a speaker's party on the day and its side: "LAB
// (Labour), opposition"; "" when none is known.
func partyLabel(party, name, side string) string {
	l := SanitizeLine(party)
	if name != "" && name != party {
		if l == "" {
			l = SanitizeLine(name)
		} else {
			l += " (" + SanitizeLine(name) + ")"
		}
	}
	if side != "" {
		if l == "" {
			return SanitizeLine(side)
		}
		l += ", " + SanitizeLine(side)
	}
	return l
}

func (p *readerPage) SetSize(w, h int) tea.Cmd {
	p.width, p.height = w, h
	if p.view == nil {
		return nil
	}
	return p.view.SetSize(w, h-p.headerHeight())
}

// versionMsg names the language version to read next; no id: none.
type versionMsg struct {
	token int
	id    string
	para  int
	err   error
}

// nextVersion finds the next language version of the speech, after this
// one in the session's order, round to the first.
func (p *readerPage) nextVersion() tea.Cmd {
	c, id, token := p.c, p.id, p.token
	para := p.para
	if p.view != nil && len(p.view.paras) > 0 {
		para = p.view.blocks[p.view.paras[p.view.cursor]].para
	}
	return func() tea.Msg {
		vs, err := c.archive().Versions(c.ctx, id)
		if err != nil || len(vs) < 2 {
			return versionMsg{token: token, err: err}
		}
		for i, v := range vs {
			if v.ID == id {
				return versionMsg{token: token, id: vs[(i+1)%len(vs)].ID, para: para}
			}
		}
		return versionMsg{token: token}
	}
}

func (p *readerPage) Screen() string { return screenReader }

func (p *readerPage) Title() string { return SanitizeLine(p.id) }

func (p *readerPage) Status() string {
	if p.view == nil {
		return ""
	}
	return p.view.Position()
}

func (p *readerPage) Prompt() (string, bool) {
	if p.form != nil {
		return p.formPrompt(), true
	}
	if p.view == nil {
		return "", false
	}
	if p.view.anchor >= 0 {
		from, to := p.view.Selection()
		k := p.c.keys
		return p.c.styles.Input.Render(p.c.tr.T("range %s", sessions.Citation{From: from, To: to}.Paras())) +
			p.c.styles.Dim.Render(p.c.tr.T("  (%s %s extend · %s bookmark · %s copy · %s cancel)", firstKey(k.NextPara), firstKey(k.PrevPara),
				firstKey(k.Bookmark), firstKey(k.Copy), firstKey(k.Range))), true
	}
	return p.view.FindPrompt()
}

func (p *readerPage) Capturing() bool { return p.form != nil || p.view != nil && p.view.Capturing() }

func (p *readerPage) ShortHelp() []key.Binding {
	k := p.c.keys
	b := []key.Binding{k.NextPara, k.PrevPara, k.Find}
	if p.view != nil && p.view.query != "" {
		b = append(b, k.NextMatch, k.PrevMatch)
	}
	if p.view != nil && len(p.view.links) > 0 {
		b = append(b, k.NextLink, k.Open)
	}
	return append(b, k.Bookmark, k.Back, k.Quit)
}

func (p *readerPage) FullHelp() [][]key.Binding {
	k := p.c.keys
	return [][]key.Binding{
		{k.Up, k.VimUp, k.Down, k.VimDown, k.PageUp, k.PageDown, k.Space},
		{k.HalfUp, k.HalfDown, k.Home, k.VimTop, k.End, k.VimBottom},
		{k.NextPara, k.PrevPara, k.Find, k.NextMatch, k.PrevMatch},
		{k.NextLink, k.PrevLink, k.Open},
		{k.Bookmark, k.Range, k.Copy, k.Bookmarks, k.Language},
		{k.Follow, k.Following},
	}
}

func (p *readerPage) ThemeChanged() tea.Cmd {
	if p.view == nil {
		return nil
	}
	return p.view.ThemeChanged()
}

// showChanged marks the paragraphs that changed since the reader last
// opened the document, and says so; a document new whole is said to be
// new, without a mark on every paragraph. For a proposal they are
// timeline steps.
func (p *readerPage) showChanged(paras []int) tea.Cmd {
	text := ""
	switch {
	case p.doc.Kind == data.KindProposal:
		text = p.c.tr.T("%d new timeline steps since you last looked.", len(paras))
		// The first of them comes into view: the timeline is at the end.
		for i, b := range p.view.blocks {
			if b.kind == blockText && b.md == "## "+p.c.tr.S(timelineHeading) && i+paras[0] < len(p.view.blocks) && i+paras[0] < len(p.view.first) {
				p.view.reveal(p.view.first[i+paras[0]])
				text += " " + p.c.tr.T("It is in view.")
				status := func() tea.Msg { return statusMsg{text: text} }
				return tea.Batch(p.view.ensureRendered(), status)
			}
		}
	case len(paras) >= len(p.view.paras):
		text = p.c.tr.T("New since you last looked.")
	default:
		p.view.changed = map[int]bool{}
		for _, n := range paras {
			p.view.changed[n] = true
		}
		p.view.relayout(-1)
		where := make([]string, 0, len(paras))
		for _, n := range paras {
			where = append(where, strconv.Itoa(n))
		}
		text = p.c.tr.T("Changed since you last read it (+ in the margin): ¶ %s", strings.Join(where, ", "))
	}
	return func() tea.Msg { return statusMsg{text: text} }
}
