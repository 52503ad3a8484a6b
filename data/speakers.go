package data

import (
	"context"
	"encoding/json"
	"sort"
	"strings"

	"kurultai/sessions"
	"kurultai/sessions/msg"
)

// SpeakerRow is one person who spoke, as the speakers list gives them:
// their party on the day of their last speech and those they spoke for
// before, how much they said, and when.
type SpeakerRow struct {
	ID       string   `json:"id"`
	Name     string   `json:"name"`
	Gender   string   `json:"gender,omitempty"`
	Party    string   `json:"party,omitempty"`  // on the day of their last speech with one
	Before   []string `json:"before,omitempty"` // the other parties they spoke for, latest first
	Speeches int      `json:"speeches"`
	Words    int      `json:"words"`
	First    string   `json:"first"` // the date of their first speech
	Last     string   `json:"last"`
}

// Speakers lists everyone who spoke, by name, from the counts each import
// keeps (speaker_stats).
func (d *DB) Speakers(ctx context.Context) ([]SpeakerRow, error) {
	return d.speakerRows(ctx, "")
}

// speakerRows reads the speakers list, or the one speaker id names.
func (d *DB) speakerRows(ctx context.Context, id string) ([]SpeakerRow, error) {
	where, args := "", []any{}
	if id != "" {
		where, args = " WHERE sp.id = ?", []any{id}
	}
	rows, err := d.query(ctx, `SELECT sp.id, sp.name, sp.gender, st.speeches, st.words, st.first, st.last, st.parties
		FROM speaker_stats st JOIN speakers sp ON sp.id = st.speaker_id`+where+` ORDER BY sp.name, sp.id`, args...)
	if err != nil {
		return nil, Friendly(err)
	}
	defer rows.Close()
	out := []SpeakerRow{}
	for rows.Next() {
		var r SpeakerRow
		var parties string
		if err := rows.Scan(&r.ID, &r.Name, &r.Gender, &r.Speeches, &r.Words, &r.First, &r.Last, &parties); err != nil {
			return nil, Friendly(err)
		}
		if parties != "" {
			list := strings.Split(parties, partySep)
			r.Party = list[0]
			if len(list) > 1 {
				r.Before = list[1:]
			}
		}
		out = append(out, r)
	}
	return out, Friendly(rows.Err())
}

// SortSpeakers orders the list by a field: name, speeches, words, first
// or last (the most first for counts and dates, then by name).
func SortSpeakers(rows []SpeakerRow, by string) bool {
	less := map[string]func(a, b SpeakerRow) bool{
		"name":     func(a, b SpeakerRow) bool { return a.Name < b.Name },
		"speeches": func(a, b SpeakerRow) bool { return a.Speeches > b.Speeches },
		"words":    func(a, b SpeakerRow) bool { return a.Words > b.Words },
		"first":    func(a, b SpeakerRow) bool { return a.First < b.First },
		"last":     func(a, b SpeakerRow) bool { return a.Last > b.Last },
	}[by]
	if less == nil {
		return false
	}
	sort.SliceStable(rows, func(i, j int) bool {
		a, b := rows[i], rows[j]
		if less(a, b) != less(b, a) {
			return less(a, b)
		}
		return a.Name < b.Name || a.Name == b.Name && a.ID < b.ID
	})
	return true
}

// SpeakerSpeech is one speech of a speaker, as their page lists it.
type SpeakerSpeech struct {
	ID      string `json:"id"`
	Session string `json:"session"`
	Date    string `json:"date"`
	Title   string `json:"title,omitempty"`
	Role    string `json:"role,omitempty"`
	Party   string `json:"party,omitempty"` // on the day
	Side    string `json:"side,omitempty"`
	Words   int    `json:"words"`
}

// SpeakerDetail is a speaker with every speech of theirs, newest first.
type SpeakerDetail struct {
	SpeakerRow
	// Person is what a list of persons says of them: names over time,
	// links, dated affiliations; nil where none was imported.
	Person *sessions.PersonInfo `json:"person,omitempty"`
	// List is every speech of theirs, newest first.
	List []SpeakerSpeech `json:"list"`
}

// ErrNoSpeaker is a speaker id the archive does not hold.
var ErrNoSpeaker = msg.New("no speaker has this id")

// Speaker gives a speaker and their speeches, newest first.
func (d *DB) Speaker(ctx context.Context, id string) (*SpeakerDetail, error) {
	one, err := d.speakerRows(ctx, id)
	if err != nil {
		return nil, err
	}
	if len(one) == 0 {
		return nil, msg.Errorf("%s: %v", id, ErrNoSpeaker)
	}
	det := &SpeakerDetail{SpeakerRow: one[0]}
	var person string
	if err := d.queryRow(ctx, "SELECT person FROM speakers WHERE id = ?", id).Scan(&person); err != nil {
		return nil, Friendly(err)
	}
	det.Person = parsePerson(person)
	rows, err := d.query(ctx, `SELECT x.id, x.session_id, s.date, x.title, x.role, x.party, x.side,
			coalesce((SELECT sum(p.words) FROM paragraphs p WHERE p.speech_id = x.id), 0)
		FROM speeches x JOIN sessions s ON s.id = x.session_id WHERE x.speaker_id = ? ORDER BY s.date DESC, x.session_id DESC, x.ord DESC`, id)
	if err != nil {
		return nil, Friendly(err)
	}
	defer rows.Close()
	det.List = []SpeakerSpeech{}
	for rows.Next() {
		var sp SpeakerSpeech
		if err := rows.Scan(&sp.ID, &sp.Session, &sp.Date, &sp.Title, &sp.Role, &sp.Party, &sp.Side, &sp.Words); err != nil {
			return nil, Friendly(err)
		}
		det.List = append(det.List, sp)
	}
	return det, Friendly(rows.Err())
}

// parsePerson reads a speaker's record as speakers.person keeps it; nil
// for none, or for one that does not read (the file was changed by hand),
// which is shown as none rather than stopping the speaker's page.
func parsePerson(s string) *sessions.PersonInfo {
	if s == "" {
		return nil
	}
	var p sessions.PersonInfo
	if json.Unmarshal([]byte(s), &p) != nil {
		return nil
	}
	return &p
}
