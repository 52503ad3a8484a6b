// Command marks fills a bookmarks file with passages from an archive, for
// timing the bookmarks screen on the real binary: N bookmarks, a few from
// each of a random choice of speeches, with tags and notes.
//
//	go run -tags fts5 ./bench/marks -archive A.db -out bookmarks.db -owner local:bench -n 10000
package main

import (
	"context"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"

	"kurultai/data"
	"kurultai/sessions"
)

func main() {
	archive := flag.String("archive", "", "archive the passages come from")
	out := flag.String("out", "", "bookmarks file to write (replaced)")
	owner := flag.String("owner", "", "whose bookmarks (local:USER for the local UI)")
	n := flag.Int("n", 10000, "bookmarks")
	flag.Parse()
	if *archive == "" || *out == "" || *owner == "" {
		fmt.Fprintln(os.Stderr, "marks: -archive, -out and -owner are required")
		os.Exit(2)
	}
	if err := fill(*archive, *out, *owner, *n); err != nil {
		fmt.Fprintln(os.Stderr, "marks:", err)
		os.Exit(1)
	}
}

func fill(archive, out, owner string, n int) error {
	ctx := context.Background()
	db, err := data.Open(ctx, archive, data.ReadOnly)
	if err != nil {
		return err
	}
	defer db.Close()
	for _, suffix := range []string{"", "-wal", "-shm"} {
		os.Remove(out + suffix)
	}
	marks, err := data.OpenBookmarks(ctx, out)
	if err != nil {
		return err
	}
	defer marks.Close()
	const perSpeech = 20
	rows, err := db.SQL().QueryContext(ctx, "SELECT id FROM speeches ORDER BY random() LIMIT ?", (n+perSpeech-1)/perSpeech)
	if err != nil {
		return err
	}
	var docs []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return err
		}
		docs = append(docs, id)
	}
	rows.Close()
	rng := rand.New(rand.NewPCG(1, 2))
	var ps []sessions.Passage
	for _, doc := range docs {
		d, err := db.Document(ctx, doc)
		if err != nil {
			return err
		}
		paras := len(d.Paragraphs)
		if paras == 0 {
			continue
		}
		for j := 0; j < perSpeech && len(ps) < n; j++ {
			from := 1 + rng.IntN(paras)
			p, err := db.NewPassage(ctx, owner, doc, from, from)
			if err != nil {
				return err
			}
			p.Tags = []string{fmt.Sprintf("tag%d", len(ps)%7)}
			p.Note = "a note"
			p.UID = fmt.Sprintf("bench-%d", len(ps))
			ps = append(ps, *p)
		}
	}
	added, _, err := marks.Import(ctx, owner, ps)
	if err != nil {
		return err
	}
	fmt.Printf("%d bookmarks from %d speeches in %s\n", added, len(docs), out)
	return nil
}
