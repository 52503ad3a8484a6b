package data

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"kurultai/sessions"
	"kurultai/sessions/msg"
)

// sittingTEI is a small valid ParlaMint sitting.
func sittingTEI(date string) string {
	return `<?xml version="1.0" encoding="UTF-8"?>
<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:id="ParlaMint-XX_` + date + `" xml:lang="en">
 <teiHeader><fileDesc><titleStmt><title type="main" xml:lang="en">A sitting</title></titleStmt></fileDesc>
 <profileDesc><settingDesc><setting><date when="` + date + `"/></setting></settingDesc></profileDesc></teiHeader>
 <text><body><u xml:id="ParlaMint-XX_` + date + `.u1" who="#SmithJohn"><seg>Order, order.</seg></u></body></text>
</TEI>
`
}

func writeFile(t *testing.T, path, text string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

// importWithin imports and fails the test if that takes long enough to
// mean that a named pipe was opened: opening one for reading waits for a
// writer that never comes.
func importWithin(t *testing.T, d *DB, paths []string, opts ImportOptions) (*ImportReport, error) {
	t.Helper()
	type result struct {
		rep *ImportReport
		err error
	}
	done := make(chan result, 1)
	go func() {
		rep, err := d.ImportFiles(context.Background(), paths, opts)
		done <- result{rep, err}
	}()
	select {
	case r := <-done:
		return r.rep, r.err
	case <-time.After(30 * time.Second):
		t.Fatal("the import did not end: a named pipe was opened")
		return nil, nil
	}
}

// A corpus root whose xi:include leaves its folder stops the import with a
// message that names the include, and nothing is written; with KeepGoing
// the include is listed as a bad source and the rest of the root is
// imported; with AllowOutside all of it is.
func TestImportRefusesIncludeOutsideFolder(t *testing.T) {
	base := t.TempDir()
	root := filepath.Join(base, "corpus", "ParlaMint-XX.xml")
	writeFile(t, filepath.Join(base, "corpus", "2020", "ParlaMint-XX_2020-01-01.xml"), sittingTEI("2020-01-01"))
	writeFile(t, filepath.Join(base, "other", "ParlaMint-XX_2020-02-02.xml"), sittingTEI("2020-02-02"))
	writeFile(t, root, `<teiCorpus xmlns="http://www.tei-c.org/ns/1.0" xmlns:xi="http://www.w3.org/2001/XInclude">
 <xi:include href="2020/ParlaMint-XX_2020-01-01.xml"/>
 <xi:include href="../other/ParlaMint-XX_2020-02-02.xml"/>
</teiCorpus>`)
	want := root + `: xi:include "../other/ParlaMint-XX_2020-02-02.xml" leaves the corpus folder; pass --allow-outside to import it`
	ctx := context.Background()

	d := MustOpen(t)
	all, _ := sessions.Sample()
	if err := d.Replace(ctx, "sample", all); err != nil {
		t.Fatal(err)
	}
	before, _ := d.ContentHash(ctx)
	if _, err := importWithin(t, d, []string{root}, ImportOptions{}); err == nil || err.Error() != want {
		t.Fatalf("got %v, want %q", err, want)
	}
	if after, _ := d.ContentHash(ctx); after != before {
		t.Fatal("a refused import changed the archive")
	}

	rep, err := importWithin(t, d, []string{root}, ImportOptions{KeepGoing: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Failed) != 1 || rep.Failed[0].Path != root || rep.Failed[0].Err.Error() != want {
		t.Fatalf("keep-going should list the include: %+v", rep.Failed)
	}
	if rep.Added != 1 || rep.Files != 2 {
		t.Fatalf("keep-going should import the sitting inside the folder: %+v", rep)
	}
	if _, err := d.Document(ctx, "ParlaMint-XX_2020-02-02.u1"); err == nil {
		t.Fatal("the sitting outside the folder was imported")
	}

	d = MustOpen(t)
	rep, err = importWithin(t, d, []string{root}, ImportOptions{AllowOutside: true})
	if err != nil || rep.Added != 2 {
		t.Fatalf("AllowOutside: %+v %v", rep, err)
	}
}

// Walking a folder, a link that leads out of it is refused as an include
// is, and a named pipe is passed over with a warning, never opened.
func TestImportFolderLinksAndPipes(t *testing.T) {
	base := t.TempDir()
	src := filepath.Join(base, "src")
	good := `{"kurultai": 1, "sessions": [{"id": "j-%s", "body": "B", "date": "2024-01-01", "title": "T",
  "speeches": [{"id": "j-%s/s", "title": "S", "paragraphs": [{"number": 1, "text": "one two"}]}]}]}`
	session := func(id string) string { return strings.ReplaceAll(good, "%s", id) }
	writeFile(t, filepath.Join(src, "1.json"), session("1"))
	writeFile(t, filepath.Join(base, "elsewhere", "2.json"), session("2"))
	// Hidden folders are not walked; the link to this one is.
	writeFile(t, filepath.Join(src, ".store", "3.json"), session("3"))
	link := filepath.Join(src, "2.json")
	if err := os.Symlink(filepath.Join("..", "elsewhere", "2.json"), link); err != nil {
		t.Skipf("cannot make a link here: %v", err)
	}
	// A link that stays inside the folder is read as before.
	if err := os.Symlink(filepath.Join(".store", "3.json"), filepath.Join(src, "3.json")); err != nil {
		t.Fatal(err)
	}
	pipe := filepath.Join(src, "4.json")
	if err := syscall.Mkfifo(pipe, 0o644); err != nil {
		t.Skipf("cannot make a named pipe here: %v", err)
	}
	t.Cleanup(func() {
		if f, err := os.OpenFile(pipe, os.O_RDWR, 0); err == nil {
			f.Close()
		}
	})
	d := MustOpen(t)
	var warned []string
	warn := func(w msg.Text) { warned = append(warned, w.String()) }
	want := link + ": a link that leaves the folder " + src + "; pass --allow-outside to import it"
	if _, err := importWithin(t, d, []string{src}, ImportOptions{Warn: warn}); err == nil || err.Error() != want {
		t.Fatalf("got %v, want %q", err, want)
	}
	warned = nil
	rep, err := importWithin(t, d, []string{src}, ImportOptions{KeepGoing: true, Warn: warn})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Failed) != 1 || rep.Failed[0].Err.Error() != want {
		t.Fatalf("keep-going should list the link: %+v", rep.Failed)
	}
	if rep.Added != 2 {
		t.Fatalf("keep-going: %+v", rep.Counts)
	}
	if !strings.Contains(strings.Join(warned, "\n"), pipe+": skipped, it is a named pipe, not a file") {
		t.Errorf("the pipe should be a warning: %q", warned)
	}
	d = MustOpen(t)
	rep, err = importWithin(t, d, []string{src}, ImportOptions{AllowOutside: true, Warn: warn})
	if err != nil || rep.Added != 3 {
		t.Fatalf("AllowOutside: %+v %v", rep, err)
	}
}
