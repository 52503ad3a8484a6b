package data

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/binary"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"kurultai/sessions"
)

// Batch kinds: what made a batch.
const (
	BatchImport = "import"
	BatchSync   = "sync"
	BatchSample = "sample"
)

// digest is a short digest of fields, each written with its length, so
// that no two lists of fields share one by running together.
type digest [16]byte

func digestOf(fields ...string) digest {
	h := sha256.New()
	var n [8]byte
	for _, f := range fields {
		binary.LittleEndian.PutUint64(n[:], uint64(len(f)))
		h.Write(n[:])
		h.Write([]byte(f))
	}
	var d digest
	copy(d[:], h.Sum(nil))
	return d
}

// prior is what a session held before it is written again: the batch of
// each speech, paragraph, proposal and timeline event, by what it held, so
// that what the new version keeps as it was keeps its batch, and only what
// was added or changed takes the import's.
type prior struct {
	record       digest // the session's own fields
	recordBatch  int64
	createdBatch int64
	speeches     map[string]priorDoc           // by id
	paras        map[string]map[digest]int64   // by speech, then heading and text
	proposals    map[string]priorDoc           // by id
	events       map[string]map[digest][]int64 // by proposal, then the event's fields (batches, in order)
	titles       map[string]string             // speech and proposal titles, for what is removed
}

type priorDoc struct {
	fields digest // the document's own fields, without its paragraphs or events
	batch  int64
}

func recordFields(s *sessions.Session, sources string) digest {
	return digestOf(s.Body, fmt.Sprint(s.Number), s.Date, s.Place, s.Title, s.Summary, s.Language, s.Provenance, sources)
}

func speechFields(sp *sessions.Speech) digest {
	if sp.Speaker.Party != "" || sp.Speaker.PartyName != "" || sp.Speaker.Side != "" {
		// The speaker's party and side on the day, where the source
		// gives them; a speech without them digests as it always did.
		return digestOf(sp.Speaker.ID, sp.Title, sp.Language, sp.SourceURL, sp.Provenance, sp.Speaker.Role, sp.Topic, fmt.Sprint(sp.Order),
			sp.Speaker.Party, sp.Speaker.PartyName, sp.Speaker.Side)
	}
	return digestOf(sp.Speaker.ID, sp.Title, sp.Language, sp.SourceURL, sp.Provenance, sp.Speaker.Role, sp.Topic, fmt.Sprint(sp.Order))
}

func eventFields(e sessions.Event) digest {
	return digestOf(e.Date, e.Status, e.Note, e.Source, e.Confidence)
}

// readPrior reads what session id holds now, as prior needs it.
func readPrior(ctx context.Context, tx *sql.Tx, id string) (*prior, error) {
	p := &prior{speeches: map[string]priorDoc{}, paras: map[string]map[digest]int64{},
		proposals: map[string]priorDoc{}, events: map[string]map[digest][]int64{}, titles: map[string]string{}}
	var rec sessions.Session
	var sources string
	err := tx.QueryRowContext(ctx, "SELECT body, number, date, place, title, summary, language, provenance, sources, record_batch, created_batch FROM sessions WHERE id = ?", id).
		Scan(&rec.Body, &rec.Number, &rec.Date, &rec.Place, &rec.Title, &rec.Summary, &rec.Language, &rec.Provenance, &sources, &p.recordBatch, &p.createdBatch)
	if err != nil {
		return nil, err
	}
	p.record = recordFields(&rec, sources)
	rows, err := tx.QueryContext(ctx, `SELECT id, coalesce(speaker_id, ''), title, language, source_url, provenance, role, topic, ord, batch,
			party, party_name, side
		FROM speeches WHERE session_id = ?`, id)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var sp sessions.Speech
		var d priorDoc
		if err := rows.Scan(&sp.ID, &sp.Speaker.ID, &sp.Title, &sp.Language, &sp.SourceURL, &sp.Provenance, &sp.Speaker.Role,
			&sp.Topic, &sp.Order, &d.batch, &sp.Speaker.Party, &sp.Speaker.PartyName, &sp.Speaker.Side); err != nil {
			rows.Close()
			return nil, err
		}
		d.fields = speechFields(&sp)
		p.speeches[sp.ID] = d
		p.titles["speech "+sp.ID] = sp.Title
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows, err = tx.QueryContext(ctx, `SELECT p.speech_id, p.heading, p.text, p.batch FROM paragraphs p
		JOIN speeches s ON s.id = p.speech_id WHERE s.session_id = ?`, id)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var speech, heading, text string
		var batch int64
		if err := rows.Scan(&speech, &heading, &text, &batch); err != nil {
			rows.Close()
			return nil, err
		}
		m := p.paras[speech]
		if m == nil {
			m = map[digest]int64{}
			p.paras[speech] = m
		}
		m[digestOf(heading, text)] = batch
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows, err = tx.QueryContext(ctx, `SELECT id, ord, title, text, category, provenance, batch FROM proposals WHERE session_id = ?`, id)
	if err != nil {
		return nil, err
	}
	var ids []string
	byID := map[string]*sessions.Proposal{}
	batches := map[string]int64{}
	for rows.Next() {
		pr := &sessions.Proposal{}
		var batch int64
		if err := rows.Scan(&pr.ID, &pr.Order, &pr.Title, &pr.Text, &pr.Category, &pr.Provenance, &batch); err != nil {
			rows.Close()
			return nil, err
		}
		ids = append(ids, pr.ID)
		byID[pr.ID], batches[pr.ID] = pr, batch
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for _, pid := range ids {
		pr := byID[pid]
		refs, err := tx.QueryContext(ctx, "SELECT speech_id, paragraph FROM proposal_refs WHERE proposal_id = ? ORDER BY speech_id, paragraph", pid)
		if err != nil {
			return nil, err
		}
		for refs.Next() {
			var speech string
			var n int
			if err := refs.Scan(&speech, &n); err != nil {
				refs.Close()
				return nil, err
			}
			if k := len(pr.MadeIn); k > 0 && pr.MadeIn[k-1].Speech == speech {
				pr.MadeIn[k-1].Paragraphs = append(pr.MadeIn[k-1].Paragraphs, n)
			} else {
				pr.MadeIn = append(pr.MadeIn, sessions.ParagraphRef{Speech: speech, Paragraphs: []int{n}})
			}
		}
		refs.Close()
		ev, err := tx.QueryContext(ctx, "SELECT date, status, note, source, confidence, batch FROM proposal_events WHERE proposal_id = ? ORDER BY seq", pid)
		if err != nil {
			return nil, err
		}
		m := map[digest][]int64{}
		for ev.Next() {
			var e sessions.Event
			var batch int64
			if err := ev.Scan(&e.Date, &e.Status, &e.Note, &e.Source, &e.Confidence, &batch); err != nil {
				ev.Close()
				return nil, err
			}
			k := eventFields(e)
			m[k] = append(m[k], batch)
		}
		ev.Close()
		p.events[pid] = m
		// The stored status is the timeline's last (CurrentStatus), so
		// the proposal's fields compare alike when nothing changed.
		p.proposals[pid] = priorDoc{fields: storedProposalFields(pr), batch: batches[pid]}
		p.titles["proposal "+pid] = pr.Title
	}
	return p, nil
}

// storedProposalFields is a digest of a proposal's own fields, made-in
// references sorted as the archive keeps them. Its status is not one of
// them: it is the timeline's last, whose events have batches of their own.
func storedProposalFields(p *sessions.Proposal) digest {
	f := []string{p.Title, p.Text, p.Category, p.Provenance, fmt.Sprint(p.Order)}
	for _, r := range p.MadeIn {
		f = append(f, r.Speech, fmt.Sprint(r.Paragraphs))
	}
	return digestOf(f...)
}

// canonicalRefs is a proposal's made-in references as the archive keeps
// them: by speech, then paragraph, each once.
func canonicalRefs(refs []sessions.ParagraphRef) []sessions.ParagraphRef {
	set := map[string]map[int]bool{}
	var speeches []string
	for _, r := range refs {
		if set[r.Speech] == nil {
			set[r.Speech] = map[int]bool{}
			speeches = append(speeches, r.Speech)
		}
		for _, n := range r.Paragraphs {
			set[r.Speech][n] = true
		}
	}
	slices.Sort(speeches)
	out := make([]sessions.ParagraphRef, 0, len(speeches))
	for _, s := range speeches {
		var ns []int
		for n := range set[s] {
			ns = append(ns, n)
		}
		slices.Sort(ns)
		out = append(out, sessions.ParagraphRef{Speech: s, Paragraphs: ns})
	}
	return out
}

// batchPlan is the batch of everything a session is about to be written
// with.
type batchPlan struct {
	record    int64       // the session's record
	created   int64       // the session's first
	speech    []int64     // by speech
	paras     [][]int64   // by speech, by paragraph
	proposal  []int64     // by proposal
	events    [][]int64   // by proposal, by event
	removed   [][2]string // kind and id of the speeches and proposals the session no longer has
	removedAt []string    // their titles
}

// planBatches gives each part of s the batch it keeps from before (pr) or
// the current batch when it is new or changed. pr is nil for a new
// session.
//
// A speech keeps its batch while its own fields stay as they were,
// whatever becomes of its paragraphs, which have batches of their own; so
// does a proposal, whose timeline events have theirs. sources is the
// session's sources as the archive stores them.
func planBatches(s *sessions.Session, sources string, pr *prior, current int64) *batchPlan {
	bp := &batchPlan{record: current, created: current, speech: make([]int64, len(s.Speeches)), paras: make([][]int64, len(s.Speeches)),
		proposal: make([]int64, len(s.Proposals)), events: make([][]int64, len(s.Proposals))}
	if pr != nil && pr.record == recordFields(s, sources) {
		bp.record = pr.recordBatch
	}
	if pr != nil {
		bp.created = pr.createdBatch
	}
	kept := map[string]bool{}
	for i := range s.Speeches {
		sp := &s.Speeches[i]
		ps := make([]int64, len(sp.Paragraphs))
		changed := pr == nil
		var old priorDoc
		var oldParas map[digest]int64
		if pr != nil {
			var ok bool
			old, ok = pr.speeches[sp.ID]
			oldParas = pr.paras[sp.ID]
			changed = !ok || old.fields != speechFields(sp)
			kept["speech "+sp.ID] = ok
		}
		for j := range sp.Paragraphs {
			b, ok := oldParas[digestOf(sp.Paragraphs[j].Heading, sp.Paragraphs[j].Text)]
			if !ok {
				b = current
			}
			ps[j] = b
		}
		bp.paras[i] = ps
		bp.speech[i] = current
		if !changed {
			bp.speech[i] = old.batch
		}
	}
	for i := range s.Proposals {
		p := &s.Proposals[i]
		es := make([]int64, len(p.Timeline))
		changed := pr == nil
		var old priorDoc
		var oldEvents map[digest][]int64
		if pr != nil {
			var ok bool
			old, ok = pr.proposals[p.ID]
			cp := *p
			cp.MadeIn = canonicalRefs(p.MadeIn)
			changed = !ok || old.fields != storedProposalFields(&cp)
			kept["proposal "+p.ID] = ok
			// The same event twice takes the batches it had, in order.
			oldEvents = map[digest][]int64{}
			for k, v := range pr.events[p.ID] {
				oldEvents[k] = append([]int64(nil), v...)
			}
		}
		for j, e := range p.Timeline {
			k := eventFields(e)
			if bs := oldEvents[k]; len(bs) > 0 {
				es[j], oldEvents[k] = bs[0], bs[1:]
			} else {
				es[j] = current
			}
		}
		bp.events[i] = es
		bp.proposal[i] = current
		if !changed {
			bp.proposal[i] = old.batch
		}
	}
	if pr != nil {
		for id := range pr.speeches {
			if !kept["speech "+id] {
				bp.removed = append(bp.removed, [2]string{"speech", id})
				bp.removedAt = append(bp.removedAt, pr.titles["speech "+id])
			}
		}
		for id := range pr.proposals {
			if !kept["proposal "+id] {
				bp.removed = append(bp.removed, [2]string{"proposal", id})
				bp.removedAt = append(bp.removedAt, pr.titles["proposal "+id])
			}
		}
	}
	return bp
}

// Batch is one import or sync that changed the archive.
type Batch struct {
	ID      int64  `json:"id"`
	At      string `json:"at"`
	Kind    string `json:"kind"`
	Source  string `json:"source"`
	Added   int    `json:"added"`
	Changed int    `json:"changed"`
	Removed int    `json:"removed"`
}

// Batches lists the archive's batches, newest first, at most limit (0:
// all of them).
func (d *DB) Batches(ctx context.Context, limit int) ([]Batch, error) {
	q := "SELECT id, at, kind, source, added, changed, removed FROM batches ORDER BY id DESC"
	if limit > 0 {
		q += fmt.Sprintf(" LIMIT %d", limit)
	}
	rows, err := d.query(ctx, q)
	if err != nil {
		return nil, Friendly(err)
	}
	defer rows.Close()
	var out []Batch
	for rows.Next() {
		var b Batch
		if err := rows.Scan(&b.ID, &b.At, &b.Kind, &b.Source, &b.Added, &b.Changed, &b.Removed); err != nil {
			return nil, Friendly(err)
		}
		out = append(out, b)
	}
	return out, Friendly(rows.Err())
}

// LastBatch is the number of the archive's newest batch, 0 when it has
// none.
func (d *DB) LastBatch(ctx context.Context) (int64, error) {
	var n int64
	err := d.queryRow(ctx, "SELECT coalesce(max(id), 0) FROM batches").Scan(&n)
	return n, Friendly(err)
}

// sourceLine is the sources of a batch as one line, cut to a length a
// list can show, at a letter's boundary.
func sourceLine(sources []string) string {
	s := strings.Join(sources, ", ")
	if len(s) <= 500 {
		return s
	}
	cut := 500
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}
