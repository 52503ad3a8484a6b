package data

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"kurultai/sessions"
)

// MustOpen opens a new read-write archive in a temporary folder.
func MustOpen(t testing.TB) *DB {
	t.Helper()
	d, err := Open(context.Background(), filepath.Join(t.TempDir(), "a.db"), ReadWrite)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	return d
}

func synthetic(n int) []sessions.Session {
	var out []sessions.Session
	for i := 1; i <= n; i++ {
		id := fmt.Sprintf("s-%03d", i)
		s := sessions.Session{
			ID: id, Body: "Test", Number: i, Date: fmt.Sprintf("2020-01-%02d", i%28+1),
			Place: "Place", Title: fmt.Sprintf("Session %d", i), Language: "en",
		}
		if i == 7 {
			s.Place, s.Title = "ҚЫЗЫЛОРДА", "Пятое заседание"
		}
		s.Speeches = []sessions.Speech{{ID: id + "/a", SessionID: id, Order: 1, Title: "A",
			Speaker:    sessions.Speaker{ID: "spk", Name: "Speaker"},
			Paragraphs: sessions.SplitParagraphs("one two\n\nthree")}}
		out = append(out, s)
	}
	return out
}

func TestMigrationsRecorded(t *testing.T) {
	d := MustOpen(t)
	var n int
	if err := d.SQL().QueryRow("SELECT count(*) FROM schema_migrations").Scan(&n); err != nil || n != len(migrations()) {
		t.Fatalf("recorded %d migrations (%v), want %d", n, err, len(migrations()))
	}
	var id int64
	d.SQL().QueryRow("PRAGMA application_id").Scan(&id)
	if id != ApplicationID {
		t.Fatalf("application_id = %x", id)
	}
	var mode string
	d.SQL().QueryRow("PRAGMA journal_mode").Scan(&mode)
	if mode != "wal" {
		t.Errorf("journal_mode = %s, want wal", mode)
	}
}

func TestOpenRefuses(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	text := filepath.Join(dir, "notes.txt")
	os.WriteFile(text, []byte(strings.Repeat("not a database\n", 100)), 0o644)
	other := filepath.Join(dir, "other.db")
	{
		d, err := Open(ctx, other, ReadWrite)
		if err != nil {
			t.Fatal(err)
		}
		d.SQL().Exec("PRAGMA application_id = 42")
		d.Close()
	}
	newer := filepath.Join(dir, "newer.db")
	{
		d, err := Open(ctx, newer, ReadWrite)
		if err != nil {
			t.Fatal(err)
		}
		d.SQL().Exec("INSERT INTO schema_migrations (version, name) VALUES (999, 'future')")
		d.Close()
	}
	cases := []struct {
		path string
		mode Mode
		want string
		is   error
	}{
		{filepath.Join(dir, "missing.db"), ReadOnly, "no such file", nil},
		{dir, ReadOnly, "folder", nil},
		{text, ReadOnly, "not a database", ErrNotArchive},
		{text, ReadWrite, "not a database", ErrNotArchive},
		{other, ReadOnly, "another program", ErrNotArchive},
		{newer, ReadOnly, "version 999", ErrTooNew},
		{newer, ReadWrite, "version 999", ErrTooNew},
	}
	for _, c := range cases {
		d, err := Open(ctx, c.path, c.mode)
		if err == nil {
			d.Close()
			t.Errorf("%s opened, want an error", c.path)
			continue
		}
		if !strings.Contains(err.Error(), c.want) || (c.is != nil && !errors.Is(err, c.is)) {
			t.Errorf("%s: got %q, want %q", filepath.Base(c.path), err, c.want)
		}
		if !strings.Contains(err.Error(), "cannot open archive") {
			t.Errorf("error should say what failed: %q", err)
		}
	}
}

func TestReadOnlyRefusesWrites(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "a.db")
	if _, err := EnsureSample(ctx, path); err != nil {
		t.Fatal(err)
	}
	d, err := Open(ctx, path, ReadOnly)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	if err := d.Replace(ctx, "", synthetic(1)); err == nil {
		t.Fatal("a read-only archive accepted a write")
	}
	if rows, err := d.Sessions(ctx, SessionQuery{}); err != nil || len(rows) != 5 {
		t.Fatalf("read-only list: %d rows, %v", len(rows), err)
	}
}

func TestSessionsPaging(t *testing.T) {
	ctx := context.Background()
	d := MustOpen(t)
	if err := d.Replace(ctx, "", synthetic(30)); err != nil {
		t.Fatal(err)
	}
	for _, oldest := range []bool{false, true} {
		var all []SessionRow
		q := SessionQuery{Oldest: oldest, Limit: 7}
		for {
			page, err := d.Sessions(ctx, q)
			if err != nil {
				t.Fatal(err)
			}
			if len(page) == 0 {
				break
			}
			all = append(all, page...)
			q.After = &page[len(page)-1]
		}
		if len(all) != 30 {
			t.Fatalf("paged through %d sessions, want 30", len(all))
		}
		seen := map[string]bool{}
		for i, r := range all {
			if seen[r.ID] {
				t.Fatalf("%s listed twice", r.ID)
			}
			seen[r.ID] = true
			if i > 0 {
				prev := all[i-1]
				before := prev.Date < r.Date || (prev.Date == r.Date && prev.ID < r.ID)
				if before != oldest {
					t.Fatalf("order broken at %s after %s (oldest=%v)", r.ID, prev.ID, oldest)
				}
			}
			if r.Speeches != 1 || r.Proposals != 0 {
				t.Fatalf("counts for %s: %d speeches, %d proposals", r.ID, r.Speeches, r.Proposals)
			}
		}
	}
	for filter, want := range map[string]int{"қызылорда": 1, "ПЯТОЕ": 1, "session 1": 11, "s-030": 1, "nothing": 0} {
		rows, _ := d.Sessions(ctx, SessionQuery{Filter: filter})
		n, _ := d.CountSessions(ctx, filter)
		if len(rows) != want || n != want {
			t.Errorf("filter %q: %d rows, count %d, want %d", filter, len(rows), n, want)
		}
	}
}

func TestSpeechPaging(t *testing.T) {
	ctx := context.Background()
	d := MustOpen(t)
	s := synthetic(1)[0]
	for i := 2; i <= 25; i++ {
		sp := s.Speeches[0]
		sp.ID, sp.Order = fmt.Sprintf("%s/%02d", s.ID, i), i/2 // equal orders: the id breaks ties
		s.Speeches = append(s.Speeches, sp)
	}
	if err := d.Replace(ctx, "", []sessions.Session{s}); err != nil {
		t.Fatal(err)
	}
	var got []string
	p := Page{Limit: 4}
	for {
		page, err := d.Speeches(ctx, s.ID, p)
		if err != nil {
			t.Fatal(err)
		}
		if len(page) == 0 {
			break
		}
		for _, r := range page {
			got = append(got, r.ID)
		}
		last := page[len(page)-1]
		p.AfterOrder, p.AfterID = last.Order, last.ID
	}
	if len(got) != 25 {
		t.Fatalf("paged %d speeches, want 25: %v", len(got), got)
	}
}

func TestSampleDocuments(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "kurultai", "archive.db")
	wrote, err := EnsureSample(ctx, path)
	if err != nil || !wrote {
		t.Fatalf("first build: wrote=%v err=%v", wrote, err)
	}
	if wrote, err := EnsureSample(ctx, path); err != nil || wrote {
		t.Fatalf("second run should reuse the archive: wrote=%v err=%v", wrote, err)
	}
	d, err := Open(ctx, path, ReadOnly)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	rows, _ := d.Sessions(ctx, SessionQuery{})
	if len(rows) != 5 || rows[0].ID != "nk-5" || rows[0].Proposals != 8 {
		t.Fatalf("sessions: %+v", rows)
	}
	doc, err := d.Document(ctx, "nk-5/address")
	if err != nil {
		t.Fatal(err)
	}
	if doc.Speaker == "" || doc.Session.Place == "" || len(doc.Paragraphs) < 10 || len(doc.MadeIn) < 8 {
		t.Fatalf("address: %+v", doc)
	}
	p, err := d.Document(ctx, "nk-5/p1-unicameral-parliament")
	if err != nil {
		t.Fatal(err)
	}
	if p.Kind != KindProposal || len(p.Timeline) != 12 || len(p.MadeIn) != 2 || p.MadeIn[0].Excerpt == "" {
		t.Fatalf("proposal: %+v", p)
	}
	if !strings.Contains(p.MadeIn[0].Excerpt, "145") {
		t.Errorf("proposal should point at the paragraph that states it, got %q", p.MadeIn[0].Excerpt)
	}
	if _, err := d.Document(ctx, "nk-9"); !errors.Is(err, ErrNotFound) {
		t.Errorf("unknown id: %v", err)
	}
	if _, err := d.Session(ctx, "nk-9"); !errors.Is(err, ErrNotFound) {
		t.Errorf("unknown session: %v", err)
	}
}

func TestSampleUpdateKeepsImports(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "archive.db")
	if _, err := EnsureSample(ctx, path); err != nil {
		t.Fatal(err)
	}
	d, err := Open(ctx, path, ReadWrite)
	if err != nil {
		t.Fatal(err)
	}
	if err := d.Replace(ctx, "import", synthetic(2)); err != nil {
		t.Fatal(err)
	}
	// An archive built by an older binary: its sample version differs and it
	// holds a sample session that the new sample no longer has.
	d.SQL().Exec("UPDATE meta SET value = 'old' WHERE key = 'sample_version'")
	d.SQL().Exec("INSERT INTO sessions (id, body, date, title, origin) VALUES ('nk-0', 'x', '2020-01-01', 'gone', 'sample')")
	d.Close()
	if wrote, err := EnsureSample(ctx, path); err != nil || !wrote {
		t.Fatalf("update: wrote=%v err=%v", wrote, err)
	}
	d, _ = Open(ctx, path, ReadOnly)
	defer d.Close()
	n, _ := d.CountSessions(ctx, "")
	if n != 7 {
		t.Fatalf("after the update the archive has %d sessions, want 5 sample + 2 imported", n)
	}
	assertIntegrity(t, d)
}

// Every list the UI shows is served by an index: no query plan reads a
// whole table or sorts in a temporary tree.
func TestListQueriesUseIndexes(t *testing.T) {
	d := MustOpen(t)
	after := " AND (s.date, s.id) < (?, ?)"
	page := " AND (x.ord, x.id) > (?, ?)"
	queries := map[string][]any{
		sessionsSQL("", "DESC"):    {1},
		sessionsSQL(after, "DESC"): {"2024", "x", 1},
		sessionsSQL(after, "ASC"):  {"2024", "x", 1},
		speechesSQL(""):            {"s", 1},
		speechesSQL(page):          {"s", 1, "x", 1},
		proposalsSQL(page):         {"s", 1, "x", 1},
		paragraphsSQL:              {"s"},
	}
	for q, args := range queries {
		rows, err := d.SQL().Query("EXPLAIN QUERY PLAN "+q, args...)
		if err != nil {
			t.Fatal(err)
		}
		var plan []string
		for rows.Next() {
			var id, parent, unused int
			var detail string
			rows.Scan(&id, &parent, &unused, &detail)
			plan = append(plan, detail)
		}
		rows.Close()
		for _, step := range plan {
			// "SCAN t USING INDEX i" walks an index in order, which is
			// what a LIMITed page wants; a bare "SCAN t" reads the table.
			if strings.HasPrefix(step, "SCAN ") && !strings.Contains(step, " USING ") || strings.Contains(step, "TEMP B-TREE") {
				t.Errorf("query plan scans a table or sorts:\n%s\n%s", q, strings.Join(plan, "; "))
			}
		}
	}
}

func TestDamagedArchive(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "a.db")
	w, err := Open(ctx, path, ReadWrite)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Replace(ctx, "", synthetic(200)); err != nil {
		t.Fatal(err)
	}
	w.SQL().Exec("PRAGMA wal_checkpoint(TRUNCATE)")
	w.Close()
	// Overwrite every page after the first two with noise, keeping the
	// header: SQLite still opens the file and meets the damage on reading.
	data, _ := os.ReadFile(path)
	for i := 8192; i < len(data); i++ {
		data[i] = byte(i * 7)
	}
	os.WriteFile(path, data, 0o644)
	r, err := Open(ctx, path, ReadOnly)
	if err == nil {
		defer r.Close()
		_, err = r.Sessions(ctx, SessionQuery{})
		if err == nil {
			_, err = r.Document(ctx, "s-100/a")
		}
	}
	if err == nil || !strings.Contains(err.Error(), "damaged") && !strings.Contains(err.Error(), "not a kurultai archive") {
		t.Fatalf("a damaged archive should say so in plain words, got %v", err)
	}
	t.Log(err)
}

// assertIntegrity checks that no row points at a row that is not there.
func assertIntegrity(t *testing.T, d *DB) {
	t.Helper()
	rows, err := d.SQL().Query("PRAGMA foreign_key_check")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	if rows.Next() {
		var table, parent string
		var rowid, fk any
		rows.Scan(&table, &rowid, &parent, &fk)
		t.Fatalf("a row of %s points at a missing row of %s", table, parent)
	}
	var orphans int
	d.SQL().QueryRow(`SELECT (SELECT count(*) FROM paragraphs WHERE speech_id NOT IN (SELECT id FROM speeches))
		+ (SELECT count(*) FROM speeches WHERE session_id NOT IN (SELECT id FROM sessions))`).Scan(&orphans)
	if orphans > 0 {
		t.Fatalf("%d orphaned rows", orphans)
	}
}

// A binary built without the fts5 tag says how to build it, in one line.
func TestNoFTS5SaysHowToBuild(t *testing.T) {
	err := Friendly(fmt.Errorf("migration 0003_search.sql: %w", errors.New("no such module: fts5")))
	if !errors.Is(err, ErrNoFTS5) || !strings.Contains(err.Error(), "-tags fts5") || strings.Contains(err.Error(), "\n") {
		t.Fatalf("got %v", err)
	}
}
