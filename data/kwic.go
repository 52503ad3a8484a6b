package data

import (
	"cmp"
	"context"
	"errors"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"kurultai/sessions/msg"
)

// KwicLine is one occurrence of a query's words in its results, with the
// words around it: a line of a concordance (key word in context).
type KwicLine struct {
	Kind      string `json:"kind"`
	Session   string `json:"session"`
	Speech    string `json:"speech,omitempty"`
	Paragraph int    `json:"paragraph,omitempty"`
	Left      string `json:"left"`
	Match     string `json:"match"`
	Right     string `json:"right"`
	Date      string `json:"date"`
	Speaker   string `json:"speaker,omitempty"` // the speaker's name
	SpeakerID string `json:"speaker_id,omitempty"`
	Party     string `json:"party,omitempty"`
	// seq is the line's place in the order results come (newest first),
	// which sorting keeps among equals.
	seq int
}

// KwicSorts are the orders of a concordance: by the first, second or
// third word to the left or right of the match, by date (newest first,
// the order lines come in) or by speaker.
var KwicSorts = []string{"date", "left1", "left2", "left3", "right1", "right2", "right3", "speaker"}

// Kwic is what a concordance read.
type Kwic struct {
	Lines []KwicLine
	// Results is every result read; Outside those whose match is not in
	// their text (a title, a heading, a name, a filter alone), which
	// give no line.
	Results, Outside int
	// Sampled is how many lines there were before a sample was drawn.
	Sampled int
	Notes   []msg.Text
}

// errEnough stops reading results early.
var errEnough = msg.New("enough")

// Concordance gives each occurrence of a query's words in its results'
// text, newest first, with context words of text on either side (never
// past the paragraph's edges). limit > 0 stops after that many lines,
// for a first screen; a limit of 0 reads every result.
func (d *DB) Concordance(ctx context.Context, q Query, context, limit int) (*Kwic, error) {
	var lines []KwicLine
	out, err := d.EachKwic(ctx, q, context, func(l *KwicLine) error {
		lines = append(lines, *l)
		if limit > 0 && len(lines) >= limit {
			return errEnough
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	out.Lines = lines
	return out, nil
}

// EachKwic hands fn each line of a query's concordance as it is read,
// newest first, and gives what it read (without the lines). An error of
// fn stops it; errEnough stops it quietly.
func (d *DB) EachKwic(ctx context.Context, q Query, context int, fn func(*KwicLine) error) (*Kwic, error) {
	out := &Kwic{}
	km := newKwicMarks(q)
	var buf []KwicLine
	seq := 0
	res, err := d.eachText(ctx, q, func(h Hit) error {
		out.Results++
		buf = km.appendLines(buf[:0], &h, context)
		if len(buf) == 0 {
			out.Outside++
		}
		for i := range buf {
			buf[i].seq = seq
			seq++
			if err := fn(&buf[i]); err != nil {
				return err
			}
		}
		return nil
	})
	stopped := errors.Is(err, errEnough)
	if err != nil && !stopped {
		return nil, err
	}
	if res != nil {
		out.Notes = res.Notes
	}
	if out.Outside > 0 && !stopped {
		n := msg.Count(out.Outside)
		out.Notes = append(out.Notes, msg.Pick(int64(n),
			msg.T("%v result matched outside its text (a title, a heading, a name, or filters alone) and has no line", n),
			msg.T("%v results matched outside their text (a title, a heading, a name, or filters alone) and have no line", n)))
	}
	return out, nil
}

// ErrEnough, returned by EachKwic's fn, stops reading without an error.
var ErrEnough = errEnough

// kwicMarks are what a query marks in a concordance's text: the words of
// its terms that are not phrases, and each phrase of several words as the
// words that must follow one another.
type kwicMarks struct {
	single  []Term
	phrases [][][]Term // a phrase, word by word, each word's marks
}

func newKwicMarks(q Query) *kwicMarks {
	km := &kwicMarks{}
	for _, g := range q.All {
		for _, t := range g {
			switch {
			case t.Column != "" && t.Column != "body":
				// name:, title:, place: and lemma: words are not words
				// of the text (a lemma's forms come with each hit).
			case t.Phrase && !t.Exact && len(splitWords(t.Text)) > 1:
				var ph [][]Term
				for _, w := range splitWords(t.Text) {
					ph = append(ph, Term{Text: w}.words())
				}
				km.phrases = append(km.phrases, ph)
			default:
				km.single = append(km.single, t.words()...)
			}
		}
	}
	return km
}

// kwicKinds are the results whose text gives lines: running text, not
// titles or names.
var kwicKinds = map[string]bool{KindSpeech: true, KindProposal: true, KindSession: true, KindTimeline: true}

// appendLines adds the lines of one result: each match in its text, a
// phrase's words found one after another being one match.
func (km *kwicMarks) appendLines(lines []KwicLine, h *Hit, context int) []KwicLine {
	text := h.Text
	if text == "" || !kwicKinds[h.Kind] {
		return lines
	}
	kazakh := IsKazakh(h.Language)
	var spans [][2]int
	// Single words, and the forms a lemma: term found in the paragraph.
	single := km.single
	for _, t := range h.marks {
		if t.Column == "body" {
			single = append(slices.Clip(single), t)
		}
	}
	if len(single) > 0 {
		EachMatch(text, single, kazakh, func(i, j int) bool {
			spans = append(spans, [2]int{i, j})
			return true
		})
	}
	var words [][2]int
	if len(km.phrases) > 0 {
		words = wordSpans(text)
	}
	for _, ph := range km.phrases {
		// The words each of the phrase's words marks, by where they
		// start; then every run of them in order.
		at := make([]map[int]bool, len(ph))
		for k, marks := range ph {
			at[k] = map[int]bool{}
			EachMatch(text, marks, kazakh, func(i, _ int) bool {
				at[k][i] = true
				return true
			})
		}
		for i := 0; i+len(ph) <= len(words); i++ {
			ok := true
			for k := range ph {
				if !at[k][words[i+k][0]] {
					ok = false
					break
				}
			}
			if ok {
				spans = append(spans, [2]int{words[i][0], words[i+len(ph)-1][1]})
			}
		}
	}
	if len(spans) == 0 {
		return lines
	}
	slices.SortFunc(spans, func(a, b [2]int) int { return cmp.Or(cmp.Compare(a[0], b[0]), cmp.Compare(a[1], b[1])) })
	spans = slices.Compact(spans)
	breaks := strings.Contains(text, "\n\n") // a text of several paragraphs
	for _, s := range spans {
		l := KwicLine{Kind: h.Kind, Session: h.Session, Speech: h.Speech, Paragraph: h.Paragraph, Date: h.Date,
			Speaker: h.Speaker, SpeakerID: h.SpeakerID, Party: h.Party}
		// The context stays within the match's paragraph: a summary
		// or a proposal's text given whole has several.
		lo, hi := 0, len(text)
		if breaks {
			if k := strings.LastIndex(text[:s[0]], "\n\n"); k >= 0 {
				lo = k + 2
			}
			if k := strings.Index(text[s[1]:], "\n\n"); k >= 0 {
				hi = s[1] + k
			}
		}
		from, to := wordsBefore(text, s[0], lo, context), wordsAfter(text, s[1], hi, context)
		// Copies: a line must not keep its paragraph's whole text.
		l.Left, l.Match = strings.Clone(oneLine(text[from:s[0]])), strings.Clone(oneLine(text[s[0]:s[1]]))
		l.Right = strings.Clone(oneLine(text[s[1]:to]))
		lines = append(lines, l)
	}
	return lines
}

// oneLine puts a piece of text on one line: runs of white space, line
// breaks among them, become one space.
func oneLine(s string) string {
	if !strings.ContainsFunc(s, func(r rune) bool { return r != ' ' && unicode.IsSpace(r) }) && !strings.Contains(s, "  ") {
		return s
	}
	lead := s != "" && unicode.IsSpace(rune(s[0]))
	tail := s != "" && unicode.IsSpace(rune(s[len(s)-1]))
	out := strings.Join(strings.Fields(s), " ")
	if lead {
		out = " " + out
	}
	if tail && out != " " {
		out += " "
	}
	return out
}

// wordSpans are the byte ranges of text's words, as the index reads
// words (see eachIndexWord).
func wordSpans(text string) [][2]int {
	var out [][2]int
	start := -1
	for i := 0; i < len(text); {
		c := text[i]
		n, class := 1, uint8(wordSep)
		if c < utf8.RuneSelf {
			if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' {
				class = wordStart
			}
		} else {
			var r rune
			r, n = utf8.DecodeRuneInString(text[i:])
			class, _ = wordClass(r)
		}
		switch {
		case class == wordStart && start < 0:
			start = i
		case class == wordSep && start >= 0:
			out = append(out, [2]int{start, i})
			start = -1
		}
		i += n
	}
	if start >= 0 {
		out = append(out, [2]int{start, len(text)})
	}
	return out
}

// wordClassAt is the class of the character at text[i], and its size.
func wordClassAt(text string, i int) (uint8, int) {
	c := text[i]
	if c < utf8.RuneSelf {
		if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' {
			return wordStart, 1
		}
		return wordSep, 1
	}
	r, n := utf8.DecodeRuneInString(text[i:])
	class, _ := wordClass(r)
	return class, n
}

// wordsBefore is where the n words before at begin, none of them before
// lo: a word is a stretch of characters that are not separators, from
// its first that starts a word (as wordSpans reads them).
func wordsBefore(text string, at, lo, n int) int {
	from := at
	for i := at; n > 0 && i > lo; {
		// The stretch of word characters that ends at i.
		end := i
		for i > lo {
			_, size := utf8.DecodeLastRuneInString(text[:i])
			if class, _ := wordClassAt(text, i-size); class == wordSep {
				break
			}
			i -= size
		}
		if i < end {
			// The word starts at the stretch's first starting character.
			for j := i; j < end; {
				class, size := wordClassAt(text, j)
				if class == wordStart {
					from, n = j, n-1
					break
				}
				j += size
			}
		}
		// And the separators before it.
		for i > lo {
			_, size := utf8.DecodeLastRuneInString(text[:i])
			if class, _ := wordClassAt(text, i-size); class != wordSep {
				break
			}
			i -= size
		}
	}
	return from
}

// wordsAfter is where the n words after at end, none of them past hi.
func wordsAfter(text string, at, hi, n int) int {
	to := at
	for i := at; n > 0 && i < hi; {
		// Separators, and what continues no word.
		for i < hi {
			class, size := wordClassAt(text, i)
			if class == wordStart {
				break
			}
			i += size
		}
		if i >= hi {
			break
		}
		j := i
		for j < hi {
			class, size := wordClassAt(text, j)
			if class == wordSep {
				break
			}
			j += size
		}
		// A word that runs past hi is not the context's.
		if j == hi && hi < len(text) {
			if class, _ := wordClassAt(text, hi); class != wordSep {
				break
			}
		}
		to, n, i = j, n-1, j
	}
	return to
}

// SortKwic orders lines: by the k-th word to the left or right of the
// match (folded, as the index compares words; a line without one first),
// by speaker, or by date (newest first, as they came). Ties keep the
// order they came in.
func SortKwic(lines []KwicLine, by string) error {
	if !slices.Contains(KwicSorts, by) {
		return msg.Errorf("a concordance sorts by %s, not %q", strings.Join(KwicSorts, ", "), by)
	}
	key := func(l *KwicLine) string { return "" }
	switch {
	case strings.HasPrefix(by, "left"):
		k := int(by[4] - '0')
		key = func(l *KwicLine) string {
			w := wordSpans(l.Left)
			if len(w) < k {
				return ""
			}
			s := w[len(w)-k]
			return Fold(l.Left[s[0]:s[1]])
		}
	case strings.HasPrefix(by, "right"):
		k := int(by[5] - '0')
		key = func(l *KwicLine) string {
			w := wordSpans(l.Right)
			if len(w) < k {
				return ""
			}
			s := w[k-1]
			return Fold(l.Right[s[0]:s[1]])
		}
	case by == "speaker":
		key = func(l *KwicLine) string { return Fold(l.Speaker) }
	}
	keys := make([]string, len(lines))
	for i := range lines {
		keys[i] = key(&lines[i])
	}
	idx := make([]int, len(lines))
	for i := range idx {
		idx[i] = i
	}
	slices.SortStableFunc(idx, func(a, b int) int {
		return cmp.Or(strings.Compare(keys[a], keys[b]), cmp.Compare(lines[a].seq, lines[b].seq))
	})
	sorted := make([]KwicLine, len(lines))
	for i, j := range idx {
		sorted[i] = lines[j]
	}
	copy(lines, sorted)
	return nil
}

// SampleKwic keeps n of the lines, drawn at random with seed (the same
// seed draws the same lines from the same lines), in the order they had.
func SampleKwic(k *Kwic, n int, seed uint64) {
	if n <= 0 || n >= len(k.Lines) {
		return
	}
	k.Sampled = len(k.Lines)
	r := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	perm := r.Perm(len(k.Lines))[:n]
	slices.Sort(perm)
	kept := make([]KwicLine, n)
	for i, j := range perm {
		kept[i] = k.Lines[j]
	}
	k.Lines = kept
	k.Notes = append(k.Notes, msg.T("a sample of %v of the %v lines, drawn with seed %s", msg.Count(n), msg.Count(k.Sampled), strconv.FormatUint(seed, 10)))
}
