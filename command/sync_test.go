package command

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/binary"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mmcdole/gofeed"
	gossh "golang.org/x/crypto/ssh"

	"kurultai/data"
	"kurultai/server"
	"kurultai/sessions"
)

// syncServer serves an archive over SSH with the real server, on a port
// and with a host key that a restart keeps, as a server whose archive
// was replaced would be.
type syncServer struct {
	addr, dataDir string
	stop          func()
}

func startSyncServer(t *testing.T, archive, dataDir, addr string) *syncServer {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	srv, err := server.New(ctx, server.Config{Archive: archive, DataDir: dataDir, Command: RunRemote, Log: newTextLog(&lockedLog{mu: make(chan struct{}, 1)})})
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	l, err := net.Listen("tcp", addr)
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ctx, l) }()
	s := &syncServer{addr: l.Addr().String(), dataDir: dataDir}
	var once bool
	s.stop = func() {
		if !once {
			once = true
			cancel()
			<-done
		}
	}
	t.Cleanup(s.stop)
	return s
}

func (s *syncServer) url() string { return "ssh://" + s.addr }

// buildArchive writes an archive of sessions at path.
func buildArchive(t *testing.T, path string, ss []sessions.Session) {
	t.Helper()
	ctx := context.Background()
	b, err := data.NewBuilder(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	for i := range ss {
		if err := b.Write(ctx, &ss[i], ""); err != nil {
			t.Fatal(err)
		}
	}
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}
}

func genFor(t *testing.T, seed int64, paragraphs, n int, prefix string) []sessions.Session {
	t.Helper()
	var out []sessions.Session
	err := sessions.Generate(sessions.GenOptions{Paragraphs: paragraphs, Sessions: n, Seed: seed, Prefix: prefix}, func(s *sessions.Session) error {
		out = append(out, *s)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// The whole way: a server with archive A; a client syncs it; the server's
// archive is replaced by A with new sessions and a new step of a proposal
// the reader follows; a second sync brings just those, and the follows,
// the lists' marks and the feed say what arrived.
func TestSyncEndToEnd(t *testing.T) {
	dir := t.TempDir()
	home := filepath.Join(dir, "reader")
	a := genFor(t, 1, 4000, 20, "gen-")
	archA := filepath.Join(dir, "a.db")
	buildArchive(t, archA, a)
	srv := startSyncServer(t, archA, filepath.Join(dir, "server"), "")

	code, out, stderr := runCommand(t, home, "sync", "--accept-new", srv.url())
	if code != 0 || !strings.Contains(out, "20 added, 0 changed, 0 removed") || !strings.Contains(stderr, "recorded the ssh-ed25519 key") {
		t.Fatalf("first sync: %d %q %q", code, out, stderr)
	}
	if code, out, _ := runCommand(t, home, "sync", srv.url()); code != 0 || !strings.Contains(out, "up to date") {
		t.Fatalf("second sync with nothing new: %d %q", code, out)
	}
	// Follow a search, and a proposal of A.
	pi := 0
	for pi < len(a) && (len(a[pi].Proposals) == 0 || pi == 7) {
		pi++
	}
	if pi == len(a) {
		t.Fatal("the generated archive has no proposal")
	}
	followed := a[pi].Proposals[0].ID
	runCommand(t, home, "follow", "add", "referendum")
	if code, _, stderr := runCommand(t, home, "follow", "add", "--proposal", followed); code != 0 {
		t.Fatal(stderr)
	}

	// B: A, with five new sessions, one session of A gone, and a new step
	// of the followed proposal.
	b := append([]sessions.Session(nil), a...)
	b[pi].Proposals = append([]sessions.Proposal(nil), b[pi].Proposals...)
	p := &b[pi].Proposals[0]
	p.Timeline = append(append([]sessions.Event(nil), p.Timeline...),
		sessions.Event{Date: "2026-10-01", Status: "reviewed", Note: "A review of the referendum.", Source: "https://example.org/r", Confidence: "high"})
	p.Status = "reviewed"
	gone := b[7].ID
	b = append(b[:7], b[8:]...)
	fresh := genFor(t, 2, 1000, 5, "new-")
	b = append(b, fresh...)
	// The server's archive is replaced under it, as a publisher does.
	archB := filepath.Join(dir, "b.db")
	buildArchive(t, archB, b)
	if err := os.Rename(archB, archA); err != nil {
		t.Fatal(err)
	}
	archB = archA

	code, out, stderr = runCommand(t, home, "sync", srv.url())
	if code != 0 || !strings.Contains(out, "5 added, 1 changed, 1 removed") {
		t.Fatalf("sync after the server's archive changed: %d %q %q", code, out, stderr)
	}
	local := filepath.Join(home, "kurultai", "archive.db")
	ldb, err := data.Open(context.Background(), local, data.ReadOnly)
	if err != nil {
		t.Fatal(err)
	}
	// What the server holds, the client holds: every session of B, by
	// digest, and not the one B dropped.
	srvDB, _ := data.Open(context.Background(), archB, data.ReadOnly)
	m, _ := srvDB.Manifest(context.Background())
	srvDB.Close()
	have, _ := ldb.SessionDigests(context.Background())
	for _, e := range m.Sessions {
		if have[e.ID][0] != e.Hash {
			t.Errorf("session %s: digest %q locally, %q on the server", e.ID, have[e.ID][0], e.Hash)
		}
	}
	if _, ok := have[gone]; ok {
		t.Errorf("session %s, gone from the server, is still here", gone)
	}
	bs, _ := ldb.Batches(context.Background(), 1)
	// The lists mark what arrived: every speech and proposal of the new
	// sessions, and the proposal with the new step.
	marks, err := data.OpenBookmarks(context.Background(), filepath.Join(home, "kurultai", "bookmarks.db"))
	if err != nil {
		t.Fatal(err)
	}
	news, err := ldb.NewNews(context.Background(), marks, "local")
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	wantNew := map[string]bool{followed: true}
	for _, s := range b {
		ids = append(ids, s.ID)
	}
	for _, s := range fresh {
		for _, sp := range s.Speeches {
			wantNew[sp.ID] = true
		}
		for _, p := range s.Proposals {
			wantNew[p.ID] = true
		}
	}
	docs, err := news.Docs(context.Background(), ids)
	if err != nil {
		t.Fatal(err)
	}
	if len(docs) != len(wantNew) {
		t.Errorf("%d documents are new to the reader, want %d", len(docs), len(wantNew))
	}
	for _, d := range docs {
		if !wantNew[d.Doc] {
			t.Errorf("%s is marked new", d.Doc)
		}
	}
	marks.Close()
	ldb.Close()
	if len(bs) != 1 || bs[0].Kind != data.BatchSync || bs[0].Source != srv.url() || bs[0].Added != 5 || bs[0].Removed != 1 {
		t.Errorf("the sync's batch: %+v", bs)
	}

	// The follows count what arrived: the proposal's new step; the
	// search, every result of the new sessions and the new step's note.
	_, out, _ = runCommand(t, home, "follow", "list")
	if !strings.Contains(out, "1 new · status now reviewed") {
		t.Errorf("the proposal's follow:\n%s", out)
	}
	_, feedOut, _ := runCommand(t, home, "feed")
	feed, err := gofeed.NewParser().ParseString(feedOut)
	if err != nil {
		t.Fatal(err)
	}
	steps := 0
	for _, it := range feed.Items {
		if strings.Contains(it.Title+it.Description, "review") {
			steps++
		}
	}
	if steps != 2 { // once for the proposal, once as a result of the search
		t.Errorf("%d feed entries name the new step, want 2", steps)
	}
}

// fakeServer is an SSH server that is not kurultai, or a kurultai that
// misbehaves: each command it is asked runs handle, which may drop the
// connection.
type fakeServer struct {
	addr string
}

type fakeReply struct {
	stdout, stderr string
	status         uint32
	drop           bool // close the connection after stdout, with no exit status
}

func startFake(t *testing.T, handle func(cmd string) fakeReply) *fakeServer {
	t.Helper()
	_, priv, _ := ed25519.GenerateKey(rand.Reader)
	signer, _ := gossh.NewSignerFromKey(priv)
	cfg := &gossh.ServerConfig{NoClientAuth: true,
		KeyboardInteractiveCallback: func(gossh.ConnMetadata, gossh.KeyboardInteractiveChallenge) (*gossh.Permissions, error) {
			return nil, nil
		}}
	cfg.AddHostKey(signer)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				_, chans, reqs, err := gossh.NewServerConn(c, cfg)
				if err != nil {
					return
				}
				go gossh.DiscardRequests(reqs)
				for nc := range chans {
					ch, creqs, err := nc.Accept()
					if err != nil {
						continue
					}
					go func() {
						defer ch.Close()
						for req := range creqs {
							if req.Type != "exec" {
								req.Reply(false, nil)
								continue
							}
							n := binary.BigEndian.Uint32(req.Payload)
							r := handle(string(req.Payload[4 : 4+n]))
							req.Reply(true, nil)
							io.WriteString(ch, r.stdout)
							if r.drop {
								c.Close()
								return
							}
							io.WriteString(ch.Stderr(), r.stderr)
							ch.SendRequest("exit-status", false, binary.BigEndian.AppendUint32(nil, r.status))
							return
						}
					}()
				}
			}()
		}
	}()
	return &fakeServer{addr: l.Addr().String()}
}

// A sync that goes wrong says what went wrong in plain words and leaves
// the local archive as it was.
func TestSyncFaults(t *testing.T) {
	dir := t.TempDir()
	src := genFor(t, 1, 600, 3, "gen-")
	archA := filepath.Join(dir, "a.db")
	buildArchive(t, archA, src)
	srcDB, _ := data.Open(context.Background(), archA, data.ReadOnly)
	manifest, _ := srcDB.Manifest(context.Background())
	one, _ := srcDB.FullSession(context.Background(), src[0].ID)
	srcDB.Close()
	manifestJSON := func(m *data.Manifest) string {
		var b strings.Builder
		fmt.Fprintf(&b, `{"kurultai_sync": 1, "archive": %q, "sessions": [`, m.Archive)
		for i, e := range m.Sessions {
			if i > 0 {
				b.WriteString(",")
			}
			fmt.Fprintf(&b, `{"id": %q, "hash": %q}`, e.ID, e.Hash)
		}
		return b.String() + "]}\n"
	}
	sessionsJSON := func(s *sessions.Session) string {
		var b strings.Builder
		jw, _ := sessions.NewJSONWriter(&b)
		jw.Write(s)
		jw.Close()
		return b.String()
	}
	half := sessionsJSON(one)
	half = half[:len(half)/2]
	changed := *one
	changed.Title = "Not the title the digest is of"
	stranger := genFor(t, 3, 100, 1, "oth-")[0]
	only := &data.Manifest{Archive: manifest.Archive, Sessions: []data.ManifestEntry{{ID: one.ID, Hash: manifest.Sessions[0].Hash}}}
	for _, e := range manifest.Sessions {
		if e.ID == one.ID {
			only.Sessions[0].Hash = e.Hash
		}
	}

	cases := []struct {
		name   string
		handle func(string) fakeReply
		want   string
	}{
		{"not kurultai", func(string) fakeReply {
			return fakeReply{stderr: "sh: 1: sync-manifest: not found\n", status: 127}
		}, "is not a kurultai server"},
		{"a manifest that is not one", func(string) fakeReply {
			return fakeReply{stdout: "<html>hello</html>"}
		}, "did not answer as a kurultai server does"},
		{"the connection drops mid-stream", func(cmd string) fakeReply {
			if cmd == "sync-manifest" {
				return fakeReply{stdout: manifestJSON(only)}
			}
			return fakeReply{stdout: half, drop: true}
		}, "the connection was lost while sessions were coming"},
		{"content that is not its digest's", func(cmd string) fakeReply {
			if cmd == "sync-manifest" {
				return fakeReply{stdout: manifestJSON(only)}
			}
			return fakeReply{stdout: sessionsJSON(&changed)}
		}, "does not match its digest"},
		{"a session not asked for", func(cmd string) fakeReply {
			if cmd == "sync-manifest" {
				return fakeReply{stdout: manifestJSON(only)}
			}
			return fakeReply{stdout: sessionsJSON(&stranger)}
		}, "which was not asked for"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			home := filepath.Join(t.TempDir(), "reader")
			// The local archive exists first (the sample), and must be
			// as it was after the failed sync.
			if code, _, stderr := runCommand(t, home, "stats"); code != 0 {
				t.Fatal(stderr)
			}
			local := filepath.Join(home, "kurultai", "archive.db")
			before := archiveHash(t, local)
			fake := startFake(t, c.handle)
			code, out, stderr := runCommand(t, home, "sync", "--accept-new", "ssh://"+fake.addr)
			if code == 0 || !strings.Contains(stderr, c.want) || !strings.Contains(stderr, "nothing was changed") {
				t.Errorf("exit %d, %q %q; want %q and that nothing was changed", code, out, stderr, c.want)
			}
			if after := archiveHash(t, local); after != before {
				t.Error("the local archive changed")
			}
		})
	}

	// Host keys: an unknown one is refused without a terminal to ask on,
	// naming its fingerprint; a changed one is always refused.
	home := filepath.Join(dir, "keys")
	srv := startSyncServer(t, archA, filepath.Join(dir, "server-1"), "")
	code, _, stderr := runCommand(t, home, "sync", srv.url())
	if code == 0 || !strings.Contains(stderr, "SHA256:") || !strings.Contains(stderr, "--accept-new") {
		t.Errorf("an unknown host key: %d %q", code, stderr)
	}
	if _, err := os.Stat(filepath.Join(home, ".ssh", "known_hosts")); err == nil {
		t.Error("a refused host left a known_hosts file behind")
	}
	if code, _, stderr := runCommand(t, home, "sync", "--accept-new", srv.url()); code != 0 {
		t.Fatal(stderr)
	}
	before := archiveHash(t, filepath.Join(home, "kurultai", "archive.db"))
	srv.stop()
	other := startSyncServer(t, archA, filepath.Join(dir, "server-2"), srv.addr) // a new host key
	for _, flags := range [][]string{nil, {"--accept-new"}} {
		code, _, stderr := runCommand(t, home, append(append([]string{"sync"}, flags...), other.url())...)
		if code == 0 || !strings.Contains(stderr, "host key of") || !strings.Contains(stderr, "has changed") {
			t.Errorf("a changed host key %v: %d %q", flags, code, stderr)
		}
	}
	if after := archiveHash(t, filepath.Join(home, "kurultai", "archive.db")); after != before {
		t.Error("a refused sync changed the archive")
	}
	for _, bad := range []string{"http://x", "ssh://", "ssh://host:99999", "ssh://host/path"} {
		if code, _, _ := runCommand(t, home, "sync", bad); code != 2 {
			t.Errorf("sync %s: exit %d, want 2", bad, code)
		}
	}

}

// A speaker is kept once for all the sessions they speak in: a new
// sitting that gives a known speaker with another name, or without the
// parts of their name, does not make the sessions the server sends differ
// from their digests.
func TestSyncSharedSpeaker(t *testing.T) {
	dir := t.TempDir()
	all, _ := sessions.Sample()
	nk6 := sessions.Session{ID: "nk-6", Body: "National Kurultai", Number: 6, Date: "2026-11-20", Title: "Sixth",
		Speeches: []sessions.Speech{{ID: "nk-6/address", SessionID: "nk-6", Order: 1, Title: "Address",
			Speaker:    sessions.Speaker{ID: "tokayev", Name: "K.-J. Tokayev", Role: "President"},
			Paragraphs: sessions.SplitParagraphs("The referendum is behind us.")}}}
	arch := filepath.Join(dir, "served.db")
	buildArchive(t, arch, append(all, nk6))
	srv := startSyncServer(t, arch, filepath.Join(dir, "server"), "")
	home := filepath.Join(dir, "reader")
	code, out, stderr := runCommand(t, home, "sync", "--accept-new", srv.url())
	if code != 0 || !strings.Contains(out, "1 added, 0 changed, 0 removed") {
		t.Fatalf("sync: %d %q %q", code, out, stderr)
	}
	if code, out, _ := runCommand(t, home, "sync", srv.url()); code != 0 || !strings.Contains(out, "up to date") {
		t.Errorf("the next sync: %d %q", code, out)
	}
}
