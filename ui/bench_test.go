package ui

import (
	"context"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"kurultai/data"
	"kurultai/sessions"
	"kurultai/ui/i18n"
)

func benchDB(b *testing.B, words int) *data.DB {
	return archiveWith(b, sessions.LongSpeechSession("t-1", words, 1))
}

// BenchmarkReaderFirstScreen measures what happens between enter and the
// first frame of the reader on a 50,000-word speech at 100x40: loading the
// document, laying it out, rendering the visible paragraphs with glamour,
// handling the result in Update and drawing the frame. The render cache
// starts empty each time.
func BenchmarkReaderFirstScreen(b *testing.B) {
	db := benchDB(b, 50_000)
	for b.Loop() {
		m := New(context.Background(), db, Options{Theme: ThemeDark})
		m.Update(tea.WindowSizeMsg{Width: 100, Height: 40})
		p := newReaderPage(m.c, "t-1/speech", 0)
		m.stack = append(m.stack, p)
		p.SetSize(m.bodySize())
		msg := p.Init()()
		m.Update(msg)
		_ = m.View()
	}
}

// BenchmarkGlamourWholeDocument is the baseline: rendering the whole
// 50,000-word speech with glamour at the same width and style, as a reader
// that renders everything before showing anything (glow) does.
func BenchmarkGlamourWholeDocument(b *testing.B) {
	s := sessions.LongSpeechSession("t-1", 50_000, 1)
	var md []string
	for _, p := range s.Speeches[0].Paragraphs {
		if p.Heading != "" {
			md = append(md, "## "+p.Heading)
		}
		md = append(md, p.Text)
	}
	doc := strings.Join(md, "\n\n")
	for b.Loop() {
		r, err := newMarkdownRenderer(NewTheme(ThemeDark), 92)
		if err != nil {
			b.Fatal(err)
		}
		// glamour itself, as glow calls it: render would show a block
		// this large as plain text (render_limits.go).
		if _, err := r.tr.Render(doc); err != nil {
			b.Fatal(err)
		}
	}
}

// readerAt opens the 50,000-word speech at 100x40 with its first screen
// rendered.
func readerAt(b *testing.B) (*Model, *readerPage) { return readerIn(b, i18n.English) }

// readerIn is readerAt with the interface in a language.
func readerIn(b *testing.B, lang string) (*Model, *readerPage) {
	db := benchDB(b, 50_000)
	m := New(context.Background(), db, Options{Theme: ThemeDark, Lang: lang})
	m.Update(tea.WindowSizeMsg{Width: 100, Height: 40})
	p := newReaderPage(m.c, "t-1/speech", 0)
	m.stack = append(m.stack, p)
	p.SetSize(m.bodySize())
	m.Update(p.Init()())
	return m, p
}

// BenchmarkReaderKeyToFrame measures one key in the reader of the
// 50,000-word speech, from Update to the drawn frame: page down, line
// down, next paragraph, in turn, wrapping to the top at the end. Rendering
// newly visible paragraphs happens in a command beside the UI and is
// measured by BenchmarkReaderRenderBatch. It runs in each language of
// the interface: the footer, the header and the status are the
// catalogue's.
func BenchmarkReaderKeyToFrame(b *testing.B) {
	for _, lang := range i18n.Langs {
		b.Run(lang, func(b *testing.B) {
			m, p := readerIn(b, lang)
			keys := []tea.KeyPressMsg{{Code: tea.KeyPgDown}, {Code: 'j', Text: "j"}, {Code: ']', Text: "]"}}
			home := tea.KeyPressMsg{Code: 'g', Text: "g"}
			i := 0
			for b.Loop() {
				k := keys[i%len(keys)]
				if p.view.y >= p.view.maxY() {
					k = home
				}
				m.Update(k)
				_ = m.View()
				i++
			}
		})
	}
}

// BenchmarkReaderRenderBatch measures the command that renders the
// paragraphs that scrolling brings on screen (about three screens at
// 100x40), with an empty cache.
func BenchmarkReaderRenderBatch(b *testing.B) {
	_, p := readerAt(b)
	v := p.view
	v.y = v.maxY() / 2
	for b.Loop() {
		v.c.cache = newRenderCache(64 << 20)
		for i := range v.blocks {
			if v.blocks[i].kind != blockLink {
				v.blocks[i].final = false
			}
		}
		v.rendering = false
		cmd := v.ensureRendered()
		if cmd == nil {
			b.Fatal("nothing to render")
		}
		_ = cmd()
	}
}

// BenchmarkReaderFind measures typing one more letter into find on the
// 50,000-word speech: all matches are found again and the frame drawn.
func BenchmarkReaderFind(b *testing.B) {
	m, _ := readerAt(b)
	m.Update(tea.KeyPressMsg{Code: '/', Text: "/"})
	m.Update(tea.KeyPressMsg{Code: 'p', Text: "p"})
	back := tea.KeyPressMsg{Code: tea.KeyBackspace}
	letter := tea.KeyPressMsg{Code: 'a', Text: "a"}
	i := 0
	for b.Loop() {
		if i%2 == 0 {
			m.Update(letter)
		} else {
			m.Update(back)
		}
		_ = m.View()
		i++
	}
}

func teaSize(w, h int) tea.WindowSizeMsg { return tea.WindowSizeMsg{Width: w, Height: h} }
