// Command sharedload runs two kurultai servers of one archive that share
// readers' state in one PostgreSQL, with many SSH sessions on each, every
// session bookmarking as it reads. Midway, one server is killed (SIGKILL)
// and started again; its sessions reconnect, as they would through a load
// balancer, and carry on. At the end every bookmark a session saw
// acknowledged ("Bookmarked ¶ N.") must be in PostgreSQL.
//
//	go run -tags fts5 ./bench/sharedload -archive A.db -state postgres://… -clients 50 -duration 60s
package main

import (
	"bufio"
	"context"
	"crypto/ed25519"
	crand "crypto/rand"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	gossh "golang.org/x/crypto/ssh"
)

func main() {
	archive := flag.String("archive", "", "archive to serve (required)")
	state := flag.String("state", "", "PostgreSQL address the servers share (required)")
	bin := flag.String("bin", "", "kurultai binary (default: build it)")
	clients := flag.Int("clients", 50, "sessions on each server")
	duration := flag.Duration("duration", 60*time.Second, "how long the sessions run")
	kill := flag.Duration("kill", 20*time.Second, "kill the first server this long into the run and start it again (0: never)")
	flag.Parse()
	if *archive == "" || *state == "" {
		fmt.Fprintln(os.Stderr, "sharedload: -archive and -state are required")
		os.Exit(2)
	}
	if err := run(*archive, *state, *bin, *clients, *duration, *kill); err != nil {
		fmt.Fprintln(os.Stderr, "sharedload:", err)
		os.Exit(1)
	}
}

// server is one kurultai serve process.
type server struct {
	bin, addr string
	args      []string
	mu        sync.Mutex
	cmd       *exec.Cmd
}

func (s *server) start() error {
	cmd := exec.Command(s.bin, s.args...)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		return err
	}
	if err := cmd.Start(); err != nil {
		return err
	}
	serving := make(chan struct{})
	go func() {
		sc := bufio.NewScanner(stderr)
		once := sync.Once{}
		for sc.Scan() {
			if strings.Contains(sc.Text(), "msg=serving") {
				once.Do(func() { close(serving) })
			}
		}
	}()
	select {
	case <-serving:
	case <-time.After(60 * time.Second):
		cmd.Process.Kill()
		return fmt.Errorf("%s did not start serving within 60 s", s.addr)
	}
	s.mu.Lock()
	s.cmd = cmd
	s.mu.Unlock()
	return nil
}

func (s *server) kill() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.cmd.Process.Kill()
	s.cmd.Wait()
}

func freeAddr() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer l.Close()
	return l.Addr().String(), nil
}

func run(archive, state, bin string, clients int, duration, killAt time.Duration) error {
	work, err := os.MkdirTemp("", "sharedload")
	if err != nil {
		return err
	}
	defer os.RemoveAll(work)
	if bin == "" {
		bin = filepath.Join(work, "kurultai")
		build := exec.Command("go", "build", "-tags", "fts5", "-o", bin, ".")
		build.Stderr = os.Stderr
		if err := build.Run(); err != nil {
			return fmt.Errorf("building kurultai: %w", err)
		}
	}
	hostKey := filepath.Join(work, "host_ed25519")
	if out, err := exec.Command("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", hostKey).CombinedOutput(); err != nil {
		return fmt.Errorf("ssh-keygen: %v: %s", err, out)
	}
	var servers []*server
	for i := range 2 {
		addr, err := freeAddr()
		if err != nil {
			return err
		}
		s := &server{bin: bin, addr: addr, args: []string{"--archive", archive, "serve", "--listen", addr,
			"--data-dir", filepath.Join(work, fmt.Sprintf("srv%d", i)), "--host-key", hostKey,
			"--state", state, "--host-id", fmt.Sprintf("load%d", i), "--max-sessions", fmt.Sprint(clients * 2)}}
		if err := s.start(); err != nil {
			return err
		}
		defer s.kill()
		servers = append(servers, s)
	}

	results := make([]*result, 2*clients)
	var wg sync.WaitGroup
	end := time.Now().Add(rampUp + duration)
	for i := range results {
		results[i] = &result{}
		wg.Add(1)
		go func() {
			defer wg.Done()
			time.Sleep(time.Duration(i) * rampUp / time.Duration(len(results)))
			results[i].run(servers[i%2].addr, i, end)
		}()
	}
	var killed atomic.Bool
	if killAt > 0 {
		go func() {
			time.Sleep(rampUp + killAt)
			fmt.Println("killing", servers[0].addr, "at", time.Now().Format("15:04:05.000"))
			servers[0].kill()
			killed.Store(true)
			if err := servers[0].start(); err != nil {
				fmt.Println("restarting the killed server:", err)
			}
			fmt.Println("serving again at", time.Now().Format("15:04:05.000"))
		}()
	}
	wg.Wait()

	// Every acknowledged bookmark must be in PostgreSQL.
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, state)
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	have := map[string]bool{}
	rows, err := conn.Query(ctx, "SELECT note FROM kurultai.bookmarks WHERE note LIKE 'load %'")
	if err != nil {
		return err
	}
	for rows.Next() {
		var note string
		if err := rows.Scan(&note); err != nil {
			return err
		}
		have[note] = true
	}
	if err := rows.Err(); err != nil {
		return err
	}
	var lat []time.Duration
	errs, reconnects, acked, lost, keys := 0, 0, 0, 0, 0
	for _, r := range results {
		lat = append(lat, r.latencies...)
		keys += len(r.latencies)
		reconnects += r.reconnects
		if r.err != nil {
			errs++
			fmt.Println("session error:", r.err)
		}
		if os.Getenv("SHAREDLOAD_SLOW") != "" {
			for _, line := range r.slow {
				fmt.Println("slow:", line)
			}
		}
		for _, note := range r.acked {
			acked++
			if !have[note] {
				lost++
				fmt.Println("acknowledged but not in PostgreSQL:", note)
			}
		}
	}
	slices.Sort(lat)
	pct := func(p float64) time.Duration {
		if len(lat) == 0 {
			return 0
		}
		return lat[min(len(lat)-1, int(math.Ceil(p*float64(len(lat))))-1)]
	}
	fmt.Printf("two servers, %d sessions each, for %v: %d keys, %d errors, %d reconnects after the kill (killed: %v)\n",
		clients, duration, keys, errs, reconnects, killed.Load())
	fmt.Printf("key-to-frame: p50 %.1f ms, p95 %.1f ms, p99 %.1f ms, max %.1f ms\n",
		ms(pct(0.50)), ms(pct(0.95)), ms(pct(0.99)), ms(pct(1)))
	fmt.Printf("bookmarks: %d acknowledged, %d of them in PostgreSQL, %d lost; %d in PostgreSQL in all\n", acked, acked-lost, lost, len(have))
	if errs > 0 || lost > 0 {
		return errors.New("sessions failed or bookmarks were lost")
	}
	return nil
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

const rampUp = 5 * time.Second

// result is what one reader did.
type result struct {
	latencies  []time.Duration
	slow       []string // keys slower than a second, with when and where
	acked      []string
	reconnects int
	err        error
}

// output collects a session's output.
type output struct {
	mu   sync.Mutex
	n    int64
	last time.Time
	buf  []byte // the output since the last mark
	more chan struct{}
}

func (o *output) Write(p []byte) (int, error) {
	o.mu.Lock()
	o.n += int64(len(p))
	o.buf = append(o.buf, p...)
	if len(o.buf) > 256<<10 {
		o.buf = o.buf[len(o.buf)-(128<<10):]
	}
	o.last = time.Now()
	o.mu.Unlock()
	select {
	case o.more <- struct{}{}:
	default:
	}
	return len(p), nil
}

func (o *output) mark() {
	o.mu.Lock()
	o.buf = o.buf[:0]
	o.mu.Unlock()
}

func (o *output) has(re *regexp.Regexp) bool {
	o.mu.Lock()
	defer o.mu.Unlock()
	return re.Match(o.buf)
}

func (o *output) count() int64 {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.n
}

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

var (
	countedRE = regexp.MustCompile(`\d+ sessions?\b`)
	// The renderer writes only the cells that change, so the prompts are
	// known by their words alone.
	bookmarkedRE = regexp.MustCompile(`Bookmarked|already keeps`)
	notePromptRE = regexp.MustCompile(`note`)
	tagsPromptRE = regexp.MustCompile(`tags`)
)

const down = "\x1b[B"

// errDropped is a session its server dropped.
var errDropped = errors.New("dropped")

// run reads and bookmarks until end, reconnecting when its server drops
// it (killed); what it bookmarked and saw acknowledged is in r.acked.
func (r *result) run(addr string, i int, end time.Time) {
	_, priv, _ := ed25519.GenerateKey(crand.Reader)
	signer, _ := gossh.NewSignerFromKey(priv)
	n := 0
	for time.Now().Before(end) {
		err := r.connected(addr, signer, i, &n, end)
		if err == nil {
			return
		}
		if !errors.Is(err, errDropped) {
			r.err = err
			return
		}
		// Connect again, as a reader does, until the server is back.
		r.reconnects++
		time.Sleep(500 * time.Millisecond)
	}
}

func (r *result) connected(addr string, signer gossh.Signer, i int, n *int, end time.Time) error {
	var c *gossh.Client
	var err error
	for try := 0; ; try++ {
		c, err = gossh.Dial("tcp", addr, &gossh.ClientConfig{User: "load", Auth: []gossh.AuthMethod{gossh.PublicKeys(signer)},
			HostKeyCallback: gossh.InsecureIgnoreHostKey(), Timeout: 20 * time.Second})
		if err == nil {
			break
		}
		if try > 120 || time.Now().After(end) {
			return fmt.Errorf("client %d: connecting: %w", i, err)
		}
		time.Sleep(500 * time.Millisecond)
	}
	defer c.Close()
	s, err := c.NewSession()
	if err != nil {
		return errDropped
	}
	defer s.Close()
	if err := s.RequestPty("xterm-256color", 30, 100, gossh.TerminalModes{}); err != nil {
		return errDropped
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
		return errDropped
	}
	think := rand.New(rand.NewPCG(2, uint64(i)))
	wait := func(re *regexp.Regexp, limit time.Duration) error {
		deadline := time.After(limit)
		for !out.has(re) {
			select {
			case <-out.more:
			case <-copied:
				return errDropped
			case <-deadline:
				return fmt.Errorf("client %d: %s did not appear within %v", i, re, limit)
			}
		}
		return nil
	}
	// key sends a key and times it to the first output that answers it.
	key := func(k string) error {
		before := out.count()
		start := time.Now()
		if _, err := io.WriteString(stdin, k); err != nil {
			return errDropped
		}
		timeout := time.After(10 * time.Second)
		for out.count() == before {
			select {
			case <-out.more:
			case <-copied:
				return errDropped
			case <-timeout:
				return fmt.Errorf("client %d: no frame within 10 s of key %q", i, k)
			}
		}
		took := time.Since(start)
		r.latencies = append(r.latencies, took)
		if took > time.Second {
			r.slow = append(r.slow, fmt.Sprintf("client %d (%s, %d reconnects): key %q took %v at %s",
				i, addr, r.reconnects, k, took.Round(time.Millisecond), start.Format("15:04:05.000")))
		}
		out.settle(30*time.Millisecond, 5*time.Second)
		time.Sleep(time.Duration(150+think.IntN(200)) * time.Millisecond)
		return nil
	}
	if err := wait(countedRE, 30*time.Second); err != nil {
		return err
	}
	out.settle(300*time.Millisecond, 20*time.Second)
	for time.Now().Before(end) {
		// A session, its speeches, the first speech, the next paragraph.
		for _, k := range []string{down, "\r", "\t", "\r", "]"} {
			if err := key(k); err != nil {
				return err
			}
		}
		*n++
		note := fmt.Sprintf("load %d-%d", i, *n)
		out.mark()
		if err := key("b"); err != nil {
			return err
		}
		if err := wait(notePromptRE, 10*time.Second); err != nil {
			return err
		}
		if _, err := io.WriteString(stdin, note+"\r"); err != nil {
			return errDropped
		}
		if err := wait(tagsPromptRE, 10*time.Second); err != nil {
			return err
		}
		if err := key("\r"); err != nil {
			return err
		}
		if err := wait(bookmarkedRE, 10*time.Second); err != nil {
			return err
		}
		// A passage this reader kept before they were reconnected is
		// kept already, under its first note.
		if out.has(regexp.MustCompile(`Bookmarked`)) {
			r.acked = append(r.acked, note)
		}
		for _, k := range []string{"\x1b", "\x1b"} {
			if err := key(k); err != nil {
				return err
			}
		}
	}
	io.WriteString(stdin, "\x03")
	select {
	case <-copied:
	case <-time.After(10 * time.Second):
		return fmt.Errorf("client %d: the UI did not quit", i)
	}
	return nil
}
