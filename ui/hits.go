package ui

import (
	"fmt"
	"io"
	"strings"

	"github.com/charmbracelet/x/ansi"

	"kurultai/data"
)

// PrintHits writes search results as plain text: where each is, and its
// snippet with the matches between « and ».
func PrintHits(w io.Writer, res *data.SearchResult, width int) error {
	var b strings.Builder
	for i, h := range res.Hits {
		fmt.Fprintf(&b, "%d. %s\n", i+1, ansi.Truncate(hitPlace(h), width, "…"))
		for _, l := range strings.Split(ansi.Wrap(Guillemets(SanitizeLine(h.Snippet)), max(width-3, 20), ""), "\n") {
			b.WriteString("   " + l + "\n")
		}
	}
	if len(res.Hits) > 0 {
		fmt.Fprintf(&b, "%s\n", countLine(res, 0, len(res.Hits)))
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// hitPlace names where a hit is: session, date, speaker or proposal, ¶.
func hitPlace(h data.Hit) string {
	parts := []string{SanitizeLine(h.Session), SanitizeLine(h.Date)}
	switch h.Kind {
	case data.KindSpeech:
		who := SanitizeLine(h.Speaker)
		if who == "" {
			who = "unknown speaker"
		}
		parts = append(parts, who, fmt.Sprintf("¶ %d", h.Paragraph), SanitizeLine(h.Speech))
	case data.KindProposal:
		parts = append(parts, "proposal: "+SanitizeLine(h.Title), fmt.Sprintf("¶ %d", h.Paragraph))
	default:
		parts = append(parts, "session: "+SanitizeLine(h.Title))
	}
	return strings.Join(parts, " · ")
}

// countLine is "1–50 of 12,408" with the ranking note, if any.
func countLine(res *data.SearchResult, offset, n int) string {
	total := Thousands(int64(res.Total))
	switch {
	case !res.Counted:
		total = "…"
	case res.Capped:
		total = "more than " + total
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
