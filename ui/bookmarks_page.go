package ui

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"kurultai/data"
	"kurultai/sessions"
	"kurultai/ui/i18n"
)

// bookmarksPage lists the bookmarks, by session: / filters by text or
// #tag, n and t edit the note and tags, d deletes and u undoes it, enter
// opens the reader at the passage, and e exports what the list shows.
type bookmarksPage struct {
	c       *common
	token   int
	rows    []data.Bookmark // loaded so far, in the order shown
	total   int             // that the filter keeps
	count   int             // in all
	more    bool            // more pages to load
	req     int             // the newest request; older answers are dropped
	list    listView
	filter  string
	prompt  string // "", "filter", "note", "tags", "export"
	input   string
	format  int    // index into sessions.ExportFormats
	target  string // where the export prompt will write, chosen when it opens or the format changes
	deleted *data.Bookmark
	cited   map[int64]sessions.Passage // how the rows stand in the archive, by number
	err     error
	width   int
	height  int
}

type bookmarksLoadedMsg struct {
	token, req   int
	rows         []data.Bookmark
	offset       int
	total, count int
	err          error
}

// bookmarksPage loads this many bookmarks at a time.
const bookmarksPageSize = 200

func newBookmarksPage(c *common) *bookmarksPage {
	p := &bookmarksPage{c: c, token: c.token()}
	p.list = listView{c: c, empty: c.tr.T("No bookmarks yet: %s in the reader keeps a paragraph.", firstKey(c.keys.Bookmark))}
	return p
}

func (p *bookmarksPage) Init() tea.Cmd { return p.load(0) }

// load reads a page of bookmarks from offset (0 starts again, for a new
// filter or after a change), newest session first, from the index.
func (p *bookmarksPage) load(offset int) tea.Cmd {
	if p.c.marks == nil {
		p.err = errors.New(p.c.tr.T("bookmarks are not available here"))
		return nil
	}
	if offset == 0 {
		p.req++
	}
	p.list.loading = true
	c, token, req := p.c, p.token, p.req
	f := data.BookmarkFilter{Text: p.filter, Screen: true, Limit: bookmarksPageSize, Offset: offset}
	return func() tea.Msg {
		rows, err := c.marks.List(c.ctx, c.owner, f)
		msg := bookmarksLoadedMsg{token: token, req: req, rows: rows, offset: offset, err: err}
		if err == nil && offset == 0 {
			msg.total, msg.err = c.marks.Count(c.ctx, c.owner, data.BookmarkFilter{Text: f.Text})
			if msg.err == nil {
				msg.count, msg.err = c.marks.Count(c.ctx, c.owner, data.BookmarkFilter{})
			}
		}
		return msg
	}
}

// bookmarksCitedMsg says how loaded bookmarks stand in the archive now:
// moved, orphaned or ok, by bookmark number.
type bookmarksCitedMsg struct {
	token, req int
	cited      map[int64]sessions.Passage
	err        error
}

// cite finds how rows stand in the archive now.
func (p *bookmarksPage) cite(rows []data.Bookmark, req int) tea.Cmd {
	c, token := p.c, p.token
	if c.archive() == nil || len(rows) == 0 {
		return nil
	}
	return func() tea.Msg {
		msg := bookmarksCitedMsg{token: token, req: req, cited: map[int64]sessions.Passage{}}
		for _, b := range rows {
			// The screen's rows hold the start of each quote; placing a
			// passage takes the whole of it.
			full, err := c.marks.Get(c.ctx, c.owner, b.ID)
			if errors.Is(err, data.ErrNotFound) {
				continue // removed meanwhile
			}
			if err != nil {
				msg.err = err
				break
			}
			cited, err := c.archive().Cite(c.ctx, []data.Bookmark{*full}, "")
			if err != nil {
				msg.err = err
				break
			}
			if len(cited) == 1 {
				msg.cited[b.ID] = cited[0]
			}
		}
		return msg
	}
}

// refresh gives the list its rows, made as they come on screen.
func (p *bookmarksPage) refresh() {
	rows := p.rows
	cursor := p.list.cursor
	p.list.SetRowFunc(len(rows), func(i int) string {
		b := &rows[i]
		var sb strings.Builder
		where := sessions.Citation{From: b.From, To: b.To}.Paras()
		switch c := p.cited[b.ID]; c.State {
		case "moved":
			where = sessions.Citation{From: c.From, To: c.To}.Paras() + " " + p.c.tr.T("[moved]")
		case "orphaned":
			// No paragraph numbers: they would point at other text.
			where = p.c.tr.T("[orphaned]")
		}
		sb.WriteString(" " + pad(b.Citation.Date+" "+b.Citation.Session, 22) + " " + b.Doc + " " + where)
		for _, t := range b.Tags {
			sb.WriteString(" #" + t)
		}
		if b.Note != "" {
			sb.WriteString(" — " + b.Note)
		}
		sb.WriteString(" · " + b.Quote)
		return SanitizeLine(sb.String())
	})
	p.list.more = p.more
	p.list.cursor = cursor
	p.list.fix()
}

func (p *bookmarksPage) current() *data.Bookmark {
	if len(p.rows) == 0 {
		return nil
	}
	return &p.rows[p.list.cursor]
}

func (p *bookmarksPage) Update(msg tea.Msg) (tea.Cmd, bool) {
	switch msg := msg.(type) {
	case bookmarksLoadedMsg:
		if msg.token != p.token || msg.req != p.req {
			return nil, false
		}
		p.list.loading = false
		if msg.err != nil {
			p.err = msg.err
			return errorCmd(msg.err), true
		}
		if msg.offset == 0 {
			p.rows, p.total, p.count = msg.rows, msg.total, msg.count
			p.cited = map[int64]sessions.Passage{}
		} else {
			p.rows = append(p.rows, msg.rows...)
		}
		p.more = len(msg.rows) == bookmarksPageSize
		p.refresh()
		// How each stands in the archive comes after the rows, which are
		// shown at once: finding it reads each passage's paragraphs.
		return p.cite(msg.rows, msg.req), true
	case bookmarksCitedMsg:
		if msg.token != p.token || msg.req != p.req {
			return nil, false
		}
		if msg.err != nil {
			return errorCmd(msg.err), true
		}
		for id, c := range msg.cited {
			p.cited[id] = c
		}
		p.refresh()
		return nil, true
	case tea.KeyPressMsg:
		if p.prompt != "" {
			return p.promptKey(msg), true
		}
		return p.key(msg)
	case tea.MouseWheelMsg:
		return nil, p.list.Update(msg, true)
	}
	return nil, false
}

func (p *bookmarksPage) key(msg tea.KeyPressMsg) (tea.Cmd, bool) {
	k := p.c.keys
	b := p.current()
	switch {
	case key.Matches(msg, k.Open) && b != nil:
		id, para := b.Doc, b.From
		switch c := p.cited[b.ID]; c.State {
		case "moved":
			para = c.From
		case "orphaned":
			return p.c.openOrphan(*b), true
		}
		return openDoc(id, para), true
	case key.Matches(msg, k.BookmarkFilter):
		p.prompt, p.input = "filter", p.filter
	case key.Matches(msg, k.BookmarkNote) && b != nil:
		p.prompt, p.input = "note", b.Note
	case key.Matches(msg, k.BookmarkTags) && b != nil:
		p.prompt, p.input = "tags", strings.Join(b.Tags, ", ")
	case key.Matches(msg, k.BookmarkExport):
		p.prompt = "export"
		p.chooseTarget()
	case key.Matches(msg, k.BookmarkDelete) && b != nil:
		// The list holds excerpts; undo needs the bookmark whole.
		gone, err := p.c.marks.Get(p.c.ctx, p.c.owner, b.ID)
		if err == nil {
			err = p.c.marks.Remove(p.c.ctx, p.c.owner, b.ID)
		}
		if err != nil {
			return errorCmd(err), true
		}
		p.deleted = gone
		text := p.c.tr.T("Bookmark deleted: %s brings it back.", firstKey(k.BookmarkUndo))
		return tea.Batch(p.load(0), func() tea.Msg { return statusMsg{text: text} }), true
	case key.Matches(msg, k.BookmarkUndo) && p.deleted != nil:
		back := p.deleted.Passage
		p.deleted = nil
		if _, err := p.c.marks.Add(p.c.ctx, &back); err != nil {
			return errorCmd(err), true
		}
		text := p.c.tr.T("Bookmark restored.")
		return tea.Batch(p.load(0), func() tea.Msg { return statusMsg{text: text} }), true
	case key.Matches(msg, k.Back) && p.filter != "":
		p.filter = ""
		return p.load(0), true
	case p.list.Update(msg, true):
		if p.list.WantsMore() {
			return p.load(len(p.rows)), true
		}
	default:
		return nil, false
	}
	return nil, true
}

// promptKey edits the open prompt: the filter, the note, the tags, or the
// export format (tab changes it, enter writes the file).
func (p *bookmarksPage) promptKey(msg tea.KeyPressMsg) tea.Cmd {
	switch msg.String() {
	case "esc":
		p.prompt = ""
		return nil
	case "tab", "shift+tab":
		if p.prompt == "export" {
			step := 1
			if msg.String() == "shift+tab" {
				step = len(sessions.ExportFormats) - 1
			}
			p.format = (p.format + step) % len(sessions.ExportFormats)
			p.chooseTarget()
		}
		return nil
	case "backspace", "ctrl+h":
		if r := []rune(p.input); len(r) > 0 {
			p.input = string(r[:len(r)-1])
		}
	case "enter":
		return p.submit()
	default:
		if t := typed(msg); t != "" && p.prompt != "export" {
			p.input = appendInput(p.input, t)
		}
	}
	if p.prompt == "filter" {
		p.filter = p.input
		return p.load(0)
	}
	return nil
}

func (p *bookmarksPage) submit() tea.Cmd {
	prompt := p.prompt
	p.prompt = ""
	b := p.current()
	switch prompt {
	case "filter":
		p.filter = p.input
		return p.load(0)
	case "note", "tags":
		if b == nil {
			return nil
		}
		note, tags := b.Note, b.Tags
		if prompt == "note" {
			note = strings.TrimSpace(SanitizeLine(p.input))
		} else {
			tags = nil
			for _, t := range strings.Split(p.input, ",") {
				if t = strings.TrimSpace(SanitizeLine(t)); t != "" {
					tags = append(tags, t)
				}
			}
		}
		if err := p.c.marks.Edit(p.c.ctx, p.c.owner, b.ID, note, tags); err != nil {
			return errorCmd(err)
		}
		return p.load(0)
	case "export":
		return p.export()
	}
	return nil
}

// exportPath is where e writes: the home folder, named by the format,
// with -2, -3 … added when that name is taken, so that an export never
// replaces a file.
func exportPath(format string) string {
	ext := exportExt(format)
	home, err := os.UserHomeDir()
	if err != nil {
		home = "."
	}
	path := filepath.Join(home, ExportFileName(format))
	for n := 2; n < 1000; n++ {
		if _, err := os.Lstat(path); errors.Is(err, fs.ErrNotExist) {
			break
		}
		path = filepath.Join(home, fmt.Sprintf("kurultai-bookmarks-%d.%s", n, ext))
	}
	return path
}

// exportExt is the file name extension of an export format.
func exportExt(format string) string {
	return map[string]string{"md": "md", "json": "json", "csv": "csv", "csl-json": "csl.json", "bibtex": "bib", "ris": "ris"}[format]
}

// ExportFileName is the name an export in format is given when only a
// folder is named for it, here and by kurultai export -o DIR, so that
// both name the same export alike.
func ExportFileName(format string) string { return "kurultai-bookmarks." + exportExt(format) }

// chooseTarget picks the file the export prompt offers, once, not in
// every frame; a host that writes no files (exportHint) has none.
func (p *bookmarksPage) chooseTarget() {
	p.target = ""
	if p.c.exportHint == nil {
		p.target = exportPath(sessions.ExportFormats[p.format])
	}
}

func (p *bookmarksPage) export() tea.Cmd {
	c, format, text := p.c, sessions.ExportFormats[p.format], p.filter
	if c.exportHint != nil {
		return func() tea.Msg { return statusMsg{text: c.exportHint(format)} }
	}
	path := p.target
	// The status line holds the message beside this page's own status;
	// the room left is measured now, on the UI's side.
	room := p.width - ansi.StringWidth(p.Status()) - 1
	return func() tea.Msg {
		// Everything the filter keeps, whole, not only the pages loaded.
		shown, err := c.marks.List(c.ctx, c.owner, data.BookmarkFilter{Text: text})
		var passages []sessions.Passage
		if err == nil {
			passages, err = c.archive().Cite(c.ctx, shown, "")
		}
		if err == nil {
			err = sessions.WriteFileAtomic(path, func(w io.Writer) error {
				return sessions.WritePassages(w, format, "", passages)
			})
		}
		if err != nil {
			return statusMsg{text: c.tr.T("cannot export: %s (nothing was written)", plainError(c.tr, err)), err: true}
		}
		return statusMsg{text: exportedTextIn(c.tr, len(passages), SanitizeLine(path), room)}
	}
}

// exportedTextIn says where an export went in room columns, in the
// printer's language. The path is what the reader needs to find the
// file, so words give way first, then the middle of the folder; the file
// name is kept whole.
func exportedTextIn(tr *i18n.Printer, n int, path string, room int) string {
	return exportedLine(tr.T("Exported %d passages to ", n), tr.T("Exported to "), path, room)
}

func exportedLine(long, short, path string, room int) string {
	for _, lead := range []string{long, short, ""} {
		if ansi.StringWidth(lead+path) <= room {
			return lead + path
		}
	}
	// Shortened, the count is the first to go, so that the folder keeps
	// as much of itself as it can.
	for _, lead := range []string{short, ""} {
		if short, ok := shortenPath(path, room-ansi.StringWidth(lead), minFolder); ok {
			return lead + short
		}
	}
	if short, ok := shortenPath(path, room, 0); ok {
		return short
	}
	// Narrower than …/name: the name alone, which the root cuts if need be.
	return filepath.Base(path)
}

// minFolder is how much of the folder a shortened path keeps before the
// words beside it give way too.
const minFolder = 16

// shortenPath fits path into w columns by putting … in place of the
// middle of its folder, keeping the start of the folder, its end and the
// file name whole. It reports false when less than least columns of the
// folder, or not even …/name, would fit.
func shortenPath(path string, w, least int) (string, bool) {
	dir, name := filepath.Split(path)
	// dir ends in the separator, which stays beside the file name.
	keep := w - ansi.StringWidth(name) - 1 // 1 for …
	if dir == "" || keep < max(least, 1) {
		return "", false
	}
	dirW := ansi.StringWidth(dir)
	head := keep / 2
	tail := keep - head
	return ansi.Truncate(dir, head, "") + "…" + ansi.TruncateLeft(dir, dirW-tail, "") + name, true
}

func (p *bookmarksPage) View() string {
	if p.err != nil {
		return p.c.styles.Error.Render(ansi.Truncate(" "+plainError(p.c.tr, p.err), p.width, "…"))
	}
	return p.list.View()
}

func (p *bookmarksPage) SetSize(w, h int) tea.Cmd {
	p.width, p.height = w, h
	p.list.SetSize(w, h)
	return nil
}

func (p *bookmarksPage) Screen() string { return screenBookmarks }

func (p *bookmarksPage) Title() string { return p.c.tr.T("Bookmarks") }

func (p *bookmarksPage) Status() string {
	n := p.c.tr.T("%d of %d bookmarks", p.total, p.count)
	if p.filter != "" {
		n += " · " + p.c.tr.T("filter: ") + SanitizeLine(p.filter)
	}
	return n
}

func (p *bookmarksPage) Prompt() (string, bool) {
	st, tr := p.c.styles, p.c.tr
	switch p.prompt {
	case "":
		return "", false
	case "export":
		var opts []string
		for i, f := range sessions.ExportFormats {
			if i == p.format {
				f = st.Selected.Render(f)
			}
			opts = append(opts, f)
		}
		enter := tr.T("enter: write %s", SanitizeLine(p.target))
		if p.target == "" {
			enter = tr.T("enter: how to export")
		}
		line := st.Input.Render(tr.T("export as ")) + strings.Join(opts, " ") + st.Dim.Render("  "+tr.T("tab: another · %s", enter))
		if ansi.StringWidth(line) > p.width {
			// Narrow: the format chosen alone, so that the path still
			// shows; a path longer than the room left loses the middle
			// of its folder, never its file name.
			lead := st.Input.Render(tr.T("export as ")) + opts[p.format] + st.Dim.Render(" · "+tr.T("tab: another · %s", tr.T("enter: write %s", "")))
			path := SanitizeLine(p.target)
			if room := p.width - ansi.StringWidth(lead); p.target != "" && ansi.StringWidth(path) > room {
				if short, ok := shortenPath(path, room, 0); ok {
					path = short
				}
			}
			line = lead + st.Dim.Render(path)
			if p.target == "" {
				line = st.Input.Render(tr.T("export as ")) + opts[p.format] + st.Dim.Render(" · "+tr.T("tab: another · %s", enter))
			}
		}
		return line, true
	}
	label := map[string]string{"filter": tr.T("filter"), "note": tr.T("note"), "tags": tr.T("tags")}[p.prompt]
	return st.Input.Render(label+": ") + p.input + "█", true
}

func (p *bookmarksPage) Capturing() bool { return p.prompt != "" }

func (p *bookmarksPage) ShortHelp() []key.Binding {
	k := p.c.keys
	return []key.Binding{k.Up, k.Down, k.Open, k.BookmarkFilter, k.BookmarkNote, k.BookmarkTags, k.BookmarkDelete, k.BookmarkExport, k.Back}
}

func (p *bookmarksPage) FullHelp() [][]key.Binding {
	k := p.c.keys
	return [][]key.Binding{{k.Up, k.Down, k.PageUp, k.PageDown, k.Open},
		{k.BookmarkFilter, k.BookmarkNote, k.BookmarkTags, k.BookmarkDelete, k.BookmarkUndo, k.BookmarkExport}}
}

func (p *bookmarksPage) ThemeChanged() tea.Cmd { return nil }
