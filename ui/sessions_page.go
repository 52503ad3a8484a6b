package ui

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"kurultai/data"
)

// sessionsPageSize is how many sessions one query loads.
const sessionsPageSize = 200

// sessionsPage lists the sessions, newest first, filtered as you type.
type sessionsPage struct {
	c      *common
	list   listView
	rows   []data.SessionRow
	filter string
	// filtering is true once / has opened the filter, before anything is
	// typed into it.
	filtering bool
	oldest    bool
	news      map[string]int // speeches and proposals new to the reader, by session
	total     int
	req       int // the newest request; older answers are dropped
	width     int
	height    int
}

type sessionsLoadedMsg struct {
	req    int
	rows   []data.SessionRow
	news   map[string]int
	total  int
	append bool
	err    error
}

func newSessionsPage(c *common) *sessionsPage {
	p := &sessionsPage{c: c, total: -1}
	p.list = listView{c: c, empty: c.tr.T("No session matches.")}
	return p
}

func (p *sessionsPage) Init() tea.Cmd { return p.load(false) }

// load asks for the first page (or, with more, the next page) of sessions.
func (p *sessionsPage) load(more bool) tea.Cmd {
	// A first page starts a new generation (a new filter or order); a next
	// page belongs to the current one and is dropped if that changes.
	if !more {
		p.req++
	}
	p.list.loading = true
	req, c := p.req, p.c
	q := data.SessionQuery{Filter: p.filter, Oldest: p.oldest, Limit: sessionsPageSize}
	if more && len(p.rows) > 0 {
		last := p.rows[len(p.rows)-1]
		q.After = &last
	}
	return func() tea.Msg {
		rows, err := c.archive().Sessions(c.ctx, q)
		msg := sessionsLoadedMsg{req: req, rows: rows, append: more, total: -1, err: err}
		msg.news = c.sessionNews(c.ctx, sessionIDs(rows))
		if err == nil && !more {
			msg.total, msg.err = c.archive().CountSessions(c.ctx, q.Filter)
		}
		return msg
	}
}

func (p *sessionsPage) Update(msg tea.Msg) (tea.Cmd, bool) {
	switch msg := msg.(type) {
	case sessionsLoadedMsg:
		if msg.req != p.req {
			return nil, false
		}
		p.list.loading = false
		if msg.err != nil {
			p.list.more = false
			return errorCmd(msg.err), true
		}
		if !msg.append {
			p.news = nil
		}
		for id, n := range msg.news {
			if p.news == nil {
				p.news = map[string]int{}
			}
			p.news[id] = n
		}
		if msg.append {
			p.rows = append(p.rows, msg.rows...)
		} else {
			p.rows = msg.rows
			p.total = msg.total
			p.list.cursor = 0
		}
		p.refreshRows(len(msg.rows) == sessionsPageSize)
		return nil, true
	case newsLoadedMsg:
		if msg.token != p.req {
			return nil, false
		}
		p.news = msg.sessions
		p.refreshRows(p.list.more)
		return nil, true
	case tea.MouseWheelMsg:
		p.list.Update(msg, false)
		return p.more(), true
	case tea.PasteMsg:
		p.filter = appendInput(p.filter, msg.Content)
		return p.load(false), true
	case tea.KeyPressMsg:
		return p.key(msg)
	}
	return nil, false
}

func (p *sessionsPage) key(msg tea.KeyPressMsg) (tea.Cmd, bool) {
	k := p.c.keys
	switch {
	case key.Matches(msg, k.Open):
		if len(p.rows) == 0 {
			return nil, true
		}
		id := p.rows[p.list.cursor].ID
		return func() tea.Msg { return openSessionMsg{id: id} }, true
	case key.Matches(msg, k.NextNew) && !p.Capturing():
		if i, ok := nextNew(len(p.rows), p.list.cursor, func(i int) bool { return p.news[p.rows[i].ID] > 0 }); ok {
			p.list.cursor = i
			p.list.fix()
			return nil, true
		}
		text := p.c.tr.T("Nothing new in the sessions listed.")
		return func() tea.Msg { return statusMsg{text: text} }, true
	case key.Matches(msg, k.Order):
		p.oldest = !p.oldest
		return p.load(false), true
	case key.Matches(msg, k.Back) && p.Capturing():
		reload := p.filter != ""
		p.filter, p.filtering = "", false
		if !reload {
			return nil, true
		}
		return p.load(false), true
	case key.Matches(msg, k.FilterStart) && !p.Capturing():
		p.filtering = true
		return nil, true
	case msg.String() == "backspace" || msg.String() == "ctrl+h":
		if r := []rune(p.filter); len(r) > 0 {
			p.filter = string(r[:len(r)-1])
			return p.load(false), true
		}
		return nil, true
	case msg.String() == "ctrl+u":
		reload := p.filter != ""
		p.filter = ""
		if !reload {
			return nil, true
		}
		return p.load(false), true
	case p.list.Update(msg, !p.Capturing()):
		// j, k, g and G move until a filter has begun, as on every
		// other screen; other letters begin one.
		return p.more(), true
	case typed(msg) != "":
		text := typed(msg)
		// Quit, help and bookmarks keep their keys until a filter has
		// begun.
		if !p.Capturing() && key.Matches(msg, k.Quit, k.Help, k.Bookmarks) {
			return nil, false
		}
		p.filter = appendInput(p.filter, text)
		return p.load(false), true
	}
	return nil, false
}

// typed is the printable text of a key press, if it has any.
func typed(msg tea.KeyPressMsg) string {
	if msg.Text == "" || msg.Mod&(tea.ModCtrl|tea.ModAlt) != 0 {
		return ""
	}
	for _, r := range msg.Text {
		if !unicode.IsPrint(r) {
			return ""
		}
	}
	return msg.Text
}

func (p *sessionsPage) more() tea.Cmd {
	if p.list.WantsMore() {
		return p.load(true)
	}
	return nil
}

func (p *sessionsPage) refreshRows(more bool) {
	// Rows are formatted as they come on screen: a resize or going back
	// to this list costs a screenful, however many rows are loaded.
	rows := p.rows
	cursor := p.list.cursor
	p.list.SetRowFunc(len(rows), func(i int) string { return p.formatRow(rows[i]) })
	p.list.more = more
	p.list.cursor = cursor
	p.list.fix()
}

// Column widths of the sessions table; place and counts go first when the
// terminal is narrow.
func (p *sessionsPage) columns() (place int, counts bool) {
	switch {
	case p.width >= 100:
		return 26, true
	case p.width >= 70:
		return 18, true
	case p.width >= 50:
		return 0, true
	}
	return 0, false
}

// countWidths are the widths of the columns of counts: their headers'
// in the interface's language, or the widest counts they hold.
func (p *sessionsPage) countWidths() (speeches, proposals int) {
	return max(8, ansi.StringWidth(p.c.tr.T("Speeches"))), max(9, ansi.StringWidth(p.c.tr.T("Proposals")))
}

func (p *sessionsPage) formatRow(r data.SessionRow) string {
	placeW, counts := p.columns()
	var b strings.Builder
	fmt.Fprintf(&b, " %4s  %-10s  ", number(r.Number), SanitizeLine(r.Date))
	if placeW > 0 {
		b.WriteString(pad(SanitizeLine(r.Place), placeW) + "  ")
	}
	tail := ""
	if counts {
		sw, pw := p.countWidths()
		tail = "  " + PadLeft(strconv.Itoa(r.Speeches), sw) + "  " + PadLeft(strconv.Itoa(r.Proposals), pw)
	}
	titleW := max(p.width-ansi.StringWidth(b.String())-ansi.StringWidth(tail)-1, 8)
	title := SanitizeLine(r.Title)
	if n := p.news[r.ID]; n > 0 {
		// What is new leads, so that a narrow screen still shows it.
		title = p.c.tr.T("%d new · %s", n, title)
	}
	b.WriteString(pad(title, titleW))
	b.WriteString(tail)
	return b.String()
}

func number(n int) string {
	if n <= 0 {
		return ""
	}
	return fmt.Sprint(n)
}

// pad cuts or pads s to exactly w cells.
func pad(s string, w int) string {
	s = ansi.Truncate(s, w, "…")
	return s + strings.Repeat(" ", max(0, w-ansi.StringWidth(s)))
}

func (p *sessionsPage) headerRow() string {
	placeW, counts := p.columns()
	var b strings.Builder
	tr := p.c.tr
	b.WriteString(" " + PadLeft(tr.T("No."), 4) + "  " + pad(tr.T("Date"), 10) + "  ")
	if placeW > 0 {
		b.WriteString(pad(tr.T("Place"), placeW) + "  ")
	}
	tail := ""
	if counts {
		sw, pw := p.countWidths()
		tail = "  " + PadLeft(tr.T("Speeches"), sw) + "  " + PadLeft(tr.T("Proposals"), pw)
	}
	titleW := max(p.width-ansi.StringWidth(b.String())-ansi.StringWidth(tail)-1, 8)
	b.WriteString(pad(tr.T("Title"), titleW))
	b.WriteString(tail)
	return b.String()
}

func (p *sessionsPage) View() string {
	st := p.c.styles
	lines := []string{}
	if p.height >= 3 {
		lines = append(lines, st.Header.Render(ansi.Truncate(p.headerRow(), p.width, "")))
	}
	lines = append(lines, p.list.View())
	return strings.Join(lines, "\n")
}

func (p *sessionsPage) SetSize(w, h int) tea.Cmd {
	p.width, p.height = w, h
	listH := h
	if h >= 3 {
		listH--
	}
	p.list.SetSize(w, listH)
	p.refreshRows(p.list.more)
	return nil
}

func (p *sessionsPage) Screen() string { return screenSessions }

func (p *sessionsPage) Title() string { return p.c.tr.T("Sessions") }

func (p *sessionsPage) Status() string {
	tr := p.c.tr
	order := tr.T("newest first")
	if p.oldest {
		order = tr.T("oldest first")
	}
	count := "…"
	if p.total >= 0 {
		count = tr.T("%d sessions", p.total)
	}
	return count + " · " + order
}

// Prompt shows the filter while one is typed, and what the keys do then.
func (p *sessionsPage) Prompt() (string, bool) {
	if !p.Capturing() {
		return "", false
	}
	st := p.c.styles
	right := st.Status.Render(p.Status())
	left := st.Input.Render(p.c.tr.T("filter: ")) + p.filter + "█"
	if p.filter == "" {
		right = st.Status.Render(p.c.tr.T("enter opens · esc closes · ctrl+g searches everything"))
	}
	gap := max(1, p.width-ansi.StringWidth(left)-ansi.StringWidth(right))
	return left + strings.Repeat(" ", gap) + right, true
}

// Capturing is true once a filter has begun (with / or a letter): then
// every letter, q and ? included, goes into it.
func (p *sessionsPage) Capturing() bool { return p.filter != "" || p.filtering }

// Filter is the filter typed so far.
func (p *sessionsPage) Filter() string { return p.filter }

func (p *sessionsPage) ShortHelp() []key.Binding {
	k := p.c.keys
	return []key.Binding{k.FilterStart, k.SearchAll, k.Bookmarks, k.Following, k.Open, k.Up, k.Down, k.Order, k.Quit}
}

func (p *sessionsPage) FullHelp() [][]key.Binding {
	k := p.c.keys
	return [][]key.Binding{{k.Up, k.VimUp, k.Down, k.VimDown, k.PageUp, k.PageDown},
		{k.Home, k.VimTop, k.End, k.VimBottom}, {k.Open, k.FilterStart, k.Filter, k.Order}, {k.NextNew, k.Follow, k.Following, k.Speakers}}
}

func (p *sessionsPage) ThemeChanged() tea.Cmd { return nil }

func sessionIDs(rows []data.SessionRow) []string {
	ids := make([]string, len(rows))
	for i, r := range rows {
		ids[i] = r.ID
	}
	return ids
}

// nextNew finds the next of n rows, after cursor and round to the start,
// that is new.
func nextNew(n, cursor int, isNew func(int) bool) (int, bool) {
	for k := 1; k <= n; k++ {
		if i := (cursor + k) % n; isNew(i) {
			return i, true
		}
	}
	return 0, false
}

// Refresh counts again what is new in the sessions listed: coming back to
// the list, what was opened meanwhile is no longer new.
func (p *sessionsPage) Refresh() tea.Cmd {
	c, ids, req := p.c, sessionIDs(p.rows), p.req
	return func() tea.Msg {
		return newsLoadedMsg{token: req, sessions: c.sessionNews(c.ctx, ids)}
	}
}

// Reload reads the list again from the archive: a server moved to a
// replaced one.
func (p *sessionsPage) Reload() tea.Cmd { return p.load(false) }
