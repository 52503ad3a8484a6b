package data

import (
	"strings"
	"sync/atomic"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// The cross-script key of Kazakh: one spelling for a Kazakh word however
// it is written, in Cyrillic, in any of the three official Latin
// alphabets, or in the informal ASCII of news and e-mail. Шымкент,
// S'ymkent (2017), Shymkent (2018 and informal) and Şymkent (2021) all
// have the key "shimkent"; құрылтай, Qurylta\u0131 (2018), Qūryltai (2021)
// and Qurultai have "kurultai".
//
// The alphabets it reads (see kazakhAlphabets for every letter, and
// docs/search.md for the sources):
//
//   - 2017: Decree of the President No. 569 of 26 October 2017, 32 letters,
//     Kazakh sounds written with an apostrophe: a' g' n' o' u' y' i' s' c'.
//   - 2018: the amendment of that decree signed on 19 February 2018, 32
//     letters with acute accents: á ǵ ń ó ú ý ı, and the digraphs sh, ch.
//   - 2021: the version presented to the government on 28 January 2021
//     (31 letters) for the phased switch of 2023-2031: ä ğ ı i ñ ö ş ū ü.
//
// The key is made in two steps. First each letter becomes a plain Latin
// letter or two (mapLetter): Cyrillic by the 2018 alphabet's letters with
// their accents taken off, and every Latin form of a letter to the same.
// Then the word is evened out (evenKey), so that the spellings people
// actually use agree:
//
//   - Letters no alphabet tells apart on its own are one: ә and а are a;
//     ө and о are o; ұ, ү and у are u; ы, і, и and й are i; қ and к are k;
//     ғ and г are g; ң and н are n; х and һ are h. The Latin letters that
//     stand for different letters in different versions (y is ы in 2017,
//     2018 and 2021 but у with an apostrophe or accent; ı is и and й in
//     2018 but і in 2021; u is ұ in 2017 and 2018 but у in 2021) therefore
//     need no guess: each is in one class whatever version wrote it.
//   - zh is j (Zhambyl, Жамбыл), kh is h (Akhmetov, Ахметов), gh is g, ng
//     is n (Tengiz, Теңіз). Kazakhstan, the Russian-made exonym (kh for the
//     х of Russian Казахстан), is therefore not Қазақстан: Qazaqstan and
//     Kazakstan are.
//   - A doubled consonant is one (Kassym, Қасым).
//   - An i (y) between a vowel and e, or before e at the start of a word,
//     is dropped: Nazarbayev is Назарбаев, Yerlan is Ерлан.
//   - ы and і after a rounded vowel are u, as Kazakh says them (labial
//     harmony) and as informal spelling writes them: Qurultai is құрылтай,
//     Baiturssynov is Байтұрсынов.
//
// The key is for matching only; nobody sees it. It is applied to the
// text of Kazakh-language rows only, so that the English bar does not
// find the Kazakh бар in English text.

// kazakhAlphabets are the official Latin alphabets of Kazakh, letter by
// letter against the Cyrillic: small letters, with the sources in
// docs/search.md. Tests check that each Latin letter has the key of its
// Cyrillic letter.
var kazakhAlphabets = map[string][][2]string{
	// Decree No. 569, 26 October 2017.
	"2017": {
		{"а", "a"}, {"ә", "a'"}, {"б", "b"}, {"в", "v"}, {"г", "g"}, {"ғ", "g'"}, {"д", "d"},
		{"е", "e"}, {"ж", "j"}, {"з", "z"}, {"и", "i'"}, {"й", "i'"}, {"к", "k"}, {"қ", "q"},
		{"л", "l"}, {"м", "m"}, {"н", "n"}, {"ң", "n'"}, {"о", "o"}, {"ө", "o'"}, {"п", "p"},
		{"р", "r"}, {"с", "s"}, {"т", "t"}, {"у", "y'"}, {"ұ", "u"}, {"ү", "u'"}, {"ф", "f"},
		{"х", "h"}, {"һ", "h"}, {"ч", "c'"}, {"ш", "s'"}, {"ы", "y"}, {"і", "i"},
	},
	// The amendment of 19 February 2018.
	"2018": {
		{"а", "a"}, {"ә", "á"}, {"б", "b"}, {"в", "v"}, {"г", "g"}, {"ғ", "ǵ"}, {"д", "d"},
		{"е", "e"}, {"ж", "j"}, {"з", "z"}, {"и", "ı"}, {"й", "ı"}, {"к", "k"}, {"қ", "q"},
		{"л", "l"}, {"м", "m"}, {"н", "n"}, {"ң", "ń"}, {"о", "o"}, {"ө", "ó"}, {"п", "p"},
		{"р", "r"}, {"с", "s"}, {"т", "t"}, {"у", "ý"}, {"ұ", "u"}, {"ү", "ú"}, {"ф", "f"},
		{"х", "h"}, {"һ", "h"}, {"ч", "ch"}, {"ш", "sh"}, {"ы", "y"}, {"і", "i"},
	},
	// The version of 28 January 2021. Its ң is printed Ñ in some copies
	// and Ŋ in others: both are read.
	"2021": {
		{"а", "a"}, {"ә", "ä"}, {"б", "b"}, {"в", "v"}, {"г", "g"}, {"ғ", "ğ"}, {"д", "d"},
		{"е", "e"}, {"ж", "j"}, {"з", "z"}, {"и", "i"}, {"й", "i"}, {"к", "k"}, {"қ", "q"},
		{"л", "l"}, {"м", "m"}, {"н", "n"}, {"ң", "ñ"}, {"ң", "ŋ"}, {"о", "o"}, {"ө", "ö"}, {"п", "p"},
		{"р", "r"}, {"с", "s"}, {"т", "t"}, {"у", "u"}, {"ұ", "ū"}, {"ү", "ü"}, {"ф", "f"},
		{"х", "h"}, {"һ", "h"}, {"ш", "ş"}, {"ы", "y"}, {"і", "ı"},
	},
}

// keyLetters is the first step of the key for each lower-case letter of
// the two-byte UTF-8 range (Latin with accents, Cyrillic): "" for a rune
// that is not a letter of either script, and "-" for a letter written as
// nothing (ъ, ь).
var keyLettersTable atomic.Pointer[[0x800]string]

func keyLetters() *[0x800]string {
	if t := keyLettersTable.Load(); t != nil {
		return t
	}
	return buildKeyLetters()
}

func buildKeyLetters() *[0x800]string {
	var t [0x800]string
	for r := 'a'; r <= 'z'; r++ {
		t[r] = string(r)
	}
	t['q'] = "k"
	t['y'] = "i"
	// Latin letters with accents: the letter without them, unless an
	// alphabet gives the accented letter a sound of its own.
	for r := rune(0x80); r < 0x800; r++ {
		if !unicode.Is(unicode.Latin, r) || !unicode.IsLower(r) {
			continue
		}
		d := norm.NFD.String(string(r))
		if b, _ := utf8.DecodeRuneInString(d); b >= 'a' && b <= 'z' {
			t[r] = t[b]
		}
	}
	for r, s := range map[rune]string{
		'ı': "i", 'ý': "u", 'ş': "sh", 'ś': "sh", 'ç': "ch", 'ŋ': "n",
	} {
		t[r] = s
	}
	cyr := map[rune]string{
		'а': "a", 'ә': "a", 'б': "b", 'в': "v", 'г': "g", 'ғ': "g", 'д': "d", 'е': "e", 'ё': "e",
		'ж': "j", 'з': "z", 'и': "i", 'й': "i", 'к': "k", 'қ': "k", 'л': "l", 'м': "m", 'н': "n",
		'ң': "n", 'о': "o", 'ө': "o", 'п': "p", 'р': "r", 'с': "s", 'т': "t", 'у': "u", 'ұ': "u",
		'ү': "u", 'ф': "f", 'х': "h", 'һ': "h", 'ц': "ts", 'ч': "ch", 'ш': "sh", 'щ': "shch",
		'ъ': "-", 'ы': "i", 'і': "i", 'ь': "-", 'э': "e", 'ю': "iu", 'я': "ia",
	}
	for r, s := range cyr {
		t[r] = s
	}
	keyLettersTable.Store(&t)
	return &t
}

// apostropheLetters are the 2017 letters written with an apostrophe whose
// first step differs from the letter's own.
var apostropheLetters = map[byte]string{'y': "u", 's': "sh", 'c': "ch"}

type script uint8

const (
	scriptOther script = iota
	scriptLatin
	scriptCyrillic
)

// letterScript is the script of a letter, for the key: Latin or Cyrillic
// when the key reads it, else other.
func letterScript(r rune) script {
	if r < 0x800 {
		return scripts[r]
	}
	return scriptOther
}

// scripts is letterScript over the two-byte range, for speed.
var scripts = func() (t [0x800]script) {
	for r := rune(0); r < 0x800; r++ {
		switch {
		case r < 0x80:
			if r|0x20 >= 'a' && r|0x20 <= 'z' {
				t[r] = scriptLatin
			}
		case r >= 0x400 && r < 0x530:
			t[r] = scriptCyrillic
		case unicode.Is(unicode.Latin, r):
			t[r] = scriptLatin
		}
	}
	return t
}()

// isApostrophe reports whether r is one of the apostrophes the 2017
// alphabet is typed with: ' ’ ʼ.
func isApostrophe(r rune) bool { return r == '\'' || r == '’' || r == 'ʼ' }

// lowerKeyRune is the lower case of a rune as the key reads it.
func lowerKeyRune(r rune) rune {
	if r < 0x80 {
		if r >= 'A' && r <= 'Z' {
			return r + 32
		}
		return r
	}
	if r < 0x800 {
		return lowerTable[r]
	}
	return unicode.ToLower(r)
}

// lowerTable is unicode.ToLower over the two-byte range.
var lowerTable = func() (t [0x800]rune) {
	for r := range t {
		t[r] = unicode.ToLower(rune(r))
	}
	t['İ'] = 'i'
	return t
}()

// KazakhKey is the cross-script key of one word (see above); "" when the
// word has no Latin or Cyrillic letter.
func KazakhKey(word string) string {
	var buf [64]byte
	return string(appendKazakhKey(buf[:0], word))
}

// appendKazakhKey appends the key of word to dst.
func appendKazakhKey(dst []byte, word string) []byte {
	var base [64]byte
	b := base[:0]
	for i := 0; i < len(word); {
		r, n := decodeRune(word[i:])
		i += n
		r = lowerKeyRune(r)
		if r < 0x800 {
			if s := keyLetters()[r]; s != "" {
				if i < len(word) && r < 0x80 {
					if a, m := utf8.DecodeRuneInString(word[i:]); isApostrophe(a) {
						i += m
						if t, ok := apostropheLetters[byte(r)]; ok {
							s = t
						}
					}
				}
				if s != "-" {
					b = append(b, s...)
				}
				continue
			}
			if r >= '0' && r <= '9' {
				b = append(b, byte(r))
				continue
			}
		}
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b = utf8.AppendRune(b, r)
		}
	}
	return evenKey(dst, b)
}

func isKeyVowel(c byte) bool { return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u' }

// evenKey is the second step of the key: the first step's letters b
// evened out as the comment at the top of this file says.
func evenKey(dst, b []byte) []byte {
	start := len(dst)
	var vowel byte // the last vowel written
	for k := 0; k < len(b); k++ {
		c := b[k]
		out := dst[start:]
		var prev byte
		if len(out) > 0 {
			prev = out[len(out)-1]
		}
		switch {
		case c == 'h' && (prev == 'z' || prev == 'k' || prev == 'g'):
			switch prev {
			case 'z':
				dst[len(dst)-1] = 'j'
			case 'k':
				dst[len(dst)-1] = 'h'
			}
			continue
		case c == 'g' && prev == 'n':
			continue
		case c == 'i' && k+1 < len(b) && b[k+1] == 'e' && (len(out) == 0 || isKeyVowel(prev)):
			continue
		case c == 'i' && (vowel == 'u' || vowel == 'o'):
			c = 'u'
		case c >= 'a' && c <= 'z' && !isKeyVowel(c) && c == prev:
			continue
		}
		if isKeyVowel(c) {
			vowel = c
		}
		dst = append(dst, c)
	}
	return dst
}

// wordScript is the script of a word's first letter.
func wordScript(w string) script {
	for _, r := range w {
		if unicode.IsLetter(r) {
			return letterScript(r)
		}
	}
	return scriptOther
}

// IsKazakh reports whether a language code is Kazakh's: kk, kaz, or kk-
// with a script or region.
func IsKazakh(lang string) bool {
	lang = strings.ToLower(lang)
	return lang == "kk" || lang == "kaz" || strings.HasPrefix(lang, "kk-")
}

// keyWordEnd is where the word that starts at i ends, for the key: letters,
// digits and marks, and an apostrophe after a Latin letter (the 2017
// alphabet's s' is one letter). The caller has built wordRunes.
func keyWordEnd(text string, i int) int {
	j := i
	prevLatin := false
	for j < len(text) {
		r, n := decodeRune(text[j:])
		switch {
		case wordRune(r) || r >= 0x300 && unicode.Is(unicode.Mn, r):
			prevLatin = r < 0x80 || letterScript(r) == scriptLatin
		case prevLatin && isApostrophe(r):
			prevLatin = false
		default:
			return j
		}
		j += n
	}
	return j
}

// eachKeyWord calls fn with each word of text as the key reads it (see
// keyWordEnd), its bounds and its first rune, until fn returns false.
func eachKeyWord(text string, fn func(i, j int, r rune) bool) {
	wordOnce.Do(buildWordRunes)
	for i := 0; i < len(text); {
		r, n := decodeRune(text[i:])
		if !wordRune(r) {
			i += n
			continue
		}
		j := keyWordEnd(text, i)
		if !fn(i, j, r) {
			return
		}
		i = j
	}
}

func appendSpaced(dst []byte, word string) []byte {
	if len(dst) > 0 {
		dst = append(dst, ' ')
	}
	return appendKazakhKey(dst, word)
}

// EachMatch calls fn with the byte range of each word of text that terms
// (from Query.Words) match, in order, as a search marks them; kazakh says
// the text is in Kazakh, where the terms' keys match too.
func EachMatch(text string, terms []Term, kazakh bool, fn func(i, j int) bool) {
	eachMatch(text, terms, kazakh, func(i, j, _ int) bool { return fn(i, j) })
}

// FindKeyTerms are the terms by which the reader's find matches Kazakh
// text in another script or spelling than typed: the Kazakh key of each
// word typed, as a prefix. None when typed is not all Latin or all
// Cyrillic.
func FindKeyTerms(typed string) []Term {
	var out []Term
	for _, t := range (Term{Text: typed, Prefix: true}).words() {
		if t.Key != "" {
			out = append(out, t)
		}
	}
	return out
}
