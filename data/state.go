package data

import (
	"context"
	"database/sql"
	"errors"
	"strconv"

	"github.com/jackc/pgx/v5"

	"kurultai/sessions"
	"kurultai/sessions/msg"
)

// StateVersion is the version of the state's interchange form (kurultai
// state export), which states its version in its first field.
const StateVersion = 1

// State is everything a store holds for its readers, in a form that moves
// between stores: from a single server's file to the PostgreSQL of
// several, and back. Guests' state, which lasts one connection, is not in
// it.
type State struct {
	Version   int              `json:"kurultai_state"`
	Bookmarks []StateBookmark  `json:"bookmarks"`
	Follows   []StateFollow    `json:"follows"`
	Baselines []StateBaseline  `json:"baselines"`
	Opened    []StateOpened    `json:"opened"`
	Next      StateNextNumbers `json:"next"`
}

// StateBookmark is a bookmark with its number.
type StateBookmark struct {
	ID int64 `json:"id"`
	sessions.Passage
}

// StateFollow is a follow as the store keeps it.
type StateFollow struct {
	ID         int64  `json:"id"`
	Owner      string `json:"owner"`
	Archive    string `json:"archive"`
	Name       string `json:"name"`
	Kind       string `json:"kind"`
	Target     string `json:"target"`
	SeenBatch  int64  `json:"seen_batch"`
	SeenAt     string `json:"seen_at"`
	SeenStatus string `json:"seen_status"`
	Created    string `json:"created"`
}

// StateBaseline is the batch from which an archive is new to an owner.
type StateBaseline struct {
	Owner   string `json:"owner"`
	Archive string `json:"archive"`
	Batch   int64  `json:"batch"`
}

// StateOpened is the batch at which an owner last opened a document.
type StateOpened struct {
	Owner   string `json:"owner"`
	Archive string `json:"archive"`
	Doc     string `json:"doc"`
	Batch   int64  `json:"batch"`
}

// StateNextNumbers are the highest bookmark and follow numbers the store
// ever gave, removed ones too, so that the store a state moves to never
// gives them again.
type StateNextNumbers struct {
	Bookmark int64 `json:"bookmark"`
	Follow   int64 `json:"follow"`
}

// StateLoaded says what loading a state did: what was added, what was
// there already (by a bookmark's uid, a follow's kind and target, an
// owner's baseline), and which numbers were taken by another's and given
// anew.
type StateLoaded struct {
	Bookmarks, Follows, Baselines, Opened        int
	SkippedBookmarks, SkippedFollows, Renumbered int
}

// stateTx is a transaction of either store, as loading and dumping see it.
type stateTx interface {
	exec(ctx context.Context, q string, args ...any) (int64, error)
	each(ctx context.Context, q string, args []any, scan func(func(...any) error) error) error
	// one reads one row; found is false when there is none.
	one(ctx context.Context, q string, args []any, dest ...any) (found bool, err error)
}

// stateDialect is what differs between the stores' SQL.
type stateDialect struct {
	greatest string
	// overriding lets an insert give an identity column its value.
	overriding string
	// folded says whether bookmarks and tags keep their folded text.
	folded bool
	// setNext makes a table's next number at least n.
	setNext func(ctx context.Context, tx stateTx, table string, n int64) error
	// high is the highest number a table ever gave.
	high func(ctx context.Context, tx stateTx, table string) (int64, error)
}

func dumpState(ctx context.Context, tx stateTx, d stateDialect) (*State, error) {
	st := &State{Version: StateVersion, Bookmarks: []StateBookmark{}, Follows: []StateFollow{}, Baselines: []StateBaseline{}, Opened: []StateOpened{}}
	index := map[int64]int{}
	err := tx.each(ctx, `SELECT id, uid, owner, archive, doc, para_from, para_to, quote, note, created, updated, session, date
		FROM bookmarks WHERE owner NOT LIKE 'guest:%' ORDER BY id`, nil, func(scan func(...any) error) error {
		var b StateBookmark
		if err := scan(&b.ID, &b.UID, &b.Owner, &b.Archive, &b.Doc, &b.From, &b.To, &b.Quote, &b.Note, &b.Created, &b.Updated,
			&b.Citation.Session, &b.Citation.Date); err != nil {
			return err
		}
		index[b.ID] = len(st.Bookmarks)
		st.Bookmarks = append(st.Bookmarks, b)
		return nil
	})
	if err != nil {
		return nil, err
	}
	err = tx.each(ctx, "SELECT bookmark, tag FROM bookmark_tags ORDER BY bookmark, tag", nil, func(scan func(...any) error) error {
		var id int64
		var tag string
		if err := scan(&id, &tag); err != nil {
			return err
		}
		if i, ok := index[id]; ok {
			st.Bookmarks[i].Tags = append(st.Bookmarks[i].Tags, tag)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	err = tx.each(ctx, `SELECT id, owner, archive, name, kind, target, seen_batch, seen_at, seen_status, created FROM follows
		WHERE owner NOT LIKE 'guest:%' ORDER BY id`, nil, func(scan func(...any) error) error {
		var f StateFollow
		if err := scan(&f.ID, &f.Owner, &f.Archive, &f.Name, &f.Kind, &f.Target, &f.SeenBatch, &f.SeenAt, &f.SeenStatus, &f.Created); err != nil {
			return err
		}
		st.Follows = append(st.Follows, f)
		return nil
	})
	if err != nil {
		return nil, err
	}
	err = tx.each(ctx, "SELECT owner, archive, batch FROM baselines WHERE owner NOT LIKE 'guest:%' ORDER BY owner, archive", nil,
		func(scan func(...any) error) error {
			var b StateBaseline
			if err := scan(&b.Owner, &b.Archive, &b.Batch); err != nil {
				return err
			}
			st.Baselines = append(st.Baselines, b)
			return nil
		})
	if err != nil {
		return nil, err
	}
	err = tx.each(ctx, "SELECT owner, archive, doc, batch FROM opened WHERE owner NOT LIKE 'guest:%' ORDER BY owner, archive, doc", nil,
		func(scan func(...any) error) error {
			var o StateOpened
			if err := scan(&o.Owner, &o.Archive, &o.Doc, &o.Batch); err != nil {
				return err
			}
			st.Opened = append(st.Opened, o)
			return nil
		})
	if err != nil {
		return nil, err
	}
	if st.Next.Bookmark, err = d.high(ctx, tx, "bookmarks"); err != nil {
		return nil, err
	}
	if st.Next.Follow, err = d.high(ctx, tx, "follows"); err != nil {
		return nil, err
	}
	return st, nil
}

// loadState adds a state to a store, in the caller's transaction: what
// the store holds already is kept, so that loading twice adds nothing.
func loadState(ctx context.Context, tx stateTx, d stateDialect, st *State) (StateLoaded, error) {
	var r StateLoaded
	if st.Version != StateVersion {
		return r, msg.Errorf("this is kurultai state version %d; this kurultai reads version %d", st.Version, StateVersion)
	}
	// Checked whole before anything is written, so that the file and
	// PostgreSQL take or refuse the same state.
	for _, b := range st.Bookmarks {
		p := b.Passage
		if err := passageKeepable(&p); err != nil {
			return r, msg.Errorf("bookmark %d of %s: %v", b.ID, b.Owner, err)
		}
	}
	for _, f := range st.Follows {
		if err := keepable(f.Owner, f.Archive, f.Name, f.Kind, f.Target, f.SeenStatus); err != nil {
			return r, msg.Errorf("follow %d of %s: %v", f.ID, f.Owner, err)
		}
	}
	// Numbers taken in this store by another bookmark or follow are given
	// anew once every free one is in, so that a new number never takes one
	// that a later row of the state needs.
	var laterB []StateBookmark
	for _, b := range st.Bookmarks {
		if b.UID == "" || b.Owner == "" || b.Doc == "" || b.From < 1 || b.To < b.From {
			return r, msg.Errorf("bookmark %d of the state has no uid, owner, document or paragraphs", b.ID)
		}
		var have int64
		if found, err := tx.one(ctx, "SELECT id FROM bookmarks WHERE uid = $1 OR (owner = $2 AND doc = $3 AND para_from = $4 AND para_to = $5) LIMIT 1",
			[]any{b.UID, b.Owner, b.Doc, b.From, b.To}, &have); err != nil {
			return r, err
		} else if found {
			r.SkippedBookmarks++
			continue
		}
		taken, err := tx.one(ctx, "SELECT id FROM bookmarks WHERE id = $1", []any{b.ID}, &have)
		if err != nil {
			return r, err
		}
		if taken {
			laterB = append(laterB, b)
			continue
		}
		if err := loadBookmark(ctx, tx, d, b, true); err != nil {
			return r, err
		}
		r.Bookmarks++
	}
	var laterF []StateFollow
	for _, f := range st.Follows {
		var have int64
		if found, err := tx.one(ctx, "SELECT id FROM follows WHERE owner = $1 AND archive = $2 AND kind = $3 AND target = $4",
			[]any{f.Owner, f.Archive, f.Kind, f.Target}, &have); err != nil {
			return r, err
		} else if found {
			r.SkippedFollows++
			continue
		}
		taken, err := tx.one(ctx, "SELECT id FROM follows WHERE id = $1", []any{f.ID}, &have)
		if err != nil {
			return r, err
		}
		if taken {
			laterF = append(laterF, f)
			continue
		}
		if err := loadFollow(ctx, tx, d, f, true); err != nil {
			return r, err
		}
		r.Follows++
	}
	for table, n := range map[string]int64{"bookmarks": st.Next.Bookmark, "follows": st.Next.Follow} {
		if err := d.setNext(ctx, tx, table, n); err != nil {
			return r, err
		}
	}
	for _, b := range laterB {
		if err := loadBookmark(ctx, tx, d, b, false); err != nil {
			return r, err
		}
		r.Bookmarks++
		r.Renumbered++
	}
	for _, f := range laterF {
		if err := loadFollow(ctx, tx, d, f, false); err != nil {
			return r, err
		}
		r.Follows++
		r.Renumbered++
	}
	for _, b := range st.Baselines {
		n, err := tx.exec(ctx, "INSERT INTO baselines (owner, archive, batch) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING", b.Owner, b.Archive, b.Batch)
		if err != nil {
			return r, err
		}
		r.Baselines += int(n)
	}
	for _, o := range st.Opened {
		if _, err := tx.exec(ctx, `INSERT INTO opened (owner, archive, doc, batch) VALUES ($1, $2, $3, $4)
			ON CONFLICT (owner, archive, doc) DO UPDATE SET batch = `+d.greatest+`(opened.batch, excluded.batch)`, o.Owner, o.Archive, o.Doc, o.Batch); err != nil {
			return r, err
		}
		r.Opened++
	}
	return r, nil
}

// loadBookmark adds a bookmark of a state, with its own number or, when
// keepID is false, the store's next.
func loadBookmark(ctx context.Context, tx stateTx, d stateDialect, b StateBookmark, keepID bool) error {
	cols := "uid, owner, archive, doc, session, date, para_from, para_to, quote, note, created, updated"
	args := []any{b.UID, b.Owner, b.Archive, b.Doc, b.Citation.Session, b.Citation.Date, b.From, b.To, b.Quote, b.Note, b.Created, b.Updated}
	if d.folded {
		cols += ", folded"
		args = append(args, bookmarkFolded(b.Note, b.Quote, b.Doc))
	}
	overriding := ""
	if keepID {
		cols += ", id"
		args = append(args, b.ID)
		overriding = d.overriding
	}
	var id int64
	if _, err := tx.one(ctx, "INSERT INTO bookmarks ("+cols+")"+overriding+" VALUES ("+dollars(len(args))+") RETURNING id", args, &id); err != nil {
		return err
	}
	for _, t := range b.Tags {
		q, args := "INSERT INTO bookmark_tags (bookmark, tag) VALUES ($1, $2) ON CONFLICT DO NOTHING", []any{id, t}
		if d.folded {
			q, args = "INSERT INTO bookmark_tags (bookmark, tag, folded) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING", append(args, Fold(t))
		}
		if _, err := tx.exec(ctx, q, args...); err != nil {
			return err
		}
	}
	return nil
}

// loadFollow adds a follow of a state, with its own number or the store's
// next.
func loadFollow(ctx context.Context, tx stateTx, d stateDialect, f StateFollow, keepID bool) error {
	cols := "owner, archive, name, kind, target, seen_batch, seen_at, seen_status, created"
	args := []any{f.Owner, f.Archive, f.Name, f.Kind, f.Target, f.SeenBatch, f.SeenAt, f.SeenStatus, f.Created}
	overriding := ""
	if keepID {
		cols += ", id"
		args = append(args, f.ID)
		overriding = d.overriding
	}
	_, err := tx.exec(ctx, "INSERT INTO follows ("+cols+")"+overriding+" VALUES ("+dollars(len(args))+")", args...)
	return err
}

// dollars is $1, $2, … $n.
func dollars(n int) string {
	var b []byte
	for i := 1; i <= n; i++ {
		if i > 1 {
			b = append(b, ", "...)
		}
		b = append(b, '$')
		b = strconv.AppendInt(b, int64(i), 10)
	}
	return string(b)
}

// sqliteTx is a transaction of the bookmarks file.
type sqliteTx struct{ tx *sql.Tx }

func (t sqliteTx) exec(ctx context.Context, q string, args ...any) (int64, error) {
	res, err := t.tx.ExecContext(ctx, q, args...)
	if err != nil {
		return 0, Friendly(err)
	}
	n, _ := res.RowsAffected()
	return n, nil
}

func (t sqliteTx) each(ctx context.Context, q string, args []any, scan func(func(...any) error) error) error {
	rows, err := t.tx.QueryContext(ctx, q, args...)
	if err != nil {
		return Friendly(err)
	}
	defer rows.Close()
	for rows.Next() {
		if err := scan(rows.Scan); err != nil {
			return Friendly(err)
		}
	}
	return Friendly(rows.Err())
}

func (t sqliteTx) one(ctx context.Context, q string, args []any, dest ...any) (bool, error) {
	err := t.tx.QueryRowContext(ctx, q, args...).Scan(dest...)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	return err == nil, Friendly(err)
}

// pgTx is a transaction of the PostgreSQL store.
type pgTx struct{ tx pgx.Tx }

func (t pgTx) exec(ctx context.Context, q string, args ...any) (int64, error) {
	tag, err := t.tx.Exec(ctx, q, args...)
	if err != nil {
		return 0, plainPGError(err)
	}
	return tag.RowsAffected(), nil
}

func (t pgTx) each(ctx context.Context, q string, args []any, scan func(func(...any) error) error) error {
	rows, err := t.tx.Query(ctx, q, args...)
	if err != nil {
		return plainPGError(err)
	}
	defer rows.Close()
	for rows.Next() {
		if err := scan(rows.Scan); err != nil {
			return plainPGError(err)
		}
	}
	return plainPGError(rows.Err())
}

func (t pgTx) one(ctx context.Context, q string, args []any, dest ...any) (bool, error) {
	err := t.tx.QueryRow(ctx, q, args...).Scan(dest...)
	if errors.Is(err, pgx.ErrNoRows) {
		return false, nil
	}
	return err == nil, plainPGError(err)
}

var sqliteDialect = stateDialect{
	greatest: "max",
	setNext: func(ctx context.Context, tx stateTx, table string, n int64) error {
		// AUTOINCREMENT's record of the highest number given.
		if _, err := tx.exec(ctx, "UPDATE sqlite_sequence SET seq = $1 WHERE name = $2 AND seq < $1", n, table); err != nil {
			return err
		}
		// (SQLite numbers $1 and $2 in the order they first appear.)
		_, err := tx.exec(ctx, "INSERT INTO sqlite_sequence (name, seq) SELECT $1, $2 WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = $1)", table, n)
		return err
	},
	high: func(ctx context.Context, tx stateTx, table string) (int64, error) {
		var n int64
		_, err := tx.one(ctx, "SELECT coalesce((SELECT seq FROM sqlite_sequence WHERE name = $1), 0)", []any{table}, &n)
		return n, err
	},
}

var pgDialect = stateDialect{
	greatest:   "greatest",
	overriding: " OVERRIDING SYSTEM VALUE",
	folded:     true,
	setNext: func(ctx context.Context, tx stateTx, table string, n int64) error {
		// The sequence goes on after both the numbers loaded and n.
		var high int64
		if _, err := tx.one(ctx, "SELECT greatest(coalesce(max(id), 0), $1::bigint) FROM "+table, []any{n}, &high); err != nil {
			return err
		}
		if high == 0 {
			return nil
		}
		_, err := tx.exec(ctx, "SELECT setval(pg_get_serial_sequence('"+pgSchema+"."+table+"', 'id'), greatest($1::bigint, (SELECT last_value FROM "+
			pgSchema+"."+table+"_id_seq)))", high)
		return err
	},
	high: func(ctx context.Context, tx stateTx, table string) (int64, error) {
		var n int64
		var called bool
		_, err := tx.one(ctx, "SELECT last_value, is_called FROM "+pgSchema+"."+table+"_id_seq", nil, &n, &called)
		if !called {
			n = 0
		}
		return n, err
	},
}

// DumpState reads everything the file holds for its readers.
func (b *Bookmarks) DumpState(ctx context.Context) (*State, error) {
	var st *State
	err := b.db.inTx(ctx, func(tx *sql.Tx) error {
		var err error
		st, err = dumpState(ctx, sqliteTx{tx}, sqliteDialect)
		return err
	})
	return st, err
}

// LoadState adds a state to the file, in one transaction.
func (b *Bookmarks) LoadState(ctx context.Context, st *State) (StateLoaded, error) {
	var r StateLoaded
	err := b.db.inTx(ctx, func(tx *sql.Tx) error {
		var err error
		r, err = loadState(ctx, sqliteTx{tx}, sqliteDialect, st)
		return err
	})
	return r, err
}

// DumpState reads everything the database holds for its readers, as of
// one moment.
func (s *PGStore) DumpState(ctx context.Context) (*State, error) {
	var st *State
	err := pgx.BeginTxFunc(ctx, s.pool, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly}, func(tx pgx.Tx) error {
		var err error
		st, err = dumpState(ctx, pgTx{tx}, pgDialect)
		return err
	})
	return st, plainPGError(err)
}

// LoadState adds a state to the database, in one transaction.
func (s *PGStore) LoadState(ctx context.Context, st *State) (StateLoaded, error) {
	var r StateLoaded
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		// Servers that run meanwhile wait: their new bookmarks and follows
		// take numbers after the state's, and their duplicates are seen.
		if _, err := tx.Exec(ctx, "LOCK TABLE bookmarks, follows IN SHARE ROW EXCLUSIVE MODE"); err != nil {
			return err
		}
		var err error
		r, err = loadState(ctx, pgTx{tx}, pgDialect, st)
		return err
	})
	return r, plainPGError(err)
}
