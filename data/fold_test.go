package data

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

func TestFoldAccents(t *testing.T) {
	for in, want := range map[string]string{
		"συνεδρίαση":          "συνεδριαση",
		"ΣΥΝΕΔΡΊΑΣΗ":          "ΣΥΝΕΔΡΙΑΣΗ",
		"Ευχαριστώ":           "Ευχαριστω",
		"προϋπολογισμός":      "προυπολογισμοσ",
		"διϊστάμενος ΐ ΰ":     "διισταμενοσ ι υ",
		"всё Ёлка":            "все Елка",
		"қазақ әділет ұлттық": "қазақ әділет ұлттық", // Kazakh letters keep their identity
		"їжак ґанак ўсё є":    "їжак ґанак ўсе є",    // Ukrainian and Belarusian too; only ё folds
		"café naïve":          "café naïve",          // Latin: FTS5 folds it
		"":                    "",
		"plain ascii":         "plain ascii",
	} {
		if got := FoldAccents(in); got != want {
			t.Errorf("FoldAccents(%q) = %q, want %q", in, got, want)
		}
		if len(FoldAccents(in)) != len(in) {
			t.Errorf("%q changed length", in)
		}
	}
	// Not a letter's start: a broken byte sequence is left alone.
	bad := "\xce" + "ά\xcf"
	if got := FoldAccents(bad); got != "\xce"+"α\xcf" {
		t.Errorf("broken UTF-8: %q", got)
	}
	// Every letter of the table folds to one of the same UTF-8 length.
	for from, to := range accentFold {
		if utf8.RuneLen(from) != utf8.RuneLen(to) || FoldAccents(string(from)) != string(to) {
			t.Errorf("%q → %q", from, to)
		}
	}
}

// Mixed Kazakh, Russian, English and Greek, as an archive holds them.
var foldSample = strings.Repeat("Ұлттық құрылтайдың бесінші отырысы Қызылордада өтті. "+
	"Всё, что было сказано, опубликовано. The Kurultai met in Kyzylorda. "+
	"Η συνεδρίαση του Κοινοβουλίου ολοκληρώθηκε με ψηφοφορία. ", 2000)

// BenchmarkFoldAccents folds mixed text; b.SetBytes makes it report MB/s.
func BenchmarkFoldAccents(b *testing.B) {
	buf := []byte(foldSample)
	b.SetBytes(int64(len(buf)))
	for b.Loop() {
		copy(buf, foldSample)
		FoldAccentsInPlace(buf)
	}
}

// BenchmarkIndexText is all that kurultai works out of a paragraph as it
// indexes it, on mixed Kazakh, Russian, English and Greek text: whether
// the fold changes it, the text folded, the words the fold changes as
// written, and, the paragraph taken as Kazakh, the keys of its Latin
// words and its Cyrillic words for the list of Kazakh words.
func BenchmarkIndexText(b *testing.B) {
	v := newKazakhVocab()
	b.SetBytes(int64(len(foldSample)))
	for b.Loop() {
		if foldChanges(foldSample) {
			FoldAccents(foldSample)
		}
		rowColumns(v, true, foldSample)
		v.pending = v.pending[:0]
	}
}

// The table fold of a word is the long way's (lower case, composed, then
// foldMark of FoldAccents) for every letter it covers, alone and in a word.
func TestFoldWordByTable(t *testing.T) {
	for r := rune(0); r < 0x800; r++ {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			continue
		}
		for _, w := range []string{string(r), "Ab" + string(r) + "ς", string(r) + string(r)} {
			lw, f, ok := foldWord(nil, nil, w)
			if !ok {
				continue
			}
			slow := norm.NFC.String(strings.ToLower(w))
			if string(lw) != slow || string(f) != foldMark(FoldAccents(slow)) {
				t.Errorf("%q (U+%04X): table gives %q and %q, the long way %q and %q", w, r, lw, f, slow, foldMark(FoldAccents(slow)))
			}
		}
	}
}
