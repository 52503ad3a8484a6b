package data

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"kurultai/sessions"
)

// TestBuilderLeavesAnArchive builds an archive as gen does and checks what
// is left: one file in WAL mode (no rollback journal, no log), FTS5's merge
// settings back to their defaults, the index merged into one segment, and
// the same search counts as the same sessions imported into an archive
// that already had an index (whose import merges as usual).
func TestBuilderLeavesAnArchive(t *testing.T) {
	ctx := context.Background()
	corpus := genSessions(t, 7, 3000, 30, "")
	dir := t.TempDir()
	path := filepath.Join(dir, "built.db")
	b, err := NewBuilder(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	for i := range corpus {
		s := corpus[i]
		if err := b.Write(ctx, &s, "gen"); err != nil {
			t.Fatal(err)
		}
	}
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 || entries[0].Name() != "built.db" {
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		t.Fatalf("the folder holds %q, want only built.db", names)
	}
	built, err := Open(ctx, path, ReadOnly)
	if err != nil {
		t.Fatal(err)
	}
	defer built.Close()
	var mode string
	if err := built.SQL().QueryRow("PRAGMA journal_mode").Scan(&mode); err != nil || mode != "wal" {
		t.Errorf("journal mode %q (%v), want wal", mode, err)
	}
	rows, err := built.SQL().Query("SELECT k, v FROM search_fts_config WHERE k IN ('automerge', 'crisismerge') ORDER BY k")
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]int{}
	for rows.Next() {
		var k string
		var v int
		if err := rows.Scan(&k, &v); err != nil {
			t.Fatal(err)
		}
		got[k] = v
	}
	rows.Close()
	if got["automerge"] != 4 || got["crisismerge"] != 16 {
		t.Errorf("merge settings left as %v, want FTS5's defaults (automerge 4, crisismerge 16)", got)
	}
	// FTS5 files a segment's pages under rowids that carry the segment's
	// id above bit 37 (57 segments here when the index is not merged).
	var segs int
	if err := built.SQL().QueryRow("SELECT count(DISTINCT id >> 37) FROM search_fts_data WHERE id >> 37 > 0").Scan(&segs); err != nil {
		t.Fatal(err)
	}
	if segs != 1 {
		t.Errorf("the built index has %d segments, want 1 (merged)", segs)
	}

	// The same sessions into an archive that had an index already.
	other := filepath.Join(t.TempDir(), "other.db")
	d, err := Open(ctx, other, ReadWrite)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	importAll(t, d, genSessions(t, 8, 20, 1, "seed-"))
	importAll(t, d, corpus)
	for _, q := range []string{"parliament", "budget OR law", `"the committee"`, "reform*"} {
		want := search(t, d, q, SearchOptions{Limit: 1}).Total - search(t, d, q+" session:seed-00001", SearchOptions{Limit: 1}).Total
		if n := search(t, built, q, SearchOptions{Limit: 1}).Total; n != want || n == 0 {
			t.Errorf("%s: %d results in the built archive, %d in the other", q, n, want)
		}
	}
}

// importAll imports sessions in one transaction.
func importAll(t *testing.T, d *DB, corpus []sessions.Session) {
	t.Helper()
	im, err := d.BeginImport(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer im.Rollback()
	for i := range corpus {
		s := corpus[i]
		if _, err := im.Write(&s, "test", ""); err != nil {
			t.Fatal(err)
		}
	}
	if err := im.Commit(); err != nil {
		t.Fatal(err)
	}
}
