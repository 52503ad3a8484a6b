package server

import (
	"fmt"
	"sync"

	tea "charm.land/bubbletea/v2"
	"charm.land/ssh"
	gossh "golang.org/x/crypto/ssh"
)

// The largest terminal a session may have, and the size taken when a
// client gives none. Bubble Tea keeps two cell buffers the size of the
// terminal, about 110 bytes a cell each, and the UI lays out frames as
// large, so the size a client asks for decides what its session costs:
// 3000×3000 is 1 GB a buffer, and 65535×65535 is more than any server has
// (allocating it cannot be interrupted, so it went on after the client had
// gone). 500×300 is larger than any screen people read on and costs 34 MB.
// RFC 4254 says a zero dimension means "not given".
const (
	maxColumns     = 500
	maxRows        = 300
	defaultColumns = 80
	defaultRows    = 24
)

// fitSize keeps a terminal size within maxColumns × maxRows. A dimension of
// zero or less keeps the one before it, or the default if there was none.
func fitSize(w, h, prevW, prevH int) (int, int) {
	if prevW <= 0 {
		prevW = defaultColumns
	}
	if prevH <= 0 {
		prevH = defaultRows
	}
	if w <= 0 {
		w = prevW
	}
	if h <= 0 {
		h = prevH
	}
	return min(w, maxColumns), min(h, maxRows)
}

// fitWindow is fitSize for an SSH window. Pixel sizes go with the cells:
// they are dropped when the cells are changed, so that the two never
// disagree.
func fitWindow(w, prev ssh.Window) ssh.Window {
	cols, rows := fitSize(w.Width, w.Height, prev.Width, prev.Height)
	if cols != w.Width || rows != w.Height {
		w.WidthPixels, w.HeightPixels = 0, 0
	}
	w.Width, w.Height = cols, rows
	return w
}

// fitPTY makes every session's terminal, as the handlers and Bubble Tea see
// it, no larger than maxColumns × maxRows, at the start and at every window
// change. It runs before any other middleware.
func (s *Server) fitPTY(next ssh.Handler) ssh.Handler {
	return func(sess ssh.Session) { next(newFittedSession(sess)) }
}

// fittedSession is a session whose PTY size is kept within bounds: Pty
// returns the fitted size and a channel of fitted window changes.
type fittedSession struct {
	ssh.Session
	winch chan ssh.Window

	mu  sync.Mutex
	pty ssh.Pty
}

// newFittedSession wraps sess; a session without a PTY is returned as it is.
func newFittedSession(sess ssh.Session) ssh.Session {
	pty, in, ok := sess.Pty()
	if !ok {
		return sess
	}
	pty.Window = fitWindow(pty.Window, ssh.Window{})
	f := &fittedSession{Session: sess, winch: make(chan ssh.Window, 1), pty: pty}
	go f.forward(in)
	// The window changes held until now may go to the library (see
	// sessionChannel). The size has been read, and forward drains the
	// library's channel.
	_, _ = sess.SendRequest(sizeTaken, false, nil)
	return f
}

// Pty returns the fitted terminal: its current size, and the fitted window
// changes.
func (f *fittedSession) Pty() (ssh.Pty, <-chan ssh.Window, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.pty, f.winch, true
}

// forward fits each window change and passes it on until the SSH library
// closes its channel, which it does when the session's channel closes.
// It never blocks on the reader: a reader that has not taken the last size
// gets the newest instead. The library's own channel holds one size and
// its request loop waits while it is full, so draining it also keeps a
// session that nobody reads sizes from (a command run with -t) from
// stalling on its first window change.
func (f *fittedSession) forward(in <-chan ssh.Window) {
	defer close(f.winch)
	for w := range in {
		f.mu.Lock()
		w = fitWindow(w, f.pty.Window)
		f.pty.Window = w
		f.mu.Unlock()
		select {
		case f.winch <- w:
		default:
			select {
			case <-f.winch: // stale: replaced by the newer size
			default:
			}
			f.winch <- w // only this goroutine sends, so there is room now
		}
	}
}

// sizeFilter is the program's message filter for a session whose current
// size the size function returns (a fittedSession's). Every
// tea.WindowSizeMsg gets that size, fitted, whatever it says: the SSH
// window changes are the only source of a session's size. Two others would
// get in otherwise. A client can type a terminal's size reports into its
// input (CSI 8 ; rows ; cols t, or the in-band CSI 48 t), which Bubble Tea
// takes as window sizes and which never pass through fitPTY. And Bubble
// Tea sends the first size from a goroutine of its own, so it can come
// after a window change that the session got early, and undo it.
//
// The filter also does what the one from wish's bubbletea.MakeOptions,
// which it replaces, does: a suspend becomes a resume, because a server
// must never stop itself.
func sizeFilter(size func() (w, h int)) func(tea.Model, tea.Msg) tea.Msg {
	return func(_ tea.Model, msg tea.Msg) tea.Msg {
		switch msg.(type) {
		case tea.WindowSizeMsg:
			w, h := size()
			w, h = fitSize(w, h, 0, 0)
			return tea.WindowSizeMsg{Width: w, Height: h}
		case tea.SuspendMsg:
			return tea.ResumeMsg{}
		}
		return msg
	}
}

// sessionChannels is the server option that opens every session channel
// with sessionChannel, at most maxChannels at once on one connection (as
// sshd's MaxSessions): each channel may hold up to 2 MB of data the client
// sent before its command, and without a cap one connection could open
// any number of them, or take every session slot.
func (s *Server) sessionChannels(srv *ssh.Server) error {
	srv.ChannelHandlers = map[string]ssh.ChannelHandler{"session": func(srv *ssh.Server, conn *gossh.ServerConn, ch gossh.NewChannel, ctx ssh.Context) {
		s.mu.Lock()
		n := s.channels[conn]
		if n < maxChannels {
			s.channels[conn] = n + 1
		}
		s.mu.Unlock()
		if n >= maxChannels {
			_ = ch.Reject(gossh.ResourceShortage, fmt.Sprintf("at most %d sessions at once on one connection", maxChannels))
			return
		}
		defer func() {
			s.mu.Lock()
			if s.channels[conn]--; s.channels[conn] <= 0 {
				delete(s.channels, conn)
			}
			s.mu.Unlock()
		}()
		sessionChannel(srv, conn, ch, ctx)
	}}
	return nil
}

// maxChannels is how many sessions one connection may have open at once.
const maxChannels = 10

// Limits on the variables a client may send: only those that change how
// text is shown are kept, each short, and only a few; the SSH library
// would keep every one, of any size.
const (
	maxEnvValue = 256
	maxEnvVars  = 16
)

// DisplayVars are the only variables a client may send: they change how
// text is shown and nothing else.
var DisplayVars = map[string]bool{"TERM": true, "COLORTERM": true, "NO_COLOR": true, "LANG": true, "LC_ALL": true, "LC_MESSAGES": true,
	"ACCESSIBLE": true}

// sessionChannel opens session channels as the SSH library does, except
// that the window changes that come after the PTY request wait until
// fitPTY has read the session's first size.
//
// The library keeps one size in a channel of one and waits, in the loop
// that takes the session's requests, for room to put the next; nothing
// reads that channel until the session starts. A window change between the
// PTY request and the shell or command therefore stopped that loop for
// good: the shell request behind it was never read, and the loop, the
// session and its buffers outlived the connection. Any client could leak
// one of each per session that way, as fast as it liked. Holding the
// changes until the size has been read also keeps the library from
// writing the size while fitPTY reads it.
func sessionChannel(srv *ssh.Server, conn *gossh.ServerConn, ch gossh.NewChannel, ctx ssh.Context) {
	ssh.DefaultSessionHandler(srv, conn, newSessionChannel{ch}, ctx)
}

type newSessionChannel struct{ gossh.NewChannel }

func (n newSessionChannel) Accept() (gossh.Channel, <-chan *gossh.Request, error) {
	ch, in, err := n.NewChannel.Accept()
	if err != nil {
		return ch, in, err
	}
	c := &sessionChan{Channel: ch, taken: make(chan struct{})}
	out := make(chan *gossh.Request)
	go c.pass(in, out)
	return c, out, nil
}

// sessionChan is a session's channel that knows when fitPTY has read the
// session's size.
type sessionChan struct {
	gossh.Channel
	taken chan struct{} // closed once fitPTY has read the size
	once  sync.Once
}

// sizeTaken is the request that fitPTY sends on its session's channel once
// it has read the session's size. sessionChan takes it; it never goes to
// the client.
const sizeTaken = "size-taken@kurultai"

func (c *sessionChan) SendRequest(name string, wantReply bool, payload []byte) (bool, error) {
	if name == sizeTaken {
		c.once.Do(func() { close(c.taken) })
		return true, nil
	}
	return c.Channel.SendRequest(name, wantReply, payload)
}

// pass passes requests from in to out. A window change that comes after
// the PTY request and before the size is taken is answered here and held,
// only the latest kept, and passed on once the size is taken.
func (c *sessionChan) pass(in <-chan *gossh.Request, out chan<- *gossh.Request) {
	defer close(out)
	var pty bool
	var held *gossh.Request
	envs := 0
	taken := c.taken
	for {
		select {
		case <-taken:
			taken = nil // from now on, everything passes
			if held != nil {
				out <- held
				held = nil
			}
		case req, ok := <-in:
			if !ok {
				return
			}
			switch req.Type {
			case "env":
				var kv struct{ Key, Value string }
				if gossh.Unmarshal(req.Payload, &kv) != nil || !DisplayVars[kv.Key] || len(kv.Value) > maxEnvValue || envs >= maxEnvVars {
					_ = req.Reply(false, nil)
					continue
				}
				envs++
			case "pty-req":
				// The terminal type is a short name; a long one would
				// only fill memory and the log.
				var p struct {
					Term string
					Rest []byte `ssh:"rest"`
				}
				if gossh.Unmarshal(req.Payload, &p) != nil || len(p.Term) > maxEnvValue {
					_ = req.Reply(false, nil)
					continue
				}
				pty = true
			case "window-change":
				if pty && taken != nil {
					// A copy without a reply due: the reply goes now.
					held = &gossh.Request{Type: req.Type, Payload: req.Payload}
					_ = req.Reply(true, nil)
					continue
				}
			}
			out <- req
		}
	}
}
