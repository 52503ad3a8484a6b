package data

import (
	"context"
	"strings"

	"kurultai/sessions"
)

// DocChange is a speech or proposal that a batch after some point added
// or changed, in itself or in a paragraph or timeline event.
type DocChange struct {
	Session string
	Doc     string
	Kind    string // speech or proposal
	Batch   int64  // the newest batch that changed it
}

// placeholders is "?, ?, ?" for n values.
func placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?, ", n), ", ")
}

// ChangedDocs lists the speeches and proposals of the given sessions that
// batches after since added or changed. Only sessions touched after since
// are read further, so that a page of sessions where nothing changed
// costs one indexed lookup.
func (d *DB) ChangedDocs(ctx context.Context, sessionIDs []string, since int64) ([]DocChange, error) {
	if len(sessionIDs) == 0 {
		return nil, nil
	}
	args := make([]any, 0, len(sessionIDs)+1)
	for _, id := range sessionIDs {
		args = append(args, id)
	}
	args = append(args, since)
	touched, err := d.strings(ctx, "SELECT id FROM sessions WHERE id IN ("+placeholders(len(sessionIDs))+") AND batch > ?", args...)
	if err != nil || len(touched) == 0 {
		return nil, err
	}
	var out []DocChange
	for _, s := range touched {
		rows, err := d.query(ctx, `SELECT id, 'speech', max(batch, coalesce((SELECT max(p.batch) FROM paragraphs p WHERE p.speech_id = x.id), 0)) AS b
			FROM speeches x WHERE session_id = ?1
			UNION ALL
			SELECT id, 'proposal', max(batch, coalesce((SELECT max(e.batch) FROM proposal_events e WHERE e.proposal_id = y.id), 0))
			FROM proposals y WHERE session_id = ?1`, s)
		if err != nil {
			return nil, Friendly(err)
		}
		for rows.Next() {
			c := DocChange{Session: s}
			if err := rows.Scan(&c.Doc, &c.Kind, &c.Batch); err != nil {
				rows.Close()
				return nil, Friendly(err)
			}
			if c.Batch > since {
				out = append(out, c)
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, Friendly(err)
		}
	}
	return out, nil
}

// ChangedParagraphs lists the paragraphs of a speech that batches after
// since added or changed, in order; for a proposal, the numbers of its
// timeline events.
func (d *DB) ChangedParagraphs(ctx context.Context, doc string, since int64) ([]int, error) {
	rows, err := d.query(ctx, `SELECT number FROM paragraphs WHERE speech_id = ?1 AND batch > ?2
		UNION ALL SELECT seq FROM proposal_events WHERE proposal_id = ?1 AND batch > ?2 ORDER BY 1`, doc, since)
	if err != nil {
		return nil, Friendly(err)
	}
	defer rows.Close()
	var out []int
	for rows.Next() {
		var n int
		if err := rows.Scan(&n); err != nil {
			return nil, Friendly(err)
		}
		out = append(out, n)
	}
	return out, Friendly(rows.Err())
}

// strings reads a column of text.
func (d *DB) strings(ctx context.Context, q string, args ...any) ([]string, error) {
	rows, err := d.query(ctx, q, args...)
	if err != nil {
		return nil, Friendly(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, Friendly(err)
		}
		out = append(out, s)
	}
	return out, Friendly(rows.Err())
}

// Baseline is the archive's batch when an owner first used it: nothing
// older is new to them. The first call keeps last as the baseline.
func (b *Bookmarks) Baseline(ctx context.Context, owner, archive string, last int64) (int64, error) {
	if _, err := b.db.db.ExecContext(ctx, "INSERT OR IGNORE INTO baselines (owner, archive, batch) VALUES (?, ?, ?)", owner, archive, last); err != nil {
		return 0, Friendly(err)
	}
	var n int64
	err := b.db.db.QueryRowContext(ctx, "SELECT batch FROM baselines WHERE owner = ? AND archive = ?", owner, archive).Scan(&n)
	return n, Friendly(err)
}

// MarkOpened records that an owner opened a document when the archive's
// newest batch was batch.
func (b *Bookmarks) MarkOpened(ctx context.Context, owner, archive, doc string, batch int64) error {
	_, err := b.db.db.ExecContext(ctx, `INSERT INTO opened (owner, archive, doc, batch) VALUES (?, ?, ?, ?)
		ON CONFLICT (owner, archive, doc) DO UPDATE SET batch = max(batch, excluded.batch)`, owner, archive, doc, batch)
	return Friendly(err)
}

// Opened gives the batch at which an owner last opened each of docs; a
// document never opened is not in the map.
func (b *Bookmarks) Opened(ctx context.Context, owner, archive string, docs []string) (map[string]int64, error) {
	out := map[string]int64{}
	for len(docs) > 0 {
		chunk := docs[:min(len(docs), 500)]
		docs = docs[len(chunk):]
		args := []any{owner, archive}
		for _, d := range chunk {
			args = append(args, d)
		}
		rows, err := b.db.db.QueryContext(ctx, "SELECT doc, batch FROM opened WHERE owner = ? AND archive = ? AND doc IN ("+placeholders(len(chunk))+")", args...)
		if err != nil {
			return nil, Friendly(err)
		}
		for rows.Next() {
			var doc string
			var n int64
			if err := rows.Scan(&doc, &n); err != nil {
				rows.Close()
				return nil, Friendly(err)
			}
			out[doc] = n
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, Friendly(err)
		}
	}
	return out, nil
}

// News is what is new to one reader of one archive: what changed after
// their baseline and after they last opened it.
type News struct {
	d       *DB
	b       Store
	owner   string
	Archive string
	// Baseline is the batch before which nothing is new to them.
	Baseline int64
}

// NewNews reads (or, the first time, sets) an owner's baseline.
func (d *DB) NewNews(ctx context.Context, b Store, owner string) (*News, error) {
	archive, err := d.ArchiveID(ctx)
	if err != nil {
		return nil, err
	}
	last, err := d.LastBatch(ctx)
	if err != nil {
		return nil, err
	}
	base, err := b.Baseline(ctx, owner, archive, last)
	if err != nil {
		return nil, err
	}
	return &News{d: d, b: b, owner: owner, Archive: archive, Baseline: base}, nil
}

// Docs gives the speeches and proposals of sessions that are new to the
// reader: changed after the baseline and after they last opened them.
func (n *News) Docs(ctx context.Context, sessionIDs []string) ([]DocChange, error) {
	changed, err := n.d.ChangedDocs(ctx, sessionIDs, n.Baseline)
	if err != nil || len(changed) == 0 {
		return nil, err
	}
	ids := make([]string, len(changed))
	for i, c := range changed {
		ids[i] = c.Doc
	}
	opened, err := n.b.Opened(ctx, n.owner, n.Archive, ids)
	if err != nil {
		return nil, err
	}
	out := changed[:0]
	for _, c := range changed {
		if c.Batch > opened[c.Doc] {
			out = append(out, c)
		}
	}
	return out, nil
}

// Paragraphs gives the paragraphs (or, of a proposal, the timeline
// events) of a document that changed since the reader last opened it, and
// then records that they opened it now.
func (n *News) Paragraphs(ctx context.Context, doc string) ([]int, error) {
	opened, err := n.b.Opened(ctx, n.owner, n.Archive, []string{doc})
	if err != nil {
		return nil, err
	}
	since := max(n.Baseline, opened[doc])
	paras, err := n.d.ChangedParagraphs(ctx, doc, since)
	if err != nil {
		return nil, err
	}
	last, err := n.d.LastBatch(ctx)
	if err != nil {
		return nil, err
	}
	return paras, n.b.MarkOpened(ctx, n.owner, n.Archive, doc, last)
}

// HitBatch is the batch that last added or changed the row a hit is, and
// when that batch was written ("" for a batch before batches were kept).
func (d *DB) HitBatch(ctx context.Context, h Hit) (int64, string, error) {
	var q string
	var args []any
	switch h.Kind {
	case KindSpeech:
		q, args = "SELECT batch FROM paragraphs WHERE speech_id = ? AND number = ?", []any{h.Speech, h.Paragraph}
	case KindTitle:
		q, args = "SELECT batch FROM speeches WHERE id = ?1 UNION ALL SELECT batch FROM proposals WHERE id = ?1", []any{h.Speech}
	case KindProposal:
		q, args = "SELECT batch FROM proposals WHERE id = ?", []any{h.Speech}
	case KindTimeline:
		q, args = "SELECT batch FROM proposal_events WHERE proposal_id = ? AND seq = ?", []any{h.Speech, h.Event}
	case KindSession:
		q, args = "SELECT record_batch FROM sessions WHERE id = ?", []any{h.Session}
	default:
		return 0, "", nil
	}
	var b int64
	if err := d.queryRow(ctx, q, args...).Scan(&b); err != nil {
		return 0, "", Friendly(err)
	}
	at, err := d.batchTime(ctx, b)
	return b, at, err
}

// batchTime is when a batch was written, "" for batch 0.
func (d *DB) batchTime(ctx context.Context, b int64) (string, error) {
	if b == 0 {
		return "", nil
	}
	var at string
	err := d.queryRow(ctx, "SELECT at FROM batches WHERE id = ?", b).Scan(&at)
	return at, Friendly(err)
}

// NewEvent is a timeline step of a proposal that a batch added or changed.
type NewEvent struct {
	Proposal string
	Title    string // the proposal's
	Seq      int
	Event    sessions.Event
	Batch    int64
	At       string
}

// NewEvents lists the timeline steps of a proposal that batches after
// since added or changed, in the order of its timeline.
func (d *DB) NewEvents(ctx context.Context, proposal string, since int64) ([]NewEvent, error) {
	rows, err := d.query(ctx, `SELECT p.title, e.seq, e.date, e.status, e.note, e.source, e.confidence, e.batch, coalesce(b.at, '')
		FROM proposal_events e JOIN proposals p ON p.id = e.proposal_id LEFT JOIN batches b ON b.id = e.batch
		WHERE e.proposal_id = ? AND e.batch > ? ORDER BY e.seq`, proposal, since)
	if err != nil {
		return nil, Friendly(err)
	}
	defer rows.Close()
	var out []NewEvent
	for rows.Next() {
		e := NewEvent{Proposal: proposal}
		if err := rows.Scan(&e.Title, &e.Seq, &e.Event.Date, &e.Event.Status, &e.Event.Note, &e.Event.Source, &e.Event.Confidence, &e.Batch, &e.At); err != nil {
			return nil, Friendly(err)
		}
		out = append(out, e)
	}
	return out, Friendly(rows.Err())
}
