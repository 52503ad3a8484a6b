package data

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"slices"
	"sort"
	"strings"

	"kurultai/sessions"
	"kurultai/sessions/msg"
)

// eachBatch is how many rows each reads at a time. A batch is read whole
// and its cursor closed before its rows are filled in by other queries,
// so that a search holds one connection at a time however many run.
const eachBatch = 512

// each reads results from offset on, limit of them (-1 for all), and
// hands each to fn whole. The rows are read, and made into hits, by a
// goroutine of their own a batch ahead of fn, which writes them: on two
// cores a long stream takes the time of the slower half, not of both.
func (d *DB) each(ctx context.Context, q Query, c *compiled, byDate bool, limit, offset int, fn func(Hit) error) error {
	return d.eachHit(ctx, q, c, byDate, limit, offset, false, fn)
}

// eachHit is each; bare hits have no snippet (Snippet, Field and
// Through are empty), for what reads their text alone.
func (d *DB) eachHit(ctx context.Context, q Query, c *compiled, byDate bool, limit, offset int, bare bool, fn func(Hit) error) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	h := newHydrator(d, q)
	h.bare = bare
	rows := make(chan []found, 2)
	batches := make(chan []Hit, 2)
	var readErr, hitErr error
	go func() {
		defer close(rows)
		readErr = d.readRows(ctx, h, c, byDate, limit, offset, func(b []found) bool {
			select {
			case rows <- b:
				return true
			case <-ctx.Done():
				return false
			}
		})
	}()
	go func() {
		defer close(batches)
		for b := range rows {
			if hitErr != nil {
				continue
			}
			hits := make([]Hit, len(b))
			for i := range b {
				if hits[i], hitErr = h.hit(ctx, &b[i]); hitErr != nil {
					cancel()
					break
				}
			}
			if hitErr == nil {
				select {
				case batches <- hits:
				case <-ctx.Done():
				}
			}
		}
	}()
	var err error
	for hits := range batches {
		for i := range hits {
			if err == nil {
				err = fn(hits[i])
			}
		}
		if err != nil {
			cancel()
		}
	}
	// Both channels are closed: the goroutines are done, their errors set.
	return cmp.Or(err, hitErr, readErr)
}

// readRows reads results a batch at a time, finds their runs and what
// their documents share, and hands each batch on; send says whether to
// go on.
func (d *DB) readRows(ctx context.Context, h *hydrator, c *compiled, byDate bool, limit, offset int, send func([]found) bool) error {
	score, order := bm25, "score, rowid DESC"
	outer := "m.score, m.id DESC"
	if byDate {
		score, order, outer = "0", "rowid DESC", "m.id DESC"
	}
	// A paragraph's lemmas are read only for a query that asks for
	// lemmas, to mark the words they stand for.
	lemmas := "NULL"
	if slices.ContainsFunc(h.words, func(t Term) bool { return t.Column == "lemma" }) {
		lemmas = "p.lemmas"
	}
	sqlText := `SELECT m.id, m.score, p.number, p.heading, p.text, p.lang, ` + lemmas + ` FROM
		(SELECT rowid AS id, ` + score + ` AS score FROM search_fts WHERE search_fts MATCH ? AND rowid BETWEEN ? AND ?
			ORDER BY ` + order + ` LIMIT ? OFFSET ?) m
		LEFT JOIN paragraphs p ON p.id = m.id ORDER BY ` + outer
	hi := c.hi
	for limit != 0 {
		n := eachBatch
		if limit > 0 {
			n = min(n, limit)
		}
		rows, err := d.query(ctx, sqlText, c.match, c.lo, hi, n, offset)
		if err != nil {
			return searchError(err)
		}
		batch := make([]found, 0, n)
		for rows.Next() {
			var r found
			if err := rows.Scan(&r.id, &r.score, &r.number, &r.heading, &r.text, &r.lang, &r.lemmas); err != nil {
				rows.Close()
				return searchError(err)
			}
			batch = append(batch, r)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return searchError(err)
		}
		if err := h.prepare(ctx, batch); err != nil {
			return err
		}
		if !send(batch) {
			return nil
		}
		if len(batch) < n {
			return nil
		}
		if limit > 0 {
			limit -= n
		}
		if byDate {
			// The next batch starts below the last row: no rows are
			// counted again to skip them.
			hi, offset = batch[len(batch)-1].id-1, 0
		} else {
			offset += n
		}
	}
	return nil
}

// found is one row of the index as a search reads it, with its paragraph
// when it is a speech paragraph, and the run it is in once known.
type found struct {
	id      int64
	score   float64
	number  sql.NullInt64
	heading sql.NullString
	text    sql.NullString
	lang    sql.NullString // a paragraph's own, where it has one
	lemmas  sql.NullString // a paragraph's, for a query with lemma:
	run     *run
	meta    *runMeta
}

// hydrator makes hits of found rows. It looks up each row's run (once
// for a run of rows), and reads what a batch's documents share in one
// query for each kind of document.
type hydrator struct {
	d     *DB
	bare  bool // no snippets
	words []Term
	last  *run
	meta  map[string]*runMeta // by kind of document and id
}

// runMeta is what the rows of a run share.
type runMeta struct {
	session, sessionTitle, date, lang string
	title, second                     string // the document's title, and its topic or category
	speaker, speakerID                string
	paras                             []sessions.Paragraph // a proposal's
	place, summary                    string
	party, role, gender               string // a speech's speaker on the day
}

func newHydrator(d *DB, q Query) *hydrator {
	return &hydrator{d: d, words: q.Words(), meta: map[string]*runMeta{}}
}

// docKind is the kind of document a run's rows belong to, for reading
// what they share: speech, proposal, session or speaker.
func (k runKind) docKind() string {
	switch k {
	case runSpeech, runSpeechTitle:
		return "speech"
	case runProposal, runProposalTitle, runTimeline:
		return "proposal"
	case runSession:
		return "session"
	}
	return "speaker"
}

// prepare finds the runs of a batch and reads what their documents share.
func (h *hydrator) prepare(ctx context.Context, batch []found) error {
	if len(h.meta) > 4*eachBatch {
		h.meta = map[string]*runMeta{}
	}
	want := map[string][]string{}
	for i := range batch {
		f := &batch[i]
		r, err := h.runOf(ctx, f.id)
		if err != nil {
			return err
		}
		f.run = r
		k := r.kind.docKind()
		if _, ok := h.meta[k+"\x00"+r.ref]; !ok {
			h.meta[k+"\x00"+r.ref] = nil
			want[k] = append(want[k], r.ref)
		}
	}
	kinds := make([]string, 0, len(want))
	for k := range want {
		kinds = append(kinds, k)
	}
	sort.Strings(kinds)
	for _, k := range kinds {
		if err := h.read(ctx, k, want[k]); err != nil {
			return err
		}
	}
	// The rows carry their documents' data on: hits are made from them
	// on another goroutine, which does not read the map.
	for i := range batch {
		f := &batch[i]
		f.meta = h.meta[f.run.kind.docKind()+"\x00"+f.run.ref]
	}
	return nil
}

// runOf finds the run that holds a rowid.
func (h *hydrator) runOf(ctx context.Context, id int64) (*run, error) {
	if r := h.last; r != nil && id >= r.start && id <= r.stop {
		return r, nil
	}
	r := &run{}
	err := h.d.queryRow(ctx, "SELECT start, stop, kind, ref, first FROM search_runs WHERE start <= ? ORDER BY start DESC LIMIT 1", id).
		Scan(&r.start, &r.stop, &r.kind, &r.ref, &r.first)
	if errors.Is(err, sql.ErrNoRows) || err == nil && id > r.stop {
		return nil, errNoRun
	}
	if err != nil {
		return nil, searchError(err)
	}
	h.last = r
	return r, nil
}

var errNoRun = msg.New("the search index does not match the records (the file may be damaged)")

// metaSQL reads what the rows of documents of each kind share, for a
// JSON array of their ids.
var metaSQL = map[string]string{
	"speech": `SELECT sp.id, sp.title, sp.topic, coalesce(nullif(sp.language, ''), s.language), coalesce(spk.id, ''), coalesce(spk.name, ''),
			s.id, s.title, s.date, '', '', sp.party, sp.role, coalesce(spk.gender, '')
		FROM json_each(?) j JOIN speeches sp ON sp.id = j.value JOIN sessions s ON s.id = sp.session_id
		LEFT JOIN speakers spk ON spk.id = sp.speaker_id`,
	"proposal": `SELECT p.id, p.title, p.category, s.language, '', '', s.id, s.title, s.date, p.text, '', '', '', ''
		FROM json_each(?) j JOIN proposals p ON p.id = j.value JOIN sessions s ON s.id = p.session_id`,
	"session": `SELECT s.id, '', '', s.language, '', '', s.id, s.title, s.date, s.place, s.summary, '', '', ''
		FROM json_each(?) j JOIN sessions s ON s.id = j.value`,
	"speaker": `SELECT sp.id, '', '', '', sp.id, sp.name, '', '', '', '', '', '', '', sp.gender
		FROM json_each(?) j JOIN speakers sp ON sp.id = j.value`,
}

func (h *hydrator) read(ctx context.Context, kind string, ids []string) error {
	list, err := json.Marshal(ids)
	if err != nil {
		return err
	}
	rows, err := h.d.query(ctx, metaSQL[kind], string(list))
	if err != nil {
		return searchError(err)
	}
	defer rows.Close()
	for rows.Next() {
		m := &runMeta{}
		var id, a, b string
		if err := rows.Scan(&id, &m.title, &m.second, &m.lang, &m.speakerID, &m.speaker, &m.session, &m.sessionTitle, &m.date, &a, &b,
			&m.party, &m.role, &m.gender); err != nil {
			return searchError(err)
		}
		switch kind {
		case "proposal":
			m.paras = sessions.SplitParagraphs(a)
		case "session":
			m.place, m.summary = a, b
		}
		h.meta[kind+"\x00"+id] = m
	}
	if err := rows.Err(); err != nil {
		return searchError(err)
	}
	for _, id := range ids {
		if h.meta[kind+"\x00"+id] == nil {
			return errNoRun
		}
	}
	return nil
}

func (h *hydrator) hit(ctx context.Context, f *found) (Hit, error) {
	r, m := f.run, f.meta
	hit := Hit{Kind: r.kind.kind(), Session: m.session, SessionTitle: m.sessionTitle, Date: m.date,
		Title: m.title, Speaker: m.speaker, SpeakerID: m.speakerID, Language: m.lang, Score: f.score,
		Party: m.party, Role: m.role, Gender: m.gender}
	var fields []field
	words := slices.Clip(h.words) // a hit's own: lemma forms are appended per paragraph
	switch r.kind {
	case runSpeech:
		hit.Speech = r.ref
		hit.Paragraph = int(f.number.Int64)
		hit.Text = f.text.String
		if f.lang.String != "" {
			hit.Language = f.lang.String
		}
		fields = []field{{"text", "body", f.text.String}, {"heading", "heading", f.heading.String}}
		words = append(words, lemmaForms(h.words, f.lemmas.String)...)
	case runProposal:
		hit.Speech = r.ref
		if i := int(f.id - r.start); i < len(m.paras) {
			p := m.paras[i]
			hit.Paragraph, hit.Text = p.Number, p.Text
			fields = []field{{"text", "body", p.Text}, {"heading", "heading", p.Heading}}
		}
	case runSession:
		hit.Title = m.sessionTitle
		hit.Text = m.summary
		fields = []field{{"title", "title", m.sessionTitle}, {"place", "place", m.place}, {"summary", "body", m.summary}}
	case runSpeechTitle, runProposalTitle:
		hit.Speech = r.ref
		second := "topic"
		if r.kind == runProposalTitle {
			second = "category"
		}
		hit.Text = strings.TrimSpace(m.title + "\n\n" + m.second)
		fields = []field{{"title", "title", m.title}, {second, "heading", m.second}}
	case runSpeaker:
		hit.Text = m.speaker
		fields = []field{{"name", "name", m.speaker}}
	case runTimeline:
		hit.Speech = r.ref
		hit.Event = r.first
		var e sessions.Event
		err := h.d.queryRow(ctx, "SELECT date, status, note, source FROM proposal_events WHERE proposal_id = ? AND seq = ?", r.ref, r.first).
			Scan(&e.Date, &e.Status, &e.Note, &e.Source)
		if err != nil {
			return Hit{}, searchError(err)
		}
		hit.Date = e.Date
		hit.Text = e.Note
		fields = []field{{"note", "body", e.Note}, {"status", "heading", e.Status}, {"source", "source", e.Source}}
	}
	kazakh := IsKazakh(hit.Language)
	hit.marks = words
	if h.bare {
		return hit, nil
	}
	for _, fl := range fields {
		words := fl.words(words)
		if len(words) == 0 || fl.text == "" {
			continue
		}
		if snip, ok, how := snippet(fl.text, words, kazakh, 24); ok {
			hit.Field, hit.Snippet = fl.name, snip
			hit.Through = throughNames[how]
			break
		}
	}
	if hit.Field == "" && len(fields) > 0 {
		hit.Snippet, _, _ = snippet(fields[0].text, nil, false, 24)
	}
	return hit, nil
}

// field is one field of a row, and the column it is indexed in.
type field struct {
	name, column, text string
}

// words are the query words that can match the field.
func (f field) words(all []Term) []Term {
	var out []Term
	for _, t := range all {
		if t.Column == "" || t.Column == f.column {
			out = append(out, t)
		}
	}
	return out
}
