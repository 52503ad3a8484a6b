package ui

import (
	"io"
	"strings"
	"testing"
)

// benchTexts are 1 MB of text as an archive and its renderings hold it:
// English and Kazakh prose with typographic punctuation, the same
// styled as glamour styles it, and prose with a control or bidi
// character every 200 bytes or so.
func benchTexts() map[string]string {
	en := "The Assembly of the People — “on reform” ¶ 3 — adopted the law in its second reading. "
	kk := "Ұлттық құрылтай отырысында Мемлекет басшысы «реформа» туралы сөз сөйледі — ¶ 4. "
	styled := "\x1b[38;5;252m" + en + "\x1b[0m\x1b[1;38;5;111m" + kk + "\x1b[0m\n"
	hostile := en + "\x1b]52;c;ZXZpbA==\x07" + kk + "\u202e" + en + "\u009b2J\r\n"
	fill := func(s string) string { return strings.Repeat(s, (1<<20)/len(s)+1)[:1<<20] }
	return map[string]string{"english": fill(en), "kazakh": fill(en + kk), "styled": fill(styled), "hostile": fill(hostile)}
}

// BenchmarkSanitize measures Sanitize, KeepStyling and SafeWriter in MB/s:
// go test -tags fts5 -run '^$' -bench Sanitize ./ui
func BenchmarkSanitize(b *testing.B) {
	texts := benchTexts()
	for _, name := range []string{"english", "kazakh", "hostile"} {
		s := texts[name]
		b.Run("Sanitize/"+name, func(b *testing.B) {
			b.SetBytes(int64(len(s)))
			for b.Loop() {
				Sanitize(s)
			}
		})
	}
	for _, name := range []string{"english", "styled", "hostile"} {
		s := texts[name]
		b.Run("KeepStyling/"+name, func(b *testing.B) {
			b.SetBytes(int64(len(s)))
			for b.Loop() {
				KeepStyling(s)
			}
		})
	}
	// The writer gets the text in 4 KB writes, as a bufio.Writer or
	// the lines of a long search result give it.
	for _, name := range []string{"english", "kazakh", "styled", "hostile"} {
		p := []byte(texts[name])
		b.Run("SafeWriter/"+name, func(b *testing.B) {
			w := NewSafeWriter(io.Discard)
			b.SetBytes(int64(len(p)))
			for b.Loop() {
				for i := 0; i < len(p); i += 4096 {
					w.Write(p[i:min(i+4096, len(p))])
				}
				w.Flush()
			}
		})
	}
}
