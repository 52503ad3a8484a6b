package sessions

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"
)

// controlText holds every C0 and C1 control, DEL, every Invisible
// character, and text around them.
func controlText() string {
	var b strings.Builder
	b.WriteString("Ұлттық құрылтай “quote” 😀 ")
	for r := rune(0); r < 0xa0; r++ {
		b.WriteRune(r)
	}
	for r := rune(0xa0); r <= 0xe007f; r++ {
		if Invisible(r) {
			b.WriteRune(r)
			b.WriteString("x")
		}
	}
	b.WriteString("\u2028\u2029 end")
	return b.String()
}

// rawUnsafe returns the first character in JSON text that a terminal
// could take as a control or that hides how text reads, if any.
func rawUnsafe(s string) (rune, bool) {
	for _, r := range s {
		if r < 0x20 && r != '\n' || r >= 0x7f && r < 0xa0 || Invisible(r) {
			return r, true
		}
	}
	return 0, false
}

// WriteJSON escapes C1 controls, DEL and the Invisible characters as
// \u00XX and \uXXXX, and decoding gives every string back exactly.
func TestWriteJSONRoundTrip(t *testing.T) {
	in := map[string][]string{"text": {controlText(), "plain", "\u009b2J\u009d0;t\u009c", "\u202eevil\u200d"}}
	var b bytes.Buffer
	if err := WriteJSON(&b, in); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	if r, bad := rawUnsafe(out); bad {
		t.Fatalf("raw %U in the JSON", r)
	}
	for _, esc := range []string{`\u009b`, `\u009d`, `\u0085`, `\u007f`, `\u202e`, `\u200b`, `\u200d`, `\ufeff`, `\u061c`, `\u180e`, `\u0000`, `\u001b`,
		`\u00ad`, `\u034f`, `\u3164`, `\uffa0`, `\udb40\udc41`} {
		if !strings.Contains(out, esc) {
			t.Errorf("%s is not in the JSON", esc)
		}
	}
	var back map[string][]string
	if err := json.Unmarshal(b.Bytes(), &back); err != nil {
		t.Fatal(err)
	}
	for i, s := range in["text"] {
		if back["text"][i] != s {
			t.Errorf("string %d came back as %q, want %q", i, back["text"][i], s)
		}
	}
	// As json.Encoder with SetIndent("", "  ") writes it, where there is
	// nothing to escape.
	plain := map[string]any{"a": []int{1, 2}, "b": "Қазақ “x” <&>"}
	var want, got bytes.Buffer
	enc := json.NewEncoder(&want)
	enc.SetIndent("", "  ")
	enc.Encode(plain)
	WriteJSON(&got, plain)
	if got.String() != want.String() {
		t.Errorf("WriteJSON = %q, json.Encoder = %q", got.String(), want.String())
	}
}

// JSONEscaper gives what EscapeJSON gives, however the writes split the
// text, including inside a rune.
func TestJSONEscaperAnySplit(t *testing.T) {
	doc, err := json.Marshal([]string{"a\u009bb", "“\u202e”", "😀\u200b\u007f", "Қ"})
	if err != nil {
		t.Fatal(err)
	}
	want := string(EscapeJSON(doc))
	for i := 0; i <= len(doc); i++ {
		for j := i; j <= len(doc); j++ {
			var b bytes.Buffer
			e := NewJSONEscaper(&b)
			for _, piece := range [][]byte{doc[:i], doc[i:j], doc[j:]} {
				if n, err := e.Write(piece); n != len(piece) || err != nil {
					t.Fatalf("Write = %d, %v", n, err)
				}
			}
			e.Flush()
			if b.String() != want {
				t.Fatalf("split at %d and %d: %q, want %q", i, j, b.String(), want)
			}
		}
	}
	// Invalid UTF-8 passes as it is, in one piece or in two.
	for _, s := range []string{"a\xe2", "\xe2\x80", "\xc2", "\xe2A\xc2\xe2\x80\xae"} {
		want := string(EscapeJSON([]byte(s)))
		var b bytes.Buffer
		e := NewJSONEscaper(&b)
		e.Write([]byte(s[:1]))
		e.Write([]byte(s[1:]))
		e.Flush()
		if b.String() != want {
			t.Errorf("%q: escaper %q, EscapeJSON %q", s, b.String(), want)
		}
	}
}

// dump --format json escapes as every JSON output does, and the archive's
// text comes back exactly when the file is imported.
func TestDumpJSONEscapes(t *testing.T) {
	text := controlText()
	s := &Session{ID: "d-1", Body: "Test", Date: "2024-01-01", Title: "Title \u202e\u009b", Language: "en",
		Speeches: []Speech{{ID: "d-1/s", SessionID: "d-1", Title: "Speech", Paragraphs: []Paragraph{{Number: 1, Text: text}}}}}
	path := filepath.Join(t.TempDir(), "dump.json")
	out, err := CreateOutput("json", path)
	if err != nil {
		t.Fatal(err)
	}
	if err := out.Write(s); err != nil {
		t.Fatal(err)
	}
	if err := out.Close(); err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if r, bad := rawUnsafe(string(raw)); bad {
		t.Fatalf("raw %U in the dump", r)
	}
	if !bytes.Contains(raw, []byte(`\u009b`)) || !bytes.Contains(raw, []byte(`\u202e`)) {
		t.Fatal("the dump does not escape C1 CSI and the override")
	}
	var back []*Session
	if err := DecodeJSON(path, bytes.NewReader(raw), func(s *Session) error { back = append(back, s); return nil }); err != nil {
		t.Fatal(err)
	}
	if len(back) != 1 || back[0].Title != s.Title || back[0].Speeches[0].Paragraphs[0].Text != text {
		t.Fatalf("the dump did not come back as written: %+v", back)
	}
}

// The text export formats carry no control characters, wherever the
// output goes: no escape sequence can start in them.
func TestTextFormatsDropControls(t *testing.T) {
	ps := samplePassages()
	ps[0].Quote = "Quote \x1b]52;c;ZXZpbA==\x07 \x1b[2J \u009b2J \u009d0;t\u009c \x1b[201~touch x\r\nnext\rline \x7f\x00 \xff"
	ps[0].Note = "note \x1b]2;pane\x1b\\"
	ps[0].Tags = []string{"tag\x1b[31m"}
	ps[0].Citation.Speaker = "Speaker \x1b[2J"
	ps[0].Citation.Family = "Speaker \x1b[2J"
	ps[0].Citation.Given = "Given \x1b]0;x\x07"
	ps[0].Citation.Forms = map[string]PersonName{"kk\x1b[1m": {Family: "Тоқаев\x9b2J"}}
	ps[0].Citation.Title = "Title \u0085\u009b"
	for _, f := range []string{"md", "csv", "ris", "bibtex"} {
		var b bytes.Buffer
		if err := WritePassages(&b, f, "tag", ps); err != nil {
			t.Fatal(err)
		}
		out := b.String()
		if !utf8.ValidString(out) {
			t.Errorf("%s: invalid UTF-8", f)
		}
		for i, r := range out {
			if r == '\r' && f == "ris" && strings.HasPrefix(out[i+1:], "\n") {
				continue // RIS ends its lines with CR LF
			}
			if r < 0x20 && r != '\n' && r != '\t' || r >= 0x7f && r < 0xa0 {
				t.Errorf("%s: %U in the output:\n%q", f, r, out)
				break
			}
		}
		// What followed an ESC is left as harmless text.
		if !strings.Contains(out, "Speaker [2J") {
			t.Errorf("%s: the speaker's text is gone:\n%s", f, out)
		}
	}
}

// FuzzWriteJSON checks that WriteJSON leaves nothing raw that a terminal
// could obey or that hides how text reads, and that decoding gives the
// string back exactly (invalid UTF-8 becomes U+FFFD, as encoding/json
// makes it).
func FuzzWriteJSON(f *testing.F) {
	f.Add("a\u009bb\u202ec\x7f\x1b[2J")
	f.Add("\xe2\x80\xae\xc2\x9d\xff")
	f.Fuzz(func(t *testing.T, s string) {
		var b bytes.Buffer
		if err := WriteJSON(&b, s); err != nil {
			t.Fatal(err)
		}
		if r, bad := rawUnsafe(b.String()); bad {
			t.Fatalf("raw %U in %q", r, b.String())
		}
		var back string
		if err := json.Unmarshal(b.Bytes(), &back); err != nil {
			t.Fatal(err)
		}
		if utf8.ValidString(s) && back != s {
			t.Fatalf("%q came back as %q", s, back)
		}
	})
}

// AppendJSONString writes what json.Marshal and EscapeJSON write, for
// every kind of character they treat apart.
func TestAppendJSONStringAgrees(t *testing.T) {
	cases := []string{"", "plain", `quote " back \ slash`, "tab\tnew\nline\rcr", "\x00\x01\x1f\x7f", "<a href=\"x\">&amp;</a>",
		"\u0080\u009b\u009f\u00a0", "\u00ad\u200b\u202e\u2028\u2029\u2066\ufeff", "Қазақстан парламент", "😀 \U000e0041",
		"bad \xff\xfe utf8 \xe2\x82", "mixed \x1b]52;c;x\x07 \u009d0;t\u009c end"}
	for _, s := range cases {
		want, err := json.Marshal(s)
		if err != nil {
			t.Fatal(err)
		}
		want = EscapeJSON(want)
		got := AppendJSONString(nil, s)
		if string(got) != string(want) {
			t.Errorf("%q:\n got %s\nwant %s", s, got, want)
		}
	}
}
