package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"kurultai/sessions"
)

// cli runs one command line with a private XDG_DATA_HOME.
func cli(t *testing.T, home string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	getenv := func(k string) string {
		switch k {
		case "XDG_DATA_HOME":
			return home
		case "HOME":
			return home
		}
		return ""
	}
	code := run(context.Background(), args, env{strings.NewReader(""), &out, &errb, getenv})
	return code, out.String(), errb.String()
}

func TestSessionsJSON(t *testing.T) {
	home := t.TempDir()
	code, out, stderr := cli(t, home, "sessions", "--json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var rows []map[string]any
	if err := json.Unmarshal([]byte(out), &rows); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	if len(rows) != 5 {
		t.Fatalf("%d sessions", len(rows))
	}
	for _, field := range []string{"id", "number", "date", "place", "title", "speeches", "proposals"} {
		if _, ok := rows[0][field]; !ok {
			t.Errorf("JSON lacks %q", field)
		}
	}
	if rows[0]["id"] != "nk-5" || rows[0]["date"] != "2026-01-20" || rows[0]["proposals"] != float64(8) {
		t.Errorf("first row: %v", rows[0])
	}
	if _, err := os.Stat(filepath.Join(home, "kurultai", "archive.db")); err != nil {
		t.Errorf("the sample archive was not built in XDG_DATA_HOME: %v", err)
	}
	// The text table too, with the flag before the command's arguments.
	code, out, _ = cli(t, home, "--archive", filepath.Join(home, "kurultai", "archive.db"), "sessions")
	if code != 0 || !strings.Contains(out, "Kyzylorda") || !strings.Contains(out, "Ulytau") {
		t.Errorf("sessions table: exit %d\n%s", code, out)
	}
}

func TestShow(t *testing.T) {
	home := t.TempDir()
	code, out, stderr := cli(t, home, "show", "nk-5/address", "--width", "60")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if strings.Contains(out, "\x1b") {
		t.Error("show to a pipe must be plain text")
	}
	for _, want := range []string{"Address at the fifth meeting", "¶ 13", "Kassym-Jomart Tokayev", "language: en", "145 deputies"} {
		if !strings.Contains(out, want) {
			t.Errorf("show lacks %q", want)
		}
	}
	for _, l := range strings.Split(out, "\n") {
		if len([]rune(l)) > 60 {
			t.Errorf("line wider than --width 60: %q", l)
		}
	}
	for _, id := range []string{"nk-1", "nk-5/p8-commission-referendum"} {
		if code, out, _ := cli(t, home, "show", id); code != 0 || len(out) < 100 {
			t.Errorf("show %s: exit %d", id, code)
		}
	}
}

func TestCommandErrors(t *testing.T) {
	home := t.TempDir()
	bad := filepath.Join(home, "bad.db")
	os.WriteFile(bad, []byte(strings.Repeat("this is not a database ", 200)), 0o644)
	cases := []struct {
		args []string
		code int
		want string
	}{
		{[]string{"show", "nk-99"}, 2, `no session, speech or proposal has the id "nk-99"`},
		{[]string{"show"}, 2, "show takes one id"},
		{[]string{"show", "nk-1", "--width", "5"}, 2, "--width 5"},
		{[]string{"sessions", "--bogus"}, 2, "flag provided but not defined: -bogus"},
		{[]string{"--style", "neon", "sessions"}, 2, `--style "neon"`},
		{[]string{"frobnicate", "x"}, 2, `unknown command "frobnicate"`},
		{[]string{"sessions", "--archive", filepath.Join(home, "missing.db")}, 1, "no such file"},
		{[]string{"sessions", "--archive", bad}, 1, "not a kurultai archive: the file is not a database"},
		{[]string{"nk-5"}, 2, "needs a terminal"},
	}
	for _, c := range cases {
		code, out, stderr := cli(t, home, c.args...)
		if code != c.code || !strings.Contains(stderr, c.want) {
			t.Errorf("%v: exit %d, stderr %q; want exit %d and %q", c.args, code, stderr, c.code, c.want)
		}
		if strings.Count(strings.TrimSpace(stderr), "\n") > 0 {
			t.Errorf("%v: error should be one line, got %q", c.args, stderr)
		}
		if out != "" {
			t.Errorf("%v: nothing should reach stdout on error, got %q", c.args, out)
		}
	}
}

func TestVersionAndHelp(t *testing.T) {
	code, out, _ := cli(t, t.TempDir(), "version")
	if code != 0 || !strings.HasPrefix(out, "kurultai ") {
		t.Errorf("version: %d %q", code, out)
	}
	code, out, _ = cli(t, t.TempDir(), "--help")
	if code != 0 || !strings.Contains(out, "Usage:") {
		t.Errorf("help: %d %q", code, out)
	}
}

// TestReadmeExample decodes the complete example in the README, so that the
// documented format is the one the code accepts.
func TestReadmeExample(t *testing.T) {
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	fsys := fstest.MapFS{}
	parts := strings.Split(string(readme), "\n`nk-5/")
	for _, part := range parts[1:] {
		name := "nk-5/" + part[:strings.Index(part, "`")]
		start := strings.Index(part, "```markdown\n") + len("```markdown\n")
		end := strings.Index(part[start:], "\n```")
		fsys[name] = &fstest.MapFile{Data: []byte(part[start : start+end+1])}
	}
	if len(fsys) != 3 {
		t.Fatalf("found %d example files in the README, want 3", len(fsys))
	}
	all, err := sessions.DecodeMarkdownFS(fsys, ".")
	if err != nil {
		t.Fatalf("the README example does not decode: %v", err)
	}
	if len(all) != 1 || len(all[0].Speeches) != 1 || len(all[0].Proposals) != 1 {
		t.Fatalf("README example decoded as %+v", all)
	}
}
