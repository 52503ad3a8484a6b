package ui

import (
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"kurultai/data"
)

// listView is a windowed list: it keeps the rows that have been loaded and
// draws only those on screen. Screens load rows in pages and append them.
type listView struct {
	c       *common
	rows    []string           // sanitised, one line each
	rowFn   func(i int) string // instead of rows: makes row i when it is drawn
	n       int                // rows there are, with rowFn
	cursor  int
	offset  int
	height  int
	width   int
	more    bool // more rows can be loaded after the last
	loading bool
	// marked says rows may hold matches between data.MarkStart and
	// data.MarkEnd, which are drawn in the match colours.
	marked bool
	empty  string
	// drawn keeps rows as drawn at drawnW cells (cut to the width, the
	// selected one padded): a frame only joins them, and moving the
	// cursor draws two rows again, not the screen.
	drawn   map[int]string
	drawnW  int
	drawnSt *Styles
}

// SetSize sets the list's width and height in cells.
func (l *listView) SetSize(w, h int) {
	l.width, l.height = max(w, 0), max(h, 0)
	l.fix()
}

// SetRows replaces the rows, keeping the cursor where it can.
func (l *listView) SetRows(rows []string, more bool) {
	l.rows, l.rowFn, l.n, l.more = rows, nil, len(rows), more
	l.drawn = nil
	l.fix()
}

// SetRowFunc gives the list n rows that fn makes as they come on screen,
// for lists too long to format whole.
func (l *listView) SetRowFunc(n int, fn func(i int) string) {
	l.rows, l.rowFn, l.n, l.more = nil, fn, n, false
	l.drawn = nil
	l.fix()
}

func (l *listView) row(i int) string {
	if l.rowFn != nil {
		return l.rowFn(i)
	}
	return l.rows[i]
}

// AppendRows adds a page of rows at the end.
func (l *listView) AppendRows(rows []string, more bool) {
	l.rows, l.more = append(l.rows, rows...), more
	l.n = len(l.rows)
	l.drawn = nil
	l.fix()
}

func (l *listView) fix() {
	l.cursor = max(0, min(l.cursor, l.n-1))
	if l.cursor < l.offset {
		l.offset = l.cursor
	}
	if l.height > 0 && l.cursor >= l.offset+l.height {
		l.offset = l.cursor - l.height + 1
	}
	l.offset = max(0, min(l.offset, l.n-l.height))
}

// Update moves the cursor with arrows, paging keys and the mouse wheel;
// with letters, j, k, g and G move it too (for lists where typing does not
// filter). It reports whether it used the message.
func (l *listView) Update(msg tea.Msg, letters bool) bool {
	k := l.c.keys
	switch msg := msg.(type) {
	case tea.MouseWheelMsg:
		switch msg.Button {
		case tea.MouseWheelUp:
			l.cursor -= 3
		case tea.MouseWheelDown:
			l.cursor += 3
		}
	case tea.KeyPressMsg:
		switch {
		case key.Matches(msg, k.Down), letters && key.Matches(msg, k.VimDown):
			l.cursor++
		case key.Matches(msg, k.Up), letters && key.Matches(msg, k.VimUp):
			l.cursor--
		case key.Matches(msg, k.PageDown):
			l.cursor += max(1, l.height-1)
		case key.Matches(msg, k.PageUp):
			l.cursor -= max(1, l.height-1)
		case key.Matches(msg, k.Home), letters && key.Matches(msg, k.VimTop):
			l.cursor = 0
		case key.Matches(msg, k.End), letters && key.Matches(msg, k.VimBottom):
			l.cursor = l.n - 1
		default:
			return false
		}
	default:
		return false
	}
	l.fix()
	return true
}

// WantsMore reports whether the cursor is near the end of what is loaded
// and more rows exist: time to load the next page.
func (l *listView) WantsMore() bool {
	return l.more && !l.loading && l.cursor >= l.n-max(l.height, 20)
}

// View draws the visible rows, the selected one highlighted.
func (l *listView) View() string {
	if l.height <= 0 || l.width <= 0 {
		return ""
	}
	st := l.c.styles
	out := make([]string, 0, l.height)
	if l.n == 0 {
		msg := l.empty
		if l.loading {
			msg = l.c.tr.T("Loading…")
		}
		out = append(out, st.Dim.Render(ansi.Truncate(" "+msg, l.width, "…")))
	}
	if l.drawnW != l.width || l.drawnSt != st || l.drawn == nil {
		l.drawn, l.drawnW, l.drawnSt = map[int]string{}, l.width, st
	}
	for i := l.offset; i < l.n && len(out) < l.height; i++ {
		// Keys are rows, the selected one negative.
		k := i
		if i == l.cursor {
			k = -1 - i
		}
		row, ok := l.drawn[k]
		switch {
		case ok:
		case l.marked:
			row = drawMarked(l.row(i), l.width, i == l.cursor, st)
			l.drawn[k] = row
		default:
			row = ansi.Truncate(l.row(i), l.width, "…")
			if i == l.cursor {
				row = st.Selected.Render(row + strings.Repeat(" ", max(0, l.width-ansi.StringWidth(row))))
			}
			l.drawn[k] = row
		}
		out = append(out, row)
	}
	if len(l.drawn) > 4*max(l.height, 16) {
		// Rows scrolled far away are drawn again if they come back.
		clear(l.drawn)
	}
	for len(out) < l.height {
		out = append(out, "")
	}
	return strings.Join(out, "\n")
}

// drawMarked draws a row whose matches stand between data.MarkStart and
// data.MarkEnd: cut to width, the matches in the match colours (the
// current ones on the selected row), each piece styled by itself so
// that a match's end does not end the selection's background.
func drawMarked(s string, width int, selected bool, st *Styles) string {
	base, match := lipgloss.NewStyle(), st.Match
	if selected {
		base, match = st.Selected, st.MatchCurrent
	}
	var b strings.Builder
	used, in := 0, false
	for used < width {
		i := strings.IndexAny(s, data.MarkStart+data.MarkEnd)
		seg := s
		if i >= 0 {
			seg = s[:i]
		}
		if w := ansi.StringWidth(seg); used+w > width {
			seg = ansi.Truncate(seg, width-used, "…")
		}
		if seg != "" {
			if in {
				b.WriteString(match.Render(seg))
			} else {
				b.WriteString(base.Render(seg))
			}
			used += ansi.StringWidth(seg)
		}
		if i < 0 {
			break
		}
		in = strings.HasPrefix(s[i:], data.MarkStart)
		s = s[i+len(data.MarkStart):] // both marks are three bytes
	}
	if selected && used < width {
		b.WriteString(base.Render(strings.Repeat(" ", width-used)))
	}
	return b.String()
}
