package ui

import (
	"context"
	"runtime"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
)

// hugeSpeech is a session with one speech of about size bytes of mixed
// Kazakh and English: one paragraph without a break, or paragraphs of
// about 1 KB.
func hugeSpeech(size int, oneParagraph bool) []string {
	words := []string{"Құрылтай", "отырысы", "parliament", "reform", "the", "of", "бюджет", "Law", "және", "people"}
	var paras []string
	var b strings.Builder
	b.Grow(min(size, 64<<20) + 64)
	for i, n := 0, 0; n+b.Len() < size; i++ {
		b.WriteString(words[i%len(words)])
		b.WriteByte(' ')
		if !oneParagraph && i%150 == 149 {
			paras = append(paras, b.String())
			n += b.Len()
			b.Reset()
		}
	}
	return append(paras, b.String())
}

func heapInUse() uint64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

// A session that opens a huge document holds, besides the document's
// text, a bounded amount for showing it: a layout that is mostly slices of
// the text, no folded copy for find, at most maxMatches matches, and of
// glamour's output only the render cache and the screens around the top.
// Measured from opening the document to the end of a find that matches
// hundreds of thousands of times, after scrolling 60 pages; the growth
// includes the document itself (size). Before, a 60 MB speech of 1 KB
// paragraphs at 500x300 grew the heap by 364 MB, and 16 MB at 1x1 by
// 844 MB (ten million lines of one cell); a single 60 MB paragraph never
// finished rendering.
func TestRenderMemoryBounded(t *testing.T) {
	if testing.Short() {
		t.Skip("builds archives of 60 MB")
	}
	for _, c := range []struct {
		name   string
		size   int
		one    bool
		w, h   int
		factor float64 // bound on the growth, in multiples of size
	}{
		{"60 MB paragraph at 500x300", 60 << 20, true, 500, 300, 1.5},
		// Text wraps at 80 columns however wide the terminal (readWidth):
		// as many lines, each with its own header, as at 80.
		{"60 MB in 1 KB paragraphs at 500x300", 60 << 20, false, 500, 300, 1.9},
		{"16 MB paragraph at 1x1", 16 << 20, true, 1, 1, 3.5},
		{"16 MB in 1 KB paragraphs at 1x1", 16 << 20, false, 1, 1, 3.5},
	} {
		t.Run(c.name, func(t *testing.T) {
			db := archiveWith(t, speechOf("m-1", hugeSpeech(c.size, c.one)...))
			before := heapInUse()
			m := New(context.Background(), db, Options{Theme: ThemeDark, CacheBytes: 4 << 20})
			send(t, m, tea.WindowSizeMsg{Width: c.w, Height: c.h})
			v := openSpeech(t, m, "m-1/s")
			for range 60 {
				send(t, m, keyMsg("pgdown"))
			}
			for _, k := range []string{"/", "t", "h", "e", "enter"} {
				send(t, m, keyMsg(k))
			}
			grown := int64(heapInUse()) - int64(before)
			t.Logf("heap grew by %.1f MB (%.2f × the document): %d lines, %s matches, %d blocks hold glamour's output",
				float64(grown)/(1<<20), float64(grown)/float64(c.size), len(v.lines), v.matchCount(), len(v.held))
			if float64(grown) > c.factor*float64(c.size) {
				t.Errorf("heap grew by %d MB, more than %.1f × the document", grown>>20, c.factor)
			}
			if len(v.matches) == 0 {
				t.Error("find found nothing")
			}
			runtime.KeepAlive(m)
		})
	}
}
