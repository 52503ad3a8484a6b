package data

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"
	"unicode"

	"kurultai/sessions"
	"kurultai/sessions/msg"
)

// The upgrade of an archive made by an older kurultai (schema 4: the search
// index of 0003_search.sql, kept by triggers) to schema 5, tested against a
// real schema-4 file: made with the SQL of migrations 1–4 exactly as
// migrate applied it, and filled with plain SQL INSERTs as the old writer
// did (paragraph ids given out by SQLite, the old triggers filling para_fts
// and meta_fts).
//
// Search results after the upgrade are checked against an independent
// model (upgradeModel): a scan, in Go, of the words of every row there can
// be a result for, made from the sessions inserted. It reads nothing of the
// index and takes from the code under test only ParseQuery.

// upgradeOldVersion is the schema the old kurultai made.
const upgradeOldVersion = 4

// upgradeChanged is the session that TestUpgradeThenImport imports again,
// changed; it holds upgradeOldWord, which the change replaces with
// upgradeNewWord.
const (
	upgradeChanged  = "gen-00002"
	upgradeOldWord  = "upgrademarkerold"
	upgradeNewWord  = "upgrademarkernew"
	upgradeNewEntry = "upgrade-new-1"
)

// upgradeCorpus is the records of the test archive: the built-in sample and
// a few generated sessions, adjusted so that there are speeches in another
// language than their session's or in none (inheriting it), topics,
// speeches without a title row, a speech without paragraphs, a proposal
// without text and a timeline event known only to its year. Every session
// is validated and put in canonical form (normalize) as the importer
// would, so that the records read back compare equal. It gives a new copy
// each time: the writer changes what it is given.
func upgradeCorpus(t testing.TB) []sessions.Session {
	t.Helper()
	all, err := sessions.Sample()
	if err != nil {
		t.Fatal(err)
	}
	err = sessions.Generate(sessions.GenOptions{Paragraphs: 900, Sessions: 7, Seed: 20220616}, func(s *sessions.Session) error {
		all = append(all, *s)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	other := map[string]string{"kk": "ru", "ru": "en", "en": "kk"}
	for i := range all {
		s := &all[i]
		if !strings.HasPrefix(s.ID, "gen-") {
			continue
		}
		for j := range s.Speeches {
			sp := &s.Speeches[j]
			switch j % 4 {
			case 1:
				sp.Language = other[s.Language]
			case 2:
				sp.Language = "" // the session's
			}
			if j%3 == 0 {
				sp.Topic = fmt.Sprintf("Education reform, part %d", j)
			}
			if j%5 == 4 && sp.Topic == "" {
				sp.Title = "" // no title row
			}
		}
		switch s.ID {
		case upgradeChanged:
			sp := &s.Speeches[0]
			sp.Paragraphs = append(sp.Paragraphs, sessions.Paragraph{Number: len(sp.Paragraphs) + 1,
				Heading: "Closing " + upgradeOldWord, Text: "The " + upgradeOldWord + " is said twice: " + upgradeOldWord + "."})
			sp.Topic = "Topic " + upgradeOldWord
			s.Proposals = append(s.Proposals, sessions.Proposal{ID: s.ID + "/p-marker", SessionID: s.ID, Order: 99,
				Title: "Marker proposal " + upgradeOldWord, Category: "procedure",
				Text:     "# Part one\n\nFirst " + upgradeOldWord + " paragraph.\n\nSecond paragraph, referendum.",
				Timeline: []sessions.Event{{Date: s.Date, Status: "proposed", Note: upgradeOldWord + " noted", Source: "minutes"}}})
		case "gen-00003":
			s.Speeches = append(s.Speeches, sessions.Speech{ID: s.ID + "/empty", SessionID: s.ID, Order: len(s.Speeches) + 1,
				Title: "A speech with no paragraphs on referendum", Language: "ru",
				Speaker: sessions.Speaker{ID: "tokayev", Name: "Kassym-Jomart Tokayev (Қасым-Жомарт Тоқаев)",
					Role: "President of the Republic of Kazakhstan, Chairman of the National Kurultai"}})
			s.Proposals = append(s.Proposals, sessions.Proposal{ID: s.ID + "/p-late", SessionID: s.ID, Order: 98,
				Title: "A referendum decided years later", Category: "rights",
				Timeline: []sessions.Event{{Date: s.Date, Status: "proposed"},
					{Date: "2030", Status: "adopted", Note: "decided at last", Confidence: "low"}}})
		}
	}
	for i := range all {
		if err := all[i].Validate(); err != nil {
			t.Fatal(err)
		}
		normalize(&all[i])
	}
	return all
}

// upgradeChange is the changed version of upgradeChanged: its marker
// replaced, a paragraph added, its last speech dropped.
func upgradeChange(t testing.TB, s sessions.Session) sessions.Session {
	t.Helper()
	b, _ := json.Marshal(s)
	var c sessions.Session
	if err := json.Unmarshal([]byte(strings.ReplaceAll(string(b), upgradeOldWord, upgradeNewWord)), &c); err != nil {
		t.Fatal(err)
	}
	c.Title = "Changed " + c.Title
	sp := &c.Speeches[0]
	sp.Paragraphs = append(sp.Paragraphs, sessions.Paragraph{Number: len(sp.Paragraphs) + 1, Text: "An added " + upgradeNewWord + " paragraph."})
	last := c.Speeches[len(c.Speeches)-1].ID
	c.Speeches = c.Speeches[:len(c.Speeches)-1]
	for i := range c.Proposals {
		p := &c.Proposals[i]
		p.MadeIn = slices.DeleteFunc(p.MadeIn, func(r sessions.ParagraphRef) bool { return r.Speech == last })
	}
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	normalize(&c)
	return c
}

// upgradeNewSession is a session imported into the upgraded archive.
func upgradeNewSession() sessions.Session {
	id := upgradeNewEntry
	return sessions.Session{ID: id, Body: "National Kurultai", Number: 9, Date: "2025-03-14", Place: "Burabay",
		Title: "A session imported after the upgrade", Summary: "The kurultai met again on the referendum.", Language: "kk",
		Speeches: []sessions.Speech{
			{ID: id + "/a", SessionID: id, Order: 1, Title: "Opening", Language: "kk",
				Speaker:    sessions.Speaker{ID: "tokayev", Name: "Kassym-Jomart Tokayev (Қасым-Жомарт Тоқаев)", Role: "President of the Republic of Kazakhstan, Chairman of the National Kurultai"},
				Paragraphs: sessions.SplitParagraphs("Құрылтай upgradefreshword reform.\n\n# Білім\n\nBudget and education, upgradefreshword again.")},
			{ID: id + "/b", SessionID: id, Order: 2, Language: "ru", Topic: "Парламент",
				Speaker:    sessions.Speaker{ID: "upgrade-speaker", Name: "Upgrade Newcomer"},
				Paragraphs: sessions.SplitParagraphs("Парламент и реформа.")},
		},
		Proposals: []sessions.Proposal{{ID: id + "/p1", SessionID: id, Order: 1, Title: "Upgradefreshword proposal",
			Text: "Reform of the kurultai.", Category: "parliament",
			Timeline: []sessions.Event{{Date: "2025-03-14", Status: "proposed"}, {Date: "2025-06", Status: "adopted", Note: "upgradefreshword"}}}},
	}
}

// upgradeDSN is an SQLite address for a test's own connection.
func upgradeDSN(path string, query string) string {
	abs, _ := filepath.Abs(path)
	return (&url.URL{Scheme: "file", Path: abs}).String() + "?" + query
}

// upgradeRaw opens an archive file without the checks of Open.
func upgradeRaw(t testing.TB, path string, readOnly bool) *sql.DB {
	t.Helper()
	register()
	q := "_foreign_keys=1&_busy_timeout=5000&_journal_mode=WAL"
	if readOnly {
		q = "mode=ro&_query_only=1"
	}
	db, err := sql.Open(driverName, upgradeDSN(path, q))
	if err != nil {
		t.Fatal(err)
	}
	db.SetMaxOpenConns(1)
	return db
}

// upgradeOldInsert writes a session as the schema-4 writer did: plain
// INSERTs, a paragraph's id given out by SQLite, the search rows made by
// the triggers of 0003_search.sql.
func upgradeOldInsert(ctx context.Context, tx *sql.Tx, s *sessions.Session, origin string) error {
	sources, _ := json.Marshal(s.Sources)
	if s.Sources == nil {
		sources = []byte("[]")
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO sessions (id, body, number, date, place, title, summary, language, provenance, sources, origin, hash)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, s.ID, s.Body, s.Number, s.Date, s.Place, s.Title, s.Summary,
		s.Language, s.Provenance, string(sources), origin, Hash(s)); err != nil {
		return err
	}
	for i := range s.Speeches {
		sp := &s.Speeches[i]
		var speaker any
		if sp.Speaker.ID != "" {
			speaker = sp.Speaker.ID
			if _, err := tx.ExecContext(ctx, `INSERT INTO speakers (id, name, role) VALUES (?, ?, ?)
				ON CONFLICT (id) DO UPDATE SET name = excluded.name, role = excluded.role`, sp.Speaker.ID, sp.Speaker.Name, sp.Speaker.Role); err != nil {
				return err
			}
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO speeches (id, session_id, speaker_id, ord, title, language, source_url, provenance, role, topic)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, sp.ID, s.ID, speaker, sp.Order, sp.Title, sp.Language,
			sp.SourceURL, sp.Provenance, sp.Speaker.Role, sp.Topic); err != nil {
			return err
		}
		for _, p := range sp.Paragraphs {
			if _, err := tx.ExecContext(ctx, "INSERT INTO paragraphs (speech_id, number, heading, text, words) VALUES (?, ?, ?, ?, ?)",
				sp.ID, p.Number, p.Heading, p.Text, sessions.WordCount(p.Text)); err != nil {
				return err
			}
		}
	}
	for i := range s.Proposals {
		p := &s.Proposals[i]
		if _, err := tx.ExecContext(ctx, `INSERT INTO proposals (id, session_id, ord, title, text, category, status, provenance)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, p.ID, s.ID, p.Order, p.Title, p.Text, p.Category, p.CurrentStatus(), p.Provenance); err != nil {
			return err
		}
		for seq, e := range p.Timeline {
			if _, err := tx.ExecContext(ctx, `INSERT INTO proposal_events (proposal_id, seq, date, status, note, source, confidence)
				VALUES (?, ?, ?, ?, ?, ?, ?)`, p.ID, seq+1, e.Date, e.Status, e.Note, e.Source, e.Confidence); err != nil {
				return err
			}
		}
		for _, r := range p.MadeIn {
			for _, n := range r.Paragraphs {
				if _, err := tx.ExecContext(ctx, "INSERT OR IGNORE INTO proposal_refs (proposal_id, speech_id, paragraph) VALUES (?, ?, ?)",
					p.ID, r.Speech, n); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// upgradeOldDelete removes a session as the schema-4 writer did, child
// rows first; the old triggers remove its search rows.
func upgradeOldDelete(ctx context.Context, tx *sql.Tx, id string) error {
	for _, q := range []string{
		"DELETE FROM proposal_refs WHERE proposal_id IN (SELECT id FROM proposals WHERE session_id = ?1) OR speech_id IN (SELECT id FROM speeches WHERE session_id = ?1)",
		"DELETE FROM proposal_events WHERE proposal_id IN (SELECT id FROM proposals WHERE session_id = ?1)",
		"DELETE FROM proposals WHERE session_id = ?1",
		"DELETE FROM paragraphs WHERE speech_id IN (SELECT id FROM speeches WHERE session_id = ?1)",
		"DELETE FROM speeches WHERE session_id = ?1",
		"DELETE FROM sessions WHERE id = ?1",
	} {
		if _, err := tx.ExecContext(ctx, q, id); err != nil {
			return err
		}
	}
	return nil
}

// upgradeBuildOld makes a schema-4 archive at path holding corpus: the SQL
// of migrations 1–4 applied as migrate applies it, then the sessions
// written newest first (so that the old paragraph ids are not in date
// order), and one of them imported again (so that the ids have a gap).
func upgradeBuildOld(t testing.TB, path string, corpus []sessions.Session) {
	t.Helper()
	ctx := context.Background()
	db := upgradeRaw(t, path, false)
	defer db.Close()
	inTx := func(fn func(tx *sql.Tx) error) {
		t.Helper()
		tx, err := db.BeginTx(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		if err := fn(tx); err != nil {
			tx.Rollback()
			t.Fatal(err)
		}
		if err := tx.Commit(); err != nil {
			t.Fatal(err)
		}
	}
	applied := 0
	for _, m := range migrations() {
		if m.version > upgradeOldVersion {
			continue
		}
		if m.version != applied+1 {
			t.Fatalf("migration %s follows version %d", m.name, applied)
		}
		inTx(func(tx *sql.Tx) error {
			if m.version == 1 {
				if _, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA application_id = %d", ApplicationID)); err != nil {
					return err
				}
				if _, err := tx.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
					version INTEGER PRIMARY KEY, name TEXT NOT NULL,
					applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')))`); err != nil {
					return err
				}
			}
			if _, err := tx.ExecContext(ctx, m.sql); err != nil {
				return fmt.Errorf("%s: %w", m.name, err)
			}
			_, err := tx.ExecContext(ctx, "INSERT INTO schema_migrations (version, name) VALUES (?, ?)", m.version, m.name)
			return err
		})
		applied = m.version
	}
	if applied != upgradeOldVersion {
		t.Fatalf("applied migrations up to %d, want %d", applied, upgradeOldVersion)
	}
	order := slices.Clone(corpus)
	sort.SliceStable(order, func(i, j int) bool { return order[i].Date > order[j].Date })
	inTx(func(tx *sql.Tx) error {
		for i := range order {
			origin := ""
			if strings.HasPrefix(order[i].ID, "nk-") {
				origin = sessions.SampleOrigin
			}
			if err := upgradeOldInsert(ctx, tx, &order[i], origin); err != nil {
				return fmt.Errorf("session %s: %w", order[i].ID, err)
			}
		}
		return nil
	})
	// A re-import of one session, as the old writer did it: removed whole
	// and written again under new paragraph ids.
	inTx(func(tx *sql.Tx) error {
		for i := range corpus {
			if corpus[i].ID == "nk-2" {
				if err := upgradeOldDelete(ctx, tx, corpus[i].ID); err != nil {
					return err
				}
				return upgradeOldInsert(ctx, tx, &corpus[i], sessions.SampleOrigin)
			}
		}
		return errors.New("no session nk-2")
	})
	// The old index is what the old triggers made of the records.
	var paras, fts, metaRows, metaFTS, sess, props int
	db.QueryRow("SELECT count(*) FROM paragraphs").Scan(&paras)
	db.QueryRow("SELECT count(*) FROM para_fts").Scan(&fts)
	db.QueryRow("SELECT count(*) FROM meta_rows").Scan(&metaRows)
	db.QueryRow("SELECT count(*) FROM meta_fts").Scan(&metaFTS)
	db.QueryRow("SELECT count(*) FROM sessions").Scan(&sess)
	db.QueryRow("SELECT count(*) FROM proposals").Scan(&props)
	if paras == 0 || fts != paras || metaRows != sess+props || metaFTS != metaRows {
		t.Fatalf("the schema-4 archive is not as the old kurultai made it: %d paragraphs, %d para_fts rows, %d meta_rows, %d meta_fts rows, %d sessions, %d proposals",
			paras, fts, metaRows, metaFTS, sess, props)
	}
}

// upgradeFileHash is a digest of an archive's file and of its write-ahead
// log, if that holds anything. (A read-only connection to a WAL archive
// leaves an empty -wal and a -shm beside it: SQLite's doing, not a change.)
func upgradeFileHash(t testing.TB, path string) string {
	t.Helper()
	h := sha256.New()
	for _, p := range []string{path, path + "-wal"} {
		b, err := os.ReadFile(p)
		if p != path && (errors.Is(err, os.ErrNotExist) || err == nil && len(b) == 0) {
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(h, "%s %d\n", filepath.Base(p), len(b))
		h.Write(b)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// upgradeRows reads every row of a query as text, a line a row.
func upgradeRows(t testing.TB, db *sql.DB, query string) []string {
	t.Helper()
	rows, err := db.Query(query)
	if err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	var out []string
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		for i, v := range vals {
			if b, ok := v.([]byte); ok {
				vals[i] = string(b)
			}
		}
		line, _ := json.Marshal(vals)
		out = append(out, string(line))
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// upgradeRecords are the queries whose rows an upgrade must keep as they
// are: everything but the paragraphs' ids and the search index.
var upgradeRecords = map[string]string{
	"paragraphs": "SELECT speech_id, number, heading, text, words FROM paragraphs ORDER BY speech_id, number",
	"sessions":   "SELECT id, body, number, date, place, title, summary, language, provenance, sources, origin, hash FROM sessions ORDER BY id",
	"speakers":   "SELECT id, name, role FROM speakers ORDER BY id", // the columns of schema 4; 6 adds the name parts, empty
	// The columns of schema 4; 7 adds the batch of each row, 0 for what
	// was there before.
	"speeches":        "SELECT id, session_id, speaker_id, ord, title, language, source_url, provenance, role, topic FROM speeches ORDER BY id",
	"proposals":       "SELECT id, session_id, ord, title, text, category, status, provenance FROM proposals ORDER BY id",
	"proposal_events": "SELECT proposal_id, seq, date, status, note, source, confidence FROM proposal_events ORDER BY proposal_id, seq",
	"proposal_refs":   "SELECT * FROM proposal_refs ORDER BY proposal_id, speech_id, paragraph",
	"meta":            "SELECT key, value FROM meta WHERE key <> 'search_generation' ORDER BY key",
}

func upgradeRecordsOf(t testing.TB, db *sql.DB) map[string][]string {
	t.Helper()
	out := map[string][]string{}
	for name, q := range upgradeRecords {
		out[name] = upgradeRows(t, db, q)
	}
	return out
}

func upgradeSameRecords(t *testing.T, before, after map[string][]string) {
	t.Helper()
	for name := range upgradeRecords {
		b, a := before[name], after[name]
		if len(b) == 0 {
			t.Errorf("%s: no rows before the upgrade", name)
		}
		if slices.Equal(a, b) {
			continue
		}
		t.Errorf("%s: %d rows before the upgrade, %d after", name, len(b), len(a))
		for i := 0; i < max(len(a), len(b)); i++ {
			var x, y string
			if i < len(b) {
				x = b[i]
			}
			if i < len(a) {
				y = a[i]
			}
			if x != y {
				t.Errorf("%s: first difference at row %d:\nbefore %.300s\nafter  %.300s", name, i, x, y)
				break
			}
		}
	}
}

// upgradeContentHash is a digest of the paragraphs (with their ids) and
// the sessions of an archive: what an interrupted upgrade must leave as it
// was.
func upgradeContentHash(t testing.TB, db *sql.DB) string {
	t.Helper()
	h := sha256.New()
	for _, q := range []string{
		"SELECT id, speech_id, number, heading, text, words FROM paragraphs ORDER BY id",
		upgradeRecords["sessions"],
	} {
		for _, r := range upgradeRows(t, db, q) {
			h.Write([]byte(r))
			h.Write([]byte{'\n'})
		}
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil))
}

func upgradeSchema(t testing.TB, db *sql.DB) int {
	t.Helper()
	var v int
	if err := db.QueryRow("SELECT max(version) FROM schema_migrations").Scan(&v); err != nil {
		t.Fatal(err)
	}
	return v
}

// upgradeOldObjects are the tables and triggers of the old search index
// that remain: the tables of 0003_search.sql (with FTS5's own), its
// triggers, and the paragraphs_new of a half-done rebuild.
func upgradeOldObjects(t testing.TB, db *sql.DB) []string {
	t.Helper()
	return upgradeRows(t, db, `SELECT type || ' ' || name FROM sqlite_schema
		WHERE name LIKE 'para_fts%' OR name LIKE 'meta_fts%' OR name = 'meta_rows' OR name = 'paragraphs_new'
			OR (type = 'trigger' AND name LIKE '%_fts_%') ORDER BY name`)
}

// upgradeProgress records what an upgrade tells its progress.
type upgradeProgress struct {
	calls []upgradeCall
	hook  func(stage string, done, total int)
}

type upgradeCall struct {
	stage       string
	done, total int
}

func (p *upgradeProgress) progress(step msg.Text, done, total int) {
	stage := step.String()
	p.calls = append(p.calls, upgradeCall{stage, done, total})
	if p.hook != nil {
		p.hook(stage, done, total)
	}
}

// check says whether the calls went up steadily to their end: those of
// migration 5 (renumbering, then indexing each session) and those of
// migration 8 (indexing every run again) and those of migration 11
// (counting the words of every run), each to its own total.
func (p *upgradeProgress) check(t *testing.T, sessionCount int) {
	t.Helper()
	if len(p.calls) == 0 {
		t.Fatal("the upgrade did not report its progress")
	}
	var five, eight, eleven []upgradeCall
	for _, c := range p.calls {
		switch c.stage {
		case "indexing again":
			eight = append(eight, c)
		case "counting words":
			eleven = append(eleven, c)
		default:
			five = append(five, c)
		}
	}
	if len(eight) == 0 || len(eleven) == 0 {
		t.Errorf("migration 8 or 11 did not report its progress")
	}
	for i, calls := range [][]upgradeCall{five, eight, eleven} {
		if len(calls) == 0 {
			continue
		}
		total := calls[0].total
		if total <= 0 {
			t.Errorf("progress total %d", total)
		}
		prev := 0
		var stages []string
		for i, c := range calls {
			if c.total != total {
				t.Errorf("call %d: total %d, was %d", i, c.total, total)
			}
			if c.done < prev {
				t.Errorf("call %d (%s): done went down from %d to %d", i, c.stage, prev, c.done)
			}
			if c.done < 0 || c.done > c.total {
				t.Errorf("call %d (%s): done %d of %d", i, c.stage, c.done, c.total)
			}
			if c.stage == "" {
				t.Errorf("call %d: no stage", i)
			}
			if len(stages) == 0 || stages[len(stages)-1] != c.stage {
				stages = append(stages, c.stage)
			}
			prev = c.done
		}
		if last := calls[len(calls)-1]; last.done != last.total {
			t.Errorf("progress ended at %d of %d", last.done, last.total)
		}
		// Each session is renumbered, then indexed.
		if i == 0 && total != 2*sessionCount {
			t.Errorf("progress total %d for %d sessions", total, sessionCount)
		}
		t.Logf("%d progress calls, stages %q", len(calls), stages)
	}
}

// upgradeWords adds the words of texts: runs of letters and digits.
func upgradeWords(set map[string]bool, texts ...string) {
	for _, text := range texts {
		for _, w := range strings.FieldsFunc(text, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsNumber(r) }) {
			set[exactFold(w)] = true
		}
	}
}

// upgradeRow is one row there can be a result for.
type upgradeRow struct {
	key     string // as Hit.Key gives it
	kind    string
	session string
	speaker string
	lang    string
	num     int  // the date as YYYYMMDD, a month or day not given as 01
	dated   bool // a speaker's name is not
	words   map[string]bool
	// Of a row in Kazakh, the keys of its words (see modelKeys).
	kcyr, klat []string
}

// upgradeModel is the rows of an archive, made from its sessions.
type upgradeModel struct {
	rows  []*upgradeRow
	names map[string]string // speaker id -> name
}

func upgradeDay(date string) int {
	n := [3]int{0, 1, 1}
	for i, p := range strings.Split(date, "-") {
		fmt.Sscan(p, &n[i])
	}
	return n[0]*10000 + n[1]*100 + n[2]
}

// upgradeModelOf makes the rows of an archive that holds list, and the
// names of speakers, who stay in an archive once written.
func upgradeModelOf(list []sessions.Session, speakers map[string]string) *upgradeModel {
	m := &upgradeModel{names: speakers}
	add := func(r *upgradeRow, texts ...string) {
		r.words = map[string]bool{}
		upgradeWords(r.words, texts...)
		if IsKazakh(r.lang) {
			r.kcyr, r.klat = modelKeys(texts...)
		}
		m.rows = append(m.rows, r)
	}
	for i := range list {
		s := &list[i]
		day := upgradeDay(s.Date)
		add(&upgradeRow{key: "session/" + s.ID + "/0/0", kind: KindSession, session: s.ID, lang: s.Language, num: day, dated: true},
			s.Title, s.Place, s.Summary)
		for _, sp := range s.Speeches {
			lang := sp.Language
			if lang == "" {
				lang = s.Language
			}
			base := upgradeRow{session: s.ID, speaker: sp.Speaker.ID, lang: lang, num: day, dated: true}
			if sp.Title != "" || sp.Topic != "" {
				r := base
				r.key, r.kind = "title/"+sp.ID+"/0/0", KindTitle
				add(&r, sp.Title, sp.Topic)
			}
			for _, p := range sp.Paragraphs {
				r := base
				r.key, r.kind = fmt.Sprintf("speech/%s/%d/0", sp.ID, p.Number), KindSpeech
				add(&r, p.Text, p.Heading)
			}
		}
		for _, p := range s.Proposals {
			base := upgradeRow{session: s.ID, lang: s.Language, num: day, dated: true}
			r := base
			r.key, r.kind = "title/"+p.ID+"/0/0", KindTitle
			add(&r, p.Title, p.Category)
			for _, para := range sessions.SplitParagraphs(p.Text) {
				r := base
				r.key, r.kind = fmt.Sprintf("proposal/%s/%d/0", p.ID, para.Number), KindProposal
				add(&r, para.Text, para.Heading)
			}
			for seq, e := range p.Timeline {
				r := base
				r.key, r.kind, r.num = fmt.Sprintf("timeline/%s/0/%d", p.ID, seq+1), KindTimeline, upgradeDay(e.Date)
				add(&r, e.Status, e.Note, e.Source)
			}
		}
	}
	for id, name := range speakers {
		add(&upgradeRow{key: "speaker/" + id + "/0/0", kind: KindSpeaker, speaker: id}, name)
	}
	return m
}

// upgradeSpeakers adds the speakers of list to names.
func upgradeSpeakers(names map[string]string, list []sessions.Session) map[string]string {
	for _, s := range list {
		for _, sp := range s.Speeches {
			if sp.Speaker.ID != "" {
				names[sp.Speaker.ID] = sp.Speaker.Name
			}
		}
	}
	return names
}

// upgradeQuery is a query the model can answer: a word (or none) and
// filters.
type upgradeQuery struct {
	word, kind, lang, session, speaker, from, to string
}

func (q upgradeQuery) String() string {
	var parts []string
	if q.word != "" {
		parts = append(parts, q.word)
	}
	for _, f := range [][2]string{{"kind", q.kind}, {"lang", q.lang}, {"session", q.session}, {"speaker", q.speaker}, {"from", q.from}, {"to", q.to}} {
		if f[1] != "" {
			parts = append(parts, f[0]+":"+f[1])
		}
	}
	return strings.Join(parts, " ")
}

// match gives the keys of the rows a query finds.
func (m *upgradeModel) match(q upgradeQuery) []string {
	var out []string
	word := exactFold(q.word)
	for _, r := range m.rows {
		switch {
		case word != "" && !r.words[word] && !modelKeyed(q.word, false, r.kcyr, r.klat):
		case q.kind != "" && r.kind != q.kind:
		case q.lang != "" && r.lang != q.lang:
		case q.session != "" && r.session != q.session:
		case q.speaker != "" && (r.speaker == "" || !strings.Contains(Fold(m.names[r.speaker]), Fold(q.speaker)) && Fold(r.speaker) != Fold(q.speaker)):
		case (q.from != "" || q.to != "") && !r.dated:
		case q.from != "" && r.num < upgradeDay(q.from):
		case q.to != "" && r.num > upgradeDay(q.to):
		default:
			out = append(out, r.key)
		}
	}
	sort.Strings(out)
	return out
}

// upgradeQueries are the queries the tests ask: words of the sample and of
// the generator, in several scripts, with and without filters.
func upgradeQueries(list []sessions.Session) []upgradeQuery {
	var genSpeaker, genSession string
	for _, s := range list {
		if strings.HasPrefix(s.ID, "gen-") && genSpeaker == "" {
			genSpeaker, genSession = s.Speeches[0].Speaker.ID, s.ID
		}
	}
	words := []string{"kurultai", "referendum", "Reform", "парламент", "құрылтай", "білім", "education",
		sessions.GenWord(120), sessions.GenWord(2500), "tokayev", "adopted", upgradeOldWord, upgradeNewWord, "upgradefreshword"}
	filters := []upgradeQuery{
		{},
		{kind: KindSpeech}, {kind: KindProposal}, {kind: KindTitle}, {kind: KindTimeline}, {kind: KindSession}, {kind: KindSpeaker},
		{lang: "kk"}, {lang: "ru", kind: KindSpeech}, {lang: "en"},
		{session: upgradeChanged}, {session: "nk-1"}, {session: genSession, kind: KindSpeech},
		{speaker: "tokayev"}, {speaker: genSpeaker},
		{from: "2022-01-01", to: "2023-12-31"}, {from: "2010-01-01", kind: KindSpeech, lang: "en"}, {from: "2030-01-01"},
	}
	var out []upgradeQuery
	for _, w := range words {
		for _, f := range filters {
			f.word = w
			out = append(out, f)
		}
	}
	// Filters alone: every row of each kind, so every row there is.
	for _, k := range Kinds {
		out = append(out, upgradeQuery{kind: k})
	}
	out = append(out,
		upgradeQuery{session: "nk-2"}, upgradeQuery{session: upgradeChanged},
		upgradeQuery{speaker: "tokayev"},
		upgradeQuery{kind: KindTimeline, from: "2024-01-01", to: "2024-12-31"},
		upgradeQuery{lang: "ru", kind: KindTitle}, upgradeQuery{from: "2030-01-01", to: "2030-12-31"})
	return out
}

// upgradeSearch checks every query against the model: Count, the kinds of
// Facets and the keys of Each are exactly the model's. It returns the keys
// of each query, for comparing archives.
func upgradeSearch(t *testing.T, what string, d *DB, m *upgradeModel, qs []upgradeQuery) map[string][]string {
	t.Helper()
	ctx := context.Background()
	out := map[string][]string{}
	for _, uq := range qs {
		text := uq.String()
		q := ParseQuery(text)
		if len(q.Notes) > 0 {
			t.Fatalf("%s: the query %q has notes %q", what, text, q.Notes)
		}
		want := m.match(uq)
		n, err := d.Count(ctx, q)
		if err != nil {
			t.Fatalf("%s: Count(%q): %v", what, text, err)
		}
		if n != len(want) {
			t.Errorf("%s: Count(%q) = %d, the records have %d", what, text, n, len(want))
		}
		f, err := d.Facets(ctx, q)
		if err != nil {
			t.Fatalf("%s: Facets(%q): %v", what, text, err)
		}
		sum, kinds, wantKinds := 0, map[string]int{}, map[string]int{}
		for _, v := range f.Field("kind") {
			sum += v.Count
			kinds[v.Value] = v.Count
		}
		for _, k := range want {
			wantKinds[k[:strings.IndexByte(k, '/')]]++
		}
		if sum != n || f.Total != n {
			t.Errorf("%s: Facets(%q): kinds add up to %d, Total %d, Count %d", what, text, sum, f.Total, n)
		}
		if !upgradeMapsEqual(kinds, wantKinds) {
			t.Errorf("%s: Facets(%q) kinds %v, the records have %v", what, text, kinds, wantKinds)
		}
		var keys []string
		if _, err := d.Each(ctx, q, true, func(h Hit) error {
			keys = append(keys, h.Key())
			return nil
		}); err != nil {
			t.Fatalf("%s: Each(%q): %v", what, text, err)
		}
		sort.Strings(keys)
		if len(keys) != n {
			t.Errorf("%s: Each(%q) gave %d hits, Count %d", what, text, len(keys), n)
		}
		if !slices.Equal(keys, want) {
			missing, extra := upgradeDiff(want, keys), upgradeDiff(keys, want)
			t.Errorf("%s: Each(%q): %d hits, the records have %d; missing %q, extra %q", what, text, len(keys), len(want), upgradeFew(missing), upgradeFew(extra))
		}
		out[text] = keys
	}
	return out
}

func upgradeMapsEqual(a, b map[string]int) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}

// upgradeFew is the first few of a list, to show.
func upgradeFew(l []string) []string {
	if len(l) > 5 {
		return append(slices.Clone(l[:5]), fmt.Sprintf("… %d more", len(l)-5))
	}
	return l
}

// upgradeDiff lists what a has and b lacks (both sorted).
func upgradeDiff(a, b []string) []string {
	var out []string
	for _, x := range a {
		if _, found := slices.BinarySearch(b, x); !found {
			out = append(out, x)
		}
	}
	return out
}

// upgradeIndexSound checks the index's own bookkeeping: a speech
// paragraph's id is its search rowid, the runs cover exactly the index's
// rows, and FTS5 finds its index sound.
func upgradeIndexSound(t *testing.T, db *sql.DB) {
	t.Helper()
	var paras, placed int
	db.QueryRow("SELECT count(*) FROM paragraphs").Scan(&paras)
	err := db.QueryRow(`SELECT count(*) FROM paragraphs p JOIN search_runs r
		ON r.kind = ? AND r.ref = p.speech_id AND p.id BETWEEN r.start AND r.stop AND p.number = r.first + (p.id - r.start)`, runSpeech).Scan(&placed)
	if err != nil {
		t.Fatal(err)
	}
	if placed != paras {
		t.Errorf("%d of %d paragraphs sit at their search rowid", placed, paras)
	}
	var rows, covered int
	if err := db.QueryRow("SELECT count(*) FROM search_fts").Scan(&rows); err != nil {
		t.Fatal(err)
	}
	db.QueryRow("SELECT coalesce(sum(stop - start + 1), 0) FROM search_runs").Scan(&covered)
	if rows != covered || rows == 0 {
		t.Errorf("search_fts has %d rows, its runs cover %d", rows, covered)
	}
	if _, err := db.Exec("INSERT INTO search_fts (search_fts, rank) VALUES ('integrity-check', 0)"); err != nil {
		t.Errorf("FTS5 integrity-check: %v", err)
	}
	var ok string
	if err := db.QueryRow("PRAGMA integrity_check").Scan(&ok); err != nil || ok != "ok" {
		t.Errorf("integrity_check: %q %v", ok, err)
	}
	fk := upgradeRows(t, db, "PRAGMA foreign_key_check")
	if len(fk) > 0 {
		t.Errorf("foreign_key_check: %q", upgradeFew(fk))
	}
}

// upgradeOld makes a schema-4 archive of the corpus in a test's folder.
func upgradeOld(t *testing.T) (string, []sessions.Session) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "old.db")
	corpus := upgradeCorpus(t)
	upgradeBuildOld(t, path, corpus)
	return path, corpus
}

// upgrade upgrades an archive, checking its progress.
func upgradeArchive(t *testing.T, path string, sessionCount int) *DB {
	t.Helper()
	p := &upgradeProgress{}
	d, err := OpenWithProgress(context.Background(), path, ReadWrite, p.progress)
	if err != nil {
		t.Fatalf("upgrade: %v", err)
	}
	t.Cleanup(func() { d.Close() })
	p.check(t, sessionCount)
	return d
}

// upgradeFresh imports list into a new archive through the normal writer.
func upgradeFresh(t *testing.T, list []sessions.Session) *DB {
	t.Helper()
	d := MustOpen(t)
	if err := d.Replace(context.Background(), "", list); err != nil {
		t.Fatal(err)
	}
	return d
}

func TestUpgradeReadOnlyRefuses(t *testing.T) {
	ctx := context.Background()
	path, _ := upgradeOld(t)
	before := upgradeFileHash(t, path)
	d, err := Open(ctx, path, ReadOnly)
	if err == nil {
		d.Close()
		t.Fatal("a schema-4 archive opened read-only")
	}
	if !errors.Is(err, ErrNeedsUpgrade) {
		t.Fatalf("error %v is not ErrNeedsUpgrade", err)
	}
	if !strings.Contains(err.Error(), "kurultai archive upgrade") {
		t.Errorf("the error does not say what to run: %v", err)
	}
	if !NeedsUpgrade(ctx, path) {
		t.Error("NeedsUpgrade is false for a schema-4 archive")
	}
	if after := upgradeFileHash(t, path); after != before {
		t.Error("opening read-only changed the file")
	}
	db := upgradeRaw(t, path, true)
	defer db.Close()
	if v := upgradeSchema(t, db); v != upgradeOldVersion {
		t.Errorf("schema %d after a read-only open", v)
	}
}

func TestUpgradeKeepsRecords(t *testing.T) {
	ctx := context.Background()
	path, corpus := upgradeOld(t)
	raw := upgradeRaw(t, path, true)
	before := upgradeRecordsOf(t, raw)
	raw.Close()

	d := upgradeArchive(t, path, len(corpus))
	db := d.SQL()
	if v := upgradeSchema(t, db); v != SchemaVersion() || v != 11 {
		t.Errorf("schema %d after the upgrade, want %d", v, SchemaVersion())
	}
	if old := upgradeOldObjects(t, db); len(old) > 0 {
		t.Errorf("the old index is still there: %q", old)
	}
	upgradeSameRecords(t, before, upgradeRecordsOf(t, db))
	upgradeIndexSound(t, db)
	// The words each session and speech holds are those an import of
	// the same sessions counts.
	fresh := MustOpen(t)
	if err := fresh.Replace(ctx, "", corpus); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{"SELECT id, words FROM sessions ORDER BY id", "SELECT id, words FROM speeches ORDER BY id",
		"SELECT word, n FROM word_counts ORDER BY word"} {
		if a, b := upgradeRows(t, db, q), upgradeRows(t, fresh.SQL(), q); !slices.Equal(a, b) || len(a) == 0 {
			t.Errorf("%s: upgraded %q, imported %q", q, upgradeDiff(a, b), upgradeDiff(b, a))
		}
	}
	// The upgraded schema is a new archive's.
	schemaSQL := "SELECT type, name, tbl_name, coalesce(sql, '') FROM sqlite_schema ORDER BY type, name"
	if a, b := upgradeRows(t, db, schemaSQL), upgradeRows(t, MustOpen(t).SQL(), schemaSQL); !slices.Equal(a, b) {
		sort.Strings(a)
		sort.Strings(b)
		t.Errorf("the upgraded schema differs from a new archive's:\nupgraded %q\nnew      %q", upgradeDiff(a, b), upgradeDiff(b, a))
	}

	ro, err := Open(ctx, path, ReadOnly)
	if err != nil {
		t.Fatalf("read-only open after the upgrade: %v", err)
	}
	if doc, err := ro.Document(ctx, "nk-1/address"); err != nil || len(doc.Paragraphs) == 0 {
		t.Errorf("reading a speech after the upgrade: %v", err)
	}
	ro.Close()
	if NeedsUpgrade(ctx, path) {
		t.Error("NeedsUpgrade is true after the upgrade")
	}
	// Opened again, it is not upgraded again.
	p := &upgradeProgress{}
	again, err := OpenWithProgress(ctx, path, ReadWrite, p.progress)
	if err != nil {
		t.Fatal(err)
	}
	again.Close()
	if len(p.calls) > 0 {
		t.Errorf("an upgraded archive was rebuilt again: %d progress calls", len(p.calls))
	}
}

func TestUpgradeEmptyArchive(t *testing.T) {
	path := filepath.Join(t.TempDir(), "empty.db")
	upgradeBuildOldEmpty(t, path)
	if !NeedsUpgrade(context.Background(), path) {
		t.Fatal("an empty schema-4 archive does not need an upgrade")
	}
	d, err := OpenWithProgress(context.Background(), path, ReadWrite, func(msg.Text, int, int) {})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	if v := upgradeSchema(t, d.SQL()); v != SchemaVersion() {
		t.Errorf("schema %d", v)
	}
	if n, err := d.Count(context.Background(), ParseQuery("kurultai")); err != nil || n != 0 {
		t.Errorf("Count = %d, %v", n, err)
	}
}

// upgradeBuildOldEmpty makes a schema-4 archive with no records.
func upgradeBuildOldEmpty(t *testing.T, path string) {
	t.Helper()
	db := upgradeRaw(t, path, false)
	defer db.Close()
	db.Exec(fmt.Sprintf("PRAGMA application_id = %d", ApplicationID))
	db.Exec(`CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL,
		applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')))`)
	for _, m := range migrations() {
		if m.version > upgradeOldVersion {
			continue
		}
		if _, err := db.Exec(m.sql); err != nil {
			t.Fatal(err)
		}
		db.Exec("INSERT INTO schema_migrations (version, name) VALUES (?, ?)", m.version, m.name)
	}
}

func TestUpgradeSearchComplete(t *testing.T) {
	path, corpus := upgradeOld(t)
	d := upgradeArchive(t, path, len(corpus))
	model := upgradeModelOf(corpus, upgradeSpeakers(map[string]string{}, corpus))
	qs := upgradeQueries(corpus)
	// The model must find something, or the test says nothing.
	for _, w := range []string{"kurultai", "referendum", "құрылтай", upgradeOldWord, sessions.GenWord(2500)} {
		if len(model.match(upgradeQuery{word: w, kind: KindSpeech})) == 0 {
			t.Fatalf("no speech paragraph has %q", w)
		}
	}
	got := upgradeSearch(t, "upgraded", d, model, qs)

	fresh := upgradeFresh(t, upgradeCorpus(t))
	want := upgradeSearch(t, "imported", fresh, model, qs)
	for _, q := range qs {
		k := q.String()
		if !slices.Equal(got[k], want[k]) {
			t.Errorf("%q: the upgraded archive finds %d, a new one %d", k, len(got[k]), len(want[k]))
		}
	}
	nonzero := 0
	for _, keys := range got {
		if len(keys) > 0 {
			nonzero++
		}
	}
	t.Logf("%d queries, %d of them with results", len(qs), nonzero)
}

func TestUpgradeInterrupted(t *testing.T) {
	for _, stage := range []string{"renumbering paragraphs", "indexing"} {
		t.Run(strings.Fields(stage)[0], func(t *testing.T) {
			path, corpus := upgradeOld(t)
			raw := upgradeRaw(t, path, true)
			before, records, objects := upgradeContentHash(t, raw), upgradeRecordsOf(t, raw), upgradeOldObjects(t, raw)
			raw.Close()
			if len(objects) < 10 {
				t.Fatalf("the old index is %q", objects)
			}

			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			p := &upgradeProgress{hook: func(s string, done, total int) {
				if s == stage {
					cancel()
				}
			}}
			d, err := OpenWithProgress(ctx, path, ReadWrite, p.progress)
			if err == nil {
				d.Close()
				t.Fatal("an upgrade cancelled part-way succeeded")
			}
			if len(p.calls) == 0 || p.calls[len(p.calls)-1].done == p.calls[len(p.calls)-1].total {
				t.Fatalf("the upgrade was not cancelled part-way: %v", p.calls)
			}
			t.Logf("cancelled at %v: %v", p.calls[len(p.calls)-1], err)

			_, err = Open(context.Background(), path, ReadOnly)
			if !errors.Is(err, ErrNeedsUpgrade) {
				t.Fatalf("after an interrupted upgrade, Open read-only: %v", err)
			}
			raw = upgradeRaw(t, path, true)
			if v := upgradeSchema(t, raw); v != upgradeOldVersion {
				t.Errorf("schema %d after an interrupted upgrade", v)
			}
			if after := upgradeContentHash(t, raw); after != before {
				t.Error("an interrupted upgrade changed the paragraphs or sessions")
			}
			upgradeSameRecords(t, records, upgradeRecordsOf(t, raw))
			if old := upgradeOldObjects(t, raw); !slices.Equal(old, objects) {
				t.Errorf("after an interrupted upgrade the old index is %q, was %q", old, objects)
			}
			raw.Close()

			d = upgradeArchive(t, path, len(corpus))
			upgradeSameRecords(t, records, upgradeRecordsOf(t, d.SQL()))
			upgradeIndexSound(t, d.SQL())
			model := upgradeModelOf(corpus, upgradeSpeakers(map[string]string{}, corpus))
			upgradeSearch(t, "upgraded after an interruption", d, model, []upgradeQuery{
				{word: "referendum"}, {word: "kurultai", kind: KindSpeech}, {word: "tokayev"}, {session: "nk-2"}})
		})
	}
}

func TestUpgradeThenImport(t *testing.T) {
	ctx := context.Background()
	path, corpus := upgradeOld(t)
	d := upgradeArchive(t, path, len(corpus))
	model := func(list []sessions.Session) *upgradeModel {
		names := upgradeSpeakers(map[string]string{}, corpus)
		return upgradeModelOf(list, upgradeSpeakers(names, list))
	}
	markers := func() []upgradeQuery {
		var qs []upgradeQuery
		for _, w := range []string{upgradeOldWord, upgradeNewWord, "upgradefreshword"} {
			for _, k := range append([]string{""}, Kinds...) {
				qs = append(qs, upgradeQuery{word: w, kind: k})
			}
		}
		return append(qs, upgradeQuery{session: upgradeChanged}, upgradeQuery{session: upgradeNewEntry},
			upgradeQuery{speaker: "upgrade-speaker"}, upgradeQuery{speaker: "tokayev", kind: KindSpeech})
	}

	// A new session.
	added := upgradeNewSession()
	if err := d.Replace(ctx, "", []sessions.Session{added}); err != nil {
		t.Fatalf("importing into the upgraded archive: %v", err)
	}
	list := append(upgradeCorpus(t), upgradeNewSession())
	normalize(&list[len(list)-1])
	m := model(list)
	if n := len(m.match(upgradeQuery{word: "upgradefreshword"})); n != 4 {
		t.Fatalf("the model finds upgradefreshword %d times", n)
	}
	upgradeSearch(t, "after adding a session", d, m, markers())

	// A changed session.
	var old sessions.Session
	for i := range list {
		if list[i].ID == upgradeChanged {
			old = list[i]
			list[i] = upgradeChange(t, old)
		}
	}
	if err := d.Replace(ctx, "", []sessions.Session{upgradeChange(t, old)}); err != nil {
		t.Fatalf("re-importing a changed session: %v", err)
	}
	m = model(list)
	if n := len(m.match(upgradeQuery{word: upgradeNewWord})); n < 6 {
		t.Fatalf("the model finds %s %d times", upgradeNewWord, n)
	}
	if n, err := d.Count(ctx, ParseQuery(upgradeOldWord)); err != nil || n != 0 {
		t.Errorf("after the re-import %s is found %d times (%v)", upgradeOldWord, n, err)
	}
	upgradeSearch(t, "after changing a session", d, m, markers())
	upgradeSearch(t, "after changing a session", d, m, upgradeQueries(list))
	upgradeIndexSound(t, d.SQL())

	// What the archive holds is what an import of the same sessions into
	// a new archive holds.
	fresh := upgradeFresh(t, append(upgradeCorpus(t), upgradeNewSession()))
	if err := fresh.Replace(ctx, "", []sessions.Session{upgradeChange(t, old)}); err != nil {
		t.Fatal(err)
	}
	a, b := upgradeRecordsOf(t, d.SQL()), upgradeRecordsOf(t, fresh.SQL())
	for _, name := range []string{"paragraphs", "speeches", "proposals", "proposal_events", "proposal_refs"} {
		if !slices.Equal(a[name], b[name]) {
			t.Errorf("%s: the upgraded archive has %d rows, a new one %d, and they differ", name, len(a[name]), len(b[name]))
		}
	}
}
