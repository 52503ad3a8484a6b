package command

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"kurultai/data"
	"kurultai/data/pgtest"
)

// TestStateExportImport: a single server's bookmarks file moves into
// PostgreSQL and back with kurultai state, losslessly and idempotently;
// nothing is overwritten without --force.
func TestStateExportImport(t *testing.T) {
	home := t.TempDir()
	file := filepath.Join(home, "server", "bookmarks.db")
	if code, _, stderr := runCommand(t, home, "bookmarks", "add", "nk-5/address", "--para", "2-3", "--note", "kept"); code != 0 {
		t.Fatalf("bookmarks add: %s", stderr)
	}
	local := filepath.Join(home, "kurultai", "bookmarks.db")
	if _, err := os.Stat(local); err != nil {
		t.Fatalf("the local bookmarks file is not where the test looks: %v", err)
	}
	if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(local)
	if err := os.WriteFile(file, b, 0o644); err != nil {
		t.Fatal(err)
	}

	out := filepath.Join(home, "state.json")
	if code, _, stderr := runCommand(t, home, "state", "export", "--state", file, "-o", out); code != 0 {
		t.Fatalf("state export: %s", stderr)
	}
	if code, _, stderr := runCommand(t, home, "state", "export", "--state", file, "-o", out); code != 2 || !strings.Contains(stderr, "--force") {
		t.Errorf("export over a file that exists: exit %d, %q", code, stderr)
	}
	var st data.State
	raw, _ := os.ReadFile(out)
	if err := json.Unmarshal(raw, &st); err != nil || len(st.Bookmarks) != 1 || st.Bookmarks[0].Note != "kept" {
		t.Fatalf("the export holds %+v (%v)", st, err)
	}

	pg := pgtest.Start(t).NewDatabase(t)
	code, stdout, stderr := runCommand(t, home, "state", "import", out, "--state", pg)
	if code != 0 || !strings.Contains(stdout, "imported 1 bookmark and 0 follows; already there: 0 bookmarks and 0 follows") {
		t.Fatalf("state import: exit %d, %q, %q", code, stdout, stderr)
	}
	code, stdout, _ = runCommand(t, home, "state", "import", out, "--state", pg)
	if code != 0 || !strings.Contains(stdout, "imported 0 bookmarks and 0 follows; already there: 1 bookmark and 0 follows") {
		t.Errorf("importing again: exit %d, %q", code, stdout)
	}
	code, again, _ := runCommand(t, home, "state", "export", "--state", pg)
	if code != 0 || again != string(raw) {
		t.Errorf("PostgreSQL exports\n%s\nthe file exported\n%s", again, raw)
	}
	if code, _, stderr := runCommand(t, home, "state", "export", "--state", filepath.Join(home, "nothing.db")); code != 2 || !strings.Contains(stderr, "no such file") {
		t.Errorf("exporting a file that is not there: exit %d, %q", code, stderr)
	}
}
