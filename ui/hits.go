package ui

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/charmbracelet/x/ansi"

	"kurultai/data"
	"kurultai/ui/i18n"
)

// HitText writes result number n as plain text: where it is, and its
// snippet with the matches between « and ».
func HitText(tr *i18n.Printer, n int, h data.Hit, width int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d. %s\n", n, truncate(hitPlace(tr, h), width))
	for _, l := range strings.Split(wrap(Guillemets(SanitizeLine(h.Snippet)), max(width-3, 20)), "\n") {
		b.WriteString("   " + l + "\n")
	}
	return b.String()
}

// narrow reports whether every rune of s takes one cell alone: printable
// Latin, Greek and Cyrillic letters and common punctuation, no marks,
// no wide letters, no escapes. Such text is measured by counting runes,
// which costs far less than finding grapheme clusters.
func narrow(s string) bool {
	for _, r := range s {
		switch {
		case r >= 0x20 && r < 0x7f, r >= 0xa0 && r < 0x300, r >= 0x370 && r < 0x530,
			r >= 0x2010 && r <= 0x2027, r >= 0x2030 && r <= 0x205e:
		default:
			return false
		}
	}
	return true
}

// truncate is ansi.Truncate with "…", by runes where they are narrow.
func truncate(s string, width int) string {
	if !narrow(s) {
		return ansi.Truncate(s, width, "…")
	}
	if utf8.RuneCountInString(s) <= width {
		return s
	}
	r := []rune(s)
	return string(r[:max(width-1, 0)]) + "…"
}

// wrap is ansi.Wrap at spaces, by runes where they are narrow.
func wrap(s string, width int) string {
	if !narrow(s) {
		return ansi.Wrap(s, width, "")
	}
	var b strings.Builder
	line := 0
	for i, w := range strings.Split(s, " ") {
		n := utf8.RuneCountInString(w)
		switch {
		case i == 0:
		case line+1+n <= width:
			b.WriteByte(' ')
			line++
		default:
			b.WriteByte('\n')
			line = 0
		}
		for n > width {
			// A word longer than a line is cut, as ansi.Wrap cuts it.
			r := []rune(w)
			if line > 0 {
				b.WriteByte('\n')
				line = 0
			}
			b.WriteString(string(r[:width]))
			b.WriteByte('\n')
			w, n = string(r[width:]), n-width
		}
		b.WriteString(w)
		line += n
	}
	return b.String()
}

// hitPlace names where a hit is: session, date, who or what, ¶, and the
// field that matched when it is not the text.
func hitPlace(tr *i18n.Printer, h data.Hit) string {
	var parts []string
	if h.Session != "" {
		parts = append(parts, SanitizeLine(h.Session))
	}
	if h.Date != "" && h.Kind != data.KindTimeline {
		parts = append(parts, SanitizeLine(h.Date))
	}
	switch h.Kind {
	case data.KindSpeech:
		who := SanitizeLine(h.Speaker)
		if who == "" {
			who = tr.T("unknown speaker")
		}
		parts = append(parts, who, fmt.Sprintf("¶ %d", h.Paragraph), SanitizeLine(h.Speech))
	case data.KindProposal:
		parts = append(parts, tr.T("proposal: %s", SanitizeLine(h.Title)), fmt.Sprintf("¶ %d", h.Paragraph))
	case data.KindTitle:
		parts = append(parts, SanitizeLine(h.Speech))
	case data.KindTimeline:
		parts = append(parts, tr.T("proposal: %s", SanitizeLine(h.Title)))
	case data.KindSpeaker:
		parts = append(parts, SanitizeLine(h.Speaker)+" ("+SanitizeLine(h.SpeakerID)+")")
	default:
		parts = append(parts, tr.T("session: %s", SanitizeLine(h.Title)))
	}
	if l := h.FieldLabel(); l != "" {
		parts = append(parts, SanitizeLine(l))
	}
	if t := ThroughLabel(tr, h); t != "" {
		parts = append(parts, t)
	}
	return strings.Join(parts, " · ")
}

// ThroughLabel says that a result matched a word in another script or
// spelling than the one typed, as its line shows it.
func ThroughLabel(tr *i18n.Printer, h data.Hit) string {
	switch h.Through {
	case "script":
		return tr.T("≈ matched in another script")
	case "spelling":
		return tr.T("≈ matched in another spelling")
	}
	return ""
}

// CountLine is "1–50 of 12,408" with the ranking note, if any.
func CountLine(tr *i18n.Printer, res *data.SearchResult, offset, n int) string {
	total := tr.N(int64(res.Total))
	if !res.Counted {
		total = tr.T("counting…")
	}
	line := tr.T("%d–%d of %s", offset+1, offset+n, total)
	if !res.Note.IsZero() {
		line += " · " + SanitizeLine(tr.M(res.Note))
	}
	return line
}

// Guillemets writes a snippet's match marks as « and », for text that is
// read rather than styled.
func Guillemets(s string) string {
	return guillemets.Replace(s)
}

var guillemets = strings.NewReplacer(data.MarkStart, "«", data.MarkEnd, "»")
