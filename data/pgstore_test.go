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
	if _, err := OpenPGStore(ctx, addr); !errors.Is(err, ErrTooNew) || !strings.Contains(err.Error(), "version 999") {
		t.Errorf("a newer schema: %v", err)
	}

	withPassword := strings.Replace(addr, "kurultai@", "kurultai:secret@", 1)
	_, err = OpenPGStore(ctx, withPassword)
	if err == nil || !strings.Contains(err.Error(), "PGPASSWORD") || strings.Contains(err.Error(), "secret") {
		t.Errorf("an address with a password: %v", err)
	}
}
