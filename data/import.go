package data

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"database/sql/driver"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sort"

	"github.com/mattn/go-sqlite3"

	"kurultai/sessions"
	"kurultai/sessions/msg"
)

// Outcome says what writing one session did.
type Outcome int

// What writing a session did to the archive.
const (
	Added Outcome = iota
	Updated
	Unchanged
)

// Counts sums the outcomes of an import.
type Counts struct {
	Added, Updated, Unchanged int
}

// Import is one import transaction. Sessions are written as they are
// decoded, so memory stays flat; nothing is visible to readers, and nothing
// is kept, until Commit.
type Import struct {
	d        *DB
	release  func()
	ctx      context.Context
	tx       *sql.Tx
	w        *writer
	seen     map[string]string // session id -> the source it came from, in this import
	speakers map[string]bool
	person   map[string]string // a speaker's record as written in this import
	merge    bool              // the index was empty: see mergeLess
	Counts   Counts
	// Removed counts the sessions the import removed.
	Removed int
	done    bool
	// The batch the import writes in: made at its first change, so that
	// an import that changes nothing leaves no batch.
	batch     int64
	batchKind string
	sources   []string // where what changed came from, each once
	// What a savepoint restores.
	savedCounts  Counts
	savedRemoved int
	savedBatch   int64
	savedSources int
	sinceSave    []string
}

// SetBatchKind says what made the import: BatchImport (the default),
// BatchSync or BatchSample.
func (im *Import) SetBatchKind(kind string) { im.batchKind = kind }

// Batch is the number of the batch the import wrote in, 0 while it has
// changed nothing.
func (im *Import) Batch() int64 { return im.batch }

// ensureBatch makes the import's batch at its first change.
func (im *Import) ensureBatch() (int64, error) {
	if im.batch != 0 {
		return im.batch, nil
	}
	kind := im.batchKind
	if kind == "" {
		kind = BatchImport
	}
	err := im.tx.QueryRowContext(im.ctx, "INSERT INTO batches (kind) VALUES (?) RETURNING id", kind).Scan(&im.batch)
	return im.batch, Friendly(err)
}

// noteSource keeps where a change came from, for the batch.
func (im *Import) noteSource(source string) {
	if source != "" && !slices.Contains(im.sources, source) && len(im.sources) < 100 {
		im.sources = append(im.sources, source)
	}
}

// BeginImport starts an import transaction.
//
// The transaction runs on a connection of its own with foreign-key checks
// off: the writer puts every row after the row it points to, and removes a
// replaced session's rows itself, so the checks would only cost a lookup
// for every paragraph. They are back on before the connection is returned.
func (d *DB) BeginImport(ctx context.Context) (*Import, error) {
	conn, err := d.db.Conn(ctx)
	if err != nil {
		return nil, Friendly(err)
	}
	if _, err := conn.ExecContext(ctx, "PRAGMA foreign_keys = OFF"); err != nil {
		conn.Close()
		return nil, Friendly(err)
	}
	release := func() {
		// A connection whose checks cannot be turned back on is not
		// returned to the pool.
		if _, err := conn.ExecContext(context.Background(), "PRAGMA foreign_keys = ON"); err != nil {
			conn.Raw(func(any) error { return driver.ErrBadConn })
		}
		conn.Close()
	}
	hand := &handOver{}
	if err := conn.Raw(hand.register); err != nil {
		release()
		return nil, Friendly(err)
	}
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		release()
		return nil, Friendly(err)
	}
	w, err := newWriter(ctx, tx)
	if err != nil {
		tx.Rollback()
		release()
		return nil, err
	}
	w.hand = hand
	im := &Import{d: d, ctx: ctx, tx: tx, w: w, release: release, seen: map[string]string{}, speakers: map[string]bool{},
		person: map[string]string{}}
	if err := im.mergeLess(); err != nil {
		im.Rollback()
		return nil, Friendly(err)
	}
	return im, nil
}

// An import into an archive whose index is empty (a new archive, or gen)
// has FTS5 merge the index's segments sixty-four at a time rather than
// four (crisismerge, with automerge off), and merges the whole index into
// one segment at the end, as kurultai archive optimize does: the same
// index in fewer passes over it, the last of them over this import's rows
// alone. FTS5 alone indexed the paragraphs of the 1,000,000-paragraph
// reference archive in 34.3 s instead of 47.8 s, and 4.6 s to merge them
// (bench/fts5floor). An import into an archive with an index keeps the
// usual merging, which stays small.
func (im *Import) mergeLess() error {
	var empty bool
	if err := im.tx.QueryRowContext(im.ctx, "SELECT NOT EXISTS (SELECT 1 FROM search_runs)").Scan(&empty); err != nil || !empty {
		return err
	}
	im.merge = true
	for _, q := range []string{
		"INSERT INTO search_fts (search_fts, rank) VALUES ('automerge', 0)",
		"INSERT INTO search_fts (search_fts, rank) VALUES ('crisismerge', 64)",
	} {
		if _, err := im.tx.ExecContext(im.ctx, q); err != nil {
			return err
		}
	}
	return nil
}

// mergeIndex merges the index of an import that began with an empty one
// into one segment, and puts FTS5's merge settings back to their defaults
// for the imports that come later.
func (im *Import) mergeIndex() error {
	if !im.merge {
		return nil
	}
	for _, q := range []string{
		"INSERT INTO search_fts (search_fts) VALUES ('optimize')",
		"INSERT INTO search_fts (search_fts, rank) VALUES ('automerge', 4)",
		"INSERT INTO search_fts (search_fts, rank) VALUES ('crisismerge', 16)",
	} {
		if _, err := im.tx.ExecContext(im.ctx, q); err != nil {
			return err
		}
	}
	return nil
}

// Hash is a digest of a session's whole content. Importing a session whose
// digest matches the archive's changes nothing. Every field is written with
// its length, so that no two sessions share a digest by running fields
// together.
func Hash(s *sessions.Session) string {
	h := sha256.New()
	// Fields go through a buffer, so that the hash sees large writes.
	buf := make([]byte, 0, 64<<10)
	flush := func() {
		h.Write(buf)
		buf = buf[:0]
	}
	str := func(v string) {
		buf = binary.LittleEndian.AppendUint64(buf, uint64(len(v)))
		// A long string goes through the buffer in pieces: the digest
		// takes bytes, and converting a 60 MB paragraph would copy it.
		for len(buf)+len(v) > cap(buf) {
			n := copy(buf[len(buf):cap(buf)], v)
			buf, v = buf[:cap(buf)], v[n:]
			flush()
		}
		buf = append(buf, v...)
	}
	num := func(v int) {
		if len(buf)+8 > cap(buf) {
			flush()
		}
		buf = binary.LittleEndian.AppendUint64(buf, uint64(v))
	}
	str("kurultai session 2")
	for _, v := range []string{s.ID, s.Body, s.Date, s.Place, s.Title, s.Summary, s.Language, s.Provenance} {
		str(v)
	}
	num(s.Number)
	num(len(s.Sources))
	for _, src := range s.Sources {
		str(src.Title)
		str(src.URL)
	}
	num(len(s.Speeches))
	for _, sp := range s.Speeches {
		// A speaker by id alone: their name and its parts are kept once
		// for every session they speak in (the speakers table), so that
		// the session as the archive gives it back (a dump, a sync) has
		// the digest it was written with. The role is the speech's own.
		for _, v := range []string{sp.ID, sp.SessionID, sp.Speaker.ID, sp.Speaker.Role,
			sp.Title, sp.Language, sp.SourceURL, sp.Provenance, sp.Topic} {
			str(v)
		}
		if sp.Speaker.Party != "" || sp.Speaker.PartyName != "" || sp.Speaker.Side != "" {
			// The party and side on the day are the speech's own, where
			// the source gives them; a speech without them hashes as it
			// did before they were kept.
			for _, v := range []string{"party", sp.Speaker.Party, sp.Speaker.PartyName, sp.Speaker.Side} {
				str(v)
			}
		}
		num(sp.Order)
		num(len(sp.Paragraphs))
		for _, p := range sp.Paragraphs {
			num(p.Number)
			str(p.Heading)
			str(p.Text)
			if p.Language != "" || len(p.Lemmas) > 0 {
				// A paragraph's own language and its lemmas, where
				// the source gives them; a paragraph without them
				// hashes as it did before they were kept.
				str("lang and lemmas")
				str(p.Language)
				num(len(p.Lemmas))
				for _, l := range p.Lemmas {
					// As the archive keeps them (lemmasText).
					str(lemmaField(l.Form))
					str(lemmaField(l.Lemma))
				}
			}
		}
	}
	num(len(s.Proposals))
	for _, p := range s.Proposals {
		for _, v := range []string{p.ID, p.SessionID, p.Title, p.Text, p.Category, p.Status, p.Provenance} {
			str(v)
		}
		num(p.Order)
		num(len(p.Timeline))
		for _, e := range p.Timeline {
			for _, v := range []string{e.Date, e.Status, e.Note, e.Source, e.Confidence} {
				str(v)
			}
		}
		num(len(p.MadeIn))
		for _, r := range p.MadeIn {
			str(r.Speech)
			num(len(r.Paragraphs))
			for _, x := range r.Paragraphs {
				num(x)
			}
		}
	}
	flush()
	return hex.EncodeToString(h.Sum(nil)[:16])
}

// Prepared is a session checked and made ready to write: validated, put in
// canonical form, digested, its words counted. Preparing is the CPU work of
// a write that needs no database, so it can run beside the writer.
type Prepared struct {
	Session *sessions.Session
	hash    string
	words   [][]int // words of each paragraph, by speech
	// spend says that nothing reads the session after it is written, so
	// the text of a huge paragraph may be dropped from it once stored.
	spend bool
}

// Prepare validates, normalises and digests a session. It changes s.
func Prepare(s *sessions.Session) (*Prepared, error) {
	if err := s.Validate(); err != nil {
		return nil, err
	}
	normalize(s)
	p := &Prepared{Session: s, hash: Hash(s), words: make([][]int, len(s.Speeches))}
	for i := range s.Speeches {
		ps := s.Speeches[i].Paragraphs
		w := make([]int, len(ps))
		for j := range ps {
			w[j] = sessions.WordCount(ps[j].Text)
		}
		p.words[i] = w
	}
	return p, nil
}

// Write validates a session and writes it: added when new, updated when its
// content changed, unchanged otherwise. source names where it came from,
// for the message when two sources hold the same session.
func (im *Import) Write(s *sessions.Session, origin, source string) (Outcome, error) {
	p, err := Prepare(s)
	if err != nil {
		return 0, err
	}
	return im.WritePrepared(p, origin, source)
}

// WritePrepared writes a prepared session, as Write does.
func (im *Import) WritePrepared(p *Prepared, origin, source string) (Outcome, error) {
	out, err := im.writePrepared(p, origin, source)
	if err == nil {
		err = im.persons(p.Session)
	}
	return out, err
}

// persons keeps what a list of persons says of the session's speakers
// (speakers.person), whether or not the session changed: a new edition of
// a corpus may change a person's record and none of their sittings. A
// session that says nothing of a speaker leaves their record alone.
func (im *Import) persons(s *sessions.Session) error {
	for i := range s.Speeches {
		sp := &s.Speeches[i].Speaker
		if sp.ID == "" || sp.Person == nil {
			continue
		}
		b, err := json.Marshal(sp.Person)
		if err != nil {
			return err
		}
		if im.person[sp.ID] == string(b) {
			continue
		}
		if _, err := im.tx.ExecContext(im.ctx, "UPDATE speakers SET person = ?1 WHERE id = ?2 AND person != ?1", string(b), sp.ID); err != nil {
			return Friendly(err)
		}
		im.person[sp.ID] = string(b)
	}
	return nil
}

func (im *Import) writePrepared(p *Prepared, origin, source string) (Outcome, error) {
	s := p.Session
	if prev, dup := im.seen[s.ID]; dup {
		if prev == "" || prev == source {
			return 0, msg.Errorf("session %s is given twice", s.ID)
		}
		return 0, msg.Errorf("session %s is given twice: in %s and in %s", s.ID, prev, source)
	}
	im.seen[s.ID] = source
	im.sinceSave = append(im.sinceSave, s.ID)
	var have string
	err := im.tx.QueryRowContext(im.ctx, "SELECT hash FROM sessions WHERE id = ?", s.ID).Scan(&have)
	exists := err == nil
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return 0, Friendly(err)
	}
	if exists && have == p.hash {
		im.Counts.Unchanged++
		return Unchanged, nil
	}
	batch, err := im.ensureBatch()
	if err != nil {
		return 0, err
	}
	im.noteSource(source)
	var pr *prior
	if exists {
		if pr, err = readPrior(im.ctx, im.tx, s.ID); err != nil {
			return 0, msg.Errorf("reading session %s as it was: %v", s.ID, Friendly(err))
		}
	}
	if err := im.w.session(im.ctx, s, origin, p.hash, p.words, im.speakers, p.spend, planBatches(s, sourcesJSON(s), pr, batch), batch); err != nil {
		return 0, im.explain(s.ID, err)
	}
	if exists {
		im.Counts.Updated++
		return Updated, nil
	}
	im.Counts.Added++
	return Added, nil
}

// idError carries the record whose insert failed.
type idError struct {
	kind, id string
	err      error
}

func (e *idError) Error() string { return fmt.Sprintf("%s %s: %v", e.kind, e.id, e.err) }
func (e *idError) Unwrap() error { return e.err }

// explain turns a failed write into words: above all, an id that another
// session already uses.
func (im *Import) explain(session string, err error) error {
	var ie *idError
	var se sqlite3.Error
	if errors.As(err, &ie) && errors.As(err, &se) && se.Code == sqlite3.ErrConstraint {
		table := "speeches"
		if ie.kind == "proposal" {
			table = "proposals"
		}
		var owner string
		im.tx.QueryRowContext(im.ctx, "SELECT session_id FROM "+table+" WHERE id = ?", ie.id).Scan(&owner)
		if owner != "" && owner != session {
			return msg.Errorf("session %s: %v id %s is already used by session %s", session, sessions.KindWord(ie.kind), ie.id, owner)
		}
		return msg.Errorf("session %s: %v id %s is used twice", session, sessions.KindWord(ie.kind), ie.id)
	}
	return msg.Errorf("writing session %s: %v", session, Friendly(err))
}

// Savepoint marks a place that RollbackTo can return to, so that one bad
// source can be dropped while the rest of the import goes on.
func (im *Import) Savepoint() error {
	im.savedCounts, im.sinceSave = im.Counts, nil
	im.savedRemoved, im.savedBatch, im.savedSources = im.Removed, im.batch, len(im.sources)
	// The words counted so far belong before the savepoint.
	if err := im.w.index.words.flush(im.ctx); err != nil {
		return Friendly(err)
	}
	_, err := im.tx.ExecContext(im.ctx, "SAVEPOINT source")
	return Friendly(err)
}

// Release keeps what was written since the savepoint.
func (im *Import) Release() error {
	_, err := im.tx.ExecContext(im.ctx, "RELEASE source")
	return Friendly(err)
}

// RollbackTo drops what was written since the savepoint, with its sessions
// and counts.
func (im *Import) RollbackTo() error {
	if _, err := im.tx.ExecContext(im.ctx, "ROLLBACK TO source"); err != nil {
		return Friendly(err)
	}
	_, err := im.tx.ExecContext(im.ctx, "RELEASE source")
	im.Counts = im.savedCounts
	// A batch made since the savepoint is gone with it (and, never
	// seen, its number may be given again).
	im.Removed, im.batch, im.sources = im.savedRemoved, im.savedBatch, im.sources[:im.savedSources]
	for _, id := range im.sinceSave {
		delete(im.seen, id)
	}
	im.sinceSave = nil
	// Speakers written after the savepoint are gone again, and so are
	// the search keys and rowids given out since.
	im.speakers, im.person = map[string]bool{}, map[string]string{}
	im.w.index.forget()
	return Friendly(err)
}

// Commit makes the import visible, all of it at once.
func (im *Import) Commit() error {
	if im.done {
		return msg.New("import already finished")
	}
	im.done = true
	err := im.w.countTouched(im.ctx)
	if err == nil {
		err = im.w.index.bump(im.ctx)
	}
	if err == nil {
		err = im.mergeIndex()
	}
	if err == nil && im.batch != 0 {
		_, err = im.tx.ExecContext(im.ctx, "UPDATE batches SET added = ?, changed = ?, removed = ?, source = ? WHERE id = ?",
			im.Counts.Added, im.Counts.Updated, im.Removed, sourceLine(im.sources), im.batch)
	}
	im.w.close()
	if err != nil {
		im.tx.Rollback()
		im.release()
		return Friendly(err)
	}
	err = im.tx.Commit()
	im.release()
	return Friendly(err)
}

// Rollback abandons the import; the archive stays as it was. It is safe to
// call after Commit.
func (im *Import) Rollback() {
	if im.done {
		return
	}
	im.done = true
	im.w.close()
	im.tx.Rollback()
	im.release()
}

// normalize puts a session in the form the archive reads it back in:
// speeches and proposals in order, a proposal's status from its timeline,
// and its references grouped by speech in speech order, each paragraph
// once. A session and its dump then have the same digest.
func normalize(s *sessions.Session) {
	sort.SliceStable(s.Speeches, func(i, j int) bool {
		a, b := s.Speeches[i], s.Speeches[j]
		return a.Order < b.Order || a.Order == b.Order && a.ID < b.ID
	})
	sort.SliceStable(s.Proposals, func(i, j int) bool {
		a, b := s.Proposals[i], s.Proposals[j]
		return a.Order < b.Order || a.Order == b.Order && a.ID < b.ID
	})
	rank := make(map[string]int, len(s.Speeches))
	for i := range s.Speeches {
		rank[s.Speeches[i].ID] = i
		if len(s.Speeches[i].Paragraphs) == 0 {
			s.Speeches[i].Paragraphs = nil
		}
	}
	if len(s.Sources) == 0 {
		s.Sources = nil
	}
	for i := range s.Proposals {
		p := &s.Proposals[i]
		p.Status = p.CurrentStatus()
		if len(p.MadeIn) == 0 {
			p.MadeIn = nil
			continue
		}
		paras := map[string]map[int]bool{}
		for _, r := range p.MadeIn {
			if paras[r.Speech] == nil {
				paras[r.Speech] = map[int]bool{}
			}
			for _, n := range r.Paragraphs {
				paras[r.Speech][n] = true
			}
		}
		var refs []sessions.ParagraphRef
		for sp, set := range paras {
			ref := sessions.ParagraphRef{Speech: sp}
			for n := range set {
				ref.Paragraphs = append(ref.Paragraphs, n)
			}
			sort.Ints(ref.Paragraphs)
			if len(ref.Paragraphs) > 0 {
				refs = append(refs, ref)
			}
		}
		sort.Slice(refs, func(a, b int) bool {
			ra, rb := rank[refs[a].Speech], rank[refs[b].Speech]
			return ra < rb || ra == rb && refs[a].Speech < refs[b].Speech
		})
		p.MadeIn = refs
	}
}

// removeOrigin removes the sessions of an origin that keep does not hold,
// each with all its rows, as the import's removals.
func (im *Import) removeOrigin(origin string, keep map[string]bool) error {
	ids, err := columnStrings(im.ctx, im.tx, "SELECT id FROM sessions WHERE origin = ? ORDER BY id", origin)
	if err != nil {
		return Friendly(err)
	}
	for _, id := range ids {
		if keep[id] {
			continue
		}
		if _, err := im.RemoveSession(id); err != nil {
			return err
		}
	}
	return nil
}

// RemoveSession removes a session with all its rows, and records it as
// removed in the import's batch. It reports whether there was one.
func (im *Import) RemoveSession(id string) (bool, error) {
	var title string
	err := im.tx.QueryRowContext(im.ctx, "SELECT title FROM sessions WHERE id = ?", id).Scan(&title)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, Friendly(err)
	}
	batch, err := im.ensureBatch()
	if err != nil {
		return false, err
	}
	if err := im.w.delete(im.ctx, id); err != nil {
		return false, Friendly(err)
	}
	if err := im.w.exec(im.ctx, "removed", batch, "session", id, id, title); err != nil {
		return false, Friendly(err)
	}
	im.Removed++
	return true, nil
}
