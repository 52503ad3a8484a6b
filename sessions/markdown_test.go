package sessions

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"testing/fstest"
)

func TestSample(t *testing.T) {
	all, err := Sample()
	if err != nil {
		t.Fatalf("sample does not decode: %v", err)
	}
	if len(all) != 5 {
		t.Fatalf("sample has %d sessions, want 5", len(all))
	}
	for i, s := range all {
		want := "nk-" + string(rune('1'+i))
		if s.ID != want || s.Number != i+1 {
			t.Errorf("session %d is %s number %d, want %s", i, s.ID, s.Number, want)
		}
		if len(s.Speeches) == 0 {
			t.Errorf("%s has no speech", s.ID)
		}
		if s.Provenance != ProvenanceSummary || len(s.Sources) == 0 {
			t.Errorf("%s must be marked as a summary with sources", s.ID)
		}
		for _, sp := range s.Speeches {
			if sp.SourceURL == "" || sp.Speaker.Name == "" || sp.Provenance != ProvenanceSummary {
				t.Errorf("%s: speech needs a speaker, a source URL and the summary mark", sp.ID)
			}
		}
	}
	five := all[4]
	if len(five.Proposals) != 8 {
		t.Fatalf("nk-5 has %d proposals, want 8", len(five.Proposals))
	}
	for _, p := range five.Proposals {
		if len(p.Timeline) < 4 || len(p.MadeIn) == 0 {
			t.Errorf("%s needs a timeline and paragraph references", p.ID)
		}
		if p.CurrentStatus() != p.Status {
			t.Errorf("%s: status %q disagrees with its timeline's last entry %q", p.ID, p.Status, p.CurrentStatus())
		}
	}
	if !strings.Contains(five.Summary, "Ұлттық құрылтай") || !strings.Contains(five.Summary, "Национальный курултай") {
		t.Error("the sample should carry the Kazakh and Russian names")
	}
	if SampleVersion() == "" {
		t.Error("empty sample version")
	}
}

// Breaks that mean something are kept: lists, tables, quotations,
// indented code and hard breaks.
func TestSplitParagraphsKeepsMeantBreaks(t *testing.T) {
	for _, text := range []string{"- one\n- two", "1. one\n2. two", "| a | b |\n|---|---|", "> said\n> again",
		"    code\n    more", "line one  \nline two", "line one\\\nline two", "Text\n* item"} {
		got := SplitParagraphs(text)
		if len(got) != 1 || got[0].Text != text {
			t.Errorf("%q became %+v", text, got)
		}
	}
	if got := SplitParagraphs("  wrapped \n  lines "); got[0].Text != "wrapped lines" {
		t.Errorf("prose: %q", got[0].Text)
	}
}

func TestSplitParagraphs(t *testing.T) {
	got := SplitParagraphs("# Part one\n\nFirst\nstill first\n\nSecond\n## Part two\nThird\n\n```\ncode\n\nmore\n```\n\n# Appendix\n")
	want := []Paragraph{
		{Number: 1, Heading: "Part one", Text: "First still first"}, // prose is one line
		{Number: 2, Text: "Second"},
		{Number: 3, Heading: "Part two", Text: "Third"},
		{Number: 4, Text: "```\ncode\n\nmore\n```"},
		{Number: 5, Heading: "Appendix"}, // a last heading is kept, not lost
	}
	if len(got) != len(want) {
		t.Fatalf("got %d paragraphs %+v, want %d", len(got), got, len(want))
	}
	for i := range want {
		if !reflect.DeepEqual(got[i], want[i]) {
			t.Errorf("paragraph %d = %+v, want %+v", i+1, got[i], want[i])
		}
	}
}

const goodSession = "---\nkind: session\nid: s1\nnumber: 1\ndate: 2024-03-15\nplace: Atyrau\ntitle: Third\nlanguage: en\n---\nSummary.\n"

func TestDecodeMarkdownErrors(t *testing.T) {
	cases := []struct {
		name, text string
		line       int
		want       string
	}{
		{"no front matter", "hello\n", 1, `first line must be "---"`},
		{"unclosed", "---\nkind: session\n", 1, "not closed"},
		{"unknown field", "---\nkind: session\nid: s1\ntitel: x\n---\n", 4, `unknown field "titel"`},
		{"field of another kind", "---\nkind: session\nid: s1\nspeaker: {name: x}\n---\n", 4, `unknown field "speaker"`},
		{"bad kind", "---\nid: s1\nkind: debate\n---\n", 3, `kind "debate"`},
		{"missing kind", "---\nid: s1\n---\n", 2, "expected kind"},
		{"bad yaml", "---\nkind: session\ntitle: a: b\n---\n", 3, "mapping values are not allowed"},
		{"wrong type", "---\nkind: session\nid: s1\nnumber: first\n---\n", 4, "cannot unmarshal"},
		{"twice", "---\nkind: session\nid: a\nid: b\n---\n", 4, "given twice"},
		{"not a mapping", "---\n- a\n- b\n---\n", 2, "set of fields"},
		{"invalid utf-8", "---\nkind: session\ntitle: \xff\n---\n", 3, "not valid UTF-8"},
		{"misspelt speaker field", "---\nkind: speech\nid: s1/a\nspeaker:\n  name: X\n  familly: Y\n---\n", 6, `unknown field "familly" for a speaker`},
		{"misspelt name form field", "---\nkind: speech\nid: s1/a\nspeaker:\n  forms:\n    kk:\n      famly: Y\n---\n", 7, `unknown field "famly" in the speaker's kk name form`},
		{"name form not a mapping", "---\nkind: speech\nid: s1/a\nspeaker:\n  forms:\n    kk: Тоқаев\n---\n", 6, `expected family: and given:`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := DecodeMarkdown("x.md", []byte(c.text))
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("got %v, want a *sessions.Error", err)
			}
			if e.File != "x.md" || e.Line != c.line || !strings.Contains(e.Msg.String(), c.want) {
				t.Errorf("got %q (line %d), want line %d and %q", err, e.Line, c.line, c.want)
			}
		})
	}
}

func TestDecodeMarkdownFSErrors(t *testing.T) {
	speech := func(body string) string {
		return "---\nkind: speech\nid: s1/a\nspeaker: {id: x, name: X}\ntitle: A\n---\n" + body
	}
	cases := []struct {
		name  string
		files map[string]string
		file  string
		want  string
	}{
		{"impossible date", map[string]string{"s1/session.md": strings.Replace(goodSession, "2024-03-15", "2024-02-30", 1)}, "s1/session.md", "not a real date"},
		{"duplicate session", map[string]string{"a/session.md": goodSession, "b/session.md": goodSession}, "b/session.md", "already used"},
		{"orphan speech", map[string]string{"s1/session.md": goodSession, "other/a.md": speech("x")}, "other/a.md", "no session"},
		{"bad reference", map[string]string{"s1/session.md": goodSession, "s1/a.md": speech("one"),
			"s1/p.md": "---\nkind: proposal\nid: s1/p\ntitle: P\nmade_in: [{speech: s1/a, paragraphs: [2]}]\n---\nText\n"}, "s1/p.md", "has 1 paragraphs"},
		{"bad timeline date", map[string]string{"s1/session.md": goodSession,
			"s1/p.md": "---\nkind: proposal\nid: s1/p\ntitle: P\ntimeline: [{date: 2026-13, status: x}]\n---\n"}, "s1/p.md", "not a real date"},
		{"speech id of a session", map[string]string{"s1/session.md": goodSession,
			"s1/a.md": "---\nkind: speech\nid: s1\ntitle: A\n---\nx"}, "s1/a.md", "already used by the session"},
		{"duplicate speech", map[string]string{"s1/session.md": goodSession, "s1/a.md": speech("x"), "s1/b.md": speech("y")}, "s1/b.md", "already used"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			fsys := fstest.MapFS{}
			for name, text := range c.files {
				fsys[name] = &fstest.MapFile{Data: []byte(text)}
			}
			_, err := DecodeMarkdownFS(fsys, ".")
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("got %v, want a *sessions.Error", err)
			}
			if e.File != c.file || !strings.Contains(e.Msg.String(), c.want) {
				t.Errorf("got %q in %s, want %q in %s", e.Msg, e.File, c.want, c.file)
			}
		})
	}
}

func TestDecodeMarkdownFSGood(t *testing.T) {
	fsys := fstest.MapFS{
		"s1/session.md": {Data: []byte(goodSession)},
		"s1/b.md":       {Data: []byte("---\nkind: speech\nid: s1/b\norder: 2\nspeaker: {id: b, name: B}\ntitle: B\n---\nOne.\n\nTwo.\n")},
		"s1/a.md":       {Data: []byte("---\nkind: speech\nid: s1/a\norder: 1\nspeaker: {id: a, name: A}\ntitle: A\nlanguage: kk\n---\nБір.\n")},
	}
	all, err := DecodeMarkdownFS(fsys, ".")
	if err != nil {
		t.Fatal(err)
	}
	s := all[0]
	if s.Body != DefaultBody || s.Summary != "Summary." {
		t.Errorf("session decoded as %+v", s)
	}
	if len(s.Speeches) != 2 || s.Speeches[0].ID != "s1/a" || s.Speeches[0].Language != "kk" || s.Speeches[1].Language != "en" {
		t.Errorf("speeches decoded as %+v", s.Speeches)
	}
	if len(s.Speeches[1].Paragraphs) != 2 {
		t.Errorf("want two paragraphs, got %+v", s.Speeches[1].Paragraphs)
	}
}

func FuzzDecodeMarkdown(f *testing.F) {
	f.Add([]byte(goodSession))
	f.Add([]byte("---\nkind: proposal\nid: p\ntimeline: [{date: 2026-01, status: x}]\n---\n# h\n\ntext"))
	f.Add([]byte("---\n---\n"))
	f.Add([]byte("---\nkind: speech\nspeaker: &a [*a]\n---\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		doc, err := DecodeMarkdown("f.md", data)
		if err != nil {
			var e *Error
			if !errors.As(err, &e) || e.File != "f.md" {
				t.Fatalf("error without file name: %v", err)
			}
			return
		}
		if _, err := Assemble([]*Document{doc}); err != nil && err.Error() == "" {
			t.Fatal("empty error")
		}
	})
}

func TestValidID(t *testing.T) {
	good := []string{"nk-5", "nk-5/address", "ParlaMint-TR:AyşeNur.Bahçekapılı", "ParlaMint-BG_2017-05-11.u1", "Ұлт-1", "x"}
	bad := []string{"", "-x", "/x", "a b", "a\x00", "a\xff", "ä?", strings.Repeat("a", 201), "a\u200b"}
	for _, s := range good {
		if !ValidID(s) {
			t.Errorf("%q should be a valid id", s)
		}
	}
	for _, s := range bad {
		if ValidID(s) {
			t.Errorf("%q should not be a valid id", s)
		}
	}
}
