package data

import (
	"strings"
	"testing"
	"unicode/utf8"
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
