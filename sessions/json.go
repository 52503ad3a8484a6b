package sessions

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
	"unicode/utf8"

	"kurultai/sessions/msg"
)

// JSONVersion is the version of the interchange document that EncodeJSON
// writes and DecodeJSON reads.
const JSONVersion = 1

// The interchange document is one JSON object:
//
//	{"kurultai": 1, "sessions": [ {session}, … ]}
//
// Each session carries its speeches (with paragraphs) and proposals (with
// timelines and references), with the field names of the sessions types.

// DecodeJSON reads an interchange document and hands each session to emit
// as soon as it is read, so that a document of any size is read in flat
// memory. Errors name the file and the line and column.
func DecodeJSON(name string, r io.Reader, emit func(*Session) error) error {
	lr := newLineReader(r)
	js := &jsonStream{lr: lr, dec: json.NewDecoder(lr)}
	js.dec.DisallowUnknownFields()
	fail := func(off int64, format string, args ...any) error {
		line, col := lr.position(off)
		return &Error{File: name, Line: line, Column: col, Msg: msg.T(format, args...)}
	}
	// wrap names the place of an error just returned by the decoder: off
	// for an error that it does not place, and for a field of the wrong
	// type, data plus its offset in the value (which starts at data).
	wrap := func(err error, off, data int64) error {
		var se *json.SyntaxError
		var te *json.UnmarshalTypeError
		var ue *utf8Error
		switch {
		case errors.As(err, &ue):
			return fail(ue.offset, "the file is not valid UTF-8 text")
		case errors.As(err, &se):
			return fail(js.syntaxAt(), "malformed JSON: %s", se.Error())
		case errors.As(err, &te):
			return fail(data+te.Offset, "field %q: expected %s, found a JSON %s", te.Field, te.Type, te.Value)
		case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
			return fail(lr.read, "the JSON ends too early")
		}
		return fail(off, "%s", err.Error())
	}
	expect := func(want json.Delim) error {
		tok, err := js.dec.Token()
		if err != nil {
			return wrap(err, js.offset(), js.offset())
		}
		if d, ok := tok.(json.Delim); !ok || d != want {
			return fail(js.offset(), "expected %q, found %v", want, tok)
		}
		return nil
	}
	if err := expect('{'); err != nil {
		return err
	}
	version, gotSessions := 0, false
	for js.dec.More() {
		tok, err := js.dec.Token()
		if err != nil {
			return wrap(err, js.offset(), js.offset())
		}
		key, _ := tok.(string)
		switch key {
		case "kurultai":
			off := js.offset()
			if err := js.dec.Decode(&version); err != nil {
				return wrap(err, off, off+1) // after the ':'
			}
			if version != JSONVersion {
				return fail(off, "this file is kurultai JSON version %d; this kurultai reads version %d", version, JSONVersion)
			}
		case "sessions":
			if version == 0 {
				return fail(js.offset(), `expected "kurultai": %d before "sessions"`, JSONVersion)
			}
			gotSessions = true
			if err := expect('['); err != nil {
				return err
			}
			for i := 0; js.dec.More(); i++ {
				// Past the first session, the decoder stands at the comma
				// before it; the decoder places errors after the comma.
				after := js.offset() + int64(min(i, 1))
				off := js.valueStart()
				lr.forget(off)
				var s Session
				if err := js.dec.Decode(&s); err != nil {
					return wrap(err, off, after)
				}
				fillSessionIDs(&s)
				if err := s.Validate(); err != nil {
					var e *Error
					if errors.As(err, &e) {
						line, col := lr.position(off)
						e.File, e.Line, e.Column = name, line, col
					}
					return err
				}
				if js.offset()-off >= hugeText {
					if err := js.restart(); err != nil {
						return wrap(err, js.offset(), js.offset())
					}
				}
				if err := emit(&s); err != nil {
					return err
				}
			}
			if err := expect(']'); err != nil {
				return err
			}
		default:
			return fail(js.offset(), `unknown field %q; expected "kurultai" and "sessions"`, key)
		}
	}
	if err := expect('}'); err != nil {
		return err
	}
	if !gotSessions {
		return fail(js.offset(), `no "sessions" in the document`)
	}
	if _, err := js.dec.Token(); err != io.EOF {
		return fail(js.offset(), "unexpected data after the document")
	}
	return nil
}

// jsonStream is the decoder of a document, which may be replaced partway
// through it, with offsets counted from the start of the document.
type jsonStream struct {
	lr   *lineReader
	dec  *json.Decoder
	base int64 // offset in the document of the decoder's first byte
}

func (j *jsonStream) offset() int64 { return j.base + j.dec.InputOffset() }

// valueStart is where the next value in a list starts: past the comma and
// the white space before it, as far as the decoder has read them.
func (j *jsonStream) valueStart() int64 {
	off := j.offset()
	br, ok := j.dec.Buffered().(io.ByteReader)
	if !ok {
		return off
	}
	for comma := false; ; off++ {
		c, err := br.ReadByte()
		switch {
		case err != nil:
			return off
		case c == ',' && !comma:
			comma = true
		case c != ' ' && c != '\t' && c != '\n' && c != '\r':
			return off
		}
	}
}

// syntaxAt finds the offset of the byte that the decoder has just found
// malformed. The offset in its error leaves out the delimiters it has
// read as tokens, so it does not say; instead what the decoder has not
// consumed, which starts with the value that it failed on, is scanned
// again by a decoder of its own, which counts every byte. When that finds
// nothing wrong (a well-formed value where a delimiter was due), the
// fault is at its start.
func (j *jsonStream) syntaxAt() int64 {
	start := j.offset()
	rest, err := io.ReadAll(j.dec.Buffered())
	if err != nil {
		return start
	}
	var raw json.RawMessage
	var se *json.SyntaxError
	if err := json.NewDecoder(bytes.NewReader(rest)).Decode(&raw); errors.As(err, &se) && se.Offset > 0 {
		return start + se.Offset - 1
	}
	return start
}

// restart replaces the decoder, after a session of hugeText bytes or
// more, by a new one that goes on where it stopped, inside the list of
// sessions. A decoder keeps the largest value it has read in its buffer
// for as long as it lives: after a session of 60 MB, that buffer would be
// held while the session is written, and to the end of the document. The
// new decoder is first walked through a stand-in for what came before,
// {"":[0 , so that it is inside a list of values inside an object, as the
// old one was; offsets count the stand-in out.
func (j *jsonStream) restart() error {
	const standIn = `{"":[0`
	left, err := io.ReadAll(j.dec.Buffered())
	if err != nil {
		return err
	}
	base := j.offset() - int64(len(standIn))
	dec := json.NewDecoder(io.MultiReader(strings.NewReader(standIn), bytes.NewReader(left), j.lr))
	dec.DisallowUnknownFields()
	for range 3 {
		if _, err := dec.Token(); err != nil {
			return err
		}
	}
	var zero int
	if err := dec.Decode(&zero); err != nil {
		return err
	}
	j.dec, j.base = dec, base
	return nil
}

// fillSessionIDs lets speeches and proposals inside a session leave out
// their session's id.
func fillSessionIDs(s *Session) {
	for i := range s.Speeches {
		if s.Speeches[i].SessionID == "" {
			s.Speeches[i].SessionID = s.ID
		}
	}
	for i := range s.Proposals {
		if s.Proposals[i].SessionID == "" {
			s.Proposals[i].SessionID = s.ID
		}
	}
}

// JSONWriter writes an interchange document one session at a time.
type JSONWriter struct {
	w     *bufio.Writer
	count int
}

// NewJSONWriter starts a document on w.
func NewJSONWriter(w io.Writer) (*JSONWriter, error) {
	bw := bufio.NewWriter(w)
	_, err := fmt.Fprintf(bw, "{\n  \"kurultai\": %d,\n  \"sessions\": [", JSONVersion)
	return &JSONWriter{w: bw}, err
}

// Write adds a session.
func (j *JSONWriter) Write(s *Session) error {
	b, err := json.MarshalIndent(s, "    ", "  ")
	if err != nil {
		return err
	}
	sep := "\n    "
	if j.count > 0 {
		sep = ",\n    "
	}
	j.count++
	if _, err := j.w.WriteString(sep); err != nil {
		return err
	}
	_, err = j.w.Write(b)
	return err
}

// Close ends the document.
func (j *JSONWriter) Close() error {
	if _, err := j.w.WriteString("\n  ]\n}\n"); err != nil {
		return err
	}
	return j.w.Flush()
}

// lineReader passes bytes through, checks that they are UTF-8, and
// remembers where lines start so that an offset can be named by line and
// column.
type lineReader struct {
	r       io.Reader
	read    int64
	starts  []int64 // offset of each line start after the first, since forget
	base    int     // lines that started before the first of starts
	baseAt  int64   // offset where line base+1 starts
	pending []byte  // an incomplete rune at the end of the last read
	biggest int     // the largest read asked for, from hugeText up
}

type utf8Error struct{ offset int64 }

func (e *utf8Error) Error() string { return "invalid UTF-8" }

func newLineReader(r io.Reader) *lineReader { return &lineReader{r: r} }

func (l *lineReader) Read(p []byte) (int, error) {
	// The decoder asks for as much as its buffer has room for. A larger
	// read than ever means that the buffer has just doubled, for a value
	// of many megabytes, and left the last one behind.
	if len(p) >= hugeText && len(p) > l.biggest {
		l.biggest = len(p)
		settleMemory()
	}
	n, err := l.r.Read(p)
	chunk := p[:n]
	for i := 0; ; {
		j := bytes.IndexByte(chunk[i:], '\n')
		if j < 0 {
			break
		}
		i += j + 1
		l.starts = append(l.starts, l.read+int64(i))
	}
	if at := l.checkUTF8(chunk, err == nil); at >= 0 {
		return 0, &utf8Error{offset: at}
	}
	l.read += int64(n)
	return n, err
}

// checkUTF8 checks that chunk, after the incomplete rune left from the
// last read, is UTF-8, and keeps an incomplete rune at its end for the
// next read when more may come. It returns the offset of the first byte
// that is not UTF-8, or -1. Only the few bytes of a rune split between
// two reads are copied: a read can be tens of megabytes.
func (l *lineReader) checkUTF8(chunk []byte, more bool) int64 {
	start := l.read // offset of chunk[0]
	if len(l.pending) > 0 {
		var join [utf8.UTFMax]byte
		k := copy(join[:], l.pending)
		k += copy(join[k:], chunk)
		r, size := utf8.DecodeRune(join[:k])
		switch {
		case !utf8.FullRune(join[:k]) && more:
			l.pending = append(l.pending[:0], join[:k]...)
			return -1
		case r == utf8.RuneError && size <= 1:
			return start - int64(len(l.pending))
		}
		used := size - len(l.pending)
		chunk, start = chunk[used:], start+int64(used)
		l.pending = l.pending[:0]
	}
	if utf8.Valid(chunk) {
		return -1
	}
	for i := 0; i < len(chunk); {
		r, size := utf8.DecodeRune(chunk[i:])
		if r == utf8.RuneError && size <= 1 {
			if !utf8.FullRune(chunk[i:]) && more {
				l.pending = append(l.pending[:0], chunk[i:]...)
				return -1
			}
			return start + int64(i)
		}
		i += size
	}
	return -1
}

// forget drops what it knows of lines before off, which no error will
// name any more, so that a long document costs no memory for its lines.
func (l *lineReader) forget(off int64) {
	i := sort.Search(len(l.starts), func(i int) bool { return l.starts[i] > off })
	if i == 0 {
		return
	}
	l.base += i
	l.baseAt = l.starts[i-1]
	l.starts = append(l.starts[:0], l.starts[i:]...)
}

// position turns a byte offset into a line and column, both from 1.
func (l *lineReader) position(off int64) (int, int) {
	i := sort.Search(len(l.starts), func(i int) bool { return l.starts[i] > off })
	start := l.baseAt
	if i > 0 {
		start = l.starts[i-1]
	}
	return l.base + i + 1, int(off-start) + 1
}
