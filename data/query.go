package data

import (
	"slices"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"kurultai/sessions"
	"kurultai/sessions/msg"
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
//	party:labour role:chair gender:f side:opposition
//	from:2024-01-01 to:2025-12-31         dates, also YYYY or YYYY-MM
//	name:tokayev title:referendum place:kyzylorda   words in one field
//
// Filters alone are a query too: speaker:tokayev lists everything the
// speaker said, from:2025 to:2025 everything of 2025.

// Term is one thing to match: a word, a prefix or a phrase.
type Term struct {
	Text   string // the words as typed, without quotes or *
	Prefix bool
	// Typing is a prefix made by PrefixLast, not typed with *: the word
	// the search box is still typing.
	Typing bool
	Phrase bool
	// Column restricts the term to one field: name, title or place, or
	// to the lemmas of the words (lemma); "" is every field that holds
	// text.
	Column string
	// Exact is a word typed after =: this spelling, these accents, and
	// no other script.
	Exact bool
	// Key is, in the words Words gives for marking, the Kazakh
	// cross-script key a word of another spelling must have (see
	// KazakhKey); such a term matches in Kazakh text only.
	Key    string
	script script // of Key's word as typed
}

// Query is a parsed search.
type Query struct {
	// All holds groups that must all match; the terms of a group are
	// alternatives (OR).
	All     [][]Term
	Exclude []Term
	Speaker string
	Session string
	Kind    string // one of Kinds
	Lang    string
	// Party, Role, Gender and Side select speeches by their speaker on
	// the day: a party's short or full name, a role (chair, regular), a
	// gender (M, F) and a side (coalition, opposition).
	Party, Role, Gender, Side string
	From                      string // YYYY-MM-DD
	To                        string // YYYY-MM-DD
	Notes                     []msg.Text
	// Refused says why the query is not searched at all; it finds nothing.
	Refused msg.Text
	// Typed is the query as it was given.
	Typed string

	cut bool // words past maxTerms were left out
}

// maxQuery bounds what is read of a query: longer input is cut, with a note.
const maxQuery = 1000

// maxTerms bounds the words a query searches for, which keeps the FTS5
// expression well inside its depth limit.
const maxTerms = 64

// maxPrefixes bounds the distinct prefixes of a query. FTS5 merges every
// word a prefix starts before it returns the first match, so each costs
// time in proportion to the archive; a query with more is refused whole
// rather than searched in part.
const maxPrefixes = 8

func (q *Query) positives() int {
	n := 0
	for _, g := range q.All {
		n += len(g)
	}
	return n
}

// ParseQuery reads the search language. It never fails.
func ParseQuery(s string) Query {
	q := Query{Typed: strings.TrimSpace(s)}
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
		q.Notes = append(q.Notes, msg.T("the query was cut to its first %d characters", maxQuery))
	}
	orNext := false
	for _, tok := range tokenize(s) {
		switch {
		case tok.text == "OR" && !tok.quoted:
			orNext = len(q.All) > 0
			continue
		case tok.field != "" && !textFields[tok.field]:
			q.setField(tok.field, tok.text)
			continue
		}
		t := Term{Text: tok.text, Phrase: tok.quoted, Column: tok.field}
		if !tok.quoted && strings.HasSuffix(t.Text, "*") {
			t.Text, t.Prefix = strings.TrimRight(t.Text, "*"), true
		}
		if tok.exact {
			t = q.exactTerm(t)
		}
		if !searchable(t.Text) {
			if strings.TrimSpace(tok.text) != "" && tok.text != "-" && strings.Trim(tok.text, "*") != "" {
				q.Notes = append(q.Notes, msg.T("%q has no letters or digits to search for", tok.text))
			}
			orNext = false
			continue
		}
		if terms := len(q.Exclude) + q.positives(); terms >= maxTerms {
			if !q.cut {
				q.cut = true
				q.Notes = append(q.Notes, msg.T("only the first %d words are searched", maxTerms))
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
			if !slices.Contains(q.All[last], t) {
				q.All[last] = append(q.All[last], t)
			}
		} else if !slices.ContainsFunc(q.All, func(g []Term) bool { return len(g) == 1 && g[0] == t }) {
			q.All = append(q.All, []Term{t})
		}
		orNext = false
	}
	q.checkPrefixes()
	return q
}

type token struct {
	text    string
	quoted  bool
	exclude bool
	exact   bool
	field   string
}

var fields = map[string]bool{"speaker": true, "session": true, "kind": true, "lang": true, "from": true, "to": true,
	"name": true, "title": true, "place": true, "party": true, "role": true, "gender": true, "side": true, "lemma": true}

// textFields are the fields that hold words to match, not filters;
// lemma: matches the lemmas of the words (see data/lemma.go).
var textFields = map[string]bool{"name": true, "title": true, "place": true, "lemma": true}

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
		if j < len(rs) && rs[j] == ':' && fields[strings.ToLower(string(rs[i:j]))] && (!t.exclude || textFields[strings.ToLower(string(rs[i:j]))]) {
			t.field = strings.ToLower(string(rs[i:j]))
			i = j + 1
		}
		if i+1 < len(rs) && rs[i] == '=' && !unicode.IsSpace(rs[i+1]) {
			t.exact = true
			i++
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

// exactTerm makes t an exact word (=word), or says why it cannot be one
// and leaves it as it is.
func (q *Query) exactTerm(t Term) Term {
	switch {
	case t.Phrase || len(splitWords(t.Text)) > 1:
		q.Notes = append(q.Notes, msg.T("=%s: = keeps the spelling of one word; this is searched with any accents and script", t.Text))
		return t
	case t.Prefix:
		q.Notes = append(q.Notes, msg.T("=%s*: = keeps the spelling of a whole word; the * was left out", t.Text))
		t.Prefix = false
	}
	if t.Column != "" {
		q.Notes = append(q.Notes, msg.T("%s:=%s: a word after = is matched in every field", t.Column, t.Text))
		t.Column = ""
	}
	t.Exact = true
	return t
}

// splitWords splits text into its words as the index reads them: letters
// and digits.
func splitWords(text string) []string {
	return strings.FieldsFunc(text, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) && !unicode.Is(unicode.Mn, r) })
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
		q.Notes = append(q.Notes, msg.T("%s: needs a value", field))
		return
	}
	switch field {
	case "speaker":
		q.Speaker = value
	case "session":
		q.Session = value
	case "lang":
		q.Lang = strings.ToLower(value)
	case "party":
		q.Party = value
	case "role":
		q.Role = value
	case "gender":
		switch g := strings.ToLower(value); g {
		case "m", "male", "man", "men":
			q.Gender = "M"
		case "f", "female", "woman", "women":
			q.Gender = "F"
		default:
			q.Gender = strings.ToUpper(value)
		}
	case "side":
		v := strings.ToLower(value)
		if !slices.Contains(sessions.Sides, v) {
			q.Notes = append(q.Notes, msg.T("side:%s is not coalition or opposition; left out", value))
			return
		}
		q.Side = v
	case "kind":
		k := strings.TrimSuffix(strings.ToLower(value), "s")
		if k == "speeche" || k == "paragraph" {
			k = KindSpeech
		}
		if kindTag(k) == "" {
			q.Notes = append(q.Notes, msg.T("kind:%s is not one of %s; left out", value, strings.Join(Kinds, ", ")))
			return
		}
		q.Kind = k
	case "from", "to":
		date, ok := expandDate(value, field == "to")
		if !ok {
			q.Notes = append(q.Notes, msg.T("%s:%s is not a date (YYYY, YYYY-MM or YYYY-MM-DD); left out", field, value))
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

// Empty reports whether the query asks for nothing: no words, no
// exclusions and no filters.
func (q Query) Empty() bool {
	return len(q.All) == 0 && len(q.Exclude) == 0 && !q.Filtered()
}

// Filtered reports whether the query has filters.
func (q Query) Filtered() bool {
	return q.Session != "" || q.Speaker != "" || q.Kind != "" || q.Lang != "" || q.From != "" || q.To != "" ||
		q.Party != "" || q.Role != "" || q.Gender != "" || q.Side != ""
}

// HasWords reports whether the query has words to rank by.
func (q Query) HasWords() bool { return len(q.All) > 0 }

// HasPrefix reports whether a word of the query ends in *.
// TypedPrefixes reports whether a word of the query ends in * as typed
// (HasPrefix, not counting the word PrefixLast made a prefix).
func (q Query) TypedPrefixes() bool {
	for _, g := range q.All {
		for _, t := range g {
			if t.Prefix && !t.Typing {
				return true
			}
		}
	}
	return false
}

func (q Query) HasPrefix() bool {
	for _, g := range q.All {
		for _, t := range g {
			if t.Prefix {
				return true
			}
		}
	}
	return false
}

// prefixFrom is the shortest word PrefixLast makes a prefix. FTS5 joins
// every word a prefix starts before it gives the first result: re* is
// most of a Kazakh, Russian and English archive, ref* a tenth of it.
const prefixFrom = 3

// PrefixLast makes the query's last word match as a prefix too, as the
// search box does while the cursor is at the end of a word being typed
// (typed is the query's text):
// ref finds referendum. A phrase, a word that is already a prefix and a
// word of fewer than prefixFrom letters are left as they are.
func (q *Query) PrefixLast(typed string) {
	if len(q.All) == 0 {
		return
	}
	// The word being typed is the query's last: not a filter or an
	// exclusion typed after it.
	fields := strings.Fields(typed)
	if len(fields) == 0 {
		return
	}
	last := fields[len(fields)-1]
	if i := strings.IndexByte(last, ':'); i > 0 && textFields[strings.ToLower(last[:i])] {
		last = last[i+1:]
	}
	g := q.All[len(q.All)-1]
	t := &g[len(g)-1]
	if t.Text != last || t.Phrase || t.Prefix || utf8.RuneCountInString(t.Text) < prefixFrom || !isWord(t.Text) {
		return
	}
	t.Prefix, t.Typing = true, true
	q.checkPrefixes()
}

// isWord reports whether s is one word for the index: letters and digits.
func isWord(s string) bool {
	for _, r := range s {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) && !unicode.Is(unicode.Mn, r) {
			return false
		}
	}
	return true
}

// checkPrefixes refuses a query with more than maxPrefixes prefixes.
func (q *Query) checkPrefixes() {
	seen := map[string]bool{}
	each := func(t Term) {
		if t.Prefix {
			seen[t.Column+":"+foldMark(t.Text)] = true
		}
	}
	for _, g := range q.All {
		for _, t := range g {
			each(t)
		}
	}
	for _, t := range q.Exclude {
		each(t)
	}
	if len(seen) > maxPrefixes && q.Refused.IsZero() {
		q.Refused = msg.T("a query may have up to %d words ending in *; this one has %d", maxPrefixes, len(seen))
	}
}

// textColumns is the column filter of a word searched in every field: the
// columns of the words as written, not the tags, keys or exact forms.
const textColumns = "- {tags klat exact} : "

// ftsString quotes text as an FTS5 string.
func ftsString(text string) string {
	return `"` + strings.ReplaceAll(text, `"`, `""`) + `"`
}

func quoteFTS(t Term, kk *kazakhSearch) string {
	if t.Exact {
		return exactFTS(t.Text)
	}
	star := ""
	if t.Prefix {
		star = "*"
	}
	if t.Column == "lemma" {
		var b []byte
		for _, w := range lemmaWords(t.Text) {
			b = appendLemmaWords(b, w)
		}
		return "{klat} : " + ftsString(string(b)) + star
	}
	s := ftsString(FoldAccents(t.Text)) + star
	if t.Column != "" {
		return "{" + t.Column + "} : " + s
	}
	key, sc := termKey(t.Text)
	switch sc {
	case scriptLatin:
		alts := textColumns + s + " OR {klat} : " + ftsString(key) + star
		if cyr := kk.cyrillic(t, key); cyr != "" {
			alts += " OR " + cyr
		}
		return "(" + alts + ")"
	case scriptCyrillic:
		return "(" + textColumns + s + " OR {klat} : " + ftsString(key) + star + ")"
	}
	return textColumns + s
}

// kazakhSearch is what matching a Latin word in Kazakh text written in
// Cyrillic needs of the archive: the tags of its Kazakh languages, and
// its Cyrillic Kazakh words by key (kazakh_words).
type kazakhSearch struct {
	tags  string // "l3" OR "l9"; "" when nothing is in Kazakh
	words func(key string, prefix bool) ([]string, bool)
	notes []msg.Text
	err   error
}

// maxKazakhPhrases bounds the spellings of a phrase matched in Cyrillic:
// each word's spellings times the others'.
const maxKazakhPhrases = 256

// cyrillic is the FTS5 expression that matches the Kazakh rows holding a
// Cyrillic word with t's key: the words are looked up, and matched as
// written in the rows tagged Kazakh. "" when there are none.
func (kk *kazakhSearch) cyrillic(t Term, key string) string {
	if kk == nil || kk.tags == "" {
		return ""
	}
	keys := strings.Fields(key)
	phrases := []string{""}
	for i, k := range keys {
		words, cut := kk.words(k, t.Prefix && i == len(keys)-1)
		if cut {
			kk.notes = append(kk.notes, msg.T("%s: more than %v Kazakh words in Cyrillic start so; the first %v are searched, type more letters for the rest",
				t.Text, msg.Count(maxKazakhWords), msg.Count(maxKazakhWords)))
		}
		if len(words) == 0 {
			return ""
		}
		if len(phrases)*len(words) > maxKazakhPhrases {
			kk.notes = append(kk.notes, msg.T("%q has too many spellings in Cyrillic to search them all; the first %d are searched", t.Text, maxKazakhPhrases))
			words = words[:max(1, maxKazakhPhrases/len(phrases))]
		}
		next := make([]string, 0, len(phrases)*len(words))
		for _, p := range phrases {
			for _, w := range words {
				next = append(next, strings.TrimSpace(p+" "+w))
			}
		}
		phrases = next
	}
	quoted := make([]string, len(phrases))
	for i, p := range phrases {
		quoted[i] = ftsString(p)
	}
	return "(" + textColumns + "(" + strings.Join(quoted, " OR ") + ") AND {tags} : (" + kk.tags + "))"
}

// exactFTS is the FTS5 expression of =word. A word the index holds as
// written is matched in the text columns of rows that hold no other
// spelling of it, and in the exact column of those that do; a word the
// index folds is matched in the exact column alone (see appendExact).
func exactFTS(word string) string {
	lw := exactLower(word)
	f := foldMark(FoldAccents(lw))
	if f != lw {
		return "{exact} : " + ftsString(string(appendExactToken(nil, lw)))
	}
	return "((" + textColumns + ftsString(f) + " NOT {exact} : " + ftsString(exactMarker(f)) + ") OR {exact} : " + ftsString(f) + ")"
}

// termKey is the Kazakh cross-script key of a term's words and the script
// they are typed in, when they are all Latin or all Cyrillic; else the
// script is other.
func termKey(text string) (string, script) {
	var b []byte
	sc, mixed := scriptOther, false
	eachKeyWord(text, func(i, j int, _ rune) bool {
		ws := wordScript(text[i:j])
		if ws == scriptOther || sc != scriptOther && ws != sc {
			mixed = true
			return false
		}
		sc = ws
		b = appendSpaced(b, text[i:j])
		return true
	})
	if mixed {
		return "", scriptOther
	}
	return string(b), sc
}

// words is the FTS5 expression for the query's words, filters aside:
// only quoted strings, column filters and the operators AND, OR and NOT,
// so that no input can be read as FTS5 syntax. base stands in for the
// positive words when there are none (filters alone, or exclusions).
func (q Query) words(base string, kk *kazakhSearch) string {
	groups := make([]string, len(q.All))
	for i, g := range q.All {
		alts := make([]string, len(g))
		for j, t := range g {
			alts[j] = quoteFTS(t, kk)
		}
		groups[i] = "(" + strings.Join(alts, " OR ") + ")"
	}
	expr := strings.Join(groups, " AND ")
	if len(groups) == 0 {
		expr = base
	}
	if len(q.Exclude) > 0 {
		// One NOT for all the exclusions keeps the expression shallow.
		ex := make([]string, len(q.Exclude))
		for i, t := range q.Exclude {
			ex[i] = quoteFTS(t, kk)
		}
		expr = "(" + expr + ") NOT (" + strings.Join(ex, " OR ") + ")"
	}
	return expr
}

// Words are the words of the positive terms, folded, for marking matches
// in snippets and text; with, for a term that has a Kazakh key, the key of
// each of its words.
func (q Query) Words() []Term {
	var out []Term
	for _, g := range q.All {
		for _, t := range g {
			out = append(out, t.words()...)
		}
	}
	return out
}

// words are the terms that mark what t matches, a word each.
func (t Term) words() []Term {
	if t.Exact {
		return []Term{{Text: exactLower(t.Text), Exact: true}}
	}
	if t.Column == "lemma" {
		// A lemma (or a phrase of lemmas) marks the words it stands
		// for, which the paragraph's lemmas say (see lemmaForms).
		return []Term{{Text: t.Text, Prefix: t.Prefix, Column: t.Column}}
	}
	var out []Term
	for _, w := range splitWords(t.Text) {
		out = append(out, Term{Text: foldMark(FoldAccents(w)), Prefix: t.Prefix, Column: t.Column})
	}
	if t.Column != "" {
		return out
	}
	if _, sc := termKey(t.Text); sc != scriptOther {
		eachKeyWord(t.Text, func(i, j int, _ rune) bool {
			out = append(out, Term{Key: KazakhKey(t.Text[i:j]), Prefix: t.Prefix, script: sc})
			return true
		})
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
// without the diacritics of Latin letters (remove_diacritics 2), so that
// a highlight finds what the search found: cafe marks café, and елка does
// not mark ёлка, which it does not find.
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

// stripMarks decomposes text, drops the combining marks of Latin letters
// and composes what is left. SQLite's unicode61 removes the diacritics of
// Latin letters only: й and ё stay themselves, as they do in the index.
func stripMarks(s string) string {
	var b strings.Builder
	latin := false
	for _, r := range norm.NFD.String(s) {
		if unicode.Is(unicode.Mn, r) {
			if latin {
				continue
			}
		} else {
			latin = unicode.Is(unicode.Latin, r)
		}
		b.WriteRune(r)
	}
	return norm.NFC.String(b.String())
}
