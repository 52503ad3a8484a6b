package data

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// The tests' own reading of the cross-script rule, apart from the index:
// a row in Kazakh also holds the Kazakh keys of its words, those of its
// Cyrillic words and those of its Latin words one after another in two
// lists (the fields in the order body, heading, title, name, place,
// source); a query word typed in Latin matches the keys of either list, one
// typed in Cyrillic those of the Latin list. The key of one word is
// KazakhKey's, which has tests of its own against the alphabets.

// modelWords splits text into the words the key reads: letters, digits
// and marks, and an apostrophe straight after a Latin letter (the 2017
// alphabet's s' is one letter). Each word comes with its script: 'L', 'C'
// or 0.
func modelWords(text string) (words []string, scripts []byte) {
	rs := []rune(text)
	for i := 0; i < len(rs); {
		if !unicode.IsLetter(rs[i]) && !unicode.IsDigit(rs[i]) {
			i++
			continue
		}
		j := i
		for j < len(rs) {
			r := rs[j]
			switch {
			case unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r):
			case (r == '\'' || r == '’' || r == 'ʼ') && j > i && unicode.Is(unicode.Latin, rs[j-1]):
			default:
				goto end
			}
			j++
		}
	end:
		var sc byte
		for _, r := range rs[i:j] {
			if unicode.IsLetter(r) {
				switch {
				case unicode.Is(unicode.Latin, r):
					sc = 'L'
				case unicode.Is(unicode.Cyrillic, r):
					sc = 'C'
				}
				break
			}
		}
		words, scripts = append(words, string(rs[i:j])), append(scripts, sc)
		i = j
	}
	return words, scripts
}

// modelKeys are the keys of the Cyrillic and of the Latin words of texts.
func modelKeys(texts ...string) (cyr, lat []string) {
	for _, t := range texts {
		ws, sc := modelWords(t)
		for i, w := range ws {
			switch sc[i] {
			case 'C':
				cyr = append(cyr, KazakhKey(w))
			case 'L':
				lat = append(lat, KazakhKey(w))
			}
		}
	}
	return cyr, lat
}

// modelTermKeys are the keys of a query word's words and the script they
// are all typed in; 0 when they are not all Latin or all Cyrillic.
func modelTermKeys(text string) ([]string, byte) {
	ws, sc := modelWords(text)
	if len(ws) == 0 {
		return nil, 0
	}
	var keys []string
	for i, w := range ws {
		if sc[i] == 0 || sc[i] != sc[0] {
			return nil, 0
		}
		keys = append(keys, KazakhKey(w))
	}
	return keys, sc[0]
}

// modelSeq reports whether want stands one after another in toks, the
// last as a prefix with prefix.
func modelSeq(toks, want []string, prefix bool) bool {
at:
	for i := 0; i+len(want) <= len(toks); i++ {
		for j, w := range want {
			if got := toks[i+j]; got != w && !(prefix && j == len(want)-1 && strings.HasPrefix(got, w)) {
				continue at
			}
		}
		return true
	}
	return false
}

// modelKeyed reports whether a query word matches a Kazakh row by its keys.
func modelKeyed(text string, prefix bool, cyr, lat []string) bool {
	keys, sc := modelTermKeys(text)
	switch sc {
	case 'L':
		return modelSeq(cyr, keys, prefix) || modelSeq(lat, keys, prefix)
	case 'C':
		return modelSeq(lat, keys, prefix)
	}
	return false
}

// modelExactWords are the words of texts as =word compares them: lower
// case, composed, accents and all.
func modelExactWords(texts ...string) map[string]bool {
	out := map[string]bool{}
	for _, t := range texts {
		for _, w := range strings.FieldsFunc(t, func(r rune) bool {
			return !unicode.IsLetter(r) && !unicode.IsDigit(r) && !unicode.Is(unicode.Mn, r)
		}) {
			out[norm.NFC.String(strings.ToLower(w))] = true
		}
	}
	return out
}
