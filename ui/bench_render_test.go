package ui

import (
	"fmt"
	"strings"
	"testing"
)

// BenchmarkWrapLongWord wraps a paragraph that is one word without spaces
// at width 500, in Latin and in Cyrillic letters: the plain layout of a
// hostile paragraph. The time per byte must stay the same from 1 MB to
// 8 MB.
func BenchmarkWrapLongWord(b *testing.B) {
	for _, size := range []struct {
		name string
		n    int
	}{{"1MB", 1 << 20}, {"3MB", 3 << 20}, {"8MB", 8 << 20}} {
		for _, script := range []struct{ name, letter string }{{"latin", "x"}, {"cyrillic", "ж"}} {
			word := strings.Repeat(script.letter, size.n/len(script.letter))
			b.Run(script.name+"-"+size.name, func(b *testing.B) {
				b.SetBytes(int64(len(word)))
				for b.Loop() {
					wrapPlain(word, 500)
				}
			})
		}
	}
}

// BenchmarkRenderHostileBlock renders one block of hostile Markdown: 400
// nested blockquotes, 400 nested list items, and a 3 MB paragraph without
// spaces; as show prints to a pipe (ASCII, width 80) and as the reader
// draws at the largest terminal the server allows (dark, width 500).
func BenchmarkRenderHostileBlock(b *testing.B) {
	for _, c := range []struct{ name, md string }{
		{"quote400", strings.Repeat(">", 400) + " x"},
		{"list400", strings.Repeat("- ", 400) + "x"},
		{"word3MB", strings.Repeat("x", 3<<20)},
	} {
		for _, at := range []struct {
			theme string
			width int
		}{{ThemeASCII, 80}, {ThemeDark, 500}} {
			b.Run(fmt.Sprintf("%s-%s%d", c.name, at.theme, at.width), func(b *testing.B) {
				r, err := newMarkdownRenderer(NewTheme(at.theme), at.width)
				if err != nil {
					b.Fatal(err)
				}
				b.SetBytes(int64(len(c.md)))
				for b.Loop() {
					r.render(c.md)
				}
			})
		}
	}
}

// hostileShapes are shapes of Markdown that glamour renders in more than
// linear time or with a large output, each made from a count n.
var hostileShapes = []struct {
	name string
	make func(n int) string
}{
	{"prose", func(n int) string { return strings.Repeat("word ", n) }},
	{"prose-cyrillic", func(n int) string { return strings.Repeat("сөз ", n) }},
	{"long-word", func(n int) string { return strings.Repeat("x", n) }},
	{"soft-lines", func(n int) string { return strings.Repeat("a\n", n) }},
	{"hard-breaks", func(n int) string { return strings.Repeat("a  \n", n) }},
	{"emphasis", func(n int) string { return strings.Repeat("*a* ", n) }},
	{"nested-emphasis", func(n int) string { return strings.Repeat("**", n) + "x" + strings.Repeat("**", n) }},
	{"links", func(n int) string { return strings.Repeat("[a](b) ", n) }},
	{"images", func(n int) string { return strings.Repeat("![a](b) ", n) }},
	{"reference-links", func(n int) string {
		var b strings.Builder
		for i := range n {
			fmt.Fprintf(&b, "[r%d] ", i)
		}
		for i := range n {
			fmt.Fprintf(&b, "\n[r%d]: http://x/%d", i, i)
		}
		return b.String()
	}},
	{"open-brackets", func(n int) string { return strings.Repeat("[", n) }},
	{"code-spans", func(n int) string { return strings.Repeat("`a` ", n) }},
	{"autolinks", func(n int) string { return strings.Repeat("http://a.bc ", n) }},
	{"emails", func(n int) string { return strings.Repeat("a@b.cd ", n) }},
	{"html", func(n int) string { return strings.Repeat("<div>", n) }},
	{"table-rows", func(n int) string { return "|a|b|\n|-|-|\n" + strings.Repeat("|x|y|\n", n) }},
	{"table-columns", func(n int) string { return "|" + strings.Repeat("a|", n) + "\n|" + strings.Repeat("-|", n) }},
	{"list-items", func(n int) string { return strings.Repeat("- a\n", n) }},
	{"task-items", func(n int) string { return strings.Repeat("- [ ] a\n", n) }},
	{"headings", func(n int) string { return strings.Repeat("# a\n", n) }},
	{"setext-headings", func(n int) string { return strings.Repeat("a\n=\n", n) }},
	{"definitions", func(n int) string { return strings.Repeat("term\n: definition\n", n) }},
	{"fenced-code", func(n int) string { return "```go\n" + strings.Repeat("x := 1\n", n) + "```" }},
	{"indented-code", func(n int) string { return strings.Repeat("    code\n", n) }},
	{"quote-depth", func(n int) string { return strings.Repeat(">", n) + " x" }},
	{"list-depth", func(n int) string { return strings.Repeat("- ", n) + "x" }},
	{"quote-list-depth", func(n int) string { return strings.Repeat("> - ", n) + "x" }},
	{"nested-list-lines", func(n int) string {
		var b strings.Builder
		for i := range n {
			b.WriteString(strings.Repeat("  ", i) + "- x\n")
		}
		return b.String()
	}},
	{"nested-quote-lines", func(n int) string {
		var b strings.Builder
		for i := 1; i <= n; i++ {
			b.WriteString(strings.Repeat(">", i) + " x\n")
		}
		return b.String()
	}},
	{"deep-list-items", func(n int) string { return strings.Repeat("- - - - a\n", n) }},
	{"everything", func(n int) string {
		// Structure, marks and bytes each near their limit at once.
		return strings.Repeat("- *a* [b](c) ![d](e) a@b.cd\n", n) + strings.Repeat("word ", 2500)
	}},
}

// atLimit is the largest count for which shape still goes to glamour at
// width, found by doubling then halving.
func atLimit(make func(int) string, width int) int {
	ok := func(n int) bool { return measureShape(make(n)).plainNote(width) == "" }
	hi := 1
	for ok(hi) && hi < 1<<24 {
		hi *= 2
	}
	lo := hi / 2
	for lo+1 < hi {
		if mid := (lo + hi) / 2; ok(mid) {
			lo = mid
		} else {
			hi = mid
		}
	}
	return lo
}

// BenchmarkRenderAtLimits renders, for each hostile shape, the largest
// block that still goes to glamour, at the widths of a small terminal and
// of the largest the server allows: the worst time one block can take.
// It reports the size of the input and of glamour's output.
func BenchmarkRenderAtLimits(b *testing.B) {
	for _, width := range []int{80, 500} {
		for _, s := range hostileShapes {
			n := atLimit(s.make, width)
			md := s.make(n)
			b.Run(fmt.Sprintf("%s-w%d", s.name, width), func(b *testing.B) {
				r, err := newMarkdownRenderer(NewTheme(ThemeDark), width)
				if err != nil {
					b.Fatal(err)
				}
				var out []string
				for b.Loop() {
					out = r.render(md)
				}
				if strings.Contains(out[0], "shown as plain text") {
					b.Fatalf("%s at %d went to plain text", s.name, n)
				}
				b.ReportMetric(float64(len(md)), "in-bytes")
				b.ReportMetric(float64(linesBytes(out)), "out-bytes")
			})
		}
	}
}

// linesBytes is what lines cost in memory: their text and their headers.
func linesBytes(lines []string) int {
	n := 24
	for _, l := range lines {
		n += len(l) + 16
	}
	return n
}
