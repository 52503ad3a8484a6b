package data

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5"

	"kurultai/data/pgtest"
)

// Servers that start together against a new database apply each
// migration once; a database whose schema is newer than this kurultai's
// is refused; an address with a password in it is refused.
func TestPGMigrations(t *testing.T) {
	ctx := context.Background()
	addr := pgtest.Start(t).NewDatabase(t)
	const servers = 6
	var wg sync.WaitGroup
	errs := make(chan error, servers)
	for range servers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s, err := OpenPGStore(ctx, addr)
			if err != nil {
				errs <- err
				return
			}
			s.Close()
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Errorf("a server starting with the others: %v", err)
	}
	ms, err := pgMigrations()
	if err != nil {
		t.Fatal(err)
	}
	conn, err := pgx.Connect(ctx, addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	var n, distinct int
	if err := conn.QueryRow(ctx, "SELECT count(*), count(DISTINCT version) FROM kurultai.migrations").Scan(&n, &distinct); err != nil {
		t.Fatal(err)
	}
	if n != len(ms) || distinct != len(ms) {
		t.Errorf("%d migrations recorded (%d distinct), want each of %d once", n, distinct, len(ms))
	}

	if _, err := conn.Exec(ctx, "INSERT INTO kurultai.migrations (version, name) VALUES (999, '0999_future.sql')"); err != nil {
		t.Fatal(err)
	}
	if _, err := OpenPGStore(ctx, addr); !errors.Is(err, ErrStateTooNew) || !strings.Contains(err.Error(), "version 999") {
		t.Errorf("a newer schema: %v", err)
	}

	for _, bad := range []string{
		strings.Replace(addr, "kurultai@", "kurultai:secret@", 1),
		strings.Replace(addr, "sslmode=disable", "sslmode=disable&password=secret", 1),
		strings.Replace(addr, "postgres://kurultai@", "postgres://kurultai:sec/ret@", 1),
		"host=127.0.0.1 user=kurultai password = secret",
	} {
		_, err = OpenPGStore(ctx, bad)
		if err == nil || strings.Contains(err.Error(), "secret") || strings.Contains(err.Error(), "sec/ret") {
			t.Errorf("an address with a password: %v", err)
		}
	}

	// Export reads a store that holds kurultai's state, and changes
	// nothing in one that does not.
	empty := strings.Replace(addr, "/"+strings.SplitN(strings.SplitN(addr, "/", 4)[3], "?", 2)[0]+"?", "/postgres?", 1)
	if _, err := OpenPGStoreToRead(ctx, empty); err == nil || !strings.Contains(err.Error(), "holds no kurultai state") {
		t.Errorf("reading a database without kurultai's state: %v", err)
	}
}
