// Command longspeech writes an archive holding one session with one very
// long speech, for timing the reader on the real binary.
package main

import (
	"context"
	"flag"
	"fmt"
	"math/rand"
	"os"
	"strings"

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
	vocab := strings.Fields(`the parliament kurultai reform constitution referendum deputies council
		court president vice law people state region budget education science
		Ұлттық құрылтай парламент реформа заң халық мемлекет өңір білім ғылым
		Национальный курултай парламент реформа закон народ государство регион`)
	rng := rand.New(rand.NewSource(1))
	var paras []string
	for n := 0; n < words; {
		k := 40 + rng.Intn(120)
		w := make([]string, k)
		for i := range w {
			w[i] = vocab[rng.Intn(len(vocab))]
		}
		if len(paras)%25 == 0 {
			paras = append(paras, fmt.Sprintf("# Part %d", len(paras)/25+1))
		}
		paras = append(paras, strings.Join(w, " ")+".")
		n += k
	}
	s := sessions.Session{ID: "long-1", Body: "Benchmark", Number: 1, Date: "2024-01-01", Place: "Nowhere",
		Title: fmt.Sprintf("A session with a %d-word speech", words), Language: "en",
		Speeches: []sessions.Speech{{ID: "long-1/speech", SessionID: "long-1", Order: 1, Title: "The long speech",
			Language: "kk", Speaker: sessions.Speaker{ID: "speaker", Name: "A Speaker"},
			Paragraphs: sessions.SplitParagraphs(strings.Join(paras, "\n\n"))}}}
	ctx := context.Background()
	db, err := data.Open(ctx, path, data.ReadWrite)
	if err != nil {
		return err
	}
	defer db.Close()
	return db.Replace(ctx, "", []sessions.Session{s})
}
