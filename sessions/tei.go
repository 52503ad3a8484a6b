package sessions

import (
	"bufio"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"runtime/debug"
	"strconv"
	"strings"

	"kurultai/sessions/msg"
)

// ParlaMint TEI (Parla-CLARIN) is read with a streaming decoder, token by
// token, so memory holds one sitting at a time however large the corpus.
//
// A corpus root (teiCorpus) names its sittings, and its list of persons,
// with xi:include. Each sitting (a TEI component) becomes a session; each
// <u> a speech; each <seg> a paragraph, whose text is the seg's own text
// without what nested note, gap, desc, vocal, incident, kinesic and time
// elements hold. A debateSection's <head> becomes the heading of the next
// paragraph.
//
// An annotated (.ana) sitting has the same text in words (<w>) and
// punctuation (<pc>), one a line: its seg's text is those tokens, a space
// after each but where join says the next one follows without
// (join="right" or "both" on it, "left" or "both" on the next), and not
// the layout between them. Its ids are the plain sitting's, but for the
// sitting's own, which ends in .ana: that is taken off, so that an
// annotated copy of a sitting replaces the plain one, not stands beside it.

const (
	teiNS = "http://www.tei-c.org/ns/1.0"
	xiNS  = "http://www.w3.org/2001/XInclude"
	xmlNS = "http://www.w3.org/XML/1998/namespace"
)

// Elements whose text is not part of the paragraph they stand in.
var teiSkip = map[string]bool{"note": true, "gap": true, "desc": true, "vocal": true,
	"incident": true, "kinesic": true, "time": true}

// Warn receives problems that do not stop an import, such as a missing
// include; each names the file.
type Warn func(msg.Text)

// Namer gives a speaker's name from their person id, the utterance id and
// the sitting's date (the name valid that day), with its parts where they
// are known.
type Namer func(who, utterance, date string) Person

// Person is a speaker as a corpus gives them on the day of a speech: the
// name, whole and in parts where it has them; the party or group (short
// and full name) and its side, coalition or opposition; the gender.
type Person struct {
	Name string
	PersonName
	Party, PartyName, Side, Gender string
	Info                           *PersonInfo // from the list of persons, where it has them
}

// sitting collects one TEI component as it streams past.
type sitting struct {
	s        Session
	titles   map[string]string // main title by language
	titleAny string
	date     string // settingDesc/setting/date/@when
	altDate  string // sourceDesc's date, or the sitting meeting's @n
	// places are the setting's city and country names, by type and
	// then by xml:lang ("" when the name has none).
	places  map[string]map[string]string
	heading string // a <head> waiting for the next paragraph
}

// DecodeTEISitting reads one sitting from r. name is used in errors.
func DecodeTEISitting(name string, r io.Reader, namer Namer, emit func(*Session) error) error {
	// encoding/xml checks UTF-8 itself and names the line.
	dec := xml.NewDecoder(bufio.NewReaderSize(r, 256*1024))
	st := &sitting{titles: map[string]string{}, places: map[string]map[string]string{}}
	var (
		stack   []string // local names of open elements
		text    strings.Builder
		capture = -1 // depth whose text is being captured, or -1
		skip    = 0  // depth of an element whose text does not count, or 0
		speech  *Speech
		seg     spaceCollapser
		inSeg   = false
		// In a seg of words and punctuation (.ana): the token being
		// read, its depth, and whether the last one joins the next.
		tokens   strings.Builder
		token    strings.Builder
		inToken  = 0
		tokenSeg = false
		joinNext = true // no space before the seg's first token
		joinThis = false
		// The lemmas of the seg's words (.ana), and those of the word
		// being read: its own, or those of the words within it (a
		// contraction, del = de + el).
		segLemmas   []WordLemma
		tokenLemmas []string
		tokenIsWord bool
		// The language of the seg being read, and the words of the
		// speech's segs by language ("" for the utterance's own).
		segLang   string
		langWords = map[string]int{}
		headers   = 0 // depth of teiHeader
		prefix    string
	)
	fail := func(format string, args ...any) error {
		line, col := dec.InputPos()
		return &Error{File: name, Line: line, Column: col, Msg: msg.T(format, args...)}
	}
	var names []xml.Name // open elements as written, to match end tags
	for {
		// RawToken skips namespace translation and copying: the sitting
		// is read with prefixes as written, and end tags are matched here.
		tok, err := dec.RawToken()
		if err == io.EOF {
			break
		}
		if err != nil {
			return teiError(name, dec, err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			local := t.Name.Local
			stack = append(stack, local)
			names = append(names, t.Name)
			depth := len(stack)
			if depth == 1 {
				if local != "TEI" {
					return fail("root element <%s>: expected <TEI>, one ParlaMint sitting", local)
				}
				st.s.ID = strings.TrimSuffix(attr(t, xmlNS, "id"), ".ana")
				st.s.Language = attr(t, xmlNS, "lang")
				if st.s.ID == "" {
					return fail("<TEI> has no xml:id")
				}
				prefix, _, _ = strings.Cut(st.s.ID, "_")
				st.s.Body = prefix
				st.s.Provenance = ProvenanceTranscript
				continue
			}
			if inSeg && skip == 0 && teiSkip[local] {
				skip = depth
			}
			switch local {
			case "teiHeader":
				headers = depth
			case "title":
				if headers > 0 && parentIs(stack, "titleStmt") && attr(t, "", "type") == "main" {
					capture = depth
					text.Reset()
				}
			case "meeting":
				if headers > 0 && hasToken(attr(t, "", "ana"), "#parla.sitting") && st.altDate == "" {
					st.altDate = attr(t, "", "n")
				}
				if ana := attr(t, "", "ana"); headers > 0 && (hasToken(ana, "#parla.meeting") || hasTokenPrefix(ana, "#parla.meeting.")) {
					if n, err := strconv.Atoi(attr(t, "", "n")); err == nil && n > 0 && st.s.Number == 0 {
						st.s.Number = n
					}
				}
			case "date":
				if headers > 0 && parentIs(stack, "setting") {
					st.date = attr(t, "", "when")
				} else if headers > 0 && inPath(stack, "sourceDesc") && st.altDate == "" {
					st.altDate = attr(t, "", "when")
				}
			case "name":
				if headers > 0 && parentIs(stack, "setting") {
					switch attr(t, "", "type") {
					case "city", "country":
						capture = depth
						text.Reset()
					}
				}
			case "idno":
				if headers > 0 && inPath(stack, "sourceDesc") && attr(t, "", "type") == "URI" {
					capture = depth
					text.Reset()
				}
			case "head":
				if headers == 0 && speech == nil {
					capture = depth
					text.Reset()
				}
			case "u":
				if speech != nil {
					return fail("<u> inside another <u>")
				}
				speech = newSpeech(t, st, prefix, namer)
			case "seg":
				if speech != nil && !inSeg {
					inSeg = true
					seg.reset()
					tokens.Reset()
					tokenSeg, joinNext = false, true
					segLang = attr(t, xmlNS, "lang")
					segLemmas = nil
				}
			case "w", "pc":
				if lemma := attr(t, "", "lemma"); inToken != 0 && lemma != "" && local == "w" {
					tokenLemmas = append(tokenLemmas, lemma)
				}
				if inSeg && skip == 0 && inToken == 0 {
					inToken, tokenSeg = depth, true
					token.Reset()
					tokenLemmas, tokenIsWord = tokenLemmas[:0], local == "w"
					if lemma := attr(t, "", "lemma"); lemma != "" && tokenIsWord {
						tokenLemmas = append(tokenLemmas, lemma)
					}
					join := attr(t, "", "join")
					joinThis = join == "left" || join == "both"
					if join == "right" || join == "both" {
						inToken = -depth // joins the next token
					}
				}
			}
			if local == "title" && capture == depth {
				st.s.Title = "" // filled at the end from titles
				lang := attr(t, xmlNS, "lang")
				stack[depth-1] = "title:" + lang
			}
			if local == "name" && capture == depth {
				stack[depth-1] = "name:" + attr(t, "", "type") + ":" + attr(t, xmlNS, "lang")
			}
		case xml.CharData:
			if capture > 0 {
				text.Write(t)
			}
			if inSeg && skip == 0 {
				if len(t) >= hugeText {
					settleMemory()
				}
				if inToken != 0 {
					token.Write(t)
				} else {
					seg.write(t)
				}
			}
		case xml.EndElement:
			depth := len(stack)
			if depth == 0 {
				return fail("malformed XML: </%s> closes nothing", t.Name.Local)
			}
			if names[depth-1] != t.Name {
				return fail("malformed XML: <%s> is closed by </%s>", qname(names[depth-1]), qname(t.Name))
			}
			open := stack[depth-1]
			stack, names = stack[:depth-1], names[:depth-1]
			if skip == depth {
				skip = 0
			}
			if inToken == depth || inToken == -depth {
				if w := strings.Join(strings.Fields(token.String()), " "); w != "" {
					if tokens.Len() > 0 && !joinNext && !joinThis {
						tokens.WriteByte(' ')
					}
					tokens.WriteString(w)
					joinNext = inToken < 0
					if tokenIsWord {
						for _, l := range tokenLemmas {
							segLemmas = append(segLemmas, WordLemma{Form: w, Lemma: l})
						}
					}
				}
				inToken = 0
			}
			if capture == depth {
				capture = -1
				value := strings.Join(strings.Fields(text.String()), " ")
				switch {
				case strings.HasPrefix(open, "title:"):
					lang := strings.TrimPrefix(open, "title:")
					if _, ok := st.titles[lang]; !ok {
						st.titles[lang] = value
					}
					if st.titleAny == "" {
						st.titleAny = value
					}
				case strings.HasPrefix(open, "name:"):
					kind, lang, _ := strings.Cut(strings.TrimPrefix(open, "name:"), ":")
					if st.places[kind] == nil {
						st.places[kind] = map[string]string{}
					}
					if _, ok := st.places[kind][lang]; !ok && value != "" {
						st.places[kind][lang] = value
					}
				case open == "idno":
					if st.s.Sources == nil && value != "" {
						st.s.Sources = []Source{{Title: "Official record", URL: value}}
					}
				case open == "head":
					if value != "" {
						if st.heading != "" {
							st.heading += " · " + value
						} else {
							st.heading = value
						}
					}
				}
			}
			switch t.Name.Local {
			case "teiHeader":
				headers = 0
			case "seg":
				if inSeg && speech != nil {
					inSeg = false
					text := seg.String()
					if tokenSeg {
						text = tokens.String()
					}
					langWords[segLang] += WordCount(text)
					p := Paragraph{Number: len(speech.Paragraphs) + 1, Text: text, Language: segLang, Lemmas: segLemmas}
					if p.Language == "" {
						p.Language = speech.Language // the utterance's own, for now
					}
					segLemmas = nil
					if st.heading != "" {
						p.Heading, st.heading = st.heading, ""
					}
					speech.Paragraphs = append(speech.Paragraphs, p)
				}
			case "u":
				if speech != nil {
					speech.Language = speechLanguage(speech.Language, langWords)
					clear(langWords)
					// A paragraph keeps a language of its own only
					// where it is not the speech's.
					for i := range speech.Paragraphs {
						if speech.Paragraphs[i].Language == speech.Language {
							speech.Paragraphs[i].Language = ""
						}
					}
					speech.Order = len(st.s.Speeches) + 1
					st.s.Speeches = append(st.s.Speeches, *speech)
					speech = nil
				}
			}
		}
	}
	if len(stack) > 0 {
		return fail("the file ends inside <%s>", stack[len(stack)-1])
	}
	// The decoder keeps the longest text it has read in its buffer: it is
	// let go before the sitting is handed over to be written.
	dec = nil
	return st.finish(name, emit)
}

// speechLanguage is a speech's language from its segs': the language most
// of its words are in, a seg without xml:lang counting as in the
// utterance's own (own). ParlaMint-BE marks an utterance nl and each of
// its segs fr: the speech is in French.
func speechLanguage(own string, words map[string]int) string {
	by := map[string]int{}
	for lang, n := range words {
		if lang == "" {
			lang = own
		}
		by[lang] += n
	}
	best, most := own, -1
	for lang, n := range by {
		if n > most || n == most && lang < best {
			best, most = lang, n
		}
	}
	return best
}

func newSpeech(t xml.StartElement, st *sitting, prefix string, namer Namer) *Speech {
	sp := &Speech{ID: attr(t, xmlNS, "id"), SessionID: st.s.ID, Language: st.s.Language, Provenance: ProvenanceTranscript}
	if sp.ID == "" {
		sp.ID = fmt.Sprintf("%s.u%d", st.s.ID, len(st.s.Speeches)+1)
	}
	if lang := attr(t, xmlNS, "lang"); lang != "" {
		sp.Language = lang
	}
	for _, tok := range strings.Fields(attr(t, "", "ana")) {
		switch {
		case strings.HasPrefix(tok, "topic:"):
			sp.Topic = strings.TrimPrefix(tok, "topic:")
		case strings.HasPrefix(tok, "#topic."):
			// ParlaMint-IS: #topic.146_226_M is a topic, not a role.
			sp.Topic = strings.TrimPrefix(tok, "#topic.")
		case strings.HasPrefix(tok, "#") && sp.Speaker.Role == "":
			sp.Speaker.Role = strings.TrimPrefix(tok, "#")
		}
	}
	who := ""
	if f := strings.Fields(attr(t, "", "who")); len(f) > 0 {
		who = strings.TrimPrefix(f[0], "#")
	}
	if who == "" {
		sp.Title = "Unknown speaker"
		return sp
	}
	sp.Speaker.ID = prefix + ":" + who
	date := st.date
	if date == "" {
		date = st.altDate
	}
	p := namer(who, sp.ID, date)
	sp.Speaker.Name, sp.Speaker.PersonName = p.Name, p.PersonName
	sp.Speaker.Party, sp.Speaker.PartyName, sp.Speaker.Side, sp.Speaker.Gender = p.Party, p.PartyName, p.Side, p.Gender
	sp.Speaker.Person = p.Info
	sp.Title = sp.Speaker.Name
	return sp
}

func (st *sitting) finish(name string, emit func(*Session) error) error {
	s := &st.s
	switch {
	case st.titles["en"] != "":
		s.Title = st.titles["en"]
	case st.titles[s.Language] != "":
		s.Title = st.titles[s.Language]
	default:
		s.Title = st.titleAny
	}
	if s.Title == "" {
		s.Title = s.ID
	}
	s.Date = st.date
	if s.Date == "" {
		s.Date = st.altDate
	}
	if s.Date == "" {
		return &Error{File: name, Msg: msg.T("the sitting has no date (settingDesc/setting/date/@when)")}
	}
	s.Place = st.place()
	// A <head> after the last utterance titles nothing that was said, and
	// each <seg> is one paragraph, so it is not made into one.
	// The importer validates what it writes; reading does not do it twice.
	return emit(s)
}

// place is the sitting's city and country in one language: English when
// the setting gives both (or the one it has) in English, else the
// sitting's own language, where a name without xml:lang counts as in it.
// A name the language chosen lacks is left out rather than given in
// another: "Vienna, Österreich" is never written.
func (st *sitting) place() string {
	lang := "en"
	for _, kind := range []string{"city", "country"} {
		if names := st.places[kind]; len(names) > 0 && names["en"] == "" {
			lang = st.s.Language
		}
	}
	var parts []string
	for _, kind := range []string{"city", "country"} {
		v := st.places[kind][lang]
		if v == "" && lang == st.s.Language {
			v = st.places[kind][""]
		}
		if v != "" {
			parts = append(parts, v)
		}
	}
	return strings.Join(parts, ", ")
}

func teiError(name string, dec *xml.Decoder, err error) error {
	var se *xml.SyntaxError
	if errors.As(err, &se) {
		why := msg.T("malformed XML: %s", se.Msg)
		if strings.Contains(se.Msg, "invalid UTF-8") {
			why = msg.T("the file is not valid UTF-8 text")
		}
		return &Error{File: name, Line: se.Line, Msg: why}
	}
	if errors.Is(err, io.ErrUnexpectedEOF) {
		line, col := dec.InputPos()
		return &Error{File: name, Line: line, Column: col, Msg: msg.T("malformed XML: the file ends too early")}
	}
	line, col := dec.InputPos()
	return &Error{File: name, Line: line, Column: col, Msg: msg.T("%v", err)}
}

func qname(n xml.Name) string {
	if n.Space != "" {
		return n.Space + ":" + n.Local
	}
	return n.Local
}

func attr(t xml.StartElement, space, local string) string {
	for _, a := range t.Attr {
		if a.Name.Local == local && (a.Name.Space == space || space == xmlNS && a.Name.Space == "xml") {
			return a.Value
		}
	}
	return ""
}

func parentIs(stack []string, local string) bool {
	if len(stack) < 2 {
		return false
	}
	p := stack[len(stack)-2]
	return p == local || strings.HasPrefix(p, local+":")
}

func inPath(stack []string, local string) bool {
	for _, s := range stack {
		if s == local {
			return true
		}
	}
	return false
}

func hasToken(list, tok string) bool {
	for _, f := range strings.Fields(list) {
		if f == tok {
			return true
		}
	}
	return false
}

func hasTokenPrefix(list, prefix string) bool {
	for _, f := range strings.Fields(list) {
		if strings.HasPrefix(f, prefix) {
			return true
		}
	}
	return false
}

// listSome names the first few items of a list and counts the rest.
func listSome[T any](items []T) msg.Text {
	const show = 12
	var list msg.Text
	for i, it := range items[:min(len(items), show)] {
		if i == 0 {
			list = msg.T("%v", it)
		} else {
			list = msg.T("%v, %v", list, it)
		}
	}
	if len(items) <= show {
		return list
	}
	return msg.T("%v and %d more", list, len(items)-show)
}

// hugeText is the length of text from which reading it takes care of the
// memory it leaves behind (see settleMemory).
const hugeText = 4 << 20

// settleMemory collects garbage and gives the memory back to the system.
// A decoder's buffer doubles as a long text comes in, and leaves the
// earlier buffers behind; imports run with the collector held back, so
// those would still be held while the text is copied out of the buffer.
// It is called only before copying a text of hugeText bytes or more,
// which costs far more than a collection.
func settleMemory() { debug.FreeOSMemory() }
