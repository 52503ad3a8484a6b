package server

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/charmbracelet/x/vt"
	_ "github.com/mattn/go-sqlite3"
	gossh "golang.org/x/crypto/ssh"

	"kurultai/data"
	"kurultai/server/sshtest"
)

// testServer is a server on 127.0.0.1:0 over the built-in sample.
type testServer struct {
	addr    string
	archive string
	dataDir string
	srv     *Server
	done    chan error
	stop    context.CancelFunc
}

// echoOwner stands in for main's commands: it reports whose bookmarks a
// command would use, which is all the server decides.
func echoOwner(_ context.Context, args []string, r Remote) int {
	fmt.Fprintf(r.Stdout, "%s owner=%s terminal=%v\n", args[0], r.Owner, r.Terminal)
	return 0
}

func startServer(t *testing.T, cfg Config) *testServer {
	t.Helper()
	dir := t.TempDir()
	archive := filepath.Join(dir, "archive.db")
	if _, err := data.EnsureSample(context.Background(), archive); err != nil {
		t.Fatal(err)
	}
	cfg.Archive = archive
	if cfg.DataDir == "" {
		cfg.DataDir = filepath.Join(dir, "server")
	}
	if cfg.Command == nil {
		cfg.Command = echoOwner
	}
	ctx, cancel := context.WithCancel(context.Background())
	srv, err := New(ctx, cfg)
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	ts := &testServer{addr: l.Addr().String(), archive: archive, dataDir: cfg.DataDir, srv: srv, done: make(chan error, 1), stop: cancel}
	go func() { ts.done <- srv.Serve(ctx, l) }()
	t.Cleanup(ts.shutdown)
	return ts
}

func (ts *testServer) shutdown() {
	if ts.stop == nil {
		return
	}
	ts.stop()
	ts.stop = nil
	<-ts.done
}

func newKey(t *testing.T) gossh.Signer { return sshtest.NewKey(t) }

func dial(addr string, auth ...gossh.AuthMethod) (*gossh.Client, error) {
	return gossh.Dial("tcp", addr, &gossh.ClientConfig{
		User:            "reader",
		Auth:            auth,
		HostKeyCallback: gossh.InsecureIgnoreHostKey(),
		Timeout:         5 * time.Second,
	})
}

func mustDial(t *testing.T, addr string, key gossh.Signer) *gossh.Client {
	t.Helper()
	c, err := dial(addr, gossh.PublicKeys(key))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// run runs a command without a PTY and returns its output and status.
func run(t *testing.T, c *gossh.Client, cmd string) (stdout, stderr string, status int) {
	t.Helper()
	return sshtest.Run(t, c, cmd)
}

// screen is a PTY session drawn into a terminal emulator.
type screen struct {
	mu    sync.Mutex
	emu   *vt.Emulator
	sess  *gossh.Session
	stdin io.Writer
}

func (s *screen) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.emu.Write(p)
}

func (s *screen) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.emu.String()
}

func openScreen(t *testing.T, c *gossh.Client, w, h int) *screen {
	t.Helper()
	return openScreenResized(t, c, w, h, w, h)
}

// openScreenResized asks for a PTY of w×h and changes the window to
// w2×h2 before the shell starts; the emulator is w2×h2.
func openScreenResized(t *testing.T, c *gossh.Client, w, h, w2, h2 int) *screen {
	t.Helper()
	return openScreenWith(t, c, w, h, w2, h2, nil)
}

// openScreenWith is openScreenResized with variables sent first, as ssh's
// SendEnv sends them.
func openScreenWith(t *testing.T, c *gossh.Client, w, h, w2, h2 int, env map[string]string) *screen {
	t.Helper()
	sess, err := c.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range env {
		if err := sess.Setenv(k, v); err != nil {
			t.Fatalf("%s refused: %v", k, err)
		}
	}
	if err := sess.RequestPty("xterm-256color", h, w, gossh.TerminalModes{}); err != nil {
		t.Fatal(err)
	}
	if w2 != w || h2 != h {
		if err := sess.WindowChange(h2, w2); err != nil {
			t.Fatal(err)
		}
	}
	stdin, err := sess.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	out, err := sess.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	s := &screen{emu: vt.NewEmulator(w2, h2), sess: sess, stdin: stdin}
	go io.Copy(s, out)
	// The emulator answers the program's queries; without a reader its
	// writes would block.
	go io.Copy(stdin, s.emu)
	if err := sess.Shell(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sess.Close() })
	return s
}

func (s *screen) waitFor(t *testing.T, text string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if strings.Contains(s.String(), text) {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("the screen never showed %q; it shows:\n%s", text, s.String())
}

func (s *screen) keys(t *testing.T, keys ...string) {
	t.Helper()
	for _, k := range keys {
		if _, err := io.WriteString(s.stdin, k); err != nil {
			t.Fatal(err)
		}
		time.Sleep(60 * time.Millisecond)
	}
}

func TestBrowseAndBookmarkOverSSH(t *testing.T) {
	ts := startServer(t, Config{})
	a, b := newKey(t), newKey(t)
	scr := openScreen(t, mustDial(t, ts.addr, a), 100, 30)
	scr.waitFor(t, "Sessions")
	bookmarkOnScreen(t, scr, "over ssh", "remote")
	scr.waitFor(t, "Bookmarked ¶ 2")

	ctx := context.Background()
	ownerA := "key:" + gossh.FingerprintSHA256(a.PublicKey())
	ownerB := "key:" + gossh.FingerprintSHA256(b.PublicKey())
	marks, err := data.OpenBookmarks(ctx, filepath.Join(ts.dataDir, "bookmarks.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer marks.Close()
	got, err := marks.List(ctx, ownerA, data.BookmarkFilter{})
	if err != nil || len(got) != 1 || got[0].Note != "over ssh" {
		t.Fatalf("key A's bookmarks = %+v, %v; want the one just made", got, err)
	}
	if got, _ := marks.List(ctx, ownerB, data.BookmarkFilter{}); len(got) != 0 {
		t.Fatalf("key B sees %d bookmarks of key A's", len(got))
	}
	// B's UI shows none of A's bookmarks.
	scrB := openScreen(t, mustDial(t, ts.addr, b), 100, 30)
	scrB.waitFor(t, "Kyzylorda")
	scrB.keys(t, "B")
	scrB.waitFor(t, "Bookmarks")
	if strings.Contains(scrB.String(), "over ssh") {
		t.Fatalf("key B sees key A's bookmark:\n%s", scrB.String())
	}

	// Commands get the connecting key as the owner.
	out, _, status := run(t, mustDial(t, ts.addr, b), "export --format md")
	if status != 0 || !strings.Contains(out, "owner="+ownerB) {
		t.Fatalf("export over SSH: status %d, %q", status, out)
	}
	scr.keys(t, "q")
	if err := scr.sess.Wait(); err != nil {
		t.Fatalf("quitting the UI: %v", err)
	}
}

func TestResizeRewraps(t *testing.T) {
	ts := startServer(t, Config{})
	scr := openScreen(t, mustDial(t, ts.addr, newKey(t)), 100, 30)
	scr.waitFor(t, "Kyzylorda")
	scr.mu.Lock()
	scr.emu.Resize(50, 20)
	scr.mu.Unlock()
	if err := scr.sess.WindowChange(20, 50); err != nil {
		t.Fatal(err)
	}
	// The 50-column table has no place column, and its titles are cut to
	// fit. (The old frame cut off at 50 columns still shows the places,
	// so it cannot be taken for the new one.)
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		s := scr.String()
		if !strings.Contains(s, "Kyzylorda") && !strings.Contains(s, "Place") && strings.Contains(s, "Fifth me…") {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("the screen did not re-wrap to 50 columns:\n%s", scr.String())
}

func TestCommandsWithoutPTY(t *testing.T) {
	ts := startServer(t, Config{})
	c := mustDial(t, ts.addr, newKey(t))
	sess, err := c.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	var hint strings.Builder
	sess.Stdout = &hint
	if err := sess.Shell(); err != nil {
		t.Fatal(err)
	}
	var ee *gossh.ExitError
	if err := sess.Wait(); !errors.As(err, &ee) || ee.ExitStatus() != 2 || !strings.Contains(hint.String(), "ssh -t") {
		t.Fatalf("a shell without a PTY: %v, %q; want the ssh -t hint and status 2", err, hint.String())
	}
	// Which commands exist over SSH is the command table's to say; its
	// tests (command.TestRemoteArgumentsNameNoHostFile) run them over a real connection.
	if out, _, status := run(t, c, "sessions"); status != 0 || !strings.Contains(out, "owner=key:SHA256:") {
		t.Errorf("sessions: status %d, %q", status, out)
	}
}

func TestAllowList(t *testing.T) {
	in, out := newKey(t), newKey(t)
	keys := filepath.Join(t.TempDir(), "authorized_keys")
	if err := os.WriteFile(keys, gossh.MarshalAuthorizedKey(in.PublicKey()), 0o600); err != nil {
		t.Fatal(err)
	}
	ts := startServer(t, Config{AuthorizedKeys: keys})
	if c, err := dial(ts.addr, gossh.PublicKeys(in)); err != nil {
		t.Fatalf("a listed key was refused: %v", err)
	} else {
		c.Close()
	}
	if c, err := dial(ts.addr, gossh.PublicKeys(out)); err == nil {
		c.Close()
		t.Fatal("an unlisted key was admitted")
	}
	ki := gossh.KeyboardInteractive(func(string, string, []string, []bool) ([]string, error) { return nil, nil })
	if c, err := dial(ts.addr, ki); err == nil {
		c.Close()
		t.Fatal("a connection without a key was admitted despite the allow-list")
	}
}

func TestGuestBookmarksLastOneConnection(t *testing.T) {
	// A guest may leave by quitting the UI or by dropping the connection.
	for _, leave := range []struct {
		name string
		fn   func(c *gossh.Client, scr *screen)
	}{
		{"quit", func(_ *gossh.Client, scr *screen) {
			scr.keys(t, "q")
			scr.sess.Wait()
		}},
		{"drop", func(c *gossh.Client, _ *screen) { c.Close() }},
	} {
		t.Run(leave.name, func(t *testing.T) { guestSession(t, leave.fn) })
	}
}

func guestSession(t *testing.T, leave func(c *gossh.Client, scr *screen)) {
	ts := startServer(t, Config{})
	ki := gossh.KeyboardInteractive(func(string, string, []string, []bool) ([]string, error) { return nil, nil })
	c, err := dial(ts.addr, ki)
	if err != nil {
		t.Fatalf("without an allow-list a keyless connection should enter: %v", err)
	}
	defer c.Close()
	scr := openScreen(t, c, 100, 30)
	scr.waitFor(t, "bookmarks last until you disconnect")
	scr.keys(t, "\r")
	scr.waitFor(t, "Speeches (3)")
	scr.keys(t, "\t", "\r")
	scr.waitFor(t, "¶ 1")
	scr.keys(t, "b", "\r", "\r")
	scr.waitFor(t, "Bookmarked ¶ 1")
	ctx := context.Background()
	db, err := sql.Open("sqlite3", "file:"+filepath.Join(ts.dataDir, "bookmarks.db")+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var n int
	count := func() int {
		if err := db.QueryRowContext(ctx, "SELECT count(*) FROM bookmarks WHERE owner LIKE 'guest:%'").Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	if count() != 1 {
		t.Fatalf("the guest's bookmark was not kept during the connection (%d)", n)
	}
	if out, _, _ := run(t, c, "export"); !strings.Contains(out, "owner=guest:") {
		t.Fatalf("a guest's command should be run as the guest: %q", out)
	}
	leave(c, scr)
	deadline := time.Now().Add(5 * time.Second)
	for count() != 0 && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	if count() != 0 {
		t.Fatal("the guest's bookmarks outlived the connection")
	}
}

func hashFiles(t *testing.T, dir string) string {
	t.Helper()
	h := sha256.New()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if e.IsDir() {
			continue
		}
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(h, "%s %d\n", e.Name(), len(b))
		h.Write(b)
	}
	return fmt.Sprintf("%x", h.Sum(nil))
}

// TestReadOnly tries everything the server refuses and shows that the
// archive's files are unchanged.
func TestReadOnly(t *testing.T) {
	ts := startServer(t, Config{})
	archiveDir := filepath.Dir(ts.archive)
	before := hashFiles(t, archiveDir)
	c := mustDial(t, ts.addr, newKey(t))

	s, _ := c.NewSession()
	if err := s.RequestSubsystem("sftp"); err == nil {
		t.Error("the sftp subsystem was granted")
	}
	s.Close()
	// The SSH library acknowledges an agent request, but the server never
	// opens an agent channel back to the client, so it cannot use the agent.
	agentOpens := c.HandleChannelOpen("auth-agent@openssh.com")
	s, _ = c.NewSession()
	s.SendRequest("auth-agent-req@openssh.com", true, nil)
	if ok, _ := s.SendRequest("x11-req", true, gossh.Marshal(struct {
		Single        bool
		Proto, Cookie string
		Screen        uint32
	}{false, "MIT-MAGIC-COOKIE-1", "00", 0})); ok {
		t.Error("X11 forwarding was granted")
	}
	s.Close()
	if conn, err := c.Dial("tcp", ts.addr); err == nil {
		conn.Close()
		t.Error("local port forwarding was granted")
	}
	if l, err := c.Listen("tcp", "127.0.0.1:0"); err == nil {
		l.Close()
		t.Error("remote port forwarding was granted")
	}
	// Browse a little too, then stop the server.
	scr := openScreen(t, c, 80, 24)
	scr.waitFor(t, "Kyzylorda")
	scr.keys(t, "\r", "\t", "\r")
	scr.waitFor(t, "¶ 1")
	ts.shutdown()
	select {
	case ch, ok := <-agentOpens:
		if !ok {
			break // the connection closed without one
		}
		ch.Reject(gossh.Prohibited, "no")
		t.Error("the server opened an agent channel to the client")
	default:
	}
	if after := hashFiles(t, archiveDir); after != before {
		t.Fatal("the archive's files changed while served")
	}
}

func TestShutdownEndsSessions(t *testing.T) {
	ts := startServer(t, Config{})
	scr := openScreen(t, mustDial(t, ts.addr, newKey(t)), 80, 24)
	scr.waitFor(t, "Kyzylorda")
	start := time.Now()
	ts.shutdown()
	if d := time.Since(start); d > 5*time.Second {
		t.Fatalf("shutdown took %v", d)
	}
	waited := make(chan error, 1)
	go func() { waited <- scr.sess.Wait() }()
	select {
	case <-waited:
	case <-time.After(5 * time.Second):
		t.Fatal("the session outlived the server")
	}
	scr.waitFor(t, "server is shutting down")
}

func TestMaxSessions(t *testing.T) {
	ts := startServer(t, Config{MaxSessions: 1})
	c := mustDial(t, ts.addr, newKey(t))
	scr := openScreen(t, c, 80, 24)
	scr.waitFor(t, "Kyzylorda")
	out, _, status := run(t, c, "sessions")
	if status != 1 || !strings.Contains(out, "as many readers as it can take") {
		t.Fatalf("past the cap: status %d, %q", status, out)
	}
}

// TestColourFollowsClient shows that the colours come from the client's
// TERM and COLORTERM, whatever terminal the server runs in.
func TestColourFollowsClient(t *testing.T) {
	t.Setenv("TERM", "dumb") // the server's own terminal must not matter
	t.Setenv("COLORTERM", "")
	ts := startServer(t, Config{})
	c := mustDial(t, ts.addr, newKey(t))
	for _, tc := range []struct {
		term, colorterm string
		want, not       string
	}{
		{"xterm-256color", "truecolor", "38;2;", ""},
		{"xterm-256color", "", "38;5;", "38;2;"},
		{"dumb", "", "", "\x1b[38;"},
	} {
		sess, err := c.NewSession()
		if err != nil {
			t.Fatal(err)
		}
		if tc.colorterm != "" {
			if err := sess.Setenv("COLORTERM", tc.colorterm); err != nil {
				t.Fatal(err)
			}
		}
		if err := sess.RequestPty(tc.term, 24, 80, gossh.TerminalModes{}); err != nil {
			t.Fatal(err)
		}
		stdin, _ := sess.StdinPipe()
		out := &lockedBuffer{}
		sess.Stdout = out
		if err := sess.Shell(); err != nil {
			t.Fatal(err)
		}
		deadline := time.Now().Add(10 * time.Second)
		for !strings.Contains(out.String(), "Kyzylorda") && time.Now().Before(deadline) {
			time.Sleep(20 * time.Millisecond)
		}
		got := out.String()
		io.WriteString(stdin, "\x03")
		sess.Wait()
		if !strings.Contains(got, "Kyzylorda") {
			t.Fatalf("TERM=%s: the sessions list never came", tc.term)
		}
		if tc.want != "" && !strings.Contains(got, tc.want) {
			t.Errorf("TERM=%s COLORTERM=%s: no %q colours in the output", tc.term, tc.colorterm, tc.want)
		}
		if tc.not != "" && strings.Contains(got, tc.not) {
			t.Errorf("TERM=%s COLORTERM=%s: %q colours in the output", tc.term, tc.colorterm, tc.not)
		}
	}
}

type lockedBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// chunks gives its reads one at a time, as messages come over SSH.
type chunks []string

func (c *chunks) Read(p []byte) (int, error) {
	if len(*c) == 0 {
		return 0, io.EOF
	}
	n := copy(p, (*c)[0])
	*c = (*c)[1:]
	return n, nil
}

// A lone ESC is the escape key at once; an ESC with more is left as it is.
func TestQuickEscape(t *testing.T) {
	in := chunks{"\x1b", "\x1b[B", "\x1b\x1b", "x\x1b", "\x1bb", "\x1b"}
	q := quickEscape{&in}
	var got []string
	buf := make([]byte, 4096)
	for {
		n, err := q.Read(buf)
		if err != nil {
			break
		}
		got = append(got, string(buf[:n]))
	}
	want := []string{"\x1b[27u", "\x1b[B", "\x1b\x1b", "x\x1b", "\x1bb", "\x1b[27u"}
	if !slices.Equal(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
}

// TestShutdownStopsCommands: a command still running when the server is
// told to stop is cancelled at once, so that shutdown does not wait for a
// long render; the server is done well within its five seconds.
func TestShutdownStopsCommands(t *testing.T) {
	started, cancelled := make(chan struct{}), make(chan struct{})
	ts := startServer(t, Config{Command: func(ctx context.Context, args []string, r Remote) int {
		close(started)
		<-ctx.Done()
		close(cancelled)
		return 130
	}})
	c := mustDial(t, ts.addr, newKey(t))
	sess, err := c.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	if err := sess.Start("show nk-5/address"); err != nil {
		t.Fatal(err)
	}
	<-started
	t0 := time.Now()
	ts.shutdown()
	if d := time.Since(t0); d > 2*time.Second {
		t.Fatalf("shutdown took %v with a command running", d)
	}
	select {
	case <-cancelled:
	default:
		t.Fatal("the command's context was not cancelled")
	}
}
