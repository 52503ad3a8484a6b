package data

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"

	"kurultai/sessions"
)

// Stats counts what an archive holds. Speakers counts the distinct
// speakers of speeches; Words counts whitespace-separated tokens of
// paragraph text.
type Stats struct {
	Sessions   int64 `json:"sessions"`
	Speeches   int64 `json:"speeches"`
	Speakers   int64 `json:"speakers"`
	Paragraphs int64 `json:"paragraphs"`
	Proposals  int64 `json:"proposals"`
	Words      int64 `json:"words"`
}

// Stats counts the archive's records.
func (d *DB) Stats(ctx context.Context) (Stats, error) {
	var s Stats
	err := d.db.QueryRowContext(ctx, `SELECT
		(SELECT count(*) FROM sessions),
		(SELECT count(*) FROM speeches),
		(SELECT count(DISTINCT speaker_id) FROM speeches),
		(SELECT count(*) FROM paragraphs),
		(SELECT count(*) FROM proposals),
		(SELECT coalesce(sum(words), 0) FROM speeches)`).
		Scan(&s.Sessions, &s.Speeches, &s.Speakers, &s.Paragraphs, &s.Proposals, &s.Words)
	return s, Friendly(err)
}

// contentTables lists every table of the record with the order that makes
// a dump of it canonical.
var contentTables = []struct{ name, order string }{
	{"meta", "key"},
	{"sessions", "id"},
	{"speakers", "id"},
	{"speeches", "id"},
	{"paragraphs", "speech_id, number"},
	{"proposals", "id"},
	{"proposal_events", "proposal_id, seq"},
	{"proposal_refs", "proposal_id, speech_id, paragraph"},
	{"batches", "id"},
	{"removed", "batch, kind, id"},
}

// recordColumns are the columns of the record alone, without bookkeeping
// (the batch that wrote each row), where a table has both.
var recordColumns = map[string]string{
	"sessions":        "id, body, number, date, place, title, summary, language, provenance, sources",
	"speeches":        "id, session_id, speaker_id, ord, title, language, source_url, provenance, role, topic",
	"paragraphs":      "speech_id, number, heading, text, words",
	"proposals":       "id, session_id, ord, title, text, category, status, provenance",
	"proposal_events": "proposal_id, seq, date, status, note, source, confidence",
}

// ContentHash is a digest of everything the archive holds, row by row in a
// fixed order, bookkeeping included: two archives with the same hash hold
// the same rows. Paragraph row ids are left out, so that it compares
// content, not history.
func (d *DB) ContentHash(ctx context.Context) (string, error) { return d.hashRows(ctx, false) }

// RecordHash is ContentHash without bookkeeping (the meta table, where each
// session came from, import digests, and batches): it compares the record alone, as
// a dump carries it.
func (d *DB) RecordHash(ctx context.Context) (string, error) { return d.hashRows(ctx, true) }

func (d *DB) hashRows(ctx context.Context, recordOnly bool) (string, error) {
	h := sha256.New()
	for _, t := range contentTables {
		cols := "*"
		switch {
		case (t.name == "meta" || t.name == "batches" || t.name == "removed") && recordOnly:
			continue
		case recordOnly && recordColumns[t.name] != "":
			cols = recordColumns[t.name]
		case t.name == "paragraphs":
			// Not the row ids: they are where the search index put
			// a paragraph, which depends on history.
			cols = "speech_id, number, heading, text, words, batch"
		}
		rows, err := d.db.QueryContext(ctx, fmt.Sprintf("SELECT %s FROM %s ORDER BY %s", cols, t.name, t.order))
		if err != nil {
			return "", Friendly(err)
		}
		names, _ := rows.Columns()
		vals := make([]any, len(names))
		ptrs := make([]any, len(names))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		fmt.Fprintf(h, "table %s\n", t.name)
		for rows.Next() {
			if err := rows.Scan(ptrs...); err != nil {
				rows.Close()
				return "", Friendly(err)
			}
			for _, v := range vals {
				fmt.Fprintf(h, "%T:%v\x00", v, v)
			}
			h.Write([]byte{'\n'})
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return "", Friendly(err)
		}
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// FullSession reads one session back whole, with its speeches, paragraphs
// and proposals, as an importer would have written it.
func (d *DB) FullSession(ctx context.Context, id string) (*sessions.Session, error) {
	det, err := d.Session(ctx, id)
	if err != nil {
		return nil, err
	}
	s := &sessions.Session{ID: det.ID, Body: det.Body, Number: det.Number, Date: det.Date, Place: det.Place,
		Title: det.Title, Summary: det.Summary, Language: det.Language, Provenance: det.Provenance}
	if len(det.Sources) > 0 {
		s.Sources = det.Sources
	}
	rows, err := d.db.QueryContext(ctx, `SELECT x.id, x.ord, x.title, x.language, x.source_url, x.provenance, x.role, x.topic,
		coalesce(sp.id, ''), coalesce(sp.name, ''), coalesce(sp.family, ''), coalesce(sp.given, ''), coalesce(sp.forms, ''),
		x.party, x.party_name, x.side, coalesce(sp.gender, ''), coalesce(sp.person, '')
		FROM speeches x LEFT JOIN speakers sp ON sp.id = x.speaker_id WHERE x.session_id = ? ORDER BY x.ord, x.id`, id)
	if err != nil {
		return nil, Friendly(err)
	}
	persons := map[string]*sessions.PersonInfo{}
	for rows.Next() {
		sp := sessions.Speech{SessionID: id}
		var forms, person string
		if err := rows.Scan(&sp.ID, &sp.Order, &sp.Title, &sp.Language, &sp.SourceURL, &sp.Provenance,
			&sp.Speaker.Role, &sp.Topic, &sp.Speaker.ID, &sp.Speaker.Name, &sp.Speaker.Family, &sp.Speaker.Given, &forms,
			&sp.Speaker.Party, &sp.Speaker.PartyName, &sp.Speaker.Side, &sp.Speaker.Gender, &person); err != nil {
			rows.Close()
			return nil, Friendly(err)
		}
		sp.Speaker.Forms = parseForms(forms)
		// A person's record goes with their first speech of the session
		// alone: it is the person's, and an import keeps it from there.
		if _, given := persons[sp.Speaker.ID]; person != "" && !given {
			persons[sp.Speaker.ID] = parsePerson(person)
			sp.Speaker.Person = persons[sp.Speaker.ID]
		}
		s.Speeches = append(s.Speeches, sp)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, Friendly(err)
	}
	for i := range s.Speeches {
		sp := &s.Speeches[i]
		prows, err := d.db.QueryContext(ctx, paragraphsSQL, sp.ID)
		if err != nil {
			return nil, Friendly(err)
		}
		for prows.Next() {
			var p sessions.Paragraph
			var lemmas string
			if err := prows.Scan(&p.Number, &p.Heading, &p.Text, &p.Language, &lemmas); err != nil {
				prows.Close()
				return nil, Friendly(err)
			}
			p.Lemmas = parseLemmas(lemmas)
			sp.Paragraphs = append(sp.Paragraphs, p)
		}
		prows.Close()
	}
	props, err := d.db.QueryContext(ctx, `SELECT id, ord, title, text, category, status, provenance
		FROM proposals WHERE session_id = ? ORDER BY ord, id`, id)
	if err != nil {
		return nil, Friendly(err)
	}
	for props.Next() {
		p := sessions.Proposal{SessionID: id}
		if err := props.Scan(&p.ID, &p.Order, &p.Title, &p.Text, &p.Category, &p.Status, &p.Provenance); err != nil {
			props.Close()
			return nil, Friendly(err)
		}
		s.Proposals = append(s.Proposals, p)
	}
	props.Close()
	for i := range s.Proposals {
		p := &s.Proposals[i]
		doc, err := d.proposal(ctx, p.ID)
		if err != nil {
			return nil, err
		}
		p.Timeline = doc.Timeline
		for _, r := range doc.MadeIn {
			if n := len(p.MadeIn); n > 0 && p.MadeIn[n-1].Speech == r.Speech {
				p.MadeIn[n-1].Paragraphs = append(p.MadeIn[n-1].Paragraphs, r.Paragraph)
				continue
			}
			p.MadeIn = append(p.MadeIn, sessions.ParagraphRef{Speech: r.Speech, Paragraphs: []int{r.Paragraph}})
		}
	}
	return s, nil
}

// EachSession reads every session whole, oldest first, one at a time, and
// hands it to fn: a dump of any size holds one session in memory.
func (d *DB) EachSession(ctx context.Context, fn func(*sessions.Session) error) error {
	q := SessionQuery{Oldest: true, Limit: 500}
	for {
		page, err := d.Sessions(ctx, q)
		if err != nil {
			return err
		}
		for _, r := range page {
			s, err := d.FullSession(ctx, r.ID)
			if err != nil {
				return err
			}
			if err := fn(s); err != nil {
				return err
			}
		}
		if len(page) < q.Limit {
			return nil
		}
		q.After = &page[len(page)-1]
	}
}

// Origin is the origin a session was written with ("sample" for the
// built-in sample).
func (d *DB) Origin(ctx context.Context, id string) (string, error) {
	var o string
	err := d.db.QueryRowContext(ctx, "SELECT origin FROM sessions WHERE id = ?", id).Scan(&o)
	if errors.Is(err, sql.ErrNoRows) {
		return "", ErrNotFound
	}
	return o, Friendly(err)
}
