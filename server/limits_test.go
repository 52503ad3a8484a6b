package server

import (
	"context"
	"fmt"
	"io"
	"runtime"
	"runtime/metrics"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"charm.land/ssh"
	gossh "golang.org/x/crypto/ssh"
)

func TestFitSize(t *testing.T) {
	for _, tc := range []struct {
		w, h, prevW, prevH int
		wantW, wantH       int
	}{
		{100, 30, 0, 0, 100, 30},
		{500, 300, 0, 0, 500, 300},
		{501, 301, 0, 0, 500, 300},
		{65535, 65535, 0, 0, 500, 300},
		{65535, 20, 0, 0, 500, 20},
		{0, 0, 0, 0, 80, 24},           // not given: the default
		{0, 0, 120, 40, 120, 40},       // not given: unchanged
		{-5, 10, 120, 40, 120, 10},     // as a 32-bit int might read 2^31 and more
		{0, 50000, 65535, 0, 500, 300}, // an earlier size is never above the cap
		{1, 1, 0, 0, 1, 1},
	} {
		w, h := fitSize(tc.w, tc.h, tc.prevW, tc.prevH)
		if w != tc.wantW || h != tc.wantH {
			t.Errorf("fitSize(%d, %d, %d, %d) = %d×%d, want %d×%d", tc.w, tc.h, tc.prevW, tc.prevH, w, h, tc.wantW, tc.wantH)
		}
	}
	got := fitWindow(ssh.Window{Width: 9000, Height: 10, WidthPixels: 72000, HeightPixels: 160}, ssh.Window{})
	if got != (ssh.Window{Width: 500, Height: 10}) {
		t.Errorf("a clamped window kept its pixel size: %+v", got)
	}
	// The program's size is the session's, whatever a message says.
	for _, tc := range []struct {
		w, h     int // the session's
		in, want tea.Msg
	}{
		{100, 30, tea.WindowSizeMsg{Width: 1000, Height: 1000}, tea.WindowSizeMsg{Width: 100, Height: 30}},
		{100, 30, tea.WindowSizeMsg{Width: 40, Height: 10}, tea.WindowSizeMsg{Width: 100, Height: 30}},
		{9000, 9000, tea.WindowSizeMsg{Width: 9000, Height: 9000}, tea.WindowSizeMsg{Width: 500, Height: 300}},
		{0, 0, tea.WindowSizeMsg{}, tea.WindowSizeMsg{Width: 80, Height: 24}},
		{100, 30, tea.SuspendMsg{}, tea.ResumeMsg{}},
		{100, 30, tea.KeyPressMsg{Code: 'q'}, tea.KeyPressMsg{Code: 'q'}},
	} {
		filter := sizeFilter(func() (int, int) { return tc.w, tc.h })
		if got := filter(nil, tc.in); got != tc.want {
			t.Errorf("a session of %d×%d: filter(%#v) = %#v, want %#v", tc.w, tc.h, tc.in, got, tc.want)
		}
	}
}

// drawn returns the rightmost column and the lowest row on which the
// screen shows anything but blanks, counting from 1.
func (s *screen) drawn() (cols, rows int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for y := range s.emu.Height() {
		for x := range s.emu.Width() {
			if c := s.emu.CellAt(x, y); c != nil && strings.TrimSpace(c.Content) != "" {
				cols, rows = max(cols, x+1), max(rows, y+1)
			}
		}
	}
	return cols, rows
}

// TestPTYSizeIsCapped asks for a terminal larger than the cap in every way
// a client can: in the PTY request, in a window change, and typed into its
// input as a terminal's size reports. The UI never draws past 500×300.
func TestPTYSizeIsCapped(t *testing.T) {
	ts := startServer(t, Config{})
	c := mustDial(t, ts.addr, newKey(t))
	// The client's own screen is larger than the cap, so that anything
	// drawn past it shows.
	scr := openScreen(t, c, 600, 400)
	scr.waitFor(t, "newest first") // in the help line at the foot
	check := func(how string) {
		t.Helper()
		// The help line at the foot of the screen is drawn last.
		deadline := time.Now().Add(2 * time.Second)
		for time.Now().Before(deadline) {
			if cols, rows := scr.drawn(); cols > maxColumns || rows > maxRows {
				t.Fatalf("after %s the UI draws %d columns and %d rows; the cap is %d×%d", how, cols, rows, maxColumns, maxRows)
			}
			time.Sleep(50 * time.Millisecond)
		}
		if _, rows := scr.drawn(); rows < maxRows-1 {
			t.Fatalf("after %s the UI draws only %d rows; it should fill the %d it may use", how, rows, maxRows)
		}
	}
	check("a PTY request of 600×400")
	if err := scr.sess.WindowChange(65535, 65535); err != nil {
		t.Fatal(err)
	}
	check("a window change to 65535×65535")
	if err := scr.sess.WindowChange(400, 600); err != nil {
		t.Fatal(err)
	}
	check("a window change to 600×400")
	// xterm's reply to CSI 18 t, and the in-band resize report of mode
	// 2048: Bubble Tea takes both from the input as window sizes.
	scr.keys(t, "\x1b[8;1000;1000t")
	check("a size report of 1000×1000 in the input")
	scr.keys(t, "\x1b[48;1000;1000;0;0t")
	check("an in-band size report of 1000×1000 in the input")
}

// collectedHeap collects garbage and returns the heap left live.
func collectedHeap() uint64 {
	runtime.GC()
	return liveHeap()
}

// liveHeap returns the heap that the last collection found live. It forces
// no collection: one that holds up the program for long could keep a
// frame from being written (see the frame pacer in ui), and allocating
// without end, as the old server did, brings collections on by itself.
func liveHeap() uint64 {
	s := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	metrics.Read(s)
	return s[0].Value.Uint64()
}

// TestHugePTYMemory asks for 65535×65535, then changes the window to it
// again, and shows that the server's heap stays bounded while the session
// runs and comes back once it ends. The old server allocated a buffer of
// 65535 rows of 65535 cells and went on doing so after the client had
// gone.
func TestHugePTYMemory(t *testing.T) {
	ts := startServer(t, Config{})
	c := mustDial(t, ts.addr, newKey(t))
	before := collectedHeap()
	sess, err := c.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	defer sess.Close()
	if err := sess.RequestPty("xterm-256color", 65535, 65535, gossh.TerminalModes{}); err != nil {
		t.Fatal(err)
	}
	stdin, err := sess.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	out := &lockedBuffer{}
	sess.Stdout = out
	// The client answers nothing, so the UI's queries go unanswered.
	if err := sess.Shell(); err != nil {
		t.Fatal(err)
	}
	const bound = 64 << 20
	watch := func(what string, until func() bool) {
		t.Helper()
		deadline := time.Now().Add(10 * time.Second)
		for {
			if grew := int64(liveHeap()) - int64(before); grew > bound {
				t.Fatalf("%s: the heap grew by %d MB; the bound is %d MB", what, grew>>20, bound>>20)
			}
			if until() {
				return
			}
			if time.Now().After(deadline) {
				t.Fatalf("%s: timed out; the output so far is %d bytes", what, len(out.String()))
			}
			time.Sleep(50 * time.Millisecond)
		}
	}
	watch("the first frame", func() bool { return strings.Contains(out.String(), "newest first") })
	if err := sess.WindowChange(65535, 65535); err != nil {
		t.Fatal(err)
	}
	// A session's requests are taken in order, so the answer to this one
	// means the window change has been taken too.
	if _, err := sess.SendRequest("sync@kurultai", true, nil); err != nil {
		t.Fatal(err)
	}
	sync := time.Now()
	watch("a second after the window change", func() bool { return time.Since(sync) > time.Second })
	grew := int64(collectedHeap()) - int64(before)
	t.Logf("heap during a 65535×65535 session: %+d MB (before %d MB), output %d bytes", grew>>20, before>>20, len(out.String()))
	io.WriteString(stdin, "q")
	if err := sess.Wait(); err != nil {
		t.Fatalf("quitting: %v", err)
	}
	// The session's memory is garbage once it has ended: nothing holds it.
	deadline := time.Now().Add(5 * time.Second)
	for {
		left := int64(collectedHeap()) - int64(before)
		if left < 8<<20 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d MB of the session's heap is still held after it ended", left>>20)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// TestEarlyWindowChanges sends window changes between the PTY request and
// the shell, as a terminal being resized can. They must neither stop the
// session's requests for good (the old server then kept a goroutine and
// the session for ever, one per session, after the client had gone) nor
// be lost: the UI comes to the latest size.
func TestEarlyWindowChanges(t *testing.T) {
	ts := startServer(t, Config{})
	key := newKey(t)
	time.Sleep(100 * time.Millisecond) // let the server's own goroutines settle
	base := runtime.NumGoroutine()
	for range 5 {
		c, err := dial(ts.addr, gossh.PublicKeys(key))
		if err != nil {
			t.Fatal(err)
		}
		for range 6 {
			sess, err := c.NewSession()
			if err != nil {
				t.Fatal(err)
			}
			if err := sess.RequestPty("xterm-256color", 24, 80, gossh.TerminalModes{}); err != nil {
				t.Fatal(err)
			}
			sess.WindowChange(30, 100)
			sess.WindowChange(31, 101)
			sess.Close()
		}
		c.Close()
	}
	deadline := time.Now().Add(5 * time.Second)
	for runtime.NumGoroutine() > base+5 {
		if time.Now().After(deadline) {
			t.Fatalf("30 sessions that changed their window before starting left %d goroutines behind after their connections closed",
				runtime.NumGoroutine()-base)
		}
		time.Sleep(20 * time.Millisecond)
	}

	scr := openScreenResized(t, mustDial(t, ts.addr, key), 80, 24, 120, 30)
	scr.waitFor(t, "newest first") // at the right of the help line
	deadline = time.Now().Add(5 * time.Second)
	for {
		cols, rows := scr.drawn()
		if cols > 80 && rows > 24 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the UI draws %d×%d; the window changed to 120×30 before the shell", cols, rows)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestCommandWidth shows that a command run with a PTY is given its width
// within the cap, and the default when the client gives none.
func TestCommandWidth(t *testing.T) {
	ts := startServer(t, Config{Command: func(_ context.Context, args []string, r Remote) int {
		fmt.Fprintf(r.Stdout, "width=%d\n", r.Width)
		return 0
	}})
	c := mustDial(t, ts.addr, newKey(t))
	for _, tc := range []struct {
		cols int
		want string
	}{
		{100, "width=100"},
		{65535, "width=500"},
		{0, "width=80"},
	} {
		sess, err := c.NewSession()
		if err != nil {
			t.Fatal(err)
		}
		if err := sess.RequestPty("xterm-256color", 24, tc.cols, gossh.TerminalModes{}); err != nil {
			t.Fatal(err)
		}
		got, err := sess.Output("sessions")
		sess.Close()
		if err != nil || !strings.Contains(string(got), tc.want) {
			t.Errorf("a PTY of %d columns: %q, %v; want %s", tc.cols, got, err, tc.want)
		}
	}
}

// TestClientRequestsBounded: a client may send only the display variables,
// short and few, a short terminal type, and at most maxChannels sessions
// at once on one connection. The SSH library would keep every variable
// of any size, and each session channel may hold 2 MB sent before its
// command: 5,000 variables of 200 KB took a server to 1.5 GB, and 500
// channels with 2 MB each to 1.09 GB.
func TestClientRequestsBounded(t *testing.T) {
	ts := startServer(t, Config{Command: func(_ context.Context, args []string, r Remote) int {
		for _, k := range []string{"LANG", "TERM", "HOME", "XDG_DATA_HOME"} {
			fmt.Fprintf(r.Stdout, "%s=%q\n", k, r.Getenv(k))
		}
		return 0
	}})
	c := mustDial(t, ts.addr, newKey(t))
	sess, err := c.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	if err := sess.Setenv("LANG", "kk_KZ.UTF-8"); err != nil {
		t.Errorf("LANG refused: %v", err)
	}
	for _, kv := range [][2]string{{"HOME", "/tmp"}, {"XDG_DATA_HOME", "/tmp"}, {"TERM", strings.Repeat("x", maxEnvValue+1)}} {
		if err := sess.Setenv(kv[0], kv[1]); err == nil {
			t.Errorf("%s of %d bytes was accepted", kv[0], len(kv[1]))
		}
	}
	for i := 1; i < maxEnvVars; i++ {
		if err := sess.Setenv("COLORTERM", "truecolor"); err != nil {
			t.Fatalf("variable %d refused: %v", i+1, err)
		}
	}
	if err := sess.Setenv("COLORTERM", "truecolor"); err == nil {
		t.Errorf("variable %d was accepted", maxEnvVars+1)
	}
	out, err := sess.Output("sessions")
	if err != nil {
		t.Fatal(err)
	}
	if want := "LANG=\"kk_KZ.UTF-8\"\nTERM=\"\"\nHOME=\"\"\nXDG_DATA_HOME=\"\"\n"; string(out) != want {
		t.Errorf("the command saw:\n%s\nwant:\n%s", out, want)
	}

	s2, err := c.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	if err := s2.RequestPty(strings.Repeat("x", maxEnvValue+1), 24, 80, gossh.TerminalModes{}); err == nil {
		t.Error("a terminal type of 257 bytes was accepted")
	}
	s2.Close()

	c2 := mustDial(t, ts.addr, newKey(t))
	var open []*gossh.Session
	for i := 0; i < maxChannels; i++ {
		s, err := c2.NewSession()
		if err != nil {
			t.Fatalf("session %d of one connection refused: %v", i+1, err)
		}
		open = append(open, s)
	}
	if s, err := c2.NewSession(); err == nil {
		s.Close()
		t.Fatalf("session %d of one connection was opened", maxChannels+1)
	}
	open[0].Close()
	deadline := time.Now().Add(5 * time.Second)
	for {
		s, err := c2.NewSession()
		if err == nil {
			s.Close()
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("a closed session's place was not given back")
		}
		time.Sleep(20 * time.Millisecond)
	}
	for _, s := range open[1:] {
		s.Close()
	}
}
