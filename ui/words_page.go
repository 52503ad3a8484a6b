package ui

import (
	"context"
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"kurultai/data"
)

// wordsPage lists words with figures: the keywords of a part of the
// archive against the rest (or another part), or the collocates of a
// query's words. Both read their counts once; coming back from a search
// finds the list as it was left.
type wordsPage struct {
	c      *common
	token  int
	ctx    context.Context // the page's count, cancelled when it closes
	cancel context.CancelFunc
	// collocates: query is the node and its filters; keywords: query is
	// the focus and reference the part compared with ("" the rest).
	collocates       bool
	query, reference string
	order            int // into data.KeywordSorts or data.CollocateMeasures
	min              int // into wordsMins
	window           int
	keywords         *data.Keywords
	colls            *data.Collocates
	list             listView
	width, height    int
}

// wordsMins are the minimum frequencies m cycles through.
var wordsMins = []int64{3, 10, 1}

type wordsLoadedMsg struct {
	token    int
	keywords *data.Keywords
	colls    *data.Collocates
	err      error
}

// newKeywordsPage lists the keywords of focus against the rest of the
// archive.
func newKeywordsPage(c *common, focus string) *wordsPage {
	p := &wordsPage{c: c, token: c.token(), query: focus}
	p.list = listView{c: c, empty: c.tr.T("No word is more frequent here than in the rest of the archive.")}
	return p
}

// newCollocatesPage lists the words found near query's words.
func newCollocatesPage(c *common, query string) *wordsPage {
	p := &wordsPage{c: c, token: c.token(), query: query, collocates: true, window: 5}
	p.list = listView{c: c, empty: c.tr.T("No word is found near it often enough.")}
	return p
}

func (p *wordsPage) Init() tea.Cmd {
	p.token = p.c.token()
	if p.cancel != nil {
		p.cancel()
	}
	p.ctx, p.cancel = context.WithCancel(p.c.ctx)
	p.keywords, p.colls = nil, nil
	p.list.loading = true
	p.list.SetRows(nil, false)
	c, ctx, token, q, ref, min := p.c, p.ctx, p.token, p.query, p.reference, wordsMins[p.min]
	if p.collocates {
		window, measure := p.window, data.CollocateMeasures[p.order]
		return func() tea.Msg {
			co, err := c.archive().Collocates(ctx, data.ParseQuery(q), window, measure, min)
			return wordsLoadedMsg{token: token, colls: co, err: err}
		}
	}
	sort := data.KeywordSorts[p.order]
	return func() tea.Msg {
		var reference *data.Query
		if ref != "" {
			r := data.ParseQuery(ref)
			reference = &r
		}
		k, err := c.archive().Keywords(ctx, data.ParseQuery(q), reference, min, sort)
		return wordsLoadedMsg{token: token, keywords: k, err: err}
	}
}

func (p *wordsPage) Update(msg tea.Msg) (tea.Cmd, bool) {
	switch msg := msg.(type) {
	case wordsLoadedMsg:
		if msg.token != p.token {
			return nil, false
		}
		p.list.loading = false
		if msg.err != nil {
			return errorCmd(msg.err), true
		}
		p.keywords, p.colls = msg.keywords, msg.colls
		var rows []string
		if p.keywords != nil {
			for i, r := range p.keywords.Rows {
				rows = append(rows, fmt.Sprintf(" %4d. %s", i+1, KeywordRow(r)))
			}
		}
		if p.colls != nil {
			for i, r := range p.colls.Rows {
				rows = append(rows, fmt.Sprintf(" %4d. %s", i+1, CollocateRow(r)))
			}
		}
		p.list.SetRows(rows, false)
		return nil, true
	case tea.KeyPressMsg:
		switch {
		case key.Matches(msg, p.c.keys.KeywordsSort) && !p.collocates, key.Matches(msg, p.c.keys.CollocatesSort) && p.collocates:
			p.order++
			if p.collocates {
				p.order %= len(data.CollocateMeasures)
			} else {
				p.order %= len(data.KeywordSorts)
			}
			return p.Init(), true
		case key.Matches(msg, p.c.keys.WordsMin):
			p.min = (p.min + 1) % len(wordsMins)
			return p.Init(), true
		case p.collocates && key.Matches(msg, p.c.keys.CollocatesWider):
			if p.window < 50 {
				p.window++
				return p.Init(), true
			}
			return nil, true
		case p.collocates && key.Matches(msg, p.c.keys.CollocatesNarrower):
			if p.window > 1 {
				p.window--
				return p.Init(), true
			}
			return nil, true
		case key.Matches(msg, p.c.keys.WordsOpen):
			if w := p.word(); w != "" {
				// The word's paragraphs in the part counted.
				return searchFor(p.c, p.query+" "+data.QuoteValue(w)), true
			}
			return nil, true
		case p.list.Update(msg, true):
			return nil, true
		}
	case tea.MouseWheelMsg:
		p.list.Update(msg, true)
		return nil, true
	}
	return nil, false
}

// word is the word under the cursor.
func (p *wordsPage) word() string {
	i := p.list.cursor
	switch {
	case p.keywords != nil && i < len(p.keywords.Rows):
		return p.keywords.Rows[i].Word
	case p.colls != nil && i < len(p.colls.Rows):
		return p.colls.Rows[i].Word
	}
	return ""
}

// Close stops a count still running.
func (p *wordsPage) Close() {
	if p.cancel != nil {
		p.cancel()
	}
}

// View is the columns' names above the list.
func (p *wordsPage) View() string {
	head := KeywordHeader(p.c.tr)
	if p.collocates {
		head = CollocateHeader(p.c.tr)
	}
	head = p.c.styles.Dim.Render(truncate("       "+head, p.width))
	return head + "\n" + p.list.View()
}

func (p *wordsPage) SetSize(w, h int) tea.Cmd {
	p.width, p.height = w, h
	p.list.SetSize(w, max(1, h-1))
	return nil
}

func (p *wordsPage) Screen() string {
	if p.collocates {
		return screenCollocates
	}
	return screenKeywords
}

func (p *wordsPage) Title() string {
	if p.collocates {
		return p.c.tr.T("Collocates")
	}
	return p.c.tr.T("Keywords")
}

func (p *wordsPage) Status() string {
	tr := p.c.tr
	switch {
	case p.collocates && p.colls != nil:
		co := p.colls
		return strings.Join([]string{tr.T("%d words", len(co.Rows)), tr.T("%d either side", co.Window), tr.T("by %s", co.Measure),
			tr.T("%s near %s", SanitizeLine(p.query), tr.T("%d matches", co.Node)), tr.T("in %s", tr.T("%d words", co.Words)),
			tr.T("at least %d near", co.MinFreq)}, " · ")
	case p.keywords != nil:
		k := p.keywords
		ref := tr.T("the rest")
		if !k.Rest {
			ref = SanitizeLine(p.reference)
		}
		order := tr.T("by log-likelihood")
		if k.Sort == "ratio" {
			order = tr.T("by simple-maths ratio")
		}
		return strings.Join([]string{tr.T("%d words", len(k.Rows)), order,
			tr.T("%s (%s) against %s (%s)", SanitizeLine(p.query), tr.T("%d words", k.FocusWords), ref, tr.T("%d words", k.ReferenceWords)),
			tr.T("at least %d in the focus", k.MinFreq)}, " · ")
	}
	return tr.T("counting every word…")
}

func (p *wordsPage) Prompt() (string, bool) { return "", false }
func (p *wordsPage) Capturing() bool        { return false }
func (p *wordsPage) ThemeChanged() tea.Cmd  { return nil }

func (p *wordsPage) ShortHelp() []key.Binding {
	if p.collocates {
		return []key.Binding{p.c.keys.WordsOpen, p.c.keys.CollocatesSort, p.c.keys.CollocatesWider, p.c.keys.CollocatesNarrower, p.c.keys.WordsMin, p.c.keys.Back}
	}
	return []key.Binding{p.c.keys.WordsOpen, p.c.keys.KeywordsSort, p.c.keys.WordsMin, p.c.keys.Back}
}

func (p *wordsPage) FullHelp() [][]key.Binding {
	k := p.c.keys
	moves := []key.Binding{k.Up, k.Down, k.PageUp, k.PageDown, k.Home, k.End}
	if p.collocates {
		return [][]key.Binding{moves, {p.c.keys.WordsOpen, p.c.keys.CollocatesSort, p.c.keys.CollocatesWider, p.c.keys.CollocatesNarrower, p.c.keys.WordsMin}}
	}
	return [][]key.Binding{moves, {p.c.keys.WordsOpen, p.c.keys.KeywordsSort, p.c.keys.WordsMin}}
}

const keywordsHelp = `Keywords: the words more frequent in the focus than in the rest of the
archive. focus and reference are each word's occurrences in the two parts.
LL is the log-likelihood (G2): above 3.84 the difference is significant at
p < 0.05, above 6.63 at p < 0.01, above 10.83 at p < 0.001. ratio is the
simple maths of Sketch Engine: (per million in the focus + 1) / (per
million in the reference + 1). kurultai keywords --focus Q [--reference Q]
gives every row. docs/research.md has the formulas.`

const collocatesHelp = `Collocates: the words found within the window of each match (words
either side, within its paragraph). near counts them there, in all
counts them in the part searched (its filters, or the whole archive).
logDice = 14 + log2(2·near / (matches + in all)), at most 14;
MI = log2(near · words / (matches · in all)). kurultai collocates QUERY
gives every row. docs/research.md has the formulas.`

func (p *wordsPage) helpText() string {
	text := p.c.tr.S(keywordsHelp)
	if p.collocates {
		text = p.c.tr.S(collocatesHelp)
	}
	return p.c.styles.Dim.Render(strings.TrimSpace(text))
}
