package data

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"hash/fnv"
	"io/fs"
	"net"
	"net/url"
	"path"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"kurultai/sessions"
	"kurultai/sessions/msg"
)

// PGStore is a Store in PostgreSQL: the readers' bookmarks, follows and
// what they have seen, shared by several servers of one archive. Its
// tables live in a schema of their own, kurultai, so that the database
// may hold others.
type PGStore struct {
	pool *pgxpool.Pool
}

var _ Store = (*PGStore)(nil)

//go:embed pg_migrations/*.sql
var pgMigrationFS embed.FS

// pgSchema is the schema the store's tables are in.
const pgSchema = "kurultai"

// opTimeout bounds one action on the database: a database host gone
// without a word would otherwise hold a reader's bookmark for as long as
// TCP takes to give up, many minutes.
const opTimeout = 15 * time.Second

// ErrStateUnavailable is a state database that cannot be reached now.
// The pool connects again on the next request, so the next action may
// work.
var ErrStateUnavailable = msg.New("bookmarks are unavailable; retrying")

// IsPGAddress says whether a --state names PostgreSQL: a postgres:// or
// postgresql:// URL. Anything else is a bookmarks file.
func IsPGAddress(addr string) bool {
	return strings.HasPrefix(addr, "postgres://") || strings.HasPrefix(addr, "postgresql://")
}

// OpenPGStore connects to PostgreSQL at addr (postgres://USER@HOST/DB) and
// brings its schema up to date. The password is never part of addr: it
// comes from PGPASSWORD or ~/.pgpass, as for psql.
func OpenPGStore(ctx context.Context, addr string) (*PGStore, error) { return openPG(ctx, addr, true) }

// OpenPGStoreToRead connects to a store that must hold kurultai's state
// already, and changes nothing in it: for kurultai state export.
func OpenPGStoreToRead(ctx context.Context, addr string) (*PGStore, error) {
	return openPG(ctx, addr, false)
}

func openPG(ctx context.Context, addr string, migrate bool) (*PGStore, error) {
	if !IsPGAddress(addr) {
		return nil, msg.New("the state database is named by a URL such as postgres://kurultai@db.example/kurultai")
	}
	u, err := url.Parse(addr)
	if err != nil {
		// Not shown: what cannot be read may hold a password.
		return nil, msg.Errorf("the state database's address cannot be read: a URL such as postgres://kurultai@db.example/kurultai is expected")
	}
	if hasPassword(u) {
		return nil, msg.Errorf("%s: a password does not belong in the address, where every process can read it; put it in PGPASSWORD or ~/.pgpass", redactURL(u))
	}
	shown := redactURL(u)
	cfg, err := pgxpool.ParseConfig(addr)
	if err != nil {
		return nil, msg.Errorf("%s is not a PostgreSQL address such as postgres://kurultai@db.example/kurultai", shown)
	}
	cfg.ConnConfig.RuntimeParams["search_path"] = pgSchema
	cfg.ConnConfig.RuntimeParams["application_name"] = "kurultai"
	if cfg.ConnConfig.ConnectTimeout == 0 {
		cfg.ConnConfig.ConnectTimeout = 10 * time.Second
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, msg.Errorf("cannot reach the state database %s: %v", shown, whyUnreached(err))
	}
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, msg.Errorf("cannot reach the state database %s: %v", shown, whyUnreached(err))
	}
	if migrate {
		err = migratePG(ctx, pool)
	} else {
		err = checkPGSchema(ctx, pool)
	}
	if err != nil {
		pool.Close()
		return nil, msg.Errorf("the state database %s: %v", shown, err)
	}
	return &PGStore{pool: pool}, nil
}

// Close closes the pool.
func (s *PGStore) Close() error {
	s.pool.Close()
	return nil
}

// hasPassword says whether an address names a password: user:password@,
// or a password parameter.
func hasPassword(u *url.URL) bool {
	if u.User != nil {
		if _, ok := u.User.Password(); ok {
			return true
		}
	}
	for k := range u.Query() {
		if strings.EqualFold(k, "password") {
			return true
		}
	}
	return false
}

// redactURL is an address as messages show it: without a password.
func redactURL(u *url.URL) string {
	c := *u
	if c.User != nil {
		if _, ok := c.User.Password(); ok {
			c.User = url.UserPassword(c.User.Username(), "xxxxx")
		}
	}
	q := c.Query()
	for k := range q {
		if strings.EqualFold(k, "password") {
			q.Set(k, "xxxxx")
		}
	}
	c.RawQuery = q.Encode()
	return c.String()
}

// pgLockKey is the advisory lock that migrations hold, so that servers
// starting at once apply each migration once.
var pgLockKey = func() int64 {
	h := fnv.New64a()
	h.Write([]byte("kurultai state migrations"))
	return int64(h.Sum64() >> 1)
}()

// pgMigration is one embedded .sql file.
type pgMigration struct {
	version int
	name    string
	sql     string
}

func pgMigrations() ([]pgMigration, error) {
	entries, err := fs.ReadDir(pgMigrationFS, "pg_migrations")
	if err != nil {
		return nil, err
	}
	var out []pgMigration
	for _, e := range entries {
		v, err := strconv.Atoi(strings.SplitN(e.Name(), "_", 2)[0])
		if err != nil {
			return nil, msg.Errorf("migration %s has no number", e.Name())
		}
		b, err := pgMigrationFS.ReadFile(path.Join("pg_migrations", e.Name()))
		if err != nil {
			return nil, err
		}
		out = append(out, pgMigration{version: v, name: e.Name(), sql: string(b)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].version < out[j].version })
	return out, nil
}

// migratePG applies the migrations the database has not had, each in a
// transaction with its record, under an advisory lock that servers
// starting together wait for (held by the transaction, so that it goes
// with it whatever happens). A database whose schema is newer than this
// kurultai's is refused.
func migratePG(ctx context.Context, pool *pgxpool.Pool) error {
	ms, err := pgMigrations()
	if err != nil {
		return err
	}
	known := ms[len(ms)-1].version
	locked := func(fn func(tx pgx.Tx) error) error {
		return pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
			if _, err := tx.Exec(ctx, "SET LOCAL lock_timeout = '60s'"); err != nil {
				return err
			}
			if _, err := tx.Exec(ctx, "SELECT pg_advisory_xact_lock($1)", pgLockKey); err != nil {
				return err
			}
			return fn(tx)
		})
	}
	// The schema and the record of migrations; a role that owns the schema
	// needs no right to create one.
	err = locked(func(tx pgx.Tx) error {
		var have bool
		if err := tx.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = $1)", pgSchema).Scan(&have); err != nil {
			return err
		}
		if !have {
			if _, err := tx.Exec(ctx, "CREATE SCHEMA "+pgSchema); err != nil {
				return err
			}
		}
		_, err := tx.Exec(ctx, `CREATE TABLE IF NOT EXISTS `+pgSchema+`.migrations (
			version integer PRIMARY KEY,
			name    text NOT NULL,
			applied timestamptz NOT NULL DEFAULT now())`)
		return err
	})
	if err != nil {
		return plainPGError(err)
	}
	for _, m := range ms {
		var newer bool
		err := locked(func(tx pgx.Tx) error {
			var applied int
			if err := tx.QueryRow(ctx, "SELECT coalesce(max(version), 0) FROM "+pgSchema+".migrations").Scan(&applied); err != nil {
				return err
			}
			if applied > known {
				newer = true
				return msg.Errorf("%v: its schema is version %d and this kurultai knows up to %d; use a newer kurultai", ErrStateTooNew, applied, known)
			}
			var done bool
			if err := tx.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM "+pgSchema+".migrations WHERE version = $1)", m.version).Scan(&done); err != nil || done {
				return err
			}
			if _, err := tx.Exec(ctx, m.sql); err != nil {
				return err
			}
			_, err := tx.Exec(ctx, "INSERT INTO "+pgSchema+".migrations (version, name) VALUES ($1, $2)", m.version, m.name)
			return err
		})
		if newer {
			return err
		}
		if err != nil {
			return msg.Errorf("migration %s failed: %v", m.name, plainPGError(err))
		}
	}
	return nil
}

// ErrStateTooNew is a state database made by a newer kurultai.
var ErrStateTooNew = msg.New("state database made by a newer kurultai")

// checkPGSchema refuses a database that does not hold kurultai's state at
// this kurultai's schema, without changing it.
func checkPGSchema(ctx context.Context, pool *pgxpool.Pool) error {
	ms, err := pgMigrations()
	if err != nil {
		return err
	}
	known := ms[len(ms)-1].version
	var applied int
	err = pool.QueryRow(ctx, "SELECT coalesce(max(version), 0) FROM "+pgSchema+".migrations").Scan(&applied)
	var pe *pgconn.PgError
	if errors.As(err, &pe) && pe.Code == "42P01" || err == nil && applied == 0 {
		return msg.New("it holds no kurultai state (no kurultai.migrations table)")
	}
	if err != nil {
		return plainPGError(err)
	}
	if applied > known {
		return msg.Errorf("%v: its schema is version %d and this kurultai knows up to %d; use a newer kurultai", ErrStateTooNew, applied, known)
	}
	if applied < known {
		return msg.Errorf("its schema is version %d; a kurultai serve with --state brings it up to %d", applied, known)
	}
	return nil
}

// plainPGError says what went wrong with the database in plain words: a
// server that cannot be reached now is ErrStateUnavailable.
func plainPGError(err error) error {
	if err == nil {
		return nil
	}
	if unreachable(err) || errors.Is(err, context.DeadlineExceeded) {
		return ErrStateUnavailable
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return msg.Errorf("PostgreSQL said: %s", pe.Message)
	}
	return err
}

// whyUnreached says why a first connection failed, in the fewest words
// that say it: the network's (connection refused, no such host) or the
// server's (password authentication failed).
func whyUnreached(err error) error {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return msg.Errorf("PostgreSQL said: %s", pe.Message)
	}
	var oe *net.OpError
	if errors.As(err, &oe) && oe.Err != nil {
		return oe.Err
	}
	var de *net.DNSError
	if errors.As(err, &de) {
		return de
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return msg.New("no answer in time")
	}
	return err
}

// unreachable says whether an error is the database out of reach: no
// connection, a connection lost, a server shutting down.
func unreachable(err error) bool {
	var ne net.Error
	var ce *pgconn.ConnectError
	var pe *pgconn.PgError
	if errors.As(err, &pe) && (strings.HasPrefix(pe.Code, "28") || pe.Code == "3D000") {
		// A password or an address refused, a database that is not there:
		// no retrying mends those.
		return false
	}
	switch {
	case errors.As(err, &ce), errors.As(err, &ne):
		return true
	case errors.As(err, &pe):
		// Class 08: connection exception; 57P: operator intervention
		// (shutdown, crash).
		return strings.HasPrefix(pe.Code, "08") || strings.HasPrefix(pe.Code, "57P")
	case pgconn.SafeToRetry(err), errors.Is(err, pgx.ErrTxClosed):
		return true
	}
	s := err.Error()
	return strings.Contains(s, "conn closed") || strings.Contains(s, "connection reset") || strings.Contains(s, "unexpected EOF") ||
		strings.Contains(s, "broken pipe") || strings.Contains(s, "failed to deallocate") || strings.Contains(s, "connection refused")
}

// pgArgs numbers a query's arguments: $1, $2, …
type pgArgs []any

func (a *pgArgs) add(v any) string {
	*a = append(*a, v)
	return "$" + strconv.Itoa(len(*a))
}

// where is a filter's condition for an owner, in PostgreSQL.
func (f BookmarkFilter) pgWhere(owner string, args *pgArgs) string {
	where := "b.owner = " + args.add(owner)
	if f.Tag != "" {
		where += " AND b.id IN (SELECT bookmark FROM bookmark_tags WHERE tag = " + args.add(f.Tag) + ")"
	}
	if f.Doc != "" {
		where += " AND b.doc = " + args.add(f.Doc)
	}
	if t := strings.TrimSpace(f.Text); t != "" {
		if tag, ok := strings.CutPrefix(t, "#"); ok {
			where += " AND b.id IN (SELECT bookmark FROM bookmark_tags WHERE folded = " + args.add(Fold(tag)) + ")"
		} else {
			n := args.add(Fold(t))
			where += " AND (strpos(b.folded, " + n + ") > 0 OR b.id IN (SELECT bookmark FROM bookmark_tags WHERE strpos(folded, " + n + ") > 0))"
		}
	}
	return where
}

// bookmarkFolded is what the filter searches in a bookmark, folded as
// SQLite's kfold folds note || ' ' || quote || ' ' || doc.
func bookmarkFolded(note, quote, doc string) string { return Fold(note + " " + quote + " " + doc) }

// Add keeps a new passage, or says which bookmark keeps it already.
func (s *PGStore) Add(ctx context.Context, p *sessions.Passage) (int64, error) {
	ctx, cancel := context.WithTimeout(ctx, opTimeout)
	defer cancel()
	if err := passageKeepable(p); err != nil {
		return 0, err
	}
	now := time.Now().UTC().Format(time.RFC3339)
	if p.UID == "" {
		p.UID = newUID()
	}
	if p.Created == "" {
		p.Created = now
	}
	if p.Updated == "" {
		p.Updated = now
	}
	var id int64
	var kept *AlreadyKept
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		// One owner's additions of one document wait for each other, so
		// that two cannot both find the passage missing.
		if _, err := tx.Exec(ctx, "SELECT pg_advisory_xact_lock(hashtextextended($1 || chr(10) || $2, 0))", p.Owner, p.Doc); err != nil {
			return err
		}
		err := tx.QueryRow(ctx, "SELECT id FROM bookmarks WHERE owner = $1 AND doc = $2 AND para_from = $3 AND para_to = $4 ORDER BY id LIMIT 1",
			p.Owner, p.Doc, p.From, p.To).Scan(&id)
		if err == nil {
			kept = &AlreadyKept{ID: id, Doc: p.Doc, From: p.From, To: p.To}
			return nil
		}
		if !errors.Is(err, pgx.ErrNoRows) {
			return err
		}
		if err := tx.QueryRow(ctx, `INSERT INTO bookmarks (uid, owner, archive, doc, session, date, para_from, para_to, quote, note, created, updated, folded)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id`, p.UID, p.Owner, p.Archive, p.Doc, p.Citation.Session,
			p.Citation.Date, p.From, p.To, p.Quote, p.Note, p.Created, p.Updated, bookmarkFolded(p.Note, p.Quote, p.Doc)).Scan(&id); err != nil {
			return err
		}
		return insertTags(ctx, tx, id, p.Tags)
	})
	if err != nil {
		return 0, plainPGError(err)
	}
	if kept != nil {
		return id, kept
	}
	return id, nil
}

func insertTags(ctx context.Context, tx pgx.Tx, id int64, tags []string) error {
	for _, t := range tags {
		if _, err := tx.Exec(ctx, "INSERT INTO bookmark_tags (bookmark, tag, folded) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING", id, t, Fold(t)); err != nil {
			return err
		}
	}
	return nil
}

// List gives an owner's bookmarks, oldest first, or as the screen lists
// them.
func (s *PGStore) List(ctx context.Context, owner string, f BookmarkFilter) ([]Bookmark, error) {
	ctx, cancel := context.WithTimeout(ctx, opTimeout)
	defer cancel()
	var args pgArgs
	where := f.pgWhere(owner, &args)
	cols := "id, uid, owner, archive, doc, para_from, para_to, quote, note, created, updated, session, date"
	order := " ORDER BY created, id"
	if f.Screen {
		cols = "id, doc, para_from, para_to, substr(quote, 1, 200), note, session, date"
		order = " ORDER BY date DESC, session, doc, para_from, id"
		if f.Limit > 0 {
			order += fmt.Sprintf(" LIMIT %d OFFSET %d", f.Limit, max(f.Offset, 0))
		}
	}
	rows, err := s.pool.Query(ctx, "SELECT "+cols+" FROM bookmarks b WHERE "+where+order, args...)
	if err != nil {
		return nil, plainPGError(err)
	}
	var out []Bookmark
	index := map[int64]int{}
	for rows.Next() {
		bm, err := scanBookmark(rows.Scan, f.Screen, owner)
		if err != nil {
			rows.Close()
			return nil, plainPGError(err)
		}
		index[bm.ID] = len(out)
		out = append(out, bm)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, plainPGError(err)
	}
	if len(out) == 0 {
		return out, nil
	}
	ids := make([]int64, len(out))
	for i, b := range out {
		ids[i] = b.ID
	}
	trows, err := s.pool.Query(ctx, "SELECT bookmark, tag FROM bookmark_tags WHERE bookmark = ANY($1) ORDER BY bookmark, tag", ids)
	if err != nil {
		return nil, plainPGError(err)
	}
	defer trows.Close()
	for trows.Next() {
		var id int64
		var tag string
		if err := trows.Scan(&id, &tag); err != nil {
			return nil, plainPGError(err)
		}
		if i, ok := index[id]; ok {
			out[i].Tags = append(out[i].Tags, tag)
		}
	}
	return out, plainPGError(trows.Err())
}

// Count counts an owner's bookmarks that a filter keeps.
func (s *PGStore) Count(ctx context.Context, owner string, f BookmarkFilter) (int, error) {
	ctx, cancel := context.WithTimeout(ctx, opTimeout)
	defer cancel()
	var args pgArgs
	where := f.pgWhere(owner, &args)
	var n int
	err := s.pool.QueryRow(ctx, "SELECT count(*) FROM bookmarks b WHERE "+where, args...).Scan(&n)
	return n, plainPGError(err)
}

// Get reads one of an owner's bookmarks whole.
func (s *PGStore) Get(ctx context.Context, owner string, id int64) (*Bookmark, error) {
	return getBookmark(ctx, s, owner, id)
}

// Edit changes an owner's bookmark's note and tags.
func (s *PGStore) Edit(ctx context.Context, owner string, id int64, note string, tags []string) error {
	ctx, cancel := context.WithTimeout(ctx, opTimeout)
	defer cancel()
	if err := keepable(append([]string{note}, tags...)...); err != nil {
		return err
	}
	var missing bool
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		var quote, doc string
		err := tx.QueryRow(ctx, "UPDATE bookmarks SET note = $1, updated = $2 WHERE owner = $3 AND id = $4 RETURNING quote, doc",
			note, time.Now().UTC().Format(time.RFC3339), owner, id).Scan(&quote, &doc)
		if errors.Is(err, pgx.ErrNoRows) {
			missing = true
			return nil
		}
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, "UPDATE bookmarks SET folded = $1 WHERE id = $2", bookmarkFolded(note, quote, doc), id); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, "DELETE FROM bookmark_tags WHERE bookmark = $1", id); err != nil {
			return err
		}
		return insertTags(ctx, tx, id, tags)
	})
	if err != nil {
		return plainPGError(err)
	}
	if missing {
		return msg.Errorf("bookmark %d: %v", id, ErrNotFound)
	}
	return nil
}

// Remove deletes an owner's bookmark by its number.
func (s *PGStore) Remove(ctx context.Context, owner string, id int64) error {
	ctx, cancel := context.WithTimeout(ctx, opTimeout)
	defer cancel()
	tag, err := s.pool.Exec(ctx, "DELETE FROM bookmarks WHERE owner = $1 AND id = $2", owner, id)
	if err != nil {
		return plainPGError(err)
	}
	if tag.RowsAffected() == 0 {
		return msg.Errorf("bookmark %d: %v", id, ErrNotFound)
	}
	return nil
}

// Import adds passages the store does not hold yet, by uid, for owner;
// one the owner keeps already under another uid is skipped too.
func (s *PGStore) Import(ctx context.Context, owner string, ps []sessions.Passage) (added, skipped int, err error) {
	return importPassages(ctx, s, owner, ps, func(uid string) (bool, error) {
		var n int
		err := s.pool.QueryRow(ctx, "SELECT count(*) FROM bookmarks WHERE uid = $1", uid).Scan(&n)
		return n > 0, plainPGError(err)
	})
}

// Forget deletes everything of the owners whose names start with prefix.
func (s *PGStore) Forget(ctx context.Context, prefix string) (int64, error) {
	ctx, cancel := context.WithTimeout(ctx, opTimeout)
	defer cancel()
	if prefix == "" {
		return 0, msg.New("forget needs an owner prefix")
	}
	var n int64
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, "DELETE FROM bookmarks WHERE starts_with(owner, $1)", prefix)
		if err != nil {
			return err
		}
		n = tag.RowsAffected()
		for _, table := range []string{"follows", "opened", "baselines"} {
			if _, err := tx.Exec(ctx, "DELETE FROM "+table+" WHERE starts_with(owner, $1)", prefix); err != nil {
				return err
			}
		}
		return nil
	})
	return n, plainPGError(err)
}

// AddFollow keeps a follow for an owner, seen up to batch.
func (s *PGStore) AddFollow(ctx context.Context, owner, archive string, f *Follow, batch int64) (int64, error) {
	ctx, cancel := context.WithTimeout(ctx, opTimeout)
	defer cancel()
	if err := keepable(f.Name, f.Target, f.Status); err != nil {
		return 0, err
	}
	now := time.Now().UTC().Format(time.RFC3339)
	var id int64
	err := s.pool.QueryRow(ctx, `INSERT INTO follows (owner, archive, name, kind, target, seen_batch, seen_at, created, seen_status)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (owner, archive, kind, md5(target)) DO NOTHING RETURNING id`,
		owner, archive, f.Name, f.Kind, f.Target, batch, now, now, f.Status).Scan(&id)
	if errors.Is(err, pgx.ErrNoRows) {
		if err := s.pool.QueryRow(ctx, "SELECT id FROM follows WHERE owner = $1 AND archive = $2 AND kind = $3 AND target = $4",
			owner, archive, f.Kind, f.Target).Scan(&id); err != nil {
			return 0, plainPGError(err)
		}
		return 0, &AlreadyFollowed{ID: id}
	}
	if err != nil {
		return 0, plainPGError(err)
	}
	f.ID, f.SeenBatch, f.SeenAt, f.Created = id, batch, now, now
	return id, nil
}

// Follows lists an owner's follows of an archive, oldest first.
func (s *PGStore) Follows(ctx context.Context, owner, archive string) ([]Follow, error) {
	ctx, cancel := context.WithTimeout(ctx, opTimeout)
	defer cancel()
	rows, err := s.pool.Query(ctx, `SELECT id, name, kind, target, seen_batch, seen_at, created, seen_status FROM follows
		WHERE owner = $1 AND archive = $2 ORDER BY id`, owner, archive)
	if err != nil {
		return nil, plainPGError(err)
	}
	defer rows.Close()
	var out []Follow
	for rows.Next() {
		var f Follow
		if err := rows.Scan(&f.ID, &f.Name, &f.Kind, &f.Target, &f.SeenBatch, &f.SeenAt, &f.Created, &f.seenStatus); err != nil {
			return nil, plainPGError(err)
		}
		out = append(out, f)
	}
	return out, plainPGError(rows.Err())
}

// SetSeen marks one of an owner's follows seen up to batch.
func (s *PGStore) SetSeen(ctx context.Context, owner string, id, batch int64, status string) error {
	ctx, cancel := context.WithTimeout(ctx, opTimeout)
	defer cancel()
	tag, err := s.pool.Exec(ctx, "UPDATE follows SET seen_batch = $1, seen_at = $2, seen_status = $3 WHERE owner = $4 AND id = $5",
		batch, time.Now().UTC().Format(time.RFC3339), status, owner, id)
	if err != nil {
		return plainPGError(err)
	}
	if tag.RowsAffected() == 0 {
		return msg.Errorf("%v: %d", ErrNoFollow, id)
	}
	return nil
}

// RemoveFollow stops following.
func (s *PGStore) RemoveFollow(ctx context.Context, owner string, id int64) error {
	ctx, cancel := context.WithTimeout(ctx, opTimeout)
	defer cancel()
	tag, err := s.pool.Exec(ctx, "DELETE FROM follows WHERE owner = $1 AND id = $2", owner, id)
	if err != nil {
		return plainPGError(err)
	}
	if tag.RowsAffected() == 0 {
		return msg.Errorf("%v: %d", ErrNoFollow, id)
	}
	return nil
}

// Baseline is the archive's batch when an owner first used it.
func (s *PGStore) Baseline(ctx context.Context, owner, archive string, last int64) (int64, error) {
	ctx, cancel := context.WithTimeout(ctx, opTimeout)
	defer cancel()
	var n int64
	// The update keeps the first batch, and returns it whoever inserted
	// it: two sessions starting at once agree.
	err := s.pool.QueryRow(ctx, `INSERT INTO baselines (owner, archive, batch) VALUES ($1, $2, $3)
		ON CONFLICT (owner, archive) DO UPDATE SET batch = baselines.batch RETURNING batch`, owner, archive, last).Scan(&n)
	return n, plainPGError(err)
}

// MarkOpened records that an owner opened a document at batch.
func (s *PGStore) MarkOpened(ctx context.Context, owner, archive, doc string, batch int64) error {
	ctx, cancel := context.WithTimeout(ctx, opTimeout)
	defer cancel()
	_, err := s.pool.Exec(ctx, `INSERT INTO opened (owner, archive, doc, batch) VALUES ($1, $2, $3, $4)
		ON CONFLICT (owner, archive, doc) DO UPDATE SET batch = greatest(opened.batch, excluded.batch)`, owner, archive, doc, batch)
	return plainPGError(err)
}

// Opened gives the batch at which an owner last opened each of docs.
func (s *PGStore) Opened(ctx context.Context, owner, archive string, docs []string) (map[string]int64, error) {
	ctx, cancel := context.WithTimeout(ctx, opTimeout)
	defer cancel()
	out := map[string]int64{}
	if len(docs) == 0 {
		return out, nil
	}
	rows, err := s.pool.Query(ctx, "SELECT doc, batch FROM opened WHERE owner = $1 AND archive = $2 AND doc = ANY($3)", owner, archive, docs)
	if err != nil {
		return nil, plainPGError(err)
	}
	defer rows.Close()
	for rows.Next() {
		var doc string
		var n int64
		if err := rows.Scan(&doc, &n); err != nil {
			return nil, plainPGError(err)
		}
		out[doc] = n
	}
	return out, plainPGError(rows.Err())
}
