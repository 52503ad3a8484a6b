package data

import (
	"context"
	"database/sql"
	"encoding/json"
	"sort"
	"strings"
)

// countSpeakers counts again what the speakers named said (speaker_stats):
// the speakers of the sessions an import wrote or removed. A speaker with
// no speech left has no row.
func countSpeakers(ctx context.Context, tx *sql.Tx, ids []string) error {
	if len(ids) == 0 {
		return nil
	}
	sort.Strings(ids)
	list, err := json.Marshal(ids)
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, "DELETE FROM speaker_stats WHERE speaker_id IN (SELECT value FROM json_each(?))", string(list)); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO speaker_stats (speaker_id, speeches, words, first, last)
		SELECT x.speaker_id, count(*), coalesce(sum((SELECT sum(p.words) FROM paragraphs p WHERE p.speech_id = x.id)), 0), min(s.date), max(s.date)
		FROM speeches x JOIN sessions s ON s.id = x.session_id
		WHERE x.speaker_id IN (SELECT value FROM json_each(?1))
		GROUP BY x.speaker_id`, string(list)); err != nil {
		return err
	}
	rows, err := tx.QueryContext(ctx, `SELECT x.speaker_id, x.party, max(s.date) AS last FROM speeches x JOIN sessions s ON s.id = x.session_id
		WHERE x.party != '' AND x.speaker_id IN (SELECT value FROM json_each(?))
		GROUP BY x.speaker_id, x.party ORDER BY x.speaker_id, last DESC, x.party`, string(list))
	if err != nil {
		return err
	}
	parties := map[string][]string{}
	for rows.Next() {
		var id, party, last string
		if err := rows.Scan(&id, &party, &last); err != nil {
			rows.Close()
			return err
		}
		parties[id] = append(parties[id], party)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for id, list := range parties {
		if _, err := tx.ExecContext(ctx, "UPDATE speaker_stats SET parties = ? WHERE speaker_id = ?", strings.Join(list, partySep), id); err != nil {
			return err
		}
	}
	return nil
}

// partySep separates the parties of speaker_stats: a control character,
// which no party's name holds (a record with one is refused).
const partySep = "\x1f"

// countAllSpeakers counts every speaker, when the table is new.
func countAllSpeakers(ctx context.Context, tx *sql.Tx) error {
	ids, err := columnStrings(ctx, tx, "SELECT id FROM speakers")
	if err != nil {
		return err
	}
	return countSpeakers(ctx, tx, ids)
}

// countTouched counts again the speakers the writer touched.
func (w *writer) countTouched(ctx context.Context) error {
	ids := make([]string, 0, len(w.touched))
	for id := range w.touched {
		ids = append(ids, id)
	}
	clear(w.touched)
	return countSpeakers(ctx, w.tx, ids)
}
