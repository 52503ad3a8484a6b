package sessions

import (
	"strings"
	"unicode/utf8"
)

// Invisible reports whether r changes how the text around it reads
// without being seen itself: a bidi control (U+061C, U+200E, U+200F,
// U+202A–U+202E, U+2066–U+2069) or a zero-width or invisible formatting
// character (U+180E, U+200B–U+200D, U+2060–U+2065, U+206A–U+206F,
// U+FEFF), or one of those listed below. A right-to-left override can make "txt.exe" read "exe.txt";
// a zero-width space makes two words that look alike differ. Terminal
// output shows such a character by its code point and JSON escapes it,
// so that what is read is what the archive holds.
//
// Zero-width non-joiner and joiner (U+200C, U+200D) are included although
// they are legitimate in some writing: Persian and the Indic scripts join
// or part letters with them, and emoji sequences are built with U+200D.
// The archive holds parliamentary records in Kazakh, Russian, English and
// the other ParlaMint languages, whose Cyrillic, Latin and Greek spelling
// never needs them, and a record is no place for emoji sequences; where
// one does occur, seeing it is better than being misled by it. JSON keeps
// them exactly, so nothing is lost for a program.
//
// Also shown: the soft hyphen (U+00AD) and the combining grapheme joiner
// (U+034F), which a terminal draws as nothing; the line and paragraph
// separators (U+2028, U+2029); the Hangul fillers (U+115F, U+1160,
// U+3164, U+FFA0), blank letters that make a word look empty; and the tag
// characters (U+E0000–U+E007F), which can carry a hidden message.
func Invisible(r rune) bool {
	switch {
	case r < 0x00ad:
		return false
	case r == 0x00ad, r == 0x034f, r == 0x061c, r == 0x115f, r == 0x1160, r == 0x180e, r == 0x3164, r == 0xfeff, r == 0xffa0:
		return true
	case r >= 0x200b && r <= 0x200f, r >= 0x2028 && r <= 0x202e, r >= 0x2060 && r <= 0x206f:
		return true
	case r >= 0xe0000 && r <= 0xe007f:
		return true
	}
	return false
}

// textSafe removes from s what a text format (Markdown, CSV, RIS,
// BibTeX) cannot carry and a terminal would obey: C0 controls other than
// newline and tab, DEL and C1 controls. A carriage return becomes a
// newline (CR LF one newline) and invalid UTF-8 becomes U+FFFD. Without
// ESC and the C1 controls no escape sequence can start; what followed one
// is left as harmless text. Commands also pass their output through the
// terminal filter in ui; this keeps files written with -o clean too.
func textSafe(s string) string {
	clean := true
	for i := 0; i < len(s) && clean; i++ {
		c := s[i]
		clean = !(c < 0x20 && c != '\n' && c != '\t' || c == 0x7f || c == 0xc2 && i+1 < len(s) && s[i+1] < 0xa0)
	}
	if clean && utf8.ValidString(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i, r := range s {
		switch {
		case r == '\r':
			if i+1 >= len(s) || s[i+1] != '\n' {
				b.WriteByte('\n')
			}
		case r == '\n', r == '\t':
			b.WriteRune(r)
		case r < 0x20, r >= 0x7f && r < 0xa0:
		default:
			b.WriteRune(r) // invalid bytes come as utf8.RuneError
		}
	}
	return b.String()
}

// textSafePassages is ps with every string textSafe, for the text formats.
func textSafePassages(ps []Passage) []Passage {
	out := make([]Passage, len(ps))
	for i, p := range ps {
		c := &p.Citation
		for _, f := range []*string{&p.UID, &p.Owner, &p.Archive, &p.Doc, &p.Quote, &p.Note, &p.Created, &p.Updated, &p.State,
			&c.Speaker, &c.Family, &c.Given, &c.Title, &c.Body, &c.Session, &c.Place, &c.Date, &c.SourceURL, &c.Kind, &c.Language} {
			*f = textSafe(*f)
		}
		if len(c.Forms) > 0 {
			forms := make(map[string]PersonName, len(c.Forms))
			for lang, n := range c.Forms {
				forms[textSafe(lang)] = PersonName{Family: textSafe(n.Family), Given: textSafe(n.Given)}
			}
			c.Forms = forms
		}
		if len(p.Tags) > 0 {
			tags := make([]string, len(p.Tags))
			for j, t := range p.Tags {
				tags[j] = textSafe(t)
			}
			p.Tags = tags
		}
		out[i] = p
	}
	return out
}
