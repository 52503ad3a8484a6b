package sessions

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"testing/iotest"
	"unicode/utf8"

	"kurultai/sessions/msg"
)

// heapInUse is the live heap after a collection.
func heapInUse() int64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return int64(m.HeapAlloc)
}

// allocated is what the program has allocated so far, in bytes.
func allocated() int64 {
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return int64(m.TotalAlloc)
}

// bigParagraphDocs writes a sitting and an interchange document, each
// with one paragraph of n bytes followed by a small session or speech, and
// returns their paths.
func bigParagraphDocs(t *testing.T, n int) (tei, jsonPath string) {
	t.Helper()
	dir := t.TempDir()
	text := strings.Repeat("word ", n/5)
	tei = filepath.Join(dir, "ParlaMint-XX_2020-01-01.xml")
	sitting := strings.Replace(miniTEI, "<seg>Next.</seg>", "<seg>"+text+"</seg>", 1)
	if err := os.WriteFile(tei, []byte(sitting), 0o644); err != nil {
		t.Fatal(err)
	}
	jsonPath = filepath.Join(dir, "big.json")
	doc := `{"kurultai": 1, "sessions": [
{"id": "big", "date": "2024-01-01", "title": "T", "speeches": [{"id": "big/s", "paragraphs": [{"number": 1, "text": "` + text + `"}]}]},
{"id": "small", "date": "2024-01-02", "title": "T", "speeches": [{"id": "small/s", "paragraphs": [{"number": 1, "text": "x"}]}]}
]}`
	if err := os.WriteFile(jsonPath, []byte(doc), 0o644); err != nil {
		t.Fatal(err)
	}
	return tei, jsonPath
}

// When a decoder hands over a session with a paragraph of many megabytes,
// the text is in memory once: the decoder's buffers are let go and the
// paragraph is not a copy of another buffer that is kept. Before, JSON
// kept its buffer, as large as the session, to the end of the document;
// and TEI copied the text as it grew it, a character at a time, and then
// copied it whole once more: 9 times its size allocated. Now it is the
// XML decoder's buffer as it doubles (at most 4 times the text, as the
// buffers double to at most twice it) and the text once.
func TestLargeParagraphHeldOnce(t *testing.T) {
	const n = 16 << 20
	tei, jsonPath := bigParagraphDocs(t, n)
	cases := []struct {
		name     string
		decode   func(emit func(*Session) error) error
		maxAlloc int64 // bytes allocated while decoding, or 0
	}{
		{"tei", func(emit func(*Session) error) error {
			return DecodeTEISittingFile(tei, nil, CorpusOptions{}, emit, func(msg.Text) {})
		}, 6 * n},
		{"json", func(emit func(*Session) error) error {
			f, err := os.Open(jsonPath)
			if err != nil {
				return err
			}
			defer f.Close()
			return DecodeJSON(jsonPath, f, emit)
		}, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			base := heapInUse()
			var held []int64
			var alloc int64
			start := allocated()
			err := c.decode(func(s *Session) error {
				if alloc == 0 {
					alloc = allocated() - start
				}
				held = append(held, heapInUse()-base)
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			if c.maxAlloc > 0 && alloc > c.maxAlloc {
				t.Errorf("%d MiB allocated to read a paragraph of %d MiB", alloc>>20, n>>20)
			}
			// The session being handed over holds the text once.
			if held[0] > n+n/2 {
				t.Errorf("%d MiB in use with a paragraph of %d MiB", held[0]>>20, n>>20)
			}
			// Once it is gone, nothing of it is held.
			if len(held) > 1 && held[1] > n/2 {
				t.Errorf("%d MiB still in use after the large session", held[1]>>20)
			}
		})
	}
}

// After a large session the JSON decoder is replaced; errors later in the
// document name the same line and column as they would without it, and
// those are where the fault is.
func TestJSONPositionsAfterLargeSession(t *testing.T) {
	const head = `{"kurultai": 1, "sessions": [
{"id": "big", "date": "2024-01-01", "title": "T", "speeches": [{"id": "big/s", "paragraphs": [{"number": 1, "text":
PARAGRAPH
}]}]}`
	for _, c := range []struct {
		tail, want string
		read       int // sessions read before the error
	}{
		{",\n" + `{"id": "s2", "date": "2024-01-02", "title": }` + "\n]}", "d.json:5:45: malformed JSON: invalid character '}'", 1},
		{",\n" + `{"id": "s2", "date": "2024-01-02", "titel": "T"}` + "\n]}", `d.json:5:1: json: unknown field "titel"`, 1},
		{",\n" + `{"id": "s2", "date": "2024-02-31", "title": "T"}` + "\n]}", "d.json:5:1: session s2: date", 1},
		{",\n" + `{"id": "s2", "date": "2024-01-02", "title": "T", "number": "one"}` + "\n]}", `d.json:5:65: field "number"`, 1},
		{",\n" + `{"id": "s2", "date": "2024-01-02", "title": "T\u00"}` + "\n]}", "d.json:5:51: malformed JSON: invalid character", 1},
		{",\n" + `{"id": "s2", "date": "2024-01-02", "title": "T"} x` + "\n]}", "d.json:5:50: malformed JSON: expected comma", 2},
		{",\n" + `{"id": "s2", "date": "2024-01-02", "title": "T"}` + "\n], \"extra\": 1}", `d.json:6:11: unknown field "extra"`, 2},
		{",\n" + `{"id": "s2", "date": "2024-01-02", "title": "T"}` + "\n]} []", "d.json:6:5: unexpected data", 2},
		{",\n" + `{"id": "s2", "date": "2024-01-02", "title": "T"}` + "\n", "d.json:6:1: the JSON ends too early", 2},
		{",\n" + `{"id": "s2", "title": "` + "\xff" + `"}` + "\n]}", "d.json:5:24: the file is not valid UTF-8 text", 0},
	} {
		for _, para := range []string{`"short"`, `"` + strings.Repeat("x", hugeText+1) + `"`} {
			doc := strings.Replace(head, "PARAGRAPH", para, 1) + c.tail
			read := 0
			err := DecodeJSON("d.json", strings.NewReader(doc), func(*Session) error { read++; return nil })
			if err == nil || !strings.HasPrefix(err.Error(), c.want) || read != c.read {
				t.Errorf("tail %q, paragraph of %d bytes: got %v after %d sessions, want %q after %d", c.tail, len(para), err, read, c.want, c.read)
			}
		}
	}
	// And a good document reads to its end.
	doc := strings.Replace(head, "PARAGRAPH", `"`+strings.Repeat("x", hugeText+1)+`"`, 1) +
		",\n" + `{"id": "s2", "date": "2024-01-02", "title": "T"}, {"id": "s3", "date": "2024-01-03", "title": "T"}` + "\n]}"
	var ids []string
	if err := DecodeJSON("d.json", strings.NewReader(doc), func(s *Session) error { ids = append(ids, s.ID); return nil }); err != nil {
		t.Fatal(err)
	}
	if strings.Join(ids, " ") != "big s2 s3" {
		t.Fatalf("read %v", ids)
	}
}

// The line reader passes large reads through without copying them.
func TestLineReaderDoesNotCopyReads(t *testing.T) {
	const n = 16 << 20
	text := strings.Repeat("word ", n/5)
	lr := newLineReader(strings.NewReader(text))
	buf := make([]byte, n/4)
	start := allocated()
	for {
		if _, err := lr.Read(buf); err == io.EOF {
			break
		} else if err != nil {
			t.Fatal(err)
		}
	}
	if alloc := allocated() - start; alloc > n/16 {
		t.Fatalf("%d KiB allocated to read %d MiB", alloc>>10, n>>20)
	}
}

// The line reader checks UTF-8 across reads of any size, splitting runes
// anywhere, and names the first bad byte where reading it whole would.
func TestLineReaderUTF8AcrossReads(t *testing.T) {
	texts := []string{
		"plain ascii\nand more",
		"Ұлттық құрылтай\nотырысы 🙂 end",
		"bad \xff here",
		"split Қ\xd2 then more",
		"ends inside a rune \xe2\x82",
		"\xf0\x9f\x99",
		"€€€\n\xe2\x28\xa1 overlong",
	}
	readers := map[string]func(io.Reader) io.Reader{
		"whole":    func(r io.Reader) io.Reader { return r },
		"one byte": iotest.OneByteReader,
		"half":     iotest.HalfReader,
	}
	for _, text := range texts {
		want := int64(-1)
		if !utf8.ValidString(text) {
			want = int64(invalidUTF8At([]byte(text)))
		}
		for name, wrap := range readers {
			lr := newLineReader(wrap(strings.NewReader(text)))
			_, err := io.ReadAll(lr)
			var ue *utf8Error
			got := int64(-1)
			if errors.As(err, &ue) {
				got = ue.offset
			} else if err != nil {
				t.Fatalf("%q %s: %v", text, name, err)
			}
			if got != want {
				t.Errorf("%q read %s: bad byte at %d, want %d", text, name, got, want)
			}
			if want < 0 {
				line, _ := lr.position(int64(len(text)))
				if wantLine := 1 + strings.Count(text, "\n"); line != wantLine {
					t.Errorf("%q read %s: end on line %d, want %d", text, name, line, wantLine)
				}
			}
		}
	}
}

func ExampleRefusedIncludes() {
	err := RefusedIncludes{{Root: "ParlaMint-XX.xml", Href: "../other/ParlaMint-XX_2020.xml", Why: whyOutside}}
	fmt.Println(err)
	// Output: ParlaMint-XX.xml: xi:include "../other/ParlaMint-XX_2020.xml" leaves the corpus folder; pass --allow-outside to import it
}
