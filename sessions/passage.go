package sessions

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"unicode"

	"kurultai/sessions/msg"
)

// Citation is what a passage is cited by: who said it, where and when,
// and which paragraphs.
type Citation struct {
	// Key is the citation key of the document (speech or proposal), the
	// same in every export; the archive gives it (data's Cite).
	Key   string `json:"key"`
	Title string `json:"title"`
	// Speaker is the author: the speaker of a speech; for a proposal the
	// speaker of the speech it was made in, or else the body as an
	// institution.
	Speaker string `json:"author"`
	// Family, Given and Forms are the author's name in parts, where the
	// archive has them (see Speaker); bibliographies use them.
	Family  string                `json:"family,omitempty"`
	Given   string                `json:"given,omitempty"`
	Forms   map[string]PersonName `json:"forms,omitempty"`
	Body    string                `json:"body"`
	Session string                `json:"session"`
	Meeting int                   `json:"number"`
	Place   string                `json:"place"`
	Date    string                `json:"date"`
	// From and To are the paragraphs cited; both are 0 when the passage's
	// text is no longer in the archive (orphaned), which cites none.
	From      int    `json:"from"`
	To        int    `json:"to"`
	SourceURL string `json:"url"`
	Kind      string `json:"kind"` // speech or proposal
	// Language is the document's language code, where known: citation
	// processors change the case of English titles only.
	Language string `json:"language,omitempty"`
}

// UnmarshalJSON reads a citation, also as earlier exports wrote it
// ("speaker" and "meeting" for author and number), and refuses fields it
// does not know, as the bookmarks import does.
func (c *Citation) UnmarshalJSON(b []byte) error {
	type plain Citation
	var v struct {
		plain
		OldSpeaker string `json:"speaker"`
		OldMeeting int    `json:"meeting"`
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&v); err != nil {
		return err
	}
	*c = Citation(v.plain)
	if c.Speaker == "" {
		c.Speaker = v.OldSpeaker
	}
	if c.Meeting == 0 {
		c.Meeting = v.OldMeeting
	}
	return nil
}

// Passage is a bookmarked stretch of paragraphs with its note and tags and
// what cites it.
type Passage struct {
	UID      string   `json:"uid"`
	Owner    string   `json:"owner"`
	Archive  string   `json:"archive"`
	Doc      string   `json:"doc"`
	From     int      `json:"from"`
	To       int      `json:"to"`
	Quote    string   `json:"quote"`
	Note     string   `json:"note,omitempty"`
	Tags     []string `json:"tags,omitempty"`
	Created  string   `json:"created"`
	Updated  string   `json:"updated"`
	Citation Citation `json:"citation"`
	// State says how the passage stands in the archive, once cited: "ok"
	// where it was made, "moved" when its text was found at other
	// paragraphs (the citation gives them), "orphaned" when its text is no
	// longer there (the citation gives no paragraphs). It is "" for a
	// passage not yet cited.
	State string `json:"state,omitempty"`
}

// Paras is the paragraph range as people write it: ¶ 3 or ¶ 3–5, or ""
// when the citation has no paragraphs (an orphaned passage).
func (c Citation) Paras() string {
	switch {
	case c.From < 1:
		return ""
	case c.From == c.To:
		return fmt.Sprintf("¶ %d", c.From)
	}
	return fmt.Sprintf("¶ %d–%d", c.From, c.To)
}

// AuthorParts is the author's name in parts: those the archive gives, or
// else those of a name written "Family, Given". ok is false when there are
// none: the name is then cited as written, whole.
func (c Citation) AuthorParts() (n PersonName, ok bool) {
	if c.Family != "" {
		return PersonName{Family: c.Family, Given: c.Given}, true
	}
	if fam, given, found := strings.Cut(c.Speaker, ","); found && strings.TrimSpace(fam) != "" {
		return PersonName{Family: strings.TrimSpace(fam), Given: strings.TrimSpace(given)}, true
	}
	return PersonName{}, false
}

// Locator is the paragraph range as a citation's locator: 3 or 3–5, or "".
func (c Citation) Locator() string { return strings.TrimPrefix(c.Paras(), "¶ ") }

// Line is the citation in one line of prose.
func (c Citation) Line() string {
	var parts []string
	if c.Speaker != "" {
		parts = append(parts, c.Speaker)
	}
	parts = append(parts, "“"+c.Title+"”")
	meeting := c.Body
	if c.Meeting > 0 {
		meeting += fmt.Sprintf(", meeting %d", c.Meeting)
	}
	if meeting != "" {
		parts = append(parts, meeting)
	}
	if c.Place != "" {
		parts = append(parts, c.Place)
	}
	if c.Date != "" {
		parts = append(parts, c.Date)
	}
	if p := c.Paras(); p != "" {
		parts = append(parts, p)
	}
	line := strings.Join(parts, ", ")
	if c.SourceURL != "" {
		line += ". " + c.SourceURL
	}
	return line
}

var keyWord = regexp.MustCompile(`[\p{L}\p{N}]+`)

// BaseKey is the readable start of a citation key: the author's family
// name, the year and the session, such as tokayev2026nk5. Two documents
// can share it; the archive then tells them apart (DocSuffix).
func BaseKey(author, date, session string) string {
	name := "anon"
	if author != "" {
		// "Family, Given" or "Given Family (…)": take the family name.
		s := author
		if i := strings.IndexByte(s, '('); i > 0 {
			s = s[:i]
		}
		if i := strings.IndexByte(s, ','); i > 0 {
			s = s[:i]
		} else if f := strings.Fields(s); len(f) > 0 {
			s = f[len(f)-1]
		}
		if w := keyWord.FindString(asciiFold(s)); w != "" {
			name = strings.ToLower(w)
		}
	}
	year := ""
	if len(date) >= 4 {
		year = date[:4]
	}
	return name + year + FoldKey(session)
}

// FoldKey is s as it stands in a citation key: its letters and digits,
// in Latin, lower case.
func FoldKey(s string) string {
	return strings.ToLower(strings.Join(keyWord.FindAllString(asciiFold(s), -1), ""))
}

// DocSuffix tells a document apart from others of the same base key: its
// id without the session's, folded (nk-5/p8-commission-referendum gives
// p8commissionreferendum). It depends on the document alone.
func DocSuffix(doc, session string) string {
	rest := doc
	if session != "" && strings.HasPrefix(doc, session) && len(doc) > len(session) {
		rest = doc[len(session):]
	}
	if s := FoldKey(rest); s != "" {
		return s
	}
	return FoldKey(doc)
}

// BaseKey is the citation's BaseKey.
func (c Citation) BaseKey() string { return BaseKey(c.Speaker, c.Date, c.Session) }

// asciiFold spells Cyrillic and Kazakh letters in Latin for keys.
func asciiFold(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if t, ok := translit[r]; ok {
			b.WriteString(t)
		} else if r < 128 && (unicode.IsLetter(r) || unicode.IsDigit(r)) || r == ' ' || r == ',' {
			b.WriteRune(r)
		}
	}
	return b.String()
}

var translit = map[rune]string{
	'а': "a", 'ә': "a", 'б': "b", 'в': "v", 'г': "g", 'ғ': "g", 'д': "d", 'е': "e", 'ё': "yo", 'ж': "zh", 'з': "z",
	'и': "i", 'й': "i", 'к': "k", 'қ': "q", 'л': "l", 'м': "m", 'н': "n", 'ң': "n", 'о': "o", 'ө': "o", 'п': "p",
	'р': "r", 'с': "s", 'т': "t", 'у': "u", 'ұ': "u", 'ү': "u", 'ф': "f", 'х': "kh", 'һ': "h", 'ц': "ts", 'ч': "ch",
	'ш': "sh", 'щ': "shch", 'ъ': "", 'ы': "y", 'і': "i", 'ь': "", 'э': "e", 'ю': "yu", 'я': "ya",
}

// Keys gives each passage the key of its document. Passages cited by the
// archive carry their key. For those that do not, the key is made from the
// passages themselves: the base key, and where two documents share it, the
// document's suffix for every one of them but the first by id.
func Keys(ps []Passage) []string {
	keys := make([]string, len(ps))
	docs := map[string][]string{} // base key -> the documents without a key that have it
	for i, p := range ps {
		if p.Citation.Key != "" {
			keys[i] = p.Citation.Key
			continue
		}
		b := p.Citation.BaseKey()
		if !slices.Contains(docs[b], p.Doc) {
			docs[b] = append(docs[b], p.Doc)
		}
	}
	for i, p := range ps {
		if keys[i] != "" {
			continue
		}
		b := p.Citation.BaseKey()
		keys[i] = b
		if d := docs[b]; len(d) > 1 && slices.Min(d) != p.Doc {
			keys[i] = b + DocSuffix(p.Doc, p.Citation.Session)
		}
	}
	return keys
}

// ExportFormats are the formats WritePassages writes.
var ExportFormats = []string{"md", "json", "csv", "csl-json", "bibtex", "ris"}

// ExportOptions are how an export is written.
type ExportOptions struct {
	// Group groups the Markdown's passages: "session", "tag" or "".
	Group string
	// Notes puts the passages' notes in the bibliographies (csl-json,
	// bibtex, ris), which leave them out otherwise: a note is private, and
	// a bibliography is often shared.
	Notes bool
}

// WritePassages writes passages in a format, without their notes in the
// bibliographies (WriteExport).
func WritePassages(w io.Writer, format, group string, ps []Passage) error {
	return WriteExport(w, format, ExportOptions{Group: group}, ps)
}

// WriteExport writes passages in a format: md (blockquotes with their
// citations, grouped by opt.Group), json (everything, for kurultai
// bookmarks import), csv (a row a passage), or one entry a document with
// the paragraphs cited as its locators: csl-json (for Zotero and pandoc's
// citeproc), bibtex or ris.
//
// JSON escapes control, bidi and zero-width characters (WriteJSON); the
// text formats leave out control characters (textSafe), which they cannot
// carry.
func WriteExport(w io.Writer, format string, opt ExportOptions, ps []Passage) error {
	bw := bufio.NewWriter(w)
	if format != "json" && format != "csl-json" {
		ps = textSafePassages(ps)
	}
	var err error
	switch format {
	case "md":
		err = writeMarkdown(bw, opt.Group, ps)
	case "json":
		if ps == nil {
			ps = []Passage{}
		}
		err = WriteJSON(bw, struct {
			Kurultai int       `json:"kurultai_bookmarks"`
			Passages []Passage `json:"passages"`
		}{1, ps})
	case "csv":
		cw := csv.NewWriter(bw)
		cw.Write([]string{"key", "speaker", "family", "given", "title", "body", "meeting", "place", "date", "paragraphs", "url", "quote", "note", "tags", "state"})
		keys := Keys(ps)
		for i, p := range ps {
			c := p.Citation
			meeting := ""
			if c.Meeting > 0 {
				meeting = strconv.Itoa(c.Meeting)
			}
			n, _ := c.AuthorParts()
			cw.Write([]string{keys[i], c.Speaker, n.Family, n.Given, c.Title, c.Body, meeting, c.Place, c.Date, c.Paras(), c.SourceURL, p.Quote, p.Note, strings.Join(p.Tags, "; "), p.State})
		}
		cw.Flush()
		err = cw.Error()
	case "csl-json":
		err = writeCSL(bw, entries(ps), opt.Notes)
	case "bibtex":
		err = writeBibTeX(bw, entries(ps), opt.Notes)
	case "ris":
		err = writeRIS(bw, entries(ps), opt.Notes)
	default:
		return msg.Errorf("format %q: expected one of %s", format, strings.Join(ExportFormats, ", "))
	}
	if err != nil {
		return err
	}
	return bw.Flush()
}

func writeMarkdown(w io.Writer, group string, ps []Passage) error {
	type section struct {
		title string
		items []int
	}
	var sections []section
	index := map[string]int{}
	add := func(title string, i int) {
		j, ok := index[title]
		if !ok {
			j = len(sections)
			index[title] = j
			sections = append(sections, section{title: title})
		}
		sections[j].items = append(sections[j].items, i)
	}
	for i, p := range ps {
		switch group {
		case "session":
			add(p.Citation.Body+", "+p.Citation.Date+" ("+p.Citation.Session+")", i)
		case "tag":
			if len(p.Tags) == 0 {
				add("Untagged", i)
			}
			for _, t := range p.Tags {
				add("#"+t, i)
			}
		default:
			add("", i)
		}
	}
	if group == "tag" {
		sort.SliceStable(sections, func(a, b int) bool { return sections[a].title < sections[b].title })
	}
	keys := Keys(ps)
	for si, s := range sections {
		if s.title != "" {
			if si > 0 {
				fmt.Fprintln(w)
			}
			fmt.Fprintf(w, "## %s\n\n", s.title)
		}
		for n, i := range s.items {
			p := ps[i]
			if n > 0 || (s.title == "" && si > 0) {
				fmt.Fprintln(w)
			}
			for _, line := range strings.Split(strings.TrimSpace(p.Quote), "\n") {
				fmt.Fprintln(w, strings.TrimRight("> "+line, " "))
			}
			// An orphaned passage is cited without a locator: its
			// paragraphs no longer hold its text.
			if loc := p.Citation.Locator(); loc != "" {
				fmt.Fprintf(w, "\n— %s [@%s, para. %s]\n", p.Citation.Line(), keys[i], loc)
			} else {
				fmt.Fprintf(w, "\n— %s [@%s]\n", p.Citation.Line(), keys[i])
			}
			switch p.State {
			case "moved":
				fmt.Fprintf(w, "\n(The archive changed: this passage now stands at %s.)\n", p.Citation.Paras())
			case "orphaned":
				fmt.Fprintln(w, "\n(Orphaned: the archive changed and this text is no longer in it; the quote is as it was bookmarked.)")
			}
			if p.Note != "" {
				fmt.Fprintf(w, "\n%s\n", p.Note)
			}
			if len(p.Tags) > 0 {
				fmt.Fprintf(w, "\nTags: %s\n", strings.Join(p.Tags, ", "))
			}
		}
	}
	return nil
}

// entry is one document in a bibliography, with the passages cited from it.
type entry struct {
	key string
	c   Citation // the document's; its paragraphs are the passages'
	ps  []Passage
}

// entries groups passages by document (by key, which is the document's),
// in the order the documents first appear.
func entries(ps []Passage) []entry {
	keys := Keys(ps)
	var out []entry
	index := map[string]int{}
	for i, p := range ps {
		j, ok := index[keys[i]]
		if !ok {
			j = len(out)
			index[keys[i]] = j
			out = append(out, entry{key: keys[i], c: p.Citation})
		}
		out[j].ps = append(out[j].ps, p)
	}
	return out
}

// locators are the paragraph ranges cited from the entry's document, in
// order, each once: ["3–4", "7"]. Orphaned passages cite none.
func (e entry) locators() []string {
	var cs []Citation
	for _, p := range e.ps {
		if p.Citation.From > 0 {
			cs = append(cs, p.Citation)
		}
	}
	sort.SliceStable(cs, func(a, b int) bool {
		if cs[a].From != cs[b].From {
			return cs[a].From < cs[b].From
		}
		return cs[a].To < cs[b].To
	})
	var out []string
	for _, c := range cs {
		if l := c.Locator(); !slices.Contains(out, l) {
			out = append(out, l)
		}
	}
	return out
}

// paras is the entry's locators as people write them: ¶ 3–4, 7.
func (e entry) paras() string {
	if l := e.locators(); len(l) > 0 {
		return "¶ " + strings.Join(l, ", ")
	}
	return ""
}

// notes are the passages' notes, each after its paragraphs.
func (e entry) notes() string {
	var out []string
	for _, p := range e.ps {
		if p.Note == "" {
			continue
		}
		where := p.Citation.Paras()
		if where == "" {
			where = "orphaned passage"
		}
		out = append(out, where+": "+p.Note)
	}
	return strings.Join(out, "\n")
}

// dateParts is a CSL date: [[year, month, day]] as far as known.
func dateParts(date string) [][]int {
	var parts []int
	for _, f := range strings.Split(date, "-") {
		n, err := strconv.Atoi(f)
		if err != nil {
			break
		}
		parts = append(parts, n)
	}
	return [][]int{parts}
}

func writeCSL(w io.Writer, es []entry, notes bool) error {
	// multi is citeproc-js's way of giving a name in other languages and
	// scripts: {"_key": {"kk": {"family": …, "given": …}}}. Processors
	// that do not know it use the main form.
	type multi struct {
		Key map[string]PersonName `json:"_key"`
	}
	type name struct {
		Family  string `json:"family,omitempty"`
		Given   string `json:"given,omitempty"`
		Literal string `json:"literal,omitempty"`
		Multi   *multi `json:"multi,omitempty"`
	}
	type item struct {
		ID         string             `json:"id"`
		Type       string             `json:"type"`
		Author     []name             `json:"author,omitempty"`
		Title      string             `json:"title"`
		Event      string             `json:"event-title,omitempty"`
		EventPlace string             `json:"event-place,omitempty"`
		Issued     map[string][][]int `json:"issued"`
		URL        string             `json:"URL,omitempty"`
		// Note holds the paragraphs cited, which citeproc may print; the
		// passages' own notes go only in Annote, which it does not.
		Note     string `json:"note,omitempty"`
		Annote   string `json:"annote,omitempty"`
		Language string `json:"language,omitempty"`
	}
	items := make([]item, 0, len(es))
	for _, e := range es {
		c := e.c
		// CSL item data has no locator (a citation gives one: [@key, para.
		// 3]); the paragraphs cited are in the note.
		it := item{ID: e.key, Type: "speech", Title: c.Title, EventPlace: c.Place,
			Issued: map[string][][]int{"date-parts": dateParts(c.Date)}, URL: c.SourceURL, Note: e.paras(), Language: c.Language}
		it.Event = c.Body
		if c.Meeting > 0 {
			it.Event = fmt.Sprintf("%s, meeting %d", c.Body, c.Meeting)
		}
		if n, ok := c.AuthorParts(); ok {
			a := name{Family: n.Family, Given: n.Given}
			if len(c.Forms) > 0 {
				a.Multi = &multi{Key: c.Forms}
			}
			it.Author = []name{a}
		} else if c.Speaker != "" {
			it.Author = []name{{Literal: c.Speaker}}
		}
		if notes {
			it.Annote = e.notes()
		}
		items = append(items, it)
	}
	return WriteJSON(w, items)
}

// bibEscape protects BibTeX's special characters.
func bibEscape(s string) string {
	r := strings.NewReplacer(`\`, `\textbackslash{}`, "{", `\{`, "}", `\}`, "%", `\%`, "&", `\&`, "$", `\$`, "#", `\#`, "_", `\_`, "~", `\textasciitilde{}`, "^", `\textasciicircum{}`)
	return r.Replace(strings.Join(strings.Fields(s), " "))
}

// bibName is a name as BibTeX parses it: "Family, Given". A part that
// BibTeX would split (at a comma or an "and") is braced whole.
func bibName(n PersonName) string {
	part := func(s string) string {
		s = bibEscape(s)
		if strings.Contains(s, ",") || strings.Contains(" "+strings.ToLower(s)+" ", " and ") {
			return "{" + s + "}"
		}
		return s
	}
	if n.Given == "" {
		return part(n.Family)
	}
	return part(n.Family) + ", " + part(n.Given)
}

func writeBibTeX(w io.Writer, es []entry, notes bool) error {
	for i, e := range es {
		c := e.c
		if i > 0 {
			fmt.Fprintln(w)
		}
		fmt.Fprintf(w, "@misc{%s,\n", e.key)
		if n, ok := c.AuthorParts(); ok {
			fmt.Fprintf(w, "  author = {%s},\n", bibName(n))
		} else if c.Speaker != "" {
			// Double braces: one name as written, not parsed into parts.
			fmt.Fprintf(w, "  author = {{%s}},\n", bibEscape(c.Speaker))
		}
		fmt.Fprintf(w, "  title = {%s},\n", bibEscape(c.Title))
		how := c.Body
		if c.Meeting > 0 {
			how += fmt.Sprintf(", meeting %d", c.Meeting)
		}
		if c.Place != "" {
			how += ", " + c.Place
		}
		fmt.Fprintf(w, "  howpublished = {%s},\n", bibEscape(how))
		if len(c.Date) >= 4 {
			fmt.Fprintf(w, "  year = {%s},\n", c.Date[:4])
		}
		fmt.Fprintf(w, "  date = {%s},\n", c.Date)
		if c.SourceURL != "" && !strings.ContainsAny(c.SourceURL, "{} ") {
			fmt.Fprintf(w, "  url = {%s},\n", c.SourceURL)
		}
		if p := e.paras(); p != "" {
			fmt.Fprintf(w, "  note = {%s},\n", bibEscape(p))
		}
		if n := e.notes(); notes && n != "" {
			fmt.Fprintf(w, "  annote = {%s},\n", bibEscape(n))
		}
		fmt.Fprintln(w, "}")
	}
	return nil
}

func writeRIS(w io.Writer, es []entry, notes bool) error {
	line := func(tag, value string) {
		value = strings.Join(strings.Fields(value), " ")
		if value != "" {
			fmt.Fprintf(w, "%s  - %s\r\n", tag, value)
		}
	}
	for _, e := range es {
		c := e.c
		line("TY", "GEN")
		line("ID", e.key)
		if n, ok := c.AuthorParts(); ok && n.Given != "" {
			line("AU", n.Family+", "+n.Given)
		} else if ok {
			line("AU", n.Family)
		} else {
			line("AU", c.Speaker)
		}
		line("TI", c.Title)
		event := c.Body
		if c.Meeting > 0 {
			event += fmt.Sprintf(", meeting %d", c.Meeting)
		}
		line("T2", event)
		line("CY", c.Place)
		line("DA", strings.ReplaceAll(c.Date, "-", "/"))
		if len(c.Date) >= 4 {
			line("PY", c.Date[:4])
		}
		line("UR", c.SourceURL)
		line("LA", c.Language)
		line("SP", e.paras())
		var quotes []string
		var tags []string
		for _, p := range e.ps {
			q := p.Quote
			if where := p.Citation.Paras(); where != "" {
				q = where + ": " + q
			}
			quotes = append(quotes, q)
			for _, t := range p.Tags {
				if !slices.Contains(tags, t) {
					tags = append(tags, t)
				}
			}
		}
		line("AB", strings.Join(quotes, " … "))
		if notes {
			for _, p := range e.ps {
				if p.Note != "" {
					where := p.Citation.Paras()
					if where == "" {
						where = "orphaned passage"
					}
					line("N1", where+": "+p.Note)
				}
			}
		}
		for _, t := range tags {
			line("KW", t)
		}
		fmt.Fprint(w, "ER  - \r\n")
	}
	return nil
}
