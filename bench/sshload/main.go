// Command sshload runs many concurrent SSH sessions against a kurultai
// server in another process. Each session browses, reads and searches
// with a short pause between keys, and times every key from the moment it
// is sent to the first output that answers it (key-to-frame). It samples
// the server's resident memory and, after everyone has left, reads how
// many goroutines the server still runs from its log.
//
//	go run -tags fts5 ./bench/sshload -archive A.db -clients 100 -duration 60s
package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/ed25519"
	crand "crypto/rand"
	"errors"
	"flag"
	"fmt"
	"io"
	"maps"
	"math"
	"math/rand/v2"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	gossh "golang.org/x/crypto/ssh"
)

func main() {
	archive := flag.String("archive", "", "archive to serve (required)")
	bin := flag.String("bin", "", "kurultai binary (default: build it)")
	clients := flag.Int("clients", 100, "concurrent sessions")
	duration := flag.Duration("duration", 60*time.Second, "how long the sessions run")
	profile := flag.String("cpuprofile", "", "write the server's CPU profile to this file")
	swaps := flag.Int("swaps", 0, "replace the served archive this many times while the sessions run (a copy with one more session, renamed into place)")
	flag.Parse()
	if *archive == "" {
		fmt.Fprintln(os.Stderr, "sshload: -archive is required")
		os.Exit(2)
	}
	if err := run(*archive, *bin, *profile, *clients, *duration, *swaps); err != nil {
		fmt.Fprintln(os.Stderr, "sshload:", err)
		os.Exit(1)
	}
}

// serverLog keeps the server's log and tells when a line matches.
type serverLog struct {
	mu    sync.Mutex
	lines []string
}

func (l *serverLog) find(re *regexp.Regexp, from int) (string, int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for i := from; i < len(l.lines); i++ {
		if re.MatchString(l.lines[i]) {
			return l.lines[i], i
		}
	}
	return "", len(l.lines)
}

func (l *serverLog) waitFor(re *regexp.Regexp, from int, timeout time.Duration) (string, error) {
	deadline := time.Now().Add(timeout)
	for time.Now().Before(deadline) {
		if line, _ := l.find(re, from); line != "" {
			return line, nil
		}
		time.Sleep(50 * time.Millisecond)
	}
	return "", fmt.Errorf("the server never logged %s", re)
}

func (l *serverLog) len() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.lines)
}

// idleFor is how long the server is watched with every session idle.
const idleFor = 10 * time.Second

// cpuTime is the CPU time a process has used, user and system.
func cpuTime(pid int) time.Duration {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0
	}
	// The fields after the command name, which is in parentheses.
	f := strings.Fields(string(b[bytes.LastIndexByte(b, ')')+1:]))
	if len(f) < 13 {
		return 0
	}
	utime, _ := strconv.ParseInt(f[11], 10, 64)
	stime, _ := strconv.ParseInt(f[12], 10, 64)
	return time.Duration(utime+stime) * time.Second / clockTicks
}

// clockTicks is the kernel's USER_HZ, which /proc counts CPU time in; it
// is 100 on Linux for every architecture Go supports.
const clockTicks = 100

func rss(pid int) int64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
			return kb << 10
		}
	}
	return 0
}

var waitRE = regexp.MustCompile(`archive_waits=(\d+) archive_wait=(\S+)`)

var goroutinesRE = regexp.MustCompile(`goroutines=(\d+)`)

func goroutines(line string) int {
	m := goroutinesRE.FindStringSubmatch(line)
	if m == nil {
		return -1
	}
	n, _ := strconv.Atoi(m[1])
	return n
}

func run(archive, bin, profile string, clients int, duration time.Duration, swaps int) error {
	work, err := os.MkdirTemp("", "sshload")
	if err != nil {
		return err
	}
	defer os.RemoveAll(work)
	reference := archive
	if swaps > 0 {
		// The server serves a name of its own, which the swaps replace;
		// the reference archive is left as it is.
		archive = filepath.Join(work, "served.db")
		if err := copyFile(reference, archive); err != nil {
			return err
		}
	}
	if bin == "" {
		bin = filepath.Join(work, "kurultai")
		build := exec.Command("go", "build", "-tags", "fts5", "-o", bin, ".")
		build.Stderr = os.Stderr
		if err := build.Run(); err != nil {
			return fmt.Errorf("building kurultai: %w", err)
		}
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	addr := l.Addr().String()
	l.Close()
	srv := exec.Command(bin, "--archive", archive, "serve", "--listen", addr,
		"--data-dir", filepath.Join(work, "srv"), "--max-sessions", strconv.Itoa(clients+clients/4+1))
	if profile != "" {
		srv.Env = append(os.Environ(), "KURULTAI_CPUPROFILE="+profile)
	}
	stderr, err := srv.StderrPipe()
	if err != nil {
		return err
	}
	if err := srv.Start(); err != nil {
		return err
	}
	defer srv.Process.Kill()
	var log serverLog
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			log.mu.Lock()
			log.lines = append(log.lines, sc.Text())
			log.mu.Unlock()
		}
	}()
	line, err := log.waitFor(regexp.MustCompile(`msg=serving`), 0, 30*time.Second)
	if err != nil {
		return err
	}
	baseGoroutines := goroutines(line)

	// Warm up with one session so the base figure includes the archive's
	// first pages in memory, then let it settle.
	if err := warmUp(addr); err != nil {
		return fmt.Errorf("warm-up session: %w", err)
	}
	line, err = log.waitFor(regexp.MustCompile(`msg=idle`), 0, 10*time.Second)
	if err != nil {
		return err
	}
	idleGoroutines := goroutines(line)
	baseRSS := rss(srv.Process.Pid)

	var peak atomic.Int64
	stopSampling := make(chan struct{})
	go func() {
		t := time.NewTicker(200 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-stopSampling:
				return
			case <-t.C:
				if r := rss(srv.Process.Pid); r > peak.Load() {
					peak.Store(r)
				}
			}
		}
	}()

	mark := log.len()
	results := make([]result, clients)
	gate := &idleGate{leave: make(chan struct{})}
	gate.arrived.Add(clients)
	var wg sync.WaitGroup
	// Every session runs for the whole duration once all have arrived.
	end := time.Now().Add(rampUp + duration)
	for i := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			// People arrive over the first seconds, not in one instant:
			// started together, every session would search at the same
			// moment for the whole run.
			time.Sleep(time.Duration(i) * rampUp / time.Duration(clients))
			results[i] = session(addr, i, end, gate)
		}()
	}
	gate.arrived.Wait()
	idleCPU, idleWindow := cpuTime(srv.Process.Pid), idleFor
	time.Sleep(idleWindow)
	idleCPU = cpuTime(srv.Process.Pid) - idleCPU
	close(gate.leave)
	swapDone := make(chan error, 1)
	go func() { swapDone <- swapArchive(bin, reference, archive, work, swaps, duration, &log) }()
	wg.Wait()
	swapErr := <-swapDone
	close(stopSampling)

	idleLine, idleErr := log.waitFor(regexp.MustCompile(`msg=idle`), mark, 15*time.Second)
	srv.Process.Signal(syscall.SIGTERM)
	waited := make(chan error, 1)
	go func() { waited <- srv.Wait() }()
	select {
	case err := <-waited:
		if err != nil {
			fmt.Println("server exit:", err)
		}
	case <-time.After(10 * time.Second):
		fmt.Println("server did not stop within 10 s of SIGTERM")
	}

	var lat []time.Duration
	errs, dropped, keys := 0, 0, 0
	for _, r := range results {
		lat = append(lat, r.latencies...)
		keys += len(r.latencies)
		if r.err != nil {
			errs++
			fmt.Println("session error:", r.err)
		}
		if r.dropped {
			dropped++
		}
	}
	byKey := map[string][]time.Duration{}
	for _, r := range results {
		for j, k := range r.keys {
			byKey[k] = append(byKey[k], r.latencies[j])
		}
	}
	if os.Getenv("SSHLOAD_KEYS") != "" {
		names := slices.Sorted(maps.Keys(byKey))
		for _, k := range names {
			d := byKey[k]
			slices.Sort(d)
			fmt.Printf("  key %-10s n=%-5d p50 %.1f ms  p95 %.1f ms  max %.1f ms\n", k, len(d),
				ms(d[len(d)/2]), ms(d[min(len(d)-1, len(d)*95/100)]), ms(d[len(d)-1]))
		}
	}
	slices.Sort(lat)
	pct := func(p float64) time.Duration {
		if len(lat) == 0 {
			return 0
		}
		return lat[min(len(lat)-1, int(math.Ceil(p*float64(len(lat))))-1)]
	}
	fmt.Printf("sessions %d for %v: %d keys, %d errors, %d dropped\n", clients, duration, keys, errs, dropped)
	fmt.Printf("key-to-frame: p50 %.1f ms, p95 %.1f ms, p99 %.1f ms, max %.1f ms\n",
		ms(pct(0.50)), ms(pct(0.95)), ms(pct(0.99)), ms(pct(1)))
	fmt.Printf("server CPU with all %d sessions open and idle for %v: %.1f%% of a core\n",
		clients, idleWindow, 100*idleCPU.Seconds()/idleWindow.Seconds())
	fmt.Printf("server RSS: idle %.1f MB, peak %.1f MB, %.2f MB a session above idle\n",
		mb(baseRSS), mb(peak.Load()), mb(peak.Load()-baseRSS)/float64(clients))
	if idleErr != nil {
		fmt.Println("goroutines after everyone left: unknown:", idleErr)
	} else {
		fmt.Printf("goroutines: %d serving, %d idle after warm-up, %d after everyone left\n",
			baseGoroutines, idleGoroutines, goroutines(idleLine))
		if m := waitRE.FindStringSubmatch(idleLine); m != nil {
			fmt.Printf("archive connections: waited for %s times, %s in all\n", m[1], m[2])
		}
	}
	if swaps > 0 {
		if swapErr != nil {
			fmt.Println("archive swaps:", swapErr)
		} else {
			fmt.Printf("archive swaps while the sessions ran: %d, each reloaded by the server\n", swaps)
		}
	}
	if errs > 0 || dropped > 0 {
		return errors.New("some sessions failed")
	}
	if swapErr != nil {
		return swapErr
	}
	return nil
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
func mb(b int64) float64         { return float64(b) / (1 << 20) }

type result struct {
	latencies []time.Duration
	keys      []string
	err       error
	dropped   bool
}

// output collects a session's output and tells when more arrives.
type output struct {
	mu    sync.Mutex
	n     int64
	last  time.Time
	more  chan struct{}
	tail  []byte // the last output, to show when a key goes unanswered
	start []byte // the first output, to tell when the first screen is whole
}

func (o *output) Write(p []byte) (int, error) {
	o.mu.Lock()
	o.n += int64(len(p))
	if len(o.start) < 64<<10 {
		o.start = append(o.start, p[:min(len(p), 64<<10-len(o.start))]...)
	}
	o.tail = append(o.tail, p...)
	if len(o.tail) > 4096 {
		o.tail = o.tail[len(o.tail)-4096:]
	}
	o.last = time.Now()
	select {
	case o.more <- struct{}{}:
	default:
	}
	o.mu.Unlock()
	return len(p), nil
}

func (o *output) count() int64 {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.n
}

// countedRE matches the sessions list's status once the sessions are
// counted, which comes after the first page of them.
var countedRE = regexp.MustCompile(`\d+ sessions?\b`)

// waitFor waits until the output so far (its first 64 KiB) matches re.
func (o *output) waitFor(re *regexp.Regexp, limit time.Duration) bool {
	deadline := time.After(limit)
	for {
		o.mu.Lock()
		ok := re.Match(o.start)
		o.mu.Unlock()
		if ok {
			return true
		}
		select {
		case <-o.more:
		case <-deadline:
			return false
		}
	}
}

// settle waits until the output has been quiet for quiet.
func (o *output) settle(quiet, limit time.Duration) {
	deadline := time.Now().Add(limit)
	for time.Now().Before(deadline) {
		o.mu.Lock()
		since := time.Since(o.last)
		o.mu.Unlock()
		if since >= quiet {
			return
		}
		time.Sleep(quiet - since)
	}
}

func newClient(addr string) (*gossh.Client, error) {
	_, priv, err := ed25519.GenerateKey(crand.Reader)
	if err != nil {
		return nil, err
	}
	signer, err := gossh.NewSignerFromKey(priv)
	if err != nil {
		return nil, err
	}
	return gossh.Dial("tcp", addr, &gossh.ClientConfig{
		User: "load", Auth: []gossh.AuthMethod{gossh.PublicKeys(signer)},
		HostKeyCallback: gossh.InsecureIgnoreHostKey(), Timeout: 20 * time.Second,
	})
}

func warmUp(addr string) error {
	r := session(addr, 0, time.Now().Add(3*time.Second), nil)
	return r.err
}

// A round of what a reader does, from the sessions list and back to it:
// move down, open a session, its speeches, the first speech, step through
// paragraphs, go back twice; search everything for "reform" (results
// follow the typing), move to the second result and go back. (Opening a
// result would leave the depth of the screen stack to chance: a result
// may be a session, a speech or a proposal.) Every key changes the screen, so every key gets a frame,
// except those marked optional: ] and [ in a speech of one paragraph,
// and the move in results that have not arrived yet. Those wait two
// seconds at most and are not counted.
type step struct {
	key      string
	optional bool
}

const down = "\x1b[B"

var script = []step{
	{down, false}, {"\r", false}, {"\t", false}, {"\r", false}, {"]", true}, {"[", true},
	{"\x1b", false}, {"\x1b", false},
	{"\x07", false}, {"r", false}, {"e", false}, {"f", false}, {"o", false}, {"r", false}, {"m", false},
	{down, true}, {"\x1b", false},
}

// rampUp is how long the sessions take to arrive.
const rampUp = 5 * time.Second

// idleGate holds every session, still connected, after its work: the
// server's CPU is measured while all sit idle, then they leave.
type idleGate struct {
	arrived sync.WaitGroup
	leave   chan struct{}
}

func session(addr string, i int, end time.Time, gate *idleGate) result {
	var r result
	defer func() {
		if gate != nil { // a session that failed does not hold the others
			gate.arrived.Done()
		}
	}()
	think := rand.New(rand.NewPCG(1, uint64(i)))
	c, err := newClient(addr)
	if err != nil {
		r.err = fmt.Errorf("client %d: connecting: %w", i, err)
		return r
	}
	defer c.Close()
	s, err := c.NewSession()
	if err != nil {
		r.err = fmt.Errorf("client %d: session: %w", i, err)
		return r
	}
	defer s.Close()
	if err := s.RequestPty("xterm-256color", 30, 100, gossh.TerminalModes{}); err != nil {
		r.err = fmt.Errorf("client %d: pty: %w", i, err)
		return r
	}
	stdin, _ := s.StdinPipe()
	stdout, _ := s.StdoutPipe()
	out := &output{more: make(chan struct{}, 1)}
	copied := make(chan struct{})
	go func() {
		io.Copy(out, stdout)
		close(copied)
	}()
	if err := s.Shell(); err != nil {
		r.err = fmt.Errorf("client %d: shell: %w", i, err)
		return r
	}
	// Start once the first screen is whole: the sessions listed and
	// counted, as a person would wait to see them.
	if !out.waitFor(countedRE, 30*time.Second) {
		r.err = fmt.Errorf("client %d: the sessions list did not appear within 30 s", i)
		return r
	}
	out.settle(300*time.Millisecond, 20*time.Second)
	ctx, cancel := context.WithDeadline(context.Background(), end)
	defer cancel()
	// A session ends the round it is in when the time is up, as a person
	// finishes what they were doing, then sits idle on the sessions list.
	for n := 0; ctx.Err() == nil || n%len(script) != 0; n++ {
		key, optional := script[n%len(script)].key, script[n%len(script)].optional
		before := out.count()
		select {
		case <-out.more: // drop a stale notice
		default:
		}
		start := time.Now()
		if _, err := io.WriteString(stdin, key); err != nil {
			r.err, r.dropped = fmt.Errorf("client %d: sending a key: %w", i, err), true
			return r
		}
		wait := 10 * time.Second
		if optional {
			wait = 2 * time.Second
		}
		timeout := time.After(wait)
		answered := true
		for answered && out.count() == before {
			select {
			case <-out.more:
			case <-copied:
				r.err, r.dropped = fmt.Errorf("client %d: the session ended", i), true
				return r
			case <-timeout:
				if !optional {
					out.mu.Lock()
					r.err = fmt.Errorf("client %d: no frame within 10 s of key %q (step %d); the last output:\n%q", i, key, n, out.tail)
					out.mu.Unlock()
					return r
				}
				answered = false
			}
		}
		if !answered {
			continue
		}
		r.latencies = append(r.latencies, time.Since(start))
		r.keys = append(r.keys, fmt.Sprintf("%02d:%q", n%len(script), key))
		// Let the frame finish, then think for a moment, as people do.
		out.settle(30*time.Millisecond, 5*time.Second)
		time.Sleep(time.Duration(150+think.IntN(200)) * time.Millisecond)
	}
	if gate != nil {
		gate.arrived.Done()
		<-gate.leave
		gate = nil
	}
	io.WriteString(stdin, "\x03") // ctrl+c quits from any screen
	select {
	case <-copied:
	case <-time.After(10 * time.Second):
		r.err = fmt.Errorf("client %d: the UI did not quit", i)
	}
	return r
}

// swapArchive replaces the served archive n times, evenly through the
// sessions' run: a copy of the reference with one session more each time,
// renamed into place, as a publisher does; each must be reloaded by the
// server (its log says so) before the next.
func swapArchive(bin, reference, served, work string, n int, duration time.Duration, log *serverLog) error {
	start := time.Now()
	for i := 1; i <= n; i++ {
		time.Sleep(time.Until(start.Add(duration * time.Duration(i) / time.Duration(n+1))))
		next := filepath.Join(work, "next.db")
		if err := copyFile(reference, next); err != nil {
			return err
		}
		extra := filepath.Join(work, fmt.Sprintf("swap-%d.json", i))
		doc := fmt.Sprintf(`{"kurultai": 1, "sessions": [{"id": "swap-%d", "body": "Swap", "date": "2026-11-%02d", "title": "Published during the load test, %d",
			"speeches": [{"id": "swap-%d/a", "title": "A", "paragraphs": [{"number": 1, "text": "A sitting published while people read."}]}]}]}`, i, i, i, i)
		if err := os.WriteFile(extra, []byte(doc), 0o644); err != nil {
			return err
		}
		if out, err := exec.Command(bin, "import", "--quiet", "--archive", next, extra).CombinedOutput(); err != nil {
			return fmt.Errorf("importing into the copy: %v: %s", err, out)
		}
		mark := log.len()
		if err := os.Rename(next, served); err != nil {
			return err
		}
		if _, err := log.waitFor(regexp.MustCompile(`msg="archive reloaded"`), mark, 30*time.Second); err != nil {
			return fmt.Errorf("swap %d: %w", i, err)
		}
	}
	return nil
}

// copyFile copies a file whole.
func copyFile(from, to string) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.Create(to)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}
