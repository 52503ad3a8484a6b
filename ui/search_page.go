package ui

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"kurultai/data"
	"kurultai/ui/i18n"
)

// searchDebounce is how long typing must pause before a search starts.
const searchDebounce = 120 * time.Millisecond

const searchPageSize = 50

// searchPage searches everything as you type: results follow the query,
// a new keystroke cancels the search still running, and enter opens the
// reader at the paragraph with the matches highlighted.
type searchPage struct {
	c          *common
	token      int // tells this page's answers from another search page's
	moreCancel context.CancelFunc
	query      string
	byDate     bool
	seq        int                // the newest query typed
	cancel     context.CancelFunc // of the search running, if any
	running    bool
	res        *data.SearchResult
	hits       []data.Hit
	list       listView
	facets     *data.Facets
	facetRows  []data.Facet // the facet of each row of the panel; a field's line has none
	count      *countMsg    // the count for the newest query, when it came first
	flist      listView
	focus      bool // the facet panel has the keys
	// hitsSeq is the query hits are the results of; openWhenReady says
	// that enter came before them.
	hitsSeq       int
	openWhenReady bool
	err           error
	width         int
	height        int
}

type countMsg struct {
	token int
	seq   int
	total int
	err   error
}

type facetsMsg struct {
	token int
	seq   int
	f     *data.Facets
	err   error
}

type searchTickMsg struct{ token, seq int }

type searchResultMsg struct {
	token  int
	seq    int
	offset int
	res    *data.SearchResult
	err    error
}

func newSearchPage(c *common) *searchPage {
	p := &searchPage{c: c, token: c.token()}
	p.list = listView{c: c, empty: c.tr.T("Type to search every session, speech and proposal.")}
	p.flist = listView{c: c, empty: c.tr.T("No facets yet.")}
	return p
}

func (p *searchPage) Init() tea.Cmd { return nil }

// changed schedules a search once typing pauses.
func (p *searchPage) changed() tea.Cmd {
	p.openWhenReady = false
	// The search still running is for a query that is no longer wanted.
	p.Close()
	p.running = false
	p.seq++
	seq, token := p.seq, p.token
	return tea.Tick(searchDebounce, func(time.Time) tea.Msg { return searchTickMsg{token, seq} })
}

// run starts a search in a command: with offset 0 the first page, the
// count and the facets of a new query (cancelling what ran for the one
// before); with an offset, the next page of the same query.
func (p *searchPage) run(offset int) tea.Cmd {
	ctx, cancel := context.WithCancel(p.c.ctx)
	if offset == 0 {
		p.Close()
		p.cancel = cancel
	} else {
		if p.moreCancel != nil {
			p.moreCancel()
		}
		p.moreCancel = cancel
	}
	p.running = true
	token, seq, c, q := p.token, p.seq, p.c, p.parsed()
	opts := data.SearchOptions{ByDate: p.byDate, Limit: searchPageSize, Offset: offset}
	if offset > 0 && p.res != nil {
		// Later pages keep the first page's order, whatever the time
		// ranking would take now.
		opts.Ranked, opts.ByDate = p.res.Ranked, !p.res.Ranked
	}
	search := func() tea.Msg {
		res, err := c.archive().Search(ctx, q, opts)
		return searchResultMsg{token: token, seq: seq, offset: offset, res: res, err: err}
	}
	return search
}

// countDelay is how long the query must stay as it is after its first
// page before the exact count and the facets are worked out: they read
// every result, and while a word is being typed they would be thrown
// away at the next key. The status line says "counting…" meanwhile.
const countDelay = 300 * time.Millisecond

type countTickMsg struct{ token, seq int }

// runCounts works out the count and the facets of the query shown.
func (p *searchPage) runCounts() tea.Cmd {
	// They belong to the query's search: a new query, or leaving the
	// page, cancels them.
	ctx, cancel := context.WithCancel(p.c.ctx)
	prev := p.cancel
	p.cancel = func() { cancel(); prev() }
	token, seq, c, q := p.token, p.seq, p.c, p.parsed()
	facets := func() tea.Msg {
		f, err := c.archive().Facets(ctx, q)
		return facetsMsg{token: token, seq: seq, f: f, err: err}
	}
	count := func() tea.Msg {
		n, err := c.archive().Count(ctx, q)
		return countMsg{token: token, seq: seq, total: n, err: err}
	}
	return tea.Batch(count, facets)
}

// Close cancels whatever this page still has running; the root calls it
// when the page is left.
func (p *searchPage) Close() {
	for _, c := range []*context.CancelFunc{&p.cancel, &p.moreCancel} {
		if *c != nil {
			(*c)()
			*c = nil
		}
	}
}

func (p *searchPage) Update(msg tea.Msg) (tea.Cmd, bool) {
	switch msg := msg.(type) {
	case searchTickMsg:
		if msg.token != p.token || msg.seq != p.seq {
			return nil, false
		}
		if strings.TrimSpace(p.query) == "" {
			p.res, p.hits = nil, nil
			p.refresh(false)
			return nil, true
		}
		return p.run(0), true
	case searchResultMsg:
		if msg.token != p.token || msg.seq != p.seq {
			return nil, false
		}
		p.running = false
		p.list.loading = false
		if msg.err != nil {
			if errors.Is(msg.err, context.Canceled) {
				return nil, true
			}
			p.err = msg.err
			return errorCmd(msg.err), true
		}
		p.err = nil
		p.res = msg.res
		if p.count != nil && p.count.seq == msg.seq {
			p.res.Total, p.res.Counted = p.count.total, true
		}
		var cmd tea.Cmd
		if msg.offset == 0 {
			p.hits, p.hitsSeq = msg.res.Hits, msg.seq
			p.list.cursor = 0
			token, seq := p.token, p.seq
			cmd = tea.Tick(countDelay, func(time.Time) tea.Msg { return countTickMsg{token, seq} })
		} else {
			p.hits = append(p.hits, msg.res.Hits...)
		}
		p.refresh(len(msg.res.Hits) == searchPageSize)
		if p.openWhenReady && msg.offset == 0 {
			p.openWhenReady = false
			return tea.Batch(cmd, p.open()), true
		}
		return cmd, true
	case countTickMsg:
		if msg.token != p.token || msg.seq != p.seq {
			return nil, false
		}
		if p.cancel == nil {
			// The page was left (Close) before the count was due.
			return nil, true
		}
		return p.runCounts(), true
	case countMsg:
		if msg.token != p.token || msg.seq != p.seq || msg.err != nil {
			return nil, msg.token == p.token
		}
		p.count = &msg
		if p.res != nil {
			p.res.Total, p.res.Counted = msg.total, true
		}
		return nil, true
	case facetsMsg:
		if msg.token != p.token || msg.seq != p.seq || msg.err != nil {
			return nil, msg.token == p.token
		}
		p.facets = msg.f
		p.refreshFacets()
		return nil, true
	case tea.PasteMsg:
		p.query = appendInput(p.query, msg.Content)
		return p.changed(), true
	case tea.MouseWheelMsg:
		p.list.Update(msg, false)
		return p.more(), true
	case tea.KeyPressMsg:
		return p.key(msg)
	}
	return nil, false
}

func (p *searchPage) key(msg tea.KeyPressMsg) (tea.Cmd, bool) {
	k := p.c.keys
	if key.Matches(msg, k.NextLink) {
		p.focus = !p.focus
		return nil, true
	}
	// The research views of the search: f3 to f6, or t, w, c and K
	// where letters are not typed.
	for _, v := range []struct {
		b, letter key.Binding
		kind      string
	}{{k.Trend, k.TrendLetter, "trend"}, {k.Who, k.WhoLetter, "who"}, {k.Concordance, k.ConcordanceLetter, "kwic"}, {k.Keywords, k.KeywordsLetter, "keywords"}} {
		if key.Matches(msg, v.b) || p.focus && key.Matches(msg, v.letter) {
			q := strings.TrimSpace(p.query)
			if q == "" {
				return statusCmd(p.c.tr.T("Type a search first: the views count its results.")), true
			}
			return openResearch(p.c, v.kind, q), true
		}
	}
	if p.focus {
		switch {
		case key.Matches(msg, k.Open) && p.flist.cursor >= 0 && p.flist.cursor < len(p.facetRows):
			// Add the facet to the query: its counts follow, like the results.
			v := p.facetRows[p.flist.cursor]
			if v.Query == "" {
				return nil, true
			}
			p.query = strings.TrimSpace(p.query) + " " + SanitizeLine(v.Query) + " "
			p.focus = false
			return p.changed(), true
		case p.flist.Update(msg, true):
			return nil, true
		}
	}
	switch {
	case key.Matches(msg, k.Open):
		if p.hitsSeq != p.seq {
			// Typed and entered at once: the results of what was typed
			// are still coming, and the first of them opens when they do.
			p.openWhenReady = true
			return nil, true
		}
		return p.open(), true
	case key.Matches(msg, k.SortOrder):
		p.byDate = !p.byDate
		return p.changed(), true
	case msg.String() == "backspace" || msg.String() == "ctrl+h":
		if r := []rune(p.query); len(r) > 0 {
			p.query = string(r[:len(r)-1])
			return p.changed(), true
		}
		return nil, true
	case msg.String() == "ctrl+u":
		p.query = ""
		return p.changed(), true
	case p.list.Update(msg, false):
		return p.more(), true
	case typed(msg) != "":
		p.query = appendInput(p.query, typed(msg))
		return p.changed(), true
	}
	return nil, false
}

// open opens the result under the cursor.
func (p *searchPage) open() tea.Cmd {
	if len(p.hits) == 0 {
		return nil
	}
	h := p.hits[p.list.cursor]
	switch h.Kind {
	case data.KindSession:
		id := h.Session
		return func() tea.Msg { return openSessionMsg{id: id} }
	case data.KindSpeaker:
		// A speaker's name opens everything the speaker said.
		p.query = "speaker:" + SanitizeLine(h.SpeakerID) + " "
		p.byDate = true
		return p.changed()
	}
	words := p.parsed().Words()
	id, para := h.Speech, h.Paragraph
	return func() tea.Msg { return openDocMsg{id: id, para: para, words: words} }
}

// parsed is the query as the page searches it: while a word is being
// typed (the query does not end in a space), it matches as a prefix too.
func (p *searchPage) parsed() data.Query {
	q := data.ParseQuery(p.query)
	if p.query != "" && !strings.HasSuffix(p.query, " ") {
		q.PrefixLast(p.query)
	}
	return q
}

func (p *searchPage) more() tea.Cmd {
	if p.list.WantsMore() && !p.running {
		p.list.loading = true
		return p.run(len(p.hits))
	}
	return nil
}

func (p *searchPage) refresh(more bool) {
	// Rows are made as they come on screen, at the list's width: the
	// snippet is placed around its match for the room there is.
	hits, list := p.hits, &p.list
	cursor := p.list.cursor
	p.list.empty = p.c.tr.T("Type to search every session, speech and proposal.")
	if strings.TrimSpace(p.query) != "" {
		p.list.empty = p.c.tr.T("Nothing matches this search.")
	}
	tr := p.c.tr
	p.list.SetRowFunc(len(hits), func(i int) string { return hitRowIn(tr, hits[i], list.width) })
	p.list.more = more
	p.list.marked = true
	p.list.loading = false
	p.list.cursor = cursor
	p.list.fix()
}

// facetWidth is the width of the facet panel beside the results, when the
// terminal is wide enough for both.
const facetWidth = 30

// facetsShown is how many values of each facet the panel lists; the
// count of the rest is on the field's line.
const facetsShown = 6

// refreshFacets lists the facets field by field, in a fixed order, each
// under a line with its name.
func (p *searchPage) refreshFacets() {
	var rows []string
	p.facetRows = p.facetRows[:0]
	if p.facets != nil {
		for _, field := range data.FacetFields {
			values := p.facets.Field(field)
			if len(values) == 0 {
				continue
			}
			head := " " + field
			if len(values) > facetsShown {
				head += " " + p.c.tr.T("(%d values)", len(values))
			}
			rows = append(rows, p.c.styles.Dim.Render(head))
			p.facetRows = append(p.facetRows, data.Facet{})
			for _, v := range values[:min(len(values), facetsShown)] {
				rows = append(rows, fmt.Sprintf("  %s %s", pad(SanitizeLine(v.Label), facetWidth-10), pad(p.c.tr.N(int64(v.Count)), 7)))
				p.facetRows = append(p.facetRows, v)
			}
		}
	}
	p.flist.SetRows(rows, false)
}

func (p *searchPage) View() string {
	st := p.c.styles
	var lines []string
	lines = append(lines, ansi.Truncate(st.Input.Render(" "+p.c.tr.T("search: %s", ""))+p.query+"█", p.width, ""))
	listH := max(p.height-3, 0)
	wide := p.width >= 90
	listW := p.width
	if wide {
		listW = p.width - facetWidth - 1
	}
	p.list.SetSize(listW, listH)
	p.flist.SetSize(facetWidth, listH)
	switch {
	case wide:
		left := strings.Split(p.list.View(), "\n")
		right := strings.Split(p.facetView(), "\n")
		for i := 0; i < listH; i++ {
			l, r := "", ""
			if i < len(left) {
				l = left[i]
			}
			if i < len(right) {
				r = right[i]
			}
			lines = append(lines, l+strings.Repeat(" ", max(0, listW-ansi.StringWidth(l)))+st.Dim.Render("│")+r)
		}
	case p.focus:
		p.flist.SetSize(p.width, listH)
		lines = append(lines, p.facetView())
	default:
		lines = append(lines, p.list.View())
	}
	// The snippet of the selected result, with its matches marked.
	snippet := ""
	if len(p.hits) > 0 {
		snippet = p.markSnippet(p.hits[p.list.cursor].Snippet)
	}
	if p.height >= 3 {
		lines = append(lines, "", snippet)
	}
	return strings.Join(lines, "\n")
}

func (p *searchPage) facetView() string {
	if !p.focus {
		// Without the keys the panel shows no selection.
		saved := p.flist.cursor
		p.flist.cursor = -1
		defer func() { p.flist.cursor = saved }()
	}
	return p.flist.View()
}

// markSnippet shows a snippet on one line with its « » matches styled.
func (p *searchPage) markSnippet(s string) string {
	st := p.c.styles
	s = SanitizeLine(s)
	var b strings.Builder
	for {
		i := strings.Index(s, data.MarkStart)
		if i < 0 {
			break
		}
		j := strings.Index(s[i:], data.MarkEnd)
		if j < 0 {
			break
		}
		b.WriteString(s[:i])
		b.WriteString(st.MatchCurrent.Render(s[i+len(data.MarkStart) : i+j]))
		s = s[i+j+len(data.MarkEnd):]
	}
	b.WriteString(s)
	return ansi.Truncate(" "+b.String(), p.width, "…")
}

func (p *searchPage) SetSize(w, h int) tea.Cmd {
	p.width, p.height = w, h
	p.list.SetSize(w, max(h-3, 0))
	return nil
}

func (p *searchPage) Screen() string { return screenSearch }

func (p *searchPage) Title() string { return p.c.tr.T("Search") }

func (p *searchPage) Status() string {
	// The order the results are in: newest first where relevance was
	// asked for but not had (filters alone, a prefix, too many).
	tr := p.c.tr
	order := tr.T("by relevance")
	if p.byDate || p.res != nil && !p.res.Ranked && len(p.hits) > 0 {
		order = tr.T("newest first")
	}
	var parts []string
	switch {
	case p.running && p.res == nil:
		return tr.T("searching… · %s", order)
	case p.res == nil:
		return order
	case len(p.hits) == 0:
		parts = append(parts, tr.T("nothing found"))
		if len(p.res.Notes) == 0 && p.query != "" && shortLastWord(p.query) {
			parts = append(parts, tr.T("a word being typed finds longer words from its third letter"))
		}
	case p.res.Counted:
		parts = append(parts, tr.T("%d of %d", p.list.cursor+1, p.res.Total))
	default:
		parts = append(parts, tr.T("%d · counting…", p.list.cursor+1))
	}
	// What the query said of itself (a filter left out), and how the
	// results are ordered, once: a note may say it already.
	if len(p.res.Notes) > 0 {
		parts = append(parts, SanitizeLine(tr.M(p.res.Notes[0])))
	}
	if !p.res.Note.IsZero() {
		parts = append(parts, SanitizeLine(tr.M(p.res.Note)))
	}
	if len(p.hits) > 0 && !strings.Contains(strings.Join(parts, " "), order) {
		parts = append(parts, order)
	}
	return strings.Join(parts, " · ")
}

// prefixFrom is the shortest word the search box makes a prefix while it
// is typed (data.Query.PrefixLast).
const prefixFrom = 3

// shortLastWord reports whether the word being typed is too short to be
// made a prefix.
func shortLastWord(query string) bool {
	f := strings.Fields(query)
	if len(f) == 0 || strings.HasSuffix(query, " ") {
		return false
	}
	w := f[len(f)-1]
	if i := strings.IndexByte(w, ':'); i >= 0 {
		w = w[i+1:]
	}
	return utf8.RuneCountInString(w) < prefixFrom && !strings.HasSuffix(w, "*")
}

func (p *searchPage) Prompt() (string, bool) { return "", false }

// Capturing: every printable key goes into the query.
func (p *searchPage) Capturing() bool { return true }

func (p *searchPage) ShortHelp() []key.Binding {
	k := p.c.keys
	return []key.Binding{k.SearchHelp, k.Up, k.Down, k.Open, k.FacetFocus, k.SortOrder, k.Back}
}

func (p *searchPage) FullHelp() [][]key.Binding {
	k := p.c.keys
	return [][]key.Binding{{k.Up, k.Down, k.PageUp, k.PageDown, k.Home, k.End}, {k.Open, k.FacetFocus, k.SortOrder, k.FollowSearch, k.Back, k.ForceQuit},
		{k.Trend, k.Who, k.Concordance, k.Keywords}}
}

func (p *searchPage) ThemeChanged() tea.Cmd { return nil }

// hitRowIn is one line of the results, in the printer's language:
// session, date, who or what, ¶, and the snippet.
func hitRowIn(tr *i18n.Printer, h data.Hit, width int) string {
	who := SanitizeLine(h.Speaker)
	switch h.Kind {
	case data.KindProposal:
		who = tr.T("proposal: %s", SanitizeLine(h.Title))
	case data.KindSession, data.KindSpeaker:
		who = SanitizeLine(h.FieldLabel())
	case data.KindTimeline:
		// Several steps of one date read alike: the proposal names them.
		who = tr.T("step of %s", SanitizeLine(h.Title))
	case data.KindTitle:
		who = SanitizeLine(h.FieldLabel()) + ": " + SanitizeLine(h.Title)
	case data.KindSpeech:
		if who == "" {
			who = tr.T("unknown speaker")
		}
		if h.Field == "heading" {
			who += " · " + tr.T("heading")
		}
	}
	para := ""
	if h.Paragraph > 0 {
		para = fmt.Sprintf("¶ %d", h.Paragraph)
	}
	// Who or what gives way to the snippet on a narrow screen: the
	// snippet keeps about 30 cells.
	whoW := max(8, min(22, width-60))
	head := fmt.Sprintf(" %s  %s  %s %s  ", pad(SanitizeLine(h.Session), 10), pad(SanitizeLine(h.Date), 10), pad(ansi.Truncate(who, whoW, "…"), whoW), pad(para, 5))
	// The first match stands in the middle of the room left for the
	// snippet, so that the row never cuts it off. The matches keep their
	// marks: the list colours them.
	snip := SanitizeLine(h.Snippet)
	if h.Through != "" {
		// Matched in another script or spelling: the row says so first.
		head += "≈ "
	}
	room := width - ansi.StringWidth(head)
	before := 16
	if i := strings.Index(snip, data.MarkStart); i >= 0 && room > 0 {
		j := strings.Index(snip[i:], data.MarkEnd)
		if j < 0 {
			j = len(snip) - i
		}
		before = max(2, (room-ansi.StringWidth(snip[i:i+j]))/2)
	}
	return head + nearMatch(snip, before)
}

// nearMatch drops the start of a snippet so that its first match stands
// within before cells of the start: a row has little room. It cuts at a
// space where it can, and inside a word (a long Kazakh word, a web
// address) where the word before the match would push it out of sight.
func nearMatch(s string, before int) string {
	i := strings.Index(s, data.MarkStart)
	if i < 0 || ansi.StringWidth(s[:i]) <= before {
		return s
	}
	cut := i
	for cut > 0 && ansi.StringWidth(s[cut:i]) < before {
		j := strings.LastIndexByte(s[:cut-1], ' ')
		if j < 0 {
			cut = 0
			break
		}
		cut = j + 1
	}
	// The ellipsis takes a cell of its own.
	for cut < i && ansi.StringWidth(s[cut:i]) > max(before-1, 0) {
		_, n := utf8.DecodeRuneInString(s[cut:])
		cut += n
	}
	return "…" + s[cut:]
}

// SearchLanguage is the query language, for the full help and for
// kurultai search --help.
const SearchLanguage = searchHelp

// searchHelp is the query language, for the full help.
const searchHelp = `The search language
  referendum "vice president"   every word must match; "quoted" is a phrase
  reform*  -senate              a prefix; leave a word out
  kurultai OR parliament        either word
  name:tokayev  title:referendum  place:kyzylorda   a word in one field
  speaker:tokayev  session:nk-5  lang:kk  from:2024-01-01  to:2025-12
  party:labour  role:chair  gender:f  side:coalition|opposition
  kind:speech|proposal|session|title|speaker|timeline
  =bar  =всё                    this spelling only: no accents or scripts folded
  lemma:говорить  lemma:"make decision"  every form (annotated corpora)
Filters alone list everything they select, newest first. On the search
screen the word being typed matches as a prefix too: ref finds referendum.
Case and accents are ignored: ΣΥΝΕΔΡΙΑΣΗ finds συνεδρίαση, все finds всё.
Kazakh is found in any script or alphabet: qurultai, Quryltaı and Qūryltai
find құрылтай; a result matched so is marked ≈.
f3 charts the matches over time, f4 lists who says it most, f5 shows the
concordance, f6 the keywords of the results against the rest of the archive
(t, w, c and K on the facet panel).`

func (p *searchPage) helpText() string { return p.c.styles.Dim.Render(p.c.tr.S(searchHelp)) }
