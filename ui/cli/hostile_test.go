package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"kurultai/data"
	"kurultai/sessions"
	"kurultai/ui"
)

// hostile is paragraph text that tries every way to reach a terminal: OSC
// 52 (clipboard), OSC 2 (window and tmux pane title), CSI clear screen,
// C1 CSI and OSC, a bracketed-paste end, a right-to-left override and a
// zero-width space.
const hostile = "hostile \x1b]52;c;ZXZpbA==\x07 \x1b]2;pane\x1b\\ \x1b[2J\x1b[H \u009b2J \u009d0;t\u009c \x1b[201~ \u202eevil\u200b\r end\x7f"

// hostileArchive builds an archive with the hostile text in a title, a
// speaker and a paragraph, and a bookmark of that paragraph; env points
// the commands at both.
func hostileArchive(t *testing.T) (Options, Env) {
	t.Helper()
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "archive.db")
	w, err := data.Open(ctx, path, data.ReadWrite)
	if err != nil {
		t.Fatal(err)
	}
	s := sessions.Session{ID: "h-1", Body: "Test", Number: 1, Date: "2024-01-01", Title: "Session \x1b]0;t\x07 \u202etitle \u009b2J", Language: "en",
		Speeches: []sessions.Speech{{ID: "h-1/s", SessionID: "h-1", Order: 1, Title: "Speech \u009b2J", Language: "en",
			Speaker: sessions.Speaker{ID: "x", Name: "Speaker \x1b[2J"}, Paragraphs: []sessions.Paragraph{{Number: 1, Text: hostile}}}}}
	if err := w.Replace(ctx, "", []sessions.Session{s}); err != nil {
		t.Fatal(err)
	}
	w.Close()
	env := map[string]string{"XDG_DATA_HOME": dir, "USER": "tester"}
	e := Env{Stdout: new(bytes.Buffer), Stderr: new(bytes.Buffer), Getenv: func(k string) string { return env[k] }}
	o := Options{Archive: path}
	db, err := data.Open(ctx, path, data.ReadOnly)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	p, err := db.NewPassage(ctx, localOwner(e.Getenv), "h-1/s", 1, 1)
	if err != nil {
		t.Fatal(err)
	}
	p.Note, p.Tags = "note \x1b]52;c;ZXZpbA==\x07 \u202e", []string{"tag\u009b2J"}
	bmPath, err := bookmarksPath(e.Getenv)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Dir(bmPath), 0o755); err != nil {
		t.Fatal(err)
	}
	bm, err := data.OpenBookmarks(ctx, bmPath)
	if err != nil {
		t.Fatal(err)
	}
	defer bm.Close()
	if _, err := bm.Add(ctx, p); err != nil {
		t.Fatal(err)
	}
	return o, e
}

var sgrSeq = regexp.MustCompile("\x1b\\[[0-9;:]*m")

// terminalSafe fails if out holds anything a terminal would obey other
// than SGR styling: ESC, BEL, a C1 control, DEL or a lone CR.
func terminalSafe(t *testing.T, where, out string) {
	t.Helper()
	if !utf8.ValidString(out) {
		t.Errorf("%s: invalid UTF-8", where)
	}
	rest := sgrSeq.ReplaceAllString(out, "")
	for i, r := range rest {
		if r == '\r' && strings.HasPrefix(rest[i+1:], "\n") {
			continue
		}
		if r < 0x20 && r != '\n' && r != '\t' || r >= 0x7f && r < 0xa0 {
			t.Errorf("%s: %U reached the output:\n%q", where, r, out)
			return
		}
	}
}

// Without a terminal, search --csv and export in every text format print
// nothing a terminal would obey, both as the formatters write it and
// through the SafeWriter that every command's output passes; through the
// writer the override and the zero-width space are shown by code point.
func TestOutputWithoutTerminalIsSafe(t *testing.T) {
	ctx := context.Background()
	o, e := hostileArchive(t)
	runs := []struct {
		name string
		run  func(Options, Env) error
	}{
		{"search --csv", func(o Options, e Env) error { o.CSV = true; return Search(ctx, "hostile", o, e) }},
		{"search", func(o Options, e Env) error { return Search(ctx, "hostile", o, e) }},
		{"sessions", func(o Options, e Env) error { return Sessions(ctx, o, e) }},
		{"speakers", func(o Options, e Env) error { return Speakers(ctx, o, e) }},
		{"speakers --csv", func(o Options, e Env) error { o.CSV = true; return Speakers(ctx, o, e) }},
		{"speaker x", func(o Options, e Env) error { return Speaker(ctx, "x", o, e) }},
		{"bookmarks list", func(o Options, e Env) error { return Bookmarks(ctx, []string{"list"}, o, e) }},
	}
	for _, f := range []string{"md", "csv", "ris", "bibtex"} {
		runs = append(runs, struct {
			name string
			run  func(Options, Env) error
		}{"export --format " + f, func(o Options, e Env) error { o.Format, o.Notes = f, true; return Export(ctx, o, e) }})
	}
	for _, r := range runs {
		var direct bytes.Buffer
		e.Stdout = &direct
		if err := r.run(o, e); err != nil {
			t.Fatalf("%s: %v", r.name, err)
		}
		terminalSafe(t, r.name, direct.String())

		var gated bytes.Buffer
		sw := ui.NewSafeWriter(&gated)
		e.Stdout = sw
		if err := r.run(o, e); err != nil {
			t.Fatalf("%s: %v", r.name, err)
		}
		sw.Flush()
		terminalSafe(t, r.name+" through SafeWriter", gated.String())
		// The speakers list and a speaker's page hold no paragraph
		// text: the hostile name (an escape sequence) is checked above.
		if !strings.HasPrefix(r.name, "speaker") && !strings.Contains(gated.String(), "⟨U+202E⟩") {
			t.Errorf("%s through SafeWriter: the override is not shown:\n%s", r.name, gated.String())
		}
		if r.name == "export --format ris" && !strings.Contains(gated.String(), "TY  - GEN\r\n") {
			t.Errorf("RIS lines lost their CR LF through SafeWriter:\n%q", gated.String())
		}
	}
}

// Every JSON output escapes C1 controls (\u009b) and the bidi and
// zero-width characters (\u202e, \u200b), and decodes to the archive's
// text exactly.
func TestJSONOutputEscapesControls(t *testing.T) {
	ctx := context.Background()
	o, e := hostileArchive(t)
	o.JSON = true
	runs := []struct {
		name   string
		run    func(Options, Env) error
		decode func(t *testing.T, b []byte) string // the paragraph text as decoded
	}{
		{"search --json", func(o Options, e Env) error { return Search(ctx, "hostile", o, e) }, func(t *testing.T, b []byte) string {
			var hits []data.Hit
			decode(t, b, &hits)
			return hits[0].Text
		}},
		{"sessions --json", func(o Options, e Env) error { return Sessions(ctx, o, e) }, nil},
		{"bookmarks list --json", func(o Options, e Env) error { return Bookmarks(ctx, []string{"list"}, o, e) }, func(t *testing.T, b []byte) string {
			var list []sessions.Passage
			decode(t, b, &list)
			return list[0].Quote
		}},
		{"export --format json", func(o Options, e Env) error { o.Format = "json"; return Export(ctx, o, e) }, func(t *testing.T, b []byte) string {
			var doc struct{ Passages []sessions.Passage }
			decode(t, b, &doc)
			return doc.Passages[0].Quote
		}},
		{"export --format csl-json", func(o Options, e Env) error { o.Format, o.Notes = "csl-json", true; return Export(ctx, o, e) }, nil},
	}
	for _, r := range runs {
		var out bytes.Buffer
		e.Stdout = &out
		if err := r.run(o, e); err != nil {
			t.Fatalf("%s: %v", r.name, err)
		}
		s := out.String()
		terminalSafe(t, r.name, s)
		if strings.ContainsAny(s, "\u202e\u200b") {
			t.Errorf("%s: a raw bidi or zero-width character:\n%s", r.name, s)
		}
		if !strings.Contains(s, `\u009b`) || !strings.Contains(s, `\u202e`) {
			t.Errorf("%s: C1 CSI or the override is not escaped:\n%s", r.name, s)
		}
		if r.decode != nil {
			if got := r.decode(t, out.Bytes()); got != hostile {
				t.Errorf("%s: decoded text %q, want %q", r.name, got, hostile)
			}
		}
		// Through the SafeWriter JSON is unchanged: it has nothing to
		// filter.
		var gated bytes.Buffer
		sw := ui.NewSafeWriter(&gated)
		e.Stdout = sw
		if err := r.run(o, e); err != nil {
			t.Fatal(err)
		}
		sw.Flush()
		if gated.String() != s {
			t.Errorf("%s: SafeWriter changed the JSON", r.name)
		}
	}
}

func decode(t *testing.T, b []byte, v any) {
	t.Helper()
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("%v in %s", err, b)
	}
}
