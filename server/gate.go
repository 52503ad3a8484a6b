package server

import (
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/netip"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"charm.land/ssh"
)

// Defaults for the limits on connections that have not started a session
// yet (Config.LoginGraceTime, MaxStartups, MaxStartupsPerAddress).
//
// A client that logs in does so in well under a second; 30 s leaves time
// to type a key's passphrase, which OpenSSH asks for in the middle of the
// handshake. Ten per address lets a family or an office behind one address
// connect at the same moment, and is what sshd allows in total before it
// starts to drop. A hundred in total is more than the sessions the server
// takes (64 by default), so people connecting at once are not turned away,
// and keeps the file descriptors and goroutines that strangers can hold
// to a few hundred.
const (
	defaultLoginGrace         = 30 * time.Second
	defaultMaxStartups        = 100
	defaultMaxStartupsPerAddr = 10
)

// logEvery is the least time between two log lines about refused or
// expired connections, so that a flood of them cannot flood the log.
const logEvery = 10 * time.Second

// gate stands between the listener and the SSH server. A connection counts
// as starting from the moment it is accepted until its first session has
// been admitted (it has logged in, and neither the session limit nor the
// rate limit turned it away). While starting:
//   - it counts against a cap per source address and a cap in total, as
//     sshd's MaxStartups; a connection past either is closed as soon as it
//     is accepted, before any SSH work is done for it;
//   - it is closed when the grace time is over, as with sshd's
//     LoginGraceTime, whatever it sends meanwhile.
//
// Without this, connections that never finish the handshake each hold a
// file descriptor for as long as they like, and enough of them lock
// everyone out. Counting until the first session, not only until login,
// matters when no --authorized-keys are given: then anyone logs in, and
// connections that log in and do nothing would otherwise be held by
// nothing but the idle timeout.
type gate struct {
	net.Listener
	perAddr, total int
	grace          time.Duration

	mu       sync.Mutex
	starting map[string]int // by source (sourceKey)
	n        int

	refused, expired, failed *throttle
}

func newGate(l net.Listener, cfg Config, log *slog.Logger) *gate {
	return &gate{
		Listener: l,
		perAddr:  cfg.MaxStartupsPerAddress,
		total:    cfg.MaxStartups,
		grace:    cfg.LoginGraceTime,
		starting: map[string]int{},
		refused:  &throttle{log: log, msg: "refused a connection: too many connections are still logging in"},
		expired:  &throttle{log: log, msg: "closed a connection that did not log in and start a session in time", attrs: []any{"limit", cfg.LoginGraceTime}},
		failed:   &throttle{log: log, msg: "cannot accept connections; retrying"},
	}
}

// Accept returns the next connection within the caps. It closes the ones
// past them itself, and it waits out errors that pass, such as running out
// of file descriptors (EMFILE), instead of returning them: an accept loop
// must not end because the process was short of descriptors for a moment.
func (g *gate) Accept() (net.Conn, error) {
	var delay time.Duration
	for {
		c, err := g.Listener.Accept()
		if err != nil {
			if !passing(err) {
				return nil, err
			}
			g.failed.note("error", err.Error())
			delay = min(max(2*delay, 5*time.Millisecond), time.Second)
			time.Sleep(delay)
			continue
		}
		delay = 0
		src := sourceKey(c.RemoteAddr())
		if limit := g.enter(src); limit != "" {
			c.Close()
			g.refused.note("address", src, "limit", limit)
			continue
		}
		sc := &startingConn{Conn: c, g: g, src: src}
		sc.timer = time.AfterFunc(g.grace, sc.expire)
		return sc, nil
	}
}

// passing tells the errors of Accept that the next call may not have.
func passing(err error) bool {
	if errors.Is(err, net.ErrClosed) {
		return false
	}
	for _, e := range []error{syscall.EMFILE, syscall.ENFILE, syscall.ENOBUFS, syscall.ENOMEM, syscall.ECONNABORTED} {
		if errors.Is(err, e) {
			return true
		}
	}
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

// enter counts one more starting connection from src, or says which limit
// it would pass.
func (g *gate) enter(src string) (limit string) {
	g.mu.Lock()
	defer g.mu.Unlock()
	switch {
	case g.starting[src] >= g.perAddr:
		return fmt.Sprintf("%d per address", g.perAddr)
	case g.n >= g.total:
		return fmt.Sprintf("%d in total", g.total)
	}
	g.starting[src]++
	g.n++
	return ""
}

func (g *gate) leave(src string) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.n--
	if g.starting[src]--; g.starting[src] <= 0 {
		delete(g.starting, src)
	}
}

// flush writes the counts still held back by the rate-limited log.
func (g *gate) flush() {
	g.refused.flush()
	g.expired.flush()
	g.failed.flush()
}

// sourceKey names where a connection comes from, for the cap per address:
// an IPv4 address, or the /64 of an IPv6 one, since anyone given one IPv6
// address is usually given the 2^64 around it.
func sourceKey(a net.Addr) string {
	ap, err := netip.ParseAddrPort(a.String())
	if err != nil {
		return a.String()
	}
	ip := ap.Addr().Unmap()
	if ip.Is4() {
		return ip.String()
	}
	p, err := ip.WithZone("").Prefix(64)
	if err != nil {
		return ip.String()
	}
	return p.String()
}

// startingConn is an accepted connection; it leaves the gate's count when
// its first session is admitted, when it closes, or when its grace time
// runs out, whichever comes first.
type startingConn struct {
	net.Conn
	g     *gate
	src   string
	timer *time.Timer
	done  atomic.Bool
}

// leave takes the connection out of the count once; it reports whether
// this call did.
func (c *startingConn) leave() bool {
	if !c.done.CompareAndSwap(false, true) {
		return false
	}
	c.g.leave(c.src)
	return true
}

// started is called when a session of the connection is admitted.
func (c *startingConn) started() {
	if c.leave() {
		c.timer.Stop()
	}
}

// expire runs on the timer's own goroutine, which may start before the
// timer is stored in c.timer, so it does not touch it.
func (c *startingConn) expire() {
	if c.leave() {
		c.g.expired.note("address", c.src)
		c.Conn.Close()
	}
}

func (c *startingConn) Close() error {
	if c.leave() {
		c.timer.Stop()
	}
	return c.Conn.Close()
}

// startingKey holds a connection's *startingConn in its ssh.Context.
var startingKey = &struct{ name string }{"starting connection"}

// admitted marks a connection as started when one of its sessions gets
// past the session and rate limits.
func (s *Server) admitted(next ssh.Handler) ssh.Handler {
	return func(sess ssh.Session) {
		if c, ok := sess.Context().Value(startingKey).(*startingConn); ok {
			c.started()
		}
		next(sess)
	}
}

// throttle writes a kind of log line at most once per logEvery. The first
// is written at once; those that come sooner are counted, and the count
// is written with the latest one's details when the time is up.
type throttle struct {
	log   *slog.Logger
	msg   string
	attrs []any // fixed details of every line

	mu      sync.Mutex
	next    time.Time // when a line may be written again
	held    int
	last    []any // details of the latest held event
	pending *time.Timer
}

func (t *throttle) note(attrs ...any) {
	t.mu.Lock()
	defer t.mu.Unlock()
	now := time.Now()
	if t.held == 0 && !now.Before(t.next) {
		t.write(1, attrs)
		t.next = now.Add(logEvery)
		return
	}
	t.held++
	t.last = attrs
	if t.pending == nil {
		t.pending = time.AfterFunc(t.next.Sub(now), t.flush)
	}
}

// flush writes what is held back, if anything.
func (t *throttle) flush() {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.pending != nil {
		t.pending.Stop()
		t.pending = nil
	}
	if t.held == 0 {
		return
	}
	t.write(t.held, t.last)
	t.held, t.last = 0, nil
	t.next = time.Now().Add(logEvery)
}

func (t *throttle) write(n int, attrs []any) {
	t.log.Warn(t.msg, append(append(append([]any{}, attrs...), t.attrs...), "count", n)...)
}
