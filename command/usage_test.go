package command

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestReadmeUsage: the command list in the README is the table's, so the
// two cannot drift apart.
func TestReadmeUsage(t *testing.T) {
	readme, err := os.ReadFile(filepath.Join("..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	if err := printUsage(local, &b, nil); err != nil {
		t.Fatal(err)
	}
	help := b.String()
	want := help[strings.Index(help, "Usage:\n")+len("Usage:\n") : strings.Index(help, "\nFlags for every command:")]
	s := string(readme)
	start := strings.Index(s, "## Using it\n")
	if start < 0 {
		t.Fatal("the README has no section 'Using it'")
	}
	from := strings.Index(s[start:], "```\n") + start + 4
	to := strings.Index(s[from:], "```\n") + from
	if got := s[from:to]; got != want {
		t.Errorf("the README's command list differs from kurultai --help; it should read:\n%s", want)
	}
}

// TestHelpFromTable: every command's --help names each of its flags, and
// unknown flags and missing values are usage errors (exit 2).
func TestHelpFromTable(t *testing.T) {
	home := t.TempDir()
	for _, c := range commands {
		if c.Name == "" || c.Name == "help" {
			continue
		}
		code, out, _ := runCommand(t, home, c.Name, "--help")
		if code != 0 || !strings.HasPrefix(out, "Usage: kurultai "+c.Name) {
			t.Errorf("%s --help: exit %d %q", c.Name, code, out)
		}
		for _, f := range c.Flags {
			if !strings.Contains(out, dashed(f.Name)) {
				t.Errorf("%s --help does not name %s", c.Name, dashed(f.Name))
			}
		}
		for _, l := range strings.Split(out, "\n") {
			if len([]rune(l)) > 80 {
				t.Errorf("%s --help has a line of %d: %q", c.Name, len([]rune(l)), l)
			}
		}
	}
	// The search help teaches the query language.
	if _, out, _ := runCommand(t, home, "search", "--help"); !strings.Contains(out, "The search language") ||
		!strings.Contains(out, "kind:speech|proposal") || !strings.Contains(out, `"quoted" is a phrase`) {
		t.Errorf("search --help lacks the query language:\n%s", out)
	}
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"search", "x", "--limit"}, "--limit needs a value"},
		{[]string{"search", "x", "--limit", "many"}, `--limit "many": not a valid value`},
		{[]string{"export", "--nope"}, "export has no flag --nope"},
		{[]string{"show", "--", "--width", "5"}, "show takes one id"},
		{[]string{"--json", "sessions"}, "no flag --json before the command"},
	}
	for _, c := range cases {
		code, out, stderr := runCommand(t, home, c.args...)
		if code != 2 || out != "" || !strings.Contains(stderr, c.want) {
			t.Errorf("%v: exit %d, %q; want 2 and %q", c.args, code, stderr, c.want)
		}
	}
	// A value that looks like a flag is still the value.
	if code, _, stderr := runCommand(t, home, "search", "--order", "date", "--limit", "3", "--", "--json"); code > 1 {
		t.Errorf("search -- --json: exit %d %s", code, stderr)
	}
}

// TestNoOverwriteWithoutForce: -o and --out never replace a file unless
// --force is given.
func TestNoOverwriteWithoutForce(t *testing.T) {
	home := t.TempDir()
	for _, tc := range []struct {
		name string
		args []string
	}{
		{"e.md", []string{"export", "-o"}},
		{"d.json", []string{"dump", "-o"}},
		{"g.db", []string{"gen", "--paragraphs", "5", "--out"}},
	} {
		path := filepath.Join(home, tc.name)
		if err := os.WriteFile(path, []byte("keep"), 0o644); err != nil {
			t.Fatal(err)
		}
		code, _, stderr := runCommand(t, home, append(tc.args, path)...)
		if b, _ := os.ReadFile(path); code != 2 || string(b) != "keep" || !strings.Contains(stderr, "pass --force") {
			t.Errorf("%v over a file: exit %d %q, file now %q", tc.args, code, stderr, b)
		}
		if code, _, stderr := runCommand(t, home, append(tc.args, path, "--force")...); code != 0 {
			t.Errorf("%v --force: exit %d %q", tc.args, code, stderr)
		}
		if b, _ := os.ReadFile(path); string(b) == "keep" {
			t.Errorf("%v --force did not replace the file", tc.args)
		}
	}
}
