package command

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
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
