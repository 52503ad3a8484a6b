package ui

import (
	"fmt"
	"strings"

	"kurultai/data"
	"kurultai/sessions"
	"kurultai/ui/i18n"
)

// PersonLines are the lines that present a speaker above their speeches:
// who they are, their party now and before, what they said; and, where a
// list of persons gave them, their names over time, their affiliations as
// a dated timeline and their links. Every line is sanitised.
func PersonLines(tr *i18n.Printer, det *data.SpeakerDetail) []string {
	var out []string
	add := func(format string, a ...any) { out = append(out, SanitizeLine(fmt.Sprintf(format, a...))) }
	add("%s (%s)", det.Name, det.ID)
	var about []string
	if det.Gender != "" {
		about = append(about, tr.T("gender: %s", det.Gender))
	}
	p := det.Person
	if p != nil && p.Birth != "" {
		born := tr.T("born %s", p.Birth)
		if p.BirthPlace != "" {
			born += ", " + p.BirthPlace
		}
		about = append(about, born)
	}
	if len(about) > 0 {
		add("%s", strings.Join(about, " · "))
	}
	if det.Party != "" {
		party := tr.T("party: %s", det.Party)
		if len(det.Before) > 0 {
			party = tr.T("party: %s (before: %s)", det.Party, strings.Join(det.Before, ", "))
		}
		add("%s", party)
	}
	add("%s", tr.T("%s, %s, %s to %s", tr.T("%d speeches", det.Speeches), tr.T("%d words", det.Words), sayDate(tr, det.First), sayDate(tr, det.Last)))
	if p == nil {
		return out
	}
	if len(p.Names) > 1 || len(p.Names) == 1 && (p.Names[0].From != "" || p.Names[0].To != "") {
		out = append(out, "", tr.T("Names"))
		for _, n := range p.Names {
			add("  %s %s", PadRight(span(tr, n.From, n.To), 24), n.Name)
		}
	}
	if len(p.Affiliations) > 0 {
		out = append(out, "", tr.T("Affiliations"))
		for _, a := range p.Affiliations {
			org := a.OrgName
			if a.OrgAbbr != "" && a.OrgAbbr != a.OrgName {
				org = a.OrgAbbr + " (" + a.OrgName + ")"
			}
			if org == "" {
				org = a.Org
			}
			parts := []string{org}
			if a.Role != "" {
				parts = append([]string{a.Role}, parts...)
			}
			if a.Term != "" {
				parts = append(parts, a.Term)
			}
			if a.Orientation != "" {
				parts = append(parts, sessions.OrientationLabel(a.Orientation))
			}
			add("  %s %s", PadRight(span(tr, a.From, a.To), 24), strings.Join(parts, " · "))
		}
	}
	if len(p.Links) > 0 {
		out = append(out, "", tr.T("Links"))
		for _, l := range p.Links {
			what := l.Subtype
			if what == "" {
				what = l.Type
			}
			if l.Lang != "" {
				what += " (" + l.Lang + ")"
			}
			add("  %s: %s", what, l.URL)
		}
	}
	return out
}

// span is a span of dates as the timeline writes it: from – to, either
// end open.
func span(tr *i18n.Printer, from, to string) string {
	switch {
	case from == "" && to == "":
		return tr.T("undated")
	case to == "":
		return from + " –"
	case from == "":
		return "– " + to
	}
	return from + " – " + to
}
