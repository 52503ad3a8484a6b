package data

import (
	"slices"
	"strings"
	"unicode"

	"kurultai/sessions"
)

// Lemmas of annotated sources (ParlaMint .ana): each word of a paragraph
// with its dictionary form. lemma:говорить finds говорю, говорил and
// говорят.
//
// The index holds them in the klat column, which no word of a query
// reaches unless it asks: each word of each lemma, folded as the text is,
// behind lemmaMark, in the order of the paragraph's words, so that
// lemma:"говорить правда" is a phrase of the lemmas. A Kazakh key never
// holds lemmaMark (it is made of letters and digits), and FTS5 reads the
// mark, a character of private use, as a letter of the word.

// lemmaMark begins each lemma token of the klat column.
const lemmaMark = "\ue010"

// lemmasText is a paragraph's lemmas as the paragraphs table keeps them:
// a line a word, the word as written and its lemma separated by a tab.
func lemmasText(ls []sessions.WordLemma) string {
	if len(ls) == 0 {
		return ""
	}
	var b strings.Builder
	for i, l := range ls {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(lemmaField(l.Form))
		b.WriteByte('\t')
		b.WriteString(lemmaField(l.Lemma))
	}
	return b.String()
}

// lemmaField keeps a form or lemma off the separators of lemmasText.
func lemmaField(s string) string {
	if strings.ContainsAny(s, "\t\n") {
		return strings.Join(strings.FieldsFunc(s, func(r rune) bool { return r == '\t' || r == '\n' }), " ")
	}
	return s
}

// parseLemmas reads lemmasText back.
func parseLemmas(s string) []sessions.WordLemma {
	if s == "" {
		return nil
	}
	lines := strings.Split(s, "\n")
	out := make([]sessions.WordLemma, 0, len(lines))
	for _, line := range lines {
		form, lemma, _ := strings.Cut(line, "\t")
		out = append(out, sessions.WordLemma{Form: form, Lemma: lemma})
	}
	return out
}

// appendLemmaTokens appends the klat tokens of the lemmas in lemmasText
// form: every word of every lemma, folded, behind lemmaMark.
func appendLemmaTokens(dst []byte, text string) []byte {
	for line := range strings.SplitSeq(text, "\n") {
		_, lemma, _ := strings.Cut(line, "\t")
		dst = appendLemmaWords(dst, lemma)
	}
	return dst
}

// appendLemmaWords appends the words of one lemma as klat tokens.
func appendLemmaWords(dst []byte, lemma string) []byte {
	for _, w := range lemmaWords(lemma) {
		if len(dst) > 0 {
			dst = append(dst, ' ')
		}
		dst = append(dst, lemmaMark...)
		dst = append(dst, w...)
	}
	return dst
}

// lemmaWords are the words of a lemma as the index holds them: folded,
// lower case, split where FTS5 would split them (at what is not a
// letter, a digit, a mark or a character of private use).
func lemmaWords(lemma string) []string {
	return strings.FieldsFunc(strings.ToLower(FoldAccents(lemma)), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsNumber(r) && !unicode.Is(unicode.Mn, r) && !unicode.Is(unicode.Co, r)
	})
}

// lemmaForms are the words of a paragraph (its lemmas in lemmasText
// form) that the lemma: terms of a query match, as terms that mark them
// in the paragraph's text.
func lemmaForms(terms []Term, lemmas string) []Term {
	if lemmas == "" || !slices.ContainsFunc(terms, isLemmaTerm) {
		return nil
	}
	return formsOf(terms, parseLemmas(lemmas), map[string]bool{})
}

func isLemmaTerm(t Term) bool { return t.Column == "lemma" }

// formsOf adds the forms of the words the lemma: terms match, each once
// (seen): for a phrase (a term of several words), the words where the
// whole phrase matches. A form is then marked wherever the text shows it.
func formsOf(terms []Term, lemmas []sessions.WordLemma, seen map[string]bool) []Term {
	// The lemmas' words in order, each with the form it stands for.
	type word struct{ lemma, form string }
	var seq []word
	for _, l := range lemmas {
		for _, w := range lemmaWords(l.Lemma) {
			seq = append(seq, word{foldMark(w), l.Form})
		}
	}
	var out []Term
	for _, t := range terms {
		if !isLemmaTerm(t) {
			continue
		}
		ph := lemmaWords(t.Text)
		for k := range ph {
			ph[k] = foldMark(ph[k])
		}
		for i := 0; len(ph) > 0 && i+len(ph) <= len(seq); i++ {
			match := true
			for k, w := range ph {
				if l := seq[i+k].lemma; l != w && !(t.Prefix && k == len(ph)-1 && strings.HasPrefix(l, w)) {
					match = false
					break
				}
			}
			if !match {
				continue
			}
			for k := range ph {
				form := seq[i+k].form
				if seen[form] {
					continue
				}
				seen[form] = true
				for _, fw := range splitWords(form) {
					out = append(out, Term{Text: foldMark(FoldAccents(fw)), Column: "body"})
				}
			}
		}
	}
	return out
}

// WithLemmaForms are the words that mark a document's matches as a search
// did: words, with each lemma: term replaced by the forms it matches in
// the document's paragraphs.
func WithLemmaForms(words []Term, paras []sessions.Paragraph) []Term {
	if !slices.ContainsFunc(words, isLemmaTerm) {
		return words
	}
	out := slices.DeleteFunc(slices.Clone(words), isLemmaTerm)
	seen := map[string]bool{}
	for _, p := range paras {
		for _, t := range formsOf(words, p.Lemmas, seen) {
			t.Column = ""
			out = append(out, t)
		}
	}
	return out
}
