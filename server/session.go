package server

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"
	"charm.land/ssh"
	"charm.land/wish/v2"
	"charm.land/wish/v2/bubbletea"
	gossh "golang.org/x/crypto/ssh"

	"kurultai/ui"
)

// scriptCommands are the only commands a client may run; everything else
// is refused with exit status 2.
var scriptCommands = map[string]bool{"sessions": true, "show": true, "search": true, "export": true, "help": true, "version": true}

// limit admits at most MaxSessions sessions at once and turns the rest
// away politely.
func (s *Server) limit(next ssh.Handler) ssh.Handler {
	return func(sess ssh.Session) {
		select {
		case s.slots <- struct{}{}:
		default:
			s.log.Warn("turned away: server full", "address", sess.RemoteAddr().String(), "sessions", cap(s.slots))
			wish.Println(sess, "The archive has as many readers as it can take just now. Please try again in a few minutes.")
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
func who(sess ssh.Session) (owner string, guest bool) {
	if k := sess.PublicKey(); k != nil {
		return "key:" + gossh.FingerprintSHA256(k), false
	}
	var b [8]byte
	_, _ = rand.Read(b[:])
	return "guest:" + hex.EncodeToString(b[:]) + ":", true
}

// handle runs a script command, explains how to get a terminal, or starts
// the UI, and logs what happened.
func (s *Server) handle(sess ssh.Session) {
	start := time.Now()
	owner, guest := who(sess)
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
		log.Info("command", "command", args[0], "status", code, "duration", time.Since(start).Round(time.Millisecond))
		_ = sess.Exit(code)
	case !hasPTY:
		log.Info("no terminal", "duration", time.Since(start).Round(time.Millisecond))
		wish.Println(sess, "kurultai: the archive browser needs a terminal: connect with ssh -t, or run a command such as: ssh HOST sessions")
		_ = sess.Exit(2)
	default:
		log.Info("browse", "term", pty.Term, "width", pty.Window.Width, "height", pty.Window.Height)
		s.browse(sess, owner, guest)
		log.Info("left", "duration", time.Since(start).Round(time.Millisecond), "sessions", len(s.slots)-1)
	}
}

// command runs one script command for the connecting person.
func (s *Server) command(sess ssh.Session, args []string, owner string, guest, tty bool, width int) int {
	if !scriptCommands[args[0]] {
		fmt.Fprintf(sess.Stderr(), "kurultai: %q is not a command here; try sessions, show ID, search QUERY or export\n", ui.SanitizeLine(args[0]))
		return 2
	}
	if args[0] == "export" && guest {
		fmt.Fprintln(sess.Stderr(), "kurultai: export needs a key: bookmarks made without one last only for that connection")
		return 2
	}
	return s.cfg.Command(sess.Context(), args, Remote{
		Stdout: sess, Stderr: sess.Stderr(),
		Archive: s.cfg.Archive, Bookmarks: s.bookmarksPath(), Owner: owner,
		Terminal: tty, Width: width, Getenv: envOf(sess),
	})
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
	// Each session's render cache is kept small, so that many readers
	// together stay within memory; a cache miss only renders a screenful.
	opts := ui.Options{Theme: s.cfg.Theme, Bookmarks: s.marks, Owner: owner, Guest: guest, Remote: true, CacheBytes: 4 << 20}
	if s.cfg.Theme == "" && envOf(sess)("NO_COLOR") != "" {
		opts.NoColor = true
	}
	var program *tea.Program
	bubbletea.MiddlewareWithProgramHandler(func(sess ssh.Session) *tea.Program {
		s.mu.Lock()
		defer s.mu.Unlock()
		if s.stopping {
			return nil
		}
		m := ui.New(sess.Context(), s.db, opts)
		popts := append([]tea.ProgramOption{tea.WithFPS(ui.FPS)}, bubbletea.MakeOptions(sess)...)
		out := ui.NewWatchedOutput(sess)
		program = tea.NewProgram(m, append(popts, tea.WithInput(quickEscape{sess}), tea.WithOutput(out))...)
		m.PaceFrames(program, ui.FPS, out) // idle sessions cost nothing
		s.programs[program] = true
		return program
	})(func(ssh.Session) {})(sess)
	s.mu.Lock()
	delete(s.programs, program)
	stopping := s.stopping
	s.mu.Unlock()
	if stopping {
		wish.Println(sess, "\nkurultai: the archive server is shutting down; your bookmarks are saved. Please connect again later.")
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
