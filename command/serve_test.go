package command

import (
	"encoding/json"
	"strings"
	"testing"

	"kurultai/server/sshtest"
)

// TestCommandsOverSSH runs the script commands through a real SSH
// connection, with the connecting key's own bookmarks.
func TestCommandsOverSSH(t *testing.T) {
	rs := startRemote(t)
	key := sshtest.NewKey(t)
	rs.addBookmark(t, key, "nk-5/address", 3, 4, "mine")
	client := rs.connect(t, key)
	sshRun := func(cmd string) (string, string, int) { return sshtest.Run(t, client, cmd) }

	out, errs, code := sshRun("export --format md")
	if code != 0 || !strings.Contains(out, "[@") || !strings.Contains(out, "mine") {
		t.Errorf("export: %d %q %q", code, out, errs)
	}
	out, _, code = sshRun("sessions --json")
	var rows []map[string]any
	if code != 0 || json.Unmarshal([]byte(out), &rows) != nil || len(rows) != 5 {
		t.Errorf("sessions --json: %d %q", code, out)
	}
	out, _, code = sshRun("search Kyzylorda --json")
	var hits []map[string]any
	if code != 0 || json.Unmarshal([]byte(out), &hits) != nil || len(hits) == 0 {
		t.Errorf("search --json: %d %q", code, out)
	}
	if out, _, code = sshRun("show nk-5/address"); code != 0 || !strings.Contains(out, "Kyzylorda") || strings.Contains(out, "\x1b") {
		t.Errorf("show without a PTY: %d, %d bytes, escapes=%v", code, len(out), strings.Contains(out, "\x1b"))
	}
	for _, cmd := range []string{"export -o /tmp/x.md", "export --out=/tmp/x.md", "sessions --archive /etc/passwd", "show nope/none", "bookmarks list"} {
		if _, errs, code := sshRun(cmd); code != 2 || strings.Count(strings.TrimSpace(errs), "\n") != 0 {
			t.Errorf("%q: status %d, %q; want one line and status 2", cmd, code, errs)
		}
	}
}
