// Package sessions holds the congress record: sessions, their speeches and
// proposals, the paragraphs that researchers cite, and the interchange
// formats that decode to these types. It knows nothing of SQL or terminals.
package sessions

import (
	"fmt"
	"regexp"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"kurultai/sessions/msg"
)

// Body names the assembly a record belongs to when a document gives none.
const DefaultBody = "National Kurultai"

// Provenance values say what kind of text a document is.
const (
	// ProvenanceSummary marks a text written for the archive from reports,
	// not an official transcript.
	ProvenanceSummary = "summary"
	// ProvenanceTranscript marks an official or verbatim record.
	ProvenanceTranscript = "transcript"
)

// Confidence levels for a dated proposal event.
var confidences = map[string]bool{"": true, "high": true, "medium": true, "low": true}

// Source is a citation for where a fact or text came from.
type Source struct {
	Title string `yaml:"title" json:"title,omitempty"`
	URL   string `yaml:"url" json:"url,omitempty"`
}

// Speaker is a person who speaks in a session. Name is the name as shown;
// Family and Given are its parts, as citation tools take them, and Forms
// the same parts in other languages and scripts, by language code (the
// Kazakh and the Russian form of a name written in Latin letters). The
// parts are optional: a name without them is cited as written.
type Speaker struct {
	ID         string `yaml:"id" json:"id"`
	Name       string `yaml:"name" json:"name"`
	Role       string `yaml:"role" json:"role,omitempty"`
	PersonName `yaml:",inline"`
	Forms      map[string]PersonName `yaml:"forms,omitempty" json:"forms,omitempty"`
	// Party and PartyName are the speaker's party or group on the day of
	// the speech, short and full; Side is its side then, coalition or
	// opposition. Gender is the person's, as the source gives it (M, F).
	Party     string `yaml:"party,omitempty" json:"party,omitempty"`
	PartyName string `yaml:"party_name,omitempty" json:"party_name,omitempty"`
	Side      string `yaml:"side,omitempty" json:"side,omitempty"`
	Gender    string `yaml:"gender,omitempty" json:"gender,omitempty"`
	// Person is what a list of persons says of the speaker (ParlaMint's
	// listPerson): names over time, links, dated affiliations. It is
	// the person's, not the speech's: the archive keeps the latest given.
	Person *PersonInfo `yaml:"person,omitempty" json:"person,omitempty"`
}

// Sides are the values of Speaker.Side.
var Sides = []string{"coalition", "opposition"}

// PersonName is a name in parts: the family name and the given names.
type PersonName struct {
	Family string `yaml:"family,omitempty" json:"family,omitempty"`
	Given  string `yaml:"given,omitempty" json:"given,omitempty"`
}

// IsZero reports whether the name has no parts.
func (n PersonName) IsZero() bool { return n.Family == "" && n.Given == "" }

// IsZero reports whether the speaker says nothing at all.
func (s Speaker) IsZero() bool {
	return s.ID == "" && s.Name == "" && s.Role == "" && s.PersonName.IsZero() && len(s.Forms) == 0 &&
		s.Party == "" && s.PartyName == "" && s.Side == "" && s.Gender == ""
}

// checkParts checks a speaker's name parts: text without control
// characters, a family name wherever a given name is given, and forms
// keyed by language codes.
func (s Speaker) checkParts() error {
	// The fields are named as the formats name them.
	check := func(n PersonName) error {
		for field, v := range map[string]string{"family name": n.Family, "given name": n.Given} {
			if err := checkText(field, v); err != nil {
				return err
			}
			if strings.ContainsFunc(v, unicode.IsControl) {
				return msg.Errorf("%s %q has control characters", field, v)
			}
		}
		if n.Family == "" && n.Given != "" {
			return msg.Errorf("given name %q has no family name beside it", n.Given)
		}
		return nil
	}
	if err := check(s.PersonName); err != nil {
		return err
	}
	for field, v := range map[string]string{"party": s.Party, "party name": s.PartyName, "gender": s.Gender} {
		if err := checkText("speaker "+field, v); err != nil {
			return err
		}
		if strings.ContainsFunc(v, unicode.IsControl) {
			return msg.Errorf("speaker %s %q has control characters", field, v)
		}
	}
	if s.Side != "" && s.Side != Sides[0] && s.Side != Sides[1] {
		return msg.Errorf("speaker side %q: expected coalition or opposition", s.Side)
	}
	for lang, n := range s.Forms {
		if lang == "" || !langPattern.MatchString(lang) {
			return msg.Errorf("speaker name form %q: expected a language code such as kk or ru", lang)
		}
		if n.IsZero() {
			return msg.Errorf("speaker name form %s has neither a family nor a given name", lang)
		}
		if err := check(n); err != nil {
			return msg.Errorf("speaker name form %s: %v", lang, err)
		}
	}
	return nil
}

// Paragraph is the unit of citation, search and bookmarks. Numbers start at
// 1 within their speech. Heading, when set, is the section heading that
// stands before the paragraph.
type Paragraph struct {
	Number  int    `json:"number"`
	Heading string `json:"heading,omitempty"`
	Text    string `json:"text"`
	// Language is the paragraph's where it is not its speech's (a speech
	// that mixes languages); empty where it is.
	Language string `json:"lang,omitempty"`
	// Lemmas are the lemmas of the paragraph's words in order, each with
	// the word as written, where an annotated source gives them.
	Lemmas []WordLemma `json:"lemmas,omitempty"`
}

// WordLemma is a word of a paragraph as written and its lemma (its
// dictionary form): "говорю", "говорить".
type WordLemma struct {
	Form  string `json:"form"`
	Lemma string `json:"lemma"`
}

// Speech is one contribution to a session: an address, a statement, an
// utterance in a debate.
type Speech struct {
	ID         string      `json:"id"`
	SessionID  string      `json:"session"`
	Speaker    Speaker     `json:"speaker"`
	Order      int         `json:"order"`
	Title      string      `json:"title"`
	Language   string      `json:"language"`
	SourceURL  string      `json:"source_url,omitempty"`
	Provenance string      `json:"provenance,omitempty"`
	Topic      string      `json:"topic,omitempty"`
	Paragraphs []Paragraph `json:"paragraphs"`
}

// Event is one dated step in a proposal's life.
type Event struct {
	Date       string `yaml:"date" json:"date"`
	Status     string `yaml:"status" json:"status"`
	Note       string `yaml:"note" json:"note,omitempty"`
	Source     string `yaml:"source" json:"source,omitempty"`
	Confidence string `yaml:"confidence" json:"confidence,omitempty"`
}

// ParagraphRef points from a proposal to the speech paragraphs that make it.
type ParagraphRef struct {
	Speech     string `yaml:"speech" json:"speech"`
	Paragraphs []int  `yaml:"paragraphs" json:"paragraphs"`
}

// Proposal is an initiative put forward in a session, with its status over
// time.
type Proposal struct {
	ID         string         `json:"id"`
	SessionID  string         `json:"session"`
	Order      int            `json:"order"`
	Title      string         `json:"title"`
	Text       string         `json:"text"`
	Category   string         `json:"category,omitempty"`
	Status     string         `json:"status"`
	Provenance string         `json:"provenance,omitempty"`
	Timeline   []Event        `json:"timeline,omitempty"`
	MadeIn     []ParagraphRef `json:"made_in,omitempty"`
}

// Session is one sitting or meeting of a body, with what was said and
// proposed in it.
type Session struct {
	ID         string     `json:"id"`
	Body       string     `json:"body"`
	Number     int        `json:"number"`
	Date       string     `json:"date"`
	Place      string     `json:"place"`
	Title      string     `json:"title"`
	Summary    string     `json:"summary"`
	Language   string     `json:"language"`
	Provenance string     `json:"provenance,omitempty"`
	Sources    []Source   `json:"sources,omitempty"`
	Speeches   []Speech   `json:"speeches,omitempty"`
	Proposals  []Proposal `json:"proposals,omitempty"`
}

// Error is a problem with a record, in words an archivist can act on. File
// and Line say where it was found when the record came from a file.
type Error struct {
	File   string
	Line   int
	Column int
	Msg    msg.Text
}

func (e *Error) Error() string { return e.Say(nil) }

// Say says the problem in the interface's language, after where it is.
func (e *Error) Say(tr msg.Translate) string {
	var b strings.Builder
	if e.File != "" {
		b.WriteString(e.File)
		if e.Line > 0 {
			fmt.Fprintf(&b, ":%d", e.Line)
			if e.Column > 0 {
				fmt.Fprintf(&b, ":%d", e.Column)
			}
		}
		b.WriteString(": ")
	}
	b.WriteString(e.Msg.Say(tr))
	return b.String()
}

// Unwrap gives the errors the message says.
func (e *Error) Unwrap() []error { return (&msg.Error{Text: e.Msg}).Unwrap() }

// KindWord names a kind of record (session, speech, proposal) in words
// the interface's catalogues translate; another kind is named as it is.
func KindWord(kind string) msg.Text {
	switch kind {
	case "session":
		return msg.T("session")
	case "speech":
		return msg.T("speech")
	case "proposal":
		return msg.T("proposal")
	}
	return msg.T("%s", kind)
}

func errorf(format string, args ...any) *Error {
	return &Error{Msg: msg.T(format, args...)}
}

var langPattern = regexp.MustCompile(`^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$`)

// ValidID reports whether s can serve as a stable id: letters, digits and
// . _ : / - , starting with a letter or digit, at most 200 characters.
func ValidID(s string) bool {
	n := 0
	for i, r := range s {
		n++
		switch {
		case n > 200:
			return false
		case r < utf8.RuneSelf && (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9'):
		case r >= utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsNumber(r)):
			if r == utf8.RuneError && !utf8.ValidString(s[i:]) {
				return false
			}
		case i > 0 && (r == '.' || r == '_' || r == ':' || r == '/' || r == '-'):
		default:
			return false
		}
	}
	return n > 0
}

// ValidDate checks a full calendar date written YYYY-MM-DD.
func ValidDate(s string) error {
	if _, err := time.Parse("2006-01-02", s); err != nil {
		return msg.Errorf("date %q is not a real date in the form YYYY-MM-DD", s)
	}
	return nil
}

// ValidPartialDate accepts YYYY, YYYY-MM or YYYY-MM-DD, for events known only
// to the month or year.
func ValidPartialDate(s string) error {
	for _, layout := range []string{"2006-01-02", "2006-01", "2006"} {
		if len(s) == len(layout) {
			if _, err := time.Parse(layout, s); err == nil {
				return nil
			}
		}
	}
	return msg.Errorf("date %q is not a real date in the form YYYY, YYYY-MM or YYYY-MM-DD", s)
}

func checkText(field, s string) error {
	if !utf8.ValidString(s) {
		return msg.Errorf("%s is not valid UTF-8", field)
	}
	return nil
}

func checkLang(s string) error {
	if s != "" && !langPattern.MatchString(s) {
		return msg.Errorf("language %q is not a language code such as en, kk or ru", s)
	}
	return nil
}

func checkProvenance(s string) error {
	switch s {
	case "", ProvenanceSummary, ProvenanceTranscript:
		return nil
	}
	return msg.Errorf("provenance %q must be %q or %q", s, ProvenanceSummary, ProvenanceTranscript)
}

// Validate checks a session and everything in it: ids, dates, languages,
// text encoding, paragraph numbering and references between records.
func (s *Session) Validate() error {
	if !ValidID(s.ID) {
		return errorf("session id %q is missing or has characters other than letters, digits and . _ : / -", s.ID)
	}
	if strings.TrimSpace(s.Title) == "" {
		return errorf("session %s has no title", s.ID)
	}
	if err := ValidDate(s.Date); err != nil {
		return errorf("session %s: %v", s.ID, err)
	}
	if s.Number < 0 {
		return errorf("session %s: number %d is negative", s.ID, s.Number)
	}
	for field, v := range map[string]string{"title": s.Title, "place": s.Place, "summary": s.Summary, "body": s.Body} {
		if err := checkText(field, v); err != nil {
			return errorf("session %s: %v", s.ID, err)
		}
	}
	if err := checkLang(s.Language); err != nil {
		return errorf("session %s: %v", s.ID, err)
	}
	if err := checkProvenance(s.Provenance); err != nil {
		return errorf("session %s: %v", s.ID, err)
	}
	speeches := map[string]*Speech{}
	ids := map[string]string{}
	for i := range s.Speeches {
		sp := &s.Speeches[i]
		if err := sp.validate(s.ID); err != nil {
			return err
		}
		if prev, dup := ids[sp.ID]; dup {
			return errorf("id %s is used twice in session %s (%v and speech)", sp.ID, s.ID, KindWord(prev))
		}
		ids[sp.ID] = "speech"
		speeches[sp.ID] = sp
	}
	for i := range s.Proposals {
		p := &s.Proposals[i]
		if err := p.validate(s.ID); err != nil {
			return err
		}
		if prev, dup := ids[p.ID]; dup {
			return errorf("id %s is used twice in session %s (%v and proposal)", p.ID, s.ID, KindWord(prev))
		}
		ids[p.ID] = "proposal"
		for _, ref := range p.MadeIn {
			sp, ok := speeches[ref.Speech]
			if !ok {
				return errorf("proposal %s refers to speech %q, which is not in session %s", p.ID, ref.Speech, s.ID)
			}
			for _, n := range ref.Paragraphs {
				if n < 1 || n > len(sp.Paragraphs) {
					return errorf("proposal %s refers to ¶ %d of %s, which has %d paragraphs", p.ID, n, sp.ID, len(sp.Paragraphs))
				}
			}
		}
	}
	return nil
}

func (sp *Speech) validate(session string) error {
	if !ValidID(sp.ID) {
		return errorf("speech id %q is missing or has characters other than letters, digits and . _ : / -", sp.ID)
	}
	if sp.SessionID != session {
		return errorf("speech %s belongs to session %q, not %q", sp.ID, sp.SessionID, session)
	}
	if sp.Speaker.ID != "" && !ValidID(sp.Speaker.ID) {
		return errorf("speech %s: speaker id %q has characters other than letters, digits and . _ : / -", sp.ID, sp.Speaker.ID)
	}
	if err := checkLang(sp.Language); err != nil {
		return errorf("speech %s: %v", sp.ID, err)
	}
	if err := checkProvenance(sp.Provenance); err != nil {
		return errorf("speech %s: %v", sp.ID, err)
	}
	if err := sp.Speaker.checkParts(); err != nil {
		return errorf("speech %s: %v", sp.ID, err)
	}
	for field, v := range map[string]string{"title": sp.Title, "speaker name": sp.Speaker.Name, "speaker role": sp.Speaker.Role, "topic": sp.Topic} {
		if err := checkText(field, v); err != nil {
			return errorf("speech %s: %v", sp.ID, err)
		}
	}
	for i, p := range sp.Paragraphs {
		if p.Number != i+1 {
			return errorf("speech %s: paragraph %d is numbered %d", sp.ID, i+1, p.Number)
		}
		// Each on its own: joined, a paragraph of 60 MB would be copied.
		for _, v := range []string{p.Text, p.Heading} {
			if err := checkText("paragraph text", v); err != nil {
				return errorf("speech %s ¶ %d: %v", sp.ID, p.Number, err)
			}
		}
	}
	return nil
}

func (p *Proposal) validate(session string) error {
	if !ValidID(p.ID) {
		return errorf("proposal id %q is missing or has characters other than letters, digits and . _ : / -", p.ID)
	}
	if p.SessionID != session {
		return errorf("proposal %s belongs to session %q, not %q", p.ID, p.SessionID, session)
	}
	if strings.TrimSpace(p.Title) == "" {
		return errorf("proposal %s has no title", p.ID)
	}
	if err := checkProvenance(p.Provenance); err != nil {
		return errorf("proposal %s: %v", p.ID, err)
	}
	for field, v := range map[string]string{"title": p.Title, "text": p.Text, "category": p.Category, "status": p.Status} {
		if err := checkText(field, v); err != nil {
			return errorf("proposal %s: %v", p.ID, err)
		}
	}
	for i, e := range p.Timeline {
		if err := ValidPartialDate(e.Date); err != nil {
			return errorf("proposal %s, timeline entry %d: %v", p.ID, i+1, err)
		}
		if strings.TrimSpace(e.Status) == "" {
			return errorf("proposal %s, timeline entry %d has no status", p.ID, i+1)
		}
		if !confidences[e.Confidence] {
			return errorf("proposal %s, timeline entry %d: confidence %q must be high, medium or low", p.ID, i+1, e.Confidence)
		}
		if i > 0 && e.Date < p.Timeline[i-1].Date {
			return errorf("proposal %s: timeline entry %d (%s) comes before entry %d (%s); list events in date order", p.ID, i+1, e.Date, i, p.Timeline[i-1].Date)
		}
	}
	return nil
}

// CurrentStatus is the proposal's status: the last timeline entry's, or the
// stated status when there is no timeline.
func (p *Proposal) CurrentStatus() string {
	if n := len(p.Timeline); n > 0 {
		return p.Timeline[n-1].Status
	}
	return p.Status
}

// SplitParagraphs cuts Markdown text into numbered paragraphs at blank
// lines. A heading line (# ...) is not a paragraph: it becomes the heading
// of the paragraph after it. Fenced code blocks are kept whole.
func SplitParagraphs(text string) []Paragraph {
	var (
		out     []Paragraph
		block   []string
		heading string
		fenced  bool
		last    bool // flushing at the end: a heading with nothing after it is kept
	)
	flush := func() {
		if len(block) == 0 && !(last && heading != "") {
			return
		}
		text := joinBlock(block)
		if text == emptyParagraph {
			text = ""
		}
		out = append(out, Paragraph{Number: len(out) + 1, Heading: heading, Text: text})
		block, heading = nil, ""
	}
	text = strings.ReplaceAll(text, "\r\n", "\n")
	for _, line := range strings.Split(text, "\n") {
		trimmed := strings.TrimSpace(line)
		if strings.HasPrefix(trimmed, "```") || strings.HasPrefix(trimmed, "~~~") {
			fenced = !fenced
			block = append(block, line)
			continue
		}
		switch {
		case fenced:
			block = append(block, line)
		case trimmed == "":
			flush()
		case isHeading(trimmed) && len(block) == 0:
			h := strings.TrimSpace(strings.TrimLeft(trimmed, "#"))
			if heading != "" {
				heading += " · " + h
			} else {
				heading = h
			}
		case isHeading(trimmed):
			flush()
			heading = strings.TrimSpace(strings.TrimLeft(trimmed, "#"))
		default:
			block = append(block, line)
		}
	}
	last = true
	flush()
	return out
}

// joinBlock makes the lines of a paragraph its text. A paragraph of prose
// is one line: the breaks of a hard-wrapped source file are spaces, as
// Markdown reads them, and a citation, a search result or a copy carries
// no break the author did not mean. A block whose breaks mean something
// (a list, a table, a quotation, code, a line ended with two spaces or a
// backslash) keeps its lines.
func joinBlock(block []string) string {
	for _, l := range block {
		t := strings.TrimLeft(l, " \t")
		if len(l)-len(t) >= 4 || strings.HasSuffix(l, "  ") || strings.HasSuffix(l, "\\") || listOrQuote(t) {
			return strings.Join(block, "\n")
		}
	}
	parts := make([]string, len(block))
	for i, l := range block {
		parts[i] = strings.TrimSpace(l)
	}
	return strings.Join(parts, " ")
}

// listOrQuote reports whether a line starts a list item, a table row, a
// quotation, a fence or an HTML block.
func listOrQuote(t string) bool {
	if t == "" {
		return false
	}
	switch t[0] {
	case '|', '>', '<', '`', '~':
		return true
	case '-', '*', '+':
		return len(t) == 1 || t[1] == ' '
	}
	i := 0
	for i < len(t) && t[i] >= '0' && t[i] <= '9' {
		i++
	}
	return i > 0 && i < len(t) && (t[i] == '.' || t[i] == ')')
}

func isHeading(line string) bool {
	n := 0
	for n < len(line) && line[n] == '#' {
		n++
	}
	return n >= 1 && n <= 6 && (n == len(line) || line[n] == ' ')
}
