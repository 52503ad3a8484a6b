package command

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"kurultai/server/sshtest"
)

// hostileDoc is an archive whose text tries to reach the terminal: an
// OSC 52 clipboard write, the end of bracketed paste followed by a
// command, a screen clear, C1 CSI and OSC, and a right-to-left override.
const hostileText = "Before \x1b]52;c;dG91Y2ggL3RtcC94Cg==\x07 paste \x1b[201~touch /tmp/x\n" +
	" clear \x1b[2J c1 \u009b31m osc \u009d0;title\u0007 bidi \u202egnp.exe and zero\u200bwidth tax"

func hostileArchive(t *testing.T) (home, archive string) {
	t.Helper()
	home = t.TempDir()
	archive = filepath.Join(home, "hostile.db")
	doc := map[string]any{"kurultai": 1, "sessions": []any{map[string]any{
		"id": "h-1", "body": "Test", "number": 1, "date": "2026-01-20", "place": "Place \u202eecalp",
		"title": "Title \x1b]0;pwned\x07", "summary": hostileText, "language": "en",
		"speeches": []any{map[string]any{"id": "h-1/s", "order": 1, "title": "Speech \x1b[2J",
			"speaker": map[string]any{"id": "x", "name": "Name \u202eeman", "person": map[string]any{
				"names": []any{map[string]any{"name": "Old \x1b]0;t\x07name", "to": "2020\x1b[2J"}, map[string]any{"name": "New \u202ename"}},
				"birth": "1970 \u009b31m", "birth_place": "Town \x1b]52;c;eA==\x07",
				"links": []any{map[string]any{"type": "URI \u202e", "url": "https://example.org/\x1b[2J"}},
				"affiliations": []any{map[string]any{"org": "o", "org_name": "Org \x1b]0;x\x07", "org_abbr": "O\u200bX",
					"role": "member \u009d0;t\u0007", "term": "Term \x1b[1A", "orientation": "CL\x1b[2J", "from": "2020"}},
			}}, "language": "en",
			"paragraphs": []any{map[string]any{"number": 1, "text": hostileText}}}},
	}}}
	b, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	src := filepath.Join(home, "hostile.json")
	if err := os.WriteFile(src, b, 0o644); err != nil {
		t.Fatal(err)
	}
	if code, _, stderr := runCommand(t, home, "import", "--quiet", "--archive", archive, src); code != 0 {
		t.Fatalf("import: %s", stderr)
	}
	return home, archive
}

// checkSafe fails if out holds anything a terminal would act on: any ESC
// other than SGR, C0 controls but newline, tab and CR, or C1 controls; and
// text output must show the override, JSON must keep it escaped.
func checkSafe(t *testing.T, what, out string, isJSON bool) {
	t.Helper()
	for i := 0; i < len(out); i++ {
		c := out[i]
		if c == 0x1b {
			end := strings.IndexByte(out[i:], 'm')
			if i+1 >= len(out) || out[i+1] != '[' || end < 0 || strings.Trim(out[i+2:i+end], "0123456789;:") != "" {
				t.Errorf("%s: an escape sequence other than SGR at byte %d: %q", what, i, out[i:min(len(out), i+20)])
			}
			continue
		}
		if c < 0x20 && c != '\n' && c != '\t' && c != '\r' || c == 0x7f {
			t.Errorf("%s: control byte %#x at %d", what, c, i)
		}
	}
	if strings.ContainsAny(out, "\u0080\u0085\u009b\u009d\u009c\u202e\u200b") {
		t.Errorf("%s: a C1, bidi or zero-width character reached the output", what)
	}
	if isJSON && !strings.Contains(out, `\u202e`) {
		t.Errorf("%s: JSON should keep the override, escaped", what)
	}
	if !isJSON && strings.Contains(out, "bidi") && !strings.Contains(out, "⟨U+202E⟩") {
		t.Errorf("%s: text output should show the override visibly", what)
	}
}

// TestEveryCommandOutputIsSafe runs the commands on the hostile archive,
// locally into pipes and over a real SSH connection without a PTY, and
// checks every byte of what they print.
func TestEveryCommandOutputIsSafe(t *testing.T) {
	home, archive := hostileArchive(t)
	if code, _, stderr := runCommand(t, home, "--archive", archive, "bookmarks", "add", "h-1/s", "--para", "1", "--note", "n \x1b]52;c;eA==\x07", "--tag", "t"); code != 0 {
		t.Fatal(stderr)
	}
	cmds := [][]string{
		{"sessions"}, {"sessions", "--json"}, {"show", "h-1"}, {"show", "h-1/s"}, {"search", "paste"},
		{"search", "paste", "--csv"}, {"search", "paste", "--json"}, {"bookmarks", "list"}, {"bookmarks", "list", "--json"},
		{"speaker", "x"}, {"speaker", "x", "--json"},
		{"trend", "paste", "--by", "session"}, {"trend", "paste", "--csv"}, {"trend", "paste", "--json", "--by", "session"},
		{"who", "paste", "--min-words", "0"}, {"who", "paste", "--csv", "--min-words", "0"}, {"who", "paste", "--json", "--min-words", "0"},
		{"kwic", "paste"}, {"kwic", "paste", "--csv"}, {"kwic", "paste", "--json"},
		{"keywords", "session:h-1 \x1b]0;x\x07", "--min-freq", "1"}, {"keywords", "session:h-1", "--min-freq", "1", "--csv"},
		{"keywords", "session:h-1", "--min-freq", "1", "--json"},
		{"collocates", "paste", "--min-freq", "1"}, {"collocates", "paste", "--min-freq", "1", "--csv"},
		{"collocates", "paste", "--min-freq", "1", "--json"},
	}
	for _, f := range []string{"md", "json", "csv", "csl-json", "bibtex", "ris"} {
		cmds = append(cmds, []string{"export", "--format", f})
	}
	for _, args := range cmds {
		code, out, stderr := runCommand(t, home, append(args, "--archive", archive)...)
		if code != 0 {
			t.Errorf("%v: exit %d: %s", args, code, stderr)
			continue
		}
		// (A trend's JSON holds no text of the archive's but ids and
		// dates, so no override to keep; keywords and collocates hold
		// words, which an override ends.)
		words := args[0] == "keywords" || args[0] == "collocates"
		isJSON := strings.Contains(strings.Join(args, " "), "json") && args[0] != "trend" && !words
		if args[0] == "collocates" && len(out) < 40 {
			t.Errorf("%v: no rows: %q", args, out)
		}
		checkSafe(t, strings.Join(args, " "), strings.ReplaceAll(out, "bidi", "b·idi"), isJSON)
		checkSafe(t, strings.Join(args, " ")+" (stderr)", stderr, false)
	}

	// Over SSH, without a PTY, as scripts run commands.
	rs := startRemoteOn(t, archive)
	c := rs.connect(t, sshtest.NewKey(t))
	for _, cmd := range []string{"sessions", "sessions --json", "show h-1", "show h-1/s", "search paste", "search paste --csv",
		"search paste --json", "export --format md", "stats", "trend paste --by session", "who paste --min-words 0", "kwic paste",
		"keywords session:h-1 --min-freq 1", "collocates paste --min-freq 1", "collocates paste --min-freq 1 --csv"} {
		out, errs, status := sshtest.Run(t, c, cmd)
		if status != 0 {
			t.Errorf("over SSH %q: status %d %q", cmd, status, errs)
		}
		checkSafe(t, "ssh "+cmd, out, strings.Contains(cmd, "json"))
		checkSafe(t, "ssh "+cmd+" (stderr)", errs, false)
	}
}
