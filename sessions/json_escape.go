package sessions

import (
	"encoding/json"
	"io"
	"unicode/utf16"
	"unicode/utf8"
)

// WriteJSON writes v to w as indented JSON followed by a newline, as a
// json.Encoder with SetIndent("", "  ") does, but with DEL, the C1
// controls and the Invisible characters escaped as well (\u009b, \u202e).
// encoding/json escapes the C0 controls but writes U+007F–U+009F raw,
// and some terminals take U+009B and U+009D as the start of a control
// sequence. Decoding gives the data back exactly. Every JSON that
// kurultai prints or writes goes through WriteJSON or JSONEscaper.
func WriteJSON(w io.Writer, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	b = append(EscapeJSON(b), '\n')
	_, err = w.Write(b)
	return err
}

// EscapeJSON escapes DEL, the C1 controls and the Invisible characters in
// JSON text as encoding/json writes it. It is safe on a whole document
// because encoding/json writes nothing but ASCII outside strings. It
// returns b itself when there is nothing to escape.
func EscapeJSON(b []byte) []byte {
	out, n, changed := escapeJSON(nil, b)
	if !changed {
		return b
	}
	// An incomplete rune at the end is not one of the escaped characters.
	return append(out, b[n:]...)
}

// escapeJSON appends p to dst with the characters escaped, up to an
// incomplete rune at the end of p, and says how much of p it used. When
// nothing needed escaping it appends nothing and says so, so that the
// caller can use p as it is.
func escapeJSON(dst, p []byte) (out []byte, n int, changed bool) {
	last := 0
	for i := 0; i < len(p); i++ {
		switch p[i] {
		case 0x7f, 0xc2, 0xcd, 0xd8, 0xe1, 0xe2, 0xe3, 0xef, 0xf3:
			// The first bytes of DEL, the C1 controls and the
			// Invisible characters in UTF-8.
		default:
			continue
		}
		if !utf8.FullRune(p[i:]) {
			if changed {
				dst = append(dst, p[last:i]...)
			}
			return dst, i, changed
		}
		r, size := utf8.DecodeRune(p[i:])
		if r == 0x7f || r >= 0x80 && r < 0xa0 || Invisible(r) {
			dst = append(dst, p[last:i]...)
			dst = appendUnicodeEscape(dst, r)
			last = i + size
			changed = true
		}
		i += size - 1
	}
	if changed {
		dst = append(dst, p[last:]...)
	}
	return dst, len(p), changed
}

func appendUnicodeEscape(dst []byte, r rune) []byte {
	const hex = "0123456789abcdef"
	if r > 0xffff {
		// Outside the Basic Multilingual Plane JSON writes a surrogate
		// pair.
		r1, r2 := utf16.EncodeRune(r)
		return appendUnicodeEscape(appendUnicodeEscape(dst, r1), r2)
	}
	return append(dst, '\\', 'u', hex[r>>12&0xf], hex[r>>8&0xf], hex[r>>4&0xf], hex[r&0xf])
}

// JSONEscaper is EscapeJSON for a stream: JSON written to it reaches the
// writer under it escaped, however the writes split the text. It is not
// safe for concurrent use.
type JSONEscaper struct {
	w    io.Writer
	part []byte // an incomplete rune at the end of the last write
	buf  []byte
}

// NewJSONEscaper returns a JSONEscaper that writes to w.
func NewJSONEscaper(w io.Writer) *JSONEscaper { return &JSONEscaper{w: w} }

// Write escapes p and writes it on; an incomplete rune at its end waits
// for the next write.
func (e *JSONEscaper) Write(p []byte) (int, error) {
	total := len(p)
	out := e.buf[:0]
	// Complete a rune that the last write split, one byte at a time.
	for len(e.part) > 0 && len(p) > 0 {
		e.part = append(e.part, p[0])
		p = p[1:]
		if utf8.FullRune(e.part) {
			o, n, changed := escapeJSON(out, e.part)
			if !changed {
				o = append(out, e.part[:n]...)
			}
			out = o
			e.part = append(e.part[:0], e.part[n:]...)
		}
	}
	o, n, changed := escapeJSON(out, p)
	switch {
	case changed:
		out = o
	case len(out) == 0:
		out = p[:n] // the common case: written as it came
	default:
		out = append(out, p[:n]...)
	}
	e.buf = o[:0] // o is this writer's buffer, never p
	e.part = append(e.part, p[n:]...)
	if len(out) > 0 {
		if _, err := e.w.Write(out); err != nil {
			return 0, err
		}
	}
	return total, nil
}

// Flush writes what is held back: an incomplete rune, which is not one of
// the escaped characters.
func (e *JSONEscaper) Flush() error {
	if len(e.part) == 0 {
		return nil
	}
	_, err := e.w.Write(e.part)
	e.part = e.part[:0]
	return err
}

// AppendJSONString appends s to dst as a JSON string, escaped as
// encoding/json and then EscapeJSON would leave it (quotes, backslashes,
// C0 controls, DEL, the C1 controls and the Invisible characters as
// escapes; invalid UTF-8 as U+FFFD), in one pass: for writers of many
// records, such as a search streaming every result.
func AppendJSONString(dst []byte, s string) []byte {
	const hex = "0123456789abcdef"
	dst = append(dst, '"')
	last := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' && c != 0x7f && c != '<' && c != '>' && c != '&' {
				i++
				continue
			}
			dst = append(dst, s[last:i]...)
			switch c {
			case '"', '\\':
				dst = append(dst, '\\', c)
			case '\n':
				dst = append(dst, '\\', 'n')
			case '\r':
				dst = append(dst, '\\', 'r')
			case '\t':
				dst = append(dst, '\\', 't')
			default:
				// The rest of C0, DEL, and < > & as encoding/json has them.
				dst = append(dst, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
			}
			i++
			last = i
			continue
		}
		if c >= 0xc3 && c <= 0xdf && c != 0xcd && c != 0xd8 && i+1 < len(s) && s[i+1]&0xc0 == 0x80 {
			// Two bytes that hold none of the escaped characters (the
			// C1 controls and U+00AD start 0xC2, U+034F 0xCD, U+061C
			// 0xD8): Cyrillic, Kazakh, Greek, most Latin.
			i += 2
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			dst = append(dst, s[last:i]...)
			dst = append(dst, `\ufffd`...)
			i++
			last = i
			continue
		}
		if r < 0xa0 || Invisible(r) {
			dst = append(dst, s[last:i]...)
			dst = appendUnicodeEscape(dst, r)
			last = i + size
		}
		i += size
	}
	dst = append(dst, s[last:]...)
	return append(dst, '"')
}
