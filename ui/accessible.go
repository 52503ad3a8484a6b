package ui

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"kurultai/data"
	"kurultai/sessions/msg"
	"kurultai/ui/i18n"
)

// The accessible mode is for screen readers, which cannot follow a screen
// that is drawn over and over: the same screens and keys, but nothing is
// drawn. Instead every change is said as a line of plain text, below the
// lines before it, as a command-line program writes: the screen opened,
// what the cursor is on ("3 of 12: …"), the status line, the prompt being
// typed into, and the help. Nothing moves the cursor but a line feed, and
// no line is written over.

// focuser is a screen with a cursor: where it is among how many, and the
// text it is on.
type focuser interface {
	Focus() (pos, total int, text string)
}

// positioned is a screen whose status only says where the cursor is,
// which its focus says already.
type positioned interface {
	focuser
	statusIsPosition()
}

func (p *readerPage) statusIsPosition()  {}
func (p *sessionPage) statusIsPosition() {}

// typer is a screen with a box typed into that is not a prompt: search.
type typer interface {
	Typed() string
}

// sectioner is a screen of parts (tabs, panels): the one in use.
type sectioner interface {
	Section() string
}

// describer is a screen with more to say when it opens than its title.
type describer interface {
	Describe() string
}

// accessibleWidth is the width the screens are laid out at: wide enough
// that no row is cut, since nothing is drawn.
const accessibleWidth = 1000

// Accessible is the root of the accessible mode: the UI's model, whose
// changes it says as lines on out.
type Accessible struct {
	m      *Model
	out    io.Writer
	said   said
	height int
	err    error // the first write that failed: the mode stops
	signs  *strings.Replacer
}

// said is what was last said, so that only changes are.
type said struct {
	screen, status, prompt, focus, screenStatus, section, about string
	help                                                        bool
}

// NewAccessible builds the accessible mode over an open archive; what it
// says goes to out.
func NewAccessible(ctx context.Context, db *data.DB, opts Options, out io.Writer) *Accessible {
	// No colour, and the help's keys as they are named (not the ASCII
	// theme's up and dn, which a screen reader would spell out).
	opts.Theme, opts.NoColor = "", true
	return &Accessible{m: New(ctx, db, opts), out: out, height: 24}
}

// Init starts the first screen and says how to use the mode.
func (a *Accessible) Init() tea.Cmd {
	a.line("%s", a.tr().T("kurultai, accessible mode: each change is said as a line. %s for help, %s to go back, %s to quit.",
		a.saidKeys(a.m.c.keys.Help), a.saidKeys(a.m.c.keys.Back), a.saidKeys(a.m.c.keys.Quit)))
	_, cmd := a.m.Update(tea.WindowSizeMsg{Width: accessibleWidth, Height: a.height})
	return tea.Batch(cmd, a.m.Init())
}

// Update passes every message to the UI and says what changed.
func (a *Accessible) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if ws, ok := msg.(tea.WindowSizeMsg); ok {
		// Only the height counts: it is how many rows a page key moves.
		a.height = max(ws.Height, 6)
		msg = tea.WindowSizeMsg{Width: accessibleWidth, Height: a.height}
	}
	_, cmd := a.m.Update(msg)
	a.announce()
	if a.err != nil {
		return a, tea.Quit
	}
	return a, cmd
}

// View draws nothing: everything is said by Update.
func (a *Accessible) View() tea.View { return tea.NewView("") }

// Err is the write that stopped the mode, if one did.
func (a *Accessible) Err() error { return a.err }

// announce says what changed since it last spoke.
func (a *Accessible) announce() {
	m := a.m
	if len(m.stack) == 0 {
		return
	}
	top := m.top()
	titles := make([]string, len(m.stack))
	for i, p := range m.stack {
		titles[i] = a.plain(p.Title())
	}
	// The screen first, then the way back to it: a screen reader says
	// the sign between them ("greater than") if there is one.
	screen := titles[len(titles)-1]
	if len(titles) > 1 {
		back := slices.Clone(titles[:len(titles)-1])
		slices.Reverse(back)
		screen = a.tr().T("%s; back: %s", screen, strings.Join(back, ", "))
	}
	if screen != a.said.screen {
		a.said.screen = screen
		a.said.focus, a.said.screenStatus, a.said.section = "", "", ""
		a.said.about = ""
		a.line("%s", a.tr().T("Screen: %s.", screen))
	}
	if d, ok := top.(describer); ok {
		// Said once the screen knows it: a document loads after its
		// screen opens.
		if s := a.plain(d.Describe()); s != a.said.about {
			a.said.about = s
			if s != "" {
				a.line("%s", s)
			}
		}
	}
	// A status still at work ("counting…") is not said: only where it
	// settles, once, however often it changes on the way.
	_, positional := top.(positioned)
	if s := a.plain(top.Status()); s != a.said.screenStatus && !strings.Contains(s, "…") && !positional {
		a.said.screenStatus = s
		if s != "" {
			a.line("%s", s)
		}
	}
	if m.full != a.said.help {
		a.said.help = m.full
		if m.full {
			a.sayHelp(top)
		} else {
			a.line("%s", a.tr().T("Help closed."))
		}
	}
	prompt := ""
	if p, ok := top.Prompt(); ok {
		prompt = a.plain(p)
	} else if t, ok := top.(typer); ok {
		prompt = a.plain(t.Typed())
	}
	if prompt != a.said.prompt {
		a.said.prompt = prompt
		if prompt != "" {
			a.line("%s", a.tr().T("Typing: %s", strings.TrimSuffix(prompt, "_")))
		}
	}
	if s, ok := top.(sectioner); ok {
		if sec := s.Section(); sec != a.said.section {
			a.said.section = sec
			if sec != "" {
				a.line("%s.", sec)
			}
		}
	}
	if f, ok := top.(focuser); ok {
		focus := ""
		if pos, total, text := f.Focus(); total > 0 {
			focus = a.tr().T("%d of %d: %s", pos, total, a.plain(text))
		}
		if focus != a.said.focus {
			a.said.focus = focus
			if focus != "" {
				a.line("%s", focus)
			}
		}
	}
	status := a.plain(m.status)
	if status != a.said.status {
		a.said.status = status
		if status != "" {
			if m.statusErr {
				a.line("%s", a.tr().T("Problem: %s", status))
			} else {
				a.line("%s", status)
			}
		}
	}
}

// sayHelp says every key of the screen, a line each.
func (a *Accessible) sayHelp(top page) {
	a.line("%s", a.tr().T("Help for this screen; any key closes it."))
	for _, group := range top.FullHelp() {
		for _, b := range group {
			if b.Enabled() {
				h := b.Help()
				a.line("%s: %s", a.plain(h.Key), a.plain(h.Desc))
			}
		}
	}
	k := a.m.c.keys
	for _, b := range []key.Binding{k.Search, k.SearchAll, k.Bookmarks, k.Following, k.Speakers, k.Help, k.Back, k.Quit} {
		if b.Enabled() {
			h := b.Help()
			a.line("%s: %s", a.plain(h.Key), a.plain(h.Desc))
		}
	}
}

// line writes one line of plain text.
func (a *Accessible) line(format string, args ...any) {
	if a.err != nil {
		return
	}
	s := fmt.Sprintf(format, args...)
	if _, err := io.WriteString(a.out, s+"\n"); err != nil {
		a.err = err
	}
}

// tr is the printer of the interface's language.
func (a *Accessible) tr() *i18n.Printer { return a.m.c.tr }

// plain is text as a line for a screen reader: no styling, no invisible
// or control characters, and the signs drawn for the eye said in words of
// the interface's language (a pilcrow is a paragraph, an arrow a
// direction) or, the cursor's block and the marks of matches, not at all.
func (a *Accessible) plain(s string) string {
	if a.signs == nil {
		tr := a.tr()
		a.signs = strings.NewReplacer(data.MarkStart, "", data.MarkEnd, "", "█", "", "▌", "",
			"¶", tr.T("paragraph "), "↑", tr.T("up"), "↓", tr.T("down"), "←", tr.T("left"), "→", tr.T("right"), "›", ">", "•", ",")
	}
	return plainWith(a.signs, s)
}

func plainWith(signs *strings.Replacer, s string) string {
	s = ansi.Strip(s)
	s = signs.Replace(s)
	return strings.Join(strings.Fields(SanitizeLine(s)), " ")
}

// saidKeys lists a binding's keys for a sentence.
func (a *Accessible) saidKeys(b key.Binding) string {
	return strings.Join(b.Keys(), a.tr().T(" or "))
}

// RunAccessible runs the accessible mode: keys are read as they are
// typed (the terminal must not wait for a line, see cli), and what they
// change is said on out, a line at a time.
func RunAccessible(ctx context.Context, db *data.DB, opts Options, out io.Writer, progOpts ...tea.ProgramOption) error {
	a := NewAccessible(ctx, db, opts, out)
	base := []tea.ProgramOption{tea.WithContext(ctx), tea.WithoutRenderer()}
	p := tea.NewProgram(a, append(base, progOpts...)...)
	_, err := p.Run()
	if errors.Is(err, tea.ErrProgramKilled) && ctx.Err() != nil {
		return nil
	}
	if err != nil {
		return msg.Errorf("the accessible interface stopped: %v", err)
	}
	return a.Err()
}

// Focus: the session under the cursor.
func (p *sessionsPage) Focus() (int, int, string) { return p.list.focus() }

// Focus: the speech or proposal under the cursor, or the summary.
func (p *sessionPage) Focus() (int, int, string) {
	if p.tab == tabSummary {
		if p.summary == nil {
			return 0, 0, ""
		}
		return p.summary.focus()
	}
	return p.list(p.tab).focus()
}

// Focus: the paragraph under the cursor, or the link selected.
func (p *readerPage) Focus() (int, int, string) {
	if p.view == nil {
		return 0, 0, ""
	}
	return p.view.focus()
}

// Describe: what the document is.
func (p *readerPage) Describe() string {
	if p.doc == nil {
		return ""
	}
	d := p.doc
	parts := []string{d.Title}
	if d.Speaker != "" {
		parts = append(parts, d.Speaker)
	}
	if date := d.Session.Date; date != "" {
		parts = append(parts, sayDate(p.c.tr, date))
	}
	return strings.Join(parts, ", ") + ", " + p.c.tr.T("%d paragraphs", len(d.Paragraphs)) + "."
}

// Section: the tab in use.
func (p *sessionPage) Section() string {
	return p.c.tr.S([...]string{"Summary tab", "Speeches tab", "Proposals tab"}[p.tab])
}

// Typed: the query as typed.
func (p *searchPage) Typed() string { return p.c.tr.T("search: %s", p.query) }

// Section: the results, or the facet panel.
func (p *searchPage) Section() string {
	if p.focus {
		return p.c.tr.T("Facets: enter adds the one under the cursor to the query")
	}
	return ""
}

// Focus: the result under the cursor, or the facet in the facet panel.
func (p *searchPage) Focus() (int, int, string) {
	if p.focus {
		return p.flist.focus()
	}
	return p.list.focus()
}

func (p *bookmarksPage) Focus() (int, int, string) { return p.list.focus() }
func (p *followingPage) Focus() (int, int, string) { return p.list.focus() }
func (p *newHitsPage) Focus() (int, int, string)   { return p.list.focus() }
func (p *personPage) Focus() (int, int, string)    { return p.list.focus() }
func (p *speakersPage) Focus() (int, int, string)  { return p.list.focus() }
func (p *whoPage) Focus() (int, int, string)       { return p.list.focus() }
func (p *kwicPage) Focus() (int, int, string)      { return p.list.focus() }
func (p *wordsPage) Focus() (int, int, string)     { return p.list.focus() }

// Focus: the period under the cursor, with every query's count.
func (p *trendPage) Focus() (int, int, string) {
	n := p.periods()
	if n == 0 || p.cursor >= n {
		return 0, 0, ""
	}
	var parts []string
	for i, t := range p.trends {
		if p.cursor < len(t.Points) {
			pt := t.Points[p.cursor]
			if i == 0 {
				parts = append(parts, pt.Period)
			}
			q := ""
			if i < len(p.queries) {
				q = p.queries[i]
			}
			parts = append(parts, q+" "+p.c.tr.T("%d matches", pt.Matches))
		}
	}
	return p.cursor + 1, n, strings.Join(parts, "; ")
}

// focus is the row under a list's cursor.
func (l *listView) focus() (int, int, string) {
	n := l.n
	if n == 0 || l.cursor < 0 || l.cursor >= n {
		return 0, 0, ""
	}
	return l.cursor + 1, n, l.row(l.cursor)
}

// focus is the link selected, or the paragraph under the cursor.
func (v *docView) focus() (int, int, string) {
	if v.link >= 0 && v.link < len(v.links) {
		b := v.blocks[v.links[v.link]]
		return v.link + 1, len(v.links), v.c.tr.T("link: %s", b.md)
	}
	if v.cursor < 0 || v.cursor >= len(v.paras) {
		return 0, 0, ""
	}
	b := v.blocks[v.paras[v.cursor]]
	return v.cursor + 1, len(v.paras), fmt.Sprintf("¶ %d. %s", b.para, b.md)
}
