package data

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
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
	Notes   []string
}

// errEnough stops reading results early.
var errEnough = errors.New("enough")

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
	// A phrase's words, found one after another, are one match.
	phrase := false
	for _, g := range q.All {
		for _, t := range g {
			phrase = phrase || t.Phrase && len(splitWords(t.Text)) > 1
		}
	}
	var buf []KwicLine
	seq := 0
	res, err := d.Each(ctx, q, true, func(h Hit) error {
		out.Results++
		buf = appendKwic(buf[:0], &h, context, phrase)
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
		out.Notes = append(out.Notes, fmt.Sprintf("%s matched outside their text (a title, a heading, a name, or filters alone) and %s no line",
			countWord(out.Outside, "result", "results"), map[bool]string{true: "has", false: "have"}[out.Outside == 1]))
	}
	return out, nil
}

// ErrEnough, returned by EachKwic's fn, stops reading without an error.
var ErrEnough = errEnough

// appendKwic adds the lines of one result: each match in its text; for a
// query with a phrase, matches that only white space parts are taken as
// one.
func appendKwic(lines []KwicLine, h *Hit, context int, phrase bool) []KwicLine {
	text := h.Text
	if text == "" || len(h.marks) == 0 {
		return lines
	}
	var spans [][2]int
	EachMatch(text, h.marks, IsKazakh(h.Language), func(i, j int) bool {
		if n := len(spans); phrase && n > 0 && strings.TrimSpace(text[spans[n-1][1]:i]) == "" {
			spans[n-1][1] = j
			return true
		}
		spans = append(spans, [2]int{i, j})
		return true
	})
	if len(spans) == 0 {
		return lines
	}
	words := wordSpans(text)
	for _, s := range spans {
		l := KwicLine{Kind: h.Kind, Session: h.Session, Speech: h.Speech, Paragraph: h.Paragraph, Date: h.Date,
			Speaker: h.Speaker, SpeakerID: h.SpeakerID, Party: h.Party, Match: oneLine(text[s[0]:s[1]])}
		// The context words: those that end before the match, and those
		// that start after it.
		before := 0
		for before < len(words) && words[before][1] <= s[0] {
			before++
		}
		from := s[0]
		if k := before - context; before > 0 {
			from = words[max(k, 0)][0]
		}
		after := before
		for after < len(words) && words[after][0] < s[1] {
			after++
		}
		to := s[1]
		if after < len(words) {
			to = words[min(after+context, len(words))-1][1]
		}
		if context == 0 {
			from, to = s[0], s[1]
		}
		// Copies: a line must not keep its paragraph's whole text.
		l.Left, l.Right = strings.Clone(oneLine(text[from:s[0]])), strings.Clone(oneLine(text[s[1]:to]))
		l.Match = strings.Clone(l.Match)
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

// wordSpans are the byte ranges of text's words: letters, digits and the
// marks that join them, as the index reads words.
func wordSpans(text string) [][2]int {
	var out [][2]int
	start := -1
	for i := 0; i < len(text); {
		r, n := utf8.DecodeRuneInString(text[i:])
		in := unicode.IsLetter(r) || unicode.IsDigit(r) || start >= 0 && unicode.Is(unicode.Mn, r)
		switch {
		case in && start < 0:
			start = i
		case !in && start >= 0:
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

// SortKwic orders lines: by the k-th word to the left or right of the
// match (folded, as the index compares words; a line without one first),
// by speaker, or by date (newest first, as they came). Ties keep the
// order they came in.
func SortKwic(lines []KwicLine, by string) error {
	if !slices.Contains(KwicSorts, by) {
		return fmt.Errorf("a concordance sorts by %s, not %q", strings.Join(KwicSorts, ", "), by)
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
	k.Notes = append(k.Notes, fmt.Sprintf("a sample of %s of the %s lines, drawn with seed %d", Thousands(int64(n)), Thousands(int64(k.Sampled)), seed))
}
