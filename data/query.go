package data

import (
	"fmt"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"kurultai/sessions"
)

// The search language. Whatever a person types is accepted: anything that
// is not understood is searched as words, and anything that cannot be
// searched (punctuation alone, an unknown field value) is set aside with a
// note, never an error.
//
//	referendum "vice president" reform*   all must match; a phrase; a prefix
//	parliament -senate                    exclude a word
//	kurultai OR parliament                either
//	speaker:tokayev session:nk-5 kind:proposal lang:kk
//	from:2024-01-01 to:2025-12-31         dates, also YYYY or YYYY-MM

// Term is one thing to match: a word, a prefix or a phrase.
type Term struct {
	Text   string // the words as typed, without quotes or *
	Prefix bool
	Phrase bool
}

// Query is a parsed search.
type Query struct {
	// All holds groups that must all match; the terms of a group are
	// alternatives (OR).
	All     [][]Term
	Exclude []Term
	Speaker string
	Session string
	Kind    string // speech, proposal or session
	Lang    string
	From    string // YYYY-MM-DD
	To      string // YYYY-MM-DD
	Notes   []string

	speakerIDs []string // the speakers Speaker names, once looked up
	cut        bool     // words past maxTerms were left out
}

// maxQuery bounds what is read of a query: longer input is cut, with a note.
const maxQuery = 1000

// maxTerms bounds the words a query searches for, which keeps the FTS5
// expression well inside its depth limit.
const maxTerms = 64

func (q *Query) positives() int {
	n := 0
	for _, g := range q.All {
		n += len(g)
	}
	return n
}

// ParseQuery reads the search language. It never fails.
func ParseQuery(s string) Query {
	var q Query
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, " ")
	}
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return ' '
		}
		return r
	}, s)
	if utf8.RuneCountInString(s) > maxQuery {
		s = string([]rune(s)[:maxQuery])
		q.Notes = append(q.Notes, fmt.Sprintf("the query was cut to its first %d characters", maxQuery))
	}
	orNext := false
	for _, tok := range tokenize(s) {
		switch {
		case tok.text == "OR" && !tok.quoted:
			orNext = len(q.All) > 0
			continue
		case tok.field != "":
			q.setField(tok.field, tok.text)
			continue
		}
		t := Term{Text: tok.text, Phrase: tok.quoted}
		if !tok.quoted && strings.HasSuffix(t.Text, "*") {
			t.Text, t.Prefix = strings.TrimRight(t.Text, "*"), true
		}
		if !searchable(t.Text) {
			if strings.TrimSpace(tok.text) != "" && tok.text != "-" && strings.Trim(tok.text, "*") != "" {
				q.Notes = append(q.Notes, fmt.Sprintf("%q has no letters or digits to search for", tok.text))
			}
			orNext = false
			continue
		}
		if terms := len(q.Exclude) + q.positives(); terms >= maxTerms {
			if !q.cut {
				q.cut = true
				q.Notes = append(q.Notes, fmt.Sprintf("only the first %d words are searched", maxTerms))
			}
			continue
		}
		if tok.exclude {
			q.Exclude = append(q.Exclude, t)
			orNext = false
			continue
		}
		if orNext {
			last := len(q.All) - 1
			q.All[last] = append(q.All[last], t)
		} else {
			q.All = append(q.All, []Term{t})
		}
		orNext = false
	}
	return q
}

type token struct {
	text    string
	quoted  bool
	exclude bool
	field   string
}

var fields = map[string]bool{"speaker": true, "session": true, "kind": true, "lang": true, "from": true, "to": true}

// tokenize splits a query at white space, keeping "quoted phrases" whole
// (an unclosed quote runs to the end) and field:value pairs together.
func tokenize(s string) []token {
	var out []token
	rs := []rune(s)
	for i := 0; i < len(rs); {
		if unicode.IsSpace(rs[i]) {
			i++
			continue
		}
		var t token
		if rs[i] == '-' && i+1 < len(rs) && !unicode.IsSpace(rs[i+1]) {
			t.exclude = true
			i++
		}
		// field:value
		j := i
		for j < len(rs) && (unicode.IsLetter(rs[j])) {
			j++
		}
		if j < len(rs) && rs[j] == ':' && fields[strings.ToLower(string(rs[i:j]))] && !t.exclude {
			t.field = strings.ToLower(string(rs[i:j]))
			i = j + 1
		}
		if i < len(rs) && rs[i] == '"' {
			end := i + 1
			for end < len(rs) && rs[end] != '"' {
				end++
			}
			t.text, t.quoted = string(rs[i+1:end]), true
			i = min(end+1, len(rs))
		} else {
			end := i
			for end < len(rs) && !unicode.IsSpace(rs[end]) {
				end++
			}
			t.text = string(rs[i:end])
			i = end
		}
		out = append(out, t)
	}
	return out
}

// searchable reports whether text has a letter or digit for the index.
func searchable(s string) bool {
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return true
		}
	}
	return false
}

func (q *Query) setField(field, value string) {
	value = strings.TrimSpace(value)
	if value == "" {
		q.Notes = append(q.Notes, fmt.Sprintf("%s: needs a value", field))
		return
	}
	switch field {
	case "speaker":
		q.Speaker = value
	case "session":
		q.Session = value
	case "lang":
		q.Lang = strings.ToLower(value)
	case "kind":
		switch k := strings.ToLower(value); k {
		case "speech", "speeches", "paragraph":
			q.Kind = "speech"
		case "proposal", "proposals":
			q.Kind = "proposal"
		case "session", "sessions":
			q.Kind = "session"
		default:
			q.Notes = append(q.Notes, fmt.Sprintf("kind:%s is not speech, proposal or session; left out", value))
		}
	case "from", "to":
		date, ok := expandDate(value, field == "to")
		if !ok {
			q.Notes = append(q.Notes, fmt.Sprintf("%s:%s is not a date (YYYY, YYYY-MM or YYYY-MM-DD); left out", field, value))
			return
		}
		if field == "from" {
			q.From = date
		} else {
			q.To = date
		}
	}
}

// expandDate turns YYYY, YYYY-MM or YYYY-MM-DD into a full date: the first
// day of the span, or with end, the last.
func expandDate(s string, end bool) (string, bool) {
	if err := sessions.ValidPartialDate(s); err != nil {
		return "", false
	}
	switch len(s) {
	case 4:
		if end {
			return s + "-12-31", true
		}
		return s + "-01-01", true
	case 7:
		if end {
			return s + "-31", true // compared as text, so -31 covers every month
		}
		return s + "-01", true
	}
	return s, true
}

// Empty reports whether there is nothing to match.
func (q Query) Empty() bool { return len(q.All) == 0 }

func quoteFTS(t Term) string {
	s := `"` + strings.ReplaceAll(t.Text, `"`, `""`) + `"`
	if t.Prefix {
		s += "*"
	}
	return s
}

// Match is the FTS5 expression for the query: only quoted strings and the
// operators AND, OR and NOT, so that no input can be read as FTS5 syntax.
func (q Query) Match() string {
	if q.Empty() {
		return ""
	}
	groups := make([]string, len(q.All))
	for i, g := range q.All {
		alts := make([]string, len(g))
		for j, t := range g {
			alts[j] = quoteFTS(t)
		}
		groups[i] = "(" + strings.Join(alts, " OR ") + ")"
	}
	expr := strings.Join(groups, " AND ")
	if len(q.Exclude) > 0 {
		// One NOT for all the exclusions keeps the expression shallow.
		ex := make([]string, len(q.Exclude))
		for i, t := range q.Exclude {
			ex[i] = quoteFTS(t)
		}
		expr = "(" + expr + ") NOT (" + strings.Join(ex, " OR ") + ")"
	}
	return expr
}

// Words are the words of the positive terms, folded, for marking matches in
// snippets and text.
func (q Query) Words() []Term {
	var out []Term
	for _, g := range q.All {
		for _, t := range g {
			for _, w := range strings.FieldsFunc(t.Text, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
				out = append(out, Term{Text: foldMark(w), Prefix: t.Prefix})
			}
		}
	}
	return out
}

// plainFolded reports whether lower-cased text is already as foldMark
// leaves it. Most Kazakh and Russian words are (қ, ә, і have no
// decomposition; й and ё do), and a table lookup a letter costs far less
// than normalising twice.
func plainFolded(s string) bool {
	plainOnce.Do(buildPlain)
	for _, r := range s {
		if r >= plainRunes || !plain[r] {
			return false
		}
	}
	return true
}

// plainRunes bounds the table: Latin, Greek, Cyrillic and the scripts
// before U+2000; text beyond is normalised.
const plainRunes = 0x2000

var (
	plainOnce sync.Once
	plain     []bool
)

// buildPlain marks the runes that normalisation leaves alone beside one
// another: no decomposition, not a mark, and combining with nothing before
// it. (Many combine with a mark after them, but in a word of these runes
// there is none.)
func buildPlain() {
	plain = make([]bool, plainRunes)
	for r := rune(0); r < plainRunes; r++ {
		d, c := norm.NFD.PropertiesString(string(r)), norm.NFC.PropertiesString(string(r))
		plain[r] = d.Decomposition() == nil && !unicode.Is(unicode.M, r) && d.CCC() == 0 &&
			d.BoundaryBefore() && c.BoundaryBefore()
	}
}

// foldMark folds text as the index does for matching: lower case, and
// without diacritics (remove_diacritics 2), so that a highlight finds what
// the search found: cafe marks café.
func foldMark(s string) string {
	s = strings.ToLower(s)
	for _, r := range s {
		if r >= 0x80 {
			if plainFolded(s) {
				return s
			}
			return stripMarks(s)
		}
	}
	return s
}

// stripMarks decomposes text, drops its combining marks and composes
// what is left.
func stripMarks(s string) string {
	var b strings.Builder
	for _, r := range norm.NFD.String(s) {
		if !unicode.Is(unicode.Mn, r) {
			b.WriteRune(r)
		}
	}
	return norm.NFC.String(b.String())
}
