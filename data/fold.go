package data

import (
	"unicode/utf8"
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
