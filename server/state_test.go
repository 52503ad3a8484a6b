package server

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	gossh "golang.org/x/crypto/ssh"

	"kurultai/data/pgtest"
)

// bookmarkOnScreen opens the newest session's address and bookmarks its
// second paragraph with a note and tags, as a reader would.
func bookmarkOnScreen(t *testing.T, scr *screen, note, tags string) {
	t.Helper()
	scr.waitFor(t, "Kyzylorda")
	scr.keys(t, "\r")
	scr.waitFor(t, "Speeches (3)")
	scr.keys(t, "\t", "\r")
	scr.waitFor(t, "¶ 1")
	scr.keys(t, "]", "b")
	scr.waitFor(t, "note:")
	scr.keys(t, note+"\r", tags+"\r")
}

// Two servers of one archive, each with its own copy, share one
// PostgreSQL: a bookmark made through one is listed through the other,
// and it outlives a restart of PostgreSQL.
func TestTwoServersShareOnePostgres(t *testing.T) {
	pg := pgtest.Start(t)
	state := pg.NewDatabase(t)
	one := startServer(t, Config{State: state, HostID: "one"})
	two := startServer(t, Config{State: state, HostID: "two"})
	key := newKey(t)

	scr := openScreen(t, mustDial(t, one.addr, key), 100, 30)
	bookmarkOnScreen(t, scr, "made on one", "")
	scr.waitFor(t, "Bookmarked ¶ 2")

	other := openScreen(t, mustDial(t, two.addr, key), 100, 30)
	other.waitFor(t, "Kyzylorda")
	other.keys(t, "B")
	other.waitFor(t, "made on one")

	// PostgreSQL stops and comes back: the bookmark is there, and the
	// servers carry on without being restarted.
	if err := pg.Stop(); err != nil {
		t.Fatal(err)
	}
	if err := pg.Start(); err != nil {
		t.Fatal(err)
	}
	again := openScreen(t, mustDial(t, two.addr, key), 100, 30)
	again.waitFor(t, "Kyzylorda")
	again.keys(t, "B")
	again.waitFor(t, "made on one")
}

// PostgreSQL lost while serving: reading goes on, bookmarking says so in
// plain words and works again once it is back.
func TestStateLostWhileServing(t *testing.T) {
	pg := pgtest.Start(t)
	ts := startServer(t, Config{State: pg.NewDatabase(t), HostID: "one"})
	scr := openScreen(t, mustDial(t, ts.addr, newKey(t)), 100, 30)
	scr.waitFor(t, "Kyzylorda")
	if err := pg.Stop(); err != nil {
		t.Fatal(err)
	}
	bookmarkOnScreen(t, scr, "while it was down", "")
	scr.waitFor(t, "bookmarks are unavailable; retrying")
	// A reader who arrives while it is down can read, and follows once it
	// is back.
	late := openScreen(t, mustDial(t, ts.addr, newKey(t)), 100, 30)
	late.waitFor(t, "Kyzylorda")
	// Reading the archive goes on.
	scr.keys(t, "]")
	scr.waitFor(t, "¶ 3")
	if err := pg.Start(); err != nil {
		t.Fatal(err)
	}
	late.keys(t, "F")
	late.waitFor(t, "Nothing is followed yet")
	time.Sleep(300 * time.Millisecond)
	if strings.Contains(late.String(), "no file to keep it in") {
		t.Fatalf("following, once PostgreSQL is back, for a reader who arrived while it was down:\n%s", late.String())
	}
	deadline := time.Now().Add(20 * time.Second)
	for !strings.Contains(scr.String(), "Bookmarked ¶ 3") {
		if time.Now().After(deadline) {
			t.Fatalf("bookmarking did not work again once PostgreSQL was back:\n%s", scr.String())
		}
		scr.keys(t, "b")
		if strings.Contains(scr.String(), "note:") {
			scr.keys(t, "\r", "\r")
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// A server that starts clears only its own guests' leftovers, never those
// of guests connected to another server; and PostgreSQL out of reach at
// start is said plainly.
func TestGuestsBelongToTheirServer(t *testing.T) {
	pg := pgtest.Start(t)
	state := pg.NewDatabase(t)
	two := startServer(t, Config{State: state, HostID: "two"})
	ki := gossh.KeyboardInteractive(func(string, string, []string, []bool) ([]string, error) { return nil, nil })
	c, err := dial(two.addr, ki) // no key: a guest
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	guest := openScreen(t, c, 100, 30)
	bookmarkOnScreen(t, guest, "a guest of two", "")
	guest.waitFor(t, "Bookmarked ¶ 2")

	startServer(t, Config{State: state, HostID: "one"})
	conn, err := pgx.Connect(context.Background(), state)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	var n int
	if err := conn.QueryRow(context.Background(), "SELECT count(*) FROM kurultai.bookmarks WHERE owner LIKE 'guest:two:%'").Scan(&n); err != nil || n != 1 {
		t.Fatalf("server two's guest has %d bookmarks after server one started (%v), want 1", n, err)
	}

	// A name that could begin another's guests is refused.
	if _, err := New(context.Background(), Config{Archive: two.archive, DataDir: t.TempDir(), Command: echoOwner,
		State: state, HostID: "two:x"}); err == nil || !strings.Contains(err.Error(), "--host-id") {
		t.Errorf("--host-id two:x: %v", err)
	}

	_, err = New(context.Background(), Config{Archive: two.archive, DataDir: t.TempDir(), Command: echoOwner,
		State: "postgres://kurultai@127.0.0.1:1/nowhere?connect_timeout=2"})
	if err == nil || !strings.Contains(err.Error(), "cannot reach the state database") {
		t.Fatalf("a state database out of reach: %v", err)
	}
}
