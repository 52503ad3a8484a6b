package command

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"kurultai/data"
)

// TestDiskFull runs out of space on a small filesystem: in an import into
// an archive that exists, which must leave it as it was, and in gen
// building a new archive, which must leave nothing behind. Both must say
// in plain words that the disk is full.
func TestDiskFull(t *testing.T) {
	t.Run("import", func(t *testing.T) {
		small := smallFilesystem(t, "24m")
		home := t.TempDir()
		// The corpus is outside the small filesystem: only the archive
		// runs out of room.
		corpus := filepath.Join(home, "corpus.json")
		if code, _, stderr := runCommand(t, home, "gen", "--paragraphs", "60000", "--format", "json", "--out", corpus); code != 0 {
			t.Fatal(stderr)
		}
		arch := filepath.Join(small, "a.db")
		if code, _, stderr := runCommand(t, home, "import", "--quiet", "--archive", arch, filepath.Join("..", "sessions", "sample")); code != 0 {
			t.Fatal(stderr)
		}
		before := diskFullState(t, home, arch)

		code, _, stderr := runCommand(t, home, "import", "--quiet", "--archive", arch, corpus)
		if code == 0 {
			t.Fatal("the import fitted in the small filesystem; make the corpus larger")
		}
		if code != 1 {
			t.Errorf("exit %d, want 1", code)
		}
		checkDiskFullMessage(t, stderr, "kurultai: "+corpus+": ", "the disk is full (nothing was imported; the archive is as it was)\n")
		// Nothing beside the archive: no write-ahead log holding the
		// space that the failed import took.
		if names := dirNames(t, small); strings.Join(names, " ") != "a.db" {
			t.Errorf("after the failed import the folder holds %q, want only a.db", names)
		}
		if code, _, stderr := runCommand(t, home, "sessions", "--json", "--archive", arch); code != 0 {
			t.Fatalf("the archive does not open after the failed import: %s", stderr)
		}
		if after := diskFullState(t, home, arch); after != before {
			t.Errorf("the archive changed after the failed import:\nbefore %s\nafter  %s", before, after)
		}
	})

	t.Run("gen", func(t *testing.T) {
		small := smallFilesystem(t, "24m")
		home := t.TempDir()
		arch := filepath.Join(small, "new.db")
		code, _, stderr := runCommand(t, home, "gen", "--paragraphs", "60000", "--out", arch)
		if code == 0 {
			t.Fatal("gen fitted in the small filesystem; make it larger")
		}
		if code != 1 {
			t.Errorf("exit %d, want 1", code)
		}
		checkDiskFullMessage(t, stderr, "kurultai: cannot generate "+arch+": ", "the disk is full\n")
		// No archive, and none of the temporary files it was built in.
		if names := dirNames(t, small); len(names) > 0 {
			t.Errorf("gen that ran out of space left %q in the folder, want nothing", names)
		}
	})
}

// smallFilesystem mounts a tmpfs of the size given on a new folder, and
// unmounts it when the test ends; it skips the test where mounting is not
// allowed.
func smallFilesystem(t *testing.T, size string) string {
	t.Helper()
	dir := t.TempDir()
	out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size="+size, "tmpfs", dir).CombinedOutput()
	if err != nil {
		why, _, _ := strings.Cut(strings.TrimSpace(string(out)), "\n")
		t.Skipf("mounting a small filesystem is not permitted here: mount -t tmpfs: %v: %s", err, why)
	}
	// Registered after TempDir's own clean-up, so run before it.
	t.Cleanup(func() {
		if out, err := exec.Command("umount", dir).CombinedOutput(); err != nil {
			t.Errorf("cannot unmount %s: %v %s", dir, err, strings.TrimSpace(string(out)))
			exec.Command("umount", "-l", dir).Run()
		}
	})
	return dir
}

// checkDiskFullMessage wants stderr to be the one line prefix+…+suffix,
// in plain words: no SQLite or system wording, no temporary file, no panic.
func checkDiskFullMessage(t *testing.T, stderr, prefix, suffix string) {
	t.Helper()
	if !strings.HasPrefix(stderr, prefix) || !strings.HasSuffix(stderr, suffix) || strings.Count(stderr, "\n") != 1 {
		t.Errorf("stderr is %q, want one line %q…%q", stderr, prefix, suffix)
	}
	for _, bad := range []string{"sqlite", "SQLITE", "database or disk", "no space left", "tmp-", "panic", "goroutine"} {
		if strings.Contains(stderr, bad) {
			t.Errorf("stderr mentions %q: %q", bad, stderr)
		}
	}
}

// diskFullState is what an archive holds, its search index too, and
// whether SQLite finds it sound.
func diskFullState(t *testing.T, home, path string) string {
	t.Helper()
	state := []string{"content " + archiveHash(t, path)}
	db, err := data.Open(context.Background(), path, data.ReadOnly)
	if err != nil {
		t.Fatalf("the archive does not open: %v", err)
	}
	var check string
	if err := db.SQL().QueryRow("PRAGMA integrity_check").Scan(&check); err != nil {
		t.Fatal(err)
	}
	db.Close()
	if check != "ok" {
		t.Errorf("integrity_check: %s", check)
	}
	for _, q := range []string{"kurultai", "referendum", "parliament", "speaker:tokayev"} {
		code, out, stderr := runCommand(t, home, "search", "--count", "--archive", path, q)
		if code != 0 && code != 1 {
			t.Fatalf("search %s: exit %d: %s", q, code, stderr)
		}
		state = append(state, q+" "+strings.TrimSpace(out))
	}
	return strings.Join(state, ", ")
}

func dirNames(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	sort.Strings(names)
	return names
}
