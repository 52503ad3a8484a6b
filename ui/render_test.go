package ui

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"kurultai/sessions"
)

// settle runs a command and everything that follows from it, as Bubble Tea
// would, waiting for slow commands (the load of a huge document under the
// race detector) up to 30 s.
func settle(t testing.TB, m *Model, cmd tea.Cmd) {
	t.Helper()
	(&driver{t: t, m: m, wait: 30 * time.Second}).run(cmd)
}

// send gives the model a message and settles what follows.
func send(t testing.TB, m *Model, msg tea.Msg) {
	t.Helper()
	settle(t, m, func() tea.Msg { return msg })
}

// speechOf is a session holding one speech, id/s, of the given paragraphs.
func speechOf(id string, paras ...string) sessions.Session {
	s := sessions.Session{ID: id, Body: "Test", Number: 1, Date: "2024-01-01", Title: "Test session " + id, Language: "en",
		Speeches: []sessions.Speech{{ID: id + "/s", SessionID: id, Order: 1, Title: "Speech", Language: "kk",
			Speaker: sessions.Speaker{ID: "x", Name: "Speaker"}}}}
	for i, p := range paras {
		s.Speeches[0].Paragraphs = append(s.Speeches[0].Paragraphs, sessions.Paragraph{Number: i + 1, Text: p})
	}
	return s
}

// openModel opens the first session's speech in a new model at a size,
// as an SSH session with a render cache of cacheBytes would.
func openModel(t testing.TB, ctx context.Context, w, h, cacheBytes int, all ...sessions.Session) (*Model, *docView) {
	t.Helper()
	m := New(ctx, archiveWith(t, all...), Options{Theme: ThemeDark, CacheBytes: cacheBytes})
	send(t, m, tea.WindowSizeMsg{Width: w, Height: h})
	return m, openSpeech(t, m, all[0].ID+"/s")
}

// openSpeech opens a speech over what the model shows.
func openSpeech(t testing.TB, m *Model, id string) *docView {
	t.Helper()
	send(t, m, openDocMsg{id: id})
	p, ok := m.top().(*readerPage)
	if !ok || p.view == nil {
		t.Fatal("the reader did not open")
	}
	return p.view
}

// solid is text without its spaces and styling: what must survive any
// wrapping.
func solid(s string) string { return strings.Join(strings.Fields(ansi.Strip(s)), "") }

func TestWrapLinearLongWordIsWhole(t *testing.T) {
	for _, c := range []struct {
		letter string
		cells  int
	}{{"x", 1}, {"ж", 1}, {"議", 2}} {
		word := strings.Repeat(c.letter, (3<<20)/len(c.letter))
		for _, width := range []int{3, 80, 500} {
			lines := wrapPlain(word, width)
			perLine := width / c.cells
			if want := (len(word)/len(c.letter) + perLine - 1) / perLine; len(lines) != want {
				t.Errorf("%s at %d: %d lines, want %d", c.letter, width, len(lines), want)
			}
			for i, l := range lines {
				if w := ansi.StringWidth(l); w > width {
					t.Fatalf("%s at %d: line %d is %d cells", c.letter, width, i, w)
				}
			}
			if strings.Join(lines, "") != word {
				t.Errorf("%s at %d: the lines do not make up the word", c.letter, width)
			}
		}
	}
}

// A paragraph of 60 MB without a space, the size an attack used: wrapping
// it took more than 11 minutes when each line measured the rest of the
// word again (past go test's default timeout); it is linear now.
func TestWrapLinearHugeWord(t *testing.T) {
	word := strings.Repeat("ж", 30<<20)
	lines := wrapPlain(word, 500)
	if len(lines) != (30<<20+499)/500 {
		t.Fatalf("%d lines, want %d", len(lines), (30<<20+499)/500)
	}
	if lines[0] != word[:1000] || lines[len(lines)-1] != word[len(word)-len(lines[len(lines)-1]):] {
		t.Fatal("the lines are not the word's")
	}
}

// hostileParagraphs are paragraphs that glamour cannot render in bounded
// time or memory, with the note each must be shown under.
var hostileParagraphs = []struct {
	name, md, note string
}{
	{"3 MB word", strings.Repeat("ж", 3<<19), "this paragraph is 3.0 MB, more than the 16 KB rendered with styling"},
	{"3 MB paragraph", strings.Repeat("Құрылтай отырысы reform ", 3<<20/39), "this paragraph is 3.0 MB"},
	{"5,000 nested quotes", strings.Repeat(">", 5000) + " zenith", "this paragraph nests 5,000 levels deep, more than the 8 rendered with styling"},
	{"5,000 nested lists", strings.Repeat("- ", 5000) + "zenith", "nests 5,000 levels deep"},
	{"nested list lines", nestedLines(100, "  ", "- x"), "nests 101 levels deep"},
	{"nested quote lines", nestedLines(100, ">", " x"), "nests 100 levels deep"},
	{"deep emphasis", strings.Repeat("**", 3000) + "x" + strings.Repeat("**", 3000), "has 12,000 Markdown marks"},
	{"long table", "|a|b|\n|-|-|\n" + strings.Repeat("|x|y|\n", 1000), "has 3,006 Markdown marks"},
	{"many link references", refLinks(300), "has 1,500 Markdown marks"},
	{"many headings", strings.Repeat("# a\n", 3000), "more lists, quotes, tables or headings than are rendered with styling"},
}

func nestedLines(n int, indent, line string) string {
	var b strings.Builder
	for i := range n {
		b.WriteString(strings.Repeat(indent, i+1) + line + "\n")
	}
	return b.String()
}

func refLinks(n int) string {
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, "[r%d] ", i)
	}
	for i := range n {
		fmt.Fprintf(&b, "\n[r%d]: https://example.org/%d", i, i)
	}
	return b.String()
}

// Hostile paragraphs reach glamour no more: each is shown as plain text
// under a note, whole, with the same words, by the renderer, the reader
// (where find still finds their last word) and show.
func TestRenderLimitsHostileShownPlainly(t *testing.T) {
	for _, c := range hostileParagraphs {
		t.Run("render/"+c.name, func(t *testing.T) {
			r, err := newMarkdownRenderer(NewTheme(ThemeDark), 500)
			if err != nil {
				t.Fatal(err)
			}
			lines := r.render(c.md)
			if !strings.Contains(ansi.Strip(strings.Join(lines, " ")), c.note) {
				t.Fatalf("no note %q in %.200q", c.note, ansi.Strip(lines[0]))
			}
			if text := solid(strings.Join(lines, "\n")); !strings.HasSuffix(text, solid(c.md)) {
				t.Fatal("the plain text is not the paragraph's")
			}
		})
	}
	var paras []string
	for _, c := range hostileParagraphs {
		paras = append(paras, Sanitize(c.md))
	}
	s := speechOf("h-1", append(paras, "An ordinary paragraph with *emphasis*.")...)
	m, v := openModel(t, context.Background(), 120, 40, 4<<20, s)
	// A new theme draws the notes again, and keeps the text.
	m.c.styles = NewStyles(NewTheme(ThemeLight))
	settle(t, m, v.ThemeChanged())
	for i, c := range hostileParagraphs {
		b := v.blocks[v.paras[i]]
		if !b.final || !strings.Contains(ansi.Strip(strings.Join(b.lines, " ")), c.note) {
			t.Errorf("reader, %s: not shown under its note", c.name)
		}
		if b.lines[0] != noteStyle(v.theme).Render(ansi.Strip(b.lines[0])) {
			t.Errorf("reader, %s: the note is not drawn in the new theme", c.name)
		}
		if text := solid(strings.Join(b.lines, "\n")); !strings.HasSuffix(text, solid(c.md)) {
			t.Errorf("reader, %s: the plain text is not the paragraph's", c.name)
		}
	}
	if last := v.blocks[v.paras[len(hostileParagraphs)]]; strings.Contains(strings.Join(last.lines, " "), "shown as plain text") {
		t.Error("an ordinary paragraph was shown as plain text")
	}
	v.query = "zenith"
	v.findAll(true)
	if len(v.matches) != 2 {
		t.Errorf("find: %d matches of the word that ends two hostile paragraphs, want 2", len(v.matches))
	}

	var out strings.Builder
	if err := PrintDocument(context.Background(), &out, archiveWith(t, s), "h-1/s", PrintOptions{Width: 100, Plain: true}); err != nil {
		t.Fatal(err)
	}
	text := out.String()
	for _, c := range hostileParagraphs {
		if !strings.Contains(strings.Join(strings.Fields(text), " "), c.note) {
			t.Errorf("show, %s: no note", c.name)
		}
		if !strings.Contains(solid(text), solid(c.md)) {
			t.Errorf("show, %s: words missing", c.name)
		}
	}
}

// The limits read the start of each line as goldmark would nest it, and
// leave ordinary text to glamour at every width.
func TestRenderLimitsShape(t *testing.T) {
	for _, c := range []struct {
		line  string
		depth int
		block bool
	}{
		{"plain text", 0, false},
		{"- item", 1, false},
		{"  - nested item", 2, false},
		{"> quote", 1, false},
		{">>> > - x", 5, false},
		{"1. one", 1, false},
		{"12) twelve", 1, false},
		{"2024. A year", 1, false},
		{"# heading", 0, true},
		{"| a | b |", 0, true},
		{": definition", 2, true},
		{"----", 0, true},
		{"-not a list", 0, false},
		{"*emphasis* here", 0, false},
	} {
		depth, block, _ := lineDepth(c.line)
		if depth != c.depth || block != c.block {
			t.Errorf("lineDepth(%q) = %d, %v; want %d, %v", c.line, depth, block, c.depth, c.block)
		}
	}
	ordinary := []string{
		strings.Repeat("Ұлттық құрылтай отырысы reform of the budget law. ", 100),
		"The **Status:** of the *proposal*, with a [link](https://example.org) and `code`.",
		"- one\n- two\n- three\n- four\n- five",
		"> a quoted sentence\n> and another",
		"## A heading",
	}
	for _, md := range ordinary {
		for _, width := range []int{20, 80, 200, 500} {
			if note := measureShape(md).plainNote(width); note != "" {
				t.Errorf("%.40q at %d: %s", md, width, note)
			}
		}
	}
}

// cancelWriter cancels a context when it is first written to.
type cancelWriter struct {
	cancel context.CancelFunc
	n      int
}

func (w *cancelWriter) Write(p []byte) (int, error) {
	w.cancel()
	w.n += len(p)
	return len(p), nil
}

// show stops after the block it is rendering when its context ends (an
// interrupt, or an SSH client that left), and says why.
func TestPrintDocumentCancelled(t *testing.T) {
	const block = 200 << 10
	var paras []string
	for i := range 30 {
		paras = append(paras, strings.Repeat(fmt.Sprintf("paragraph%d ", i), block/12))
	}
	db := archiveWith(t, speechOf("c-1", paras...))
	whole := &cancelWriter{cancel: func() {}}
	if err := PrintDocument(context.Background(), whole, db, "c-1/s", PrintOptions{Width: 100, Plain: true}); err != nil {
		t.Fatal(err)
	}
	if whole.n < 30*block {
		t.Fatalf("the whole document is %d bytes, less than its paragraphs", whole.n)
	}
	ctx, cancel := context.WithCancel(context.Background())
	w := &cancelWriter{cancel: cancel}
	err := PrintDocument(ctx, w, db, "c-1/s", PrintOptions{Width: 100, Plain: true})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("PrintDocument = %v, want context.Canceled", err)
	}
	if w.n > 3*block {
		t.Fatalf("%d bytes written after the context ended, more than two blocks (%d)", w.n, 2*block)
	}
}

// Over SSH a UI's render commands run on the session's context: once the
// client has left, they render nothing more.
func TestRenderCommandsStopWithTheSession(t *testing.T) {
	var paras []string
	for i := range 300 {
		paras = append(paras, fmt.Sprintf("Paragraph %d with *some* styling and a few words to wrap.", i))
	}
	ctx, cancel := context.WithCancel(context.Background())
	_, v := openModel(t, ctx, 100, 40, 4<<20, speechOf("s-1", paras...))
	cancel()
	v.y = v.maxY() / 2
	v.rendering = false
	cmd := v.ensureRendered()
	if cmd == nil {
		t.Fatal("nothing to render in the middle of the document")
	}
	if msg := cmd().(renderedMsg); len(msg.blocks) != 0 {
		t.Fatalf("%d blocks rendered after the session ended", len(msg.blocks))
	}
}

// heldOutsideCache lists the blocks of v that hold glamour's output though
// the render cache does not, outside the lines from lo to hi.
func heldOutsideCache(v *docView, lo, hi int) []int {
	var out []int
	for i := range v.held {
		if v.first[i] < hi && v.first[i]+len(v.blocks[i].lines) > lo {
			continue
		}
		if !v.c.cache.has(renderKey{v.id, i, v.blocks[i].hash, v.contentW, v.theme.Name}) {
			out = append(out, i)
		}
	}
	return out
}

// A view keeps glamour's output only for the blocks around the screen and
// those the session's render cache holds; a view under another keeps only
// what the cache holds.
func TestRenderHeldBoundedByCache(t *testing.T) {
	var paras []string
	for i := range 400 {
		paras = append(paras, strings.Repeat(fmt.Sprintf("Paragraph %d has *styled* words. ", i), 8))
	}
	m, v := openModel(t, context.Background(), 100, 40, 64<<10, speechOf("a-1", paras...), speechOf("a-2", paras...))
	for range 60 {
		send(t, m, keyMsg("pgdown"))
		if out := heldOutsideCache(v, v.y-2*v.height, v.y+3*v.height); len(out) > 0 {
			t.Fatalf("at line %d, blocks %v hold glamour's output outside the cache and far from the screen", v.y, out)
		}
	}
	if len(v.held) == 0 {
		t.Fatal("no block holds glamour's output")
	}
	// Open another document over it: its renders fill the cache.
	openSpeech(t, m, "a-2/s")
	for range 3 {
		send(t, m, keyMsg("pgdown"))
	}
	if out := heldOutsideCache(v, 0, 0); len(out) > 0 {
		t.Fatalf("the covered view holds %d blocks the cache does not", len(out))
	}
	n := -1
	for _, b := range v.blocks {
		n += len(b.lines) + 1
	}
	if n != len(v.lines) {
		t.Fatalf("the covered view was not laid out again: %d lines, its blocks have %d", len(v.lines), n)
	}
}

// Web addresses, archive ids and dates are never broken across lines: one
// that does not fit goes to the next line whole, and one longer than a line
// stands on a line of its own, wider than the rest. The words are the
// block's, in order.
func TestRenderKeepsAddressesWhole(t *testing.T) {
	long := "https://qazinform.com/news/president-tokayev-says-senate-to-continue-its-operation-until-referendum-and-elections-results-fb7fea"
	words := []string{"https://lenta.ru/news/2025/09/11/tokaev-anonsiroval-referendum/", "nk-5/p8-commission-referendum", "2025-09-11", long,
		"9,127,192", "12,482,613", "87.15%", "gov.kz", "15 March 2026"}
	md := "The source is the record-keeping of " + words[0] + " (read on " + words[2] + "), cited as " + words[1] +
		"; the first report is at " + long + ". And then the sentence carries on for a while, with a self-evident, well-known end." +
		" Preliminary count: " + words[4] + " of " + words[5] + " voters took part, and " + words[6] + " said yes (" + words[7] + "), on " + words[8] + "."
	for _, theme := range []string{ThemeDark, ThemeASCII} {
		for _, width := range []int{30, 40, 60, 80} {
			r, err := newMarkdownRenderer(NewTheme(theme), width)
			if err != nil {
				t.Fatal(err)
			}
			lines := r.render(md)
			var plain []string
			for _, l := range lines {
				plain = append(plain, ansi.Strip(l))
			}
			text := strings.Join(plain, "\n")
			for _, w := range words {
				if !strings.Contains(text, w) {
					t.Errorf("%s, width %d: %q is broken:\n%s", theme, width, w, text)
				}
			}
			// Ordinary words may still break at a hyphen: compare without spaces.
			if got, want := strings.Join(strings.Fields(text), ""), strings.Join(strings.Fields(md), ""); got != want {
				t.Errorf("%s, width %d: the text changed:\n%s\nwant\n%s", theme, width, got, want)
			}
			for _, l := range plain {
				if textWidth(l) > width && !slices.ContainsFunc(words, func(w string) bool { return len(w) > width-6 && strings.Contains(l, w) }) {
					t.Errorf("%s, width %d: a line of %d cells without a word longer than a line: %q", theme, width, textWidth(l), l)
				}
				// Nothing follows a word longer than the line on its line:
				// a screen would cut it off.
				if f := strings.Fields(l); textWidth(l) > width && len(f[len(f)-1]) <= width-6 {
					t.Errorf("%s, width %d: text after a long word: %q", theme, width, l)
				}
			}
		}
	}
	// Glamour's own rendering of a link's address is left alone, and a
	// stand-in that is already in the text turns the keeping off.
	for _, md := range []string{"see [the record](https://example.org/a-b-c/d) now", "x \ue000 y/z and more/words"} {
		r, _ := newMarkdownRenderer(NewTheme(ThemeDark), 40)
		if got := ansi.Strip(strings.Join(r.render(md), " ")); !strings.Contains(got, strings.Fields(md)[len(strings.Fields(md))-1]) {
			t.Errorf("%q rendered as %q", md, got)
		}
	}
}

// A code block in a paragraph is drawn as written, unhighlighted: the
// glamour kurultai is built with leaves chroma out (ui/glamour/README.md).
func TestCodeBlockDrawnPlain(t *testing.T) {
	for _, name := range []string{ThemeDark, ThemeLight, ThemeASCII} {
		r, err := newMarkdownRenderer(NewTheme(name), 60)
		if err != nil {
			t.Fatal(err)
		}
		out := ansi.Strip(strings.Join(r.render("Before.\n\n```go\nfunc main() { return }\n```\n\nAfter."), "\n"))
		for _, want := range []string{"Before.", "func main() { return }", "After."} {
			if !strings.Contains(out, want) {
				t.Errorf("%s: %q is not drawn:\n%s", name, want, out)
			}
		}
	}
}
