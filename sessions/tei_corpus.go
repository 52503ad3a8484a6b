package sessions

import (
	"bufio"
	"encoding/xml"
	"io"
	"os"
	"path/filepath"
	"strings"
	"unicode"

	"kurultai/sessions/msg"
)

// Files around a ParlaMint sitting: the corpus root that includes it, the
// list of persons, and the -meta.tsv beside it.

// TEIKind reads the start of an XML file and says whether it is a corpus
// root ("teiCorpus"), a sitting ("TEI"), or something else (the name of its
// root element).
func TEIKind(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	dec := xml.NewDecoder(bufio.NewReader(f))
	for {
		tok, err := dec.Token()
		if err != nil {
			return "", teiError(path, dec, err)
		}
		if se, ok := tok.(xml.StartElement); ok {
			return se.Name.Local, nil
		}
	}
}

// DecodeTEIFile reads a corpus root or a single sitting and hands each
// session to emit. Sittings that a root names but that are not on disk, and
// other missing includes, are warnings; includes that may not be followed
// (see CorpusOptions) are an error, and nothing of the root is read.
func DecodeTEIFile(path string, opts CorpusOptions, emit func(*Session) error, warn Warn) error {
	kind, err := TEIKind(path)
	if err != nil {
		return err
	}
	switch kind {
	case "teiCorpus":
		return decodeCorpus(path, opts, emit, warn)
	case "TEI":
		return decodeSittingFile(path, nil, opts, emit, warn)
	}
	return &Error{File: path, Line: 1, Msg: msg.T("root element <%s>: expected a ParlaMint <teiCorpus> or <TEI>", kind)}
}

// Corpus is what a corpus root names: its sittings (those on disk) and the
// names of its persons.
type Corpus struct {
	Root      string
	Sittings  []string
	People    map[string]*PersonRecord
	Orgs      map[string]*OrgRecord
	Relations []Relation // of the organisations: coalitions, oppositions
}

// ReadCorpus reads a corpus root: the sittings it includes and, when its
// listPerson is there, the persons' names. Includes that are not on disk
// are warnings. Each include is checked before it is opened (see
// CorpusOptions); those refused are returned as RefusedIncludes, with the
// Corpus of the others.
func ReadCorpus(root string, opts CorpusOptions, warn Warn) (*Corpus, error) {
	c := &Corpus{Root: root, People: map[string]*PersonRecord{}, Orgs: map[string]*OrgRecord{}}
	dir, err := newFolder(filepath.Dir(root))
	if err != nil {
		return nil, &Error{File: root, Msg: msg.T("cannot read its folder: %s", plainError(err))}
	}
	var missingHeader, missingSittings []string
	var refused RefusedIncludes
	defer func() {
		if n := len(missingSittings); n > 0 {
			if n == 1 {
				warn(msg.T("%s: %d sitting it includes is not there, going on without it: %v", root, n, listSome(missingSittings)))
			} else {
				warn(msg.T("%s: %d sittings it includes are not there, going on without them: %v", root, n, listSome(missingSittings)))
			}
		}
		// The lists of persons and organisations are named: without them
		// speakers are named from elsewhere. The rest (taxonomies) are
		// files kurultai does not read, only counted.
		var lists []string
		others := 0
		for _, h := range missingHeader {
			if b := filepath.Base(h); strings.Contains(b, "listPerson") || strings.Contains(b, "listOrg") {
				lists = append(lists, h)
			} else {
				others++
			}
		}
		if len(lists) > 0 {
			if len(lists) == 1 {
				warn(msg.T("%s: %d list it includes is not there, going on without it: %s", root, 1, lists[0]))
			} else {
				warn(msg.T("%s: %d lists it includes are not there, going on without them: %s", root, len(lists), strings.Join(lists, ", ")))
			}
		}
		if others > 0 {
			if others == 1 {
				warn(msg.T("%s: %d other header file it includes is not there (taxonomies and the like, which kurultai does not read)", root, 1))
			} else {
				warn(msg.T("%s: %d other header files it includes are not there (taxonomies and the like, which kurultai does not read)", root, others))
			}
		}
	}()
	err = walkIncludes(root, func(href string, inHeader bool) error {
		path, why, err := dir.resolveInclude(href, opts)
		switch {
		case err == errMissing:
			if inHeader {
				missingHeader = append(missingHeader, href)
			} else {
				missingSittings = append(missingSittings, href)
			}
			return nil
		case err != nil:
			return err
		case !why.IsZero():
			refused = append(refused, &IncludeError{Root: root, Href: href, Why: why})
			return nil
		}
		if !inHeader {
			c.Sittings = append(c.Sittings, path)
		} else if strings.Contains(filepath.Base(href), "listPerson") {
			return readPeople(path, c.People)
		} else if strings.Contains(filepath.Base(href), "listOrg") {
			return readOrgs(path, c.Orgs, &c.Relations)
		}
		return nil
	})
	if err != nil {
		return c, err
	}
	if len(refused) > 0 {
		return c, refused
	}
	return c, nil
}

func walkIncludes(root string, fn func(href string, inHeader bool) error) error {
	f, err := os.Open(root)
	if err != nil {
		return err
	}
	defer f.Close()
	dec := xml.NewDecoder(bufio.NewReader(f))
	depth, header := 0, 0
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return teiError(root, dec, err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			depth++
			if t.Name.Local == "teiHeader" && header == 0 {
				header = depth
			}
			if t.Name.Space == xiNS && t.Name.Local == "include" {
				if err := fn(attr(t, "", "href"), header > 0); err != nil {
					return err
				}
			}
		case xml.EndElement:
			if depth == header {
				header = 0
			}
			depth--
		}
	}
}

func decodeCorpus(root string, opts CorpusOptions, emit func(*Session) error, warn Warn) error {
	c, err := ReadCorpus(root, opts, warn)
	if err != nil {
		return err
	}
	for _, path := range c.Sittings {
		if err := decodeSittingFile(path, c, opts, emit, warn); err != nil {
			return err
		}
	}
	return nil
}

// metaRow is what a sitting's -meta.tsv says of an utterance's speaker.
type metaRow struct {
	name, party, partyName, side, gender string
}

// readMeta reads a sitting's -meta.tsv by utterance id: the speaker's
// name, party (short and full), the party's side (coalition or
// opposition) and gender. "-" is nothing. Short or malformed rows are
// passed over. The file is checked before it is opened, as an include is.
func readMeta(xmlPath string, opts CorpusOptions) (map[string]metaRow, error) {
	// An annotated sitting (X.ana.xml) shares its plain twin's X-meta.tsv.
	base := strings.TrimSuffix(strings.TrimSuffix(xmlPath, filepath.Ext(xmlPath)), ".ana")
	for _, suffix := range []string{"-meta.tsv", "-meta-en.tsv"} {
		if ok, err := besideFile(base+suffix, opts); err != nil || !ok {
			if err != nil {
				return nil, err
			}
			continue
		}
		f, err := os.Open(base + suffix)
		if err != nil {
			continue
		}
		defer f.Close()
		rows := map[string]metaRow{}
		sc := bufio.NewScanner(f)
		sc.Buffer(make([]byte, 64*1024), 4<<20)
		col := map[string]int{}
		get := func(cols []string, name string) string {
			i, ok := col[name]
			if !ok || i >= len(cols) || cols[i] == "-" {
				return ""
			}
			return strings.TrimSpace(cols[i])
		}
		for sc.Scan() {
			cols := strings.Split(sc.Text(), "\t")
			if len(col) == 0 {
				for i, c := range cols {
					col[c] = i
				}
				if _, ok := col["ID"]; !ok {
					break
				}
				continue
			}
			id := get(cols, "ID")
			if id == "" || len(cols) < len(col)-1 {
				continue
			}
			r := metaRow{name: get(cols, "Speaker_name"), party: get(cols, "Speaker_party"), partyName: get(cols, "Speaker_party_name"),
				gender: get(cols, "Speaker_gender")}
			switch strings.ToLower(get(cols, "Party_status")) {
			case "coalition":
				r.side = "coalition"
			case "opposition":
				r.side = "opposition"
			}
			rows[id] = r
		}
		return rows, nil
	}
	return nil, nil
}

// DecodeTEISittingFile reads one sitting file. people maps person ids to
// their records (from the corpus's listPerson) and orgs organisation ids to
// theirs (listOrg); without them, or for ids they lack, names come from
// the -meta.tsv beside the file, else from the ids.
func DecodeTEISittingFile(path string, c *Corpus, opts CorpusOptions, emit func(*Session) error, warn Warn) error {
	return decodeSittingFile(path, c, opts, emit, warn)
}

func decodeSittingFile(path string, c *Corpus, opts CorpusOptions, emit func(*Session) error, warn Warn) error {
	if c == nil {
		c = &Corpus{}
	}
	people, orgs := c.People, c.Orgs
	meta, err := readMeta(path, opts)
	if err != nil {
		return err
	}
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	if len(people) == 0 && meta == nil {
		warn(msg.T("%s: no list of persons and no -meta.tsv beside it; speakers are named from their ids", path))
	}
	var disagree []msg.Text
	infos := map[string]*PersonInfo{} // one for every speech of a person
	err = DecodeTEISitting(path, f, func(who, uid, date string) Person {
		var p Person
		if rec := people[who]; rec != nil {
			if infos[who] == nil {
				infos[who] = rec.Info(orgs)
			}
			p.Info = infos[who]
			if n, ok := rec.NameOn(date); ok {
				p.Name, p.PersonName = n.Full, n.PersonName
			}
			p.Gender = rec.Sex
			var org string
			p.Party, p.PartyName, org = rec.partyOn(date, orgs)
			if org != "" {
				p.Side = SideOn(org, date, c.Relations)
			}
		}
		m, ok := meta[uid]
		if p.Name == "" && ok && m.name != "" {
			p.Name, p.PersonName = metaName(m.name).Name, metaName(m.name).PersonName
		}
		if p.Name == "" {
			p.Name = readableID(who)
		}
		if ok {
			// The per-speech table wins where it speaks; where it and
			// the list of persons disagree, both are named.
			if m.party != "" && p.Party != "" && m.party != p.Party && m.party != p.PartyName {
				disagree = append(disagree, msg.T("%s: %s in the list of persons, %s in the -meta.tsv", uid, p.Party, m.party))
			}
			if m.party != "" {
				p.Party, p.PartyName, p.Side = m.party, m.partyName, m.side
			}
			if m.side != "" {
				p.Side = m.side
			}
			if m.gender != "" {
				p.Gender = m.gender
			}
		}
		return p
	}, emit)
	if n := len(disagree); n > 0 {
		if n == 1 {
			warn(msg.T("%s: %d speech's -meta.tsv party is not the party of the list of persons on the day, and the -meta.tsv's is kept: %v", path, n, listSome(disagree)))
		} else {
			warn(msg.T("%s: %d speeches' -meta.tsv parties are not the party of the list of persons on the day, and the -meta.tsv's is kept: %v", path, n, listSome(disagree)))
		}
	}
	return err
}

// readableID makes a person id such as "GlavchevDimitar" or
// "AyşeNur.Bahçekapılı" readable: "Glavchev Dimitar", "Ayşe Nur Bahçekapılı".
func readableID(id string) string {
	var b strings.Builder
	prev := rune(0)
	for _, r := range id {
		switch {
		case r == '.' || r == '_' || r == '-':
			b.WriteRune(' ')
		case unicode.IsUpper(r) && prev != 0 && (unicode.IsLower(prev) || unicode.IsDigit(prev)):
			b.WriteRune(' ')
			b.WriteRune(r)
		default:
			b.WriteRune(r)
		}
		prev = r
	}
	return strings.Join(strings.Fields(b.String()), " ")
}
