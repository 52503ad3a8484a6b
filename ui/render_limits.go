package ui

import (
	"strings"

	"kurultai/ui/i18n"
)

// Limits on what glamour is given. glamour's time grows faster than its
// input for several shapes of Markdown. Measured for one block at width
// 500: 32 nested list levels take 0.44 s and 400 do not finish; 256
// headings take 93 ms; a link, image, autolink or nested emphasis costs
// 5 to 25 µs; a line of a list, quote, table, code or heading costs up to
// 0.05 µs for every cell of the width plus 80, times its load (below). A
// block past any limit is shown as plain wrapped text
// under a note instead: every word is still shown and found, and no block
// renders for longer than about 15 ms at any width (BenchmarkRenderAtLimits
// renders the largest block of each hostile shape that still goes to
// glamour).
const (
	// maxStyledBytes: prose renders at about 0.3 µs a byte, so a block at
	// the limit takes about 5 ms. A paragraph of a speech is rarely a
	// tenth of this.
	maxStyledBytes = 16 << 10
	// maxStyledMarks bounds inline Markdown (emphasis, code, links,
	// images, tables, HTML, autolinks): about 5 ms in all.
	maxStyledMarks = 256
	// maxStyledDepth bounds the nesting of quotes, lists and definitions
	// at the start of a line. Archive text nests two or three levels.
	maxStyledDepth = 8
	// maxStyledLoad bounds the structure of a block: the sum of its lines'
	// loads times (width + loadCells) stays under it, about 12 ms. At
	// width 500 that is 25 headings, 6 items of a list or 400 lines of
	// prose; at width 100, 83 headings or 20 items of a list.
	maxStyledLoad = 240_000
	loadCells     = 80
)

// Load of one line, in units: a line of prose costs 1; a line that is a
// list item, quote, heading, table row, code or HTML costs 16 × (1+depth)²,
// since glamour pads every such line to the width once per level.
const (
	proseLoad = 1
	blockLoad = 16
)

// blockShape is what the limits look at in a block of Markdown. It is
// measured once per block, in one pass, and does not depend on the width.
type blockShape struct {
	bytes int
	marks int   // bytes that open inline markup, and autolinks
	depth int   // deepest nesting of quotes and lists at a line's start
	load  int64 // sum of the lines' loads, saturating
}

// measureShape scans a block of Markdown once.
func measureShape(md string) blockShape {
	s := blockShape{bytes: len(md)}
	fence := false
	for start := 0; start < len(md); {
		end := strings.IndexByte(md[start:], '\n')
		if end < 0 {
			end = len(md)
		} else {
			end += start
		}
		line := md[start:end]
		start = end + 1
		depth, block, isFence := lineDepth(line)
		if isFence {
			fence = !fence
		}
		s.depth = max(s.depth, depth)
		switch {
		case strings.TrimSpace(line) == "":
		case block || fence || isFence || depth > 0:
			d := int64(min(depth, 1<<20))
			s.load = min(s.load+blockLoad*(1+d)*(1+d), 1<<62)
		default:
			s.load += proseLoad
		}
		s.marks += countMarks(line)
	}
	return s
}

// lineDepth reads the start of a line: how many quotes, list markers and
// levels of indentation open it (two spaces count as a level, which
// overcounts some lists and so errs towards plain text), whether it is
// another kind of block line (heading, table row, setext underline,
// definition, HTML), and whether it opens or closes a code fence.
func lineDepth(line string) (depth int, block, fence bool) {
	i := 0
	for i < len(line) {
		switch c := line[i]; {
		case c == ' ':
			n := 0
			for i < len(line) && line[i] == ' ' {
				i++
				n++
			}
			depth += (n + 1) / 2
			continue
		case c == '>':
			depth++
			i = skipOneSpace(line, i+1)
			continue
		case c == '-' || c == '*' || c == '+':
			if i+1 == len(line) || line[i+1] == ' ' {
				depth++
				i = skipOneSpace(line, i+1)
				continue
			}
			if c == '-' && strings.Trim(line[i:], "- ") == "" {
				return depth, true, false // setext underline or rule
			}
		case c >= '0' && c <= '9':
			j := i
			for j < len(line) && j-i < 10 && line[j] >= '0' && line[j] <= '9' {
				j++
			}
			if j < len(line) && (line[j] == '.' || line[j] == ')') && (j+1 == len(line) || line[j+1] == ' ') {
				depth++
				i = skipOneSpace(line, j+1)
				continue
			}
		case c == ':':
			// A definition costs glamour as much as a list two deep.
			return depth + 2, true, false
		case c == '#', c == '|', c == '=', c == '<':
			return depth, true, false
		case c == '`' || c == '~':
			if strings.HasPrefix(line[i:], "```") || strings.HasPrefix(line[i:], "~~~") {
				return depth, true, true
			}
		}
		break
	}
	return depth, false, false
}

// skipOneSpace steps over the space that ends a quote or list marker.
func skipOneSpace(line string, i int) int {
	if i < len(line) && line[i] == ' ' {
		return i + 1
	}
	return i
}

// countMarks counts the bytes of a line that may open inline Markdown, and
// its autolinks (://, www., @).
func countMarks(line string) int {
	n := 0
	for i := 0; i < len(line); i++ {
		switch line[i] {
		case '*', '_', '~', '`', '[', ']', '!', '<', '|', '@', '\\', '&':
			n++
		case ':':
			if strings.HasPrefix(line[i:], "://") {
				n++
			}
		case 'w':
			if strings.HasPrefix(line[i:], "www.") {
				n++
			}
		}
	}
	return n
}

// plainNote says why a block of this shape is shown as plain text at a
// width, in words for the reader; "" when glamour may render it.
func (s blockShape) plainNote(width int) string { return s.plainNoteIn(nil, width) }

// plainNoteIn is plainNote in the printer's language.
func (s blockShape) plainNoteIn(tr *i18n.Printer, width int) string {
	switch {
	case s.bytes > maxStyledBytes:
		return tr.T("(shown as plain text: this paragraph is %s, more than the %s rendered with styling)",
			byteSize(tr, s.bytes), byteSize(tr, maxStyledBytes))
	case s.depth > maxStyledDepth:
		return tr.T("(shown as plain text: this paragraph nests %d levels deep, more than the %d rendered with styling)",
			s.depth, maxStyledDepth)
	case s.marks > maxStyledMarks:
		return tr.T("(shown as plain text: this paragraph has %d Markdown marks such as * _ [ ] `, more than the %d rendered with styling)",
			s.marks, maxStyledMarks)
	case s.load > maxStyledLoad/int64(max(width, 0)+loadCells):
		return tr.T("(shown as plain text: this paragraph has more lists, quotes, tables or headings than are rendered with styling at %d columns)",
			width)
	}
	return ""
}

// byteSize writes a size in bytes as people read it: 3.1 MB, 32 KB, 900 bytes.
func byteSize(tr *i18n.Printer, n int) string {
	switch {
	case n >= 1<<20:
		return tr.T("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return tr.T("%d KB", n>>10)
	}
	return tr.T("%d bytes", n)
}
