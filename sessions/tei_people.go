package sessions

import (
	"bufio"
	"encoding/xml"
	"io"
	"os"
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
	Type, Subtype, Lang, URL string
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
