// Package ui is the terminal interface: a root model that routes between
// screens (the sessions list, a session, the reader), and the printers used
// by the non-interactive commands.
package ui

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync/atomic"
	"time"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"kurultai/data"
	"kurultai/sessions/msg"
	"kurultai/ui/i18n"
)

// common is what every screen shares: the archive, the styles, the keys
// and the render cache.
type common struct {
	// db is the archive, and news what is new in it to this reader (nil
	// without marks). A server that moves to a replaced archive swaps
	// both while commands run beside the UI: they are read with archive
	// and newsNow.
	db         atomic.Pointer[data.DB]
	news       atomic.Pointer[data.News]
	marks      data.Store // nil when bookmarks cannot be kept
	owner      string
	exportHint func(format string) string // set: write no export file, say this
	copyText   func(text string) error    // a second way to the clipboard (tmux's buffer)
	term       string                     // the terminal's TERM, for what copying can promise
	ctx        context.Context
	styles     *Styles
	keys       KeyMap
	readWidth  int // the widest text is wrapped in the reader
	tr         *i18n.Printer
	cache      *renderCache
	nextID     int
}

// ArchiveUpdated moves the UI to a replaced archive, as a server sends it
// to every session: what the screens list and open from then on comes
// from DB, the sessions list is read again, and the status line says
// Note.
type ArchiveUpdated struct {
	DB   *data.DB
	Note msg.Text
}

// archive is the archive the UI reads.
func (c *common) archive() *data.DB { return c.db.Load() }

// newsNow is what is new to this reader, nil without marks.
func (c *common) newsNow() *data.News { return c.news.Load() }

// token gives each load a number, so that a screen can tell its own
// results from those of another screen showing the same thing.
func (c *common) token() int {
	c.nextID++
	return c.nextID
}

// page is one screen. Update reports whether it used a key, so that the
// root can give esc its meaning of "back" when the screen does not need it.
type page interface {
	Init() tea.Cmd
	Update(msg tea.Msg) (tea.Cmd, bool)
	View() string
	SetSize(w, h int) tea.Cmd
	Title() string
	// Screen names the screen, for the actions that are its own (see
	// Actions): they get their keys before the keys of every screen.
	Screen() string
	Status() string
	Prompt() (string, bool)
	Capturing() bool
	ShortHelp() []key.Binding
	FullHelp() [][]key.Binding
	ThemeChanged() tea.Cmd
}

// Messages between screens and the root.
type (
	openSessionMsg struct{ id string }
	openDocMsg     struct {
		id    string
		para  int
		words []data.Term // search words to highlight
	}
	openSearchMsg struct{}
	statusMsg     struct {
		text string
		err  bool
		// cause is an error to say in the interface's language, in
		// place of text.
		cause error
	}
	clearStatusMsg struct{ seq int }
)

// openAny opens a session, speech or proposal by id, whichever it is.
func openAny(c *common, id string, para int) tea.Cmd {
	return func() tea.Msg {
		kind, err := c.archive().Kind(c.ctx, id)
		switch {
		case err != nil:
			return statusMsg{cause: err, err: true}
		case kind == "session":
			return openSessionMsg{id: id}
		}
		return openDocMsg{id: id, para: para}
	}
}

func openDoc(id string, para int) tea.Cmd {
	return func() tea.Msg { return openDocMsg{id: id, para: para} }
}

// errorCmd reports an error in the status line.
func errorCmd(err error) tea.Cmd {
	return func() tea.Msg { return statusMsg{cause: err, err: true} }
}

// plainError says an error in the interface's language, on one line.
func plainError(tr *i18n.Printer, err error) string {
	if errors.Is(err, context.Canceled) {
		return tr.T("cancelled")
	}
	return SanitizeLine(tr.Err(err))
}

// Options configure the UI.
type Options struct {
	// Theme is dark, light or ascii; empty follows the terminal.
	Theme string
	// NoColor draws without colour (NO_COLOR), unless Theme says otherwise.
	NoColor bool
	// Open starts in the reader at this speech or proposal, or in this
	// session; empty starts at the sessions list.
	Open string
	// OpenPara is the paragraph the reader opens at, with Open.
	OpenPara int
	// CacheBytes bounds the render cache; 0 means 16 MiB.
	CacheBytes int
	// Bookmarks is where passages are kept, and Owner whose they are;
	// without it, bookmarking says it is not available.
	Bookmarks data.Store
	Owner     string
	// ExportHint, if set, replaces writing an export file: the UI writes
	// no file and shows what it returns for the chosen format instead. A
	// host that serves the UI to others sets it, with its own way to
	// export.
	ExportHint func(format string) string
	// Copy, if set, puts copied text on the clipboard another way too
	// (inside tmux: tmux's buffer, which tmux hands to the clipboard
	// whatever its set-clipboard option). Copying always also sends the
	// terminal an OSC 52 sequence.
	Copy func(text string) error
	// Term is the terminal's TERM: inside tmux or screen, an OSC 52
	// sequence alone may not reach the clipboard, and the status line
	// says so.
	Term string
	// Guest is set for a connection without a key, whose bookmarks last
	// only as long as the connection.
	Guest bool
	// Trace, if set, receives the key-to-frame trace (see trace.go), timed
	// for the start from Started.
	Trace   io.Writer
	Started time.Time
	// QuitWhenStarted, with Trace, quits once the first screen is whole.
	QuitWhenStarted bool
	// ReadWidth caps the width of the reader's text; 0 is
	// DefaultReadWidth.
	ReadWidth int
	// NoMouse leaves the mouse to the terminal, for selecting text.
	NoMouse bool
	// Keys rebinds actions by name (see Actions and BindKeys).
	Keys map[string][]string
	// Colours replace the theme's, by role (see ColourRoles).
	Colours map[string]string
	// Notice is said on the status line at the start, as a problem: the
	// config file's, when it is not used.
	Notice error
	// Lang is the interface's language (i18n.Langs); empty is English.
	Lang string
}

// Model is the root of the UI. It routes messages to the screen on top of
// a stack and draws the frame: a title line, the screen, a status line and
// help.
type Model struct {
	// asciiOnly draws every sign in ASCII: --style ascii.
	asciiOnly  bool
	c          *common
	stack      []page
	help       help.Model
	full       bool
	width      int
	height     int
	status     string
	statusErr  bool
	statusSeq  int
	themeFixed bool
	colours    map[string]string // the config file's, over the theme's
	noMouse    bool
	open       string
	openPara   int
	drawn      frameCache
	trace      *tracer
	pacer      *framePacer
	lastView   string // the last View's content, for the pacer
}

// FPS is the most frames a second the UI draws.
const FPS = 120

// PaceFrames lets the model stop p's frame ticker while the view does not
// change (see framePacer); p must be the program running m at fps. out,
// if not nil, must be p's output.
func (m *Model) PaceFrames(p *tea.Program, fps int, out *WatchedOutput) {
	m.pacer = newFramePacer(p, fps, out)
}

// frameCache keeps what the last frame drew, so that the next one only
// measures lines that changed: measuring a line's cells walks its
// graphemes, and most of a screen stays the same from one key to the next.
type frameCache struct {
	width   int
	lines   map[string]string // a line as given, to the same line cut to width
	helpKey string
	help    string
}

// fit cuts a line to the width, remembering the answer for the next frame.
func (f *frameCache) fit(next map[string]string, l string, width int) string {
	if len(l) <= width {
		// No character is wider in cells than in bytes.
		return l
	}
	cut, ok := f.lines[l]
	if !ok {
		cut = ansi.Truncate(l, width, "")
	}
	next[l] = cut
	return cut
}

// helpView draws the short help for keys, again only when they change.
// With help, "? help" ends the line whatever its width: the keys before
// it give way.
func (m *Model) helpView(keys []key.Binding, withHelp bool) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d|%p|%t", m.width, m.c.styles, withHelp)
	for _, k := range keys {
		h := k.Help()
		fmt.Fprintf(&b, "|%t|%s|%s", k.Enabled(), h.Key, h.Desc)
	}
	if b.String() != m.drawn.helpKey {
		m.help.SetWidth(0)
		line := m.help.ShortHelpView(keys)
		tail := ""
		sep := m.help.Styles.ShortSeparator.Inline(true).Render(m.help.ShortSeparator)
		if withHelp {
			tail = m.help.ShortHelpView([]key.Binding{m.c.keys.Help})
		}
		room := m.width
		if tail != "" {
			room -= ansi.StringWidth(tail) + ansi.StringWidth(sep)
		}
		// Keys that do not fit are left out whole, from the end, never
		// cut in the middle of a word; an ellipsis says some are.
		ell := m.help.Styles.Ellipsis.Inline(true).Render("…")
		for n := len(keys); ansi.StringWidth(line) > room; n-- {
			if n <= 0 {
				line = ""
				break
			}
			line = m.help.ShortHelpView(keys[:n-1])
			if n-1 > 0 {
				line += " " + ell
			}
		}
		if tail != "" {
			if line != "" {
				line += sep
			}
			line += tail
		}
		m.drawn.helpKey, m.drawn.help = b.String(), line
	}
	return m.drawn.help
}

// New builds the UI over an open archive.
func New(ctx context.Context, db *data.DB, opts Options) *Model {
	theme := opts.Theme
	// High contrast follows the terminal's background as the default
	// does, between its dark and its light variant.
	fixed := theme != "" && theme != ThemeContrast
	if theme == "" && opts.NoColor {
		theme, fixed = ThemeASCII, true
	}
	if theme == "" {
		theme = ThemeDark
	}
	cacheBytes := opts.CacheBytes
	if cacheBytes <= 0 {
		cacheBytes = 16 << 20
	}
	// The bindings were checked with the config file; should they not
	// be usable after all, the defaults are, and the status line says so.
	keys, keyErr := BindKeys(opts.Keys)
	if keyErr != nil {
		keys = DefaultKeyMap()
	}
	tr := i18n.New(opts.Lang)
	keys = keys.translated(tr)
	if opts.Theme == ThemeASCII {
		keys = keys.ascii()
	}
	readWidth := opts.ReadWidth
	if readWidth <= 0 {
		readWidth = DefaultReadWidth
	}
	c := &common{ctx: ctx, styles: NewStyles(NewTheme(theme).WithColours(opts.Colours)), keys: keys, readWidth: readWidth, tr: tr,
		cache: newRenderCache(cacheBytes), marks: opts.Bookmarks, owner: opts.Owner, exportHint: opts.ExportHint, copyText: opts.Copy, term: opts.Term}
	c.db.Store(db)
	c.news.Store(newNews(ctx, db, opts.Bookmarks, opts.Owner))
	m := &Model{c: c, help: help.New(), themeFixed: fixed, asciiOnly: opts.Theme == ThemeASCII, colours: opts.Colours, noMouse: opts.NoMouse}
	if opts.Trace != nil {
		m.trace = newTracer(opts.Trace, opts.Started)
	}
	m.setHelpStyles()
	m.stack = []page{newSessionsPage(c)}
	m.open, m.openPara = opts.Open, opts.OpenPara
	if opts.Guest {
		m.status = tr.T("Connected without a key: bookmarks last until you disconnect.")
	}
	if keyErr != nil {
		m.status, m.statusErr = tr.T("The default keys are in use: %s", tr.Err(keyErr)), true
	}
	if opts.Notice != nil {
		m.status, m.statusErr = SanitizeLine(tr.Err(opts.Notice)), true
	}
	return m
}

func (m *Model) setHelpStyles() {
	m.help.Styles = m.c.styles.Help
}

func (m *Model) top() page { return m.stack[len(m.stack)-1] }

// Init starts the first screen and asks the terminal for its background.
func (m *Model) Init() tea.Cmd {
	if m.trace != nil {
		return m.trace.wrap(m.trace.begin("start", m.trace.start), m.init())
	}
	return m.init()
}

func (m *Model) init() tea.Cmd {
	cmds := []tea.Cmd{}
	for _, p := range m.stack {
		cmds = append(cmds, p.Init())
	}
	if !m.themeFixed {
		cmds = append(cmds, tea.RequestBackgroundColor)
	}
	if m.open != "" {
		cmds = append(cmds, openAny(m.c, m.open, m.openPara))
	}
	return tea.Batch(cmds...)
}

// Update routes a message: keys, mouse and paste to the screen on top, and
// everything else to every screen, each of which keeps only its own.
func (m *Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if m.trace == nil {
		return m, m.update(msg)
	}
	t := m.trace
	switch msg := msg.(type) {
	case tracedMsg:
		inner, cmd := t.back(msg)
		if inner == nil {
			return m, cmd
		}
		if _, status := inner.(statusMsg); status {
			// Clearing the status line seconds later is not the key's work.
			return m, m.update(inner)
		}
		return m, t.wrap(msg.id, m.update(inner))
	case tea.KeyPressMsg:
		id := t.begin(traceName(msg), time.Now())
		return m, t.wrap(id, m.update(msg))
	}
	return m, m.update(msg)
}

func (m *Model) update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.width, m.height = msg.Width, msg.Height
		return m.resize()
	case tea.BackgroundColorMsg:
		if m.themeFixed {
			return nil
		}
		name := ThemeDark
		switch {
		case m.c.styles.Theme.Contrast && msg.IsDark():
			name = ThemeContrast
		case m.c.styles.Theme.Contrast:
			name = themeContrastLight
		case !msg.IsDark():
			name = ThemeLight
		}
		if name == m.c.styles.Theme.Name {
			return nil
		}
		m.c.styles = NewStyles(NewTheme(name).WithColours(m.colours))
		m.setHelpStyles()
		var cmds []tea.Cmd
		for _, p := range m.stack {
			cmds = append(cmds, p.ThemeChanged())
		}
		return tea.Batch(cmds...)
	case tea.KeyPressMsg:
		return m.key(msg)
	case tea.MouseMsg, tea.PasteMsg:
		cmd, _ := m.top().Update(msg)
		return cmd
	case openSessionMsg:
		return m.push(newSessionPage(m.c, msg.id))
	case openDocMsg:
		p := newReaderPage(m.c, msg.id, msg.para)
		p.words = msg.words
		return m.push(p)
	case openSearchMsg:
		return m.push(newSearchPage(m.c))
	case openPageMsg:
		return m.push(msg.page)
	case ArchiveUpdated:
		if msg.DB == nil {
			return nil
		}
		m.c.db.Store(msg.DB)
		m.c.news.Store(newNews(m.c.ctx, msg.DB, m.c.marks, m.c.owner))
		cmds := []tea.Cmd{func() tea.Msg { return statusMsg{text: SanitizeLine(m.c.tr.M(msg.Note))} }}
		// The screen in view shows what is new at once; the others when
		// they come back into view.
		for _, p := range m.stack {
			if r, ok := p.(interface{ Reload() tea.Cmd }); ok {
				cmds = append(cmds, r.Reload())
			}
		}
		if r, ok := m.top().(interface{ Refresh() tea.Cmd }); ok {
			cmds = append(cmds, r.Refresh())
		}
		return tea.Batch(cmds...)
	case statusMsg:
		m.statusSeq++
		m.status, m.statusErr = msg.text, msg.err
		if msg.cause != nil {
			m.status = plainError(m.c.tr, msg.cause)
		}
		seq, wait := m.statusSeq, 4*time.Second
		if msg.err {
			wait = 10 * time.Second
		}
		return tea.Tick(wait, func(time.Time) tea.Msg { return clearStatusMsg{seq} })
	case clearStatusMsg:
		if msg.seq == m.statusSeq {
			m.status = ""
		}
		return nil
	}
	var cmds []tea.Cmd
	for _, p := range m.stack {
		cmd, _ := p.Update(msg)
		cmds = append(cmds, cmd)
	}
	return tea.Batch(cmds...)
}

func (m *Model) key(msg tea.KeyPressMsg) tea.Cmd {
	if esc, rest, ok := escThen(msg, m.top().Capturing()); ok {
		return tea.Batch(m.key(esc), m.key(rest))
	}
	k := m.c.keys
	if key.Matches(msg, k.ForceQuit) {
		return tea.Quit
	}
	if m.full {
		m.full = false
		return nil
	}
	if _, searching := m.top().(*searchPage); searching && key.Matches(msg, k.SearchHelp) {
		m.full = true
		return nil
	}
	top := m.top()
	if key.Matches(msg, k.FollowSearch) {
		if f, ok := top.(followable); ok {
			if fl, ok := f.Followable(); ok {
				return m.c.follow(fl)
			}
		}
	}
	if key.Matches(msg, k.SearchAll) {
		sp := newSearchPage(m.c)
		// What the sessions' filter holds is searched for everywhere.
		if list, ok := top.(*sessionsPage); ok && list.Filter() != "" {
			sp.query = list.Filter()
			return tea.Batch(m.push(sp), sp.changed())
		}
		return m.push(sp)
	}
	// A key bound to one of the screen's own actions is the screen's: in
	// the reader / finds, in the lists it filters.
	if !top.Capturing() && !screenOwns(&k, top.Screen(), msg.String()) {
		_, searching := top.(*searchPage)
		switch {
		case key.Matches(msg, k.Quit) && top.Screen() != screenSessions:
			return tea.Quit
		case key.Matches(msg, k.Help):
			m.full = true
			return nil
		case key.Matches(msg, k.Bookmarks):
			if _, there := top.(*bookmarksPage); !there {
				return m.push(newBookmarksPage(m.c))
			}
		case key.Matches(msg, k.Following):
			if _, there := top.(*followingPage); !there {
				return m.push(newFollowingPage(m.c))
			}
		case key.Matches(msg, k.Speakers):
			if _, there := top.(*speakersPage); !there {
				return m.push(newSpeakersPage(m.c))
			}
		case key.Matches(msg, k.Follow):
			if f, ok := top.(followable); ok {
				if fl, ok := f.Followable(); ok {
					return m.c.follow(fl)
				}
				return func() tea.Msg { return statusMsg{text: m.c.tr.T("Nothing here to follow yet.")} }
			}
		case key.Matches(msg, k.Search) && !searching:
			// In the reader / finds in the document; ctrl+g searches
			// everything from there.
			return m.push(newSearchPage(m.c))
		}
	}
	cmd, used := top.Update(msg)
	if used {
		return cmd
	}
	switch {
	case key.Matches(msg, k.Quit):
		return tea.Quit
	case key.Matches(msg, k.Back) && len(m.stack) > 1:
		if c, ok := m.top().(interface{ Close() }); ok {
			c.Close()
		}
		m.stack = m.stack[:len(m.stack)-1]
		cmd := m.top().SetSize(m.bodySize())
		// What was opened meanwhile is no longer new there.
		if r, ok := m.top().(interface{ Refresh() tea.Cmd }); ok {
			cmd = tea.Batch(cmd, r.Refresh())
		}
		return cmd
	}
	return cmd
}

// escThen splits a key that is esc and another key run together. A
// terminal sends alt+key as ESC and the key, so when esc and then another
// key are pressed quickly (esc esc to go back twice, esc and an arrow), or
// arrive together over a slow link or a busy server, the reader cannot
// tell them from alt and the key. kurultai binds nothing to alt, so such
// a key is taken as the two presses: always with esc, enter, tab, a named
// key (arrows, pages, function keys) or ctrl (ctrl+alt+c is esc, ctrl+c);
// with a letter, space or backspace only when the screen is not taking
// text, where alt with a letter is more likely meant (and binds to
// nothing).
func escThen(msg tea.KeyPressMsg, capturing bool) (esc, rest tea.KeyPressMsg, ok bool) {
	if msg.Mod&tea.ModAlt == 0 {
		return msg, msg, false
	}
	switch {
	case msg.Code == tea.KeyEscape, msg.Code == tea.KeyEnter, msg.Code == tea.KeyTab, msg.Code >= tea.KeyExtended:
	case msg.Mod&tea.ModCtrl != 0:
	case !capturing:
	default:
		return msg, msg, false
	}
	rest = msg
	rest.Mod &^= tea.ModAlt
	if rest.Mod&^tea.ModShift == 0 && rest.Code >= ' ' && rest.Code < tea.KeyExtended && rest.Code != tea.KeyBackspace {
		// A printable key types its text, which alt had left out.
		r := rest.Code
		if rest.Mod&tea.ModShift != 0 && rest.ShiftedCode != 0 {
			r = rest.ShiftedCode
		}
		rest.Text = string(r)
	}
	return tea.KeyPressMsg{Code: tea.KeyEscape}, rest, true
}

// maxDepth bounds the stack of screens; following links far drops the
// oldest screens above the sessions list.
const maxDepth = 32

func (m *Model) push(p page) tea.Cmd {
	if len(m.stack) >= maxDepth {
		m.stack = append(m.stack[:1], m.stack[2:]...)
	}
	m.stack = append(m.stack, p)
	return tea.Batch(p.SetSize(m.bodySize()), p.Init())
}

// The frame: a title line above, a status line and a help line below, as
// room allows.
func (m *Model) frame() (header, status, helpLine bool) {
	return m.height >= 4, m.height >= 3, m.height >= 6
}

func (m *Model) bodySize() (int, int) {
	h := m.height
	header, status, helpLine := m.frame()
	for _, on := range []bool{header, status, helpLine} {
		if on {
			h--
		}
	}
	return max(m.width, 0), max(h, 0)
}

func (m *Model) resize() tea.Cmd {
	m.help.SetWidth(m.width)
	// Only the screen on top is laid out again: the ones under it are
	// sized when they come back on top (back, above), so that a stream
	// of resizes costs one layout each, not one for every open document.
	if len(m.stack) == 0 {
		return nil
	}
	return m.top().SetSize(m.bodySize())
}

// View draws the frame around the screen on top. Every line is cut to the
// width, so nothing wraps, however small the terminal.
func (m *Model) View() tea.View {
	content := m.render()
	if m.asciiOnly {
		content = asciiScreen(content, m.width)
	}
	if m.trace != nil && content != "" {
		m.trace.viewed(time.Now())
	}
	if m.pacer != nil {
		m.pacer.viewed(content != m.lastView)
		m.lastView = content
	}
	v := tea.NewView(content)
	v.AltScreen = true
	v.MouseMode = tea.MouseModeCellMotion
	if m.noMouse {
		v.MouseMode = tea.MouseModeNone
	}
	v.WindowTitle = "kurultai"
	return v
}

func (m *Model) render() string {
	if m.width <= 0 || m.height <= 0 {
		return ""
	}
	header, status, helpLine := m.frame()
	var out []string
	top := m.top()
	if header {
		out = append(out, m.crumbLine())
	}
	_, bodyH := m.bodySize()
	body := top.View()
	if m.full {
		body = m.fullHelp()
	}
	if bodyH > 0 {
		out = append(out, strings.Split(fitLines(body, bodyH), "\n")...)
	}
	if status {
		out = append(out, m.statusLine(top))
	}
	if helpLine {
		out = append(out, m.helpView(top.ShortHelp(), !top.Capturing()))
	}
	if m.drawn.width != m.width {
		m.drawn.width, m.drawn.lines = m.width, nil
	}
	next := make(map[string]string, len(out))
	for i, l := range out {
		out[i] = m.drawn.fit(next, l, m.width)
	}
	m.drawn.lines = next
	return strings.Join(out, "\n")
}

// crumbLine draws the title line: kurultai, then the title of every screen
// on the stack. When that is wider than the terminal, the crumbs on the
// left give way first, to an ellipsis, and then the left of the last
// crumb, so that the end of the current screen's name stays in view.
func (m *Model) crumbLine() string {
	st := m.c.styles
	const sep = " › "
	ell := "…"
	titles := make([]string, 0, len(m.stack))
	for _, p := range m.stack {
		titles = append(titles, p.Title())
	}
	if m.asciiOnly {
		// View redraws the signs in ASCII after lines are cut to the
		// width, and "…" becomes three columns: measure what is drawn.
		ell = "..."
		for i, t := range titles {
			titles[i] = ASCIIOnly(t)
		}
	}
	tail := strings.Join(titles, sep)
	if ansi.StringWidth("kurultai"+sep+tail) <= m.width {
		return st.Title.Render("kurultai") + st.Crumb.Render(sep+tail)
	}
	for i := range titles {
		tail = strings.Join(titles[i:], sep)
		if ansi.StringWidth(ell+sep+tail) <= m.width {
			return st.Crumb.Render(ell + sep + tail)
		}
	}
	last := titles[len(titles)-1]
	if w := ansi.StringWidth(last); w > m.width {
		cut := w - max(m.width-ansi.StringWidth(ell), 0)
		short := ansi.TruncateLeft(last, cut, ell)
		if ansi.StringWidth(short) > m.width {
			// The cut fell inside a wide character, which was kept.
			short = ansi.TruncateLeft(last, cut+1, ell)
		}
		last = short
	}
	return st.Crumb.Render(last)
}

func (m *Model) statusLine(top page) string {
	st := m.c.styles
	// A screen's own status longer than the line ends in an ellipsis, so
	// that it is seen to go on.
	right := st.Status.Render(ansi.Truncate(top.Status(), max(m.width, 1), "…"))
	if prompt, ok := top.Prompt(); ok {
		return prompt
	}
	left := ""
	if m.status != "" {
		if m.statusErr {
			left = st.Error.Render(m.status)
		} else {
			left = st.Status.Render(m.status)
		}
	}
	room := m.width - ansi.StringWidth(right) - 1
	left = ansi.Truncate(left, max(room, 0), "…")
	gap := max(1, m.width-ansi.StringWidth(left)-ansi.StringWidth(right))
	return left + strings.Repeat(" ", gap) + right
}

// fullHelp lays the key groups out in columns, starting a new row of
// columns when the terminal is too narrow for all of them.
func (m *Model) fullHelp() string {
	k := m.c.keys
	groups := m.top().FullHelp()
	// The keys of every screen, each once: a screen that takes every
	// letter into a box (search) has no q or ? then.
	seen := map[string]bool{}
	for _, g := range groups {
		for _, b := range g {
			seen[b.Help().Key] = true
		}
	}
	everywhere := []key.Binding{k.SearchAll, k.Bookmarks, k.Back, k.Quit, k.ForceQuit, k.Help}
	if m.top().Capturing() {
		everywhere = []key.Binding{k.SearchAll, k.Back, k.ForceQuit}
	}
	var global []key.Binding
	for _, b := range everywhere {
		if !seen[b.Help().Key] {
			global, seen[b.Help().Key] = append(global, b), true
		}
	}
	groups = append(groups, global)
	var rows, row []string
	width := 0
	for _, g := range groups {
		col := m.help.FullHelpView([][]key.Binding{g})
		w := lipgloss.Width(col) + 3
		if width > 0 && width+w > m.width {
			rows = append(rows, lipgloss.JoinHorizontal(lipgloss.Top, row...))
			row, width = nil, 0
		}
		row = append(row, col+"   ")
		width += w
	}
	rows = append(rows, lipgloss.JoinHorizontal(lipgloss.Top, row...))
	if h, ok := m.top().(interface{ helpText() string }); ok {
		rows = append(rows, h.helpText())
	}
	return strings.Join(rows, "\n\n") + "\n\n" + m.c.styles.Dim.Render(m.c.tr.T("Press any key to close this help."))
}

// fitLines cuts or pads text to exactly h lines.
func fitLines(s string, h int) string {
	if h <= 0 {
		return ""
	}
	lines := strings.Split(s, "\n")
	if len(lines) > h {
		lines = lines[:h]
	}
	for len(lines) < h {
		lines = append(lines, "")
	}
	return strings.Join(lines, "\n")
}

// Run starts the UI on the terminal and returns when the user quits.
func Run(ctx context.Context, db *data.DB, opts Options, progOpts ...tea.ProgramOption) error {
	// 120 frames a second halves the wait between an update and the frame
	// that shows it; frames are only written when the view changed.
	base := []tea.ProgramOption{tea.WithContext(ctx), tea.WithFPS(FPS)}
	m := New(ctx, db, opts)
	p := tea.NewProgram(m, append(base, progOpts...)...)
	m.PaceFrames(p, FPS, nil)
	if m.trace != nil && opts.QuitWhenStarted {
		m.trace.started = func() { go p.Quit() }
	}
	_, err := p.Run()
	if errors.Is(err, tea.ErrProgramKilled) && ctx.Err() != nil {
		return nil
	}
	if err != nil {
		return msg.Errorf("the terminal interface stopped: %v", err)
	}
	return nil
}

// asciiScreen is a screen in ASCII (ASCIIOnly). An ellipsis or an arrow
// takes more cells in ASCII than it did, so a line that grows past the
// width is cut again, ending in "...".
func asciiScreen(content string, width int) string {
	content = ASCIIOnly(content)
	if width <= 0 {
		return content
	}
	lines := strings.Split(content, "\n")
	cut := false
	for i, l := range lines {
		if ansi.StringWidth(l) > width {
			lines[i], cut = ansi.Truncate(l, width, "..."), true
		}
	}
	if !cut {
		return content
	}
	return strings.Join(lines, "\n")
}
