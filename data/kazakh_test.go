package data

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// Each letter of each official alphabet has the key of its Cyrillic
// letter: alone, in capitals, and inside a word.
func TestKazakhAlphabets(t *testing.T) {
	for _, version := range []string{"2017", "2018", "2021"} {
		letters := kazakhAlphabets[version]
		if len(letters) < 31 {
			t.Errorf("%s: %d letters", version, len(letters))
		}
		for _, l := range letters {
			cyr, lat := l[0], l[1]
			for _, frame := range []string{"%s", "та%sт", "ТА%sТ"} {
				c := strings.Replace(frame, "%s", cyr, 1)
				w := strings.Replace(strings.NewReplacer("та", "ta", "т", "t", "ТА", "TA", "Т", "T").Replace(frame), "%s", lat, 1)
				if strings.HasPrefix(frame, "ТА") {
					c, w = strings.ToUpper(c), strings.ToUpper(w)
				}
				if kc, kl := KazakhKey(c), KazakhKey(w); kc != kl || kc == "" {
					t.Errorf("%s: %s is %q, %s is %q", version, c, kc, w, kl)
				}
			}
		}
	}
}

// The letters that mean different things in different alphabets, and the
// classes the key puts them in.
func TestKazakhAmbiguousLetters(t *testing.T) {
	same := [][]string{
		// i: і in 2017 and 2018, и and й in 2021; ı: и and й in 2018, і
		// in 2021; y: ы in every version; i': и and й in 2017.
		{"і", "и", "й", "ы", "i", "ı", "y", "i'", "İ", "I"},
		// u: ұ in 2017 and 2018, у in 2021; y' and ý: у in 2017 and
		// 2018; ú, u': ү; ū: ұ in 2021; ü: ү in 2021.
		{"ұ", "ү", "у", "u", "ú", "u'", "ū", "ü", "ý", "y'"},
		{"а", "ә", "a", "á", "ä", "a'"},
		{"о", "ө", "o", "ó", "ö", "o'"},
		{"к", "қ", "k", "q"},
		{"г", "ғ", "g", "ǵ", "ğ", "g'", "gh"},
		{"н", "ң", "n", "ń", "ñ", "ŋ", "n'", "ng"},
		{"х", "һ", "h", "kh"},
		{"ш", "sh", "s'", "ş", "ś"},
		{"ч", "ch", "c'", "ç"},
		{"ж", "j", "zh"},
		// 2018's sh is also с then х: асхана and ашана are one.
		{"асхана", "ашана", "ashana"},
	}
	for _, class := range same {
		k := KazakhKey(class[0])
		for _, l := range class[1:] {
			if got := KazakhKey(l); got != k {
				t.Errorf("%s is %q, %s is %q: they should be one", class[0], k, l, got)
			}
		}
	}
	differ := [][2]string{
		{"шымкент", "сымкент"}, {"ш", "с"}, {"ч", "с"}, {"ж", "з"}, {"а", "е"}, {"ы", "ұ"},
		{"бар", "бер"}, {"қазақ", "қазық"}, {"Kazakhstan", "Қазақстан"},
	}
	for _, p := range differ {
		if KazakhKey(p[0]) == KazakhKey(p[1]) {
			t.Errorf("%s and %s have one key %q", p[0], p[1], KazakhKey(p[0]))
		}
	}
}

// Spellings seen in print, each against its Cyrillic.
func TestKazakhKeySpellings(t *testing.T) {
	for _, c := range [][2]string{
		{"Шымкент", "Shymkent"}, {"Шымкент", "S'ymkent"}, {"Шымкент", "Şymkent"},
		{"Әділет", "A'dilet"}, {"Әділет", "Ádilet"}, {"Әділет", "Ädilet"}, {"Әділет", "Adilet"},
		{"Ұлттық", "Ulttyq"}, {"құрылтай", "Qurultay"}, {"құрылтай", "qurultai"}, {"құрылтай", "Qurylta\u0131"},
		{"құрылтай", "Qūryltai"}, {"Назарбаев", "Nazarbayev"}, {"Қасым", "Kassym"}, {"Тоқаев", "Tokayev"},
		{"Жомарт", "Zhomart"}, {"Жомарт", "Jomart"}, {"Теңіз", "Tengiz"}, {"Теңіз", "Teñiz"},
		{"Қазақстан", "Qazaqstan"}, {"Байтұрсынов", "Baiturssynov"}, {"Ерлан", "Yerlan"},
		{"Жамбыл", "Zhambyl"}, {"Семей", "Semey"}, {"Абай", "Abay"}, {"Қызылорда", "Kyzylorda"},
		{"тең", "ten'"}, {"дүниеге", "du'ni'ege"}, {"айтуынша", "aıtýynsha"}, {"Тұңғыш", "Tuńǵysh"},
		{"шаһарының", "şaharynyñ"}, {"Мұхтар", "Muhtar"}, {"Ахметов", "Akhmetov"},
	} {
		if a, b := KazakhKey(c[0]), KazakhKey(c[1]); a != b {
			t.Errorf("%s is %q, %s is %q", c[0], a, c[1], b)
		}
	}
	if KazakhKey("2024") != "2024" || KazakhKey("ευχαριστώ") != "ευχαριστώ" || KazakhKey("...") != "" {
		t.Errorf("digits %q, Greek %q, punctuation %q", KazakhKey("2024"), KazakhKey("ευχαριστώ"), KazakhKey("..."))
	}
}

func BenchmarkKazakhKeys(b *testing.B) {
	text := strings.Repeat("Президент Ұлттық құрылтайдың бесінші отырысын Қызылордада ашты; Qurultai Shymkent S'ymkent ", 20)
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		rowColumns(newKazakhVocab(), true, text)
	}
}

// The first-letter test of the highlighter never passes over a word whose
// key matches: for words of every spelling, each key's first byte is let
// through by the word's first letter.
func TestMayKeyTo(t *testing.T) {
	words := []string{"Zhambyl", "Жамбыл", "Khan", "Хан", "Kazakhstan", "Yerlan", "Ерлан", "иесі", "ьа", "Shymkent", "S'ymkent",
		"Şymkent", "Ngaire", "Ğabit", "Ünal", "Ýmit", "ıqylas", "Qurultai", "ЁЛКА", "ъезд", "Tengiz", "ю", "я"}
	for _, c := range kazakhAlphabets["2018"] {
		words = append(words, c[0], c[1], strings.ToUpper(c[0]), c[1]+"a", c[0]+"х")
	}
	for _, w := range words {
		k := KazakhKey(w)
		if k == "" {
			continue
		}
		var firsts [256]bool
		firsts[k[0]] = true
		r, _ := utf8.DecodeRuneInString(w)
		if !mayKeyTo(r, &firsts) {
			t.Errorf("%q keys to %q, but its first letter is passed over", w, k)
		}
	}
}
