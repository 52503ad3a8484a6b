package ui

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"kurultai/data"
	"kurultai/ui/i18n"
)

// The research views of a search: its distribution over time (trend),
// who says it most (who), and its concordance (kwic). Each reads the
// search's complete results, as kurultai trend, who and kwic do, once:
// coming back from a result finds the view as it was left (sorted, at
// the same line).

// seriesGlyphs draw each query's bars: distinct without colour too
// (NO_COLOR, monochrome, and in ASCII: # = + . %).
var seriesGlyphs = []string{"▇", "▓", "▒", "░", "▞"}

// SeriesGlyph is the glyph of query i's bars, in the chart and in
// kurultai trend.
func SeriesGlyph(i int) string { return seriesGlyphs[i%len(seriesGlyphs)] }

// seriesColours colour each query's bars where the theme has colour.
var seriesColours = []string{"#4E9BE6", "#E69F00", "#2BAE86", "#CC79A7", "#D55E00"}

// maxSeries is how many queries a chart compares.
const maxSeries = 5

// openResearch opens a research view of a search.
func openResearch(c *common, kind, query string) tea.Cmd {
	var p page
	switch kind {
	case "trend":
		p = newTrendPage(c, []string{query})
	case "who":
		p = newWhoPage(c, query)
	case "keywords":
		p = newKeywordsPage(c, query)
	case "collocates":
		p = newCollocatesPage(c, query)
	default:
		p = newKwicPage(c, query)
	}
	return func() tea.Msg { return openPageMsg{page: p} }
}

// searchFor opens a search of query, newest first.
func searchFor(c *common, query string) tea.Cmd {
	sp := newSearchPage(c)
	sp.query = strings.TrimSpace(query) + " "
	sp.byDate = true
	return tea.Batch(func() tea.Msg { return openPageMsg{page: sp} }, sp.changed())
}

// trendPage charts queries' matches by year, month or session: a row a
// period, a bar a query, per million words of the period (n: raw
// counts). tab changes the periods, enter searches the period under the
// cursor, a adds a query, x takes the last away.
type trendPage struct {
	c       *common
	token   int
	queries []string
	by      int // into data.TrendBy
	raw     bool
	trends  []*data.Trend
	err     error
	cursor  int
	offset  int
	adding  bool
	input   string
	loading bool
	width   int
	height  int
	// labelW and top are measured when counts come (measure): the
	// widest label, and the highest value per million [0] and raw [1].
	labelW int
	top    [2]float64
}

type trendLoadedMsg struct {
	token  int
	trends []*data.Trend
	err    error
}

func newTrendPage(c *common, queries []string) *trendPage {
	return &trendPage{c: c, token: c.token(), queries: queries}
}

func (p *trendPage) Init() tea.Cmd {
	p.token = p.c.token()
	// The counts of other queries or periods are not shown while these
	// are counted: the keys would act on them.
	p.trends = nil
	c, token, by, queries := p.c, p.token, data.TrendBy[p.by], append([]string(nil), p.queries...)
	p.loading = true
	return func() tea.Msg {
		var out []*data.Trend
		for _, q := range queries {
			tr, err := c.archive().Trend(c.ctx, data.ParseQuery(q), by)
			if err != nil {
				return trendLoadedMsg{token: token, err: err}
			}
			out = append(out, tr)
		}
		return trendLoadedMsg{token: token, trends: out}
	}
}

func (p *trendPage) Update(msg tea.Msg) (tea.Cmd, bool) {
	switch msg := msg.(type) {
	case trendLoadedMsg:
		if msg.token != p.token {
			return nil, false
		}
		p.loading, p.trends, p.err = false, msg.trends, msg.err
		if msg.err != nil {
			return errorCmd(msg.err), true
		}
		p.measure()
		p.fix()
		return nil, true
	case tea.PasteMsg:
		if p.adding {
			p.input = appendInput(p.input, msg.Content)
			return nil, true
		}
	case tea.KeyPressMsg:
		if p.adding {
			return p.addKey(msg), true
		}
		return p.key(msg)
	}
	return nil, false
}

// measure works out, once for each count, what every frame draws by: the
// widest period's label, and the highest value raw and per million.
func (p *trendPage) measure() {
	p.labelW, p.top = 0, [2]float64{}
	if len(p.trends) == 0 {
		return
	}
	for _, pt := range p.trends[0].Points {
		p.labelW = max(p.labelW, Width(SanitizeLine(pt.Label)))
	}
	for _, tr := range p.trends {
		for _, pt := range tr.Points {
			p.top[0] = max(p.top[0], pt.PerMillion)
			p.top[1] = max(p.top[1], float64(pt.Matches))
		}
	}
}

func (p *trendPage) periods() int {
	if len(p.trends) == 0 {
		return 0
	}
	return len(p.trends[0].Points)
}

func (p *trendPage) fix() {
	n := p.periods()
	p.cursor = max(0, min(p.cursor, n-1))
	rows := p.rowsHeight()
	if p.cursor < p.offset {
		p.offset = p.cursor
	}
	if p.cursor >= p.offset+rows {
		p.offset = p.cursor - rows + 1
	}
	p.offset = max(0, min(p.offset, n-rows))
}

// rowsHeight is how many periods fit under the legend.
func (p *trendPage) rowsHeight() int { return max(1, p.height-len(p.queries)-1) }

func (p *trendPage) key(msg tea.KeyPressMsg) (tea.Cmd, bool) {
	k := p.c.keys
	switch {
	case key.Matches(msg, k.TrendBy):
		p.by = (p.by + 1) % len(data.TrendBy)
		p.cursor, p.offset = 0, 0
		return p.Init(), true
	case key.Matches(msg, k.TrendRaw):
		p.raw = !p.raw
		return nil, true
	case key.Matches(msg, k.TrendAdd):
		if len(p.queries) >= maxSeries {
			return statusCmd(p.c.tr.T("A chart compares up to %d queries.", maxSeries)), true
		}
		p.adding, p.input = true, ""
		return nil, true
	case key.Matches(msg, k.TrendDrop):
		if len(p.queries) > 1 {
			p.queries = p.queries[:len(p.queries)-1]
			return p.Init(), true
		}
		return nil, true
	case key.Matches(msg, k.Up, k.VimUp):
		p.cursor--
	case key.Matches(msg, k.Down, k.VimDown):
		p.cursor++
	case key.Matches(msg, k.PageUp):
		p.cursor -= p.rowsHeight()
	case key.Matches(msg, k.PageDown, k.Space):
		p.cursor += p.rowsHeight()
	case key.Matches(msg, k.Home, k.VimTop):
		p.cursor = 0
	case key.Matches(msg, k.End, k.VimBottom):
		p.cursor = p.periods() - 1
	case key.Matches(msg, k.TrendOpen):
		return p.open(0), true
	case len(msg.String()) == 1 && msg.String() >= "1" && msg.String() <= "5":
		return p.open(int(msg.String()[0] - '1')), true
	default:
		return nil, false
	}
	p.fix()
	return nil, true
}

// open searches one query's results of the period under the cursor.
func (p *trendPage) open(series int) tea.Cmd {
	if series >= len(p.trends) || series >= len(p.queries) || p.periods() == 0 {
		return nil
	}
	pt := p.trends[series].Points[p.cursor]
	filter := fmt.Sprintf("from:%s to:%s", pt.Period, pt.Period)
	if data.TrendBy[p.by] == "session" {
		filter = "session:" + pt.Period
	}
	return searchFor(p.c, p.queries[series]+" "+filter)
}

func (p *trendPage) addKey(msg tea.KeyPressMsg) tea.Cmd {
	switch msg.String() {
	case "enter":
		p.adding = false
		if q := strings.TrimSpace(p.input); q != "" {
			p.queries = append(p.queries, q)
			return p.Init()
		}
	case "esc", "ctrl+c":
		p.adding = false
	case "backspace", "ctrl+h":
		if r := []rune(p.input); len(r) > 0 {
			p.input = string(r[:len(r)-1])
		}
	default:
		if t := typed(msg); t != "" {
			p.input = appendInput(p.input, t)
		}
	}
	return nil
}

// series is the style of query i's bars.
func (p *trendPage) series(i int) lipgloss.Style {
	if p.c.styles.Theme.Mono {
		return lipgloss.NewStyle()
	}
	return lipgloss.NewStyle().Foreground(lipgloss.Color(seriesColours[i%len(seriesColours)]))
}

func (p *trendPage) value(pt data.TrendPoint) float64 {
	if p.raw {
		return float64(pt.Matches)
	}
	return pt.PerMillion
}

func (p *trendPage) View() string {
	if p.width <= 0 || p.height <= 0 {
		return ""
	}
	st := p.c.styles
	var out []string
	for i, q := range p.queries {
		out = append(out, truncate(" "+p.series(i).Render(strings.Repeat(seriesGlyphs[i], 2))+" "+fmt.Sprint(i+1)+" "+SanitizeLine(q), p.width))
	}
	tr := p.c.tr
	head := " " + tr.T("matches per million words, %s", trendBy(tr, data.TrendBy[p.by]))
	if p.raw {
		head = " " + tr.T("matches, %s", trendBy(tr, data.TrendBy[p.by]))
	}
	skipped := 0
	for _, t := range p.trends {
		skipped += t.Skipped
	}
	if skipped > 0 {
		head += " · " + tr.T("%d results in titles or names not counted", skipped)
	}
	out = append(out, st.Dim.Render(truncate(head, p.width)))
	if p.loading && len(p.trends) == 0 {
		out = append(out, st.Dim.Render(" "+tr.T("Counting…")))
	}
	n := p.periods()
	labelW, top := min(p.labelW, max(8, p.width/3)), p.top[0]
	if p.raw {
		top = p.top[1]
	}
	barW := max(1, (p.width-labelW-3)/max(1, len(p.trends)))
	for i := p.offset; i < n && i < p.offset+p.rowsHeight(); i++ {
		label := PadRight(truncate(SanitizeLine(p.trends[0].Points[i].Label), labelW), labelW)
		line := " " + label + " "
		if i == p.cursor {
			line = st.Selected.Render(" "+label) + " "
		}
		for s, tr := range p.trends {
			w := 0
			if top > 0 {
				w = int(p.value(tr.Points[i])/top*float64(barW-1) + 0.5)
			}
			if w == 0 && tr.Points[i].Matches > 0 {
				w = 1 // a match is never drawn as none
			}
			line += p.series(s).Render(strings.Repeat(seriesGlyphs[s], w)) + strings.Repeat(" ", barW-w)
		}
		out = append(out, line)
	}
	if len(out) > p.height {
		out = out[:p.height]
	}
	return strings.Join(out, "\n")
}

func (p *trendPage) SetSize(w, h int) tea.Cmd {
	p.width, p.height = w, h
	p.fix()
	return nil
}

func (p *trendPage) Screen() string { return screenTrend }

func (p *trendPage) Title() string { return p.c.tr.T("Trend") }

// Status gives the values of the period under the cursor.
func (p *trendPage) Status() string {
	tr := p.c.tr
	if p.err != nil || p.periods() == 0 {
		if p.loading {
			return tr.T("counting every result…")
		}
		return tr.T("nothing to chart")
	}
	var parts []string
	for i, t := range p.trends {
		pt := t.Points[p.cursor]
		parts = append(parts, fmt.Sprintf("%d: %s, %s", i+1, tr.T("%d matches", pt.Matches), tr.T("%.1f per million", pt.PerMillion)))
	}
	label := SanitizeLine(p.trends[0].Points[p.cursor].Label)
	return label + " · " + strings.Join(parts, " · ") + " · " + tr.T("%d words", p.trends[0].Points[p.cursor].Words)
}

func (p *trendPage) Prompt() (string, bool) {
	if !p.adding {
		return "", false
	}
	return p.c.styles.Input.Render(p.c.tr.T("add a query: ")) + SanitizeLine(p.input) + "█", true
}

func (p *trendPage) Capturing() bool       { return p.adding }
func (p *trendPage) ThemeChanged() tea.Cmd { return nil }

// statusCmd says something on the status line.
func statusCmd(text string) tea.Cmd { return func() tea.Msg { return statusMsg{text: text} } }

func (p *trendPage) ShortHelp() []key.Binding {
	k := p.c.keys
	return []key.Binding{p.c.keys.TrendOpen, p.c.keys.TrendBy, p.c.keys.TrendRaw, p.c.keys.TrendAdd, k.Back}
}

func (p *trendPage) FullHelp() [][]key.Binding {
	k := p.c.keys
	return [][]key.Binding{{k.Up, k.Down, k.PageUp, k.PageDown, k.Home, k.End},
		{p.c.keys.TrendOpen, p.c.keys.TrendBy, p.c.keys.TrendRaw, p.c.keys.TrendAdd, p.c.keys.TrendDrop}}
}

// whoPage lists who says a query's words most: by speaker or party,
// matching paragraphs and their rate per 10,000 words said.
type whoPage struct {
	c      *common
	token  int
	query  string
	by     int // into data.WhoBy
	rate   bool
	min    int // into whoMins
	who    *data.Who
	list   listView
	width  int
	height int
}

var whoMins = []int64{1000, 10000, 0}

type whoLoadedMsg struct {
	token int
	who   *data.Who
	err   error
}

func newWhoPage(c *common, query string) *whoPage {
	p := &whoPage{c: c, token: c.token(), query: query}
	p.list = listView{c: c, empty: c.tr.T("Nobody's speeches match.")}
	return p
}

func (p *whoPage) Init() tea.Cmd {
	p.token = p.c.token()
	c, token, q := p.c, p.token, p.query
	by, sort, min := data.WhoBy[p.by], "matches", whoMins[p.min]
	if p.rate {
		sort = "rate"
	}
	p.list.loading = true
	return func() tea.Msg {
		who, err := c.archive().Who(c.ctx, data.ParseQuery(q), by, sort, min)
		return whoLoadedMsg{token: token, who: who, err: err}
	}
}

func (p *whoPage) Update(msg tea.Msg) (tea.Cmd, bool) {
	switch msg := msg.(type) {
	case whoLoadedMsg:
		if msg.token != p.token {
			return nil, false
		}
		p.list.loading = false
		if msg.err != nil {
			return errorCmd(msg.err), true
		}
		p.who = msg.who
		rows := make([]string, len(p.who.Rows))
		for i, r := range p.who.Rows {
			name := SanitizeLine(r.Name)
			if r.Party != "" {
				name += " (" + SanitizeLine(r.Party) + ")"
			}
			rows[i] = fmt.Sprintf(" %4d. %s %s %s %s", i+1, PadRight(truncate(name, 34), 34),
				PadLeft(p.c.tr.T("%d matches", r.Matches), 13), PadLeft(p.c.tr.T("%d words", r.Words), 17), p.c.tr.T("%8.2f per 10,000", r.Per10k))
		}
		p.list.SetRows(rows, false)
		return nil, true
	case tea.KeyPressMsg:
		switch {
		case key.Matches(msg, p.c.keys.WhoBy):
			p.by = (p.by + 1) % len(data.WhoBy)
			return p.Init(), true
		case key.Matches(msg, p.c.keys.WhoSort):
			p.rate = !p.rate
			return p.Init(), true
		case key.Matches(msg, p.c.keys.WhoMin):
			p.min = (p.min + 1) % len(whoMins)
			return p.Init(), true
		case key.Matches(msg, p.c.keys.WhoOpen):
			if p.who == nil || p.list.cursor >= len(p.who.Rows) {
				return nil, true
			}
			r := p.who.Rows[p.list.cursor]
			filter := "party:" + quoteValue(r.Name)
			if r.Speaker != "" {
				filter = "speaker:" + quoteValue(r.Speaker)
			}
			return searchFor(p.c, p.query+" "+filter+" kind:speech"), true
		case p.list.Update(msg, true):
			return nil, true
		}
	case tea.MouseWheelMsg:
		p.list.Update(msg, true)
		return nil, true
	}
	return nil, false
}

func (p *whoPage) View() string { return p.list.View() }

func (p *whoPage) SetSize(w, h int) tea.Cmd {
	p.width, p.height = w, h
	p.list.SetSize(w, h)
	return nil
}

func (p *whoPage) Screen() string { return screenWho }

func (p *whoPage) Title() string { return p.c.tr.T("Who says it most") }

func (p *whoPage) Status() string {
	tr := p.c.tr
	if p.who == nil {
		return tr.T("counting every result…")
	}
	order := tr.T("by matches")
	if p.rate {
		order = tr.T("by matches per 10,000 words")
	}
	n := tr.T("%d speakers", len(p.who.Rows))
	if data.WhoBy[p.by] == "party" {
		n = tr.T("%d parties", len(p.who.Rows))
	}
	s := n + " · " + order + " · " + tr.T("%d matching paragraphs in all", p.who.Paragraphs)
	if p.who.Below > 0 {
		s += " · " + tr.T("%d under %d words left out", p.who.Below, whoMins[p.min])
	}
	return s
}

func (p *whoPage) Prompt() (string, bool) { return "", false }
func (p *whoPage) Capturing() bool        { return false }
func (p *whoPage) ThemeChanged() tea.Cmd  { return nil }

func (p *whoPage) ShortHelp() []key.Binding {
	return []key.Binding{p.c.keys.WhoOpen, p.c.keys.WhoBy, p.c.keys.WhoSort, p.c.keys.WhoMin, p.c.keys.Back}
}

func (p *whoPage) FullHelp() [][]key.Binding {
	k := p.c.keys
	return [][]key.Binding{{k.Up, k.Down, k.PageUp, k.PageDown, k.Home, k.End}, {p.c.keys.WhoOpen, p.c.keys.WhoBy, p.c.keys.WhoSort, p.c.keys.WhoMin}}
}

// kwicPage is a query's concordance: a line an occurrence, the match in
// a column of its own. The first screen comes from the newest results;
// then every line is read (up to kwicMax), and s sorts them.
type kwicPage struct {
	c      *common
	token  int
	ctx    context.Context // the page's reads, cancelled when it closes
	cancel context.CancelFunc
	query  string
	kwic   *data.Kwic
	all    bool // every line is read (or kwicMax)
	sort   int  // into data.KwicSorts
	list   listView
	width  int
	height int
}

// kwicFirst is how many lines the first screen reads; kwicMax how many
// the screen reads in all (kurultai kwic gives every one).
const (
	kwicFirst = 200
	kwicMax   = 100000
)

type kwicLoadedMsg struct {
	token int
	kwic  *data.Kwic
	all   bool
	err   error
}

func newKwicPage(c *common, query string) *kwicPage {
	p := &kwicPage{c: c, token: c.token(), query: query}
	p.list = listView{c: c, empty: c.tr.T("No occurrence in any text."), marked: true}
	return p
}

func (p *kwicPage) load(limit int) tea.Cmd {
	c, token, q, ctx := p.c, p.token, p.query, p.ctx
	return func() tea.Msg {
		k, err := c.archive().Concordance(ctx, data.ParseQuery(q), 8, limit)
		return kwicLoadedMsg{token: token, kwic: k, all: limit != kwicFirst, err: err}
	}
}

func (p *kwicPage) Init() tea.Cmd {
	p.token = p.c.token()
	if p.cancel != nil {
		p.cancel()
	}
	p.ctx, p.cancel = context.WithCancel(p.c.ctx)
	p.list.loading = true
	p.all = false
	return tea.Batch(p.load(kwicFirst), p.load(kwicMax))
}

func (p *kwicPage) Update(msg tea.Msg) (tea.Cmd, bool) {
	switch msg := msg.(type) {
	case kwicLoadedMsg:
		if msg.token != p.token || p.all {
			return nil, false
		}
		p.list.loading = false
		if msg.err != nil {
			return errorCmd(msg.err), true
		}
		p.kwic, p.all = msg.kwic, msg.all
		if p.all {
			_ = data.SortKwic(p.kwic.Lines, data.KwicSorts[p.sort])
		}
		p.rows()
		return nil, true
	case tea.KeyPressMsg:
		k := p.c.keys
		switch {
		case key.Matches(msg, k.KwicSort):
			if !p.all {
				return statusCmd(p.c.tr.T("Every line is still being read; they can be sorted once they are.")), true
			}
			p.sort = (p.sort + 1) % len(data.KwicSorts)
			_ = data.SortKwic(p.kwic.Lines, data.KwicSorts[p.sort])
			p.list.cursor = 0
			p.rows()
			return nil, true
		case key.Matches(msg, k.KwicOpen):
			if l := p.line(); l != nil && l.Speech != "" {
				id, para, words := l.Speech, l.Paragraph, data.ParseQuery(p.query).Words()
				return func() tea.Msg { return openDocMsg{id: id, para: para, words: words} }, true
			}
			return nil, true
		case key.Matches(msg, k.KwicMark):
			return p.bookmark(), true
		case key.Matches(msg, k.Collocates):
			return openResearch(p.c, "collocates", p.query), true
		case p.list.Update(msg, true):
			return nil, true
		}
	case tea.MouseWheelMsg:
		p.list.Update(msg, true)
		return nil, true
	}
	return nil, false
}

func (p *kwicPage) line() *data.KwicLine {
	if p.kwic == nil || p.list.cursor >= len(p.kwic.Lines) {
		return nil
	}
	return &p.kwic.Lines[p.list.cursor]
}

// bookmark keeps the paragraph of the line under the cursor.
func (p *kwicPage) bookmark() tea.Cmd {
	l := p.line()
	switch {
	case l == nil:
		return nil
	case l.Speech == "" || l.Paragraph == 0:
		return statusCmd(p.c.tr.T("This line is not in a paragraph that can be bookmarked."))
	case p.c.marks == nil:
		return statusCmd(p.c.tr.T("Bookmarks are not available here."))
	}
	c, id, para := p.c, l.Speech, l.Paragraph
	return func() tea.Msg {
		pass, err := c.archive().NewPassage(c.ctx, c.owner, id, para, para)
		if err == nil {
			_, err = c.marks.Add(c.ctx, pass)
		}
		if err != nil {
			return statusMsg{text: c.tr.T("Could not bookmark: %s", OneLineErr(err)), err: true}
		}
		return statusMsg{text: c.tr.T("Bookmarked ¶ %s of %s.", strconv.Itoa(para), SanitizeLine(id))}
	}
}

// rows draws the lines at the list's width: the date, then the left
// context right-aligned, the match marked, the right context.
func (p *kwicPage) rows() {
	lines := p.kwic.Lines
	width := &p.list.width
	p.list.SetRowFunc(len(lines), func(i int) string {
		l := lines[i]
		left, match, right := kwicCells(l, max(*width-13, 20))
		return " " + PadRight(SanitizeLine(l.Date), 10) + " " + left + data.MarkStart + match + data.MarkEnd + right
	})
	p.list.SetSize(p.width, p.height)
}

// Close stops the page's reads: leaving a concordance of a common word
// leaves nothing reading 100,000 lines behind.
func (p *kwicPage) Close() {
	if p.cancel != nil {
		p.cancel()
	}
}

func (p *kwicPage) View() string { return p.list.View() }

func (p *kwicPage) SetSize(w, h int) tea.Cmd {
	p.width, p.height = w, h
	p.list.SetSize(w, h)
	return nil
}

func (p *kwicPage) Screen() string { return screenKwic }

func (p *kwicPage) Title() string { return p.c.tr.T("Concordance") }

func (p *kwicPage) Status() string {
	tr := p.c.tr
	if p.kwic == nil {
		return tr.T("reading the newest results…")
	}
	n := len(p.kwic.Lines)
	if !p.all {
		return tr.T("the first %d lines, newest first · reading every line…", n)
	}
	s := tr.T("%d lines", n) + " · " + tr.T("sorted by %s", data.KwicSorts[p.sort])
	switch {
	case n >= kwicMax:
		s += " · " + tr.T("the newest %d (kurultai kwic gives all)", kwicMax)
	case p.kwic.Outside > 0:
		s += " · " + tr.T("%d results matched outside their text", p.kwic.Outside)
	}
	return s
}

func (p *kwicPage) Prompt() (string, bool) { return "", false }
func (p *kwicPage) Capturing() bool        { return false }
func (p *kwicPage) ThemeChanged() tea.Cmd  { return nil }

func (p *kwicPage) ShortHelp() []key.Binding {
	return []key.Binding{p.c.keys.KwicOpen, p.c.keys.KwicSort, p.c.keys.KwicMark, p.c.keys.Collocates, p.c.keys.Back}
}

func (p *kwicPage) FullHelp() [][]key.Binding {
	k := p.c.keys
	return [][]key.Binding{{k.Up, k.Down, k.PageUp, k.PageDown, k.Home, k.End}, {p.c.keys.KwicOpen, p.c.keys.KwicSort, p.c.keys.KwicMark, k.Collocates}}
}

const trendHelp = `The chart: a row a period, a bar a query. Per million words counts the
matching paragraphs of a period for each million words of its running text
(speeches, summaries, proposals, timeline notes), since sittings differ in
length; n shows the raw counts. Titles and names are not counted.
kurultai trend QUERY... prints the same, --svg FILE draws it for a paper.`

const whoHelp = `Who says it most: a speaker's (or party's) matching paragraphs, and those
per 10,000 words they said in the whole archive. m leaves out who said
fewer than 1,000 or 10,000 words, so that someone who spoke twice does not
top the list; how many are left out is said. kurultai who QUERY.`

const kwicHelp = `The concordance: a line for each occurrence, the match in a column of
its own, its words left and right within the paragraph. s sorts by date,
by the 1st to 3rd word to the left or right, or by speaker. The screen
reads the newest 100,000 lines; kurultai kwic QUERY gives every one.`

func (p *trendPage) helpText() string { return p.c.styles.Dim.Render(p.c.tr.S(trendHelp)) }
func (p *whoPage) helpText() string   { return p.c.styles.Dim.Render(p.c.tr.S(whoHelp)) }
func (p *kwicPage) helpText() string  { return p.c.styles.Dim.Render(p.c.tr.S(kwicHelp)) }

// trendBy names how a chart divides time.
func trendBy(tr *i18n.Printer, by string) string {
	switch by {
	case "year":
		return tr.T("by year")
	case "month":
		return tr.T("by month")
	case "session":
		return tr.T("by session")
	}
	return by
}
