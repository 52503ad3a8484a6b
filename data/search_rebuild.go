package data

import (
	"context"
	"database/sql"

	"kurultai/sessions"
	"kurultai/sessions/msg"
)

// Progress hears how far a long step has gone: done of total units.
type Progress func(stage msg.Text, done, total int)

// goMigrations are the steps of migrations that SQL alone cannot take,
// run after the migration's SQL in its transaction.
var goMigrations = map[int]func(context.Context, *sql.Tx, Progress) error{
	5:  rebuildSearch,
	8:  reindexSearch,
	10: fillWords,
	11: fillWordCounts,
}

// reindexSearch writes every row of the index again, from the records,
// under the rowid it had: migration 8 made the index anew.
func reindexSearch(ctx context.Context, tx *sql.Tx, progress Progress) error {
	if progress == nil {
		progress = func(msg.Text, int, int) {}
	}
	var total int
	if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM search_runs").Scan(&total); err != nil {
		return err
	}
	rows, err := tx.QueryContext(ctx, `SELECT start, stop, kind, doc, session, speaker, lang, ref, first, party, party_name, role, gender, side
		FROM search_runs ORDER BY start`)
	if err != nil {
		return err
	}
	var runs []run
	for rows.Next() {
		var r run
		if err := rows.Scan(&r.start, &r.stop, &r.kind, &r.doc, &r.session, &r.speaker, &r.lang, &r.ref, &r.first,
			&r.party, &r.partyName, &r.role, &r.gender, &r.side); err != nil {
			rows.Close()
			return err
		}
		runs = append(runs, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	x := newIndexer(tx)
	speech, err := tx.PrepareContext(ctx, `SELECT x.role, x.party, x.party_name, x.side, coalesce(sp.gender, '')
		FROM speeches x LEFT JOIN speakers sp ON sp.id = x.speaker_id WHERE x.id = ?`)
	if err != nil {
		return err
	}
	defer speech.Close()
	for i := range runs {
		r := &runs[i]
		if r.kind == runSpeech || r.kind == runSpeechTitle {
			// What the speech says of its speaker on the day: the
			// runs written before this migration have no keys for it.
			var sp sessions.Speech
			if err := speech.QueryRowContext(ctx, r.ref).Scan(&sp.Speaker.Role, &sp.Speaker.Party, &sp.Speaker.PartyName,
				&sp.Speaker.Side, &sp.Speaker.Gender); err != nil {
				return err
			}
			if r.people, err = x.speechPeople(ctx, &sp); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, "UPDATE search_runs SET party = ?, party_name = ?, role = ?, gender = ?, side = ? WHERE start = ?",
				r.party, r.partyName, r.role, r.gender, r.side, r.start); err != nil {
				return err
			}
		}
		if err := x.reindexRun(ctx, r); err != nil {
			return err
		}
		if i%1000 == 999 || i == len(runs)-1 {
			if err := x.flushVocab(ctx); err != nil {
				return err
			}
			progress(msg.T("indexing again"), i+1, total)
		}
	}
	x.dirty = true
	if err := countAllSpeakers(ctx, tx); err != nil {
		return err
	}
	return x.bump(ctx)
}

// reindexRun writes the rows of one run from the records.
func (x *indexer) reindexRun(ctx context.Context, r *run) error {
	one := func(query string, scan func(*sql.Row) (row, error)) error {
		c, err := scan(x.tx.QueryRowContext(ctx, query, r.ref))
		if err != nil {
			return err
		}
		return x.insert(ctx, r.start, r, c)
	}
	switch r.kind {
	case runSpeech:
		return x.insertParagraphs(ctx, r, nil)
	case runSession:
		return one("SELECT title, place, summary FROM sessions WHERE id = ?", func(q *sql.Row) (c row, err error) {
			return c, q.Scan(&c.title, &c.place, &c.body)
		})
	case runSpeechTitle:
		return one("SELECT title, topic FROM speeches WHERE id = ?", func(q *sql.Row) (c row, err error) {
			return c, q.Scan(&c.title, &c.heading)
		})
	case runProposalTitle:
		return one("SELECT title, category FROM proposals WHERE id = ?", func(q *sql.Row) (c row, err error) {
			return c, q.Scan(&c.title, &c.heading)
		})
	case runSpeaker:
		return one("SELECT name FROM speakers WHERE id = ?", func(q *sql.Row) (c row, err error) {
			return c, q.Scan(&c.name)
		})
	case runTimeline:
		var c row
		err := x.tx.QueryRowContext(ctx, "SELECT status, note, source FROM proposal_events WHERE proposal_id = ? AND seq = ?", r.ref, r.first).
			Scan(&c.heading, &c.body, &c.source)
		if err != nil {
			return err
		}
		return x.insert(ctx, r.start, r, c)
	case runProposal:
		var text string
		if err := x.tx.QueryRowContext(ctx, "SELECT text FROM proposals WHERE id = ?", r.ref).Scan(&text); err != nil {
			return err
		}
		paras := sessions.SplitParagraphs(text)
		for i := int64(0); i <= r.stop-r.start && int(i) < len(paras); i++ {
			if err := x.insert(ctx, r.start+i, r, row{body: paras[i].Text, heading: paras[i].Heading}); err != nil {
				return err
			}
		}
	}
	return nil
}

// rebuildSearch fills the search index of migration 5 from the records.
// A speech paragraph's id becomes its search rowid, so the paragraphs are
// copied into a table of the same shape under their new ids first; then
// every session is indexed, oldest first.
func rebuildSearch(ctx context.Context, tx *sql.Tx, progress Progress) error {
	if progress == nil {
		progress = func(msg.Text, int, int) {}
	}
	ids, err := columnStrings(ctx, tx, "SELECT id FROM sessions ORDER BY date, id")
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `CREATE TABLE paragraphs_new (
		id        INTEGER PRIMARY KEY,
		speech_id TEXT NOT NULL REFERENCES speeches (id) ON DELETE CASCADE,
		number    INTEGER NOT NULL,
		heading   TEXT NOT NULL DEFAULT '',
		text      TEXT NOT NULL,
		words     INTEGER NOT NULL DEFAULT 0,
		UNIQUE (speech_id, number))`); err != nil {
		return err
	}
	copyParas, err := tx.PrepareContext(ctx, `INSERT INTO paragraphs_new (id, speech_id, number, heading, text, words)
		SELECT ? + row_number() OVER (ORDER BY number) - 1, speech_id, number, heading, text, words
		FROM paragraphs WHERE speech_id = ? ORDER BY number`)
	if err != nil {
		return err
	}
	defer copyParas.Close()
	x := newIndexer(tx)
	all := make([]*sessions.Session, len(ids))
	plans := make([]*plannedSession, len(ids))
	total := 2 * len(ids)
	for i, id := range ids {
		s, err := skeleton(ctx, tx, id)
		if err != nil {
			return err
		}
		p, err := x.plan(ctx, s)
		if err != nil {
			return err
		}
		for j := range s.Speeches {
			if len(s.Speeches[j].Paragraphs) == 0 {
				continue
			}
			if _, err := copyParas.ExecContext(ctx, p.speeches[j].first, s.Speeches[j].ID); err != nil {
				return err
			}
			s.Speeches[j].Paragraphs = nil
		}
		all[i], plans[i] = s, p
		progress(msg.T("renumbering paragraphs"), i+1, total)
	}
	for _, q := range []string{"DROP TABLE paragraphs", "ALTER TABLE paragraphs_new RENAME TO paragraphs"} {
		if _, err := tx.ExecContext(ctx, q); err != nil {
			return err
		}
	}
	speakers, err := tx.QueryContext(ctx, "SELECT id, name FROM speakers ORDER BY id")
	if err != nil {
		return err
	}
	var list []sessions.Speaker
	for speakers.Next() {
		var sp sessions.Speaker
		if err := speakers.Scan(&sp.ID, &sp.Name); err != nil {
			speakers.Close()
			return err
		}
		list = append(list, sp)
	}
	speakers.Close()
	if err := speakers.Err(); err != nil {
		return err
	}
	for _, sp := range list {
		if err := x.speaker(ctx, sp); err != nil {
			return err
		}
	}
	for i, s := range all {
		if err := x.index(ctx, s, plans[i]); err != nil {
			return err
		}
		all[i], plans[i] = nil, nil
		progress(msg.T("indexing"), len(ids)+i+1, total)
	}
	return x.bump(ctx)
}

// skeleton reads what indexing a stored session needs: the session, its
// speeches with as many (empty) paragraphs as they have, and its proposals
// with their timelines.
func skeleton(ctx context.Context, tx *sql.Tx, id string) (*sessions.Session, error) {
	s := &sessions.Session{ID: id}
	err := tx.QueryRowContext(ctx, "SELECT date, place, title, summary, language FROM sessions WHERE id = ?", id).
		Scan(&s.Date, &s.Place, &s.Title, &s.Summary, &s.Language)
	if err != nil {
		return nil, err
	}
	rows, err := tx.QueryContext(ctx, `SELECT sp.id, sp.title, sp.topic, sp.language, coalesce(sp.speaker_id, ''),
			(SELECT count(*) FROM paragraphs p WHERE p.speech_id = sp.id)
		FROM speeches sp WHERE sp.session_id = ? ORDER BY sp.ord, sp.id`, id)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var sp sessions.Speech
		var n int
		if err := rows.Scan(&sp.ID, &sp.Title, &sp.Topic, &sp.Language, &sp.Speaker.ID, &n); err != nil {
			rows.Close()
			return nil, err
		}
		sp.Paragraphs = make([]sessions.Paragraph, n)
		s.Speeches = append(s.Speeches, sp)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows, err = tx.QueryContext(ctx, "SELECT id, title, text, category FROM proposals WHERE session_id = ? ORDER BY ord, id", id)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var p sessions.Proposal
		if err := rows.Scan(&p.ID, &p.Title, &p.Text, &p.Category); err != nil {
			rows.Close()
			return nil, err
		}
		s.Proposals = append(s.Proposals, p)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for i := range s.Proposals {
		p := &s.Proposals[i]
		rows, err := tx.QueryContext(ctx, "SELECT date, status, note, source FROM proposal_events WHERE proposal_id = ? ORDER BY seq", p.ID)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var e sessions.Event
			if err := rows.Scan(&e.Date, &e.Status, &e.Note, &e.Source); err != nil {
				rows.Close()
				return nil, err
			}
			p.Timeline = append(p.Timeline, e)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return s, nil
}

func columnStrings(ctx context.Context, tx *sql.Tx, query string, args ...any) ([]string, error) {
	rows, err := tx.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}
