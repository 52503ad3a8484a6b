package cli_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"kurultai/command"
	"kurultai/ui/cli"
)

// run runs one command line with a private home and data folder.
func run(t *testing.T, home string, args ...string) (int, string) {
	t.Helper()
	var out, errb bytes.Buffer
	getenv := func(k string) string {
		if k == "HOME" || k == "XDG_DATA_HOME" {
			return home
		}
		return ""
	}
	code := command.Run(context.Background(), args, cli.Env{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb, Getenv: getenv})
	return code, out.String() + errb.String()
}

// TestOutFolder: -o or --out naming a folder, existing or ending in a
// slash, writes a named file inside it, says which, and still replaces
// nothing without --force; a folder that does not exist is made.
func TestOutFolder(t *testing.T) {
	home := t.TempDir()
	dir := filepath.Join(home, "out")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		args []string
		want string // the file written, under home
	}{
		{[]string{"export", "-o", dir}, "out/kurultai-bookmarks.md"},
		{[]string{"export", "--format", "bibtex", "-o", dir + "/"}, "out/kurultai-bookmarks.bib"},
		{[]string{"export", "--format", "csl-json", "-o", filepath.Join(home, "new") + "/"}, "new/kurultai-bookmarks.csl.json"},
		{[]string{"export", "-o", filepath.Join(home, "missing", "deeper", "x.md")}, "missing/deeper/x.md"},
		{[]string{"dump", "-o", dir}, "out/kurultai-dump.json"},
		{[]string{"gen", "--paragraphs", "5", "--out", dir}, "out/kurultai-gen.db"},
		{[]string{"gen", "--paragraphs", "5", "--format", "json", "--out", dir + "/"}, "out/kurultai-gen.json"},
	} {
		want := filepath.Join(home, filepath.FromSlash(tc.want))
		code, msg := run(t, home, tc.args...)
		if code != 0 {
			t.Fatalf("%v: exit %d: %s", tc.args, code, msg)
		}
		if _, err := os.Stat(want); err != nil {
			t.Errorf("%v: %v", tc.args, err)
		}
		if !strings.Contains(msg, want) {
			t.Errorf("%v: the message does not name %s: %q", tc.args, want, msg)
		}
		if err := os.WriteFile(want, []byte("keep"), 0o644); err != nil {
			t.Fatal(err)
		}
		code, msg = run(t, home, tc.args...)
		if b, _ := os.ReadFile(want); code != 2 || string(b) != "keep" || !strings.Contains(msg, want+" exists") {
			t.Errorf("%v again: exit %d %q, file now %q", tc.args, code, msg, b)
		}
		if code, msg := run(t, home, append(tc.args, "--force")...); code != 0 {
			t.Errorf("%v --force: exit %d %q", tc.args, code, msg)
		}
		if b, _ := os.ReadFile(want); string(b) == "keep" {
			t.Errorf("%v --force did not replace %s", tc.args, want)
		}
	}
}

// TestOutFolderFormats: markdown writes a folder of its own, so a folder
// given to it is the output itself, not a place for a file.
func TestOutFolderFormats(t *testing.T) {
	home := t.TempDir()
	dir := filepath.Join(home, "md")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if code, msg := run(t, home, "dump", "--format", "markdown", "-o", dir); code != 0 {
		t.Fatalf("exit %d: %s", code, msg)
	}
	if entries, _ := os.ReadDir(dir); len(entries) == 0 {
		t.Fatal("the dump is not in the folder given")
	}
}
