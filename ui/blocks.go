package ui

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"kurultai/data"
	"kurultai/sessions"
	"kurultai/sessions/msg"
	"kurultai/ui/i18n"
)

// provenanceNote is shown above every document that is a summary.
const provenanceNote = "*Summary written for this archive from published reports; not an official transcript.*"

// The headings of a document's own sections.
const (
	timelineHeading = "Timeline"
	madeInHeading   = "Made in"
	sourcesHeading  = "Sources"
)

// speechBlocks lays out a speech: the provenance note, its paragraphs with
// their section headings, links to the proposals made in each paragraph,
// and its source.
func speechBlocks(tr *i18n.Printer, doc *data.Document) []docBlock {
	var out []docBlock
	if doc.Provenance == sessions.ProvenanceSummary {
		out = append(out, docBlock{kind: blockText, md: tr.S(provenanceNote)})
	}
	refs := map[int][]data.Ref{}
	for _, r := range doc.MadeIn {
		refs[r.Paragraph] = append(refs[r.Paragraph], r)
	}
	for _, p := range doc.Paragraphs {
		if p.Heading != "" {
			out = append(out, docBlock{kind: blockHeading, md: "## " + SanitizeLine(p.Heading)})
		}
		md := Sanitize(p.Text)
		if p.Language != "" {
			// A paragraph in another language than its speech says so.
			md = "(" + SanitizeLine(p.Language) + ") " + md
		}
		out = append(out, docBlock{kind: blockPara, para: p.Number, md: md})
		for _, r := range refs[p.Number] {
			out = append(out, docBlock{kind: blockLink, md: "↳ " + tr.T("proposal: %s", SanitizeLine(r.Title)),
				link: docLink{Target: r.Proposal}})
		}
	}
	if doc.SourceURL != "" {
		out = append(out, docBlock{kind: blockText, md: tr.T("Source: %s", SanitizeLine(doc.SourceURL))})
	}
	return out
}

// proposalBlocks lays out a proposal: its status, its numbered text, the
// dated timeline with sources and confidence, and links to the speech
// paragraphs it was made in.
func proposalBlocks(tr *i18n.Printer, doc *data.Document) []docBlock {
	var out []docBlock
	if doc.Provenance == sessions.ProvenanceSummary {
		out = append(out, docBlock{kind: blockText, md: tr.S(provenanceNote)})
	}
	status := tr.T("**Status:** %s", statusLabelIn(tr, doc.Status, lastConfidence(doc.Timeline)))
	if doc.Category != "" {
		status += " · " + tr.T("**Category:** %s", SanitizeLine(doc.Category))
	}
	out = append(out, docBlock{kind: blockText, md: status})
	for _, p := range doc.Paragraphs {
		if p.Heading != "" {
			out = append(out, docBlock{kind: blockHeading, md: "## " + SanitizeLine(p.Heading)})
		}
		out = append(out, docBlock{kind: blockPara, para: p.Number, md: Sanitize(p.Text)})
	}
	if len(doc.Timeline) > 0 {
		out = append(out, docBlock{kind: blockText, md: "## " + tr.S(timelineHeading)})
		for _, e := range doc.Timeline {
			out = append(out, docBlock{kind: blockText, md: timelineEntry(tr, e)})
		}
	}
	if len(doc.MadeIn) > 0 {
		out = append(out, docBlock{kind: blockText, md: "## " + tr.S(madeInHeading)})
		for _, r := range doc.MadeIn {
			label := "→ " + tr.T("¶ %s of %s", strconv.Itoa(r.Paragraph), SanitizeLine(r.SpeechTitle))
			if r.Excerpt != "" {
				label += ": “" + SanitizeLine(r.Excerpt) + "”"
			}
			out = append(out, docBlock{kind: blockLink, md: label, link: docLink{Target: r.Speech, Para: r.Paragraph}})
		}
	}
	return out
}

// statusLabelIn is a proposal's current status with the confidence of the
// timeline step it comes from, so that a status a source barely supports
// does not read as settled. Without a stated confidence it is the status
// alone.
func statusLabelIn(tr *i18n.Printer, status, confidence string) string {
	s := SanitizeLine(orDash(status))
	if confidence != "" {
		s += " · " + tr.T("%s confidence", SanitizeLine(confidence))
	}
	return s
}

// lastConfidence is the confidence of the last timeline step, where the
// current status comes from (sessions.Proposal.CurrentStatus).
func lastConfidence(timeline []sessions.Event) string {
	if n := len(timeline); n > 0 {
		return timeline[n-1].Confidence
	}
	return ""
}

// currentConfidences reads, for each proposal in rows, the confidence of
// its current status. The list rows do not carry it, so each proposal is
// read whole; this runs in a command, off the UI's loop.
func currentConfidences(ctx context.Context, db *data.DB, rows []data.ItemRow) (map[string]string, error) {
	out := make(map[string]string, len(rows))
	for _, r := range rows {
		d, err := db.Document(ctx, r.ID)
		if err != nil {
			return nil, err
		}
		if c := lastConfidence(d.Timeline); c != "" {
			out[r.ID] = c
		}
	}
	return out, nil
}

func timelineEntry(tr *i18n.Printer, e sessions.Event) string {
	var b strings.Builder
	fmt.Fprintf(&b, "- **%s · %s**", SanitizeLine(e.Date), SanitizeLine(e.Status))
	if e.Confidence != "" {
		b.WriteString(" " + tr.T("(confidence: %s)", SanitizeLine(e.Confidence)))
	}
	if e.Note != "" {
		b.WriteString(" — " + SanitizeLine(e.Note))
	}
	if e.Source != "" {
		// On a line of its own and in plain text: emphasis around a source
		// broke wherever an address in it became a link, leaving stray
		// asterisks, and an address starting its line is broken less.
		b.WriteString("\\\n  " + tr.T("Source: %s", SanitizeLine(e.Source)))
	}
	return b.String()
}

// summaryBlocks lays out a session's summary and its sources.
func summaryBlocks(tr *i18n.Printer, s *data.SessionDetail) []docBlock {
	var out []docBlock
	if s.Provenance == sessions.ProvenanceSummary {
		out = append(out, docBlock{kind: blockText, md: tr.S(provenanceNote)})
	}
	if strings.TrimSpace(s.Summary) == "" {
		out = append(out, docBlock{kind: blockText, md: tr.T("*This session has no summary. Its speeches and proposals are in the other tabs.*")})
	}
	for _, p := range sessions.SplitParagraphs(s.Summary) {
		if p.Heading != "" {
			out = append(out, docBlock{kind: blockHeading, md: "## " + SanitizeLine(p.Heading)})
		}
		out = append(out, docBlock{kind: blockText, md: Sanitize(p.Text)})
	}
	if len(s.Sources) > 0 {
		out = append(out, docBlock{kind: blockText, md: "## " + tr.S(sourcesHeading)})
		for _, src := range s.Sources {
			line := "- " + SanitizeLine(src.Title)
			if src.URL != "" {
				line += " — " + SanitizeLine(src.URL)
			}
			out = append(out, docBlock{kind: blockText, md: line})
		}
	}
	return out
}

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}

// sessionLineIn names a session in one line, in the printer's language:
// number, date and place, the date as the language writes dates; English
// (and no printer) keeps the date as recorded.
func sessionLineIn(tr *i18n.Printer, s data.SessionRow) string {
	parts := []string{}
	if s.Number > 0 {
		parts = append(parts, tr.T("No. %d", msg.Plain(s.Number)))
	}
	parts = append(parts, sayDate(tr, SanitizeLine(s.Date)))
	if s.Place != "" {
		parts = append(parts, SanitizeLine(s.Place))
	}
	if s.Body != "" {
		parts = append(parts, SanitizeLine(s.Body))
	}
	return strings.Join(parts, " · ")
}

// sayDate writes a date of running text in words in Kazakh and Russian (20
// қаңтар 2026); English keeps it as the archive records it (2026-01-20).
func sayDate(tr *i18n.Printer, iso string) string {
	if tr == nil || tr.Lang() == i18n.English {
		return iso
	}
	return tr.Date(iso)
}
