package server

import (
	"bufio"
	"errors"
	"io"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"
)

// dialFrom opens a TCP connection to addr from the loopback address src,
// so that a test can come from several addresses.
func dialFrom(t *testing.T, src, addr string) net.Conn {
	t.Helper()
	d := net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(src)}, Timeout: 5 * time.Second}
	c, err := d.Dial("tcp", addr)
	if errors.Is(err, syscall.EADDRNOTAVAIL) {
		t.Skipf("this system cannot connect from %s: %v", src, err)
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// greeting reads the server's SSH version line. A connection that the
// server closed unread gets an error instead.
func greeting(c net.Conn) (string, error) {
	c.SetReadDeadline(time.Now().Add(5 * time.Second))
	defer c.SetReadDeadline(time.Time{})
	return bufio.NewReader(c).ReadString('\n')
}

// closedBy waits until the server closes c, reading whatever it sends.
func closedBy(c net.Conn, limit time.Duration) bool {
	c.SetReadDeadline(time.Now().Add(limit))
	_, err := io.Copy(io.Discard, c)
	var ne net.Error
	return !(errors.As(err, &ne) && ne.Timeout())
}

// silent opens n connections from src that never send anything and says
// how many the server took (it sent its greeting) and how many it refused
// (it closed them without a word).
func silent(t *testing.T, src, addr string, n int) (taken, refused []net.Conn) {
	t.Helper()
	for range n {
		c := dialFrom(t, src, addr)
		if line, err := greeting(c); err == nil && strings.HasPrefix(line, "SSH-2.0-") {
			taken = append(taken, c)
		} else {
			refused = append(refused, c)
		}
	}
	return taken, refused
}

func allowedKey(t *testing.T) (gossh.Signer, string) {
	t.Helper()
	key := newKey(t)
	path := filepath.Join(t.TempDir(), "authorized_keys")
	if err := os.WriteFile(path, gossh.MarshalAuthorizedKey(key.PublicKey()), 0o600); err != nil {
		t.Fatal(err)
	}
	return key, path
}

// logLines returns the lines of the log with msg, and the sum of their
// counts.
func logLines(log, msg string) (lines, count int) {
	re := regexp.MustCompile(`count=(\d+)`)
	for line := range strings.SplitSeq(log, "\n") {
		if !strings.Contains(line, msg) {
			continue
		}
		lines++
		if m := re.FindStringSubmatch(line); m != nil {
			n, _ := strconv.Atoi(m[1])
			count += n
		}
	}
	return lines, count
}

// TestStartupCaps fills the caps on connections that have not logged in
// with connections that send nothing, as the attack that took every file
// descriptor did, and shows that a listed key still logs in from another
// address, that the ones past the caps are closed before the server sends
// a byte, and that the log says so in two lines, not one per connection.
func TestStartupCaps(t *testing.T) {
	key, keys := allowedKey(t)
	log := &lockedBuffer{}
	ts := startServer(t, Config{AuthorizedKeys: keys, MaxStartups: 6, MaxStartupsPerAddress: 4,
		Log: slog.New(slog.NewTextHandler(log, nil))})

	taken, refused := silent(t, "127.0.0.2", ts.addr, 7)
	if len(taken) != 4 || len(refused) != 3 {
		t.Fatalf("7 silent connections from one address: %d taken, %d refused; want 4 and 3", len(taken), len(refused))
	}
	c, err := dial(ts.addr, gossh.PublicKeys(key))
	if err != nil {
		t.Fatalf("a listed key from another address was refused while one address held its cap: %v", err)
	}
	if _, _, status := run(t, c, "sessions"); status != 0 {
		t.Fatalf("sessions: status %d", status)
	}
	c.Close()

	// Two more from a third address fill the cap in total.
	taken3, refused3 := silent(t, "127.0.0.3", ts.addr, 2)
	if len(taken3) != 2 || len(refused3) != 0 {
		t.Fatalf("2 from a second address: %d taken, %d refused; want both taken", len(taken3), len(refused3))
	}
	if _, refused := silent(t, "127.0.0.4", ts.addr, 1); len(refused) != 1 {
		t.Fatal("a connection past the cap in total was taken")
	}
	// As with sshd, a full cap in total turns everyone away ...
	if c, err := dial(ts.addr, gossh.PublicKeys(key)); err == nil {
		c.Close()
		t.Fatal("a connection past the cap in total logged in")
	}
	refusedN := len(refused) + 2
	// ... until some of the connections close. (The server may not have
	// seen them close when the first attempt comes.)
	for _, c := range taken3 {
		c.Close()
	}
	deadline := time.Now().Add(5 * time.Second)
	for {
		c, err := dial(ts.addr, gossh.PublicKeys(key))
		if err == nil {
			c.Close()
			break
		}
		refusedN++
		if time.Now().After(deadline) {
			t.Fatalf("closed connections still count against the cap: %v", err)
		}
		time.Sleep(20 * time.Millisecond)
	}

	ts.shutdown() // writes what the log held back
	lines, count := logLines(log.String(), "refused a connection")
	if count != refusedN || lines > 2 {
		t.Errorf("the log has %d lines about %d refused connections; want at most 2 lines that count all %d:\n%s", lines, count, refusedN, log.String())
	}
}

// TestLoginGraceTime shows that a connection is closed when it has not
// logged in and started a session within the grace time: one that sends
// nothing, one that sends a byte at a time so that it is never idle, and
// one that logs in but never starts a session. A connection whose session
// started stays open past it.
func TestLoginGraceTime(t *testing.T) {
	const grace = 300 * time.Millisecond
	key, keys := allowedKey(t)
	log := &lockedBuffer{}
	ts := startServer(t, Config{AuthorizedKeys: keys, LoginGraceTime: grace,
		Log: slog.New(slog.NewTextHandler(log, nil))})

	start := time.Now()
	quiet, _ := silent(t, "127.0.0.1", ts.addr, 1)
	if len(quiet) != 1 {
		t.Fatal("the server refused a single connection")
	}
	if !closedBy(quiet[0], 10*time.Second) {
		t.Fatal("a connection that sent nothing was still open 10 s after its grace time")
	}
	if d := time.Since(start); d < grace {
		t.Fatalf("a silent connection was closed after %v, before its grace time of %v", d, grace)
	}

	slow := dialFrom(t, "127.0.0.1", ts.addr)
	if _, err := greeting(slow); err != nil {
		t.Fatal(err)
	}
	closed := make(chan bool, 1)
	go func() { closed <- closedBy(slow, 10*time.Second) }()
	// Part of a version line, a byte every 50 ms: never idle, never done.
	for _, b := range []byte("SSH-2.0-slow-and-steady-client-still-typing") {
		if _, err := slow.Write([]byte{b}); err != nil {
			break // closed
		}
		time.Sleep(50 * time.Millisecond)
	}
	if !<-closed {
		t.Fatal("a connection that kept sending without finishing the handshake was not closed")
	}

	idle, err := dial(ts.addr, gossh.PublicKeys(key))
	if err != nil {
		t.Fatal(err)
	}
	defer idle.Close()
	ended := make(chan error, 1)
	go func() { ended <- idle.Wait() }()
	select {
	case <-ended:
	case <-time.After(10 * time.Second):
		t.Fatal("a connection that logged in but started no session was not closed")
	}

	busy := mustDial(t, ts.addr, key)
	if _, _, status := run(t, busy, "sessions"); status != 0 {
		t.Fatalf("sessions: status %d", status)
	}
	time.Sleep(3 * grace)
	if _, _, status := run(t, busy, "sessions"); status != 0 {
		t.Fatalf("sessions after the grace time: status %d", status)
	}

	ts.shutdown()
	if lines, count := logLines(log.String(), "did not log in and start a session in time"); count != 3 || lines > 2 {
		t.Errorf("the log has %d lines about %d late connections; want at most 2 lines that count all 3:\n%s", lines, count, log.String())
	}
}

func TestSourceKey(t *testing.T) {
	for _, tc := range []struct{ addr, want string }{
		{"192.0.2.7:2222", "192.0.2.7"},
		{"[::ffff:192.0.2.7]:2222", "192.0.2.7"},
		{"[2001:db8:1:2:3:4:5:6]:2222", "2001:db8:1:2::/64"},
		{"[2001:db8:1:2:ffff::1]:40000", "2001:db8:1:2::/64"},
		{"[fe80::1%eth0]:22", "fe80::/64"},
	} {
		a, err := net.ResolveTCPAddr("tcp", tc.addr)
		if err != nil {
			t.Fatal(err)
		}
		if got := sourceKey(a); got != tc.want {
			t.Errorf("sourceKey(%s) = %s, want %s", tc.addr, got, tc.want)
		}
	}
}
