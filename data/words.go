package data

import (
	"context"
	"database/sql"
	"sort"
	"sync/atomic"
	"unicode/utf8"

	"kurultai/sessions"
	"kurultai/sessions/msg"
)

// The words of running text as the search index holds them, for the
// research views that count words (keywords and collocations): the
// tokens FTS5's unicode61 tokenizer (remove_diacritics 2) makes of the
// accent-folded text, read in Go so that any part of the archive can be
// counted without reading the index.
//
// What the tokenizer does with each character comes from SQLite itself:
// wordRanges (words_table.go) is written by
//
//	go test -tags fts5 -run TestWordTable ./data -update
//
// from the tokens FTS5 makes of every character, and TestWordTable fails
// when the SQLite kurultai is built with reads one otherwise. unicode61
// reads a character at a time: a letter, a number or a private-use
// character (L* N* Co) starts or continues a word; some combining marks
// continue one; everything else ends it. Each character of a word is
// folded on its own: lower case, without a Latin letter's diacritics.

// The classes of a character in a word.
const (
	wordSep      = iota // ends a word
	wordStart           // starts or continues a word, folded
	wordCont            // continues a word (a combining mark), folded
	wordContDrop        // continues a word, and is dropped from it
)

// wordRange is a stretch of characters, from lo to the next range's lo,
// of one class, each folded to itself plus delta.
type wordRange struct {
	lo    rune
	class uint8
	delta int32
}

// bmpWordsTable holds bmpTable's table once it is built.
var bmpWordsTable atomic.Pointer[[0x10000]uint32]

// bmpTable expands the ranges of the Basic Multilingual Plane, which
// nearly every text keeps to, into a table a character: the class in the
// top 3 bits, the fold below. It is built the first time it is needed,
// as the fold's tables are (fold.go).
func bmpTable() *[0x10000]uint32 {
	if t := bmpWordsTable.Load(); t != nil {
		return t
	}
	return buildBMPTable()
}

func buildBMPTable() *[0x10000]uint32 {
	var t [0x10000]uint32
	for i, wr := range wordRanges {
		if wr.lo >= 0x10000 {
			break
		}
		hi := rune(0x10000)
		if i+1 < len(wordRanges) {
			hi = min(hi, wordRanges[i+1].lo)
		}
		for r := wr.lo; r < hi; r++ {
			t[r] = uint32(wr.class)<<29 | uint32(r+wr.delta)
		}
	}
	bmpWordsTable.Store(&t)
	return &t
}

// wordClass gives what the tokenizer does with r, and r folded.
func wordClass(r rune) (uint8, rune) {
	if r < 0x10000 {
		v := bmpTable()[r]
		return uint8(v >> 29), rune(v & (1<<29 - 1))
	}
	i := sort.Search(len(wordRanges), func(i int) bool { return wordRanges[i].lo > r }) - 1
	wr := wordRanges[i]
	return wr.class, r + wr.delta
}

// eachIndexWord calls fn with each word of text, as the index holds it.
// The slice is fn's only for the call; buf is a buffer to reuse, which
// it gives back.
func eachIndexWord(text string, buf []byte, fn func(w []byte)) []byte {
	w := buf[:0]
	in := false
	for i := 0; i < len(text); {
		c := text[i]
		if c < utf8.RuneSelf {
			i++
			switch {
			case 'a' <= c && c <= 'z' || '0' <= c && c <= '9':
				w, in = append(w, c), true
				continue
			case 'A' <= c && c <= 'Z':
				w, in = append(w, c+'a'-'A'), true
				continue
			}
			if in {
				fn(w)
				w, in = w[:0], false
			}
			continue
		}
		r, n := utf8.DecodeRuneInString(text[i:])
		i += n
		class, f := wordClass(r)
		switch {
		case class == wordStart:
			w, in = appendRune(w, f), true
		case in && class == wordCont:
			w = appendRune(w, f)
		case in && class == wordContDrop:
		case in:
			fn(w)
			w, in = w[:0], false
		}
	}
	if in {
		fn(w)
	}
	return w
}

// wordCounts counts words: how often each occurs. A count is kept behind
// a pointer so that counting a word already seen makes no string of it.
type wordCounts map[string]*int64

// add counts the words of text, sign times (-1 takes them away), and
// gives how many there were.
func (wc wordCounts) add(text string, sign int64, buf []byte) (int64, []byte) {
	var n int64
	buf = eachIndexWord(text, buf, func(w []byte) {
		wc.addWord(w, sign)
		n++
	})
	return n, buf
}

// addWord counts a word n more times.
func (wc wordCounts) addWord(w []byte, n int64) {
	if p := wc[string(w)]; p != nil {
		*p += n
		return
	}
	wc[string(w)] = &n
}

// get is how often w was counted.
func (wc wordCounts) get(w string) int64 {
	if p := wc[w]; p != nil {
		return *p
	}
	return 0
}

// wordTally keeps word_counts (migration 11) in step with the index: the
// words of every row of running text written are added, those of every
// row removed taken away, and the total is kept under the word "" (which
// no word is). It gathers the changes and writes them in one go: at the
// end of an import, at a savepoint, and when they grow many.
//
// The counting is done beside the writer, by a goroutine that the first
// text starts and that ends when what it gathered is written or dropped:
// the writer is the import's narrowest step, and counting on it took a
// tenth of its time.
type wordTally struct {
	tx      *sql.Tx
	checked bool
	on      bool             // the archive has word_counts
	feed    chan []tallyText // to the counter; nil when none runs
	done    chan tallied
	batch   []tallyText  // not yet handed over
	size    atomic.Int64 // how many words the counter holds
}

type tallyText struct {
	s    string
	sign int64
}

type tallied struct {
	counts wordCounts
	total  int64
}

// wordFlushAt is how many words a tally gathers before it writes them.
const wordFlushAt = 1 << 17

func newWordTally(tx *sql.Tx) *wordTally { return &wordTally{tx: tx} }

func (t *wordTally) enabled(ctx context.Context) (bool, error) {
	if !t.checked {
		var n int
		if err := t.tx.QueryRowContext(ctx, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'word_counts'").Scan(&n); err != nil {
			return false, err
		}
		t.on, t.checked = n > 0, true
	}
	return t.on, nil
}

// text counts the words of a row's running text, sign times.
func (t *wordTally) text(ctx context.Context, s string, sign int64) error {
	if s == "" {
		return nil
	}
	if on, err := t.enabled(ctx); !on || err != nil {
		return err
	}
	if t.feed == nil {
		t.feed, t.done = make(chan []tallyText, 8), make(chan tallied, 1)
		t.batch = make([]tallyText, 0, tallyBatch)
		go t.count(t.feed, t.done)
	}
	// Texts go over in batches: a send that wakes the counter for each
	// cost more than half of what the counting saved the writer.
	t.batch = append(t.batch, tallyText{s, sign})
	if len(t.batch) == cap(t.batch) {
		t.feed <- t.batch
		t.batch = make([]tallyText, 0, tallyBatch)
	}
	return nil
}

// tallyBatch is how many texts go over to the counter at a time.
const tallyBatch = 256

// count is the counter: it counts what comes on feed until feed closes,
// then hands over what it counted.
func (t *wordTally) count(feed <-chan []tallyText, done chan<- tallied) {
	r := tallied{counts: wordCounts{}}
	var buf []byte
	for batch := range feed {
		for _, x := range batch {
			var n int64
			n, buf = r.counts.add(x.s, x.sign, buf)
			r.total += n * x.sign
		}
		t.size.Store(int64(len(r.counts)))
	}
	done <- r
}

// collect ends the counter, if one runs, and gives what it counted.
func (t *wordTally) collect() tallied {
	if t.feed == nil {
		return tallied{}
	}
	if len(t.batch) > 0 {
		t.feed <- t.batch
	}
	t.batch = nil
	close(t.feed)
	r := <-t.done
	t.feed, t.done = nil, nil
	t.size.Store(0)
	return r
}

// run counts the words of a run's rows, read from the records.
func (t *wordTally) run(ctx context.Context, r *run, sign int64) error {
	if on, err := t.enabled(ctx); !on || err != nil {
		return err
	}
	return runTexts(ctx, t.tx, r, func(s string) error { return t.text(ctx, s, sign) })
}

// full reports whether the tally has gathered enough to write.
func (t *wordTally) full() bool { return t.size.Load() >= wordFlushAt }

// flush writes what the tally gathered.
func (t *wordTally) flush(ctx context.Context) error {
	r := t.collect()
	if len(r.counts) == 0 && r.total == 0 {
		return nil
	}
	add, err := t.tx.PrepareContext(ctx, `INSERT INTO word_counts (word, n) VALUES (?, ?)
		ON CONFLICT (word) DO UPDATE SET n = n + excluded.n`)
	if err != nil {
		return err
	}
	defer add.Close()
	gone, err := t.tx.PrepareContext(ctx, "DELETE FROM word_counts WHERE word = ? AND n <= 0")
	if err != nil {
		return err
	}
	defer gone.Close()
	if r.counts == nil {
		r.counts = wordCounts{}
	}
	r.counts.addWord(nil, r.total)
	for w, p := range r.counts {
		n := *p
		if n == 0 {
			continue
		}
		if err := execShort(ctx, add, w, n); err != nil {
			return err
		}
		if n < 0 {
			if err := execShort(ctx, gone, w); err != nil {
				return err
			}
		}
	}
	return nil
}

// forget drops what the tally gathered: a rollback took its rows away,
// or the import ends without them.
func (t *wordTally) forget() { t.collect() }

// runTexts hands fn the running text of each row of a run, as the index
// was given it, read from the records: a speech's or a proposal's
// paragraphs, a session's summary, a timeline event's note. Titles,
// headings and names are not running text.
func runTexts(ctx context.Context, tx *sql.Tx, r *run, fn func(string) error) error {
	one := func(query string, args ...any) error {
		var s string
		err := tx.QueryRowContext(ctx, query, args...).Scan(&s)
		if err == sql.ErrNoRows {
			return nil
		}
		if err != nil {
			return err
		}
		return fn(s)
	}
	switch r.kind {
	case runSpeech:
		rows, err := tx.QueryContext(ctx, "SELECT text FROM paragraphs WHERE id BETWEEN ? AND ?", r.start, r.stop)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var s string
			if err := rows.Scan(&s); err != nil {
				return err
			}
			if err := fn(s); err != nil {
				return err
			}
		}
		return rows.Err()
	case runSession:
		return one("SELECT summary FROM sessions WHERE id = ?", r.ref)
	case runTimeline:
		return one("SELECT note FROM proposal_events WHERE proposal_id = ? AND seq = ?", r.ref, r.first)
	case runProposal:
		var text string
		err := tx.QueryRowContext(ctx, "SELECT text FROM proposals WHERE id = ?", r.ref).Scan(&text)
		if err == sql.ErrNoRows {
			return nil
		}
		if err != nil {
			return err
		}
		paras := sessions.SplitParagraphs(text)
		for i := int64(0); i <= r.stop-r.start && int(i) < len(paras); i++ {
			if err := fn(paras[i].Text); err != nil {
				return err
			}
		}
	}
	return nil
}

// textRuns reads the runs that where selects: where their rows are, and
// what runTexts needs to read their text.
func textRuns(ctx context.Context, tx *sql.Tx, where string, args ...any) ([]run, error) {
	rows, err := tx.QueryContext(ctx, "SELECT start, stop, kind, ref, first FROM search_runs WHERE "+where, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var runs []run
	for rows.Next() {
		var r run
		if err := rows.Scan(&r.start, &r.stop, &r.kind, &r.ref, &r.first); err != nil {
			return nil, err
		}
		runs = append(runs, r)
	}
	return runs, rows.Err()
}

// fillWordCounts counts the words of every row of running text once,
// for an archive made before word_counts (the Go step of migration 11).
func fillWordCounts(ctx context.Context, tx *sql.Tx, progress Progress) error {
	if progress == nil {
		progress = func(msg.Text, int, int) {}
	}
	runs, err := textRuns(ctx, tx, "kind IN (?, ?, ?, ?)", runSpeech, runProposal, runSession, runTimeline)
	if err != nil {
		return err
	}
	t := newWordTally(tx)
	for i := range runs {
		if err := t.run(ctx, &runs[i], 1); err != nil {
			return err
		}
		if t.full() {
			if err := t.flush(ctx); err != nil {
				return err
			}
		}
		if i%1000 == 999 || i == len(runs)-1 {
			progress(msg.T("counting words"), i+1, len(runs))
		}
	}
	return t.flush(ctx)
}
