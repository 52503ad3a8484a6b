package data

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"kurultai/sessions"
	"kurultai/sessions/msg"
)

func parlamint(t testing.TB) string {
	t.Helper()
	dir := filepath.Join("..", "..", "shared", "testdata", "parlamint")
	if _, err := os.Stat(dir); err != nil {
		t.Skipf("ParlaMint samples not found at %s; skipping", dir)
	}
	return dir
}

// sampledRoots are the corpus roots of the sampled ParlaMint corpora (BG,
// GB and TR), whose counts the samples' README gives. The folder also
// holds the whole ES-GA sittings and GB's annotated twin of its 2017
// sitting (see TestImportAnnotatedTwin); they are not part of these
// counts.
func sampledRoots(dir string) []string {
	var out []string
	for _, c := range []string{"BG", "GB", "TR"} {
		out = append(out, filepath.Join(dir, "ParlaMint-"+c, "ParlaMint-"+c+".xml"))
	}
	return out
}

// An annotated sitting is its plain twin: one session with one id, the
// same words, whether both come in one import or one after the other.
func TestImportAnnotatedTwin(t *testing.T) {
	dir := parlamint(t)
	ctx := context.Background()
	d := MustOpen(t)
	var warnings []string
	rep, err := d.ImportFiles(ctx, []string{filepath.Join(dir, "ParlaMint-GB")}, ImportOptions{Warn: func(w msg.Text) { warnings = append(warnings, w.String()) }})
	if err != nil {
		t.Fatal(err)
	}
	st, _ := d.Stats(ctx)
	want := Stats{Sessions: 3, Speeches: 12, Speakers: 11, Paragraphs: 6 + 22 + 23, Words: 250 + 2294 + 2202}
	if st != want || rep.Added != 3 {
		t.Errorf("the GB folder, plain and annotated: stats %+v (added %d), want %+v", st, rep.Added, want)
	}
	if !slices.ContainsFunc(warnings, func(w string) bool { return strings.Contains(w, "1 sitting is here both plain and annotated") }) {
		t.Errorf("no word of the twin read once: %q", warnings)
	}

	d = MustOpen(t)
	plain := filepath.Join(dir, "ParlaMint-GB", "2017", "ParlaMint-GB_2017-09-07-commons.xml")
	ana := filepath.Join(dir, "ParlaMint-GB", "2017", "ParlaMint-GB_2017-09-07-commons.ana.xml")
	for i, f := range []string{plain, ana} {
		rep, err := d.ImportFiles(ctx, []string{f}, ImportOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if i == 1 && (rep.Added != 0 || rep.Updated+rep.Unchanged != 1) {
			t.Errorf("the annotated copy after the plain one: %+v, want it to update the plain one", rep)
		}
	}
	st, _ = d.Stats(ctx)
	if want := (Stats{Sessions: 1, Speeches: 4, Speakers: 4, Paragraphs: 6, Words: 250}); st != want {
		t.Errorf("plain, then annotated: stats %+v, want %+v", st, want)
	}
	rows, _ := d.Sessions(ctx, SessionQuery{})
	if len(rows) != 1 || rows[0].ID != "ParlaMint-GB_2017-09-07-commons" {
		t.Errorf("sessions %+v", rows)
	}
}

// Each sitting of the samples gives exactly the counts of their README.
func TestImportParlaMintCounts(t *testing.T) {
	dir := parlamint(t)
	cases := []struct {
		file, date, lang        string
		u, speakers, seg, words int64
	}{
		{"ParlaMint-BG/2017/ParlaMint-BG_2017-05-11.xml", "2017-05-11", "bg", 4, 2, 46, 567},
		{"ParlaMint-BG/2019/ParlaMint-BG_2019-10-03.xml", "2019-10-03", "bg", 4, 3, 35, 611},
		{"ParlaMint-BG/2022/ParlaMint-BG_2022-07-29.xml", "2022-07-29", "bg", 4, 3, 47, 1965},
		{"ParlaMint-GB/2017/ParlaMint-GB_2017-09-07-commons.xml", "2017-09-07", "en", 4, 4, 6, 250},
		{"ParlaMint-GB/2020/ParlaMint-GB_2020-02-12-lords.xml", "2020-02-12", "en", 4, 4, 22, 2294},
		{"ParlaMint-GB/2022/ParlaMint-GB_2022-07-21-commons.xml", "2022-07-21", "en", 4, 4, 23, 2202},
		{"ParlaMint-TR/2014/ParlaMint-TR_2014-12-11-tbmm-T24.xml", "2014-12-11", "tr", 4, 3, 266, 3049},
		{"ParlaMint-TR/2018/ParlaMint-TR_2018-11-01-tbmm-T27.xml", "2018-11-01", "tr", 4, 3, 14, 666},
		{"ParlaMint-TR/2022/ParlaMint-TR_2022-11-17-tbmm-T27.xml", "2022-11-17", "tr", 1, 1, 3, 40},
	}
	ctx := context.Background()
	for _, c := range cases {
		t.Run(filepath.Base(c.file), func(t *testing.T) {
			d := MustOpen(t)
			rep, err := d.ImportFiles(ctx, []string{filepath.Join(dir, c.file)}, ImportOptions{})
			if err != nil {
				t.Fatal(err)
			}
			st, _ := d.Stats(ctx)
			want := Stats{Sessions: 1, Speeches: c.u, Speakers: c.speakers, Paragraphs: c.seg, Words: c.words}
			if st != want || rep.Added != 1 {
				t.Fatalf("stats %+v, want %+v", st, want)
			}
			rows, _ := d.Sessions(ctx, SessionQuery{})
			if rows[0].Date != c.date || rows[0].Language != c.lang {
				t.Fatalf("date %s language %s, want %s %s", rows[0].Date, rows[0].Language, c.date, c.lang)
			}
		})
	}
	// The whole folder: roots read their sittings once, with warnings for
	// the files the samples leave out.
	d := MustOpen(t)
	var warnings []string
	rep, err := d.ImportFiles(ctx, sampledRoots(dir), ImportOptions{Warn: func(w msg.Text) { warnings = append(warnings, w.String()) }})
	if err != nil {
		t.Fatal(err)
	}
	st, _ := d.Stats(ctx)
	if rep.Files != 9 || st.Sessions != 9 || st.Speeches != 33 || st.Paragraphs != 462 || st.Words != 11644 {
		t.Fatalf("folder import: %d files, %+v", rep.Files, st)
	}
	if len(warnings) == 0 || !strings.Contains(strings.Join(warnings, "\n"), "listPerson") {
		t.Errorf("missing includes should be warnings that name them: %q", warnings)
	}
	// Speakers come from the -meta.tsv when listPerson is missing, whose
	// "Surname, Forename" is put in the order of every other path.
	doc, err := d.Document(ctx, "ParlaMint-GB_2017-09-07-commons.u1")
	if err != nil || doc.Speaker != "Stephen Nathan Kinnock" || doc.Role != "regular" {
		t.Fatalf("speaker from meta: %+v %v", doc, err)
	}
	// An utterance without who is an unknown speaker.
	doc, _ = d.Document(ctx, "ParlaMint-BG_2017-05-11.u110")
	if doc.Speaker != "" {
		t.Errorf("u110 has no who, got speaker %q", doc.Speaker)
	}
}

func TestImportIdempotentAndUpdates(t *testing.T) {
	ctx := context.Background()
	src := t.TempDir()
	copyDir(t, sessions.SampleFS(), src)
	d := MustOpen(t)
	rep, err := d.ImportFiles(ctx, []string{src}, ImportOptions{})
	if err != nil || rep.Added != 5 {
		t.Fatalf("first import: %+v %v", rep, err)
	}
	before, _ := d.ContentHash(ctx)
	rep, err = d.ImportFiles(ctx, []string{src}, ImportOptions{})
	if err != nil || rep.Added != 0 || rep.Updated != 0 || rep.Unchanged != 5 {
		t.Fatalf("second import should change nothing: %+v %v", rep, err)
	}
	if after, _ := d.ContentHash(ctx); after != before {
		t.Fatal("importing the same source twice changed the archive")
	}
	// A changed source updates in place.
	path := filepath.Join(src, "nk-2", "address.md")
	text, _ := os.ReadFile(path)
	os.WriteFile(path, []byte(strings.Replace(string(text), "Upbringing", "The upbringing", 1)), 0o644)
	rep, err = d.ImportFiles(ctx, []string{src}, ImportOptions{})
	if err != nil || rep.Updated != 1 || rep.Unchanged != 4 {
		t.Fatalf("changed source: %+v %v", rep, err)
	}
	doc, _ := d.Document(ctx, "nk-2/address")
	if !strings.HasPrefix(doc.Paragraphs[2].Text, "The upbringing") {
		t.Fatalf("not updated: %q", doc.Paragraphs[2].Text)
	}
	assertIntegrity(t, d)
	var fk int
	d.SQL().QueryRow("PRAGMA foreign_keys").Scan(&fk)
	if fk != 1 {
		t.Fatal("foreign keys must be back on after an import")
	}
}

func copyDir(t testing.TB, fsys fs.FS, dst string) {
	t.Helper()
	if err := os.CopyFS(dst, fsys); err != nil {
		t.Fatal(err)
	}
	// CopyFS keeps the embedded files' read-only modes.
	filepath.WalkDir(dst, func(p string, e fs.DirEntry, err error) error {
		if err == nil {
			os.Chmod(p, 0o755)
		}
		return nil
	})
}

// import(dump(A)) gives the same archive, in both formats, for the sample
// and for ParlaMint data.
func TestDumpRoundTrip(t *testing.T) {
	ctx := context.Background()
	a := MustOpen(t)
	all, _ := sessions.Sample()
	if err := a.Replace(ctx, "", all); err != nil {
		t.Fatal(err)
	}
	if dir := filepath.Join("..", "..", "shared", "testdata", "parlamint"); exists(dir) {
		if _, err := a.ImportFiles(ctx, sampledRoots(dir), ImportOptions{}); err != nil {
			t.Fatal(err)
		}
	} else {
		t.Log("ParlaMint samples not found; round trip of the sample only")
	}
	want, _ := a.RecordHash(ctx)
	out := t.TempDir()
	jsonPath := filepath.Join(out, "dump.json")
	f, _ := os.Create(jsonPath)
	jw, _ := sessions.NewJSONWriter(f)
	mdDir := filepath.Join(out, "md")
	os.Mkdir(mdDir, 0o755)
	mw := sessions.NewMarkdownWriter(mdDir)
	if err := a.EachSession(ctx, func(s *sessions.Session) error {
		if err := jw.Write(s); err != nil {
			return err
		}
		return mw.Write(s)
	}); err != nil {
		t.Fatal(err)
	}
	jw.Close()
	f.Close()
	for _, src := range []string{jsonPath, mdDir} {
		b := MustOpen(t)
		if _, err := b.ImportFiles(ctx, []string{src}, ImportOptions{}); err != nil {
			t.Fatalf("importing the dump %s: %v", filepath.Base(src), err)
		}
		if got, _ := b.RecordHash(ctx); got != want {
			sa, _ := a.Stats(ctx)
			sb, _ := b.Stats(ctx)
			t.Fatalf("import(dump) from %s differs: %+v vs %+v", filepath.Base(src), sa, sb)
		}
	}
}

func exists(p string) bool { _, err := os.Stat(p); return err == nil }

// Five sources, the third broken in one way or another: the import stops,
// names the file and line, and leaves the archive exactly as it was; with
// KeepGoing the four good ones are imported and the bad one listed.
func TestBadSourceLeavesArchiveUnchanged(t *testing.T) {
	ctx := context.Background()
	good := func(i int) string {
		return fmt.Sprintf(`{"kurultai": 1, "sessions": [{"id": "j-%d", "body": "B", "date": "2024-01-%02d", "title": "T%d",
  "speeches": [{"id": "j-%d/s", "title": "S", "paragraphs": [{"number": 1, "text": "one two"}]}]}]}`, i, i, i, i)
	}
	broken := map[string]struct{ name, text, want string }{
		"malformed json":   {"3.json", `{"kurultai": 1, "sessions": [{"id": "x",` + "\n" + `"title": }]}`, "3.json:2:"},
		"unknown field":    {"3.json", "{\"kurultai\": 1, \"sessions\": [\n{\"id\": \"x\", \"titel\": \"T\"}]}", `unknown field "titel"`},
		"impossible date":  {"3.json", "{\"kurultai\": 1, \"sessions\": [\n{\"id\": \"x\", \"date\": \"2023-02-29\", \"title\": \"T\"}]}", "3.json:2:1: session x: date \"2023-02-29\" is not a real date"},
		"duplicate id":     {"3.json", good(1), "session j-1 is given twice"},
		"invalid utf-8":    {"3.json", "{\"kurultai\": 1, \"sessions\": [\n{\"id\": \"x\", \"title\": \"\xff\"}]}", "3.json:2:23: the file is not valid UTF-8"},
		"bad front matter": {"3.md", "---\nkind: session\nid: m\ndate: 2024-01-01\ntitle: [x\n---\n", "3.md:"},
		"malformed xml":    {"3.xml", "<?xml version=\"1.0\"?>\n<TEI xmlns=\"http://www.tei-c.org/ns/1.0\" xml:id=\"X_1\">\n<text><body><u><seg>x</u></body></text></TEI>", "3.xml:3:26: malformed XML: <seg> is closed by </u>"},
		"speech id taken":  {"3.json", strings.Replace(good(3), `"j-3/s"`, `"j-1/s"`, 1), "speech id j-1/s is already used by session j-1"},
	}
	for name, b := range broken {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			for i := 1; i <= 5; i++ {
				os.WriteFile(filepath.Join(dir, fmt.Sprintf("%d.json", i)), []byte(good(i)), 0o644)
			}
			os.Remove(filepath.Join(dir, "3.json"))
			os.WriteFile(filepath.Join(dir, b.name), []byte(b.text), 0o644)
			d := MustOpen(t)
			all, _ := sessions.Sample()
			d.Replace(ctx, "sample", all)
			before, _ := d.ContentHash(ctx)
			_, err := d.ImportFiles(ctx, []string{dir}, ImportOptions{})
			if err == nil || !strings.Contains(err.Error(), b.want) {
				t.Fatalf("got %v, want an error containing %q", err, b.want)
			}
			if after, _ := d.ContentHash(ctx); after != before {
				t.Fatal("a failed import changed the archive")
			}
			rep, err := d.ImportFiles(ctx, []string{dir}, ImportOptions{KeepGoing: true})
			if err != nil {
				t.Fatal(err)
			}
			if len(rep.Failed) != 1 || !strings.Contains(rep.Failed[0].Err.Error(), b.want) {
				t.Fatalf("keep-going failures: %+v", rep.Failed)
			}
			st, _ := d.Stats(ctx)
			if rep.Added != 4 || st.Sessions != 9 {
				t.Fatalf("keep-going should import the four good files: %+v, %d sessions", rep.Counts, st.Sessions)
			}
		})
	}
}

func TestImportPlanErrors(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "notes.docx"), []byte("x"), 0o644)
	os.WriteFile(filepath.Join(dir, "list.xml"), []byte(`<listPerson xmlns="http://www.tei-c.org/ns/1.0"/>`), 0o644)
	d := MustOpen(t)
	for _, c := range []struct{ path, want string }{
		{filepath.Join(dir, "missing"), "no such file or folder"},
		{filepath.Join(dir, "notes.docx"), "not a format kurultai reads"},
		{filepath.Join(dir, "list.xml"), "root element <listPerson>"},
	} {
		_, err := d.ImportFiles(ctx, []string{c.path}, ImportOptions{})
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: got %v, want %q", filepath.Base(c.path), err, c.want)
		}
	}
	// In a folder, files of other kinds are warnings, not failures.
	var warned []string
	if _, err := d.ImportFiles(ctx, []string{dir}, ImportOptions{Warn: func(w msg.Text) { warned = append(warned, w.String()) }}); err != nil {
		t.Fatal(err)
	}
	if len(warned) != 1 || !strings.Contains(warned[0], "notes.docx") {
		t.Errorf("warnings: %q", warned)
	}
	// A cancelled import writes nothing.
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := d.ImportFiles(cctx, []string{parlamintOrSample(t)}, ImportOptions{}); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled import: %v", err)
	}
}

func parlamintOrSample(t *testing.T) string {
	dir := t.TempDir()
	copyDir(t, sessions.SampleFS(), dir)
	return dir
}

// A speech keeps its speaker's party on the day, and its side, from the
// -meta.tsv (GB) or from the lists of persons and organisations (ES-GA).
func TestImportPartyOnTheDay(t *testing.T) {
	dir := parlamint(t)
	ctx := context.Background()
	d := MustOpen(t)
	if _, err := d.ImportFiles(ctx, []string{filepath.Join(dir, "ParlaMint-GB"), filepath.Join(dir, "ParlaMint-ES-GA")}, ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	for id, want := range map[string][3]string{
		"ParlaMint-GB_2022-07-21-commons.u1":      {"LAB", "Labour", "opposition"},
		"ParlaMint-GB_2022-07-21-commons.u2":      {"CON", "Conservative", ""},
		"ParlaMint-ES-GA_2015-01-26-DSPGDP007.u1": {"PPdeG", "People's Party of Galicia", "coalition"},
	} {
		doc, err := d.Document(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if got := [3]string{doc.Party, doc.PartyName, doc.Side}; got != want {
			t.Errorf("%s: %q, want %q", id, got, want)
		}
	}
	// The session digests as it is given back: the party is kept.
	s, err := d.FullSession(ctx, "ParlaMint-GB_2022-07-21-commons")
	if err != nil {
		t.Fatal(err)
	}
	var have string
	d.SQL().QueryRowContext(ctx, "SELECT hash FROM sessions WHERE id = ?", s.ID).Scan(&have)
	if Hash(s) != have || s.Speeches[0].Speaker.Party != "LAB" || s.Speeches[0].Speaker.Gender != "M" {
		t.Errorf("given back: hash %s, kept %s; speaker %+v", Hash(s), have, s.Speeches[0].Speaker)
	}
}
