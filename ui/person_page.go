package ui

import (
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"kurultai/data"
)

// personPage is one speaker: who they are, their names over time, their
// affiliations as a dated timeline and their links, where a list of
// persons gave them, and then their speeches, newest first. enter on a
// speech opens it; on a party of the timeline, it searches the speeches
// they made for that party (speaker: and party:).
type personPage struct {
	c       *common
	token   int
	id      string
	det     *data.SpeakerDetail
	list    listView
	actions []func() tea.Cmd // what enter does on each row; nil for none
	hints   []string         // what the status line says of it
	width   int
	height  int
}

type personLoadedMsg struct {
	token int
	det   *data.SpeakerDetail
	err   error
}

func newPersonPage(c *common, id string) *personPage {
	p := &personPage{c: c, token: c.token(), id: id}
	p.list = listView{c: c, empty: c.tr.T("Nothing is known of this speaker.")}
	return p
}

func (p *personPage) Init() tea.Cmd {
	c, token, id := p.c, p.token, p.id
	p.list.loading = true
	return func() tea.Msg {
		det, err := c.archive().Speaker(c.ctx, id)
		return personLoadedMsg{token: token, det: det, err: err}
	}
}

// Refresh reads the speaker again: an import may have changed them.
func (p *personPage) Refresh() tea.Cmd { return p.Init() }

func (p *personPage) Update(msg tea.Msg) (tea.Cmd, bool) {
	switch msg := msg.(type) {
	case personLoadedMsg:
		if msg.token != p.token {
			return nil, false
		}
		p.list.loading = false
		if msg.err != nil {
			return errorCmd(msg.err), true
		}
		p.det = msg.det
		p.build()
		return nil, true
	case tea.KeyPressMsg:
		k := p.c.keys
		if key.Matches(msg, k.Open) {
			if i := p.list.cursor; i < len(p.actions) && p.actions[i] != nil {
				return p.actions[i](), true
			}
			return nil, true
		}
		if p.list.Update(msg, true) {
			return nil, true
		}
	case tea.MouseWheelMsg:
		p.list.Update(msg, true)
		return nil, true
	}
	return nil, false
}

// build lays out the rows: the person, then their speeches.
func (p *personPage) build() {
	det := p.det
	rows := PersonLines(p.c.tr, det)
	p.actions = make([]func() tea.Cmd, len(rows))
	p.hints = make([]string, len(rows))
	// A party of the timeline searches the speeches made for it.
	if det.Person != nil {
		at := -1
		for i, r := range rows {
			if r == "Affiliations" {
				at = i + 1
				break
			}
		}
		for j, a := range det.Person.Affiliations {
			if at < 0 || at+j >= len(rows) || a.OrgKind != "politicalParty" && a.OrgKind != "parliamentaryGroup" {
				continue
			}
			party := a.OrgAbbr
			if party == "" {
				party = a.OrgName
			}
			p.actions[at+j] = p.search(party)
			p.hints[at+j] = p.c.tr.T("%s: their speeches for %s", firstKey(p.c.keys.Open), SanitizeLine(party))
		}
	}
	rows = append(rows, "", p.c.tr.T("Speeches, newest first (%d)", len(det.List)))
	p.actions, p.hints = append(p.actions, nil, nil), append(p.hints, "", "")
	for _, sp := range det.List {
		line := "  " + sp.Date + "  "
		var parts []string
		title := sp.Title
		if title == det.Name || title == "" {
			title = sp.Session // a transcript's speech is titled by its speaker
		}
		for _, v := range []string{title, sp.Party, sp.Side, sp.Role} {
			if v != "" {
				parts = append(parts, v)
			}
		}
		parts = append(parts, p.c.tr.T("%d words", sp.Words))
		rows = append(rows, SanitizeLine(line+strings.Join(parts, " · ")))
		id := sp.ID
		p.actions = append(p.actions, func() tea.Cmd { return func() tea.Msg { return openDocMsg{id: id} } })
		p.hints = append(p.hints, "")
	}
	p.list.SetRows(rows, false)
	// The cursor starts on the first row enter does something with.
	for i, a := range p.actions {
		if a != nil {
			p.list.cursor = i
			break
		}
	}
	p.list.SetSize(p.width, p.height)
}

// search opens a search of the speaker's speeches for a party, newest
// first.
func (p *personPage) search(party string) func() tea.Cmd {
	c, id := p.c, p.id
	return func() tea.Cmd {
		return searchFor(c, "speaker:"+quoteValue(id)+" party:"+quoteValue(party))
	}
}

// quoteValue writes a filter's value, sanitised, as the search language
// reads it (data.QuoteValue).
func quoteValue(v string) string { return data.QuoteValue(SanitizeLine(v)) }

func (p *personPage) View() string { return p.list.View() }

func (p *personPage) SetSize(w, h int) tea.Cmd {
	p.width, p.height = w, h
	p.list.SetSize(w, h)
	return nil
}

func (p *personPage) Screen() string { return screenSpeaker }

func (p *personPage) Title() string {
	if p.det != nil {
		return SanitizeLine(p.det.Name)
	}
	return p.c.tr.T("Speaker")
}

func (p *personPage) Status() string {
	if p.det == nil {
		return p.c.tr.T("reading the speaker…")
	}
	if i := p.list.cursor; i < len(p.hints) && p.hints[i] != "" {
		return p.hints[i]
	}
	return p.c.tr.T("%d speeches", len(p.det.List))
}

func (p *personPage) Prompt() (string, bool) { return "", false }
func (p *personPage) Capturing() bool        { return false }
func (p *personPage) ThemeChanged() tea.Cmd  { return nil }

func (p *personPage) ShortHelp() []key.Binding {
	k := p.c.keys
	return []key.Binding{k.Open, k.Up, k.Down, k.Back}
}

func (p *personPage) FullHelp() [][]key.Binding {
	k := p.c.keys
	return [][]key.Binding{{k.Up, k.VimUp, k.Down, k.VimDown, k.Home, k.End}, {k.Open, k.Back}}
}
