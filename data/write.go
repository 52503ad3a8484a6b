package data

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"

	"kurultai/sessions"
	"kurultai/sessions/msg"
)

// Replace writes sessions into the archive in one transaction. Every session
// that shares an id with one given is replaced whole, with its speeches,
// paragraphs and proposals. When origin is not empty, sessions of that
// origin that are not among those given are removed too, so that a source
// can be rebuilt without touching records imported from elsewhere.
func (d *DB) Replace(ctx context.Context, origin string, all []sessions.Session) error {
	im, err := d.BeginImport(ctx)
	if err != nil {
		return err
	}
	defer im.Rollback()
	if origin == sessions.SampleOrigin {
		im.SetBatchKind(BatchSample)
	}
	if origin != "" {
		keep := make(map[string]bool, len(all))
		for i := range all {
			keep[all[i].ID] = true
		}
		if err := im.removeOrigin(origin, keep); err != nil {
			return err
		}
	}
	for i := range all {
		if _, err := im.Write(&all[i], origin, ""); err != nil {
			return err
		}
	}
	return im.Commit()
}

type writer struct {
	tx    *sql.Tx
	stmts map[string]*sql.Stmt
	args  []any
	hand  *handOver
	index *indexer
	// touched are the speakers of the sessions written or removed, whose
	// counts (speaker_stats) the import's end makes again.
	touched map[string]bool
}

var writeSQL = map[string]string{
	// A replaced session's rows are removed child first, as the foreign
	// keys' cascades would (imports run with the checks off).
	"delRefs":       "DELETE FROM proposal_refs WHERE proposal_id IN (SELECT id FROM proposals WHERE session_id = ?1) OR speech_id IN (SELECT id FROM speeches WHERE session_id = ?1)",
	"delEvents":     "DELETE FROM proposal_events WHERE proposal_id IN (SELECT id FROM proposals WHERE session_id = ?)",
	"delProposals":  "DELETE FROM proposals WHERE session_id = ?",
	"delParagraphs": "DELETE FROM paragraphs WHERE speech_id IN (SELECT id FROM speeches WHERE session_id = ?)",
	"delSpeeches":   "DELETE FROM speeches WHERE session_id = ?",
	"delSession":    "DELETE FROM sessions WHERE id = ?",
	"session": `INSERT INTO sessions (id, body, number, date, place, title, summary, language, provenance, sources, origin, hash, batch, record_batch, created_batch, words)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
	"speaker": `INSERT INTO speakers (id, name, role, family, given, forms, gender) VALUES (?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET name = excluded.name, role = excluded.role,
			family = excluded.family, given = excluded.given, forms = excluded.forms, gender = excluded.gender`,
	"speech": `INSERT INTO speeches (id, session_id, speaker_id, ord, title, language, source_url, provenance, role, topic, batch, party, party_name, side, words)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
	"paragraph": "INSERT INTO paragraphs (id, speech_id, number, heading, text, words, batch, lang, lemmas) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
	"proposal": `INSERT INTO proposals (id, session_id, ord, title, text, category, status, provenance, batch)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
	"event": `INSERT INTO proposal_events (proposal_id, seq, date, status, note, source, confidence, batch)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
	"removed": `INSERT OR REPLACE INTO removed (batch, kind, id, session, title) VALUES (?, ?, ?, ?, ?)`,
	"ref":     "INSERT OR IGNORE INTO proposal_refs (proposal_id, speech_id, paragraph) VALUES (?, ?, ?)",
}

// paragraphBatch is how many paragraphs one INSERT writes: one statement
// for many rows costs SQLite far less than a statement a row.
const paragraphBatch = 32

// paragraphCols is how many values a paragraph's row takes.
const paragraphCols = 9

func init() {
	rows := strings.TrimSuffix(strings.Repeat("(?, ?, ?, ?, ?, ?, ?, ?, ?), ", paragraphBatch), ", ")
	writeSQL["paragraphs"] = "INSERT INTO paragraphs (id, speech_id, number, heading, text, words, batch, lang, lemmas) VALUES " + rows
}

func newWriter(ctx context.Context, tx *sql.Tx) (*writer, error) {
	w := &writer{tx: tx, stmts: map[string]*sql.Stmt{}, args: make([]any, 0, paragraphCols*paragraphBatch), index: newIndexer(tx),
		touched: map[string]bool{}}
	for name, q := range writeSQL {
		st, err := tx.PrepareContext(ctx, q)
		if err != nil {
			w.close()
			return nil, Friendly(err)
		}
		w.stmts[name] = st
	}
	return w, nil
}

func (w *writer) close() {
	w.index.words.forget()
	for _, st := range w.stmts {
		st.Close()
	}
}

func (w *writer) exec(ctx context.Context, name string, args ...any) error {
	return execShort(ctx, w.stmts[name], args...)
}

// delete removes a session and every row that belongs to it.
func (w *writer) delete(ctx context.Context, id string) error {
	if err := w.index.dropSession(ctx, id); err != nil {
		return err
	}
	// Its speakers are counted again when the import ends.
	ids, err := columnStrings(ctx, w.tx, "SELECT DISTINCT speaker_id FROM speeches WHERE session_id = ? AND speaker_id IS NOT NULL", id)
	if err != nil {
		return err
	}
	for _, s := range ids {
		w.touched[s] = true
	}
	for _, del := range []string{"delRefs", "delEvents", "delProposals", "delParagraphs", "delSpeeches", "delSession"} {
		if err := w.exec(ctx, del, id); err != nil {
			return err
		}
	}
	return nil
}

// session writes one session whole, replacing any session with its id.
// Speakers already written in this transaction are not written again.
// drop says that the session is the caller's to spend: a huge paragraph's
// text is dropped from it once stored (see writeHuge).
//
// bp gives the batch of each of its parts and what it no longer has
// (planBatches); batch is the batch the session is written in.
func (w *writer) session(ctx context.Context, s *sessions.Session, origin, hash string, words [][]int, speakers map[string]bool, drop bool, bp *batchPlan, batch int64) (err error) {
	if err := w.delete(ctx, s.ID); err != nil {
		return err
	}
	speechWords := make([]int, len(s.Speeches))
	total := 0
	for i := range words {
		for _, n := range words[i] {
			speechWords[i] += n
		}
		total += speechWords[i]
	}
	total += sessionTextWords(s.Summary, s.Proposals)
	if err := w.exec(ctx, "session", s.ID, s.Body, s.Number, s.Date, s.Place, s.Title, s.Summary,
		s.Language, s.Provenance, sourcesJSON(s), origin, hash, batch, bp.record, bp.created, total); err != nil {
		return err
	}
	for i := range s.Speeches {
		sp := &s.Speeches[i]
		var speaker any
		if sp.Speaker.ID != "" {
			speaker = sp.Speaker.ID
			if !speakers[sp.Speaker.ID] {
				if err := w.exec(ctx, "speaker", sp.Speaker.ID, sp.Speaker.Name, sp.Speaker.Role,
					sp.Speaker.Family, sp.Speaker.Given, formsJSON(sp.Speaker.Forms), sp.Speaker.Gender); err != nil {
					return err
				}
				if err := w.index.speaker(ctx, sp.Speaker); err != nil {
					return err
				}
				speakers[sp.Speaker.ID] = true
			}
		}
		if sp.Speaker.ID != "" {
			w.touched[sp.Speaker.ID] = true
		}
		if err := w.exec(ctx, "speech", sp.ID, s.ID, speaker, sp.Order, sp.Title, sp.Language,
			sp.SourceURL, sp.Provenance, sp.Speaker.Role, sp.Topic, bp.speech[i], sp.Speaker.Party, sp.Speaker.PartyName, sp.Speaker.Side, speechWords[i]); err != nil {
			return &idError{kind: "speech", id: sp.ID, err: err}
		}
	}
	// A speech paragraph's id is its row in the search index, given out
	// in the order of the session's date.
	plan, err := w.index.plan(ctx, s)
	if err != nil {
		return err
	}
	// Paragraphs go in after all the speeches, many rows to a statement;
	// a huge one by itself, in order.
	w.args = w.args[:0]
	rows := 0
	for i := range s.Speeches {
		sp := &s.Speeches[i]
		for j := range sp.Paragraphs {
			p := &sp.Paragraphs[j]
			id := plan.speeches[i].first + int64(j)
			if len(p.Text)+len(p.Heading) >= hugeText {
				if err := w.flushParagraphs(ctx, rows); err != nil {
					return err
				}
				w.args, rows = w.args[:0], 0
				if err := w.writeHuge(ctx, id, sp.ID, p, words[i][j], bp.paras[i][j], drop); err != nil {
					return err
				}
				continue
			}
			w.args = append(w.args, id, sp.ID, p.Number, p.Heading, p.Text, words[i][j], bp.paras[i][j], p.Language, lemmasText(p.Lemmas))
			if rows++; rows == paragraphBatch {
				if err := w.exec(ctx, "paragraphs", w.args...); err != nil {
					return err
				}
				w.args, rows = w.args[:0], 0
			}
		}
	}
	if err := w.flushParagraphs(ctx, rows); err != nil {
		return err
	}
	defer func() {
		if err == nil {
			err = w.index.index(ctx, s, plan)
		}
	}()
	for i := range s.Proposals {
		p := &s.Proposals[i]
		if err := w.exec(ctx, "proposal", p.ID, s.ID, p.Order, p.Title, p.Text, p.Category,
			p.CurrentStatus(), p.Provenance, bp.proposal[i]); err != nil {
			return &idError{kind: "proposal", id: p.ID, err: err}
		}
		for seq, e := range p.Timeline {
			if err := w.exec(ctx, "event", p.ID, seq+1, e.Date, e.Status, e.Note, e.Source, e.Confidence, bp.events[i][seq]); err != nil {
				return err
			}
		}
		for _, ref := range p.MadeIn {
			for _, n := range ref.Paragraphs {
				if err := w.exec(ctx, "ref", p.ID, ref.Speech, n); err != nil {
					return err
				}
			}
		}
	}
	for k, r := range bp.removed {
		if err := w.exec(ctx, "removed", batch, r[0], r[1], s.ID, bp.removedAt[k]); err != nil {
			return err
		}
	}
	return nil
}

// EnsureSample makes sure that path holds an archive with the current
// built-in sample. A missing archive is built in a temporary file beside it
// and renamed into place, so a crash never leaves half an archive. An
// archive with an older sample has its sample sessions replaced in one
// transaction; anything imported beside them stays. It reports whether it
// wrote anything.
func EnsureSample(ctx context.Context, path string) (bool, error) {
	version := sessions.SampleVersion()
	_, statErr := os.Stat(path)
	if statErr == nil {
		// The common case, at every start: the sample is there and current.
		// Reading that needs neither a writer nor the sample decoded.
		if d, err := Open(ctx, path, ReadOnly); err == nil {
			have, err := d.meta(ctx, "sample_version")
			d.Close()
			if err == nil && have == version {
				return false, nil
			}
		}
	}
	all, err := sessions.Sample()
	if err != nil {
		return false, msg.Errorf("the built-in sample does not decode: %v", err)
	}
	if errors.Is(statErr, os.ErrNotExist) {
		return true, buildNew(ctx, path, all, version)
	}
	d, err := Open(ctx, path, ReadWrite)
	if err != nil {
		return false, err
	}
	defer d.Close()
	have, err := d.meta(ctx, "sample_version")
	if err != nil || have == version {
		return false, err
	}
	if err := d.replaceSample(ctx, all, version); err != nil {
		return false, msg.Errorf("cannot update the sample in %s: %v", path, err)
	}
	return true, nil
}

func (d *DB) replaceSample(ctx context.Context, all []sessions.Session, version string) error {
	if err := d.Replace(ctx, sessions.SampleOrigin, all); err != nil {
		return err
	}
	_, err := d.db.ExecContext(ctx, `INSERT INTO meta (key, value) VALUES ('sample_version', ?)
		ON CONFLICT (key) DO UPDATE SET value = excluded.value`, version)
	return Friendly(err)
}

func buildNew(ctx context.Context, path string, all []sessions.Session, version string) error {
	b, err := NewBuilder(ctx, path)
	if err != nil {
		return err
	}
	if err := b.db.replaceSample(ctx, all, version); err != nil {
		b.Abort()
		return msg.Errorf("cannot build the sample archive: %v", err)
	}
	return b.Close()
}

// Builder makes a new archive at a path: it is built under a temporary name
// beside it and renamed into place by Close, so that a crash or an
// interrupt never leaves half an archive where the archive should be.
//
// The sessions given to Write are prepared (checked and digested) on the
// caller's goroutine and written on one of the builder's own, so that
// making the sessions and writing them each have a core.
type Builder struct {
	db   *DB
	im   *Import
	tmp  string
	path string
	// queue takes prepared sessions to the writer; failed is closed when
	// it fails, and done gives its error when queue is closed.
	queue  chan *Prepared
	failed chan struct{}
	done   chan error
	err    error
	closed bool // by Close or Abort
}

// NewBuilder starts a new archive that will replace path when done.
func NewBuilder(ctx context.Context, path string) (*Builder, error) {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, msg.Errorf("cannot create the folder for the archive: %v", err)
	}
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return nil, msg.Errorf("cannot build the archive in %s: %v", dir, err)
	}
	f.Close()
	b := &Builder{tmp: f.Name(), path: path}
	if b.db, err = open(ctx, b.tmp, building, archiveSchema, nil); err != nil {
		b.remove()
		return nil, err
	}
	return b, nil
}

// DB is the archive being built, for an import (DB.ImportFiles) that fills
// it in its own transaction; Close then moves it into place.
func (b *Builder) DB() *DB { return b.db }

// Write adds a session, all of them in one transaction. The session is the
// builder's once given: a huge paragraph's text may be dropped once
// written. An error in writing an earlier session may be returned here.
func (b *Builder) Write(ctx context.Context, s *sessions.Session, origin string) error {
	if b.err != nil {
		return b.err
	}
	if b.im == nil {
		im, err := b.db.BeginImport(ctx)
		if err != nil {
			return err
		}
		b.im = im
		b.queue, b.failed, b.done = make(chan *Prepared, 4), make(chan struct{}), make(chan error, 1)
		go b.write(origin, b.queue, b.failed, b.done)
	}
	p, err := Prepare(s)
	if err != nil {
		return err
	}
	p.spend = true
	select {
	case b.queue <- p:
		return nil
	case <-b.failed:
		return b.finish()
	}
}

// write is the writer: it writes what comes on queue until it closes.
func (b *Builder) write(origin string, queue <-chan *Prepared, failed chan<- struct{}, done chan<- error) {
	var err error
	for p := range queue {
		if err != nil {
			continue // what comes after a failure is dropped
		}
		if _, err = b.im.WritePrepared(p, origin, ""); err != nil {
			close(failed)
		}
	}
	done <- err
}

// finish stops the writer, once everything given to it is written, and
// gives its error.
func (b *Builder) finish() error {
	if b.queue != nil {
		close(b.queue)
		b.queue = nil
		b.err = <-b.done
	}
	return b.err
}

// Close commits, turns on the write-ahead log that archives keep, syncs
// the file to disk and moves the archive into place.
func (b *Builder) Close() error {
	if b.closed {
		return msg.New("the archive was already finished")
	}
	b.closed = true
	var err error
	if b.im != nil {
		if err = b.finish(); err == nil {
			err = b.im.Commit()
		}
		if err != nil {
			b.im.Rollback()
		}
	}
	if err == nil {
		err = b.db.walMode(context.Background())
	}
	if cerr := b.db.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = syncFile(b.tmp)
	}
	if err == nil {
		// CreateTemp made the file private; an archive is for reading by all.
		err = os.Chmod(b.tmp, 0o644)
	}
	if err != nil {
		b.remove()
		return msg.Errorf("cannot finish the new archive: %v", err)
	}
	for _, suffix := range []string{"-wal", "-shm"} {
		os.Remove(b.tmp + suffix)
		os.Remove(b.path + suffix)
	}
	if err := os.Rename(b.tmp, b.path); err != nil {
		b.remove()
		return msg.Errorf("cannot move the new archive into place: %v", err)
	}
	return nil
}

// Abort drops the archive being built.
func (b *Builder) Abort() {
	if b.closed {
		return
	}
	b.closed = true
	if b.im != nil {
		b.finish()
		b.im.Rollback()
	}
	b.db.Close()
	b.remove()
}

func (b *Builder) remove() {
	for _, suffix := range []string{"", "-wal", "-shm", "-journal"} {
		os.Remove(b.tmp + suffix)
	}
}

// formsJSON is a speaker's name forms as the speakers table keeps them: a
// JSON object by language code, or "" when there are none.
func formsJSON(forms map[string]sessions.PersonName) string {
	if len(forms) == 0 {
		return ""
	}
	b, err := json.Marshal(forms) // map keys sorted: the same forms, the same text
	if err != nil {
		return ""
	}
	return string(b)
}

// parseForms reads what formsJSON wrote; anything else is no forms.
func parseForms(s string) map[string]sessions.PersonName {
	if s == "" {
		return nil
	}
	var forms map[string]sessions.PersonName
	if json.Unmarshal([]byte(s), &forms) != nil || len(forms) == 0 {
		return nil
	}
	return forms
}

// sourcesJSON is a session's sources as the sessions table keeps them.
func sourcesJSON(s *sessions.Session) string {
	if s.Sources == nil {
		return "[]"
	}
	b, err := json.Marshal(s.Sources)
	if err != nil {
		return "[]"
	}
	return string(b)
}

// syncFile makes what was written to the file at path durable.
func syncFile(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return err
	}
	err = f.Sync()
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}
