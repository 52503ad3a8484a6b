// Command fts5floor measures what SQLite's FTS5 alone takes to index the
// running text of an archive, as kurultai's search index holds it (the
// same columns, tokenizer and tags), with nothing of kurultai's own work
// around it: the floor under an indexed import on this machine.
//
// Usage: go run -tags fts5 ./bench/fts5floor [-automerge N] [-crisismerge N] [-optimize] [-bulk] ARCHIVE
//
// -automerge and -crisismerge set FTS5's merge settings for the insert
// (4 and 16 are its defaults); -optimize merges the index into one
// segment after it, as kurultai archive optimize does, timed apart.
//
// It copies the speech paragraphs and their tags into a fresh database
// beside a temporary directory, then times one transaction that inserts
// them all into an empty index, one row to a prepared statement, as the
// importer does.
package main

import (
	"database/sql"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"time"

	_ "github.com/mattn/go-sqlite3"
)

func main() {
	automerge := flag.Int("automerge", 4, "FTS5's automerge while inserting")
	crisis := flag.Int("crisismerge", 16, "FTS5's crisismerge while inserting")
	optimize := flag.Bool("optimize", false, "merge the index into one segment after the insert")
	bulk := flag.Bool("bulk", false, "insert with one INSERT ... SELECT inside SQLite, not a statement a row from Go")
	flag.Parse()
	if flag.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: fts5floor [-automerge N] [-crisismerge N] [-optimize] [-bulk] ARCHIVE")
		os.Exit(2)
	}
	if err := run(flag.Arg(0), *automerge, *crisis, *optimize, *bulk); err != nil {
		fmt.Fprintln(os.Stderr, "fts5floor:", err)
		os.Exit(1)
	}
}

func run(archive string, automerge, crisis int, optimize, bulk bool) error {
	dir, err := os.MkdirTemp("", "fts5floor")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	db, err := sql.Open("sqlite3", "file:"+filepath.Join(dir, "f.db")+"?_journal_mode=WAL&_synchronous=NORMAL")
	if err != nil {
		return err
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	for _, q := range []string{
		"ATTACH DATABASE 'file:" + archive + "?mode=ro' AS a",
		`CREATE TABLE src AS SELECT p.id, p.text AS body, p.heading,
			'k1 s' || r.session || ' p' || r.speaker || ' g' || r.party || ' r' || r.role || ' x' || r.gender || ' l' || r.lang AS tags
			FROM a.search_runs r CROSS JOIN a.paragraphs p ON p.id >= r.start AND p.id <= r.stop WHERE r.kind = 1`,
		`CREATE VIRTUAL TABLE f USING fts5(body, heading, title, name, place, source, tags, klat, exact,
			content = '', contentless_delete = 1, tokenize = 'unicode61 remove_diacritics 2')`,
		fmt.Sprintf("INSERT INTO f (f, rank) VALUES ('automerge', %d)", automerge),
		fmt.Sprintf("INSERT INTO f (f, rank) VALUES ('crisismerge', %d)", crisis),
	} {
		if _, err := db.Exec(q); err != nil {
			return err
		}
	}
	var rows int
	if err := db.QueryRow("SELECT count(*) FROM src").Scan(&rows); err != nil {
		return err
	}
	type para struct {
		id                  int64
		body, heading, tags string
	}
	var all []para
	rs, err := db.Query("SELECT id, body, heading, tags FROM src ORDER BY id")
	if err != nil {
		return err
	}
	for rs.Next() {
		var p para
		if err := rs.Scan(&p.id, &p.body, &p.heading, &p.tags); err != nil {
			return err
		}
		all = append(all, p)
	}
	if err := rs.Err(); err != nil {
		return err
	}
	start := time.Now()
	tx, err := db.Begin()
	if err != nil {
		return err
	}
	st, err := tx.Prepare("INSERT INTO f (rowid, body, heading, tags) VALUES (?, ?, ?, ?)")
	if err != nil {
		return err
	}
	if bulk {
		if _, err := tx.Exec("INSERT INTO f (rowid, body, heading, tags) SELECT id, body, heading, tags FROM src ORDER BY id"); err != nil {
			return err
		}
	}
	for _, p := range all {
		if bulk {
			break
		}
		if _, err := st.Exec(p.id, p.body, p.heading, p.tags); err != nil {
			return err
		}
	}
	if err := tx.Commit(); err != nil {
		return err
	}
	d := time.Since(start)
	fmt.Printf("%d rows indexed in %.2f s (automerge %d, crisismerge %d): %.0f rows/s\n", rows, d.Seconds(), automerge, crisis, float64(rows)/d.Seconds())
	if optimize {
		start = time.Now()
		if _, err := db.Exec("INSERT INTO f (f) VALUES ('optimize')"); err != nil {
			return err
		}
		fmt.Printf("optimized in %.2f s\n", time.Since(start).Seconds())
	}
	return nil
}
