package ui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/x/ansi"

	"kurultai/data"
)

// HitText writes result number n as plain text: where it is, and its
// snippet with the matches between « and ».
func HitText(n int, h data.Hit, width int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d. %s\n", n, ansi.Truncate(hitPlace(h), width, "…"))
	for _, l := range strings.Split(ansi.Wrap(Guillemets(SanitizeLine(h.Snippet)), max(width-3, 20), ""), "\n") {
		b.WriteString("   " + l + "\n")
	}
	return b.String()
}

// hitPlace names where a hit is: session, date, who or what, ¶, and the
// field that matched when it is not the text.
func hitPlace(h data.Hit) string {
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
			who = "unknown speaker"
		}
		parts = append(parts, who, fmt.Sprintf("¶ %d", h.Paragraph), SanitizeLine(h.Speech))
	case data.KindProposal:
		parts = append(parts, "proposal: "+SanitizeLine(h.Title), fmt.Sprintf("¶ %d", h.Paragraph))
	case data.KindTitle:
		parts = append(parts, SanitizeLine(h.Speech))
	case data.KindTimeline:
		parts = append(parts, "proposal: "+SanitizeLine(h.Title))
	case data.KindSpeaker:
		parts = append(parts, SanitizeLine(h.Speaker)+" ("+SanitizeLine(h.SpeakerID)+")")
	default:
		parts = append(parts, "session: "+SanitizeLine(h.Title))
	}
	if l := h.FieldLabel(); l != "" {
		parts = append(parts, SanitizeLine(l))
	}
	return strings.Join(parts, " · ")
}

// CountLine is "1–50 of 12,408" with the ranking note, if any.
func CountLine(res *data.SearchResult, offset, n int) string {
	total := Thousands(int64(res.Total))
	if !res.Counted {
		total = "counting…"
	}
	line := fmt.Sprintf("%d–%d of %s", offset+1, offset+n, total)
	if res.Note != "" {
		line += " · " + res.Note
	}
	return line
}

// Guillemets writes a snippet's match marks as « and », for text that is
// read rather than styled.
func Guillemets(s string) string {
	return strings.NewReplacer(data.MarkStart, "«", data.MarkEnd, "»").Replace(s)
}
