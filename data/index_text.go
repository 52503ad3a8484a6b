package data

import (
	"context"
	"database/sql"
	"encoding/json"
	"sync"
	"sync/atomic"
	"unicode/utf8"

	"kurultai/sessions"
)

// What the index holds of a row's text beside its words as FTS5 reads
// them (see docs/search.md, "Scripts and accents"):
//
//   - every text column is folded first (FoldAccents): Greek accents and
//     the final sigma, Russian ё;
//   - klat holds the Kazakh cross-script keys (KazakhKey) of the Latin
//     words of a Kazakh-language row, and is empty in any other row;
//   - the Cyrillic words of Kazakh rows are listed under their keys in
//     kazakh_words, where a Latin word of a query is looked up;
//   - exact holds, for a row with words the fold changes, those words as
//     written (appendExact), for the =word operator.

// kazakhVocab gathers the Cyrillic words of Kazakh rows, as the index
// holds them, with their keys, for kazakh_words.
type kazakhVocab struct {
	mu      sync.Mutex
	known   map[string]struct{} // written in this indexer's life, a bounded number
	pending [][2]string         // key, word
	buf     []byte
}

// maxKnownWords bounds the words an indexer remembers having written:
// beyond, it forgets them all and lets INSERT OR IGNORE skip them.
const maxKnownWords = 1 << 18

func newKazakhVocab() *kazakhVocab { return &kazakhVocab{known: map[string]struct{}{}} }

// latinKeys appends to lat the keys of the Latin words of text, and gives
// its Cyrillic words to the vocabulary.
func (v *kazakhVocab) latinKeys(lat []byte, text string) []byte {
	eachKeyWord(text, func(i, j int, r rune) bool {
		switch letterScript(lowerKeyRune(r)) {
		case scriptCyrillic:
			v.word(text[i:j])
		case scriptLatin:
			lat = appendSpaced(lat, text[i:j])
		}
		return true
	})
	return lat
}

// word adds a Cyrillic word, lower case and folded as the index holds it.
func (v *kazakhVocab) word(w string) {
	b := v.buf[:0]
	for _, r := range w {
		b = appendRune(b, FoldRune(r))
	}
	v.buf = b
	if _, ok := v.known[string(b)]; ok {
		return
	}
	if len(v.known) >= maxKnownWords {
		v.known = map[string]struct{}{}
	}
	s := string(b)
	v.known[s] = struct{}{}
	v.pending = append(v.pending, [2]string{KazakhKey(s), s})
}

func appendRune(b []byte, r rune) []byte {
	if r < 0x80 {
		return append(b, byte(r))
	}
	if r < 0x800 {
		return append(b, byte(0xC0|r>>6), byte(0x80|r&0x3F))
	}
	return utf8.AppendRune(b, r)
}

// flush writes the words gathered since the last flush.
func (v *kazakhVocab) flush(ctx context.Context, tx *sql.Tx) error {
	v.mu.Lock()
	pending := v.pending
	v.pending = nil
	v.mu.Unlock()
	if len(pending) == 0 {
		return nil
	}
	list, err := json.Marshal(pending)
	if err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, `INSERT OR IGNORE INTO kazakh_words (key, word)
		SELECT value ->> 0, value ->> 1 FROM json_each(?)`, string(list))
	return err
}

// rowColumns are the columns a row's texts add to the index: the keys of
// its Latin words when the row is in Kazakh (its Cyrillic words go to v),
// and its exact column.
func rowColumns(v *kazakhVocab, kazakh bool, texts ...string) (lat, exact any) {
	if kazakh && v != nil {
		var l []byte
		v.mu.Lock()
		for _, t := range texts {
			l = v.latinKeys(l, t)
		}
		v.mu.Unlock()
		lat = nullBytes(l)
	}
	var b []byte
	for _, t := range texts {
		b = appendExact(b, t)
	}
	return lat, nullBytes(b)
}

func nullBytes(b []byte) any {
	if len(b) == 0 {
		return nil
	}
	return string(b)
}

// vocabs are the vocabularies the SQL function kurultai_kk writes to, by
// the number an indexer passes it.
var (
	vocabs    sync.Map // int64 -> *kazakhVocab
	vocabNext atomic.Int64
)

// sqlFunctions are the Go functions the index's SQL calls where it reads
// the text itself (a huge paragraph, or every row when the index is made
// anew), so that the text is not bound again.
var sqlFunctions = map[string]any{
	"kurultai_fold": FoldAccents,
	// kurultai_kk gives the Latin keys of a Kazakh row's texts and gives
	// its Cyrillic words to the vocabulary numbered h.
	"kurultai_kk": func(h int64, a, b string) any {
		v, ok := vocabs.Load(h)
		if !ok {
			return nil
		}
		lat, _ := rowColumns(v.(*kazakhVocab), true, a, b)
		return lat
	},
	// kurultai_lemmas adds to a row's keys (or NULL) the lemma tokens
	// of its lemmas (paragraphs.lemmas).
	"kurultai_lemmas": func(keys any, lemmas string) any {
		if lemmas == "" {
			return keys
		}
		var b []byte
		switch k := keys.(type) {
		case string:
			b = append(b, k...)
		case []byte:
			b = append(b, k...)
		}
		return nullBytes(appendLemmaTokens(b, lemmas))
	},
	"kurultai_exact": func(a, b string) any {
		var x []byte
		return nullBytes(appendExact(appendExact(x, a), b))
	},
}

// inMemory reports whether every paragraph of a run has its text in
// memory: a huge paragraph's is dropped once stored.
func inMemory(paras []sessions.Paragraph) bool {
	for _, p := range paras {
		if p.Text == "" || len(p.Text)+len(p.Heading) >= hugeText {
			return false
		}
	}
	return len(paras) > 0
}
