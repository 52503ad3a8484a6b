package i18n

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"

	"kurultai/sessions/msg"

	"github.com/pelletier/go-toml/v2"
)

// Every message of Kazakh and Russian is in the other, and each plural
// message has the forms its language needs: Kazakh one and other, Russian
// one, few, many and other (CLDR).
func TestCataloguesAgree(t *testing.T) {
	kk, err := Keys(Kazakh)
	if err != nil {
		t.Fatal(err)
	}
	ru, err := Keys(Russian)
	if err != nil {
		t.Fatal(err)
	}
	en, err := Keys(English)
	if err != nil {
		t.Fatal(err)
	}
	for k := range kk {
		if _, ok := ru[k]; !ok {
			t.Errorf("%q is in kk.toml, not in ru.toml", k)
		}
	}
	for k, forms := range ru {
		if _, ok := kk[k]; !ok {
			t.Errorf("%q is in ru.toml, not in kk.toml", k)
		}
		if forms != nil && !slices.Equal(forms, []string{"few", "many", "one", "other"}) {
			t.Errorf("ru %q has the forms %q", k, forms)
		}
	}
	for k, forms := range en {
		if !slices.Equal(forms, []string{"one", "other"}) {
			t.Errorf("en %q has the forms %q", k, forms)
		}
		if _, ok := ru[k]; !ok {
			t.Errorf("en %q is not in ru.toml", k)
		}
	}
	for k, forms := range kk {
		if forms != nil && !slices.Equal(forms, []string{"one", "other"}) {
			t.Errorf("kk %q has the forms %q", k, forms)
		}
	}
	// A translation keeps its message's verbs: one that lost a %d would
	// drop its number.
	for _, lang := range Langs {
		msgs, err := readCatalogue(lang)
		if err != nil {
			t.Fatal(err)
		}
		for k, e := range msgs {
			texts := []string{e.text}
			if e.forms != nil {
				texts = texts[:0]
				for _, s := range e.forms {
					texts = append(texts, s)
				}
			}
			for _, s := range texts {
				if verbs(s) != verbs(k) {
					t.Errorf("%s %q: %q has other verbs", lang, k, s)
				}
			}
		}
	}
}

// verbs counts a format's verbs, whatever their order.
func verbs(s string) int {
	return strings.Count(strings.ReplaceAll(s, "%%", ""), "%")
}

func TestPlurals(t *testing.T) {
	for _, tc := range []struct {
		lang string
		n    int
		want string
	}{
		{English, 1, "1 session"}, {English, 2, "2 sessions"}, {English, 12408, "12,408 sessions"},
		{Russian, 1, "1 заседание"}, {Russian, 3, "3 заседания"}, {Russian, 5, "5 заседаний"},
		{Russian, 11, "11 заседаний"}, {Russian, 21, "21 заседание"}, {Russian, 22, "22 заседания"},
		{Russian, 12408, "12\u00a0408 заседаний"},
		{Kazakh, 1, "1 отырыс"}, {Kazakh, 5, "5 отырыс"}, {Kazakh, 12408, "12\u00a0408 отырыс"},
	} {
		if got := New(tc.lang).T("%d sessions", tc.n); got != tc.want {
			t.Errorf("%s %d: %q, want %q", tc.lang, tc.n, got, tc.want)
		}
	}
}

func TestNumbersAndDates(t *testing.T) {
	for _, tc := range []struct {
		lang, iso, date string
		n               int64
		num             string
	}{
		{English, "2026-01-20", "20 January 2026", 12408, "12,408"},
		{Kazakh, "2026-01-20", "20 қаңтар 2026", 12408, "12\u00a0408"},
		{Russian, "2026-01-20", "20 января 2026", 12408, "12\u00a0408"},
		{Russian, "2026-03", "март 2026", 7, "7"},
		{Kazakh, "2026", "2026", 1234567, "1\u00a0234\u00a0567"},
		{English, "20-01-2026", "20-01-2026", -5, "-5"},
		{Kazakh, "2026-13-01", "2026-13-01", 0, "0"},
	} {
		p := New(tc.lang)
		if got := p.Date(tc.iso); got != tc.date {
			t.Errorf("%s Date(%q) = %q, want %q", tc.lang, tc.iso, got, tc.date)
		}
		if got := p.N(tc.n); got != tc.num {
			t.Errorf("%s N(%d) = %q, want %q", tc.lang, tc.n, got, tc.num)
		}
	}
}

func TestFromEnv(t *testing.T) {
	for _, tc := range []struct {
		env  map[string]string
		want string
	}{
		{nil, English},
		{map[string]string{"LANG": "kk_KZ.UTF-8"}, Kazakh},
		{map[string]string{"LANG": "ru_RU.UTF-8"}, Russian},
		{map[string]string{"LANG": "ru_RU.UTF-8", "LC_MESSAGES": "kk_KZ"}, Kazakh},
		{map[string]string{"LANG": "kk_KZ", "LC_ALL": "en_GB.UTF-8"}, English},
		{map[string]string{"LANG": "C.UTF-8"}, English},
		{map[string]string{"LANG": "de_DE"}, English},
	} {
		if got := FromEnv(func(k string) string { return tc.env[k] }); got != tc.want {
			t.Errorf("%v: %s, want %s", tc.env, got, tc.want)
		}
	}
}

// BenchmarkCatalogue reads a language's catalogue, as its first printer
// does, once a process.
func BenchmarkCatalogue(b *testing.B) {
	for _, lang := range Langs {
		b.Run(lang, func(b *testing.B) {
			for b.Loop() {
				if _, err := build(lang); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// TestErrorsAndNotes: what the layers below the interface say (package
// msg) is said in the printer's language, with each language's plural and
// grouping of the count; English is the message's own text; what the
// system says stays as it is.
func TestErrorsAndNotes(t *testing.T) {
	note := func(n int64) msg.Text {
		return msg.Pick(n,
			msg.T("%v result in titles or speakers' names is not counted: a trend counts running text", msg.Count(n)),
			msg.T("%v results in titles or speakers' names are not counted: a trend counts running text", msg.Count(n)))
	}
	ru := New(Russian)
	for n, want := range map[int64]string{
		1:     "1 результат в названиях",
		21:    "21 результат в названиях",
		3:     "3 результата в названиях",
		12408: "12\u00a0408 результатов в названиях",
	} {
		if got := ru.M(note(n)); !strings.HasPrefix(got, want) {
			t.Errorf("ru, %d: %q, want it to begin %q", n, got, want)
		}
	}
	if got, want := New(English).M(note(12408)), "12,408 results in titles or speakers' names are not counted: a trend counts running text"; got != want {
		t.Errorf("en: %q, want %q", got, want)
	}
	err := msg.Errorf("%s: %v", "nk-9.md", fmt.Errorf("the disk said no"))
	if got := New(Kazakh).Err(err); got != "nk-9.md: the disk said no" {
		t.Errorf("kk: a message with no words of its own became %q", got)
	}
	// A number that names something (a follow's) is written as it is, to
	// be typed back; a count is grouped.
	id := msg.Errorf("there is no follow %d; follow list shows the numbers", 12346)
	if got := ru.Err(id); !strings.Contains(got, "12346") || !strings.Contains(ru.M(note(12408)), "12\u00a0408") {
		t.Errorf("ru: an id said as %q", got)
	}
	if got := New(English).T("follow %d: %s %s; what arrives from now on counts as new", msg.Plain(12346), "search", "x"); !strings.HasPrefix(got, "follow 12346:") {
		t.Errorf("en: a Plain said as %q", got)
	}
	var nilPrinter *Printer
	if got := nilPrinter.Err(msg.New("not found")); got != "not found" {
		t.Errorf("a nil printer said %q", got)
	}
	if got := New(Kazakh).Err(msg.New("not found")); got == "not found" || got == "" {
		t.Errorf("kk said %q for not found", got)
	}
}

// TestReadCatalogueAsTOML: the catalogues read line by line are what
// go-toml's Unmarshal (which also refuses a key given twice) reads of
// them; no translation is the key of a plural message, which T would take
// for that message.
func TestReadCatalogueAsTOML(t *testing.T) {
	for _, lang := range Langs {
		b, err := files.ReadFile(lang + ".toml")
		if err != nil {
			t.Fatal(err)
		}
		var want map[string]any
		if err := toml.Unmarshal(b, &want); err != nil {
			t.Fatalf("%s.toml: %v", lang, err)
		}
		got, err := readCatalogue(lang)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != len(want) {
			t.Errorf("%s: read %d messages, Unmarshal %d", lang, len(got), len(want))
		}
		for k, w := range want {
			g := got[k]
			switch w := w.(type) {
			case string:
				if g.text != w || g.forms != nil {
					t.Errorf("%s: %q read as %+v, want %q", lang, k, g, w)
				}
			case map[string]any:
				for f, v := range w {
					if s, ok := v.(string); ok && g.forms[f] != s {
						t.Errorf("%s: %q form %s read as %q, want %q", lang, k, f, g.forms[f], s)
					}
					if n, ok := v.(int64); ok && f == "arg" && int64(g.arg) != n {
						t.Errorf("%s: %q arg read as %d, want %d", lang, k, g.arg, n)
					}
				}
			}
		}
		for _, e := range got {
			if e.forms == nil {
				if p, ok := got[e.text]; ok && p.forms != nil {
					t.Errorf("%s: the translation %q is the key of a plural message", lang, e.text)
				}
			}
		}
	}
}

var pluralVerbs = regexp.MustCompile(`%(?:\[\d+\])?[-+# 0-9.]*([a-z])`)

// TestEveryPluralCompiles: every plural message, which a printer compiles
// the first time it is asked for, compiles, and says each count.
func TestEveryPluralCompiles(t *testing.T) {
	for _, lang := range Langs {
		c, err := build(lang)
		if err != nil {
			t.Fatal(err)
		}
		var keys []string
		for k := range c.pending {
			keys = append(keys, k)
		}
		p := New(lang)
		for _, k := range keys {
			for _, n := range []int{1, 2, 5, 21} {
				var args []any
				for _, v := range pluralVerbs.FindAllStringSubmatch(k, -1) {
					if v[1] == "s" || v[1] == "q" {
						args = append(args, "x")
					} else {
						args = append(args, n)
					}
				}
				if got := p.T(k, args...); got == "" || strings.Contains(got, "%!") {
					t.Errorf("%s: %q with %d says %q", lang, k, n, got)
				}
			}
		}
		if len(keys) == 0 && lang != Kazakh { // Kazakh has one form after a number
			t.Errorf("%s has no plural messages", lang)
		}
	}
}
