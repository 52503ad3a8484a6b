package server

import (
	"io"
	"strings"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"
)

// waitForText waits until what a session wrote holds text.
func waitForText(t *testing.T, out *lockedBuffer, text string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !strings.Contains(out.String(), text) {
		if time.Now().After(deadline) {
			t.Fatalf("never said %q; said:\n%s", text, out.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// A client that sends ACCESSIBLE=1 gets the accessible mode: the same
// screens said as lines, in its language, with no escape sequence and no
// cursor movement in the stream but the ends of lines.
func TestAccessibleOverSSH(t *testing.T) {
	ts := startServer(t, Config{})
	c := mustDial(t, ts.addr, newKey(t))
	sess, err := c.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	defer sess.Close()
	for k, v := range map[string]string{"ACCESSIBLE": "1", "LANG": "ru_RU.UTF-8"} {
		if err := sess.Setenv(k, v); err != nil {
			t.Fatalf("%s refused: %v", k, err)
		}
	}
	if err := sess.RequestPty("xterm-256color", 24, 80, gossh.TerminalModes{}); err != nil {
		t.Fatal(err)
	}
	stdin, err := sess.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	out, err := sess.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var raw lockedBuffer
	done := make(chan struct{})
	go func() { io.Copy(&raw, out); close(done) }()
	if err := sess.Shell(); err != nil {
		t.Fatal(err)
	}
	waitForText(t, &raw, "Экран: Заседания.")
	waitForText(t, &raw, "1 из 5:")
	io.WriteString(stdin, "j")
	waitForText(t, &raw, "2 из 5:")
	io.WriteString(stdin, "q")
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("q did not end the session")
	}
	got := raw.String()
	for i, r := range got {
		if r < 0x20 && r != '\n' && r != '\r' || r == 0x7f || r == 0x9b {
			t.Fatalf("byte %d of the stream is %q, in:\n%q", i, r, got)
		}
	}
	// The client's terminal is raw: each line ends with CR LF, and there
	// is no CR but those.
	if n := strings.Count(got, "\r\n"); n == 0 || n != strings.Count(got, "\n") || n != strings.Count(got, "\r") {
		t.Errorf("the lines do not each end with CR LF: %q", got)
	}
}
