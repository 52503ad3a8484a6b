package sessions

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"kurultai/sessions/msg"
)

// corpusRoot is a ParlaMint corpus root that includes the given files.
func corpusRoot(hrefs ...string) string {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>
<teiCorpus xmlns="http://www.tei-c.org/ns/1.0" xmlns:xi="http://www.w3.org/2001/XInclude" xml:id="ParlaMint-XX" xml:lang="en">
 <teiHeader><fileDesc><titleStmt><title>XX</title></titleStmt></fileDesc></teiHeader>
`)
	for _, h := range hrefs {
		b.WriteString(` <xi:include href="` + h + `"/>` + "\n")
	}
	b.WriteString("</teiCorpus>\n")
	return b.String()
}

// sittingXML is a small valid sitting with the given date.
func sittingXML(date string) string {
	return strings.NewReplacer("2020-01-01", date).Replace(miniTEI)
}

// outsideTree lays out a corpus folder and, beside it, what an include
// could reach outside it: a sibling folder's sitting, a passwd-like file and
// a named pipe; inside, links that lead out and a named pipe. It returns
// the base folder and the corpus folder.
func outsideTree(t *testing.T) (base, corpus string) {
	t.Helper()
	base = t.TempDir()
	corpus = filepath.Join(base, "corpus")
	for _, d := range []string{"corpus/2020", "other", "etc"} {
		if err := os.MkdirAll(filepath.Join(base, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	write := func(rel, text string) {
		if err := os.WriteFile(filepath.Join(base, rel), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("corpus/2020/ParlaMint-XX_2020-01-01.xml", sittingXML("2020-01-01"))
	write("other/ParlaMint-XX_2020-02-02.xml", sittingXML("2020-02-02"))
	write("etc/passwd", "root:x:0:0:root:/root:/bin/sh\n")
	for _, fifo := range []string{"outside.fifo", "corpus/inside.fifo"} {
		if err := syscall.Mkfifo(filepath.Join(base, fifo), 0o644); err != nil {
			t.Skipf("cannot make a named pipe here: %v", err)
		}
		// Were the pipe opened for reading, the open would wait for a
		// writer; this lets such a reader go at the end of the test.
		path := filepath.Join(base, fifo)
		t.Cleanup(func() {
			if f, err := os.OpenFile(path, os.O_RDWR, 0); err == nil {
				f.Close()
			}
		})
	}
	for link, target := range map[string]string{
		"corpus/link.xml":      "../other/ParlaMint-XX_2020-02-02.xml",
		"corpus/pipe-link.xml": "../outside.fifo",
		"corpus/2020/up":       "../../other",
	} {
		if err := os.Symlink(target, filepath.Join(base, link)); err != nil {
			t.Skipf("cannot make a link here: %v", err)
		}
	}
	return base, corpus
}

// decodeWithin decodes a corpus root and fails the test if that takes
// long enough to mean that a named pipe was opened (opening one for
// reading waits for a writer that never comes).
func decodeWithin(t *testing.T, root string, opts CorpusOptions) ([]*Session, error) {
	t.Helper()
	type result struct {
		got []*Session
		err error
	}
	done := make(chan result, 1)
	go func() {
		var got []*Session
		err := DecodeTEIFile(root, opts, func(s *Session) error { got = append(got, s); return nil }, func(msg.Text) {})
		done <- result{got, err}
	}()
	select {
	case r := <-done:
		return r.got, r.err
	case <-time.After(30 * time.Second):
		t.Fatal("decoding did not end: a named pipe was opened")
		return nil, nil
	}
}

// A corpus root's includes stay in its folder: "..", absolute paths, links
// that lead out and URLs are refused with a message that names them, and
// nothing is read from the root. Named pipes and devices are never opened,
// even with AllowOutside; the other outside files are read with it.
func TestCorpusIncludesStayInFolder(t *testing.T) {
	base, corpus := outsideTree(t)
	const leaves = "leaves the corpus folder; pass --allow-outside to import it"
	const throughLink = "leaves the corpus folder through a link; pass --allow-outside to import it"
	const pipe = "is a named pipe, not a file; it is never opened"
	cases := []struct {
		name, href, want string
		// allowed is what AllowOutside gives: the number of sessions read,
		// or, when allowWant is set, the error.
		allowed   int
		allowWant string
	}{
		{"sibling folder", "../other/ParlaMint-XX_2020-02-02.xml", leaves, 2, ""},
		{"absolute path", filepath.Join(base, "other", "ParlaMint-XX_2020-02-02.xml"), leaves, 2, ""},
		{"link out of the folder", "link.xml", throughLink, 2, ""},
		{"dot-dot after a folder", "2020/../../other/ParlaMint-XX_2020-02-02.xml", leaves, 2, ""},
		{"dot-dot after a link", "2020/up/../other/ParlaMint-XX_2020-02-02.xml", throughLink, 2, ""},
		{"passwd-like file", "../etc/passwd", leaves, 0, filepath.Join("etc", "passwd") + ": the sitting has no date"},
		{"system passwd", "../../../../../../../../../../../../etc/passwd", leaves, -1, ""},
		{"pipe outside", "../outside.fifo", leaves, 0, pipe},
		{"link to a pipe outside", "pipe-link.xml", throughLink, 0, pipe},
		{"pipe inside", "inside.fifo", pipe, 0, pipe},
		{"device", "/dev/zero", leaves, 0, "is a device, not a file; it is never opened"},
		{"http URL", "http://example.org/ParlaMint-XX_2020-02-02.xml", "is a URL", 0, "is a URL"},
		{"file URL", "file:///etc/passwd", "is a URL", 0, "is a URL"},
		{"empty href", "", "names no file", 0, "names no file"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			root := filepath.Join(corpus, "ParlaMint-XX.xml")
			text := corpusRoot("2020/ParlaMint-XX_2020-01-01.xml", c.href)
			if err := os.WriteFile(root, []byte(text), 0o644); err != nil {
				t.Fatal(err)
			}
			got, err := decodeWithin(t, root, CorpusOptions{})
			want := root + `: xi:include "` + c.href + `" ` + c.want
			if err == nil || !strings.HasPrefix(err.Error(), want) {
				t.Fatalf("got %v, want %q", err, want)
			}
			if len(got) != 0 {
				t.Fatalf("%d sessions read from a root whose include was refused", len(got))
			}
			if c.allowed < 0 {
				return
			}
			got, err = decodeWithin(t, root, CorpusOptions{AllowOutside: true})
			switch {
			case c.allowWant == "" && err != nil:
				t.Fatalf("with AllowOutside: %v", err)
			case c.allowWant != "" && (err == nil || !strings.Contains(err.Error(), c.allowWant)):
				t.Fatalf("with AllowOutside: got %v, want %q", err, c.allowWant)
			case c.allowWant == "" && len(got) != c.allowed:
				t.Fatalf("with AllowOutside: %d sessions, want %d", len(got), c.allowed)
			}
		})
	}
}

// Every refused include of a root is named, and ReadCorpus gives the
// others with them, for an import that goes on past bad sources.
func TestReadCorpusListsRefused(t *testing.T) {
	_, corpus := outsideTree(t)
	root := filepath.Join(corpus, "ParlaMint-XX.xml")
	text := corpusRoot("2020/ParlaMint-XX_2020-01-01.xml", "../other/ParlaMint-XX_2020-02-02.xml", "link.xml")
	if err := os.WriteFile(root, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	c, err := ReadCorpus(root, CorpusOptions{}, func(msg.Text) {})
	refused, ok := err.(RefusedIncludes)
	if !ok || len(refused) != 2 || refused[0].Href != "../other/ParlaMint-XX_2020-02-02.xml" || refused[1].Href != "link.xml" {
		t.Fatalf("got %v, want both outside includes refused", err)
	}
	if !strings.HasSuffix(err.Error(), "pass --allow-outside to import it; 1 more include is refused") {
		t.Errorf("message: %v", err)
	}
	if c == nil || len(c.Sittings) != 1 || filepath.Base(c.Sittings[0]) != "ParlaMint-XX_2020-01-01.xml" {
		t.Fatalf("the include inside the folder should still be there: %+v", c)
	}
}

// A sitting's -meta.tsv is checked as an include is: a link out of the
// sitting's folder is refused, and a named pipe is never opened.
func TestSittingMetaStaysInFolder(t *testing.T) {
	base, corpus := outsideTree(t)
	sitting := filepath.Join(corpus, "2020", "ParlaMint-XX_2020-01-01.xml")
	meta := filepath.Join(corpus, "2020", "ParlaMint-XX_2020-01-01-meta.tsv")
	outsideMeta := filepath.Join(base, "other", "meta.tsv")
	if err := os.WriteFile(outsideMeta, []byte("ID\tSpeaker_name\nu1\tSomeone Else\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name, target, want, allowWant string
	}{
		{"link to a file outside", outsideMeta, "is a link that leaves its folder; pass --allow-outside to read it", ""},
		{"link to a pipe outside", filepath.Join(base, "outside.fifo"), "is a link that leaves its folder", "is a named pipe"},
		{"pipe inside", "", "is a named pipe", "is a named pipe"},
	} {
		t.Run(c.name, func(t *testing.T) {
			os.Remove(meta)
			var err error
			if c.target != "" {
				err = os.Symlink(c.target, meta)
			} else {
				err = syscall.Mkfifo(meta, 0o644)
				t.Cleanup(func() {
					if f, err := os.OpenFile(meta, os.O_RDWR, 0); err == nil {
						f.Close()
					}
				})
			}
			if err != nil {
				t.Fatal(err)
			}
			for _, allow := range []bool{false, true} {
				got, err := decodeWithin(t, sitting, CorpusOptions{AllowOutside: allow})
				want := c.want
				if allow {
					want = c.allowWant
				}
				if want == "" {
					if err != nil || len(got) != 1 || got[0].Speeches[0].Speaker.Name != "Someone Else" {
						t.Fatalf("allowed: got %v, want the name from the linked -meta.tsv", err)
					}
					continue
				}
				if err == nil || !strings.HasPrefix(err.Error(), meta+": ") || !strings.Contains(err.Error(), want) {
					t.Fatalf("allow %v: got %v, want %q", allow, err, want)
				}
			}
		})
	}
}

// The real ParlaMint roots include their sittings from folders below them
// (2017/…) or beside them, and their lists beside them: all of it stays
// readable.
func TestReadCorpusParlaMintRoots(t *testing.T) {
	dir := parlamintDir(t)
	roots, _ := filepath.Glob(filepath.Join(dir, "ParlaMint-*", "ParlaMint-*.xml"))
	n, below := 0, 0
	for _, root := range roots {
		if kind, err := TEIKind(root); err != nil || kind != "teiCorpus" {
			continue
		}
		n++
		c, err := ReadCorpus(root, CorpusOptions{}, func(msg.Text) {})
		if err != nil {
			t.Fatalf("%s: %v", root, err)
		}
		if len(c.Sittings) == 0 {
			t.Fatalf("%s: no sittings", root)
		}
		for _, s := range c.Sittings {
			rel, err := filepath.Rel(filepath.Dir(root), s)
			if err != nil || strings.HasPrefix(rel, "..") {
				t.Errorf("%s: sitting %s is not in the root's folder", root, s)
			}
			if strings.Contains(rel, string(filepath.Separator)) {
				below++
			}
		}
	}
	if n == 0 || below == 0 {
		t.Fatalf("%d corpus roots in %s, %d sittings in folders below them", n, dir, below)
	}
}
