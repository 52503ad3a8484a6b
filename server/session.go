package server

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"
	"charm.land/ssh"
	"charm.land/wish/v2"
	"charm.land/wish/v2/bubbletea"
	gossh "golang.org/x/crypto/ssh"

	"kurultai/ui"
	"kurultai/ui/i18n"
)

// limit admits at most MaxSessions sessions at once and turns the rest
// away politely.
func (s *Server) limit(next ssh.Handler) ssh.Handler {
	return func(sess ssh.Session) {
		select {
		case s.slots <- struct{}{}:
		default:
			s.full.note("address", sess.RemoteAddr().String())
			wish.Println(sess, s.printer(sess).T("The archive has as many readers as it can take just now. Please try again in a few minutes."))
			_ = sess.Exit(1)
			return
		}
		s.wg.Add(1)
		defer func() {
			<-s.slots
			s.wg.Done()
		}()
		next(sess)
	}
}

// who names the connecting person as an owner of bookmarks: their key's
// fingerprint, or a guest name that lasts for this connection.
func (s *Server) who(sess ssh.Session) (owner string, guest bool) {
	if k := sess.PublicKey(); k != nil {
		return "key:" + gossh.FingerprintSHA256(k), false
	}
	var b [8]byte
	_, _ = rand.Read(b[:])
	return s.guestPrefix() + hex.EncodeToString(b[:]) + ":", true
}

// handle runs a script command, explains how to get a terminal, or starts
// the UI, and logs what happened.
func (s *Server) handle(sess ssh.Session) {
	start := time.Now()
	owner, guest := s.who(sess)
	args := sess.Command()
	pty, _, hasPTY := sess.Pty()
	keyName := strings.TrimPrefix(owner, "key:")
	if guest {
		keyName = "none"
	}
	log := s.log.With("key", keyName, "address", sess.RemoteAddr().String())
	if guest {
		defer func() {
			// Not the session's context: it is over by now, and a
			// dropped connection must not keep its guest's bookmarks.
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			if _, err := s.marks.Forget(ctx, owner); err != nil {
				log.Error("cannot forget a guest's bookmarks", "error", err)
			}
		}()
	}
	switch {
	case len(args) > 0:
		code := s.command(sess, args, owner, guest, hasPTY, pty.Window.Width)
		log.Info("command", "args", logArgs(args), "status", code, "duration", time.Since(start).Round(time.Millisecond))
		_ = sess.Exit(code)
	case !hasPTY:
		log.Info("no terminal", "duration", time.Since(start).Round(time.Millisecond))
		wish.Println(sess, "kurultai: "+s.printer(sess).T("the archive browser needs a terminal: connect with ssh -t, or run a command such as: ssh HOST sessions"))
		_ = sess.Exit(2)
	default:
		log.Info("browse", "term", pty.Term, "width", pty.Window.Width, "height", pty.Window.Height)
		s.browse(sess, owner, guest)
		log.Info("left", "duration", time.Since(start).Round(time.Millisecond), "sessions", len(s.slots)-1)
	}
}

// command runs one script command for the connecting person. Which
// commands exist, and with which flags, is the Command's to say: the
// server only fixes the archive, the bookmarks and the owner.
func (s *Server) command(sess ssh.Session, args []string, owner string, guest, tty bool, width int) int {
	ctx, cancel := s.sessionContext(sess)
	defer cancel()
	return s.cfg.Command(ctx, args, Remote{
		Stdout: sess, Stderr: sess.Stderr(),
		Archive: s.cfg.Archive, Bookmarks: s.bookmarksPath(), Owner: owner, Guest: guest,
		Terminal: tty, Width: width, Getenv: envOf(sess), Lang: s.printer(sess).Lang(), Store: s.marks,
	})
}

// accessible says whether the client asked for the accessible mode, for
// screen readers: ACCESSIBLE=1 (or true) sent with its locale.
func accessible(env func(string) string) bool {
	on, err := strconv.ParseBool(env("ACCESSIBLE"))
	return on && err == nil
}

// printer speaks the client's language if it sends its locale, else the
// server's.
func (s *Server) printer(sess ssh.Session) *i18n.Printer {
	lang := s.cfg.Lang
	if env := envOf(sess); env("LC_ALL") != "" || env("LC_MESSAGES") != "" || env("LANG") != "" {
		lang = i18n.FromEnv(env)
	}
	return i18n.New(lang)
}

// envOf reads the variables the client sent.
func envOf(sess ssh.Session) func(string) string {
	env := sess.Environ()
	return func(name string) string {
		for i := len(env) - 1; i >= 0; i-- {
			if v, ok := strings.CutPrefix(env[i], name+"="); ok {
				return v
			}
		}
		return ""
	}
}

// browse runs the UI for one session until the person quits, the
// session ends or the server shuts down.
func (s *Server) browse(sess ssh.Session, owner string, guest bool) {
	tr := s.printer(sess)
	// Each session's render cache is kept small, so that many readers
	// together stay within memory; a cache miss only renders a screenful.
	opts := ui.Options{Theme: s.cfg.Theme, Bookmarks: s.marks, Owner: owner, Guest: guest, CacheBytes: 4 << 20,
		// Nothing is written on the host: exports go through a command.
		ExportHint: func(format string) string {
			return tr.T("Over SSH, export with: ssh HOST export --format %s > bookmarks.%s", format, format)
		}}
	if s.cfg.Theme == "" && envOf(sess)("NO_COLOR") != "" {
		opts.NoColor = true
	}
	opts.Lang = tr.Lang()
	// The reader's terminal: inside their tmux, copying says what it
	// needs. The host's tmux is never theirs.
	if pty, _, ok := sess.Pty(); ok {
		opts.Term = pty.Term
	}
	var program *tea.Program
	bubbletea.MiddlewareWithProgramHandler(func(sess ssh.Session) *tea.Program {
		s.mu.Lock()
		defer s.mu.Unlock()
		if s.stopping {
			return nil
		}
		ctx, cancel := s.sessionContext(sess)
		go func() { <-sess.Context().Done(); cancel() }()
		// sess is fitted (fitPTY): its size is always within bounds, and
		// the program takes no size from anywhere else.
		size := func() (int, int) {
			pty, _, _ := sess.Pty()
			return pty.Window.Width, pty.Window.Height
		}
		if accessible(envOf(sess)) {
			// The accessible mode draws nothing: its lines, filtered as
			// everything kurultai writes, are all that reaches the client.
			a := ui.NewAccessible(ctx, s.db.Load(), opts, ui.NewSafeWriter(sess))
			program = tea.NewProgram(a, tea.WithoutRenderer(), tea.WithoutSignalHandler(), tea.WithFilter(sizeFilter(size)),
				tea.WithInput(quickEscape{sess}), tea.WithOutput(io.Discard))
			s.programs[program] = true
			return program
		}
		m := ui.New(ctx, s.db.Load(), opts)
		// The process's signals are the server's: a SIGTERM ends every
		// session through the shutdown, which says goodbye, not through
		// each program on its own, which would leave before it could.
		popts := append([]tea.ProgramOption{tea.WithFPS(ui.FPS), tea.WithoutSignalHandler()}, bubbletea.MakeOptions(sess)...)
		out := ui.NewWatchedOutput(sess)
		program = tea.NewProgram(m, append(popts, tea.WithFilter(sizeFilter(size)),
			tea.WithInput(quickEscape{sess}), tea.WithOutput(out))...)
		m.PaceFrames(program, ui.FPS, out) // idle sessions cost nothing
		s.programs[program] = true
		return program
	})(func(ssh.Session) {})(sess)
	s.mu.Lock()
	delete(s.programs, program)
	stopping := s.stopping
	s.mu.Unlock()
	if stopping {
		wish.Println(sess, "\nkurultai: "+tr.T("the archive server is shutting down; your bookmarks are saved. Please connect again later."))
	}
}

// quickEscape passes a session's input through, except that a read which
// is a lone ESC becomes the escape key in its unambiguous form (CSI 27 u).
// A terminal sends ESC alone for the escape key and ESC followed by more
// for other keys, and over SSH a key's bytes come in one message; without
// this, Bubble Tea waits 50 ms after every lone ESC for more to follow
// before it takes it as the escape key, and esc is the key that goes back.
type quickEscape struct{ r io.Reader }

func (q quickEscape) Read(p []byte) (int, error) {
	n, err := q.r.Read(p)
	if n == 1 && p[0] == 0x1b && len(p) >= len(escapeKey) {
		n = copy(p, escapeKey)
	}
	return n, err
}

const escapeKey = "\x1b[27u"

// logArgs is a command line for the log: each argument quoted with its
// control characters escaped, and at most 1,000 bytes in all, so that a
// client can neither forge log lines nor fill the disk with one command.
func logArgs(args []string) string {
	const limit = 1000
	var b strings.Builder
	for i, a := range args {
		if i > 0 {
			b.WriteByte(' ')
		}
		if len(a) > limit {
			a = a[:limit]
		}
		b.WriteString(strconv.QuoteToASCII(a))
		if b.Len() > limit {
			return b.String()[:limit] + fmt.Sprintf("… (%d arguments, %d bytes)", len(args), argBytes(args))
		}
	}
	return b.String()
}

func argBytes(args []string) int {
	n := 0
	for _, a := range args {
		n += len(a)
	}
	return n
}

// sessionContext is the context for a session's work: it ends when the
// client leaves or the server starts shutting down, so that no query or
// render outlives either.
func (s *Server) sessionContext(sess ssh.Session) (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithCancel(sess.Context())
	stop := context.AfterFunc(s.quit, cancel)
	return ctx, func() {
		stop()
		cancel()
	}
}
