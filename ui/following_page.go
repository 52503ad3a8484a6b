package ui

import (
	"errors"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"kurultai/data"
	"kurultai/sessions/msg"
	"kurultai/ui/i18n"
)

// followable is a screen that can be followed: f (f2 on the search
// screen) follows what it shows.
type followable interface {
	Followable() (data.Follow, bool)
}

// follow keeps a follow of what the screen shows, and says so.
func (c *common) follow(f data.Follow) tea.Cmd {
	tr := c.tr
	if c.marks == nil {
		return func() tea.Msg {
			return statusMsg{text: tr.T("Following is not available: there is no file to keep it in."), err: true}
		}
	}
	ctx, db, marks, owner := c.ctx, c.archive(), c.marks, c.owner
	following := firstKey(c.keys.Following)
	return func() tea.Msg {
		news, err := c.ensureNews()
		if err != nil {
			return statusMsg{cause: err, err: true}
		}
		archive := news.Archive
		if err := db.CheckFollow(ctx, &f); err != nil {
			return statusMsg{text: tr.T("cannot follow: %s", plainError(tr, err)), err: true}
		}
		last, err := db.LastBatch(ctx)
		if err != nil {
			return statusMsg{cause: err, err: true}
		}
		_, err = marks.AddFollow(ctx, owner, archive, &f, last)
		var already *data.AlreadyFollowed
		if errors.As(err, &already) {
			return statusMsg{text: tr.T("Followed already, as follow %d (%s lists follows)", msg.Plain(already.ID), following)}
		}
		if err != nil {
			return statusMsg{cause: err, err: true}
		}
		// Short: the screen's own status shares the line.
		return statusMsg{text: tr.T("Following “%s” (%s lists follows)", truncate(SanitizeLine(f.Name), 30), following)}
	}
}

// followingPage lists the reader's follows with what is new in each: a
// proposal whose status moved heads the screen; enter opens what is new,
// x marks a follow seen and X all of them.
type followingPage struct {
	c       *common
	token   int
	follows []data.Follow
	list    listView
	loaded  bool
	err     error
	width   int
	height  int
}

type followsLoadedMsg struct {
	token   int
	follows []data.Follow
	err     error
}

func newFollowingPage(c *common) *followingPage {
	p := &followingPage{c: c, token: c.token()}
	p.list = listView{c: c, empty: c.tr.T("Nothing is followed yet: %s follows a search (%s there), a speaker, a body or a proposal.",
		firstKey(c.keys.Follow), firstKey(c.keys.FollowSearch))}
	return p
}

func (p *followingPage) Init() tea.Cmd { return p.load() }

func (p *followingPage) load() tea.Cmd {
	c, token := p.c, p.token
	if c.marks == nil {
		return func() tea.Msg {
			return followsLoadedMsg{token: token, err: errors.New(c.tr.T("following is not available: there is no file to keep it in"))}
		}
	}
	p.list.loading = true
	return func() tea.Msg {
		news, err := c.ensureNews()
		if err != nil {
			return followsLoadedMsg{token: token, err: err}
		}
		fs, err := c.marks.Follows(c.ctx, c.owner, news.Archive)
		if err != nil {
			return followsLoadedMsg{token: token, err: err}
		}
		nc := c.archive().NewCounter()
		for i := range fs {
			if err := nc.Count(c.ctx, &fs[i]); err != nil {
				return followsLoadedMsg{token: token, err: err}
			}
		}
		return followsLoadedMsg{token: token, follows: fs}
	}
}

// Refresh counts again: coming back, what was marked seen is not new.
func (p *followingPage) Refresh() tea.Cmd { return p.load() }

func (p *followingPage) Update(msg tea.Msg) (tea.Cmd, bool) {
	switch msg := msg.(type) {
	case followsLoadedMsg:
		if msg.token != p.token {
			return nil, false
		}
		p.list.loading = false
		p.loaded = true
		if msg.err != nil {
			p.err = msg.err
			return errorCmd(msg.err), true
		}
		p.follows = msg.follows
		rows := make([]string, len(p.follows))
		for i, f := range p.follows {
			rows[i] = p.followRow(f)
		}
		cursor := p.list.cursor
		p.list.SetRows(rows, false)
		p.list.cursor = cursor
		p.list.fix()
		p.list.SetSize(p.width, p.listHeight())
		return nil, true
	case tea.KeyPressMsg:
		return p.key(msg)
	case tea.MouseWheelMsg:
		p.list.Update(msg, true)
		return nil, true
	}
	return nil, false
}

func (p *followingPage) key(msg tea.KeyPressMsg) (tea.Cmd, bool) {
	k := p.c.keys
	switch {
	case key.Matches(msg, k.Open):
		if len(p.follows) == 0 {
			return nil, true
		}
		f := p.follows[p.list.cursor]
		switch {
		case !f.Problem.IsZero():
			return func() tea.Msg { return statusMsg{text: SanitizeLine(p.c.tr.M(f.Problem)), err: true} }, true
		case f.Kind == data.FollowProposal:
			return openDoc(f.Target, 0), true
		case f.New == 0:
			text := p.c.tr.T("Nothing new here since you marked it seen.")
			return func() tea.Msg { return statusMsg{text: text} }, true
		}
		return func() tea.Msg { return openPageMsg{page: newNewHitsPage(p.c, f)} }, true
	case key.Matches(msg, p.c.keys.SeenOne, p.c.keys.SeenAll):
		if len(p.follows) == 0 {
			return nil, true
		}
		var id int64
		if key.Matches(msg, p.c.keys.SeenOne) {
			id = p.follows[p.list.cursor].ID
		}
		c := p.c
		load := p.load()
		return func() tea.Msg {
			n, err := c.archive().SeeFollows(c.ctx, c.marks, c.owner, id)
			if err != nil {
				return statusMsg{cause: err, err: true}
			}
			msg := load()
			return tea.BatchMsg{func() tea.Msg { return msg }, func() tea.Msg {
				return statusMsg{text: c.tr.T("Marked %d follows seen.", n)}
			}}
		}, true
	case p.list.Update(msg, true):
		return nil, true
	}
	return nil, false
}

// followRow is one follow as the list shows it.
func (p *followingPage) followRow(f data.Follow) string {
	tr := p.c.tr
	news := tr.T("%s new", PadLeft(tr.N(int64(f.New)), 6))
	switch {
	case !f.Problem.IsZero():
		news = "  " + tr.T("not counted")
	case f.New == 0:
		news = "   " + tr.T("nothing new")
	}
	what := SanitizeLine(f.Name)
	if f.Kind == data.FollowProposal && f.Status != "" {
		what += " [" + SanitizeLine(f.Status) + "]"
	}
	return " " + PadRight(news, 14) + "  " + PadRight(FollowKind(tr, f.Kind), 8) + "  " + what
}

// headlines are the proposals whose status moved since they were seen.
func (p *followingPage) headlines() []string {
	var out []string
	for _, f := range p.follows {
		if f.Kind == data.FollowProposal && f.StatusMoved && f.Problem.IsZero() {
			out = append(out, " "+p.c.tr.T("Status moved: %s → %s", SanitizeLine(f.Name), SanitizeLine(f.Status)))
		}
	}
	return out
}

func (p *followingPage) listHeight() int {
	return max(p.height-min(len(p.headlines()), 3), 0)
}

func (p *followingPage) View() string {
	st := p.c.styles
	var b strings.Builder
	heads := p.headlines()
	for i, h := range heads {
		if i == 3 {
			break
		}
		b.WriteString(st.Match.Render(truncate(h, p.width)) + "\n")
	}
	b.WriteString(p.list.View())
	return b.String()
}

func (p *followingPage) SetSize(w, h int) tea.Cmd {
	p.width, p.height = w, h
	p.list.SetSize(w, p.listHeight())
	return nil
}

func (p *followingPage) Screen() string { return screenFollowing }

func (p *followingPage) Title() string { return p.c.tr.T("Following") }

func (p *followingPage) Status() string {
	if !p.loaded {
		return p.c.tr.T("counting what is new…")
	}
	total := 0
	for _, f := range p.follows {
		total += f.New
	}
	return p.c.tr.T("%d follows · %d new", len(p.follows), total)
}

func (p *followingPage) Prompt() (string, bool) { return "", false }
func (p *followingPage) Capturing() bool        { return false }
func (p *followingPage) ThemeChanged() tea.Cmd  { return nil }

func (p *followingPage) ShortHelp() []key.Binding {
	k := p.c.keys
	return []key.Binding{k.Open, k.SeenOne, k.SeenAll, k.Up, k.Down, k.Back}
}

func (p *followingPage) FullHelp() [][]key.Binding {
	k := p.c.keys
	return [][]key.Binding{{k.Up, k.VimUp, k.Down, k.VimDown, k.Home, k.End}, {k.Open, k.SeenOne, k.SeenAll}}
}

// newHitsPage lists what is new for a follow, newest first.
type newHitsPage struct {
	c      *common
	token  int
	f      data.Follow
	hits   []data.Hit
	list   listView
	loaded bool
	width  int
	height int
}

type newHitsMsg struct {
	token int
	hits  []data.Hit
	err   error
}

// newHitsShown is how many new results the screen lists; the status says
// when there are more.
const newHitsShown = 1000

func newNewHitsPage(c *common, f data.Follow) *newHitsPage {
	p := &newHitsPage{c: c, token: c.token(), f: f}
	p.list = listView{c: c, empty: c.tr.T("Nothing new."), marked: true}
	return p
}

func (p *newHitsPage) Init() tea.Cmd {
	c, token, f := p.c, p.token, p.f
	p.list.loading = true
	return func() tea.Msg {
		hits, err := c.archive().NewCounter().Hits(c.ctx, f, newHitsShown)
		return newHitsMsg{token: token, hits: hits, err: err}
	}
}

func (p *newHitsPage) Update(msg tea.Msg) (tea.Cmd, bool) {
	switch msg := msg.(type) {
	case newHitsMsg:
		if msg.token != p.token {
			return nil, false
		}
		p.list.loading, p.loaded = false, true
		if msg.err != nil {
			return errorCmd(msg.err), true
		}
		p.hits = msg.hits
		p.refresh()
		return nil, true
	case tea.KeyPressMsg:
		k := p.c.keys
		switch {
		case key.Matches(msg, k.Open):
			if len(p.hits) == 0 {
				return nil, true
			}
			h := p.hits[p.list.cursor]
			if h.Kind == data.KindSession {
				id := h.Session
				return func() tea.Msg { return openSessionMsg{id: id} }, true
			}
			var words []data.Term
			if p.f.Kind == data.FollowSearch {
				words = data.ParseQuery(p.f.Target).Words()
			}
			id, para := h.Speech, h.Paragraph
			return func() tea.Msg { return openDocMsg{id: id, para: para, words: words} }, true
		case p.list.Update(msg, true):
			return nil, true
		}
	case tea.MouseWheelMsg:
		p.list.Update(msg, true)
		return nil, true
	}
	return nil, false
}

func (p *newHitsPage) refresh() {
	hits, w := p.hits, p.width
	tr := p.c.tr
	p.list.SetRowFunc(len(hits), func(i int) string { return hitRowIn(tr, hits[i], w) })
	p.list.more = false
	p.list.fix()
}

func (p *newHitsPage) View() string { return p.list.View() }

func (p *newHitsPage) SetSize(w, h int) tea.Cmd {
	p.width, p.height = w, h
	p.list.SetSize(w, h)
	if p.loaded {
		p.refresh()
	}
	return nil
}

func (p *newHitsPage) Screen() string { return screenNew }

func (p *newHitsPage) Title() string { return p.c.tr.T("New: %s", SanitizeLine(p.f.Name)) }

func (p *newHitsPage) Status() string {
	tr := p.c.tr
	if !p.loaded {
		return tr.T("finding what is new…")
	}
	if len(p.hits) == 0 {
		return tr.T("nothing new")
	}
	s := tr.T("%d of %d new · newest first", p.list.cursor+1, p.f.New)
	if len(p.hits) < p.f.New {
		s += " · " + tr.T("the newest %d listed; kurultai follow list counts them all", len(p.hits))
	}
	return s
}

func (p *newHitsPage) Prompt() (string, bool) { return "", false }
func (p *newHitsPage) Capturing() bool        { return false }
func (p *newHitsPage) ThemeChanged() tea.Cmd  { return nil }

func (p *newHitsPage) ShortHelp() []key.Binding {
	k := p.c.keys
	return []key.Binding{k.Open, k.Up, k.Down, k.Back}
}

func (p *newHitsPage) FullHelp() [][]key.Binding {
	k := p.c.keys
	return [][]key.Binding{{k.Up, k.VimUp, k.Down, k.VimDown, k.Home, k.End}, {k.Open}}
}

// Followable: the sessions list follows the body of the session under
// the cursor.
func (p *sessionsPage) Followable() (data.Follow, bool) {
	if len(p.rows) == 0 || p.list.cursor >= len(p.rows) {
		return data.Follow{}, false
	}
	return data.Follow{Kind: data.FollowBody, Target: p.rows[p.list.cursor].Body}, true
}

// Followable: a session's screen follows its body.
func (p *sessionPage) Followable() (data.Follow, bool) {
	if p.detail == nil {
		return data.Follow{}, false
	}
	return data.Follow{Kind: data.FollowBody, Target: p.detail.Body}, true
}

// Followable: the reader follows a proposal's steps, or a speech's
// speaker.
func (p *readerPage) Followable() (data.Follow, bool) {
	switch {
	case p.doc == nil:
		return data.Follow{}, false
	case p.doc.Kind == data.KindProposal:
		return data.Follow{Kind: data.FollowProposal, Target: p.doc.ID}, true
	case p.doc.SpeakerID != "":
		return data.Follow{Kind: data.FollowSpeaker, Target: p.doc.SpeakerID}, true
	}
	return data.Follow{}, false
}

// Followable: the search screen follows its query, filters and all.
func (p *searchPage) Followable() (data.Follow, bool) {
	q := strings.TrimSpace(p.query)
	if q == "" {
		return data.Follow{}, false
	}
	return data.Follow{Kind: data.FollowSearch, Target: q}, true
}

// FollowKind names a kind of follow in the printer's language.
func FollowKind(tr *i18n.Printer, kind string) string {
	return SanitizeLine(tr.M(data.FollowKindWord(kind)))
}
