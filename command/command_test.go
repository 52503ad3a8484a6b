package command

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
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
		if len([]rune(l)) > 60 && !strings.HasPrefix(strings.TrimSpace(l), "https://") { // an address is never cut in two
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

// TestReadmeExample decodes the complete example in docs/archive-format.md,
// so that the documented format is the one the code accepts.
func TestReadmeExample(t *testing.T) {
	readme, err := os.ReadFile(filepath.Join("..", "docs", "archive-format.md"))
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
		t.Fatalf("found %d example files in docs/archive-format.md, want 3", len(fsys))
	}
	all, err := sessions.DecodeMarkdownFS(fsys, ".")
	if err != nil {
		t.Fatalf("the example of docs/archive-format.md does not decode: %v", err)
	}
	if len(all) != 1 || len(all[0].Speeches) != 1 || len(all[0].Proposals) != 1 {
		t.Fatalf("the example of docs/archive-format.md decoded as %+v", all)
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
	if code != 1 || !strings.Contains(out, "1 session added") || !strings.Contains(stderr, "bad.json") {
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

// TestReadmeJSONExample decodes the JSON interchange example in
// docs/archive-format.md.
func TestReadmeJSONExample(t *testing.T) {
	readme, _ := os.ReadFile(filepath.Join("..", "docs", "archive-format.md"))
	text := string(readme)
	start := strings.Index(text, "```json\n")
	if start < 0 {
		t.Fatal("no JSON example in docs/archive-format.md")
	}
	start += len("```json\n")
	end := strings.Index(text[start:], "\n```")
	var got []*sessions.Session
	err := sessions.DecodeJSON("archive-format.md", strings.NewReader(text[start:start+end]), func(s *sessions.Session) error {
		got = append(got, s)
		return nil
	})
	if err != nil || len(got) != 1 || len(got[0].Speeches) != 1 || len(got[0].Proposals) != 1 {
		t.Fatalf("the JSON example of docs/archive-format.md does not decode: %v", err)
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
	// Unwritable places give a clear error and leave no partial file. (A
	// missing folder is made; one under a file cannot be.)
	if code, _, stderr := runCommand(t, home, "export", "-o", filepath.Join(file, "x.md")); code != 1 || !strings.Contains(stderr, "nothing was written") {
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

// Two kurultai processes adding the same 40 bookmarks at once lose
// nothing and keep none twice.
func TestBookmarksTwoWriters(t *testing.T) {
	if os.Getenv("KURULTAI_BOOKMARK_CHILD") != "" {
		n := 0
		for from := 1; from <= 9 && n < 40; from++ {
			for to := from; to <= 9 && n < 40; to++ {
				n++
				if code := Run(context.Background(), []string{"bookmarks", "add", "nk-5/address", "--para", fmt.Sprintf("%d-%d", from, to), "--note", os.Getenv("KURULTAI_BOOKMARK_CHILD")},
					cli.Env{Stdin: strings.NewReader(""), Stdout: io.Discard, Stderr: os.Stderr, Getenv: os.Getenv}); code != 0 {
					os.Exit(code)
				}
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
	if len(list) != 40 {
		t.Fatalf("%d bookmarks, want 40", len(list))
	}
}

// Pandoc reads what export writes: the Markdown's citations resolve
// against the CSL-JSON with --citeproc, the author in parts (family name
// first in the bibliography, alone in the citation), a proposal under the
// person who made it, and a Kazakh title as written (no English title
// case).
func TestExportWithPandoc(t *testing.T) {
	pandoc, err := exec.LookPath("pandoc")
	if err != nil {
		t.Skip("pandoc is not installed (apt-get install pandoc; .ci/run installs it)")
	}
	home := t.TempDir()
	runCommand(t, home, "bookmarks", "add", "nk-5/address", "--para", "3-4", "--tag", "parliament")
	runCommand(t, home, "bookmarks", "add", "nk-1/address", "--para", "1")
	runCommand(t, home, "bookmarks", "add", "nk-5/p8-commission-referendum", "--para", "1")
	runCommand(t, home, "bookmarks", "add", "nk-5/address-kk", "--para", "2")
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
	flat := strings.Join(strings.Fields(text), " ")
	if !strings.Contains(strings.ToLower(flat), "address at the fifth meeting") {
		t.Fatalf("the bibliography lacks the address:\n%s", text)
	}
	for _, want := range []string{
		"Tokayev, Kassym-Jomart. 2022", // the bibliography: family, given
		"(Tokayev 2026", "paras. 3–4)", // the citation: the family name and the locator
		"Constitutional Commission and a National Referendum", // the proposal, under his name
		"“Бесінші отырыста сөйлеген сөзі",                     // kk: left as written
	} {
		if !strings.Contains(flat, want) {
			t.Errorf("pandoc's rendering lacks %q:\n%s", want, text)
		}
	}

}

// A document's key is the same in every export, whatever the filters keep
// with it; the bibliographies carry one entry a document, and notes only
// with --notes.
func TestExportKeysAreTheDocuments(t *testing.T) {
	home := t.TempDir()
	for _, a := range [][]string{
		{"nk-5/address", "3-4", "parliament", "private thought"}, {"nk-5/address", "7", "referendum", ""},
		{"nk-5/p8-commission-referendum", "1", "referendum", ""}, {"nk-1/address", "1", "parliament", ""},
	} {
		args := []string{"bookmarks", "add", a[0], "--para", a[1], "--tag", a[2]}
		if a[3] != "" {
			args = append(args, "--note", a[3])
		}
		if code, _, stderr := runCommand(t, home, args...); code != 0 {
			t.Fatalf("%v: %s", args, stderr)
		}
	}
	keys := map[string]string{} // document title -> key, across all exports
	for _, filter := range [][]string{nil, {"--tag", "parliament"}, {"--tag", "referendum"}, {"--session", "nk-5"}, {"--session", "nk-1"}} {
		code, out, stderr := runCommand(t, home, append([]string{"export", "--format", "csl-json"}, filter...)...)
		if code != 0 {
			t.Fatalf("export %v: %d %s", filter, code, stderr)
		}
		var items []struct{ ID, Title, Note, Annote string }
		if err := json.Unmarshal([]byte(out), &items); err != nil {
			t.Fatal(err)
		}
		ids := map[string]bool{}
		for _, it := range items {
			if ids[it.ID] {
				t.Errorf("export %v: two entries for %s", filter, it.ID)
			}
			ids[it.ID] = true
			if k, ok := keys[it.Title]; ok && k != it.ID {
				t.Errorf("export %v: %q has the key %s, elsewhere %s", filter, it.Title, it.ID, k)
			}
			keys[it.Title] = it.ID
			if strings.Contains(it.Note+it.Annote, "private") {
				t.Errorf("export %v: the note is in the CSL without --notes: %+v", filter, it)
			}
		}
	}
	if len(keys) != 3 {
		t.Errorf("keys %v, want three documents", keys)
	}
	_, md, _ := runCommand(t, home, "export")
	for _, c := range []string{"[@tokayev2026nk5, para. 3–4]", "[@tokayev2026nk5, para. 7]"} {
		if !strings.Contains(md, c) {
			t.Errorf("the Markdown lacks %s:\n%s", c, md)
		}
	}
	if _, out, _ := runCommand(t, home, "export", "--format", "bibtex", "--notes"); !strings.Contains(out, "annote = {¶ 3–4: private thought}") {
		t.Errorf("bibtex --notes:\n%s", out)
	}
	if _, out, _ := runCommand(t, home, "export", "--format", "ris"); strings.Contains(out, "private") {
		t.Errorf("ris without --notes carries the note:\n%s", out)
	}
}

// bookmarks list --json carries each bookmark's whole citation and its
// state; adding a kept passage again changes nothing; numbers are not
// given twice; and the exit statuses follow the rule: 2 for what cannot
// be, 1 for nothing found.
func TestBookmarksListAddAgainAndExits(t *testing.T) {
	home := t.TempDir()
	runCommand(t, home, "bookmarks", "add", "nk-5/address", "--para", "3-4", "--tag", "parliament")
	runCommand(t, home, "bookmarks", "add", "nk-5/p8-commission-referendum", "--para", "1")
	code, out, stderr := runCommand(t, home, "bookmarks", "add", "nk-5/address", "--para", "3-4", "--note", "again")
	if code != 0 || !strings.Contains(out, "bookmark 1 already keeps nk-5/address, ¶ 3–4; nothing changed") {
		t.Errorf("adding again: %d %q %q", code, out, stderr)
	}
	_, out, _ = runCommand(t, home, "bookmarks", "list", "--json")
	var list []struct {
		ID       int64
		Note     string
		State    string
		Citation map[string]any
	}
	if err := json.Unmarshal([]byte(out), &list); err != nil {
		t.Fatal(err)
	}
	if len(list) != 2 || list[0].Note != "" || list[0].State != "ok" {
		t.Fatalf("list --json: %s", out)
	}
	c := list[0].Citation
	for _, f := range []string{"key", "title", "author", "body", "session", "number", "place", "date", "from", "to", "url"} {
		if v, ok := c[f]; !ok || v == "" || v == float64(0) {
			t.Errorf("citation.%s is %v in %v", f, v, c)
		}
	}
	if c["key"] != "tokayev2026nk5" || c["from"] != float64(3) || c["to"] != float64(4) || c["number"] != float64(5) {
		t.Errorf("citation %v", c)
	}
	if p := list[1].Citation; p["author"] != c["author"] || p["url"] != c["url"] || p["key"] == c["key"] {
		t.Errorf("the proposal's citation %v", p)
	}
	// The last number removed is not given again.
	runCommand(t, home, "bookmarks", "rm", "2")
	if _, out, _ := runCommand(t, home, "bookmarks", "add", "nk-5/address", "--para", "5"); !strings.Contains(out, "bookmark 3:") {
		t.Errorf("after rm 2 the next bookmark is %q, want 3", out)
	}
	for _, tc := range []struct {
		args []string
		code int
		say  string
	}{
		{[]string{"bookmarks", "add", "nk-5/address", "--para", "400"}, 2, "¶ 400 is not among them"},
		{[]string{"bookmarks", "add", "nk-5/address", "--para", "0"}, 2, ""},
		{[]string{"bookmarks", "add", "nk-9/nothing", "--para", "1"}, 2, "nk-9/nothing"},
		{[]string{"bookmarks", "add", "nk-5", "--para", "1"}, 2, "nk-5 is a session, not a speech or proposal"},
		{[]string{"export", "--session", "nk-9"}, 2, `"nk-9"`},
		{[]string{"export", "--session", "nk-5/address"}, 2, "not a session"},
		{[]string{"export", "--tag", "nosuch"}, 1, "nothing matched"},
		{[]string{"export", "--session", "nk-2"}, 1, "nothing matched"},
	} {
		code, out, stderr := runCommand(t, home, tc.args...)
		if code != tc.code || !strings.Contains(stderr, tc.say) || out != "" {
			t.Errorf("%v: exit %d, %q %q; want %d and %q", tc.args, code, out, stderr, tc.code, tc.say)
		}
	}
}

// A passage whose text has left the archive is listed and exported as
// orphaned, citing no paragraph; one whose text moved cites where it is.
func TestOrphanedBookmarksCiteNoParagraphs(t *testing.T) {
	home := t.TempDir()
	dir := t.TempDir()
	write := func(body string) string {
		path := filepath.Join(dir, "r-1.json")
		os.WriteFile(path, []byte(`{"kurultai":1,"sessions":[{"id":"r-1","body":"B","number":1,"date":"2024-01-01","place":"P","title":"T","language":"en",
			"speeches":[{"id":"r-1/s","order":1,"title":"S","language":"en","speaker":{"id":"x","name":"Ann Example"},"paragraphs":[`+body+`]}]}]}`), 0o644)
		return path
	}
	arch := filepath.Join(home, "a.db")
	if code, _, stderr := runCommand(t, home, "import", "--quiet", "--archive", arch, write(`{"number":1,"text":"Alpha one two."},{"number":2,"text":"Beta three four."},{"number":3,"text":"Gamma five six."}`)); code != 0 {
		t.Fatal(stderr)
	}
	runCommand(t, home, "bookmarks", "add", "--archive", arch, "r-1/s", "--para", "3")
	runCommand(t, home, "bookmarks", "add", "--archive", arch, "r-1/s", "--para", "2")
	if code, _, stderr := runCommand(t, home, "import", "--quiet", "--archive", arch, write(`{"number":1,"text":"Beta three four."},{"number":2,"text":"Delta."}`)); code != 0 {
		t.Fatal(stderr)
	}
	_, out, _ := runCommand(t, home, "bookmarks", "list", "--archive", arch)
	if !strings.Contains(out, "r-1/s [orphaned") || strings.Contains(out, "¶ 3") || !strings.Contains(out, "r-1/s ¶ 1 [moved]") {
		t.Errorf("list:\n%s", out)
	}
	for _, f := range []string{"md", "csv", "csl-json", "bibtex", "ris"} {
		_, out, _ := runCommand(t, home, "export", "--archive", arch, "--format", f)
		if strings.Contains(out, "¶ 3") || strings.Contains(out, "para. 3") || strings.Contains(out, "¶ 2") || strings.Contains(out, "para. 2") {
			t.Errorf("export %s cites a paragraph the archive does not hold:\n%s", f, out)
		}
	}
	_, out, _ = runCommand(t, home, "bookmarks", "list", "--archive", arch, "--json")
	if !strings.Contains(out, `"state": "orphaned"`) || !strings.Contains(out, `"state": "moved"`) {
		t.Errorf("list --json:\n%s", out)
	}
}
