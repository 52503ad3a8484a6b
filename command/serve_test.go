package command

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/json"
	"net"
	"path/filepath"
	"strings"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"

	"kurultai/data"
	"kurultai/server"
	"kurultai/server/sshtest"
)

// TestCommandsOverSSH runs the script commands through a real SSH
// connection, with the connecting key's own bookmarks.
func TestCommandsOverSSH(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	dir := t.TempDir()
	archive := filepath.Join(dir, "archive.db")
	if _, err := data.EnsureSample(ctx, archive); err != nil {
		t.Fatal(err)
	}
	srv, err := server.New(ctx, server.Config{Archive: archive, DataDir: filepath.Join(dir, "server"), Command: RunRemote})
	if err != nil {
		t.Fatal(err)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ctx, l) }()
	defer func() { cancel(); <-done }()

	_, priv, _ := ed25519.GenerateKey(rand.Reader)
	key, _ := gossh.NewSignerFromKey(priv)
	owner := "key:" + gossh.FingerprintSHA256(key.PublicKey())
	// A bookmark of this key's, as the UI would make it.
	db, err := data.Open(ctx, archive, data.ReadOnly)
	if err != nil {
		t.Fatal(err)
	}
	p, err := db.NewPassage(ctx, owner, "nk-5/address", 3, 4)
	db.Close()
	if err != nil {
		t.Fatal(err)
	}
	p.Note = "mine"
	marks, err := data.OpenBookmarks(ctx, filepath.Join(dir, "server", "bookmarks.db"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := marks.Add(ctx, p); err != nil {
		t.Fatal(err)
	}
	marks.Close()

	client, err := gossh.Dial("tcp", l.Addr().String(), &gossh.ClientConfig{
		User: "reader", Auth: []gossh.AuthMethod{gossh.PublicKeys(key)},
		HostKeyCallback: gossh.InsecureIgnoreHostKey(), Timeout: 5 * time.Second,
	})
	if err != nil {
		t.Fatal(err)
	}
	defer client.Close()
	sshRun := func(cmd string) (string, string, int) { return sshtest.Run(t, client, cmd) }

	out, errs, code := sshRun("export --format md")
	if code != 0 || !strings.Contains(out, "[@") || !strings.Contains(out, "mine") {
		t.Errorf("export: %d %q %q", code, out, errs)
	}
	out, _, code = sshRun("sessions --json")
	var rows []map[string]any
	if code != 0 || json.Unmarshal([]byte(out), &rows) != nil || len(rows) != 5 {
		t.Errorf("sessions --json: %d %q", code, out)
	}
	out, _, code = sshRun("search Kyzylorda --json")
	var hits []map[string]any
	if code != 0 || json.Unmarshal([]byte(out), &hits) != nil || len(hits) == 0 {
		t.Errorf("search --json: %d %q", code, out)
	}
	if out, _, code = sshRun("show nk-5/address"); code != 0 || !strings.Contains(out, "Kyzylorda") || strings.Contains(out, "\x1b") {
		t.Errorf("show without a PTY: %d, %d bytes, escapes=%v", code, len(out), strings.Contains(out, "\x1b"))
	}
	for _, cmd := range []string{"export -o /tmp/x.md", "export --out=/tmp/x.md", "sessions --archive /etc/passwd", "show nope/none", "bookmarks list"} {
		if _, errs, code := sshRun(cmd); code != 2 || strings.Count(strings.TrimSpace(errs), "\n") != 0 {
			t.Errorf("%q: status %d, %q; want one line and status 2", cmd, code, errs)
		}
	}
}
