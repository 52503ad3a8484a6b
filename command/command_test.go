package command

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"kurultai/data"
	"kurultai/sessions"
	"kurultai/ui/cli"
)

// runCommand runs one command line with a private XDG_DATA_HOME.
func runCommand(t *testing.T, home string, args ...string) (int, string, string) {
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
	code := Run(context.Background(), args, cli.Env{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb, Getenv: getenv})
	return code, out.String(), errb.String()
}

func TestSessionsJSON(t *testing.T) {
	home := t.TempDir()
	code, out, stderr := runCommand(t, home, "sessions", "--json")
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
	code, out, _ = runCommand(t, home, "--archive", filepath.Join(home, "kurultai", "archive.db"), "sessions")
	if code != 0 || !strings.Contains(out, "Kyzylorda") || !strings.Contains(out, "Ulytau") {
		t.Errorf("sessions table: exit %d\n%s", code, out)
	}
}

func TestShow(t *testing.T) {
	home := t.TempDir()
	code, out, stderr := runCommand(t, home, "show", "nk-5/address", "--width", "60")
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
		if code, out, _ := runCommand(t, home, "show", id); code != 0 || len(out) < 100 {
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
		{[]string{"sessions", "--bogus"}, 2, "sessions has no flag --bogus"},
		{[]string{"--style", "neon", "sessions"}, 2, `--style "neon"`},
		{[]string{"frobnicate", "x"}, 2, `unknown command "frobnicate"`},
		{[]string{"sessions", "--archive", filepath.Join(home, "missing.db")}, 1, "no such file"},
		{[]string{"sessions", "--archive", bad}, 1, "not a kurultai archive: the file is not a database"},
		{[]string{"nk-5"}, 2, "needs a terminal"},
	}
	for _, c := range cases {
		code, out, stderr := runCommand(t, home, c.args...)
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
	code, out, _ := runCommand(t, t.TempDir(), "version")
	if code != 0 || !strings.HasPrefix(out, "kurultai ") {
		t.Errorf("version: %d %q", code, out)
	}
	code, out, _ = runCommand(t, t.TempDir(), "--help")
	if code != 0 || !strings.Contains(out, "Usage:") {
		t.Errorf("help: %d %q", code, out)
	}
}

// TestReadmeExample decodes the complete example in the README, so that the
// documented format is the one the code accepts.
func TestReadmeExample(t *testing.T) {
	readme, err := os.ReadFile(filepath.Join("..", "README.md"))
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

func TestImportStatsDumpGen(t *testing.T) {
	home := t.TempDir()
	arch := filepath.Join(home, "a.db")
	src := filepath.Join("..", "..", "shared", "testdata", "parlamint")
	if _, err := os.Stat(src); err != nil {
		t.Skipf("ParlaMint samples not found at %s; skipping", src)
	}
	// The roots of the sampled corpora, whose counts the samples' README
	// gives (the folder's ES-GA sittings and GB's annotated twin are not
	// among them).
	var roots []string
	for _, c := range []string{"BG", "GB", "TR"} {
		roots = append(roots, filepath.Join(src, "ParlaMint-"+c, "ParlaMint-"+c+".xml"))
	}
	code, out, stderr := runCommand(t, home, append([]string{"import", "--archive", arch, "--quiet"}, roots...)...)
	if code != 0 || !strings.Contains(out, "9 sessions added") || stderr != "" {
		t.Fatalf("import: exit %d\n%s\n%s", code, out, stderr)
	}
	code, out, _ = runCommand(t, home, "stats", "--json", "--archive", arch)
	var st map[string]int
	if err := json.Unmarshal([]byte(out), &st); err != nil || code != 0 {
		t.Fatalf("stats --json: %v\n%s", err, out)
	}
	want := map[string]int{"sessions": 9, "speeches": 33, "speakers": 26, "paragraphs": 462, "proposals": 0, "words": 11644}
	for k, v := range want {
		if st[k] != v {
			t.Errorf("stats %s = %d, want %d", k, st[k], v)
		}
	}
	// Again: nothing changes.
	if _, out, _ := runCommand(t, home, append([]string{"import", "--archive", arch, "--quiet"}, roots...)...); !strings.Contains(out, "0 sessions added, 0 updated, 9 unchanged") {
		t.Errorf("second import: %s", out)
	}
	dump := filepath.Join(home, "dump.json")
	if code, _, stderr := runCommand(t, home, "dump", "--archive", arch, "-o", dump); code != 0 {
		t.Fatalf("dump: %s", stderr)
	}
	md := filepath.Join(home, "md")
	if code, _, stderr := runCommand(t, home, "dump", "--archive", arch, "--format", "markdown", "-o", md); code != 0 {
		t.Fatalf("dump markdown: %s", stderr)
	}
	if code, _, stderr := runCommand(t, home, "dump", "--archive", arch, "--format", "markdown", "-o", md); code != 1 || !strings.Contains(stderr, "not empty") {
		t.Errorf("dumping into a full folder should be refused: %d %s", code, stderr)
	}
	for _, from := range []string{dump, md} {
		b := filepath.Join(t.TempDir(), "b.db")
		if code, _, stderr := runCommand(t, home, "import", "--quiet", "--archive", b, from); code != 0 {
			t.Fatalf("import %s: %s", from, stderr)
		}
		_, out, _ := runCommand(t, home, "stats", "--json", "--archive", b)
		var got map[string]int
		json.Unmarshal([]byte(out), &got)
		for k, v := range want {
			if got[k] != v {
				t.Errorf("import of %s: %s = %d, want %d", filepath.Base(from), k, got[k], v)
			}
		}
	}
	// Unwritable places give a clear error and leave nothing behind.
	ro := filepath.Join(home, "ro")
	os.Mkdir(ro, 0o555)
	if os.Geteuid() != 0 {
		if code, _, stderr := runCommand(t, home, "dump", "--archive", arch, "-o", filepath.Join(ro, "x.json")); code != 1 || !strings.Contains(stderr, "cannot write") {
			t.Errorf("unwritable dump: %d %s", code, stderr)
		}
	}
	gen := filepath.Join(home, "gen.db")
	code, out, stderr = runCommand(t, home, "gen", "--paragraphs", "3000", "--sessions", "20", "--seed", "7", "--out", gen)
	if code != 0 || !strings.Contains(out, "20 sessions") {
		t.Fatalf("gen: %d %s %s", code, out, stderr)
	}
	_, out, _ = runCommand(t, home, "stats", "--json", "--archive", gen)
	json.Unmarshal([]byte(out), &st)
	if st["paragraphs"] != 3000 || st["sessions"] != 20 {
		t.Errorf("gen stats: %v", st)
	}
	for _, args := range [][]string{
		{"gen", "--out", gen},
		{"gen", "--paragraphs", "5", "--sessions", "9", "--out", gen},
		{"gen", "--paragraphs", "5", "--format", "pdf", "--out", gen},
		{"import"},
		{"dump", "--format", "xml", "-o", "x"},
		{"dump"},
	} {
		if code, _, _ := runCommand(t, home, args...); code != 2 {
			t.Errorf("%v: exit %d, want 2", args, code)
		}
	}
}

func TestImportKeepGoingExit(t *testing.T) {
	home := t.TempDir()
	dir := filepath.Join(home, "src")
	os.Mkdir(dir, 0o755)
	os.WriteFile(filepath.Join(dir, "good.json"), []byte(`{"kurultai": 1, "sessions": [{"id": "g", "date": "2024-01-01", "title": "G"}]}`), 0o644)
	os.WriteFile(filepath.Join(dir, "bad.json"), []byte(`{"kurultai": 1, "sessions": [{"id": "b", "date": "2024-13-01", "title": "B"}]}`), 0o644)
	arch := filepath.Join(home, "a.db")
	code, _, stderr := runCommand(t, home, "import", "--quiet", "--archive", arch, dir)
	if code != 1 || !strings.Contains(stderr, "bad.json:1:") || !strings.Contains(stderr, "nothing was imported") {
		t.Errorf("bad source: exit %d, %q", code, stderr)
	}
	code, out, stderr := runCommand(t, home, "import", "--quiet", "--keep-going", "--archive", arch, dir)
	if code != 1 || !strings.Contains(out, "1 sessions added") || !strings.Contains(stderr, "bad.json") {
		t.Errorf("keep-going: exit %d\n%s\n%s", code, out, stderr)
	}
}

// TestImportInterrupted kills an import midway, with SIGKILL and with
// SIGINT, and checks that the archive is exactly as it was before.
func TestImportInterrupted(t *testing.T) {
	if os.Getenv("KURULTAI_IMPORT_CHILD") != "" {
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
		defer stop()
		os.Exit(Run(ctx, strings.Fields(os.Getenv("KURULTAI_IMPORT_CHILD")), cli.Env{Stdin: strings.NewReader(""), Stdout: os.Stdout, Stderr: os.Stderr, Getenv: os.Getenv}))
	}
	home := t.TempDir()
	corpus := filepath.Join(home, "corpus.json")
	if code, _, stderr := runCommand(t, home, "gen", "--paragraphs", "100000", "--sessions", "200", "--format", "json", "--out", corpus); code != 0 {
		t.Fatal(stderr)
	}
	for _, sig := range []os.Signal{os.Kill, os.Interrupt} {
		t.Run(sig.String(), func(t *testing.T) {
			arch := filepath.Join(t.TempDir(), "a.db")
			if code, _, stderr := runCommand(t, home, "import", "--quiet", "--archive", arch, filepath.Join("..", "sessions", "sample")); code != 0 {
				t.Fatal(stderr)
			}
			before := archiveHash(t, arch)
			cmd := exec.Command(os.Args[0], "-test.run", "^TestImportInterrupted$")
			cmd.Env = append(os.Environ(), "KURULTAI_IMPORT_CHILD=import --archive "+arch+" "+corpus, "HOME="+home)
			stderr := &bytes.Buffer{}
			cmd.Stderr = stderr
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			// Wait until the import is writing: the WAL grows.
			deadline := time.Now().Add(20 * time.Second)
			for time.Now().Before(deadline) {
				if st, err := os.Stat(arch + "-wal"); err == nil && st.Size() > 1<<20 {
					break
				}
				time.Sleep(5 * time.Millisecond)
			}
			cmd.Process.Signal(sig)
			err := cmd.Wait()
			if err == nil {
				t.Fatal("the import finished before it could be interrupted; make the corpus larger")
			}
			if sig == os.Interrupt && !strings.Contains(stderr.String(), "the archive is as it was") {
				t.Errorf("ctrl+c should say the archive is unchanged, got %q", stderr.String())
			}
			if after := archiveHash(t, arch); after != before {
				t.Fatalf("the archive changed after an interrupted import (%v)", sig)
			}
		})
	}
}

func archiveHash(t *testing.T, path string) string {
	t.Helper()
	db, err := data.Open(context.Background(), path, data.ReadOnly)
	if err != nil {
		t.Fatalf("the archive does not open: %v", err)
	}
	defer db.Close()
	h, err := db.ContentHash(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return h
}

// TestReadmeJSONExample decodes the JSON interchange example in the README.
func TestReadmeJSONExample(t *testing.T) {
	readme, _ := os.ReadFile(filepath.Join("..", "README.md"))
	text := string(readme)
	start := strings.Index(text, "```json\n")
	if start < 0 {
		t.Fatal("no JSON example in the README")
	}
	start += len("```json\n")
	end := strings.Index(text[start:], "\n```")
	var got []*sessions.Session
	err := sessions.DecodeJSON("README.md", strings.NewReader(text[start:start+end]), func(s *sessions.Session) error {
		got = append(got, s)
		return nil
	})
	if err != nil || len(got) != 1 || len(got[0].Speeches) != 1 || len(got[0].Proposals) != 1 {
		t.Fatalf("the README's JSON example does not decode: %v", err)
	}
}

func TestBookmarksAndExport(t *testing.T) {
	home := t.TempDir()
	if code, out, stderr := runCommand(t, home, "bookmarks", "add", "nk-5/address", "--para", "3-4", "--note", "the core", "--tag", "parliament", "--tag", "reform"); code != 0 || !strings.Contains(out, "bookmark 1") {
		t.Fatalf("add: %d %s %s", code, out, stderr)
	}
	runCommand(t, home, "bookmarks", "add", "nk-5/p8-commission-referendum", "--para", "1", "--tag", "referendum")
	code, out, _ := runCommand(t, home, "bookmarks", "list")
	if code != 0 || !strings.Contains(out, "nk-5/address ¶ 3–4") {
		t.Fatalf("list: %s", out)
	}
	for _, f := range []string{"md", "json", "csv", "csl-json", "bibtex", "ris"} {
		code, out, stderr := runCommand(t, home, "export", "--format", f)
		if code != 0 || !strings.Contains(out, "Tokayev") {
			t.Errorf("export %s: %d %s %s", f, code, out, stderr)
		}
	}
	if _, out, _ := runCommand(t, home, "export", "--tag", "referendum"); strings.Contains(out, "the core") || !strings.Contains(out, "Constitutional Commission") {
		t.Errorf("export --tag: %s", out)
	}
	file := filepath.Join(home, "mine.json")
	if code, _, stderr := runCommand(t, home, "export", "--format", "json", "-o", file); code != 0 {
		t.Fatal(stderr)
	}
	if code, out, _ := runCommand(t, home, "bookmarks", "import", file); code != 0 || !strings.Contains(out, "0 bookmarks added, 2 already here") {
		t.Errorf("import of an export should add nothing: %s", out)
	}
	// Unwritable places give a clear error and leave no partial file.
	if code, _, stderr := runCommand(t, home, "export", "-o", filepath.Join(home, "missing", "x.md")); code != 1 || !strings.Contains(stderr, "nothing was written") {
		t.Errorf("unwritable export: %d %s", code, stderr)
	}
	if code, _, _ := runCommand(t, home, "bookmarks", "rm", "1"); code != 0 {
		t.Error("rm")
	}
	if code, _, stderr := runCommand(t, home, "bookmarks", "rm", "1"); code != 2 || !strings.Contains(stderr, "not found") {
		t.Errorf("rm twice: %d %s", code, stderr)
	}
	for _, args := range [][]string{{"bookmarks"}, {"bookmarks", "add", "nk-5/address"}, {"bookmarks", "add", "nk-5/address", "--para", "0"},
		{"export", "--format", "docx"}, {"export", "--group", "year"}, {"bookmarks", "rm", "x"}} {
		if code, _, _ := runCommand(t, home, args...); code != 2 {
			t.Errorf("%v: exit %d, want 2", args, code)
		}
	}
}

// Two kurultai processes adding bookmarks at once lose nothing.
func TestBookmarksTwoWriters(t *testing.T) {
	if os.Getenv("KURULTAI_BOOKMARK_CHILD") != "" {
		for i := 0; i < 40; i++ {
			if code := Run(context.Background(), []string{"bookmarks", "add", "nk-5/address", "--para", "1", "--note", os.Getenv("KURULTAI_BOOKMARK_CHILD")},
				cli.Env{Stdin: strings.NewReader(""), Stdout: io.Discard, Stderr: os.Stderr, Getenv: os.Getenv}); code != 0 {
				os.Exit(code)
			}
		}
		os.Exit(0)
	}
	home := t.TempDir()
	runCommand(t, home, "sessions") // build the sample archive first
	var cmds []*exec.Cmd
	for _, who := range []string{"one", "two"} {
		cmd := exec.Command(os.Args[0], "-test.run", "^TestBookmarksTwoWriters$")
		cmd.Env = append(os.Environ(), "KURULTAI_BOOKMARK_CHILD="+who, "XDG_DATA_HOME="+home, "HOME="+home, "USER=")
		cmd.Stderr = os.Stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		cmds = append(cmds, cmd)
	}
	for _, c := range cmds {
		if err := c.Wait(); err != nil {
			t.Fatalf("a writer failed: %v", err)
		}
	}
	_, out, _ := runCommand(t, home, "bookmarks", "list", "--json")
	var list []map[string]any
	json.Unmarshal([]byte(out), &list)
	if len(list) != 80 {
		t.Fatalf("%d bookmarks, want 80", len(list))
	}
}

// Pandoc reads what export writes: the Markdown's citations resolve
// against the CSL-JSON with --citeproc.
func TestExportWithPandoc(t *testing.T) {
	pandoc, err := exec.LookPath("pandoc")
	if err != nil {
		t.Skip("pandoc is not installed (apt-get install pandoc; .ci/run installs it)")
	}
	home := t.TempDir()
	runCommand(t, home, "bookmarks", "add", "nk-5/address", "--para", "3-4", "--tag", "parliament")
	runCommand(t, home, "bookmarks", "add", "nk-1/address", "--para", "1")
	md, csl := filepath.Join(home, "passages.md"), filepath.Join(home, "refs.json")
	for _, x := range [][2]string{{"md", md}, {"csl-json", csl}} {
		if code, _, stderr := runCommand(t, home, "export", "--format", x[0], "-o", x[1]); code != 0 {
			t.Fatal(stderr)
		}
	}
	out, err := exec.Command(pandoc, md, "--citeproc", "--bibliography", csl, "-t", "plain").CombinedOutput()
	if err != nil {
		t.Fatalf("pandoc: %v\n%s", err, out)
	}
	text := string(out)
	if strings.Contains(text, "[@") || strings.Contains(text, "???") || !strings.Contains(text, "Kassym-Jomart Tokayev") {
		t.Fatalf("citations did not resolve:\n%s", text)
	}
	if flat := strings.ToLower(strings.Join(strings.Fields(text), " ")); !strings.Contains(flat, "address at the fifth meeting") {
		t.Fatalf("the bibliography lacks the address:\n%s", text)
	}
}
