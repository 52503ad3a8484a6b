package ui

import (
	"bytes"
	"fmt"
	"sort"
	"strings"
	"unicode/utf8"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"kurultai/data"
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
			v.query = appendInput(v.query, msg.Text)
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

// maxMatches bounds the matches find keeps, so that a letter typed into
// find on a document of many megabytes does not hold millions of them.
const maxMatches = 100_000

// foldLine appends a screen line to buf as find reads it: without
// styling, in lower case in any script, and without the accents a search
// folds (data.FoldRune): ευχαριστω finds Ευχαριστώ, все finds всё. Find
// folds each line into the same buffer as it goes, rather than keeping a
// folded copy of the document, which took four bytes a letter.
func foldLine(buf []byte, l string) []byte {
	if strings.IndexByte(l, 0x1b) >= 0 {
		l = ansi.Strip(l)
	}
	for i := 0; i < len(l); {
		c := l[i]
		switch {
		case c < utf8.RuneSelf:
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			buf = append(buf, c)
			i++
		case c >= 0xc2 && c < 0xe0 && i+1 < len(l) && l[i+1]&0xc0 == 0x80:
			// Two bytes: Latin letters with marks, Greek, Cyrillic.
			if r := data.FoldRune(rune(c&0x1f)<<6 | rune(l[i+1]&0x3f)); r >= 0x80 && r < 0x800 {
				buf = append(buf, 0xc0|byte(r>>6), 0x80|byte(r&0x3f))
			} else {
				buf = utf8.AppendRune(buf, r)
			}
			i += 2
		default:
			r, n := utf8.DecodeRuneInString(l[i:])
			buf = utf8.AppendRune(buf, data.FoldRune(r))
			i += n
		}
	}
	return buf
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
	v.matches, v.capped = v.matches[:0], false
	switch {
	case len(v.terms) > 0:
		v.findWords(v.terms)
	case v.query != "":
		v.findText(v.query)
		if keys := data.FindKeyTerms(v.query); v.kazakh && len(keys) > 0 && !v.capped {
			v.findWords(keys)
			sort.Slice(v.matches, func(a, b int) bool {
				ma, mb := v.matches[a], v.matches[b]
				return ma.line < mb.line || ma.line == mb.line && ma.start < mb.start
			})
			// Overlapping matches keep the first.
			kept := v.matches[:0]
			for _, m := range v.matches {
				if n := len(kept); n > 0 && kept[n-1].line == m.line && m.start < kept[n-1].end {
					continue
				}
				kept = append(kept, m)
			}
			v.matches = kept
		}
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

// findText finds what is typed on every line, as a search folds it: in
// any case, and without the accents the search folds.
func (v *docView) findText(needle string) {
	qb := foldLine(nil, needle)
	if len(qb) == 0 {
		return
	}
	qw := 0
	for _, r := range string(qb) {
		qw += runeCells(r)
	}
	var line []byte
	for i, l := range v.lines {
		line = foldLine(line[:0], l)
		cells, counted := 0, 0 // cells before byte counted
		for at := 0; at+len(qb) <= len(line); {
			j := bytes.Index(line[at:], qb)
			if j < 0 {
				break
			}
			if len(v.matches) == maxMatches {
				v.capped = true
				return
			}
			s := at + j
			for _, r := range string(line[counted:s]) {
				cells += runeCells(r)
			}
			counted = s
			v.matches = append(v.matches, match{i, cells, cells + qw})
			at = s + len(qb)
		}
	}
}

// findWords finds the words that terms match on every line, as a search
// matches them: a search's words, or the Kazakh keys of what is typed.
func (v *docView) findWords(terms []data.Term) {
	for i, l := range v.lines {
		if strings.IndexByte(l, 0x1b) >= 0 {
			l = ansi.Strip(l)
		}
		cells, counted := 0, 0
		data.EachMatch(l, terms, v.kazakh, func(s, e int) bool {
			if len(v.matches) == maxMatches {
				v.capped = true
				return false
			}
			for _, r := range l[counted:s] {
				cells += runeCells(r)
			}
			start := cells
			for _, r := range l[s:e] {
				cells += runeCells(r)
			}
			counted = e
			v.matches = append(v.matches, match{i, start, cells})
			return true
		})
		if v.capped {
			return
		}
	}
}

func (v *docView) ownerOfMatch(m match) int32 {
	if m.line < len(v.owner) {
		return v.owner[m.line]
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
		count = fmt.Sprintf("  (%s)", v.matchCount())
	}
	return v.c.styles.Input.Render(v.c.tr.T("find: ")) + v.query + "█" + v.c.styles.Dim.Render(count), true
}

// matchCount is the number of matches, with a + when find stopped
// counting at maxMatches.
func (v *docView) matchCount() string {
	if v.capped {
		return fmt.Sprintf("%d+", len(v.matches))
	}
	return fmt.Sprint(len(v.matches))
}
