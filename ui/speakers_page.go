package ui

import (
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"kurultai/data"
	"kurultai/ui/i18n"
)

// speakersPage lists everyone who spoke: their party now and before, how
// many speeches and words, and when. / filters by name, id or party; o
// changes the order; enter opens the speaker (personPage).
type speakersPage struct {
	c         *common
	token     int
	all       []data.SpeakerRow
	shown     []data.SpeakerRow
	list      listView
	filter    string
	filtering bool
	order     int // into speakerOrders
	loaded    bool
	width     int
	height    int
}

// speakerOrders are the orders o steps through.
var speakerOrders = []string{"name", "speeches", "words", "last", "first"}

type speakersLoadedMsg struct {
	token int
	rows  []data.SpeakerRow
	err   error
}

func newSpeakersPage(c *common) *speakersPage {
	p := &speakersPage{c: c, token: c.token()}
	p.list = listView{c: c, empty: c.tr.T("Nobody has spoken in this archive yet.")}
	return p
}

func (p *speakersPage) Init() tea.Cmd {
	c, token := p.c, p.token
	p.list.loading = true
	return func() tea.Msg {
		rows, err := c.archive().Speakers(c.ctx)
		return speakersLoadedMsg{token: token, rows: rows, err: err}
	}
}

// Refresh reads the list again: an import may have changed it.
func (p *speakersPage) Refresh() tea.Cmd { return p.Init() }

func (p *speakersPage) Update(msg tea.Msg) (tea.Cmd, bool) {
	switch msg := msg.(type) {
	case speakersLoadedMsg:
		if msg.token != p.token {
			return nil, false
		}
		p.list.loading, p.loaded = false, true
		if msg.err != nil {
			return errorCmd(msg.err), true
		}
		p.all = msg.rows
		p.apply()
		return nil, true
	case tea.KeyPressMsg:
		if p.filtering {
			return p.filterKey(msg), true
		}
		return p.key(msg)
	case tea.MouseWheelMsg:
		p.list.Update(msg, true)
		return nil, true
	}
	return nil, false
}

// apply orders the list and keeps the speakers the filter names.
func (p *speakersPage) apply() {
	data.SortSpeakers(p.all, speakerOrders[p.order])
	f := data.Fold(strings.TrimSpace(p.filter))
	p.shown = p.shown[:0]
	for _, r := range p.all {
		if f == "" || strings.Contains(data.Fold(r.Name+" "+r.ID+" "+r.Party+" "+strings.Join(r.Before, " ")), f) {
			p.shown = append(p.shown, r)
		}
	}
	shown := p.shown
	tr := p.c.tr
	p.list.SetRowFunc(len(shown), func(i int) string { return speakerRow(tr, shown[i]) })
	p.list.SetSize(p.width, p.height)
}

// speakerRow is one speaker as the list shows them.
func speakerRow(tr *i18n.Printer, r data.SpeakerRow) string {
	party := SanitizeLine(r.Party)
	if len(r.Before) > 0 {
		party += " " + tr.T("(before: %s)", SanitizeLine(strings.Join(r.Before, ", ")))
	}
	return " " + PadRight(truncate(SanitizeLine(r.Name), 28), 28) + " " + PadLeft(tr.T("%d speeches", r.Speeches), 15) + " " +
		PadLeft(tr.T("%d words", r.Words), 15) + "  " + SanitizeLine(r.First) + "–" + SanitizeLine(r.Last) + "  " + party
}

// speakerOrder names an order of the speakers list.
func speakerOrder(tr *i18n.Printer, order string) string {
	switch order {
	case "name":
		return tr.T("by name")
	case "speeches":
		return tr.T("by speeches")
	case "words":
		return tr.T("by words")
	case "last":
		return tr.T("by the last speech")
	case "first":
		return tr.T("by the first speech")
	}
	return order
}

func (p *speakersPage) filterKey(msg tea.KeyPressMsg) tea.Cmd {
	switch msg.String() {
	case "enter":
		p.filtering = false
	case "esc", "ctrl+c":
		p.filtering, p.filter = false, ""
	case "backspace", "ctrl+h":
		if r := []rune(p.filter); len(r) > 0 {
			p.filter = string(r[:len(r)-1])
		}
	case "ctrl+u":
		p.filter = ""
	default:
		if msg.Text != "" && !strings.ContainsAny(msg.Text, "\x1b") {
			p.filter = appendInput(p.filter, msg.Text)
		}
	}
	p.list.cursor = 0
	p.apply()
	return nil
}

func (p *speakersPage) key(msg tea.KeyPressMsg) (tea.Cmd, bool) {
	k := p.c.keys
	switch {
	case key.Matches(msg, k.FilterStart):
		p.filtering = true
		return nil, true
	case key.Matches(msg, k.SpeakerSort):
		p.order = (p.order + 1) % len(speakerOrders)
		p.list.cursor = 0
		p.apply()
		return nil, true
	case key.Matches(msg, k.Back) && p.filter != "":
		p.filter = ""
		p.apply()
		return nil, true
	case key.Matches(msg, k.Open):
		if len(p.shown) == 0 {
			return nil, true
		}
		id := p.shown[p.list.cursor].ID
		pp := newPersonPage(p.c, id)
		return func() tea.Msg { return openPageMsg{page: pp} }, true
	case key.Matches(msg, k.Keywords, k.KeywordsLetter):
		if len(p.shown) == 0 {
			return nil, true
		}
		return openResearch(p.c, "keywords", "speaker:"+data.QuoteValue(p.shown[p.list.cursor].ID)), true
	case p.list.Update(msg, true):
		return nil, true
	}
	return nil, false
}

func (p *speakersPage) View() string { return p.list.View() }

func (p *speakersPage) SetSize(w, h int) tea.Cmd {
	p.width, p.height = w, h
	p.list.SetSize(w, h)
	return nil
}

func (p *speakersPage) Screen() string { return screenSpeakers }

func (p *speakersPage) Title() string { return p.c.tr.T("Speakers") }

func (p *speakersPage) Status() string {
	tr := p.c.tr
	if !p.loaded {
		return tr.T("reading the speakers…")
	}
	order := speakerOrder(tr, speakerOrders[p.order])
	if p.filter != "" {
		return tr.T("%d speakers of %d", len(p.shown), len(p.all)) + " · " + order
	}
	return tr.T("%d speakers", len(p.shown)) + " · " + order
}

func (p *speakersPage) Prompt() (string, bool) {
	if !p.filtering {
		return "", false
	}
	return p.c.styles.Input.Render(p.c.tr.T("filter: ")) + SanitizeLine(p.filter) + "█", true
}

func (p *speakersPage) Capturing() bool       { return p.filtering }
func (p *speakersPage) ThemeChanged() tea.Cmd { return nil }

func (p *speakersPage) ShortHelp() []key.Binding {
	k := p.c.keys
	return []key.Binding{k.Open, k.FilterStart, k.SpeakerSort, k.Keywords, k.Back}
}

func (p *speakersPage) FullHelp() [][]key.Binding {
	k := p.c.keys
	return [][]key.Binding{{k.Up, k.VimUp, k.Down, k.VimDown, k.Home, k.End}, {k.Open, k.FilterStart, k.SpeakerSort, k.Keywords}}
}
