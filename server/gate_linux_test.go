package server

import (
	"errors"
	"log/slog"
	"net"
	"os"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// freeDescriptors returns the two lowest file descriptor numbers that the
// process does not use.
func freeDescriptors(t *testing.T) (first, second int) {
	t.Helper()
	entries, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		t.Skipf("cannot list this process's file descriptors: %v", err)
	}
	used := map[int]bool{}
	for _, e := range entries {
		if n, err := strconv.Atoi(e.Name()); err == nil {
			used[n] = true
		}
	}
	// ReadDir's own descriptor is listed but closed by now.
	free := []int{}
	for n := 0; len(free) < 2; n++ {
		if !used[n] || !isOpen(n) {
			free = append(free, n)
		}
	}
	return free[0], free[1]
}

func isOpen(fd int) bool {
	var st syscall.Stat_t
	return syscall.Fstat(fd, &st) == nil
}

// TestAcceptSurvivesEMFILE runs the process out of file descriptors while
// a client connects: the server cannot accept it (EMFILE), says so once in
// the log, and takes the connection as soon as descriptors are free again.
func TestAcceptSurvivesEMFILE(t *testing.T) {
	log := &lockedBuffer{}
	ts := startServer(t, Config{Log: slog.New(slog.NewTextHandler(log, nil))})
	var lim syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &lim); err != nil {
		t.Fatal(err)
	}
	restore := func() { syscall.Setrlimit(syscall.RLIMIT_NOFILE, &lim) }
	t.Cleanup(restore)
	// The client's socket takes the last descriptor below the limit, so
	// the server's accept has none. Something else in the process (the
	// runtime, a goroutine of an earlier test closing its connection)
	// may open or close a descriptor between the count and the dial: the
	// count is taken again then.
	var c net.Conn
	for try := 0; c == nil; try++ {
		_, second := freeDescriptors(t)
		low := lim
		low.Cur = uint64(second)
		if err := syscall.Setrlimit(syscall.RLIMIT_NOFILE, &low); err != nil {
			t.Skipf("cannot lower the limit on open files: %v", err)
		}
		var err error
		c, err = net.DialTimeout("tcp", ts.addr, 5*time.Second)
		if err != nil {
			restore()
			if !errors.Is(err, syscall.EMFILE) || try == 4 {
				t.Fatal(err)
			}
			c = nil
			time.Sleep(50 * time.Millisecond)
			continue
		}
		t.Cleanup(func() { c.Close() })
	}
	deadline := time.Now().Add(5 * time.Second)
	for !strings.Contains(log.String(), "cannot accept connections") {
		if time.Now().After(deadline) {
			restore()
			t.Fatalf("the server never reported that it could not accept; its log:\n%s", log.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
	time.Sleep(200 * time.Millisecond) // a few more failed attempts
	restore()
	if line, err := greeting(c); err != nil || !strings.HasPrefix(line, "SSH-2.0-") {
		t.Fatalf("after running out of file descriptors the server no longer accepts: %q, %v", line, err)
	}
	ts.shutdown()
	if lines, count := logLines(log.String(), "cannot accept connections"); lines > 2 || count < 2 {
		t.Errorf("the log has %d lines about %d failed accepts; want at most 2 lines and more than one failure:\n%s", lines, count, log.String())
	}
}
