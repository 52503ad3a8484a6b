package ui

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math/rand"
	"path/filepath"
	"testing"

	"kurultai/data"
	"kurultai/sessions"
)

// bookmarked makes an archive of 20,000 paragraphs and 10,000 bookmarks
// spread over its speeches.
func bookmarked(b *testing.B) (*data.DB, *data.Bookmarks) {
	ctx := context.Background()
	dir := b.TempDir()
	w, err := data.Open(ctx, filepath.Join(dir, "a.db"), data.ReadWrite)
	if err != nil {
		b.Fatal(err)
	}
	var docs []string
	var sizes []int
	sessions.Generate(sessions.GenOptions{Paragraphs: 20000, Sessions: 200, Seed: 1}, func(s *sessions.Session) error {
		for _, sp := range s.Speeches {
			docs, sizes = append(docs, sp.ID), append(sizes, len(sp.Paragraphs))
		}
		return w.Replace(ctx, "", []sessions.Session{*s})
	})
	marks, err := data.OpenBookmarks(ctx, filepath.Join(dir, "bookmarks.db"))
	if err != nil {
		b.Fatal(err)
	}
	rng := rand.New(rand.NewSource(1))
	for i := 0; i < 10000; {
		k := rng.Intn(len(docs))
		from := 1 + rng.Intn(sizes[k])
		p, err := w.NewPassage(ctx, "bench", docs[k], from, from)
		if err != nil {
			b.Fatal(err)
		}
		p.Tags = []string{fmt.Sprintf("tag%d", i%7)}
		p.Note = "a note"
		var kept *data.AlreadyKept
		if _, err := marks.Add(ctx, p); errors.As(err, &kept) {
			continue // a paragraph drawn twice: a bookmark keeps it once
		} else if err != nil {
			b.Fatal(err)
		}
		i++
	}
	b.Cleanup(func() { w.Close(); marks.Close() })
	return w, marks
}

// BenchmarkBookmarksScreen opens the bookmarks screen on 10,000 bookmarks:
// counting them, reading the first page in session order from the index,
// and drawing the first frame.
func BenchmarkBookmarksScreen(b *testing.B) {
	db, marks := bookmarked(b)
	for b.Loop() {
		m := New(context.Background(), db, Options{Theme: ThemeDark, Bookmarks: marks, Owner: "bench"})
		m.Update(teaSize(120, 40))
		p := newBookmarksPage(m.c)
		m.stack = append(m.stack, p)
		p.SetSize(m.bodySize())
		m.Update(p.Init()())
		if p.count != 10000 || len(p.rows) != bookmarksPageSize {
			b.Fatalf("%d bookmarks, %d loaded", p.count, len(p.rows))
		}
		_ = m.View()
	}
}

// BenchmarkExport10k cites 10,000 passages and writes them in each format.
func BenchmarkExport10k(b *testing.B) {
	db, marks := bookmarked(b)
	ctx := context.Background()
	list, _ := marks.List(ctx, "bench", data.BookmarkFilter{})
	for _, f := range sessions.ExportFormats {
		b.Run(f, func(b *testing.B) {
			for b.Loop() {
				ps, err := db.Cite(ctx, list, "")
				if err != nil {
					b.Fatal(err)
				}
				var buf bytes.Buffer
				if err := sessions.WritePassages(&buf, f, "", ps); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
