package ui

import (
	"fmt"
	"sort"
	"strings"
	"unicode"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
)

// Find and links in a docView: the find prompt and its matches, and the
// selection that tab moves between links.

// findKey edits the find prompt. Matches follow each keystroke; enter keeps
// them and closes the prompt, esc drops them.
func (v *docView) findKey(msg tea.KeyPressMsg) tea.Cmd {
	switch msg.String() {
	case "enter":
		v.finding = false
		if v.query == "" {
			v.matches = nil
		}
	case "esc", "ctrl+c":
		v.finding, v.query, v.matches, v.terms = false, "", nil, nil
	case "backspace", "ctrl+h":
		if r := []rune(v.query); len(r) > 0 {
			v.query = string(r[:len(r)-1])
			v.findAll(true)
		}
	case "ctrl+u":
		v.query = ""
		v.findAll(true)
	default:
		if msg.Text != "" && !strings.ContainsAny(msg.Text, "\x1b") {
			v.query += SanitizeLine(msg.Text)
			v.findAll(true)
		}
	}
	return v.ensureRendered()
}

func (v *docView) stepLink(d int) {
	if v.link < 0 {
		// Start from the first link at or after the top of the screen.
		v.link = 0
		for i, b := range v.links {
			if v.first[b] >= v.y {
				v.link = i
				break
			}
		}
		if d < 0 {
			v.link = (v.link - 1 + len(v.links)) % len(v.links)
		}
	} else {
		v.link = (v.link + d + len(v.links)) % len(v.links)
	}
	b := v.links[v.link]
	v.reveal(v.first[b])
	// The paragraph cursor goes to the paragraph the link belongs to.
	for p := b - 1; p >= 0; p-- {
		if v.blocks[p].kind == blockPara {
			if i := sort.SearchInts(v.paras, p); i < len(v.paras) && v.paras[i] == p {
				v.cursor = i
			}
			return
		}
		if v.blocks[p].kind != blockLink {
			break
		}
	}
	v.syncCursor()
}

// SelectedLink is the link under the selection, if any.
func (v *docView) SelectedLink() (docLink, bool) {
	if v.link < 0 || v.link >= len(v.links) || !v.linkVisible() {
		return docLink{}, false
	}
	return v.blocks[v.links[v.link]].link, true
}

// linkVisible reports whether the selected link is on screen: a selection
// scrolled away is dropped, so enter never opens something unseen.
func (v *docView) linkVisible() bool {
	if v.link < 0 {
		return false
	}
	line := v.first[v.links[v.link]]
	if line < v.y || line >= v.y+v.height {
		v.link = -1
		return false
	}
	return true
}

func (v *docView) buildPlain() {
	if v.plain != nil {
		return
	}
	v.plain = make([][]rune, len(v.lines))
	for i, l := range v.lines {
		r := []rune(ansi.Strip(l))
		for j, c := range r {
			r[j] = unicode.ToLower(c)
		}
		v.plain[i] = r
	}
}

// findAll finds the query on every line, ignoring case in any script. With
// jump, the view moves to the first match at or after the top of the
// screen.
func (v *docView) findAll(jump bool) {
	// The current match is remembered by its block and its place among the
	// block's matches, which survive a new layout; line numbers do not.
	prevBlock, prevNth := -1, 0
	if v.current < len(v.matches) && !jump {
		m := v.matches[v.current]
		prevBlock = int(v.ownerOfMatch(m))
		for i := v.current - 1; i >= 0 && int(v.ownerOfMatch(v.matches[i])) == prevBlock; i-- {
			prevNth++
		}
	}
	v.matches = v.matches[:0]
	needles := v.terms
	if len(needles) == 0 {
		needles = []string{v.query}
	}
	for _, needle := range needles {
		q := []rune(strings.ToLower(needle))
		for i := range q {
			q[i] = unicode.ToLower(q[i])
		}
		if len(q) == 0 {
			continue
		}
		v.buildPlain()
		qw := 0
		for _, r := range q {
			qw += cellWidth.RuneWidth(r)
		}
		for i, line := range v.plain {
			cells, counted := 0, 0 // cells before rune number counted
			for at := 0; at+len(q) <= len(line); {
				j := indexRunes(line[at:], q)
				if j < 0 {
					break
				}
				s := at + j
				for ; counted < s; counted++ {
					cells += cellWidth.RuneWidth(line[counted])
				}
				v.matches = append(v.matches, match{i, cells, cells + qw})
				at = s + len(q)
			}
		}
	}
	if len(needles) > 1 {
		sort.Slice(v.matches, func(a, b int) bool {
			ma, mb := v.matches[a], v.matches[b]
			return ma.line < mb.line || ma.line == mb.line && ma.start < mb.start
		})
		// Overlapping matches of different words keep the first.
		kept := v.matches[:0]
		for _, m := range v.matches {
			if n := len(kept); n > 0 && kept[n-1].line == m.line && m.start < kept[n-1].end {
				continue
			}
			kept = append(kept, m)
		}
		v.matches = kept
	}
	if len(v.matches) == 0 {
		return
	}
	v.current = 0
	if prevBlock >= 0 {
		nth := 0
		for i, m := range v.matches {
			if b := int(v.ownerOfMatch(m)); b == prevBlock {
				v.current = i
				if nth == prevNth {
					break
				}
				nth++
			} else if b > prevBlock {
				if nth == 0 {
					v.current = i
				}
				break
			}
		}
		return
	}
	for i, m := range v.matches {
		if m.line >= v.y {
			v.current = i
			break
		}
	}
	if jump && len(v.matches) > 0 {
		v.showMatch()
	}
}

func (v *docView) ownerOfMatch(m match) int32 {
	if m.line < len(v.owner) {
		return v.owner[m.line]
	}
	return -1
}

func indexRunes(s, sub []rune) int {
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i] != sub[0] {
			continue
		}
		ok := true
		for j := 1; j < len(sub); j++ {
			if s[i+j] != sub[j] {
				ok = false
				break
			}
		}
		if ok {
			return i
		}
	}
	return -1
}

func (v *docView) stepMatch(d int) {
	v.current = (v.current + d + len(v.matches)) % len(v.matches)
	v.showMatch()
}

// showMatch brings the current match on screen, a third of the way down,
// and puts the paragraph cursor on its paragraph.
func (v *docView) showMatch() {
	m := v.matches[v.current]
	if m.line < v.y || m.line >= v.y+v.height {
		v.y = m.line - v.height/3
		v.clampY()
	}
	b := int(v.owner[m.line])
	if i := sort.SearchInts(v.paras, b); i < len(v.paras) && v.paras[i] == b {
		v.cursor = i
	}
}

// FindPrompt is the find input line while it is open.
func (v *docView) FindPrompt() (string, bool) {
	if !v.finding {
		return "", false
	}
	count := ""
	if v.query != "" {
		count = fmt.Sprintf("  (%d)", len(v.matches))
	}
	return v.c.styles.Input.Render("find: ") + v.query + "█" + v.c.styles.Dim.Render(count), true
}
