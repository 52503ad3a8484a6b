// Package i18n gives kurultai's interface in Kazakh, Russian and English:
// its messages from the catalogues kk.toml, ru.toml and en.toml beside this
// file, with each language's plural rules, and numbers and dates as each
// language writes them (12 408, 20 қаңтар 2026). What kurultai writes for
// programs (JSON, CSV, counts, exports) never passes through it.
//
// A message's key is its English text, a format for fmt: code reads
// p.T("%d sessions", n), and English is the fallback for anything a
// catalogue lacks. The catalogues are read once, when the first printer of
// a language other than English is made, so that a command that says
// nothing (kurultai version) does not pay for them.
package i18n

import (
	"embed"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/pelletier/go-toml/v2"
	"golang.org/x/text/feature/plural"
	"golang.org/x/text/language"
	"golang.org/x/text/message"
	"golang.org/x/text/message/catalog"
)

// The languages of the interface.
const (
	English = "en"
	Kazakh  = "kk"
	Russian = "ru"
)

// Langs are the languages of the interface, as --lang and the config
// file name them.
var Langs = []string{English, Kazakh, Russian}

//go:embed en.toml kk.toml ru.toml
var files embed.FS

var tags = map[string]language.Tag{English: language.English, Kazakh: language.Kazakh, Russian: language.Russian}

// catalogues are built a language at a time, when its first printer is
// made: English's from en.toml alone, another's from en.toml and its own.
var catalogues [3]struct {
	once sync.Once
	cat  *catalog.Builder
	err  error
}

func catalogueOf(lang string) (*catalog.Builder, error) {
	i := slices.Index(Langs, lang)
	c := &catalogues[i]
	c.once.Do(func() { c.cat, c.err = build(lang) })
	return c.cat, c.err
}

// build reads English's catalogue and, for another language, its own.
func build(lang string) (*catalog.Builder, error) {
	cat := catalog.NewBuilder(catalog.Fallback(language.English))
	for _, l := range []string{English, lang} {
		if l == English && lang != English {
			continue // English's plurals are English's only
		}
		msgs, err := readCatalogue(l)
		if err != nil {
			return nil, err
		}
		for key, m := range msgs {
			if err := m.set(cat, tags[l], key); err != nil {
				return nil, fmt.Errorf("%s.toml: %q: %w", l, key, err)
			}
		}
	}
	return cat, nil
}

// entry is one message of a catalogue: a text, or a text for each plural
// form of one of its numbers (arg, 1 for the first).
type entry struct {
	text  string
	forms map[string]string
	arg   int
}

var pluralForms = []string{"zero", "one", "two", "few", "many", "other"}

func (e entry) set(b *catalog.Builder, tag language.Tag, key string) error {
	if e.forms == nil {
		return b.SetString(tag, key, e.text)
	}
	var cases []any
	for _, f := range pluralForms {
		if s, ok := e.forms[f]; ok {
			cases = append(cases, f, s)
		}
	}
	return b.Set(tag, key, plural.Selectf(e.arg, "", cases...))
}

// readCatalogue reads one language's file: key = "text", or key = { one =
// "…", few = "…", many = "…", other = "…", arg = N }.
func readCatalogue(lang string) (map[string]entry, error) {
	b, err := files.ReadFile(lang + ".toml")
	if err != nil {
		return nil, err
	}
	var raw map[string]any
	if err := toml.Unmarshal(b, &raw); err != nil {
		return nil, fmt.Errorf("%s.toml: %w", lang, err)
	}
	out := make(map[string]entry, len(raw))
	for key, v := range raw {
		switch v := v.(type) {
		case string:
			out[key] = entry{text: v}
		case map[string]any:
			e := entry{forms: map[string]string{}, arg: 1}
			for f, s := range v {
				switch s := s.(type) {
				case string:
					e.forms[f] = s
				case int64:
					if f == "arg" {
						e.arg = int(s)
						continue
					}
					return nil, fmt.Errorf("%s.toml: %q: %s is not a plural form", lang, key, f)
				}
			}
			if e.forms["other"] == "" {
				return nil, fmt.Errorf("%s.toml: %q has no other form", lang, key)
			}
			out[key] = e
		default:
			return nil, fmt.Errorf("%s.toml: %q is neither a text nor plural forms", lang, key)
		}
	}
	return out, nil
}

// Keys lists the messages of a language's catalogue, sorted, with their
// plural forms (nil for a plain text): for the tests that hold the
// catalogues to the code.
func Keys(lang string) (map[string][]string, error) {
	msgs, err := readCatalogue(lang)
	if err != nil {
		return nil, err
	}
	out := make(map[string][]string, len(msgs))
	for k, e := range msgs {
		var forms []string
		for f := range e.forms {
			forms = append(forms, f)
		}
		sort.Strings(forms)
		out[k] = forms
	}
	return out, nil
}

// Printer says messages in one language.
type Printer struct {
	lang string
	p    *message.Printer
}

// New gives the printer of a language; an unknown one is English.
func New(lang string) *Printer {
	if _, ok := tags[lang]; !ok {
		lang = English
	}
	cat, err := catalogueOf(lang)
	if err != nil {
		// The catalogues are built in and tested: this is a broken build.
		panic("i18n: " + err.Error())
	}
	return &Printer{lang: lang, p: message.NewPrinter(tags[lang], message.Catalog(cat))}
}

// Lang is the printer's language.
func (p *Printer) Lang() string {
	if p == nil {
		return English
	}
	return p.lang
}

// T says a message, its arguments put in as fmt does, numbers grouped as
// the language groups them. A nil printer speaks English.
func (p *Printer) T(key string, args ...any) string {
	if p == nil {
		p = english()
	}
	return p.p.Sprintf(key, args...)
}

var (
	englishOnce    sync.Once
	englishPrinter *Printer
)

// english is the printer of English, for code that has none of its own.
func english() *Printer {
	englishOnce.Do(func() { englishPrinter = New(English) })
	return englishPrinter
}

// S says a message that takes no arguments, whose text is not known
// until the program runs (a key's help, a tab's name). Such a text has no
// verbs.
func (p *Printer) S(text string) string {
	if p == nil {
		p = english()
	}
	var ref message.Reference = text
	return p.p.Sprintf(ref)
}

// N writes a whole number as the language does: 12,408, 12 408.
func (p *Printer) N(n int64) string {
	if p == nil {
		p = english()
	}
	return p.p.Sprint(n)
}

var months = map[string][12]string{
	English: {"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"},
	// Kazakh names its months in the nominative after the day.
	Kazakh: {"қаңтар", "ақпан", "наурыз", "сәуір", "мамыр", "маусым", "шілде", "тамыз", "қыркүйек", "қазан", "қараша", "желтоқсан"},
	// Russian in the genitive: 20 января.
	Russian: {"января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября", "октября", "ноября", "декабря"},
}

// Date writes an ISO date (2026-01-20, 2026-01 or 2026) as the language
// does: 20 January 2026, 20 қаңтар 2026, 20 января 2026. Anything else is
// returned as it is.
func (p *Printer) Date(iso string) string {
	lang := p.Lang()
	parts := strings.Split(iso, "-")
	if len(parts) > 3 || len(parts[0]) != 4 {
		return iso
	}
	nums := make([]int, len(parts))
	for i, s := range parts {
		n, err := strconv.Atoi(s)
		if err != nil || i > 0 && len(s) != 2 {
			return iso
		}
		nums[i] = n
	}
	switch len(nums) {
	case 1:
		return parts[0]
	case 2:
		if nums[1] < 1 || nums[1] > 12 {
			return iso
		}
		m := months[lang][nums[1]-1]
		if lang == Russian {
			m = nominativeRu[nums[1]-1]
		}
		return m + " " + parts[0]
	}
	if nums[1] < 1 || nums[1] > 12 || nums[2] < 1 || nums[2] > 31 {
		return iso
	}
	return strconv.Itoa(nums[2]) + " " + months[lang][nums[1]-1] + " " + parts[0]
}

// nominativeRu are the Russian months alone: январь 2026.
var nominativeRu = [12]string{"январь", "февраль", "март", "апрель", "май", "июнь", "июль", "август", "сентябрь", "октябрь", "ноябрь", "декабрь"}

// FromEnv picks the interface's language from the locale, as LC_ALL,
// LC_MESSAGES and LANG give it, in that order: kk_KZ.UTF-8 is Kazakh,
// ru_RU.UTF-8 Russian; any other, and none, English.
func FromEnv(getenv func(string) string) string {
	for _, name := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		v := getenv(name)
		if v == "" {
			continue
		}
		return Parse(v)
	}
	return English
}

// Parse reads a language as a locale or a tag names it (kk, kk_KZ.UTF-8,
// ru-RU): one of Langs, English for any other.
func Parse(s string) string {
	s = strings.ToLower(s)
	if i := strings.IndexAny(s, "_.-@"); i >= 0 {
		s = s[:i]
	}
	if _, ok := tags[s]; ok {
		return s
	}
	return English
}

// Known says whether s names a language of the interface exactly.
func Known(s string) bool {
	_, ok := tags[s]
	return ok
}
