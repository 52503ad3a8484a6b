package command

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestImportIntoNewArchive imports into an archive that does not exist
// yet, which is built under a temporary name and moved into place: a good
// import leaves the archive alone in its folder, and one that fails
// leaves nothing at all.
func TestImportIntoNewArchive(t *testing.T) {
	home := t.TempDir()
	dir := t.TempDir()
	arch := filepath.Join(dir, "new.db")
	code, out, stderr := runCommand(t, home, "import", "--quiet", "--archive", arch, filepath.Join("..", "sessions", "sample"))
	if code != 0 {
		t.Fatal(stderr)
	}
	if !strings.Contains(out, "into "+arch+":") {
		t.Errorf("the summary should name the archive, not its temporary name: %q", out)
	}
	if names := dirNames(t, dir); strings.Join(names, " ") != "new.db" {
		t.Errorf("after the import the folder holds %q, want only new.db", names)
	}
	if code, _, stderr := runCommand(t, home, "search", "--count", "--archive", arch, "referendum"); code != 0 {
		t.Fatalf("the new archive does not answer a search: %s", stderr)
	}

	bad := filepath.Join(t.TempDir(), "bad.json")
	if err := os.WriteFile(bad, []byte(`{"sessions": [{"id": "x"`), 0o644); err != nil {
		t.Fatal(err)
	}
	other := filepath.Join(dir, "other.db")
	if code, _, _ := runCommand(t, home, "import", "--quiet", "--archive", other, bad); code == 0 {
		t.Fatal("a broken file was imported")
	}
	for _, name := range dirNames(t, dir) {
		if strings.Contains(name, "other") {
			t.Errorf("a failed import into a new archive left %s", name)
		}
	}
}
