package sessions

import (
	"bufio"
	"encoding/xml"
	"io"
	"os"
	"slices"
	"strings"
)

// A ParlaMint list of persons (listPerson) gives each person's names, each
// with the dates it was used, their sex and birth, links to pages about
// them (idno), and their dated affiliations to parties, groups,
// parliaments and governments.

// PersonRecord is one person of a list of persons.
type PersonRecord struct {
	ID           string
	Names        []DatedName
	Sex          string // as the corpus gives it: M, F, U
	Birth        string // YYYY, YYYY-MM or YYYY-MM-DD
	BirthPlace   string
	Links        []PersonLink
	Affiliations []Affiliation
}

// DatedName is a name and the span it was used in; From and To are empty
// where the list gives no date.
type DatedName struct {
	PersonName
	Full     string // Forename Surname
	From, To string
}

// PersonLink is an idno of a person: a web address and what it is.
type PersonLink struct {
	Type    string `json:"type,omitempty" yaml:"type,omitempty"`       // URI, wikimedia, ...
	Subtype string `json:"subtype,omitempty" yaml:"subtype,omitempty"` // parliament, personal, ...
	Lang    string `json:"lang,omitempty" yaml:"lang,omitempty"`
	URL     string `json:"url" yaml:"url"`
}

// Affiliation is a person's membership of an organisation, in a role, for
// a span of dates.
type Affiliation struct {
	Org, Role, From, To string
	Ana                 string // the term or event it is tied to, as the corpus gives it
}

// NameOn is the name valid on date: of the names whose span holds the
// date, the one that began last; else one with no dates; else the first.
// A date given only to the year or month holds every day of it.
func (p *PersonRecord) NameOn(date string) (DatedName, bool) {
	if len(p.Names) == 0 {
		return DatedName{}, false
	}
	best, found := -1, false
	for i, n := range p.Names {
		if n.From == "" && n.To == "" {
			continue
		}
		if spans(n.From, n.To, date) && (!found || n.From > p.Names[best].From) {
			best, found = i, true
		}
	}
	if found {
		return p.Names[best], true
	}
	for _, n := range p.Names {
		if n.From == "" && n.To == "" {
			return n, true
		}
	}
	return p.Names[0], true
}

// spans reports whether the span from-to holds date; either end may be
// open (""), and a partial date holds every day it names.
func spans(from, to, date string) bool {
	if date == "" {
		return false
	}
	if from != "" && date < from && !strings.HasPrefix(date, from) {
		return false
	}
	if to != "" && date > to && !strings.HasPrefix(date, to) {
		return false
	}
	return true
}

// readPeople reads a list of persons into people, by xml:id.
func readPeople(path string, people map[string]*PersonRecord) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	dec := xml.NewDecoder(bufio.NewReader(f))
	var (
		p                   *PersonRecord
		name                *DatedName
		forenames, surnames []string
		text                strings.Builder
		capture             string // the element whose text is being read
		link                PersonLink
	)
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return teiError(path, dec, err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "person":
				p = &PersonRecord{ID: attr(t, xmlNS, "id")}
			case "persName":
				if p != nil {
					name = &DatedName{From: attr(t, "", "from"), To: attr(t, "", "to")}
					forenames, surnames = nil, nil
				}
			case "forename", "surname", "nameLink":
				if name != nil {
					capture = t.Name.Local
					text.Reset()
				}
			case "sex":
				if p != nil {
					p.Sex = attr(t, "", "value")
				}
			case "birth":
				if p != nil {
					p.Birth = attr(t, "", "when")
				}
			case "placeName":
				if p != nil && name == nil {
					capture = "placeName"
					text.Reset()
				}
			case "idno":
				if p != nil {
					link = PersonLink{Type: attr(t, "", "type"), Subtype: attr(t, "", "subtype"), Lang: attr(t, xmlNS, "lang")}
					capture = "idno"
					text.Reset()
				}
			case "affiliation":
				if p != nil {
					p.Affiliations = append(p.Affiliations, Affiliation{Org: strings.TrimPrefix(attr(t, "", "ref"), "#"),
						Role: attr(t, "", "role"), From: attr(t, "", "from"), To: attr(t, "", "to"), Ana: attr(t, "", "ana")})
				}
			}
		case xml.CharData:
			if capture != "" {
				text.Write(t)
			}
		case xml.EndElement:
			value := strings.Join(strings.Fields(text.String()), " ")
			switch t.Name.Local {
			case "forename":
				if capture == "forename" && value != "" {
					forenames = append(forenames, value)
				}
			case "surname":
				if capture == "surname" && value != "" {
					surnames = append(surnames, value)
				}
			case "nameLink":
				// van, de: part of the family name, before it.
				if capture == "nameLink" && value != "" {
					surnames = append(surnames, value)
				}
			case "placeName":
				if capture == "placeName" && p != nil && p.BirthPlace == "" {
					p.BirthPlace = value
				}
			case "idno":
				if capture == "idno" && p != nil && value != "" {
					link.URL = value
					p.Links = append(p.Links, link)
				}
			case "persName":
				if name != nil {
					name.Given, name.Family = strings.Join(forenames, " "), strings.Join(surnames, " ")
					name.Full = strings.TrimSpace(name.Given + " " + name.Family)
					if name.Full != "" {
						p.Names = append(p.Names, *name)
					}
					name = nil
				}
			case "person":
				if p != nil && p.ID != "" {
					people[p.ID] = p
				}
				p = nil
			}
			if t.Name.Local == capture {
				capture = ""
			}
		}
	}
}

// metaName turns a name as -meta.tsv writes it, "Surname, Forename", into
// the order every other path writes: "Forename Surname", with its parts.
// A name without exactly one comma is taken as it is.
func metaName(s string) Person {
	family, given, ok := strings.Cut(s, ",")
	family, given = strings.TrimSpace(family), strings.TrimSpace(given)
	if !ok || strings.Contains(given, ",") || family == "" || given == "" {
		return Person{Name: strings.TrimSpace(s)}
	}
	return Person{Name: given + " " + family, PersonName: PersonName{Family: family, Given: given}}
}

// Relation is a relation of a list of organisations: a coalition or an
// opposition, between the organisations named, for a span of dates.
type Relation struct {
	Name     string   // coalition, opposition, ...
	Mutual   []string // organisation ids, for a relation between equals
	Active   []string // the side that holds the relation (the opposition)
	From, To string
}

// OrgRecord is an organisation of a ParlaMint list of organisations: a
// party, a parliamentary group, a parliament or a government.
type OrgRecord struct {
	ID   string
	Role string // politicalParty, parliamentaryGroup, parliament, government, ...
	// Names and Abbrs are its full and short names by language ("" for
	// a name without xml:lang).
	Names, Abbrs map[string]string
	// Orientation is its political orientation as the corpus's taxonomy
	// names it (CL for centre-left), the latest where it is dated.
	Orientation string
	// Events are its dated events by id: a parliament's terms, a
	// government's cabinets, which affiliations name in their ana.
	Events map[string]OrgEvent
}

// OrgEvent is an event of an organisation: a term, a cabinet.
type OrgEvent struct {
	Label, From, To string
}

// name is the organisation's name in English where it has one, else in
// the corpus's language or none, else any; full or short.
func (o *OrgRecord) name(abbr bool) string {
	names := o.Names
	if abbr {
		names = o.Abbrs
	}
	for _, lang := range []string{"en", ""} {
		if n := names[lang]; n != "" {
			return n
		}
	}
	// Any other language, the same one every time.
	best, found := "", false
	for lang := range names {
		if !found || lang < best {
			best, found = lang, true
		}
	}
	return names[best]
}

// partyRoles are the organisations a speaker's party on the day is taken
// from, the party before the group.
var partyRoles = []string{"politicalParty", "parliamentaryGroup"}

// SideOn is a party's side on date, from the relations of the list of
// organisations: coalition when a coalition names it among its members,
// opposition when an opposition names it as one of those opposing; ""
// when no relation that holds the date says.
func SideOn(org, date string, relations []Relation) string {
	for _, r := range relations {
		if !spans(r.From, r.To, date) {
			continue
		}
		switch {
		case r.Name == "coalition" && slices.Contains(r.Mutual, org):
			return "coalition"
		case r.Name == "opposition" && slices.Contains(r.Active, org):
			return "opposition"
		}
	}
	return ""
}

// PartyOn is the speaker's party on date, from their affiliations: short
// and full name. A political party is preferred to a parliamentary group,
// and of several, the affiliation that began last; "" when none holds the
// date.
func (p *PersonRecord) PartyOn(date string, orgs map[string]*OrgRecord) (short, full string) {
	short, full, _ = p.partyOn(date, orgs)
	return short, full
}

// partyOn is PartyOn with the organisation's id.
func (p *PersonRecord) partyOn(date string, orgs map[string]*OrgRecord) (short, full, id string) {
	for _, role := range partyRoles {
		var best *Affiliation
		for i := range p.Affiliations {
			a := &p.Affiliations[i]
			o := orgs[a.Org]
			if o == nil || o.Role != role || !spans(a.From, a.To, date) {
				continue
			}
			if best == nil || a.From > best.From {
				best = a
			}
		}
		if best != nil {
			o := orgs[best.Org]
			full = o.name(false)
			short = o.name(true)
			if short == "" {
				short = full
			}
			return short, full, best.Org
		}
	}
	return "", "", ""
}

// readOrgs reads a list of organisations into orgs, by xml:id, and its
// relations into relations.
func readOrgs(path string, orgs map[string]*OrgRecord, relations *[]Relation) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	dec := xml.NewDecoder(bufio.NewReader(f))
	var (
		o           *OrgRecord
		text        strings.Builder
		inName      bool
		full, lang  string
		depth, orgD int
		event       *OrgEvent // the event being read, with an id
		eventID     string
		inLabel     bool
		labelLang   string
		oriFrom     string // the start of the orientation kept, for the latest
	)
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return teiError(path, dec, err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			depth++
			switch t.Name.Local {
			case "org":
				if o == nil {
					o = &OrgRecord{ID: attr(t, xmlNS, "id"), Role: attr(t, "", "role"), Names: map[string]string{}, Abbrs: map[string]string{},
						Events: map[string]OrgEvent{}}
					orgD, oriFrom = depth, ""
				}
			case "event":
				if id := attr(t, xmlNS, "id"); o != nil && id != "" {
					event, eventID = &OrgEvent{From: attr(t, "", "from"), To: attr(t, "", "to")}, id
				}
			case "label":
				if event != nil {
					inLabel, labelLang = true, attr(t, xmlNS, "lang")
					text.Reset()
				}
			case "relation":
				ids := func(v string) []string {
					var out []string
					for _, f := range strings.Fields(v) {
						out = append(out, strings.TrimPrefix(f, "#"))
					}
					return out
				}
				from, to := attr(t, "", "from"), attr(t, "", "to")
				if when := attr(t, "", "when"); when != "" && from == "" && to == "" {
					from, to = when, when
				}
				*relations = append(*relations, Relation{Name: attr(t, "", "name"), Mutual: ids(attr(t, "", "mutual")),
					Active: ids(attr(t, "", "active")), From: from, To: to})
			case "orgName":
				// The organisation's own names, not those of what it
				// holds (events, relations).
				if o != nil && depth == orgD+1 {
					inName, full, lang = true, attr(t, "", "full"), attr(t, xmlNS, "lang")
					text.Reset()
				}
			}
		}
		if st, ok := tok.(xml.StartElement); ok && o != nil {
			// A party's orientation is a reference to the taxonomy of
			// orientations (#orientation.CL), on a state of the party
			// (state type="politicalOrientation", or a state within
			// it for each source); of several, the latest dated, else
			// the first given, which ParlaMint gives from Wikipedia
			// before an encoder's own.
			for _, ref := range strings.Fields(attr(st, "", "ana")) {
				if v, ok := strings.CutPrefix(ref, "#orientation."); ok {
					if from := attr(st, "", "from"); o.Orientation == "" || from > oriFrom {
						o.Orientation, oriFrom = v, from
					}
				}
			}
		}
		switch t := tok.(type) {
		case xml.CharData:
			if inName || inLabel {
				text.Write(t)
			}
		case xml.EndElement:
			switch t.Name.Local {
			case "label":
				if inLabel {
					inLabel = false
					// English where the corpus gives it, else the first.
					if v := strings.Join(strings.Fields(text.String()), " "); v != "" && (event.Label == "" || labelLang == "en") {
						event.Label = v
					}
				}
			case "event":
				if event != nil {
					o.Events[eventID] = *event
					event = nil
				}
			case "orgName":
				if inName {
					inName = false
					v := strings.Join(strings.Fields(text.String()), " ")
					names := o.Names
					if full == "abb" {
						names = o.Abbrs
					}
					if _, ok := names[lang]; !ok && v != "" {
						names[lang] = v
					}
				}
			case "org":
				if o != nil && depth == orgD {
					if o.ID != "" {
						orgs[o.ID] = o
					}
					o = nil
				}
			}
			depth--
		}
	}
}

// PersonInfo is what a list of persons says of a speaker, kept with them:
// their names with the dates they were used, sex, birth, links to pages
// about them, and their dated affiliations, each organisation named.
type PersonInfo struct {
	Names        []NameSpan        `json:"names,omitempty" yaml:"names,omitempty"`
	Sex          string            `json:"sex,omitempty" yaml:"sex,omitempty"`
	Birth        string            `json:"birth,omitempty" yaml:"birth,omitempty"`
	BirthPlace   string            `json:"birth_place,omitempty" yaml:"birth_place,omitempty"`
	Links        []PersonLink      `json:"links,omitempty" yaml:"links,omitempty"`
	Affiliations []AffiliationInfo `json:"affiliations,omitempty" yaml:"affiliations,omitempty"`
}

// NameSpan is a name of a person and the span it was used in; From and
// To are empty where the source gives no date.
type NameSpan struct {
	Name       string `json:"name" yaml:"name"`
	PersonName `yaml:",inline"`
	From       string `json:"from,omitempty" yaml:"from,omitempty"`
	To         string `json:"to,omitempty" yaml:"to,omitempty"`
}

// AffiliationInfo is a membership of an organisation for a span of dates,
// with the organisation named: a party, a group, a parliament (with the
// term, where the source ties it to one), a government.
type AffiliationInfo struct {
	Org         string `json:"org" yaml:"org"`                               // the organisation's id in its corpus
	OrgName     string `json:"org_name,omitempty" yaml:"org_name,omitempty"` // in English where the corpus gives it
	OrgAbbr     string `json:"org_abbr,omitempty" yaml:"org_abbr,omitempty"`
	OrgKind     string `json:"org_kind,omitempty" yaml:"org_kind,omitempty"` // politicalParty, parliament, government, ...
	Orientation string `json:"orientation,omitempty" yaml:"orientation,omitempty"`
	// OrgNames are every name and short name the corpus gives the
	// organisation, in any language; party: matches them.
	OrgNames []string `json:"org_names,omitempty" yaml:"org_names,omitempty"`
	Role     string   `json:"role,omitempty" yaml:"role,omitempty"` // member, head, minister, ...
	Term     string   `json:"term,omitempty" yaml:"term,omitempty"` // the term or cabinet it is tied to
	From     string   `json:"from,omitempty" yaml:"from,omitempty"`
	To       string   `json:"to,omitempty" yaml:"to,omitempty"`
}

// Info is the person's record as a speaker keeps it: each affiliation's
// organisation named from orgs, and its term from the event its ana
// names. Affiliations come in the order of their start.
func (p *PersonRecord) Info(orgs map[string]*OrgRecord) *PersonInfo {
	in := &PersonInfo{Sex: p.Sex, Birth: p.Birth, BirthPlace: p.BirthPlace, Links: slices.Clone(p.Links)}
	for _, n := range p.Names {
		in.Names = append(in.Names, NameSpan{Name: n.Full, PersonName: n.PersonName, From: n.From, To: n.To})
	}
	for _, a := range p.Affiliations {
		ai := AffiliationInfo{Org: a.Org, Role: a.Role, From: a.From, To: a.To}
		o := orgs[a.Org]
		if o != nil {
			ai.OrgName, ai.OrgAbbr, ai.OrgKind, ai.Orientation = o.name(false), o.name(true), o.Role, o.Orientation
			ai.OrgNames = o.allNames()
		}
		for _, ref := range strings.Fields(a.Ana) {
			id := strings.TrimPrefix(ref, "#")
			if o != nil {
				if e, ok := o.Events[id]; ok {
					ai.Term = e.Label
					break
				}
			}
			for _, other := range orgs {
				if e, ok := other.Events[id]; ok {
					ai.Term = e.Label
					break
				}
			}
		}
		in.Affiliations = append(in.Affiliations, ai)
	}
	slices.SortStableFunc(in.Affiliations, func(a, b AffiliationInfo) int { return strings.Compare(a.From, b.From) })
	return in
}

// allNames are the organisation's names and short names, each once, in
// the order of their languages.
func (o *OrgRecord) allNames() []string {
	var out []string
	for _, names := range []map[string]string{o.Names, o.Abbrs} {
		langs := make([]string, 0, len(names))
		for lang := range names {
			langs = append(langs, lang)
		}
		slices.Sort(langs)
		for _, lang := range langs {
			if !slices.Contains(out, names[lang]) {
				out = append(out, names[lang])
			}
		}
	}
	return out
}

// orientations are the English terms of ParlaMint's common taxonomy of
// political orientations (ParlaMint-taxonomy-politicalOrientation.xml), by
// the id a party's state refers to (#orientation.CL).
var orientations = map[string]string{
	"FL": "far-left", "LLF": "left to far-left", "L": "left", "CLL": "centre-left to left", "CL": "centre-left",
	"CCL": "centre to centre-left", "C": "centre", "CCR": "centre to centre-right", "CR": "centre-right",
	"CRR": "centre-right to right", "R": "right", "RRF": "right to far-right", "FR": "far-right",
	"BT": "big tent", "SI": "single-issue politics", "SY": "syncretic politics",
}

// OrientationLabel is an orientation in words: the taxonomy's English
// term, or the id as the corpus gives it where the taxonomy lacks it.
func OrientationLabel(id string) string {
	if l, ok := orientations[id]; ok {
		return l
	}
	return id
}
