// Package server hosts the archive's UI and a few of its commands over SSH,
// read-only, for many people at once. Each public key keeps its own
// bookmarks; nobody can change the archive.
package server

import (
	"bufio"
	"context"
	"io"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"runtime/debug"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	tea "charm.land/bubbletea/v2"
	"charm.land/ssh"
	"charm.land/wish/v2"
	"charm.land/wish/v2/ratelimiter"
	gossh "golang.org/x/crypto/ssh"
	"golang.org/x/time/rate"

	"kurultai/data"
	"kurultai/sessions/msg"
)

// Command runs one of the script commands (sessions, show, search,
// export) for a remote user and returns its exit status. main supplies it,
// so that the commands behave exactly as they do locally.
type Command func(ctx context.Context, args []string, r Remote) int

// Remote is what a command run over SSH may use: the session's output,
// the archive, and the connecting person's bookmarks.
type Remote struct {
	Stdout, Stderr io.Writer
	Archive        string
	Bookmarks      string
	Owner          string
	// Guest is true for a connection without a key.
	Guest bool
	// Terminal is true when the client asked for a PTY; Width is its width.
	Terminal bool
	Width    int
	// Getenv reads the variables the client sent. They are the client's
	// to choose, so they may only change how text is shown.
	Getenv func(string) string
	// Lang is the language to speak: the client's locale's if it sent
	// one, else the server's.
	Lang string
	// Store is the server's store of readers' state, open for as long as
	// it serves: a command uses it and does not close it.
	Store data.Store
}

// Config sets up a server. Archive, DataDir and Command are required.
type Config struct {
	Listen         string
	Archive        string
	HostKey        string
	AuthorizedKeys string
	DataDir        string
	MaxSessions    int
	IdleTimeout    time.Duration
	MaxSessionTime time.Duration
	// LoginGraceTime is how long a connection may take to log in and
	// start its first session before it is closed, as sshd's
	// LoginGraceTime; zero means 30 s.
	LoginGraceTime time.Duration
	// MaxStartups caps the connections that have not started a session
	// yet, in total and from one address (an IPv6 /64), as sshd's
	// MaxStartups; connections past a cap are closed at once. Zero means
	// 100 and 10.
	MaxStartups           int
	MaxStartupsPerAddress int
	// Theme fixes the UI's theme; empty follows each client's terminal.
	Theme string
	// Lang is the interface's language for a client that sends no locale
	// (LC_ALL, LC_MESSAGES or LANG, with ssh's SendEnv).
	Lang string
	// State is the PostgreSQL address (postgres://USER@HOST/DB) where
	// readers' bookmarks, follows and what they have seen are kept,
	// shared by several servers; empty keeps them in a file in DataDir.
	State string
	// HostID names this server among those that share State: a guest's
	// bookmarks are its server's, and a server that starts clears only
	// its own guests'. Empty is the machine's name.
	HostID  string
	Command Command
	Log     *slog.Logger
}

// Server is a running SSH host for one archive.
type Server struct {
	cfg     Config
	srv     *ssh.Server
	db      atomic.Pointer[data.DB] // swapped by Reload
	marks   data.Store
	allowed map[string]bool
	slots   chan struct{}
	log     *slog.Logger
	wg      sync.WaitGroup

	conns atomic.Int64

	// quit ends when the server starts shutting down; the work of every
	// session (commands, the UI's queries and renders) stops with it.
	quit       context.Context
	cancelQuit context.CancelFunc

	// full logs the sessions turned away because the server is full, at
	// most once per 10 s with a count.
	full *throttle
	// channels counts the open session channels of each connection.
	channels map[*gossh.ServerConn]int

	mu       sync.Mutex
	stopping bool
	programs map[*tea.Program]bool // the UIs running now, to end them on shutdown
	retired  []retired             // archives Reload moved away from, closed after a while
}

// New opens the archive read-only and the bookmarks file under DataDir,
// creates the host key if there is none, and prepares the SSH server.
func New(ctx context.Context, cfg Config) (*Server, error) {
	if cfg.Archive == "" || cfg.DataDir == "" || cfg.Command == nil {
		return nil, msg.New("server: archive, data folder and command are required")
	}
	if cfg.Listen == "" {
		cfg.Listen = "127.0.0.1:2222"
	}
	if cfg.MaxSessions <= 0 {
		cfg.MaxSessions = 64
	}
	if cfg.LoginGraceTime <= 0 {
		cfg.LoginGraceTime = defaultLoginGrace
	}
	if cfg.MaxStartups <= 0 {
		cfg.MaxStartups = defaultMaxStartups
	}
	if cfg.MaxStartupsPerAddress <= 0 {
		cfg.MaxStartupsPerAddress = defaultMaxStartupsPerAddr
	}
	if cfg.HostKey == "" {
		cfg.HostKey = filepath.Join(cfg.DataDir, "host_ed25519")
	}
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if err := os.MkdirAll(cfg.DataDir, 0o700); err != nil {
		return nil, msg.Errorf("cannot make the data folder %s: %v", cfg.DataDir, err)
	}
	s := &Server{cfg: cfg, slots: make(chan struct{}, cfg.MaxSessions), log: cfg.Log, programs: map[*tea.Program]bool{}, channels: map[*gossh.ServerConn]int{}}
	s.quit, s.cancelQuit = context.WithCancel(context.Background())
	s.full = &throttle{log: cfg.Log, msg: "turned away: server full", attrs: []any{"sessions", cfg.MaxSessions}}
	if cfg.AuthorizedKeys != "" {
		keys, err := readAuthorizedKeys(cfg.AuthorizedKeys)
		if err != nil {
			return nil, err
		}
		s.allowed = keys
	}
	db, err := data.Open(ctx, cfg.Archive, data.ReadOnly)
	if err != nil {
		return nil, err
	}
	s.db.Store(db)
	if s.cfg.HostID == "" {
		s.cfg.HostID, _ = os.Hostname()
	}
	if !hostIDPattern.MatchString(s.cfg.HostID) {
		db.Close()
		return nil, msg.Errorf("--host-id %q: a server's name among those sharing --state is letters, digits, '.', '_' and '-'", s.cfg.HostID)
	}
	var marks data.Store
	if cfg.State != "" {
		marks, err = data.OpenPGStore(ctx, cfg.State)
	} else {
		marks, err = data.OpenBookmarks(ctx, s.bookmarksPath())
	}
	if err != nil {
		db.Close()
		return nil, err
	}
	s.marks = marks
	// Guests' bookmarks last one connection; any this server left when
	// it stopped abruptly go now. Those of another server's guests,
	// connected now, stay; a file is this server's alone, and every
	// guest in it (an older kurultai named them guest:…: too) is its.
	prefix := s.guestPrefix()
	if cfg.State == "" {
		prefix = "guest:"
	}
	if _, err := marks.Forget(ctx, prefix); err != nil {
		s.close()
		return nil, err
	}
	opts := []ssh.Option{
		wish.WithAddress(cfg.Listen),
		wish.WithHostKeyPath(cfg.HostKey),
		// An emulated PTY: no pseudo-terminal device per session, and all
		// output goes through the SSH channel in order. The colour profile
		// then comes from the client's TERM and COLORTERM.
		ssh.EmulatePty(),
		s.sessionChannels,
		ssh.WrapConn(s.track),
		wish.WithPublicKeyAuth(s.publicKey),
		wish.WithMiddleware(
			func(ssh.Handler) ssh.Handler { return s.handle },
			s.admitted,
			// Each address may open as many connections at once as the
			// server takes sessions, then one a second.
			ratelimiter.Middleware(ratelimiter.NewRateLimiter(rate.Every(time.Second), cfg.MaxSessions, 4096)),
			s.limit,
			s.fitPTY, // first: nothing may see a PTY size before it is fitted
		),
	}
	if s.allowed == nil {
		opts = append(opts, wish.WithKeyboardInteractiveAuth(func(ssh.Context, gossh.KeyboardInteractiveChallenge) bool { return true }))
	}
	if cfg.IdleTimeout > 0 {
		opts = append(opts, wish.WithIdleTimeout(cfg.IdleTimeout))
	}
	if cfg.MaxSessionTime > 0 {
		opts = append(opts, wish.WithMaxTimeout(cfg.MaxSessionTime))
	}
	srv, err := wish.NewServer(opts...)
	if err != nil {
		s.close()
		return nil, msg.Errorf("cannot set up the SSH server: %v", err)
	}
	s.srv = srv
	return s, nil
}

// hostIDPattern is what a server's name may be: nothing that could begin
// another's guests' owners (guest:NAME:…).
var hostIDPattern = regexp.MustCompile(`^[A-Za-z0-9._-]{1,64}$`)

// guestPrefix begins the owner of every guest of this server.
func (s *Server) guestPrefix() string { return "guest:" + s.cfg.HostID + ":" }

func (s *Server) bookmarksPath() string { return filepath.Join(s.cfg.DataDir, "bookmarks.db") }

// Serve accepts connections on l until ctx ends, then tells every session
// and closes them within five seconds.
func (s *Server) Serve(ctx context.Context, l net.Listener) error {
	if s.allowed == nil {
		s.log.Warn("no --authorized-keys: anyone who can reach this address may read the archive")
	} else {
		s.log.Info("admitting listed keys only", "keys", len(s.allowed))
	}
	s.log.Info("serving", "address", l.Addr().String(), "archive", s.cfg.Archive, "goroutines", runtime.NumGoroutine())
	g := newGate(l, s.cfg, s.log)
	defer g.flush()
	defer s.full.flush()
	done := make(chan error, 1)
	go func() { done <- s.srv.Serve(g) }()
	go s.watchArchive(s.quit, archiveWatchEvery)
	select {
	case err := <-done:
		s.close()
		return err
	case <-ctx.Done():
	}
	// Stop taking connections, end every UI (each says why as it goes),
	// give the sessions up to five seconds to finish, then close the rest.
	s.mu.Lock()
	s.stopping = true
	s.cancelQuit()
	n := len(s.programs)
	for p := range s.programs {
		p.Quit()
	}
	s.mu.Unlock()
	s.log.Info("shutting down", "sessions", n)
	finished := make(chan struct{})
	go func() {
		s.wg.Wait()
		close(finished)
	}()
	select {
	case <-finished:
	case <-time.After(5 * time.Second):
		s.log.Warn("sessions still running after 5 s; closing them")
	}
	s.srv.Close()
	<-finished
	<-done
	s.close()
	return nil
}

// ListenAndServe listens on the configured address and serves.
func (s *Server) ListenAndServe(ctx context.Context) error {
	l, err := net.Listen("tcp", s.cfg.Listen)
	if err != nil {
		return msg.Errorf("cannot listen on %s: %v", s.cfg.Listen, err)
	}
	return s.Serve(ctx, l)
}

func (s *Server) close() {
	if s.marks != nil {
		s.marks.Close()
	}
	if db := s.db.Load(); db != nil {
		db.Close()
	}
	s.closeRetired()
}

func (s *Server) publicKey(_ ssh.Context, key ssh.PublicKey) bool {
	if s.allowed == nil {
		return true
	}
	return s.allowed[string(key.Marshal())]
}

// readAuthorizedKeys reads an OpenSSH authorized_keys file.
func readAuthorizedKeys(path string) (map[string]bool, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, msg.Errorf("cannot read the authorized keys: %v", err)
	}
	defer f.Close()
	keys := map[string]bool{}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		k, _, _, _, err := gossh.ParseAuthorizedKey([]byte(line))
		if err != nil {
			return nil, msg.Errorf("%s line %d is not a public key: %v", path, n, err)
		}
		keys[string(k.Marshal())] = true
	}
	if err := sc.Err(); err != nil {
		return nil, msg.Errorf("cannot read the authorized keys: %v", err)
	}
	if len(keys) == 0 {
		return nil, msg.Errorf("%s lists no keys, so nobody could connect", path)
	}
	return keys, nil
}

// trackedConn counts open connections, so that once the last one has
// closed the memory the sessions used goes back to the system and the log
// shows what is left running.
type trackedConn struct {
	net.Conn
	once sync.Once
	s    *Server
}

func (c *trackedConn) Close() error {
	c.once.Do(func() {
		if c.s.conns.Add(-1) == 0 {
			time.AfterFunc(time.Second, func() {
				if c.s.conns.Load() == 0 {
					// The sessions' memory is garbage now, but the runtime
					// gives freed memory back to the system only after
					// two of its forced collections, two minutes apart,
					// have passed. With nobody connected, a collection
					// costs nothing: give it back now.
					debug.FreeOSMemory()
					// Time spent waiting for one of the archive's
					// connections tells whether its pool is too small.
					st := c.s.db.Load().SQL().Stats()
					c.s.log.Info("idle", "goroutines", runtime.NumGoroutine(),
						"archive_waits", st.WaitCount, "archive_wait", st.WaitDuration.Round(time.Millisecond))
				}
			})
		}
	})
	return c.Conn.Close()
}

func (s *Server) track(ctx ssh.Context, conn net.Conn) net.Conn {
	if c, ok := conn.(*startingConn); ok {
		ctx.SetValue(startingKey, c) // for admitted
	}
	s.conns.Add(1)
	return &trackedConn{Conn: conn, s: s}
}
