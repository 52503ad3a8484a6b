package command

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/mmcdole/gofeed"
	gossh "golang.org/x/crypto/ssh"

	"kurultai/server/sshtest"
	"kurultai/ui/cli"
)

// follow, as a script uses it: add, list with what is new after an import,
// mark seen, remove, and the exit statuses of mistakes.
func TestFollowCommand(t *testing.T) {
	home := t.TempDir()
	run := func(want int, args ...string) string {
		t.Helper()
		code, out, stderr := runCommand(t, home, args...)
		if code != want {
			t.Fatalf("%v: exit %d, want %d\n%s%s", args, code, want, out, stderr)
		}
		return out + stderr
	}
	run(0, "follow", "add", "referendum")
	run(0, "follow", "add", "--proposal", "nk-5/p1-unicameral-parliament")
	run(0, "follow", "add", "--body", "National Kurultai", "--name", "the congress")
	if out := run(0, "follow", "add", "referendum"); !strings.Contains(out, "followed already, as follow 1") {
		t.Errorf("following twice: %q", out)
	}
	for _, bad := range [][]string{
		{"follow", "add", "--speaker", "nobody"}, {"follow", "add"}, {"follow", "add", "x", "--body", "y"},
		{"follow", "seen", "9"}, {"follow", "rm", "x"}, {"follow", "frobnicate"}, {"follow", "seen", "1", "--all"},
	} {
		run(2, bad...)
	}

	// A new sitting arrives: a session of the National Kurultai in which
	// the referendum is named twice, and a step of the followed proposal
	// in a session that is there already is left for the second test.
	src := filepath.Join(home, "new.json")
	doc := `{"kurultai": 1, "sessions": [{"id": "nk-6", "body": "National Kurultai", "number": 6, "date": "2026-09-01",
		"title": "Sixth meeting", "summary": "After the referendum.", "speeches": [{"id": "nk-6/a", "title": "Opening",
		"paragraphs": [{"number": 1, "text": "The referendum is behind us."}, {"number": 2, "text": "Now the work."}]}]}]}`
	if err := os.WriteFile(src, []byte(doc), 0o644); err != nil {
		t.Fatal(err)
	}
	run(0, "import", "--quiet", src)
	var fs []struct {
		ID     int64  `json:"id"`
		Name   string `json:"name"`
		Kind   string `json:"kind"`
		Target string `json:"target"`
		New    int    `json:"new"`
		SeenAt string `json:"seen_at"`
	}
	if err := json.Unmarshal([]byte(run(0, "follow", "list", "--json")), &fs); err != nil {
		t.Fatal(err)
	}
	// referendum: the summary and ¶ 1; the body: the record, the title
	// and two paragraphs; the proposal: nothing.
	want := map[string]int{"referendum": 2, "nk-5/p1-unicameral-parliament": 0, "National Kurultai": 4}
	if len(fs) != 3 {
		t.Fatalf("follows: %+v", fs)
	}
	for _, f := range fs {
		if f.New != want[f.Target] || f.SeenAt == "" {
			t.Errorf("%s %q: %d new, want %d", f.Kind, f.Target, f.New, want[f.Target])
		}
	}
	if out := run(0, "follow", "list"); !strings.Contains(out, "“the congress” (National Kurultai)  4 new") {
		t.Errorf("list:\n%s", out)
	}
	run(0, "follow", "seen", "1")
	if out := run(0, "follow", "list"); !strings.Contains(out, "“referendum”  nothing new") || !strings.Contains(out, "4 new") {
		t.Errorf("after seen 1:\n%s", out)
	}
	if out := run(0, "follow", "seen", "--all"); !strings.Contains(out, "marked 3 follows seen") {
		t.Errorf("seen --all: %q", out)
	}
	run(0, "follow", "rm", "2")
	if out := run(0, "follow", "list"); strings.Contains(out, "nk-5/p1") || strings.Count(out, "nothing new") != 2 {
		t.Errorf("after rm 2:\n%s", out)
	}
}

// The feed is Atom that a real feed library reads: an entry for each new
// result of a followed search and each new step of a followed proposal,
// with ids that stay the same from one feed to the next, dates, and links
// that kurultai opens.
func TestFeed(t *testing.T) {
	home := t.TempDir()
	run := func(want int, args ...string) string {
		t.Helper()
		code, out, stderr := runCommand(t, home, args...)
		if code != want {
			t.Fatalf("%v: exit %d, want %d\n%s%s", args, code, want, out, stderr)
		}
		return out
	}
	run(0, "follow", "add", "referendum")
	run(0, "follow", "add", "--proposal", "nk-5/p8-commission-referendum")
	empty, err := gofeed.NewParser().ParseString(run(0, "feed"))
	if err != nil {
		t.Fatal(err)
	}
	if len(empty.Items) != 0 || empty.FeedType != "atom" {
		t.Fatalf("before anything arrived: %s feed of %d items", empty.FeedType, len(empty.Items))
	}
	// A new sitting, and a new step of the followed proposal in an
	// updated fifth meeting.
	dump := filepath.Join(home, "nk5")
	run(0, "dump", "--format", "markdown", "-o", dump)
	var file string
	filepath.WalkDir(dump, func(p string, d os.DirEntry, err error) error {
		if b, _ := os.ReadFile(p); d != nil && !d.IsDir() && strings.Contains(string(b), "id: nk-5/p8-commission-referendum") {
			file = p
		}
		return nil
	})
	if file == "" {
		t.Fatal("the dump has no nk-5/p8-commission-referendum")
	}
	b, _ := os.ReadFile(file)
	text := string(b)
	step := "    - date: \"2026-08-01\"\n      status: reviewed\n      note: A later review.\n      source: https://example.org/review\n      confidence: low\n"
	text = strings.Replace(text, "\nmade_in:", "\n"+step+"made_in:", 1)
	text = regexp.MustCompile(`(?m)^status: .*$`).ReplaceAllString(text, "status: reviewed")
	if err := os.WriteFile(file, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	src := filepath.Join(home, "nk6.json")
	os.WriteFile(src, []byte(`{"kurultai": 1, "sessions": [{"id": "nk-6", "body": "National Kurultai", "number": 6, "date": "2026-09-01",
		"title": "Sixth meeting", "speeches": [{"id": "nk-6/a", "title": "Opening",
		"paragraphs": [{"number": 1, "text": "The referendum is behind us."}]}]}]}`), 0o644)
	run(0, "import", "--quiet", filepath.Dir(file), src)

	out := run(0, "feed")
	feed, err := gofeed.NewParser().ParseString(out)
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if len(feed.Items) != 2 {
		t.Fatalf("%d entries, want 2 (nk-6 ¶ 1, the new step):\n%s", len(feed.Items), out)
	}
	ids := map[string]bool{}
	for _, it := range feed.Items {
		ids[it.GUID] = true
		if it.UpdatedParsed == nil || time.Since(*it.UpdatedParsed) > time.Hour || !strings.HasPrefix(it.Link, "kurultai:nk-") {
			t.Errorf("entry %+v", it)
		}
		doc, _, ok := cli.ParseLink(it.Link)
		if !ok {
			t.Errorf("a link kurultai does not read: %q", it.Link)
		}
		if code, _, stderr := runCommand(t, home, "show", doc); code != 0 {
			t.Errorf("show %s from the link: %s", doc, stderr)
		}
	}
	if !strings.Contains(out, "A later review. Source: https://example.org/review (confidence: low)") || !strings.Contains(out, "kurultai:nk-6/a?para=1") {
		t.Errorf("the feed lacks the step or the new paragraph:\n%s", out)
	}
	again, _ := gofeed.NewParser().ParseString(run(0, "feed"))
	for _, it := range again.Items {
		if !ids[it.GUID] {
			t.Errorf("entry id %q changed between two feeds", it.GUID)
		}
	}
	// One follow's feed, to a file written whole, not replaced without
	// --force; seen, the feed is empty.
	path := filepath.Join(home, "feeds", "one.xml")
	run(0, "feed", "--follow", "2", "-o", path)
	one, err := gofeed.NewParser().ParseString(readFile(t, path))
	if err != nil || len(one.Items) != 1 || !strings.Contains(one.Items[0].Title, "reviewed") {
		t.Fatalf("--follow 2: %v %+v", err, one)
	}
	run(2, "feed", "--follow", "2", "-o", path)
	run(2, "feed", "--follow", "9")
	run(0, "follow", "seen", "--all")
	if seen, _ := gofeed.NewParser().ParseString(run(0, "feed")); len(seen.Items) != 0 {
		t.Errorf("after seen --all the feed has %d entries", len(seen.Items))
	}
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// Over SSH each key follows for itself, and its feed is its own.
func TestRemoteFollowAndFeed(t *testing.T) {
	rs := startRemote(t)
	a, b := sshtest.NewKey(t), sshtest.NewKey(t)
	run := func(key gossh.Signer, cmd string) (string, error) {
		t.Helper()
		s, err := rs.connect(t, key).NewSession()
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		out, err := s.Output(cmd)
		return string(out), err
	}
	if out, err := run(a, "follow add referendum"); err != nil || !strings.Contains(out, "follow 1: search") {
		t.Fatalf("follow add over SSH: %v %q", err, out)
	}
	if out, _ := run(a, "follow list"); !strings.Contains(out, "“referendum”  nothing new") {
		t.Errorf("a's list: %q", out)
	}
	if out, _ := run(b, "follow list"); !strings.Contains(out, "Nothing is followed") {
		t.Errorf("b sees a's follows: %q", out)
	}
	out, err := run(a, "feed")
	if err != nil {
		t.Fatal(err)
	}
	if f, err := gofeed.NewParser().ParseString(out); err != nil || f.FeedType != "atom" || len(f.Items) != 0 {
		t.Errorf("a's feed: %v %+v", err, f)
	}
	if _, err := run(a, "feed -o /tmp/x.xml"); err == nil {
		t.Error("feed -o names a file on the host and must be refused over SSH")
	}
}

// A new edition published as the docs say (new sittings imported into a
// copy of the served file, renamed into place) keeps every reader's
// follows over SSH, and they count what it brought.
func TestRemoteFollowsSurviveANewEdition(t *testing.T) {
	rs := startRemote(t)
	key := sshtest.NewKey(t)
	run := func(cmd string) string {
		t.Helper()
		s, err := rs.connect(t, key).NewSession()
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		out, err := s.CombinedOutput(cmd)
		if err != nil {
			t.Fatalf("%s: %v %s", cmd, err, out)
		}
		return string(out)
	}
	run("follow add referendum")
	next := rs.archive + ".next"
	b, err := os.ReadFile(rs.archive)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(next, b, 0o644); err != nil {
		t.Fatal(err)
	}
	src := filepath.Join(t.TempDir(), "nk6.json")
	os.WriteFile(src, []byte(`{"kurultai": 1, "sessions": [{"id": "nk-6", "body": "National Kurultai", "number": 6, "date": "2026-09-01",
		"title": "Sixth meeting", "speeches": [{"id": "nk-6/a", "title": "Opening",
		"paragraphs": [{"number": 1, "text": "The referendum is behind us."}]}]}]}`), 0o644)
	if code, _, stderr := runCommand(t, t.TempDir(), "import", "--quiet", "--archive", next, src); code != 0 {
		t.Fatal(stderr)
	}
	if err := os.Rename(next, rs.archive); err != nil {
		t.Fatal(err)
	}
	if out := run("follow list"); !strings.Contains(out, "“referendum”  1 new") {
		t.Errorf("after the new edition: %q", out)
	}
}
