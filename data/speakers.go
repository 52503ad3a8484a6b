package data

import (
	"context"
	"sort"
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

// Speakers lists everyone who spoke, by name.
func (d *DB) Speakers(ctx context.Context) ([]SpeakerRow, error) {
	rows, err := d.query(ctx, `SELECT sp.id, sp.name, sp.gender, count(*), coalesce(sum(w.words), 0), min(s.date), max(s.date)
		FROM speakers sp JOIN speeches x ON x.speaker_id = sp.id JOIN sessions s ON s.id = x.session_id
		LEFT JOIN (SELECT speech_id, sum(words) AS words FROM paragraphs GROUP BY speech_id) w ON w.speech_id = x.id
		GROUP BY sp.id ORDER BY sp.name, sp.id`)
	if err != nil {
		return nil, Friendly(err)
	}
	out := []SpeakerRow{}
	at := map[string]int{}
	for rows.Next() {
		var r SpeakerRow
		if err := rows.Scan(&r.ID, &r.Name, &r.Gender, &r.Speeches, &r.Words, &r.First, &r.Last); err != nil {
			rows.Close()
			return nil, Friendly(err)
		}
		at[r.ID] = len(out)
		out = append(out, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, Friendly(err)
	}
	parties, err := d.query(ctx, `SELECT x.speaker_id, x.party, max(s.date) AS last FROM speeches x JOIN sessions s ON s.id = x.session_id
		WHERE x.party != '' AND x.speaker_id IS NOT NULL GROUP BY x.speaker_id, x.party ORDER BY x.speaker_id, last DESC, x.party`)
	if err != nil {
		return nil, Friendly(err)
	}
	defer parties.Close()
	for parties.Next() {
		var id, party, last string
		if err := parties.Scan(&id, &party, &last); err != nil {
			return nil, Friendly(err)
		}
		i, ok := at[id]
		if !ok {
			continue
		}
		if out[i].Party == "" {
			out[i].Party = party
		} else {
			out[i].Before = append(out[i].Before, party)
		}
	}
	return out, Friendly(parties.Err())
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
