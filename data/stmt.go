package data

import (
	"context"
	"database/sql"
	"strings"
	"sync"
)

// maxStatements bounds the statements kept prepared. Queries are built
// from a few fixed texts and the filters a search may add, so the bound
// is only reached by unusual mixes of filters; past it a query is
// prepared each time, as before.
const maxStatements = 256

// maxParams is the most parameters a statement may have to be kept.
const maxParams = 12

// statements keeps prepared statements by their text, so that the queries
// a screen runs on every key are parsed and planned once per connection,
// not once per call.
type statements struct {
	mu sync.Mutex
	m  map[string]*sql.Stmt
}

func (s *statements) get(ctx context.Context, db *sql.DB, query string) *sql.Stmt {
	if strings.Count(query, "?") > maxParams {
		// A list of values (IN (?, ?, …)) makes a new text for each
		// length; those are prepared each time rather than filling the
		// cache.
		return nil
	}
	s.mu.Lock()
	st, ok := s.m[query]
	full := len(s.m) >= maxStatements
	s.mu.Unlock()
	if ok {
		return st
	}
	if full {
		return nil
	}
	// Preparing takes a connection, which may mean waiting for one; the
	// lock is not held meanwhile, so that prepared queries go on.
	st, err := db.PrepareContext(ctx, query)
	if err != nil {
		// The call itself reports the error.
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if have, ok := s.m[query]; ok {
		st.Close() // prepared twice at once; keep the first
		return have
	}
	if s.m == nil {
		s.m = map[string]*sql.Stmt{}
	}
	s.m[query] = st
	return st
}

func (s *statements) close() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, st := range s.m {
		st.Close()
	}
	s.m = nil
}

// query runs a read through a prepared statement.
func (d *DB) query(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if st := d.stmts.get(ctx, d.db, query); st != nil {
		return st.QueryContext(ctx, args...)
	}
	return d.db.QueryContext(ctx, query, args...)
}

// queryRow is query for one row.
func (d *DB) queryRow(ctx context.Context, query string, args ...any) *sql.Row {
	if st := d.stmts.get(ctx, d.db, query); st != nil {
		return st.QueryRowContext(ctx, args...)
	}
	return d.db.QueryRowContext(ctx, query, args...)
}

// execShort runs a statement that takes a moment, such as a one-row
// insert of an import, after checking that ctx is not done. It runs it
// without ctx: go-sqlite3 starts a goroutine to watch the context of
// every statement it runs (to interrupt it), and the start and the wake
// of that goroutine cost an import more than a tenth of its time. A long
// statement is run with its context, so that it can be interrupted.
func execShort(ctx context.Context, st *sql.Stmt, args ...any) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	_, err := st.ExecContext(context.Background(), args...)
	return err
}
