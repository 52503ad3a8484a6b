package command

import (
	"context"
	"crypto/sha256"
	"fmt"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"

	"kurultai/data"
	"kurultai/server"
	"kurultai/server/sshtest"
)

// remoteServer is a real SSH server on 127.0.0.1 serving the sample with
// the table's remote commands, beside a tree of canary files.
type remoteServer struct {
	addr     string
	archive  string // the served archive
	dataDir  string
	canaries *canaries
	log      *lockedLog
}

// lockedLog collects the server's log lines.
type lockedLog struct {
	mu chan struct{}
	b  strings.Builder
}

func (l *lockedLog) Write(p []byte) (int, error) {
	l.mu <- struct{}{}
	defer func() { <-l.mu }()
	return l.b.Write(p)
}

func (l *lockedLog) String() string {
	l.mu <- struct{}{}
	defer func() { <-l.mu }()
	return l.b.String()
}

func startRemote(t testing.TB) *remoteServer { return startRemoteOn(t, "") }

// startRemoteOn serves archive, or the sample when it is empty.
func startRemoteOn(t testing.TB, archive string) *remoteServer {
	t.Helper()
	dir := t.TempDir()
	rs := &remoteServer{archive: archive, dataDir: filepath.Join(dir, "served", "server"),
		log: &lockedLog{mu: make(chan struct{}, 1)}}
	ctx, cancel := context.WithCancel(context.Background())
	if archive == "" {
		rs.archive = filepath.Join(dir, "served", "archive.db")
		if _, err := data.EnsureSample(ctx, rs.archive); err != nil {
			cancel()
			t.Fatal(err)
		}
	}
	srv, err := server.New(ctx, server.Config{Archive: rs.archive, DataDir: rs.dataDir, Command: RunRemote,
		Log: newTextLog(rs.log)})
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	rs.addr = l.Addr().String()
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ctx, l) }()
	t.Cleanup(func() { cancel(); <-done })
	rs.canaries = newCanaries(t, filepath.Join(dir, "canary"), rs.archive)
	// The tests' working folder too: a relative path would land here.
	if wd, err := os.Getwd(); err == nil {
		if err := rs.canaries.watchWrites(wd); err != nil {
			t.Fatal(err)
		}
	}
	return rs
}

// addBookmark keeps a passage for key in the server's bookmarks file, as
// the UI would.
func (rs *remoteServer) addBookmark(t testing.TB, key gossh.Signer, doc string, from, to int, note string, tags ...string) {
	t.Helper()
	ctx := context.Background()
	db, err := data.Open(ctx, rs.archive, data.ReadOnly)
	if err != nil {
		t.Fatal(err)
	}
	p, err := db.NewPassage(ctx, "key:"+gossh.FingerprintSHA256(key.PublicKey()), doc, from, to)
	db.Close()
	if err != nil {
		t.Fatal(err)
	}
	p.Note, p.Tags = note, tags
	marks, err := data.OpenBookmarks(ctx, filepath.Join(rs.dataDir, "bookmarks.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer marks.Close()
	if _, err := marks.Add(ctx, p); err != nil {
		t.Fatal(err)
	}
}

// connect logs in with key, or as a guest (keyboard-interactive) if key
// is nil.
func (rs *remoteServer) connect(t testing.TB, key gossh.Signer) *gossh.Client {
	t.Helper()
	auth := gossh.KeyboardInteractive(func(string, string, []string, []bool) ([]string, error) { return nil, nil })
	if key != nil {
		auth = gossh.PublicKeys(key)
	}
	c, err := gossh.Dial("tcp", rs.addr, &gossh.ClientConfig{User: "reader", Auth: []gossh.AuthMethod{auth},
		HostKeyCallback: gossh.InsecureIgnoreHostKey(), Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// servedState fingerprints the served archive and the names beside it.
func (rs *remoteServer) servedState(t testing.TB) string {
	t.Helper()
	b, err := os.ReadFile(rs.archive)
	if err != nil {
		t.Fatal(err)
	}
	entries, _ := os.ReadDir(filepath.Dir(rs.archive))
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return fmt.Sprintf("%x %v", sha256.Sum256(b), names)
}

// TestRemoteArgumentsNameNoHostFile replays the attacks on the SSH
// commands: flags that name files, hidden behind a "--" given as a flag's
// value, an empty --archive with a home folder sent by the client, and
// another archive named after "--". Each is refused or harmless, and the
// kernel reports no open of any canary file.
func TestRemoteArgumentsNameNoHostFile(t *testing.T) {
	rs := startRemote(t)
	key := sshtest.NewKey(t)
	// A bookmark whose tag is "--" and whose note is a key line, as the
	// attack that replaced an authorized_keys file used.
	rs.addBookmark(t, key, "nk-5/address", 3, 3, "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIattacker attacker", "--")

	can := rs.canaries.root
	victim := filepath.Join(can, "home", ".ssh", "authorized_keys")
	other := filepath.Join(can, "other", "archive.db")
	homeEnv := map[string]string{"XDG_DATA_HOME": filepath.Join(can, "xdg"), "HOME": filepath.Join(can, "home")}
	before := rs.servedState(t)
	rs.canaries.events() // the set-up's own writes
	cases := []struct {
		cmd    string
		env    map[string]string
		status []int // any of these
		want   string
	}{
		// Finding 1: -o after a "--" that is a flag's value.
		{"export --tag -- -o " + victim, nil, []int{2}, "not offered over SSH"},
		{"export --session -- -o " + rs.archive, nil, []int{2}, "not offered over SSH"},
		{"export --tag=-- -o " + victim, nil, []int{2}, "not offered over SSH"},
		{"export -o " + victim, nil, []int{2}, "not offered over SSH"},
		{"export -o=" + victim, nil, []int{2}, "not offered over SSH"},
		{"export --o=" + victim, nil, []int{2}, "not offered over SSH"},
		{"export --format md --group session -o " + victim, nil, []int{2}, "not offered over SSH"},
		// Finding 2: an empty --archive with a home folder from the client.
		{"search -- gen --archive=", homeEnv, []int{0, 1}, ""},
		{"sessions --archive=", homeEnv, []int{2}, "not offered over SSH"},
		{"--archive= sessions", homeEnv, []int{2}, "not offered over SSH"},
		{"sessions", homeEnv, []int{0}, "Kyzylorda"},
		{"show -- nk-1 --archive " + other, nil, []int{2}, "show takes one id"},
		{"show nk-1 --archive " + other, nil, []int{2}, "not offered over SSH"},
		{"sessions --archive " + other, nil, []int{2}, "not offered over SSH"},
		// Commands that are not offered at all.
		{"gen --paragraphs 1 --out " + filepath.Join(can, "x.db"), homeEnv, []int{2}, "not a command here"},
		{"import " + victim, nil, []int{2}, "not a command here"},
		{"dump -o " + filepath.Join(can, "x.json"), nil, []int{2}, "not a command here"},
		{"bookmarks import " + victim, nil, []int{2}, "not a command here"},
		{"archive optimize", nil, []int{2}, "not a command here"},
		{"serve --data-dir " + can, nil, []int{2}, "not a command here"},
		{"sh -c id", nil, []int{2}, "not a command here"},
		{"scp -t " + can, nil, []int{2}, "not a command here"},
		{"\x1b]0;evil\x07", nil, []int{2}, "not a command here"},
		{"help", homeEnv, []int{0}, "export"},
	}
	for _, who := range []string{"key", "guest"} {
		c := rs.connect(t, key)
		if who == "guest" {
			c = rs.connect(t, nil)
		}
		for _, tc := range cases {
			out, errs, status := sshtest.RunEnv(t, c, tc.cmd, tc.env)
			if !slices.Contains(tc.status, status) || !strings.Contains(out+errs, tc.want) {
				t.Errorf("%s: %q: status %d, stdout %q, stderr %q; want status %v and %q", who, tc.cmd, status, trim(out), errs, tc.status, tc.want)
			}
			if status == 2 && (strings.Count(strings.TrimSpace(errs), "\n") != 0 || out != "") {
				t.Errorf("%s: %q: a refusal is one line on stderr, got %q / %q", who, tc.cmd, trim(out), errs)
			}
			if strings.ContainsAny(out+errs, "\x1b\x07") {
				t.Errorf("%s: %q: control characters in the output", who, tc.cmd)
			}
			if ev := rs.canaries.events(); len(ev) > 0 {
				t.Errorf("%s: %q touched files outside the server's data folder: %v", who, tc.cmd, ev)
			}
		}
	}
	if after := rs.servedState(t); after != before {
		t.Errorf("the served archive changed: %s -> %s", before, after)
	}
	if b, err := os.ReadFile(victim); err != nil || string(b) != "ssh-ed25519 AAAA canary\n" {
		t.Errorf("the canary authorized_keys changed: %q %v", b, err)
	}
}

// TestRemoteErrorsRevealNoPaths: a refused flag says the same whatever
// path it names, so errors do not tell which files exist on the host.
func TestRemoteErrorsRevealNoPaths(t *testing.T) {
	rs := startRemote(t)
	c := rs.connect(t, sshtest.NewKey(t))
	exists := rs.archive
	missing := filepath.Join(filepath.Dir(rs.archive), "no-such.db")
	_, e1, s1 := sshtest.Run(t, c, "show nk-1 --archive "+exists)
	_, e2, s2 := sshtest.Run(t, c, "show nk-1 --archive "+missing)
	if s1 != 2 || s2 != 2 || strings.ReplaceAll(e1, exists, "P") != strings.ReplaceAll(e2, missing, "P") {
		t.Errorf("errors differ for a file that exists and one that does not:\n%q\n%q", e1, e2)
	}
}

// TestRemoteHelpHasNoHostFlags: usage over SSH comes from the table's
// remote subset, so no flag that names a host path appears in it.
func TestRemoteHelpHasNoHostFlags(t *testing.T) {
	rs := startRemote(t)
	c := rs.connect(t, sshtest.NewKey(t))
	for _, cmd := range []string{"help", "--help", "export --help", "help export", "sessions -h", "show --help"} {
		out, errs, status := sshtest.Run(t, c, cmd)
		if status != 0 || out == "" {
			t.Errorf("%q: status %d %q", cmd, status, errs)
		}
		for _, bad := range []string{"-o ", "--archive", "--data-dir", "--out", "import", "serve", "gen "} {
			if strings.Contains(out, bad) {
				t.Errorf("%q: help over SSH mentions %q:\n%s", cmd, bad, out)
			}
		}
		if !strings.Contains(out, "ssh HOST") {
			t.Errorf("%q: help over SSH should name ssh HOST:\n%s", cmd, out)
		}
	}
	if _, errs, status := sshtest.Run(t, rs.connect(t, nil), "export"); status != 2 || !strings.Contains(errs, "needs a key") {
		t.Errorf("guest export: status %d, %q", status, errs)
	}
}

// TestRemoteCommandsLogged: each remote command is logged with its
// arguments, control characters escaped and the length capped.
func TestRemoteCommandsLogged(t *testing.T) {
	rs := startRemote(t)
	c := rs.connect(t, sshtest.NewKey(t))
	sshtest.Run(t, c, "export --tag -- -o /tmp/x")
	sshtest.Run(t, c, "search \x1b]0;evil\x07 "+strings.Repeat("long ", 2000))
	deadline := time.Now().Add(5 * time.Second)
	var log string
	for time.Now().Before(deadline) {
		if log = rs.log.String(); strings.Count(log, "msg=command") >= 2 {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	if !strings.Contains(log, `\"export\" \"--tag\" \"--\" \"-o\" \"/tmp/x\"`) {
		t.Errorf("the log does not show the command's arguments:\n%s", log)
	}
	if strings.ContainsAny(log, "\x1b\x07") {
		t.Error("control characters reached the log")
	}
	for _, line := range strings.Split(log, "\n") {
		if len(line) > 1500 {
			t.Errorf("a log line of %d bytes", len(line))
		}
	}
}

func trim(s string) string {
	if len(s) > 200 {
		return s[:200] + "…"
	}
	return s
}

func newTextLog(w *lockedLog) *slog.Logger { return slog.New(slog.NewTextHandler(w, nil)) }
