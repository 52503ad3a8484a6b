package sessions

import (
	"bufio"
	"encoding/csv"
	"fmt"
	"io"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode"
)

// Citation is what a passage is cited by: who said it, where and when,
// and which paragraphs.
type Citation struct {
	Speaker   string `json:"speaker,omitempty"`
	Title     string `json:"title"`
	Body      string `json:"body"`
	Session   string `json:"session"`
	Meeting   int    `json:"meeting,omitempty"`
	Place     string `json:"place,omitempty"`
	Date      string `json:"date"`
	From      int    `json:"from"`
	To        int    `json:"to"`
	SourceURL string `json:"url,omitempty"`
	Kind      string `json:"kind"` // speech or proposal
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
	// State says how the passage stands in the archive now: "" where it
	// was made, "moved" when its text was found at other paragraphs (the
	// citation gives them), "orphaned" when its text is no longer there.
	State string `json:"state,omitempty"`
}

// Paras is the paragraph range as people write it: ¶ 3 or ¶ 3–5.
func (c Citation) Paras() string {
	if c.From == c.To {
		return fmt.Sprintf("¶ %d", c.From)
	}
	return fmt.Sprintf("¶ %d–%d", c.From, c.To)
}

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
	parts = append(parts, meeting)
	if c.Place != "" {
		parts = append(parts, c.Place)
	}
	parts = append(parts, c.Date, c.Paras())
	line := strings.Join(parts, ", ")
	if c.SourceURL != "" {
		line += ". " + c.SourceURL
	}
	return line
}

var keyWord = regexp.MustCompile(`[\p{L}\p{N}]+`)

// Key is a stable, readable citation key: speaker's family name, year and
// session, such as tokayev2026nk5, with a letter added when keys clash.
func (c Citation) Key() string {
	name := "anon"
	if c.Speaker != "" {
		// "Family, Given" or "Given Family (…)": take the family name.
		s := c.Speaker
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
	if len(c.Date) >= 4 {
		year = c.Date[:4]
	}
	session := strings.ToLower(strings.Join(keyWord.FindAllString(asciiFold(c.Session), -1), ""))
	return name + year + session
}

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

// Keys gives each passage its citation key, adding a, b, c… to keys that
// two passages share, in order.
func Keys(ps []Passage) []string {
	keys := make([]string, len(ps))
	count := map[string]int{}
	for i, p := range ps {
		keys[i] = p.Citation.Key()
		count[keys[i]]++
	}
	seen := map[string]int{}
	for i, k := range keys {
		if count[k] > 1 {
			seen[k]++
			keys[i] = k + string(rune('a'+(seen[k]-1)%26))
			if seen[k] > 26 {
				keys[i] += strconv.Itoa(seen[k] / 26)
			}
		}
	}
	return keys
}

// ExportFormats are the formats WritePassages writes.
var ExportFormats = []string{"md", "json", "csv", "csl-json", "bibtex", "ris"}

// WritePassages writes passages in a format: md (blockquotes with their
// citations, grouped by group: "session", "tag" or ""), json (everything,
// for kurultai bookmarks import), csv (a row a passage), csl-json (for
// Zotero and pandoc's citeproc), bibtex or ris.
//
// JSON escapes control, bidi and zero-width characters (WriteJSON); the
// text formats leave out control characters (textSafe), which they cannot
// carry.
func WritePassages(w io.Writer, format, group string, ps []Passage) error {
	bw := bufio.NewWriter(w)
	if format != "json" && format != "csl-json" {
		ps = textSafePassages(ps)
	}
	var err error
	switch format {
	case "md":
		err = writeMarkdown(bw, group, ps)
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
		cw.Write([]string{"key", "speaker", "title", "body", "meeting", "place", "date", "paragraphs", "url", "quote", "note", "tags"})
		keys := Keys(ps)
		for i, p := range ps {
			c := p.Citation
			meeting := ""
			if c.Meeting > 0 {
				meeting = strconv.Itoa(c.Meeting)
			}
			cw.Write([]string{keys[i], c.Speaker, c.Title, c.Body, meeting, c.Place, c.Date, c.Paras(), c.SourceURL, p.Quote, p.Note, strings.Join(p.Tags, "; ")})
		}
		cw.Flush()
		err = cw.Error()
	case "csl-json":
		err = writeCSL(bw, ps)
	case "bibtex":
		err = writeBibTeX(bw, ps)
	case "ris":
		err = writeRIS(bw, ps)
	default:
		return fmt.Errorf("format %q: expected one of %s", format, strings.Join(ExportFormats, ", "))
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
			fmt.Fprintf(w, "\n— %s [@%s, para. %s]\n", p.Citation.Line(), keys[i], strings.TrimPrefix(p.Citation.Paras(), "¶ "))
			switch p.State {
			case "moved":
				fmt.Fprintf(w, "\n(The archive changed: this passage now stands at %s.)\n", p.Citation.Paras())
			case "orphaned":
				fmt.Fprintln(w, "\n(The archive changed: this text is no longer in it; the quote is as it was bookmarked.)")
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

func writeCSL(w io.Writer, ps []Passage) error {
	type name struct {
		Family  string `json:"family,omitempty"`
		Given   string `json:"given,omitempty"`
		Literal string `json:"literal,omitempty"`
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
		Note       string             `json:"note,omitempty"`
		Locator    string             `json:"locator,omitempty"`
		Label      string             `json:"label,omitempty"`
	}
	keys := Keys(ps)
	items := make([]item, 0, len(ps))
	for i, p := range ps {
		c := p.Citation
		// CSL item data has no locator (a citation gives one: [@key, para 3]);
		// the paragraphs are in the note.
		it := item{ID: keys[i], Type: "speech", Title: c.Title, EventPlace: c.Place,
			Issued: map[string][][]int{"date-parts": dateParts(c.Date)}, URL: c.SourceURL}
		it.Event = c.Body
		if c.Meeting > 0 {
			it.Event = fmt.Sprintf("%s, meeting %d", c.Body, c.Meeting)
		}
		if c.Speaker != "" {
			if fam, given, ok := strings.Cut(c.Speaker, ","); ok {
				it.Author = []name{{Family: strings.TrimSpace(fam), Given: strings.TrimSpace(given)}}
			} else {
				it.Author = []name{{Literal: c.Speaker}}
			}
		}
		note := c.Paras()
		if p.Note != "" {
			note += ". " + p.Note
		}
		it.Note = note
		items = append(items, it)
	}
	return WriteJSON(w, items)
}

// bibEscape protects BibTeX's special characters.
func bibEscape(s string) string {
	r := strings.NewReplacer(`\`, `\textbackslash{}`, "{", `\{`, "}", `\}`, "%", `\%`, "&", `\&`, "$", `\$`, "#", `\#`, "_", `\_`, "~", `\textasciitilde{}`, "^", `\textasciicircum{}`)
	return r.Replace(strings.Join(strings.Fields(s), " "))
}

func writeBibTeX(w io.Writer, ps []Passage) error {
	keys := Keys(ps)
	for i, p := range ps {
		c := p.Citation
		if i > 0 {
			fmt.Fprintln(w)
		}
		fmt.Fprintf(w, "@misc{%s,\n", keys[i])
		if c.Speaker != "" {
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
		note := c.Paras()
		if p.Note != "" {
			note += ". " + p.Note
		}
		fmt.Fprintf(w, "  note = {%s}\n}\n", bibEscape(note))
	}
	return nil
}

func writeRIS(w io.Writer, ps []Passage) error {
	line := func(tag, value string) {
		value = strings.Join(strings.Fields(value), " ")
		if value != "" {
			fmt.Fprintf(w, "%s  - %s\r\n", tag, value)
		}
	}
	keys := Keys(ps)
	for i, p := range ps {
		c := p.Citation
		line("TY", "GEN")
		line("ID", keys[i])
		line("AU", c.Speaker)
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
		line("SP", c.Paras())
		line("AB", p.Quote)
		line("N1", p.Note)
		for _, t := range p.Tags {
			line("KW", t)
		}
		fmt.Fprint(w, "ER  - \r\n")
	}
	return nil
}
