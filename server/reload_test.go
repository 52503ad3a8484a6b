package server

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"kurultai/data"
	"kurultai/sessions"
)

// replaceArchive builds the sample and the given sessions in a new file
// beside path, and renames it over path, as a publisher does.
func replaceArchive(t *testing.T, path string, extra ...sessions.Session) {
	t.Helper()
	ctx := context.Background()
	tmp := path + ".new"
	b, err := data.NewBuilder(ctx, tmp)
	if err != nil {
		t.Fatal(err)
	}
	all, _ := sessions.Sample()
	for _, s := range append(all, extra...) {
		s := s
		if err := b.Write(ctx, &s, ""); err != nil {
			t.Fatal(err)
		}
	}
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(tmp, path); err != nil {
		t.Fatal(err)
	}
}

// The archive file replaced under a running server: the UI open on it
// stays, says what changed, and lists the new session; a new session of
// the server reads the new archive. A file that is not an archive is
// refused and the server stays where it was.
func TestArchiveReplacedWhileServing(t *testing.T) {
	ts := startServer(t, Config{})
	scr := openScreen(t, mustDial(t, ts.addr, newKey(t)), 100, 30)
	scr.waitFor(t, "5 sessions")
	nk6 := sessions.Session{ID: "nk-6", Body: "National Kurultai", Number: 6, Date: "2026-09-01", Title: "Sixth meeting, published later",
		Speeches: []sessions.Speech{{ID: "nk-6/a", SessionID: "nk-6", Order: 1, Title: "Opening",
			Paragraphs: sessions.SplitParagraphs("The referendum is behind us.")}}}
	replaceArchive(t, filepath.Join(filepath.Dir(ts.archive), "archive.db"), nk6)
	// The watcher looks every 2 s and waits one look for the file to settle.
	scr.waitFor(t, "archive updated: 1 new session")
	scr.waitFor(t, "Sixth meeting, published later")
	scr.waitFor(t, "6 sessions")
	scr.keys(t, "\r")
	scr.waitFor(t, "Speeches (1)")

	other := openScreen(t, mustDial(t, ts.addr, newKey(t)), 100, 30)
	other.waitFor(t, "6 sessions")

	// Garbage where the archive was: logged, and nothing moves.
	os.WriteFile(ts.archive+".bad", []byte("not an archive"), 0o644)
	os.Rename(ts.archive+".bad", ts.archive)
	if err := ts.srv.Reload(context.Background()); err == nil {
		t.Error("a file that is not an archive was taken")
	}
	third := openScreen(t, mustDial(t, ts.addr, newKey(t)), 100, 30)
	third.waitFor(t, "6 sessions")
}
