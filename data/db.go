// Package data keeps the archive in SQLite: opening it safely, applying the
// embedded migrations, writing imported records in one transaction and
// reading them back as sessions types in pages.
package data

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/mattn/go-sqlite3"

	"kurultai/sessions/msg"
)

// ApplicationID marks an SQLite file as a kurultai archive ("KRLT").
const ApplicationID = 0x4b524c54

//go:embed migrations/*.sql bookmark_migrations/*.sql
var migrationFS embed.FS

// schema is a kind of kurultai database: the archive, or a bookmarks file.
type schema struct {
	appID int64
	dir   string   // of its migrations in migrationFS
	what  msg.Text // in messages
}

var (
	archiveSchema = schema{ApplicationID, "migrations", msg.T("archive")}
	// BookmarksID marks an SQLite file as kurultai bookmarks ("KRBM").
	bookmarksSchema = schema{0x4b52424d, "bookmark_migrations", msg.T("bookmarks file")}
)

// Mode says whether an archive is opened for building or for browsing.
type Mode int

const (
	// ReadOnly opens an existing archive with mode=ro and query_only: it can
	// be shared and served, and nothing can change it.
	ReadOnly Mode = iota
	// ReadWrite opens or creates an archive for building.
	ReadWrite
	// building makes a new archive under a temporary name that nobody
	// reads (Builder): it keeps a rollback journal, which for a new file
	// holds next to nothing, instead of a write-ahead log as large as the
	// archive that must then be copied into it, and it does not wait for
	// the disk at each commit, since a crash leaves only the temporary
	// file, which is thrown away. The builder syncs the file and turns on
	// the write-ahead log before the archive is moved into place.
	building
)

// Errors that callers may test for with errors.Is.
var (
	ErrNotFound = msg.New("not found")
	// ErrNotADocument is a session's id where a speech or proposal's is
	// wanted.
	ErrNotADocument = msg.New("a session, not a speech or proposal")
	ErrNotArchive   = msg.New("not a kurultai archive")
	ErrTooNew       = msg.New("archive made by a newer kurultai")
	// ErrNeedsUpgrade is an archive of an older schema opened read-only:
	// kurultai archive upgrade brings it up to date.
	ErrNeedsUpgrade = msg.New("archive made by an older kurultai")
)

// DB is an open archive.
type DB struct {
	db     *sql.DB
	path   string
	mode   Mode
	schema schema
	stmts  statements
	// progress hears how a long migration goes.
	progress    Progress
	runs        runsCache
	answers     answerCache
	periodCache periodsCache  // a trend's periods and their words
	heavy       chan struct{} // a place for each facet count running
	prefixes    chan struct{} // a place for each search of a prefix running
}

const driverName = "sqlite3_kurultai"

var registerOnce sync.Once

func register() {
	registerOnce.Do(func() {
		sql.Register(driverName, &sqlite3.SQLiteDriver{
			ConnectHook: func(c *sqlite3.SQLiteConn) error {
				// SQLite's lower() and LIKE fold ASCII only; kfold folds
				// case in every script, and accents as the search does.
				if err := c.RegisterFunc("kfold", Fold, true); err != nil {
					return err
				}
				for name, fn := range sqlFunctions {
					if err := c.RegisterFunc(name, fn, true); err != nil {
						return err
					}
				}
				return nil
			},
		})
	})
}

// Fold lowers text for matching names and ids in any case and without
// accents, as the search folds words: speaker:sanchez finds Sánchez,
// speaker:елкин finds Ёлкин.
func Fold(s string) string { return foldMark(FoldAccents(s)) }

// Open opens the archive at path. ReadWrite creates it if it is missing and
// applies pending migrations; ReadOnly refuses a missing file, a file that is
// not an archive, and an archive whose schema this binary does not know.
func Open(ctx context.Context, path string, mode Mode) (*DB, error) {
	return open(ctx, path, mode, archiveSchema, nil)
}

// OpenWithProgress opens an archive as Open does, telling progress how a
// migration that rebuilds the archive's index goes.
func OpenWithProgress(ctx context.Context, path string, mode Mode, progress Progress) (*DB, error) {
	return open(ctx, path, mode, archiveSchema, progress)
}

// NeedsUpgrade reports whether the archive at path opens only once
// upgraded: its schema is older than this kurultai's.
func NeedsUpgrade(ctx context.Context, path string) bool {
	d, err := Open(ctx, path, ReadOnly)
	if err == nil {
		d.Close()
	}
	return errors.Is(err, ErrNeedsUpgrade)
}

func open(ctx context.Context, path string, mode Mode, sch schema, progress Progress) (*DB, error) {
	register()
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, msg.Errorf("cannot open archive %s: %v", path, err)
	}
	if mode == ReadOnly {
		st, err := os.Stat(abs)
		if errors.Is(err, fs.ErrNotExist) {
			return nil, msg.Errorf("cannot open archive %s: no such file", path)
		}
		if err != nil {
			return nil, msg.Errorf("cannot open archive %s: %v", path, err)
		}
		if st.IsDir() {
			return nil, msg.Errorf("cannot open archive %s: it is a folder, not a file", path)
		}
	}
	q := url.Values{}
	q.Set("_foreign_keys", "1")
	q.Set("_busy_timeout", "5000")
	if mode == ReadOnly {
		q.Set("mode", "ro")
		q.Set("_query_only", "1")
	} else {
		q.Set("mode", "rwc")
		q.Set("_journal_mode", "WAL")
		q.Set("_synchronous", "NORMAL")
		if mode == building {
			q.Set("_journal_mode", "TRUNCATE")
			q.Set("_synchronous", "OFF")
		}
		// A larger page cache (32 MiB) keeps the indexes that an import
		// extends in memory.
		q.Set("_cache_size", "-32768")
		q.Set("_txlock", "immediate")
	}
	dsn := (&url.URL{Scheme: "file", Path: abs}).String() + "?" + q.Encode()
	// Two processes that make a new file at once race to set it up (its
	// journal mode, its first migrations), and SQLite answers the loser
	// "busy" at once, without waiting: it tries again for as long as a
	// busy archive is waited for.
	deadline := time.Now().Add(5 * time.Second)
	for wait := 10 * time.Millisecond; ; wait = min(2*wait, 200*time.Millisecond) {
		sqldb, err := sql.Open(driverName, dsn)
		if err != nil {
			return nil, msg.Errorf("cannot open archive %s: %v", path, err)
		}
		sqldb.SetMaxOpenConns(4)
		d := &DB{db: sqldb, path: path, mode: mode, schema: sch, progress: progress, heavy: make(chan struct{}, 2), prefixes: make(chan struct{}, 2)}
		err = d.check(ctx)
		if err == nil {
			return d, nil
		}
		sqldb.Close()
		if isBusy(err) && time.Now().Before(deadline) && ctx.Err() == nil {
			time.Sleep(wait)
			continue
		}
		return nil, msg.Errorf("cannot open %v %s: %v", sch.what, path, err)
	}
}

// isBusy reports whether err is SQLite's "busy" or "locked", as it is or
// as Friendly words it.
func isBusy(err error) bool {
	var se sqlite3.Error
	if errors.As(err, &se) {
		return se.Code == sqlite3.ErrBusy || se.Code == sqlite3.ErrLocked
	}
	return strings.Contains(err.Error(), "the archive is busy")
}

// Close closes the archive.
func (d *DB) Close() error {
	d.stmts.close()
	return d.db.Close()
}

// Path is the file the archive was opened from.
func (d *DB) Path() string { return d.path }

// SQL gives direct access for tests and tools in this module.
func (d *DB) SQL() *sql.DB { return d.db }

type migration struct {
	version int
	name    string
	sql     string
}

func migrations() []migration { return archiveSchema.migrations() }

func (sch schema) migrations() []migration {
	entries, _ := fs.ReadDir(migrationFS, sch.dir)
	var out []migration
	for _, e := range entries {
		n, err := strconv.Atoi(strings.SplitN(e.Name(), "_", 2)[0])
		if err != nil {
			continue
		}
		text, _ := migrationFS.ReadFile(sch.dir + "/" + e.Name())
		out = append(out, migration{version: n, name: e.Name(), sql: string(text)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].version < out[j].version })
	return out
}

// SchemaVersion is the newest migration this binary knows.
func SchemaVersion() int {
	m := migrations()
	return m[len(m)-1].version
}

func (d *DB) check(ctx context.Context) error {
	// Read together, in one statement: another process making the file
	// at this moment sets both in one transaction, and read apart they
	// could be one from before it and one from after (an id of 0 with
	// tables: "another program's").
	var appID int64
	var tables int
	if err := d.db.QueryRowContext(ctx, "SELECT (SELECT application_id FROM pragma_application_id), (SELECT count(*) FROM sqlite_schema)").
		Scan(&appID, &tables); err != nil {
		return Friendly(err)
	}
	switch {
	case appID == d.schema.appID:
	case appID == 0 && tables == 0 && d.mode != ReadOnly:
		// A new, empty file: make it one of ours.
	case appID == 0 && tables == 0:
		return msg.Errorf("%v: the file is an empty database", ErrNotArchive)
	case appID == bookmarksSchema.appID || appID == archiveSchema.appID:
		return msg.Errorf("%v: it is a kurultai file of another kind, not a %v", ErrNotArchive, d.schema.what)
	default:
		return msg.Errorf("%v: it is an SQLite database of another program", ErrNotArchive)
	}
	applied := 0
	if tables > 0 {
		err := d.db.QueryRowContext(ctx, "SELECT coalesce(max(version), 0) FROM schema_migrations").Scan(&applied)
		if err != nil {
			return msg.Errorf("%v: its migration record is missing (%v)", ErrNotArchive, Friendly(err))
		}
	}
	ms := d.schema.migrations()
	known := ms[len(ms)-1].version
	if applied > known {
		return msg.Errorf("%v: its schema is version %d and this kurultai knows up to %d; use a newer kurultai", ErrTooNew, applied, known)
	}
	if applied == known {
		return nil
	}
	if d.mode == ReadOnly {
		return msg.Errorf("%v (schema %d; this kurultai reads %d): run kurultai archive upgrade --archive %s once to bring it up to date",
			ErrNeedsUpgrade, applied, known, shellQuote(d.path))
	}
	return d.migrate(ctx, applied)
}

func (d *DB) migrate(ctx context.Context, applied int) error {
	for _, m := range d.schema.migrations() {
		if m.version <= applied {
			continue
		}
		err := d.inTx(ctx, func(tx *sql.Tx) error {
			// Another process may have applied it since we looked: the
			// transaction holds the write lock, so look again.
			var done int
			tx.QueryRowContext(ctx, "SELECT count(*) FROM schema_migrations WHERE version = ?", m.version).Scan(&done)
			if done > 0 {
				return nil
			}
			if m.version == 1 {
				if _, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA application_id = %d", d.schema.appID)); err != nil {
					return err
				}
				if _, err := tx.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
					version INTEGER PRIMARY KEY, name TEXT NOT NULL,
					applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')))`); err != nil {
					return err
				}
			}
			if _, err := tx.ExecContext(ctx, m.sql); err != nil {
				return err
			}
			if step := goMigrations[m.version]; step != nil && d.schema.dir == archiveSchema.dir {
				if err := step(ctx, tx, d.progress); err != nil {
					return err
				}
			}
			_, err := tx.ExecContext(ctx, "INSERT INTO schema_migrations (version, name) VALUES (?, ?)", m.version, m.name)
			return err
		})
		if err := Friendly(err); errors.Is(err, ErrNoFTS5) {
			return err
		}
		if err != nil {
			return msg.Errorf("migration %s failed: %v", m.name, Friendly(err))
		}
	}
	return nil
}

// shellQuote writes a path so that it can be pasted into a shell.
func shellQuote(s string) string {
	if s != "" && strings.IndexFunc(s, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("-_./+,:@", r))
	}) < 0 {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// inTx runs fn in one transaction, committing only if it returns nil.
func (d *DB) inTx(ctx context.Context, fn func(*sql.Tx) error) error {
	tx, err := d.db.BeginTx(ctx, nil)
	if err != nil {
		return Friendly(err)
	}
	if err := fn(tx); err != nil {
		tx.Rollback()
		return err
	}
	return Friendly(tx.Commit())
}

// ErrNoFTS5 is a kurultai built without SQLite's full-text search.
var ErrNoFTS5 = msg.New("this kurultai was built without full-text search: rebuild it with go build -tags fts5 -o kurultai .")

// Friendly turns driver errors into plain words; other errors pass through.
func Friendly(err error) error {
	if err != nil && strings.Contains(err.Error(), "no such module: fts5") {
		return ErrNoFTS5
	}
	var se sqlite3.Error
	if !errors.As(err, &se) {
		return err
	}
	switch se.Code {
	case sqlite3.ErrNotADB:
		return msg.Errorf("%v: the file is not a database", ErrNotArchive)
	case sqlite3.ErrCorrupt:
		return msg.New("the archive file is damaged (database disk image is malformed); restore it from a copy or rebuild it")
	case sqlite3.ErrCantOpen:
		return msg.New("the file cannot be opened (check that it exists and that its folder can be read)")
	case sqlite3.ErrReadonly:
		return msg.New("the archive is read-only here")
	case sqlite3.ErrBusy, sqlite3.ErrLocked:
		return msg.New("the archive is busy: another kurultai is writing to it; try again in a moment")
	case sqlite3.ErrFull:
		return msg.New("the disk is full")
	case sqlite3.ErrPerm, sqlite3.ErrAuth:
		return msg.New("permission denied")
	case sqlite3.ErrIoErr:
		return msg.Errorf("the archive could not be read or written (%v)", se.Error())
	}
	return err
}

// meta reads a value from the meta table; a missing key gives "".
func (d *DB) meta(ctx context.Context, key string) (string, error) {
	var v string
	err := d.db.QueryRowContext(ctx, "SELECT value FROM meta WHERE key = ?", key).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return v, Friendly(err)
}

// Compact rewrites the archive without its free pages (VACUUM), as after
// an upgrade that rebuilt its largest tables.
func (d *DB) Compact(ctx context.Context) error {
	if _, err := d.db.ExecContext(ctx, "VACUUM"); err != nil {
		return Friendly(err)
	}
	return d.Checkpoint(ctx)
}

// walMode turns on the write-ahead log, which the archive's file keeps:
// Builder's archives are made without it.
func (d *DB) walMode(ctx context.Context) error {
	conn, err := d.db.Conn(ctx)
	if err != nil {
		return Friendly(err)
	}
	defer conn.Close()
	var mode string
	if err := conn.QueryRowContext(ctx, "PRAGMA journal_mode = WAL").Scan(&mode); err != nil {
		return Friendly(err)
	}
	if mode != "wal" {
		return msg.Errorf("the archive kept the journal mode %q", mode)
	}
	return nil
}

// Checkpoint moves everything from the write-ahead log into the archive
// file, so that the file alone is the whole archive.
func (d *DB) Checkpoint(ctx context.Context) error {
	_, err := d.db.ExecContext(ctx, "PRAGMA wal_checkpoint(TRUNCATE)")
	return Friendly(err)
}
