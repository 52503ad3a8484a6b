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

	"kurultai/sessions/msg"

	"github.com/pelletier/go-toml/v2/unstable"
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

// catalogue is one language's messages: the plain texts in a map, looked
// up before formatting, and those with plural forms in an x/text catalogue,
// which chooses the form by the count. A plural message is compiled into
// it the first time it is asked for: compiling them all took longer than
// reading the file, and a command says few of them.
type catalogue struct {
	plurals *catalog.Builder
	plain   map[string]string
	tag     language.Tag
	mu      sync.Mutex
	pending map[string]entry // plural messages not compiled yet
}

// catalogues are built a language at a time, when its first printer is
// made: English's from en.toml alone, another's from its own file.
var catalogues [3]struct {
	once sync.Once
	cat  *catalogue
	err  error
}

func catalogueOf(lang string) (*catalogue, error) {
	i := slices.Index(Langs, lang)
	c := &catalogues[i]
	c.once.Do(func() { c.cat, c.err = build(lang) })
	return c.cat, c.err
}

// build reads a language's catalogue.
func build(lang string) (*catalogue, error) {
	c := &catalogue{plurals: catalog.NewBuilder(catalog.Fallback(language.English)), plain: map[string]string{},
		tag: tags[lang], pending: map[string]entry{}}
	msgs, err := readCatalogue(lang)
	if err != nil {
		return nil, err
	}
	for key, m := range msgs {
		if m.forms == nil {
			c.plain[key] = m.text
		} else {
			c.pending[key] = m
		}
	}
	return c, nil
}

// ready compiles a plural message the first time it is asked for.
func (c *catalogue) ready(key string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	m, ok := c.pending[key]
	if !ok {
		return
	}
	delete(c.pending, key)
	if err := m.set(c.plurals, c.tag, key); err != nil {
		// The catalogues are built in, and TestEveryPluralCompiles
		// compiles every one: this is a broken build.
		panic(fmt.Sprintf("i18n: %q: %v", key, err))
	}
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
// "…", few = "…", many = "…", other = "…", arg = N }. It reads the TOML
// with go-toml's parser a message at a time, not with Unmarshal, whose
// check for keys given twice grows with the square of a table's keys. A
// key given twice is refused all the same.
func readCatalogue(lang string) (map[string]entry, error) {
	b, err := files.ReadFile(lang + ".toml")
	if err != nil {
		return nil, err
	}
	fail := func(format string, args ...any) (map[string]entry, error) {
		return nil, fmt.Errorf("%s.toml: "+format, append([]any{lang}, args...)...)
	}
	out := map[string]entry{}
	var p unstable.Parser
	p.Reset(b)
	for p.NextExpression() {
		e := p.Expression()
		if e.Kind != unstable.KeyValue {
			return fail("only messages, key = value, belong here")
		}
		key, ok := oneKey(e.Key())
		if !ok {
			return fail("a message's key is one quoted text")
		}
		if _, dup := out[key]; dup {
			return fail("%q is given twice", key)
		}
		v := e.Value()
		switch v.Kind {
		case unstable.String:
			out[key] = entry{text: string(v.Data)}
		case unstable.InlineTable:
			en := entry{forms: map[string]string{}, arg: 1}
			for it := v.Children(); it.Next(); {
				kv := it.Node()
				f, ok := oneKey(kv.Key())
				fv := kv.Value()
				switch {
				case !ok:
					return fail("%q: a plural form's name is one word", key)
				case f == "arg" && fv.Kind == unstable.Integer:
					n, err := strconv.Atoi(string(fv.Data))
					if err != nil || n < 1 {
						return fail("%q: arg = %s is not a verb's number", key, fv.Data)
					}
					en.arg = n
				case slices.Contains(pluralForms, f) && fv.Kind == unstable.String:
					en.forms[f] = string(fv.Data)
				default:
					return fail("%q: %s is not a plural form", key, f)
				}
			}
			if en.forms["other"] == "" {
				return fail("%q has no other form", key)
			}
			out[key] = en
		default:
			return fail("%q is neither a text nor plural forms", key)
		}
	}
	if err := p.Error(); err != nil {
		return fail("%v", err)
	}
	return out, nil
}

// oneKey is a key of one part: "text", not a.b.
func oneKey(it unstable.Iterator) (string, bool) {
	if !it.Next() {
		return "", false
	}
	k := string(it.Node().Data)
	return k, !it.Next()
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
	lang  string
	p     *message.Printer
	plain map[string]string
	cat   *catalogue
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
	return &Printer{lang: lang, p: message.NewPrinter(tags[lang], message.Catalog(cat.plurals)), plain: cat.plain, cat: cat}
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
	if text, ok := p.plain[key]; ok {
		key = text
	} else {
		p.cat.ready(key)
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
	if t, ok := p.plain[text]; ok {
		return t
	}
	p.cat.ready(text)
	var ref message.Reference = text
	return p.p.Sprintf(ref)
}

// Err says an error in the printer's language: what kurultai says of it
// (package msg) translated, what the system says as it is. English is the
// error's own text.
func (p *Printer) Err(err error) string {
	if p.Lang() == English {
		return msg.Say(err, nil)
	}
	return msg.Say(err, p.T)
}

// M says a message of the layers below the interface (a search's note, a
// chart's) in the printer's language.
func (p *Printer) M(t msg.Text) string {
	if p.Lang() == English {
		return t.String()
	}
	return t.Say(p.T)
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
