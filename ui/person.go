package ui

import (
	"fmt"
	"strings"

	"kurultai/data"
	"kurultai/sessions"
)

// PersonLines are the lines that present a speaker above their speeches:
// who they are, their party now and before, what they said; and, where a
// list of persons gave them, their names over time, their affiliations as
// a dated timeline and their links. Every line is sanitised.
func PersonLines(det *data.SpeakerDetail) []string {
	var out []string
	add := func(format string, a ...any) { out = append(out, SanitizeLine(fmt.Sprintf(format, a...))) }
	add("%s (%s)", det.Name, det.ID)
	var about []string
	if det.Gender != "" {
		about = append(about, "gender: "+det.Gender)
	}
	p := det.Person
	if p != nil && p.Birth != "" {
		born := "born " + p.Birth
		if p.BirthPlace != "" {
			born += ", " + p.BirthPlace
		}
		about = append(about, born)
	}
	if len(about) > 0 {
		add("%s", strings.Join(about, " · "))
	}
	if det.Party != "" {
		party := "party: " + det.Party
		if len(det.Before) > 0 {
			party += " (before: " + strings.Join(det.Before, ", ") + ")"
		}
		add("%s", party)
	}
	speeches := Thousands(int64(det.Speeches)) + " speeches"
	if det.Speeches == 1 {
		speeches = "1 speech"
	}
	add("%s, %s, %s to %s", speeches, Count(det.Words, "word"), det.First, det.Last)
	if p == nil {
		return out
	}
	if len(p.Names) > 1 || len(p.Names) == 1 && (p.Names[0].From != "" || p.Names[0].To != "") {
		out = append(out, "", "Names")
		for _, n := range p.Names {
			add("  %-24s %s", span(n.From, n.To), n.Name)
		}
	}
	if len(p.Affiliations) > 0 {
		out = append(out, "", "Affiliations")
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
			add("  %-24s %s", span(a.From, a.To), strings.Join(parts, " · "))
		}
	}
	if len(p.Links) > 0 {
		out = append(out, "", "Links")
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
func span(from, to string) string {
	switch {
	case from == "" && to == "":
		return "undated"
	case to == "":
		return from + " –"
	case from == "":
		return "– " + to
	}
	return from + " – " + to
}
