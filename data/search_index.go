package data

import (
	"context"
	"database/sql"
	"strconv"
	"strings"

	"kurultai/sessions"
	"kurultai/sessions/msg"
)

// The search index: see migrations/0005_search_rows.sql for its layout.

// runKind is what the rows of a run are. Speech and proposal titles are
// one kind to a reader (title) but are told apart to find their document.
type runKind uint8

const (
	runSpeech runKind = 1 + iota
	runProposal
	runSession
	runSpeechTitle
	runProposalTitle
	runSpeaker
	runTimeline
)

// The kinds of result, as the kind: field and the kind facet name them,
// in the order the facet lists them.
const (
	// KindSpeech and KindProposal are those of read.go.
	KindSession  = "session"
	KindTitle    = "title"
	KindSpeaker  = "speaker"
	KindTimeline = "timeline"
)

// Kinds lists the kinds of result in a fixed order.
var Kinds = []string{KindSpeech, KindProposal, KindSession, KindTitle, KindSpeaker, KindTimeline}

// kind is the kind of result a run's rows are.
func (k runKind) kind() string {
	switch k {
	case runSpeech:
		return KindSpeech
	case runProposal:
		return KindProposal
	case runSession:
		return KindSession
	case runSpeechTitle, runProposalTitle:
		return KindTitle
	case runSpeaker:
		return KindSpeaker
	case runTimeline:
		return KindTimeline
	}
	return ""
}

// kindTag is the token of a kind in the tags column.
func kindTag(kind string) string {
	for i, k := range Kinds {
		if k == kind {
			return "k" + strconv.Itoa(i+1)
		}
	}
	return ""
}

// dateShift places a row's date above the number given out within it.
const dateShift = 32

// undatedBlock holds the rows that have no date: speakers' names.
const undatedBlock = 0

// dateBlock turns a date (YYYY-MM-DD, YYYY-MM or YYYY) into the number
// whose rows it holds, YYYYMMDD. A date known only to its month or year
// counts as the first day of it: 2026-03 as 2026-03-01, 2026 as
// 2026-01-01. Anything else (which the importer does not let in) goes
// first, in block 1.
func dateBlock(date string) int64 {
	if sessions.ValidPartialDate(date) != nil {
		return 1
	}
	return dayNumber(date)
}

// dayNumber reads YYYY[-MM[-DD]] as YYYYMMDD, a missing month or day
// being the first. It does not check the day: to:2025-11 is given as
// 2025-11-31, which still compares right.
func dayNumber(date string) int64 {
	n := func(s string) int64 { v, _ := strconv.Atoi(s); return int64(v) }
	b := n(date[:4])*10000 + 101
	if len(date) >= 7 {
		b += (n(date[5:7]) - 1) * 100
	}
	if len(date) == 10 {
		b += n(date[8:10]) - 1
	}
	return b
}

// dateRange is the rowids of the dates from..to (YYYY-MM-DD; either may
// be empty). Undated rows are never within a range.
func dateRange(from, to string) (lo, hi int64) {
	lo, hi = 0, 1<<62
	if from != "" || to != "" {
		lo = 10000 << dateShift // year 1
	}
	if from != "" {
		lo = max(lo, dayNumber(from)<<dateShift)
	}
	if to != "" {
		hi = (dayNumber(to)+1)<<dateShift - 1
	}
	return lo, hi
}

// indexer writes search rows within an import's transaction.
type indexer struct {
	tx     *sql.Tx
	next   map[int64]int64 // date block -> the next rowid to give out
	keys   map[string]int64
	kazakh map[int64]bool // language keys that are Kazakh
	vocab  *kazakhVocab   // the Cyrillic words of Kazakh rows, for kazakh_words
	dirty  bool
	// narrow is an index of before migration 8, without the key and
	// exact columns: the migrations before it write to one.
	narrow, checked bool
	// lemmas says whether paragraphs have the lemmas column (migration
	// 9); the index of an archive being upgraded is written before it.
	lemmas bool
	// words counts the words of the running text written (and, less,
	// removed) since the last flush, for word_counts (migration 11);
	// counting says whether the archive has that table yet.
	words *wordTally
	stmts map[string]*sql.Stmt // prepared in tx, which closes them
}

// exec runs a statement the indexer runs often, prepared once in its
// transaction: preparing it for every row cost a tenth of an import.
func (x *indexer) exec(ctx context.Context, query string, args ...any) error {
	st, ok := x.stmts[query]
	if !ok {
		var err error
		if st, err = x.tx.PrepareContext(ctx, query); err != nil {
			return err
		}
		if x.stmts == nil {
			x.stmts = map[string]*sql.Stmt{}
		}
		x.stmts[query] = st
	}
	return execShort(ctx, st, args...)
}

func newIndexer(tx *sql.Tx) *indexer {
	return &indexer{tx: tx, next: map[int64]int64{}, keys: map[string]int64{}, kazakh: map[int64]bool{}, vocab: newKazakhVocab(),
		words: newWordTally(tx)}
}

// forget drops what the indexer remembers of the transaction, after a
// rollback to a savepoint.
func (x *indexer) forget() {
	x.next, x.keys, x.kazakh, x.vocab = map[int64]int64{}, map[string]int64{}, map[int64]bool{}, newKazakhVocab()
	x.words.forget()
}

// isNarrow reports whether the index lacks the columns of migration 8.
func (x *indexer) isNarrow(ctx context.Context) (bool, error) {
	if !x.checked {
		var n int
		if err := x.tx.QueryRowContext(ctx, "SELECT count(*) FROM pragma_table_info('search_fts') WHERE name = 'exact'").Scan(&n); err != nil {
			return false, err
		}
		x.narrow, x.checked = n == 0, true
		if err := x.tx.QueryRowContext(ctx, "SELECT count(*) FROM pragma_table_info('paragraphs') WHERE name = 'lemmas'").Scan(&n); err != nil {
			return false, err
		}
		x.lemmas = n > 0
	}
	return x.narrow, nil
}

// isKazakh reports whether a language key is Kazakh's.
func (x *indexer) isKazakh(ctx context.Context, key int64) (bool, error) {
	if key == 0 {
		return false, nil
	}
	if k, ok := x.kazakh[key]; ok {
		return k, nil
	}
	var lang string
	if err := x.tx.QueryRowContext(ctx, "SELECT value FROM search_keys WHERE id = ?", key).Scan(&lang); err != nil {
		return false, err
	}
	x.kazakh[key] = IsKazakh(lang)
	return x.kazakh[key], nil
}

// alloc gives out n consecutive rowids in a date's block.
func (x *indexer) alloc(ctx context.Context, block int64, n int) (int64, error) {
	next, ok := x.next[block]
	if !ok {
		lo, hi := block<<dateShift, (block+1)<<dateShift
		var top sql.NullInt64
		if err := x.tx.QueryRowContext(ctx, "SELECT max(stop) FROM search_runs WHERE start >= ? AND start < ?", lo, hi).Scan(&top); err != nil {
			return 0, err
		}
		next = lo + 1
		if top.Valid {
			next = top.Int64 + 1
		}
	}
	if next+int64(n) >= (block+1)<<dateShift {
		return 0, msg.Errorf("the search index has no room left for the date %d", block)
	}
	x.next[block] = next + int64(n)
	return next, nil
}

// key gives the number that stands for a session, speaker or language in
// the tags column.
func (x *indexer) key(ctx context.Context, kind, value string) (int64, error) {
	if value == "" {
		return 0, nil
	}
	k := kind + "\x00" + value
	if id, ok := x.keys[k]; ok {
		return id, nil
	}
	var id int64
	err := x.tx.QueryRowContext(ctx, "SELECT id FROM search_keys WHERE kind = ? AND value = ?", kind, value).Scan(&id)
	if err == sql.ErrNoRows {
		var res sql.Result
		if res, err = x.tx.ExecContext(ctx, "INSERT INTO search_keys (kind, value) VALUES (?, ?)", kind, value); err == nil {
			id, err = res.LastInsertId()
		}
	}
	if err != nil {
		return 0, err
	}
	x.keys[k] = id
	return id, nil
}

// run is a block of search rows.
type run struct {
	start, stop            int64
	kind                   runKind
	doc                    int64
	session, speaker, lang int64
	ref                    string
	first                  int
	people
}

// people are the keys of what a speech's runs say of its speaker on the
// day: party (short and full name), role, gender and side; 0 for none.
type people struct {
	party, partyName, role, gender, side int64
}

// tags is the tags column of the run's rows.
func (r *run) tags() string {
	t := kindTag(r.kind.kind())
	if r.session != 0 {
		t += " s" + strconv.FormatInt(r.session, 10)
	}
	if r.speaker != 0 {
		t += " p" + strconv.FormatInt(r.speaker, 10)
	}
	for _, k := range []struct {
		tag string
		key int64
	}{{" g", r.party}, {" g", r.partyName}, {" r", r.role}, {" x", r.gender}, {" o", r.side}} {
		if k.key != 0 {
			t += k.tag + strconv.FormatInt(k.key, 10)
		}
	}
	return t + " l" + strconv.FormatInt(r.lang, 10)
}

func (x *indexer) addRun(ctx context.Context, r *run) error {
	x.dirty = true
	narrow, err := x.isNarrow(ctx)
	if err != nil {
		return err
	}
	if narrow {
		return x.exec(ctx, `INSERT INTO search_runs (start, stop, kind, doc, session, speaker, lang, ref, first)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, r.start, r.stop, r.kind, r.doc, r.session, r.speaker, r.lang, r.ref, r.first)
	}
	return x.exec(ctx, `INSERT INTO search_runs (start, stop, kind, doc, session, speaker, lang, ref, first, party, party_name, role, gender, side)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, r.start, r.stop, r.kind, r.doc, r.session, r.speaker, r.lang, r.ref, r.first,
		r.party, r.partyName, r.role, r.gender, r.side)
}

// speechPeople gives the keys of what a speech says of its speaker on the
// day (see people).
func (x *indexer) speechPeople(ctx context.Context, sp *sessions.Speech) (people, error) {
	var p people
	var err error
	for _, k := range []struct {
		kind, value string
		key         *int64
	}{
		{"party", sp.Speaker.Party, &p.party}, {"party_name", sp.Speaker.PartyName, &p.partyName},
		{"role", sp.Speaker.Role, &p.role}, {"gender", strings.ToUpper(sp.Speaker.Gender), &p.gender}, {"side", sp.Speaker.Side, &p.side},
	} {
		if *k.key, err = x.key(ctx, k.kind, k.value); err != nil {
			return p, err
		}
	}
	if p.partyName == p.party {
		p.partyName = 0
	}
	return p, nil
}

// row is the text of one search row, by column.
type row struct {
	body, heading, title, name, place, source string
}

func (x *indexer) insert(ctx context.Context, id int64, r *run, c row) error {
	narrow, err := x.isNarrow(ctx)
	if err != nil {
		return err
	}
	if err := x.words.text(ctx, c.body, 1); err != nil {
		return err
	}
	f := FoldAccents
	if narrow {
		_, err = x.tx.ExecContext(ctx, `INSERT INTO search_fts (rowid, body, heading, title, name, place, source, tags)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, id, f(c.body), f(c.heading), f(c.title), f(c.name), f(c.place), f(c.source), r.tags())
		return err
	}
	kazakh, err := x.isKazakh(ctx, r.lang)
	if err != nil {
		return err
	}
	lat, exact := rowColumns(x.vocab, kazakh, c.body, c.heading, c.title, c.name, c.place, c.source)
	return x.exec(ctx, `INSERT INTO search_fts (rowid, body, heading, title, name, place, source, tags, klat, exact)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, id, f(c.body), f(c.heading), f(c.title), f(c.name), f(c.place), f(c.source), r.tags(),
		lat, exact)
}

// insertParagraphs writes the rows of a run of speech paragraphs, whose
// ids are the rows' rowids. With paras, the paragraphs as they were just
// stored, the rows that the fold and the keys leave as written are
// copied from the stored paragraphs many to a statement, and only the
// others are written one by one; without, every row is read from the
// stored paragraphs through kurultai's SQL functions.
func (x *indexer) insertParagraphs(ctx context.Context, r *run, paras []sessions.Paragraph) error {
	narrow, err := x.isNarrow(ctx)
	if err != nil {
		return err
	}
	// The words of the paragraphs as they were just stored; those of a
	// huge one were counted as it was written (writeHuge), and the
	// paragraphs of a session rebuilt from its records are read back.
	if int64(len(paras)) == r.stop-r.start+1 {
		for i := range paras {
			if len(paras[i].Text)+len(paras[i].Heading) >= hugeText {
				continue
			}
			if err := x.words.text(ctx, paras[i].Text, 1); err != nil {
				return err
			}
		}
	} else if err := x.words.run(ctx, r, 1); err != nil {
		return err
	}
	if narrow {
		_, err := x.tx.ExecContext(ctx, `INSERT INTO search_fts (rowid, body, heading, tags)
			SELECT id, kurultai_fold(text), kurultai_fold(heading), ? FROM paragraphs WHERE id BETWEEN ? AND ?`, r.tags(), r.start, r.stop)
		return err
	}
	kazakh, err := x.isKazakh(ctx, r.lang)
	if err != nil {
		return err
	}
	tags := r.tags()
	if int64(len(paras)) != r.stop-r.start+1 || !inMemory(paras) {
		keys := "NULL"
		if kazakh {
			h := vocabNext.Add(1)
			vocabs.Store(h, x.vocab)
			defer vocabs.Delete(h)
			keys = "kurultai_kk(" + strconv.FormatInt(h, 10) + ", text, heading)"
		}
		if x.lemmas {
			keys = "kurultai_lemmas(" + keys + ", lemmas)"
		}
		_, err = x.tx.ExecContext(ctx, `INSERT INTO search_fts (rowid, body, heading, tags, klat, exact)
			SELECT id, kurultai_fold(text), kurultai_fold(heading), ?, `+keys+`, kurultai_exact(text, heading)
			FROM paragraphs WHERE id BETWEEN ? AND ?`, tags, r.start, r.stop)
		return err
	}
	// The rows that the fold and the keys leave as written go in one
	// to a statement, from the text in hand: an INSERT of many rows
	// opens a statement journal, and FTS5 writes out the terms it holds
	// in memory at each one (its xSavepoint), which left the index
	// thousands of small segments to merge.
	plain := func(from, to int64) error {
		for id := from; id <= to; id++ {
			p := &paras[id-r.start]
			if err := x.exec(ctx, `INSERT INTO search_fts (rowid, body, heading, tags) VALUES (?, ?, ?, ?)`, id, p.Text, p.Heading, tags); err != nil {
				return err
			}
		}
		return nil
	}
	from := r.start
	for i := range paras {
		p := &paras[i]
		id := r.start + int64(i)
		lat, exact := rowColumns(x.vocab, kazakh, p.Text, p.Heading)
		if len(p.Lemmas) > 0 {
			var b []byte
			if l, ok := lat.(string); ok {
				b = append(b, l...)
			}
			for _, l := range p.Lemmas {
				b = appendLemmaWords(b, l.Lemma)
			}
			lat = nullBytes(b)
		}
		if lat == nil && exact == nil && !foldChanges(p.Text) && !foldChanges(p.Heading) {
			continue
		}
		if err := plain(from, id-1); err != nil {
			return err
		}
		from = id + 1
		err := x.exec(ctx, `INSERT INTO search_fts (rowid, body, heading, tags, klat, exact) VALUES (?, ?, ?, ?, ?, ?)`,
			id, FoldAccents(p.Text), FoldAccents(p.Heading), tags, lat, exact)
		if err != nil {
			return err
		}
	}
	return plain(from, r.stop)
}

// flushVocab writes the Kazakh words gathered so far.
func (x *indexer) flushVocab(ctx context.Context) error {
	if x.words.full() {
		if err := x.words.flush(ctx); err != nil {
			return err
		}
	}
	if narrow, err := x.isNarrow(ctx); narrow || err != nil {
		return err
	}
	return x.vocab.flush(ctx, x.tx)
}

// single writes a run of one row.
func (x *indexer) single(ctx context.Context, r run, c row) error {
	if r.doc == 0 && r.kind != runSpeaker {
		r.doc = r.start
	}
	r.stop = r.start
	if err := x.insert(ctx, r.start, &r, c); err != nil {
		return err
	}
	return x.addRun(ctx, &r)
}

// dropSession removes the search rows of a session.
func (x *indexer) dropSession(ctx context.Context, id string) error {
	var key int64
	err := x.tx.QueryRowContext(ctx, "SELECT id FROM search_keys WHERE kind = 'session' AND value = ?", id).Scan(&key)
	if err == sql.ErrNoRows {
		return nil
	}
	if err != nil {
		return err
	}
	return x.dropRuns(ctx, "session = ?", key)
}

// dropRuns removes the runs that where selects, and their rows.
func (x *indexer) dropRuns(ctx context.Context, where string, args ...any) error {
	runs, err := textRuns(ctx, x.tx, where, args...)
	if err != nil {
		return err
	}
	for i := range runs {
		r := &runs[i]
		x.dirty = true
		// The words of its text are taken from the counts, read from
		// the records, which are still there.
		if err := x.words.run(ctx, r, -1); err != nil {
			return err
		}
		if _, err := x.tx.ExecContext(ctx, "DELETE FROM search_fts WHERE rowid BETWEEN ? AND ?", r.start, r.stop); err != nil {
			return err
		}
		if _, err := x.tx.ExecContext(ctx, "DELETE FROM search_runs WHERE start = ?", r.start); err != nil {
			return err
		}
	}
	return nil
}

// speaker writes the row of a speaker's name, replacing any before it.
func (x *indexer) speaker(ctx context.Context, sp sessions.Speaker) error {
	if err := x.dropRuns(ctx, "ref = ? AND kind = ?", sp.ID, runSpeaker); err != nil {
		return err
	}
	key, err := x.key(ctx, "speaker", sp.ID)
	if err != nil {
		return err
	}
	id, err := x.alloc(ctx, undatedBlock, 1)
	if err != nil {
		return err
	}
	return x.single(ctx, run{start: id, kind: runSpeaker, speaker: key, ref: sp.ID}, row{name: sp.Name})
}

// plannedSession is where a session's rows go, worked out before its
// paragraphs are written, since a speech paragraph's id is its rowid.
type plannedSession struct {
	key, lang int64
	record    int64 // the session's own row
	speeches  []plannedSpeech
}

type plannedSpeech struct {
	title      int64 // 0 when the speech has neither title nor topic
	first      int64 // the first paragraph's rowid
	speaker    int64
	lang       int64
	paragraphs int
	people
}

// plan gives out the rowids of a session's record, its speeches' titles
// and its speech paragraphs, in the order the reader shows them.
func (x *indexer) plan(ctx context.Context, s *sessions.Session) (*plannedSession, error) {
	n := 1
	for i := range s.Speeches {
		sp := &s.Speeches[i]
		if sp.Title != "" || sp.Topic != "" {
			n++
		}
		n += len(sp.Paragraphs)
	}
	block := dateBlock(s.Date)
	next, err := x.alloc(ctx, block, n)
	if err != nil {
		return nil, err
	}
	p := &plannedSession{record: next}
	if p.key, err = x.key(ctx, "session", s.ID); err != nil {
		return nil, err
	}
	if p.lang, err = x.key(ctx, "lang", s.Language); err != nil {
		return nil, err
	}
	next++
	for i := range s.Speeches {
		sp := &s.Speeches[i]
		ps := plannedSpeech{paragraphs: len(sp.Paragraphs)}
		if sp.Title != "" || sp.Topic != "" {
			ps.title = next
			next++
		}
		ps.first = next
		next += int64(len(sp.Paragraphs))
		if ps.speaker, err = x.key(ctx, "speaker", sp.Speaker.ID); err != nil {
			return nil, err
		}
		if ps.people, err = x.speechPeople(ctx, sp); err != nil {
			return nil, err
		}
		ps.lang = p.lang
		if sp.Language != "" {
			if ps.lang, err = x.key(ctx, "lang", sp.Language); err != nil {
				return nil, err
			}
		}
		p.speeches = append(p.speeches, ps)
	}
	return p, nil
}

// index writes the search rows of a session whose records and speech
// paragraphs are written: the paragraphs' rows are read from the stored
// paragraphs, so that a huge paragraph's text is not bound twice.
func (x *indexer) index(ctx context.Context, s *sessions.Session, p *plannedSession) error {
	err := x.single(ctx, run{start: p.record, kind: runSession, session: p.key, lang: p.lang, ref: s.ID},
		row{title: s.Title, place: s.Place, body: s.Summary})
	if err != nil {
		return err
	}
	for i := range s.Speeches {
		sp, ps := &s.Speeches[i], &p.speeches[i]
		doc := ps.first
		if ps.title != 0 {
			doc = ps.title
			err := x.single(ctx, run{start: ps.title, kind: runSpeechTitle, doc: doc, session: p.key, speaker: ps.speaker, lang: ps.lang, ref: sp.ID,
				people: ps.people}, row{title: sp.Title, heading: sp.Topic})
			if err != nil {
				return err
			}
		}
		if ps.paragraphs == 0 {
			continue
		}
		// A run for each stretch of paragraphs in one language: a
		// paragraph in a language of its own is filed under it.
		// (A session rebuilt from its records comes without its
		// paragraphs, from before paragraphs had languages.)
		paraLang := func(i int) string {
			if i < len(sp.Paragraphs) {
				return sp.Paragraphs[i].Language
			}
			return ""
		}
		for from := 0; from < ps.paragraphs; {
			to := from + 1
			for to < ps.paragraphs && paraLang(to) == paraLang(from) {
				to++
			}
			lang := ps.lang
			if l := paraLang(from); l != "" {
				var err error
				if lang, err = x.key(ctx, "lang", l); err != nil {
					return err
				}
			}
			r := run{start: ps.first + int64(from), stop: ps.first + int64(to) - 1, kind: runSpeech, doc: doc,
				session: p.key, speaker: ps.speaker, lang: lang, ref: sp.ID, first: from + 1, people: ps.people}
			paras := sp.Paragraphs
			if len(paras) == ps.paragraphs {
				paras = paras[from:to]
			}
			if err := x.insertParagraphs(ctx, &r, paras); err != nil {
				return err
			}
			if err := x.addRun(ctx, &r); err != nil {
				return err
			}
			from = to
		}
	}
	for i := range s.Proposals {
		if err := x.proposal(ctx, s, &s.Proposals[i], p); err != nil {
			return err
		}
	}
	return x.flushVocab(ctx)
}

// proposal writes a proposal's title, its paragraphs and its timeline.
func (x *indexer) proposal(ctx context.Context, s *sessions.Session, pr *sessions.Proposal, p *plannedSession) error {
	paras := sessions.SplitParagraphs(pr.Text)
	block := dateBlock(s.Date)
	start, err := x.alloc(ctx, block, 1+len(paras))
	if err != nil {
		return err
	}
	base := run{session: p.key, lang: p.lang, ref: pr.ID, doc: start}
	t := base
	t.start, t.kind = start, runProposalTitle
	if err := x.single(ctx, t, row{title: pr.Title, heading: pr.Category}); err != nil {
		return err
	}
	if len(paras) > 0 {
		r := base
		r.start, r.stop, r.kind, r.first = start+1, start+int64(len(paras)), runProposal, paras[0].Number
		for i, para := range paras {
			if err := x.insert(ctx, r.start+int64(i), &r, row{body: para.Text, heading: para.Heading}); err != nil {
				return err
			}
		}
		if err := x.addRun(ctx, &r); err != nil {
			return err
		}
	}
	for seq, e := range pr.Timeline {
		block := dateBlock(e.Date)
		if e.Date == "" {
			block = dateBlock(s.Date)
		}
		id, err := x.alloc(ctx, block, 1)
		if err != nil {
			return err
		}
		r := base
		r.start, r.kind, r.first = id, runTimeline, seq+1
		if err := x.single(ctx, r, row{heading: e.Status, body: e.Note, source: e.Source}); err != nil {
			return err
		}
	}
	return nil
}

// bump tells readers that the index changed, for the runs they keep.
func (x *indexer) bump(ctx context.Context) error {
	if err := x.words.flush(ctx); err != nil {
		return err
	}
	if !x.dirty {
		return nil
	}
	x.dirty = false
	_, err := x.tx.ExecContext(ctx, `INSERT INTO meta (key, value) VALUES ('search_generation', '1')
		ON CONFLICT (key) DO UPDATE SET value = CAST(value AS INTEGER) + 1`)
	return err
}
