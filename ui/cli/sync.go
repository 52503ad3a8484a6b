package cli

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	gossh "golang.org/x/crypto/ssh"
	"golang.org/x/crypto/ssh/agent"
	"golang.org/x/crypto/ssh/knownhosts"

	"kurultai/data"
	"kurultai/sessions"
	"kurultai/sessions/msg"
	"kurultai/ui"
	"kurultai/ui/i18n"
)

// SyncOptions are sync's own flags.
type SyncOptions struct {
	// AcceptNew records an unknown host key without asking, as OpenSSH's
	// StrictHostKeyChecking=accept-new does; a changed one is refused
	// all the same.
	AcceptNew bool
	// Identity is a private key file to log in with, as ssh -i.
	Identity string
}

// syncChunk is how many sessions one request to the server asks for.
const syncChunk = 100

// ServeManifest writes the served archive's manifest: what sync compares.
func ServeManifest(ctx context.Context, o Options, e Env) error {
	db, err := OpenArchive(ctx, o, e)
	if err != nil {
		return err
	}
	defer db.Close()
	m, err := db.Manifest(ctx)
	if err != nil {
		return err
	}
	return json.NewEncoder(e.Stdout).Encode(m)
}

// ServeSessions writes the sessions asked for, whole, in the interchange
// format, for sync.
func ServeSessions(ctx context.Context, ids []string, o Options, e Env) error {
	if len(ids) == 0 || len(ids) > syncChunk {
		return UsageError{Msg: msg.T("sync-sessions takes from 1 to %d session ids", syncChunk)}
	}
	db, err := OpenArchive(ctx, o, e)
	if err != nil {
		return err
	}
	defer db.Close()
	jw, err := sessions.NewJSONWriter(e.Stdout)
	if err != nil {
		return err
	}
	for _, id := range ids {
		s, err := db.FullSession(ctx, id)
		if err != nil {
			return msg.Errorf("session %s: %v", OneLine(id), err)
		}
		if err := jw.Write(s); err != nil {
			return err
		}
	}
	return jw.Close()
}

// syncTarget is where sync connects: ssh://[user@]host[:port].
type syncTarget struct {
	user, host string
	port       int
}

func (t syncTarget) addr() string { return net.JoinHostPort(t.host, strconv.Itoa(t.port)) }

// origin is how the archive records what came from the server.
func (t syncTarget) origin() string { return "ssh://" + t.addr() }

func parseTarget(s string, getenv func(string) string) (syncTarget, error) {
	u, err := url.Parse(s)
	if err != nil || u.Scheme != "ssh" || u.Hostname() == "" || (u.Path != "" && u.Path != "/") || u.RawQuery != "" {
		return syncTarget{}, UsageError{Msg: msg.T("%q: expected ssh://[user@]host[:port], for example ssh://kurultai.example.org:2222", OneLine(s))}
	}
	t := syncTarget{host: u.Hostname(), port: 22, user: u.User.Username()}
	if p := u.Port(); p != "" {
		if t.port, err = strconv.Atoi(p); err != nil || t.port < 1 || t.port > 65535 {
			return syncTarget{}, UsageError{Msg: msg.T("%q: the port must be a number from 1 to 65535", OneLine(s))}
		}
	}
	if t.user == "" {
		t.user = getenv("USER")
	}
	if t.user == "" {
		t.user = "kurultai"
	}
	return t, nil
}

// Sync brings the local archive up to date with a kurultai server:
// sessions it added, changed or removed since the last sync, compared by
// their digests, written in one transaction (one batch), so that an
// interrupted sync leaves the archive as it was.
func Sync(ctx context.Context, target string, o Options, e Env) error {
	t, err := parseTarget(target, e.Getenv)
	if err != nil {
		return err
	}
	client, err := dialServer(ctx, t, o.Sync, e, o.Printer(e))
	if err != nil {
		return err
	}
	defer client.Close()
	// A dropped connection ends the commands waiting on it; so does an
	// interrupt, by closing it.
	stop := context.AfterFunc(ctx, func() { client.Close() })
	defer stop()

	raw, said, err := remoteOutput(client, "sync-manifest")
	if err != nil {
		return notKurultai(t, said, err)
	}
	var m data.Manifest
	if err := json.Unmarshal(raw, &m); err != nil || m.Version != data.ManifestVersion || m.Archive == "" {
		return msg.Errorf("%s did not answer as a kurultai server does (its manifest is not one this kurultai reads); nothing was changed", t.addr())
	}
	db, err := WritableArchive(ctx, o, e)
	if err != nil {
		return err
	}
	defer db.Close()
	local, err := db.SessionDigests(ctx)
	if err != nil {
		return err
	}
	want := map[string]string{}
	var fetch []string
	for _, s := range m.Sessions {
		if !sessions.ValidID(s.ID) || len(s.Hash) != 32 {
			return msg.Errorf("%s offered a session with a malformed id or digest (%q); nothing was changed", t.addr(), OneLine(s.ID))
		}
		if _, dup := want[s.ID]; dup {
			return msg.Errorf("%s offered session %s twice; nothing was changed", t.addr(), s.ID)
		}
		want[s.ID] = s.Hash
		if have, ok := local[s.ID]; !ok || have[0] != s.Hash {
			fetch = append(fetch, s.ID)
		}
	}
	var remove []string
	for id, have := range local {
		if _, ok := want[id]; !ok && have[1] == t.origin() {
			remove = append(remove, id)
		}
	}
	sort.Strings(remove)
	// What a sync brings is new to this reader, even if they have not
	// opened the archive since: their baseline is noted before it. The
	// first sync from a server is where they start, as opening the
	// archive for the first time is: its baseline is noted after it.
	first := true
	for _, have := range local {
		if have[1] == t.origin() {
			first = false
			break
		}
	}
	noteBaseline := func() {
		if path, err := e.bookmarksFile(); err == nil {
			if bm, err := data.OpenBookmarks(ctx, path); err == nil {
				db.NewNews(ctx, bm, e.owner())
				bm.Close()
			}
		}
	}
	if !first {
		noteBaseline()
	}
	if len(fetch) == 0 && len(remove) == 0 {
		_, err := fmt.Fprintln(e.Stdout, o.Printer(e).T("up to date with %s: %s", t.origin(), o.Printer(e).T("%d sessions", len(m.Sessions))))
		return err
	}

	im, err := db.BeginImport(ctx)
	if err != nil {
		return err
	}
	defer im.Rollback()
	im.SetBatchKind(data.BatchSync)
	w, tty, width := e.Stderr, false, 0
	if e.progress != nil {
		w = e.progress
		tty, width = isTerminal(e.progress)
	}
	progress := ui.NewStepProgress(w, tty, width, "sync", o.Printer(e))
	got := 0
	for start := 0; start < len(fetch); start += syncChunk {
		chunk := fetch[start:min(start+syncChunk, len(fetch))]
		err := remoteSessions(client, chunk, func(s *sessions.Session) error {
			p, err := data.Prepare(s)
			if err != nil {
				return msg.Errorf("session %s from %s: %v", OneLine(s.ID), t.addr(), err)
			}
			digest, asked := want[s.ID]
			switch {
			case !asked || !slices.Contains(chunk, s.ID):
				return msg.Errorf("%s sent session %s, which was not asked for", t.addr(), OneLine(s.ID))
			case p.PreparedHash() != digest:
				return msg.Errorf("session %s from %s does not match its digest: its content is not what the server's manifest says", s.ID, t.addr())
			}
			if _, err := im.WritePrepared(p, t.origin(), t.origin()); err != nil {
				return err
			}
			got++
			progress(msg.T("receiving sessions"), got, len(fetch))
			return nil
		})
		if err != nil {
			if ctx.Err() != nil {
				return Interrupted{Msg: msg.T("sync interrupted: the archive is as it was; the next sync carries on")}
			}
			return msg.Errorf("%v (nothing was changed; the next sync starts again)", err)
		}
	}
	if got != len(fetch) {
		return msg.Errorf("%s sent %d of the %d sessions asked for; nothing was changed", t.addr(), got, len(fetch))
	}
	for _, id := range remove {
		if _, err := im.RemoveSession(id); err != nil {
			return err
		}
	}
	if err := im.Commit(); err != nil {
		return err
	}
	if first {
		noteBaseline()
	}
	c := im.Counts
	_, err = fmt.Fprintln(e.Stdout, o.Printer(e).T("synced with %s: %d added, %d changed, %d removed", t.origin(), c.Added, c.Updated, im.Removed))
	return err
}

// notKurultai explains a manifest request that failed: said is what the
// server wrote on its error stream.
func notKurultai(t syncTarget, said string, err error) error {
	var exit *gossh.ExitError
	if errors.As(err, &exit) {
		answer := strings.TrimSpace(said)
		if answer == "" {
			return msg.Errorf("%s is not a kurultai server, or not one that offers sync (it answered: %v); nothing was changed",
				t.addr(), msg.T("exit status %d", exit.ExitStatus()))
		}
		return msg.Errorf("%s is not a kurultai server, or not one that offers sync (it answered: %v); nothing was changed",
			t.addr(), OneLine(answer))
	}
	return msg.Errorf("asking %s for its sessions: %v; nothing was changed", t.addr(), err)
}

// remoteOutput runs a command on the server and gives what it wrote, at
// most 256 MB, and what it wrote on its error stream.
func remoteOutput(c *gossh.Client, cmd string) ([]byte, string, error) {
	s, err := c.NewSession()
	if err != nil {
		return nil, "", err
	}
	defer s.Close()
	var stderr strings.Builder
	s.Stderr = &limitedWriter{w: &stderr, n: 4096}
	out, err := s.StdoutPipe()
	if err != nil {
		return nil, "", err
	}
	if err := s.Start(cmd); err != nil {
		return nil, "", err
	}
	b, readErr := io.ReadAll(io.LimitReader(out, 256<<20))
	// The error stream is whole, and read here alone, once the command
	// has ended.
	waitErr := s.Wait()
	said := stderr.String()
	if readErr != nil {
		return nil, said, readErr
	}
	return b, said, waitErr
}

// remoteSessions asks the server for sessions and decodes them as they
// stream in.
func remoteSessions(c *gossh.Client, ids []string, emit func(*sessions.Session) error) error {
	s, err := c.NewSession()
	if err != nil {
		return err
	}
	defer s.Close()
	var stderr strings.Builder
	s.Stderr = &limitedWriter{w: &stderr, n: 4096}
	out, err := s.StdoutPipe()
	if err != nil {
		return err
	}
	if err := s.Start("sync-sessions " + strings.Join(ids, " ")); err != nil {
		return err
	}
	decErr := sessions.DecodeJSON("the server's answer", bufio.NewReaderSize(out, 1<<20), emit)
	waitErr := s.Wait()
	switch {
	case decErr != nil && waitErr != nil:
		if said := strings.TrimSpace(stderr.String()); said != "" {
			return msg.Errorf("the server stopped: %s", OneLine(said))
		}
		return msg.Errorf("the connection was lost while sessions were coming (%v)", OneLine(waitErr.Error()))
	case decErr != nil:
		return decErr
	case waitErr != nil:
		return msg.Errorf("the server stopped: %s", OneLine(strings.TrimSpace(stderr.String()+" "+waitErr.Error())))
	}
	return nil
}

// limitedWriter keeps at most n bytes.
type limitedWriter struct {
	w io.Writer
	n int
}

func (l *limitedWriter) Write(p []byte) (int, error) {
	if l.n > 0 {
		k := min(len(p), l.n)
		l.w.Write(p[:k])
		l.n -= k
	}
	return len(p), nil
}

// dialServer connects as OpenSSH does: the host key checked against
// ~/.ssh/known_hosts (asking on first use, or with --accept-new recording
// it), and the user's agent and key files to log in.
func dialServer(ctx context.Context, t syncTarget, so SyncOptions, e Env, tr *i18n.Printer) (*gossh.Client, error) {
	home := e.Getenv("HOME")
	if home == "" {
		return nil, msg.New("cannot find the home folder for ~/.ssh: set HOME")
	}
	known := filepath.Join(home, ".ssh", "known_hosts")
	check, err := hostKeyCheck(known, so.AcceptNew, e, tr)
	if err != nil {
		return nil, err
	}
	auth, closeAgent := authMethods(home, so.Identity, e, tr)
	defer closeAgent()
	cfg := &gossh.ClientConfig{User: t.user, Auth: auth, HostKeyCallback: check, Timeout: 15 * time.Second}
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", t.addr())
	if err != nil {
		return nil, msg.Errorf("cannot reach %s: %v", t.addr(), err)
	}
	sc, chans, reqs, err := gossh.NewClientConn(conn, t.addr(), cfg)
	if err != nil {
		conn.Close()
		var hk *hostKeyRefused
		if errors.As(err, &hk) {
			return nil, hk
		}
		return nil, msg.Errorf("cannot log in to %s: %v", t.addr(), err)
	}
	return gossh.NewClient(sc, chans, reqs), nil
}

// hostKeyRefused is a host key sync would not trust.
type hostKeyRefused struct{ why msg.Text }

func (h *hostKeyRefused) Error() string { return h.why.String() }

// Say says why in the interface's language.
func (h *hostKeyRefused) Say(tr msg.Translate) string { return h.why.Say(tr) }

func hostKeyCheck(path string, acceptNew bool, e Env, tr *i18n.Printer) (gossh.HostKeyCallback, error) {
	// No file yet: every host is unknown, and the file is made when a
	// key is recorded, not before.
	known := func(string, net.Addr, gossh.PublicKey) error { return &knownhosts.KeyError{} }
	if _, err := os.Stat(path); err == nil {
		if known, err = knownhosts.New(path); err != nil {
			return nil, msg.Errorf("cannot read %s: %v", path, err)
		}
	}
	return func(host string, remote net.Addr, key gossh.PublicKey) error {
		err := known(host, remote, key)
		var ke *knownhosts.KeyError
		if !errors.As(err, &ke) {
			return err
		}
		fp := gossh.FingerprintSHA256(key)
		if len(ke.Want) > 0 {
			return &hostKeyRefused{msg.T("the host key of %s has changed (it is now %s %s; %s line %d has another): "+
				"someone may be in the middle, or the server was reinstalled. Nothing was changed. If you know the new key is right, "+
				"remove the old line (ssh-keygen -R %s) and sync again", host, key.Type(), fp, path, ke.Want[0].Line, host)}
		}
		if !acceptNew {
			ok, asked := askTrust(host, key, e, tr)
			if !asked {
				return &hostKeyRefused{msg.T("%s is not in %s (its %s key is %s): sync once in a terminal to confirm it, or pass --accept-new", host, path, key.Type(), fp)}
			}
			if !ok {
				return &hostKeyRefused{msg.T("the host key was not accepted; nothing was changed")}
			}
		}
		if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
			return msg.Errorf("cannot make %s: %v", filepath.Dir(path), err)
		}
		f, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY|os.O_CREATE, 0o600)
		if err != nil {
			return msg.Errorf("cannot record the host key in %s: %v", path, err)
		}
		defer f.Close()
		_, err = fmt.Fprintln(f, knownhosts.Line([]string{knownhosts.Normalize(host)}, key))
		if err == nil {
			fmt.Fprintln(e.Stderr, tr.T("recorded the %s key of %s (%s) in %s", key.Type(), host, fp, path))
		}
		return err
	}, nil
}

// askTrust asks on the terminal whether to trust a host key seen for the
// first time, as OpenSSH does. asked is false when there is no terminal
// to ask on.
func askTrust(host string, key gossh.PublicKey, e Env, tr *i18n.Printer) (ok, asked bool) {
	in, isFile := e.Stdin.(*os.File)
	if !isFile || e.Remote != nil {
		return false, false
	}
	if tty, _ := isTerminal(in); !tty {
		return false, false
	}
	fmt.Fprint(e.Stderr, tr.T("The authenticity of host %s can't be established.\n%s key fingerprint is %s.\nAre you sure you want to continue connecting (yes/no)? ",
		host, key.Type(), gossh.FingerprintSHA256(key)))
	line, _ := bufio.NewReader(in).ReadString('\n')
	return strings.TrimSpace(strings.ToLower(line)) == "yes", true
}

// authMethods are the ways to log in, as OpenSSH tries them: the agent,
// then the key files (-i, or ~/.ssh/id_ed25519, id_ecdsa, id_rsa), then
// none at all (a server that lets guests read).
func authMethods(home, identity string, e Env, tr *i18n.Printer) ([]gossh.AuthMethod, func()) {
	var methods []gossh.AuthMethod
	closer := func() {}
	if sock := e.Getenv("SSH_AUTH_SOCK"); sock != "" {
		if conn, err := net.Dial("unix", sock); err == nil {
			methods = append(methods, gossh.PublicKeysCallback(agent.NewClient(conn).Signers))
			closer = func() { conn.Close() }
		}
	}
	files := []string{identity}
	if identity == "" {
		files = []string{"id_ed25519", "id_ecdsa", "id_rsa"}
		for i, f := range files {
			files[i] = filepath.Join(home, ".ssh", f)
		}
	}
	var signers []gossh.Signer
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			if identity != "" {
				fmt.Fprintln(e.Stderr, tr.T("cannot read the key %s: %v", f, tr.Err(err)))
			}
			continue
		}
		s, err := gossh.ParsePrivateKey(b)
		var pm *gossh.PassphraseMissingError
		if errors.As(err, &pm) {
			fmt.Fprintln(e.Stderr, tr.T("the key %s has a passphrase: add it to your ssh-agent (ssh-add %s) to use it", f, f))
			continue
		}
		if err != nil {
			fmt.Fprintln(e.Stderr, tr.T("cannot use the key %s: %v", f, tr.Err(err)))
			continue
		}
		signers = append(signers, s)
	}
	if len(signers) > 0 {
		methods = append(methods, gossh.PublicKeys(signers...))
	}
	methods = append(methods, gossh.KeyboardInteractive(func(string, string, []string, []bool) ([]string, error) { return nil, nil }))
	return methods, closer
}
