package sessions

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"unicode/utf8"
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
	dec := json.NewDecoder(lr)
	dec.DisallowUnknownFields()
	fail := func(off int64, format string, args ...any) error {
		line, col := lr.position(off)
		return &Error{File: name, Line: line, Column: col, Msg: fmt.Sprintf(format, args...)}
	}
	wrap := func(err error, off int64) error {
		var se *json.SyntaxError
		var te *json.UnmarshalTypeError
		var ue *utf8Error
		switch {
		case errors.As(err, &ue):
			return fail(ue.offset, "the file is not valid UTF-8 text")
		case errors.As(err, &se):
			return fail(se.Offset, "malformed JSON: %s", se.Error())
		case errors.As(err, &te):
			return fail(te.Offset, "field %q: expected %s, found a JSON %s", te.Field, te.Type, te.Value)
		case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
			return fail(lr.read, "the JSON ends too early")
		}
		return fail(off, "%s", err.Error())
	}
	expect := func(want json.Delim) error {
		tok, err := dec.Token()
		if err != nil {
			return wrap(err, dec.InputOffset())
		}
		if d, ok := tok.(json.Delim); !ok || d != want {
			return fail(dec.InputOffset(), "expected %q, found %v", want, tok)
		}
		return nil
	}
	if err := expect('{'); err != nil {
		return err
	}
	version, gotSessions := 0, false
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return wrap(err, dec.InputOffset())
		}
		key, _ := tok.(string)
		switch key {
		case "kurultai":
			off := dec.InputOffset()
			if err := dec.Decode(&version); err != nil {
				return wrap(err, off)
			}
			if version != JSONVersion {
				return fail(off, "this file is kurultai JSON version %d; this kurultai reads version %d", version, JSONVersion)
			}
		case "sessions":
			if version == 0 {
				return fail(dec.InputOffset(), `expected "kurultai": %d before "sessions"`, JSONVersion)
			}
			gotSessions = true
			if err := expect('['); err != nil {
				return err
			}
			for dec.More() {
				off := dec.InputOffset()
				lr.forget(off)
				var s Session
				if err := dec.Decode(&s); err != nil {
					return wrap(err, off)
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
				if err := emit(&s); err != nil {
					return err
				}
			}
			if err := expect(']'); err != nil {
				return err
			}
		default:
			return fail(dec.InputOffset(), `unknown field %q; expected "kurultai" and "sessions"`, key)
		}
	}
	if err := expect('}'); err != nil {
		return err
	}
	if !gotSessions {
		return fail(dec.InputOffset(), `no "sessions" in the document`)
	}
	if _, err := dec.Token(); err != io.EOF {
		return fail(dec.InputOffset(), "unexpected data after the document")
	}
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
}

type utf8Error struct{ offset int64 }

func (e *utf8Error) Error() string { return "invalid UTF-8" }

func newLineReader(r io.Reader) *lineReader { return &lineReader{r: r} }

func (l *lineReader) Read(p []byte) (int, error) {
	n, err := l.r.Read(p)
	chunk := p[:n]
	for i, c := range chunk {
		if c == '\n' {
			l.starts = append(l.starts, l.read+int64(i)+1)
		}
	}
	// Check UTF-8, carrying an incomplete rune over to the next read.
	buf := append(l.pending, chunk...)
	if utf8.Valid(buf) {
		l.pending = l.pending[:0]
		l.read += int64(n)
		return n, err
	}
	valid := len(buf)
	for i := 0; i < len(buf); {
		r, size := utf8.DecodeRune(buf[i:])
		if r == utf8.RuneError && size <= 1 {
			if !utf8.FullRune(buf[i:]) && err == nil {
				valid = i
				break
			}
			return 0, &utf8Error{offset: l.read - int64(len(l.pending)) + int64(i)}
		}
		i += size
	}
	l.pending = append(l.pending[:0], buf[valid:]...)
	l.read += int64(n)
	return n, err
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
