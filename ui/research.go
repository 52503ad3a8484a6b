package ui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/x/ansi"

	"kurultai/data"
	"kurultai/ui/i18n"
)

// Width is how many cells s takes on a terminal.
func Width(s string) int { return ansi.StringWidth(s) }

// Truncate cuts s to width cells, with "…" where it cut.
func Truncate(s string, width int) string { return truncate(s, width) }

// PadRight fills s with spaces to width cells.
func PadRight(s string, width int) string {
	if n := Width(s); n < width {
		return s + strings.Repeat(" ", width-n)
	}
	return s
}

// PadLeft puts spaces before s to width cells.
func PadLeft(s string, width int) string {
	if n := Width(s); n < width {
		return strings.Repeat(" ", width-n) + s
	}
	return s
}

// truncateLeft cuts s to its last width cells, with "…" before.
func truncateLeft(s string, width int) string {
	if Width(s) <= width {
		return s
	}
	if width <= 1 {
		return strings.Repeat("…", max(width, 0))
	}
	r := []rune(s)
	for i := range r {
		if rest := string(r[i:]); Width(rest) <= width-1 {
			return "…" + rest
		}
	}
	return "…"
}

// kwicColumns divides width between a concordance line's left context,
// its match and its right context: the match in the middle column, its
// start at the same place on every line.
func kwicColumns(width int) (left, match, right int) {
	width = max(width, 20)
	match = min(24, max(8, width/5))
	left = (width - match - 2) / 2
	right = width - match - 2 - left
	return left, match, right
}

// KwicLine is a concordance line as text, sanitised, in width cells: the
// left context right-aligned, the match, the right context.
func KwicLine(l data.KwicLine, width int) string {
	left, match, right := kwicCells(l, width)
	return strings.TrimRight(left+match+right, " ")
}

// kwicCells lays out a concordance line in width cells: the left context
// right-aligned so that every match starts in the same column, with the
// space the text has between them (none before 's or after a quote).
func kwicCells(l data.KwicLine, width int) (left, match, right string) {
	lw, mw, rw := kwicColumns(width)
	sep := func(s string, atEnd bool) string {
		if atEnd && strings.HasSuffix(s, " ") || !atEnd && strings.HasPrefix(s, " ") {
			return " "
		}
		return ""
	}
	left = truncateLeft(SanitizeLine(strings.TrimSpace(l.Left)), lw) + sep(l.Left, true)
	match = truncate(SanitizeLine(l.Match), mw)
	right = sep(l.Right, false) + truncate(SanitizeLine(strings.TrimSpace(l.Right)), rw)
	return PadLeft(left, lw+1), match, right
}

// The rows of keywords and collocates, as the screens and kurultai
// keywords and collocates print them.

const keywordWordW = 24

// KeywordHeader names the columns of KeywordRow.
func KeywordHeader(tr *i18n.Printer) string {
	return PadRight(tr.T("word"), keywordWordW) + PadLeft(tr.T("focus"), 10) + PadLeft(tr.T("reference"), 12) + PadLeft("LL", 11) + PadLeft(tr.T("ratio"), 9)
}

// KeywordRow is a keyword on a line: the word, its occurrences in the
// focus and the reference, log-likelihood and the simple-maths ratio.
func KeywordRow(r data.KeywordRow) string {
	return PadRight(Truncate(SanitizeLine(r.Word), keywordWordW-1), keywordWordW) + PadLeft(Thousands(r.Focus), 10) +
		PadLeft(Thousands(r.Reference), 12) + PadLeft(fmt.Sprintf("%.2f", r.LL), 11) + PadLeft(fmt.Sprintf("%.2f", r.Ratio), 9)
}

// KeywordsHeading says what a keyword list compares.
func KeywordsHeading(tr *i18n.Printer, k *data.Keywords, focus, reference string) string {
	ref := tr.T("the rest of the archive")
	if !k.Rest {
		ref = "«" + SanitizeLine(reference) + "»"
	}
	by := tr.T("by log-likelihood")
	if k.Sort != "ll" {
		by = tr.T("by ratio")
	}
	return tr.T("Keywords of «%s» (%s) against %s (%s): %s, %s", SanitizeLine(focus), tr.T("%d words", k.FocusWords),
		ref, tr.T("%d words", k.ReferenceWords), tr.T("%d words", len(k.Rows)), by)
}

// CollocateHeader names the columns of CollocateRow.
func CollocateHeader(tr *i18n.Printer) string {
	return PadRight(tr.T("word"), keywordWordW) + PadLeft(tr.T("near"), 9) + PadLeft(tr.T("in all"), 12) + PadLeft("logDice", 9) + PadLeft("MI", 8)
}

// CollocateRow is a collocate on a line: the word, its occurrences in
// the window and in the part searched, logDice and MI.
func CollocateRow(r data.CollocateRow) string {
	return PadRight(Truncate(SanitizeLine(r.Word), keywordWordW-1), keywordWordW) + PadLeft(Thousands(r.Freq), 9) +
		PadLeft(Thousands(r.Total), 12) + PadLeft(fmt.Sprintf("%.2f", r.LogDice), 9) + PadLeft(fmt.Sprintf("%.2f", r.MI), 8)
}

// CollocatesHeading says what a collocation list counted.
func CollocatesHeading(tr *i18n.Printer, co *data.Collocates, query string) string {
	return tr.T("Collocates of «%s», %d words either side: %s near %s, in %s", SanitizeLine(query), co.Window,
		tr.T("%d words", len(co.Rows)), tr.T("%d matches", co.Node), tr.T("%d words", co.Words))
}
