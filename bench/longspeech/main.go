// Command longspeech writes an archive holding one session with one very
// long speech (sessions.LongSpeechSession), for timing the reader on the
// real binary.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"

	"kurultai/data"
	"kurultai/sessions"
)

func main() {
	out := flag.String("out", "long.db", "archive to write (replaced if it exists)")
	words := flag.Int("words", 50000, "words in the speech")
	flag.Parse()
	if err := write(*out, *words); err != nil {
		fmt.Fprintln(os.Stderr, "longspeech:", err)
		os.Exit(1)
	}
}

func write(path string, words int) error {
	for _, suffix := range []string{"", "-wal", "-shm"} {
		os.Remove(path + suffix)
	}
	ctx := context.Background()
	db, err := data.Open(ctx, path, data.ReadWrite)
	if err != nil {
		return err
	}
	defer db.Close()
	return db.Replace(ctx, "", []sessions.Session{sessions.LongSpeechSession("long-1", words, 1)})
}
