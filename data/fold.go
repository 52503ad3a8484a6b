package data

import (
	"strconv"
	"strings"
	"sync/atomic"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// The accent fold of the search: what FTS5's tokenizer (unicode61 with
// remove_diacritics 2) does not fold, kurultai folds before text is
// indexed and before a query is matched, so that a word typed without its
// accents finds it:
//
//   - Greek: the tonos and the dialytika go (ά έ ή ί ό ύ ώ ϊ ϋ ΐ ΰ and
//     their capitals become α ε η ι ο υ ω ι υ ι υ), and the final sigma ς
//     is σ. Greek capitals are written without accents, and people type
//     without them: ΣΥΝΕΔΡΙΑΣΗ, συνεδριαση and συνεδρίαση are one word.
//   - Russian: ё is е (Ё is Е), as most published Russian text writes it.
//     Ukrainian and Belarusian letters (є ї і ґ ў) keep their identity,
//     and so do Kazakh ones (ә ғ қ ң ө ұ ү һ і): қазақ is not казак.
//   - Latin letters keep their accents here; FTS5 removes them.
//
// Every letter it folds becomes one of the same length in UTF-8 (two
// bytes), so folded text has the same byte offsets as the text as
// written: a match found in one is highlighted in the other.
var accentFold = map[rune]rune{
	// Greek with tonos, dialytika, or both.
	'ά': 'α', 'έ': 'ε', 'ή': 'η', 'ί': 'ι', 'ό': 'ο', 'ύ': 'υ', 'ώ': 'ω',
	'Ά': 'Α', 'Έ': 'Ε', 'Ή': 'Η', 'Ί': 'Ι', 'Ό': 'Ο', 'Ύ': 'Υ', 'Ώ': 'Ω',
	'ϊ': 'ι', 'ϋ': 'υ', 'Ϊ': 'Ι', 'Ϋ': 'Υ', 'ΐ': 'ι', 'ΰ': 'υ',
	'ς': 'σ',
	// Russian.
	'ё': 'е', 'Ё': 'Е',
}

// foldTable is accentFold as an array over the two-byte UTF-8 range that
// holds every letter it folds (U+0080 to U+07FF), for speed.
var foldTable = func() (t [0x800]rune) {
	for from, to := range accentFold {
		if from >= 0x800 || to >= 0x800 || utf8.RuneLen(from) != utf8.RuneLen(to) {
			panic("accentFold must map two-byte letters to two-byte letters")
		}
		t[from] = to
	}
	return t
}()

// FoldAccents is s with the accent fold applied (see accentFold); it is s
// itself, not a copy, when there is nothing to fold.
func FoldAccents(s string) string {
	i := firstFolded(s)
	if i < 0 {
		return s
	}
	b := []byte(s)
	foldFrom(b, i)
	return string(b)
}

// FoldAccentsInPlace folds b where it lies; the length does not change.
func FoldAccentsInPlace(b []byte) {
	foldFrom(b, 0)
}

// firstFolded is the index of the first letter of s that the fold
// changes, or -1.
func firstFolded(s string) int {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0xC2 || c > 0xDF || i+1 >= len(s) {
			continue
		}
		r := rune(c&0x1F)<<6 | rune(s[i+1]&0x3F)
		if foldTable[r] != 0 {
			return i
		}
	}
	return -1
}

func foldFrom(b []byte, i int) {
	for ; i+1 < len(b); i++ {
		c := b[i]
		// Only the lead bytes of two-byte letters can begin a letter
		// that folds; everything else, ASCII above all, is passed over.
		if c < 0xC2 || c > 0xDF {
			continue
		}
		c2 := b[i+1]
		if c2&0xC0 != 0x80 {
			continue
		}
		r := rune(c&0x1F)<<6 | rune(c2&0x3F)
		if to := foldTable[r]; to != 0 {
			b[i] = byte(0xC0 | to>>6)
			b[i+1] = byte(0x80 | to&0x3F)
		}
		i++
	}
}

// Some tables are built the first time they are needed, not as the
// program starts: a command that folds nothing, such as kurultai version,
// should not spend a millisecond building them. Each is read through a
// getter small enough to inline where it is read rune by rune; two
// goroutines may both build a table, alike.

var indexFoldTable atomic.Pointer[[0x800]rune]

func indexFold() *[0x800]rune {
	if t := indexFoldTable.Load(); t != nil {
		return t
	}
	return buildIndexFold()
}

func buildIndexFold() *[0x800]rune {
	var t [0x800]rune
	for r := range t {
		l := unicode.ToLower(rune(r))
		t[r] = l
		if l >= 0x800 {
			continue
		}
		if f := []rune(foldMark(FoldAccents(string(l)))); len(f) == 1 {
			t[r] = f[0]
		}
	}
	indexFoldTable.Store(&t)
	return &t
}

// FoldRune is a rune as search compares it: lower case, and without the
// accents the search folds (see accentFold), Latin ones included. The
// reader's find folds the text and what is typed with it.
func FoldRune(r rune) rune {
	if r < 0x800 {
		return indexFold()[r]
	}
	return unicode.ToLower(r)
}

// foldChanges reports whether the index holds a word of text otherwise
// than as written, lower case aside: an accent, a ё, a final sigma. Only
// such text has tokens in the exact column.
func foldChanges(text string) bool {
	for i := 0; i < len(text); {
		c := text[i]
		if c < utf8.RuneSelf {
			i++
			continue
		}
		r, n := decodeRune(text[i:])
		i += n
		if r < 0x800 {
			l := lowerTable[r]
			if indexFold()[r] != l || l >= 0x300 && l < 0x370 {
				return true
			}
			continue
		}
		if unicode.IsLetter(r) || unicode.Is(unicode.Mn, r) {
			plainOnce.Do(buildPlain)
			l := unicode.ToLower(r)
			if l >= plainRunes || !plain[l] {
				return true
			}
		}
	}
	return false
}

// exactMarker is the token of the exact column that says a word of the
// row folds to f (it was written with an accent the index drops).
func exactMarker(f string) string { return "0" + f }

// appendExactToken appends a word, lower case, as the exact column holds
// it: each letter the index would fold is written as 0 and its code point
// in six digits, which no fold changes.
func appendExactToken(dst []byte, lw string) []byte {
	for _, r := range lw {
		if r < utf8.RuneSelf || r < 0x800 && indexFold()[r] == r && (r < 0x300 || r >= 0x370) ||
			r >= 0x800 && !unicode.Is(unicode.Mn, r) && FoldRune(r) == r && foldMark(string(r)) == string(r) {
			dst = utf8.AppendRune(dst, r)
			continue
		}
		dst = append(dst, '0')
		n := strconv.AppendInt(nil, int64(r), 10)
		for k := len(n); k < 6; k++ {
			dst = append(dst, '0')
		}
		dst = append(dst, n...)
	}
	return dst
}

// exactLower is a word as =word compares it: lower case and composed.
func exactLower(w string) string {
	if lw, _, ok := foldWord(nil, nil, w); ok {
		return string(lw)
	}
	return norm.NFC.String(strings.ToLower(w))
}

// nfcChanges marks the runes of the two-byte range that composition
// changes on their own (a few Greek signs); words with them, or with a
// combining mark or a rune beyond, are folded the long way.
var nfcChangesTable atomic.Pointer[[0x800]bool]

func nfcChanges() *[0x800]bool {
	if t := nfcChangesTable.Load(); t != nil {
		return t
	}
	return buildNfcChanges()
}

func buildNfcChanges() *[0x800]bool {
	var t [0x800]bool
	for r := rune(0); r < 0x800; r++ {
		t[r] = norm.NFC.String(string(r)) != string(r) || r >= 0x300 && r < 0x370
	}
	nfcChangesTable.Store(&t)
	return &t
}

// foldWord appends to lw the word in lower case and to f the word as the
// index holds it (foldMark(FoldAccents(lw))), a rune at a time by table;
// ok is false, and nothing is to be made of lw and f, for a word the
// tables do not cover.
func foldWord(lw, f []byte, w string) ([]byte, []byte, bool) {
	for i := 0; i < len(w); {
		c := w[i]
		if c < utf8.RuneSelf {
			if c >= 'A' && c <= 'Z' {
				c += 'a' - 'A'
			}
			lw, f = append(lw, c), append(f, c)
			i++
			continue
		}
		r, n := decodeRune(w[i:])
		if r >= 0x800 || nfcChanges()[r] {
			return lw, f, false
		}
		lw, f = appendRune(lw, lowerTable[r]), appendRune(f, indexFold()[r])
		i += n
	}
	return lw, f, true
}

// appendExact appends the tokens of the exact column for text: for each
// word the index holds otherwise than as written, the word as written and
// the marker of its folded form; and each word written as the index holds
// it whose folded form has a marker, so that =cafe finds the rows with
// cafe as written, and not those with café alone.
func appendExact(dst []byte, text string) []byte {
	if !foldChanges(text) {
		return dst
	}
	wordOnce.Do(buildWordRunes)
	var markers map[string]bool
	var plainWords [][2]int // where the words the fold leaves alone are
	var lw, f []byte
	for i := 0; i < len(text); {
		r, n := decodeRune(text[i:])
		if !wordRune(r) {
			i += n
			continue
		}
		j := i + n
		for j < len(text) {
			r2, n2 := decodeRune(text[j:])
			if !wordRune(r2) && (r2 < 0x300 || !unicode.Is(unicode.Mn, r2)) {
				break
			}
			j += n2
		}
		w := text[i:j]
		var ok bool
		if lw, f, ok = foldWord(lw[:0], f[:0], w); !ok {
			l := norm.NFC.String(strings.ToLower(w))
			lw, f = append(lw[:0], l...), append(f[:0], foldMark(FoldAccents(l))...)
		}
		if string(lw) == string(f) {
			plainWords = append(plainWords, [2]int{i, j})
			i = j
			continue
		}
		i = j
		if markers == nil {
			markers = map[string]bool{}
		}
		if len(dst) > 0 {
			dst = append(dst, ' ')
		}
		dst = appendExactToken(dst, string(lw))
		dst = append(dst, ' ', '0')
		dst = append(dst, f...)
		markers[string(f)] = true
	}
	for _, at := range plainWords {
		w := text[at[0]:at[1]]
		var ok bool
		if lw, _, ok = foldWord(lw[:0], f[:0], w); !ok {
			lw = append(lw[:0], norm.NFC.String(strings.ToLower(w))...)
		}
		if markers[string(lw)] {
			dst = append(dst, ' ')
			dst = append(dst, lw...)
		}
	}
	return dst
}
