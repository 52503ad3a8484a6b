package ui

import (
	"fmt"
	"maps"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"kurultai/data"
)

// Tabs of the session screen.
const (
	tabSummary = iota
	tabSpeeches
	tabProposals
)

const itemsPageSize = 200

// sessionPage shows one session: its summary, its speeches and its
// proposals, as tabs.
type sessionPage struct {
	c         *common
	id        string
	token     int
	detail    *data.SessionDetail
	summary   *docView
	tab       int
	speeches  listView
	proposals listView
	items     [2][]data.ItemRow
	conf      map[string]string // proposal id → confidence of its current status
	news      map[string]bool   // speeches and proposals new to the reader
	err       error
	width     int
	height    int
}

type sessionLoadedMsg struct {
	token   int
	detail  *data.SessionDetail
	summary *docView
	err     error
}

type itemsLoadedMsg struct {
	token  int
	tab    int
	rows   []data.ItemRow
	conf   map[string]string // proposals: see currentConfidences
	append bool
	err    error
}

func newSessionPage(c *common, id string) *sessionPage {
	p := &sessionPage{c: c, id: id, token: c.token()}
	p.speeches = listView{c: c, empty: c.tr.T("This session has no speeches.")}
	p.proposals = listView{c: c, empty: c.tr.T("No proposals are recorded for this session.")}
	return p
}

func (p *sessionPage) bodyHeight() int { return max(p.height-p.headerHeight(), 0) }

func (p *sessionPage) headerHeight() int {
	switch {
	case p.height >= 10:
		return 4
	case p.height >= 4:
		return 1
	}
	return 0
}

func (p *sessionPage) Init() tea.Cmd {
	c, id, token, theme := p.c, p.id, p.token, p.c.styles.Theme
	w, h := p.width, p.bodyHeight()
	load := func() tea.Msg {
		d, err := c.archive().Session(c.ctx, id)
		if err != nil {
			return sessionLoadedMsg{token: token, err: err}
		}
		v := newDocView(c, theme, "session:"+id, summaryBlocks(c.tr, d), false)
		v.prepare(w, h, 0)
		return sessionLoadedMsg{token: token, detail: d, summary: v}
	}
	return tea.Batch(load, p.loadItems(tabSpeeches, false), p.loadItems(tabProposals, false), p.Refresh())
}

// Refresh reads again which speeches and proposals are new to the reader.
func (p *sessionPage) Refresh() tea.Cmd {
	c, id, token := p.c, p.id, p.token
	return func() tea.Msg { return newsLoadedMsg{token: token, docs: c.docNews(c.ctx, id)} }
}

func (p *sessionPage) list(tab int) *listView {
	if tab == tabProposals {
		return &p.proposals
	}
	return &p.speeches
}

func (p *sessionPage) loadItems(tab int, more bool) tea.Cmd {
	c, id, token := p.c, p.id, p.token
	l := p.list(tab)
	l.loading = true
	page := data.Page{Limit: itemsPageSize}
	if rows := p.items[tab-1]; more && len(rows) > 0 {
		page.AfterOrder, page.AfterID = rows[len(rows)-1].Order, rows[len(rows)-1].ID
	}
	return func() tea.Msg {
		var rows []data.ItemRow
		var err error
		if tab == tabSpeeches {
			rows, err = c.archive().Speeches(c.ctx, id, page)
		} else {
			rows, err = c.archive().Proposals(c.ctx, id, page)
		}
		var conf map[string]string
		if err == nil && tab == tabProposals {
			conf, err = currentConfidences(c.ctx, c.archive(), rows)
		}
		return itemsLoadedMsg{token: token, tab: tab, rows: rows, conf: conf, append: more, err: err}
	}
}

func (p *sessionPage) Update(msg tea.Msg) (tea.Cmd, bool) {
	switch msg := msg.(type) {
	case sessionLoadedMsg:
		if msg.token != p.token {
			return nil, false
		}
		if msg.err != nil {
			p.err = msg.err
			return errorCmd(msg.err), true
		}
		p.detail, p.summary = msg.detail, msg.summary
		cmd := p.summary.SetSize(p.width, p.bodyHeight())
		if p.summary.theme.Name != p.c.styles.Theme.Name {
			cmd = p.summary.ThemeChanged()
		}
		return cmd, true
	case itemsLoadedMsg:
		if msg.token != p.token {
			return nil, false
		}
		l := p.list(msg.tab)
		l.loading = false
		if msg.err != nil {
			l.more = false // do not retry on every key
			return errorCmd(msg.err), true
		}
		if msg.append {
			p.items[msg.tab-1] = append(p.items[msg.tab-1], msg.rows...)
		} else {
			p.items[msg.tab-1] = msg.rows
		}
		if msg.conf != nil {
			if p.conf == nil {
				p.conf = map[string]string{}
			}
			maps.Copy(p.conf, msg.conf)
		}
		p.refreshRows(msg.tab, len(msg.rows) == itemsPageSize)
		return nil, true
	case newsLoadedMsg:
		if msg.token != p.token {
			return nil, false
		}
		p.news = msg.docs
		p.refreshRows(tabSpeeches, p.speeches.more)
		p.refreshRows(tabProposals, p.proposals.more)
		return nil, true
	case tea.KeyPressMsg:
		return p.key(msg)
	case tea.MouseWheelMsg:
		if p.tab == tabSummary {
			if p.summary != nil {
				return p.summary.Update(msg)
			}
			return nil, false
		}
		p.list(p.tab).Update(msg, true)
		return p.more(), true
	}
	if p.summary != nil {
		return p.summary.Update(msg)
	}
	return nil, false
}

func (p *sessionPage) key(msg tea.KeyPressMsg) (tea.Cmd, bool) {
	k := p.c.keys
	if p.tab == tabSummary && p.summary != nil && p.summary.Capturing() {
		return p.summary.Update(msg)
	}
	switch {
	case key.Matches(msg, k.NextTab):
		p.tab = (p.tab + 1) % 3
		return nil, true
	case key.Matches(msg, k.PrevTab):
		p.tab = (p.tab + 2) % 3
		return nil, true
	}
	if p.tab == tabSummary {
		if p.summary == nil {
			return nil, false
		}
		return p.summary.Update(msg)
	}
	l := p.list(p.tab)
	if key.Matches(msg, k.NextNew) {
		rows := p.items[p.tab-1]
		if i, ok := nextNew(len(rows), l.cursor, func(i int) bool { return p.news[rows[i].ID] }); ok {
			l.cursor = i
			l.fix()
			return nil, true
		}
		text := p.c.tr.T("Nothing new here.")
		return func() tea.Msg { return statusMsg{text: text} }, true
	}
	if key.Matches(msg, k.Open) {
		rows := p.items[p.tab-1]
		if len(rows) == 0 {
			return nil, true
		}
		return openDoc(rows[l.cursor].ID, 0), true
	}
	if l.Update(msg, true) {
		return p.more(), true
	}
	return nil, false
}

func (p *sessionPage) more() tea.Cmd {
	if p.tab != tabSummary && p.list(p.tab).WantsMore() {
		return p.loadItems(p.tab, true)
	}
	return nil
}

func (p *sessionPage) refreshRows(tab int, more bool) {
	rows := p.items[tab-1]
	out := make([]string, len(rows))
	for i, r := range rows {
		if tab == tabSpeeches {
			who := SanitizeLine(r.Speaker)
			if who == "" {
				who = p.c.tr.T("unknown speaker")
			}
			if r.Role != "" {
				who += " (" + SanitizeLine(r.Role) + ")"
			}
			label := who
			if title := SanitizeLine(r.Title); title != "" && title != SanitizeLine(r.Speaker) && title != "Unknown speaker" {
				label = title + " — " + who
			}
			out[i] = fmt.Sprintf(" %3d  %s%s · %s · %s", r.Order, p.newMark(p.news[r.ID]), label, p.c.tr.T("%d ¶", r.Paragraphs), p.c.tr.T("%d words", r.Words))
		} else {
			out[i] = fmt.Sprintf(" %3d  %s%s  [%s]", r.Order, p.newMark(p.news[r.ID]), SanitizeLine(r.Title), statusLabelIn(p.c.tr, r.Status, p.conf[r.ID]))
			if r.Category != "" {
				out[i] += " · " + SanitizeLine(r.Category)
			}
		}
	}
	l := p.list(tab)
	cursor := l.cursor
	l.SetRows(out, more)
	l.cursor = cursor
	l.fix()
}

func (p *sessionPage) View() string {
	st := p.c.styles
	if p.err != nil {
		return st.Error.Render(ansi.Truncate(" "+plainError(p.c.tr, p.err), p.width, "…"))
	}
	if p.detail == nil {
		return st.Dim.Render(p.c.tr.T(" Loading…"))
	}
	var lines []string
	d := p.detail
	switch p.headerHeight() {
	case 4:
		lines = append(lines,
			st.Title.Render(ansi.Truncate(" "+SanitizeLine(d.Title), p.width, "…")),
			st.Dim.Render(ansi.Truncate(" "+SanitizeLine(d.ID)+" · "+sessionLineIn(p.c.tr, d.SessionRow), p.width, "…")),
			"", p.tabs())
	case 1:
		lines = append(lines, p.tabs())
	}
	switch p.tab {
	case tabSummary:
		lines = append(lines, p.summary.View())
	default:
		lines = append(lines, p.list(p.tab).View())
	}
	return strings.Join(lines, "\n")
}

func (p *sessionPage) tabs() string {
	st := p.c.styles
	tr := p.c.tr
	names := []string{tr.T("Summary"), tr.T("Speeches (%d)", p.detail.Speeches), tr.T("Proposals (%d)", p.detail.Proposals)}
	var b strings.Builder
	b.WriteString(" ")
	for i, n := range names {
		if i == p.tab {
			b.WriteString(st.TabActive.Render(n))
		} else {
			b.WriteString(st.Tab.Render(n))
		}
		b.WriteString(" ")
	}
	return ansi.Truncate(b.String(), p.width, "")
}

func (p *sessionPage) SetSize(w, h int) tea.Cmd {
	p.width, p.height = w, h
	p.speeches.SetSize(w, p.bodyHeight())
	p.proposals.SetSize(w, p.bodyHeight())
	if p.summary == nil {
		return nil
	}
	return p.summary.SetSize(w, p.bodyHeight())
}

func (p *sessionPage) Screen() string { return screenSession }

func (p *sessionPage) Title() string { return SanitizeLine(p.id) }

func (p *sessionPage) Status() string {
	if p.tab == tabSummary {
		if p.summary == nil {
			return ""
		}
		return p.summary.Position()
	}
	l := p.list(p.tab)
	if len(l.rows) == 0 {
		return ""
	}
	return fmt.Sprintf("%d/%d", l.cursor+1, p.total(p.tab))
}

func (p *sessionPage) total(tab int) int {
	if p.detail == nil {
		return 0
	}
	if tab == tabSpeeches {
		return p.detail.Speeches
	}
	return p.detail.Proposals
}

func (p *sessionPage) Prompt() (string, bool) {
	if p.tab == tabSummary && p.summary != nil {
		return p.summary.FindPrompt()
	}
	return "", false
}

func (p *sessionPage) Capturing() bool {
	return p.tab == tabSummary && p.summary != nil && p.summary.Capturing()
}

func (p *sessionPage) ShortHelp() []key.Binding {
	k := p.c.keys
	if p.tab == tabSummary {
		return []key.Binding{k.NextTab, k.Down, k.Search, k.Back, k.Quit}
	}
	return []key.Binding{k.NextTab, k.Up, k.Down, k.Open, k.Back, k.Quit}
}

func (p *sessionPage) FullHelp() [][]key.Binding {
	k := p.c.keys
	return [][]key.Binding{
		{k.NextTab, k.PrevTab},
		{k.Up, k.VimUp, k.Down, k.VimDown, k.PageUp, k.PageDown, k.Home, k.End},
		{k.Open, k.Search, k.NextNew, k.Follow, k.Following},
	}
}

func (p *sessionPage) ThemeChanged() tea.Cmd {
	if p.summary == nil {
		return nil
	}
	return p.summary.ThemeChanged()
}

// newMark marks a row new to the reader, as newsboat marks unread items.
func (p *sessionPage) newMark(isNew bool) string {
	if isNew {
		return p.c.tr.T("new · ")
	}
	return ""
}
