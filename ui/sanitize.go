package ui

import (
	"strings"
	"unicode/utf8"

	"kurultai/sessions"
)

// Sanitize makes archive text safe to draw or print. It removes escape
// sequences (CSI, OSC, DCS, SOS, PM, APC and two-byte ESC forms), C0
// controls other than newline and tab, DEL, and C1 controls, and replaces
// invalid UTF-8, so that a document cannot move the cursor, clear the
// screen, retitle the window or write the clipboard. Carriage returns
// become newlines. Bidi controls and zero-width characters
// (sessions.Invisible) are shown by their code point, as ⟨U+202E⟩, so
// that text cannot be made to read differently from what it is; the
// visible form is eight cells wide wherever text is measured.
func Sanitize(s string) string {
	n := cleanLen(s, true)
	if n == len(s) {
		return s
	}
	return filterString(s, n, plainRules)
}

// SanitizeLine is Sanitize for text shown on one line: newlines and tabs
// become spaces.
func SanitizeLine(s string) string {
	s = Sanitize(s)
	if strings.ContainsAny(s, "\n\t") {
		s = strings.NewReplacer("\n", " ", "\t", " ").Replace(s)
	}
	return s
}

// KeepStyling filters text that a renderer produced from archive text: it
// keeps SGR sequences (colour and emphasis, ESC [ … m) and removes every
// other escape sequence and control character, as Sanitize does. glamour
// decodes HTML entities, so "&#27;" in an archive becomes a real ESC (and
// "&#x202E;" a real override) after Sanitize has run; this second pass
// closes that door. Tabs become spaces.
func KeepStyling(s string) string {
	n := cleanLen(s, false)
	if n == len(s) {
		return s
	}
	return filterString(s, n, styleRules)
}

// filterString runs s through a filter, of which its first n bytes need no
// change. It feeds the filter in small pieces, so that a long text is
// held once more, in the result, and not three times.
func filterString(s string, n int, r rules) string {
	f := filter{rules: r}
	var b strings.Builder
	b.Grow(len(s) + 16)
	b.WriteString(s[:n])
	var in [8192]byte
	var out []byte
	for i := n; i < len(s); {
		k := copy(in[:], s[i:])
		i += k
		out = f.feed(out[:0], in[:k])
		b.Write(out)
	}
	b.Write(f.flush(out[:0]))
	return b.String()
}

// cleanLen is the length of the start of s that every filter passes as it
// is: printable ASCII, newline, tab if tab is set, and valid UTF-8 that is
// neither a C1 control nor Invisible. It is the fast path of Sanitize,
// KeepStyling and SafeWriter, so it reads bytes, not runes; an incomplete
// rune at the end of s is not counted. TestCleanLenAgreesWithRunes checks
// it against sessions.Invisible for every code point.
func cleanLen[T string | []byte](s T, tab bool) int {
	i := 0
	for i < len(s) {
		c := s[i]
		switch {
		case c >= 0x20 && c < 0x7f || c == '\n' || c == '\t' && tab:
			i++
		case c >= 0xd0 && c <= 0xd3 && i+1 < len(s) && s[i+1]&0xc0 == 0x80:
			// Cyrillic and Kazakh letters, the common case after ASCII.
			i += 2
		case c < 0xc2:
			// Other C0 controls, DEL, a stray continuation byte or
			// an overlong lead.
			return i
		case c < 0xe0:
			if i+1 >= len(s) {
				return i
			}
			c1 := s[i+1]
			// 0xC2 0x80–0x9F are the C1 controls; 0xC2 0xAD is
			// U+00AD, 0xCD 0x8F U+034F and 0xD8 0x9C U+061C.
			if c1&0xc0 != 0x80 || c == 0xc2 && (c1 < 0xa0 || c1 == 0xad) || c == 0xcd && c1 == 0x8f || c == 0xd8 && c1 == 0x9c {
				return i
			}
			i += 2
		case c < 0xf0:
			if i+2 >= len(s) {
				return i
			}
			c1, c2 := s[i+1], s[i+2]
			lo, hi := byte(0x80), byte(0xbf)
			if c == 0xe0 {
				lo = 0xa0
			} else if c == 0xed {
				hi = 0x9f // no surrogates
			}
			if c1 < lo || c1 > hi || c2&0xc0 != 0x80 {
				return i
			}
			switch c {
			case 0xe1: // U+115F, U+1160, U+180E
				if c1 == 0xa0 && c2 == 0x8e || c1 == 0x85 && (c2 == 0x9f || c2 == 0xa0) {
					return i
				}
			case 0xe2: // U+200B–U+200F, U+2028–U+202E, U+2060–U+206F
				if c1 == 0x80 && (c2 >= 0x8b && c2 <= 0x8f || c2 >= 0xa8 && c2 <= 0xae) || c1 == 0x81 && c2 >= 0xa0 && c2 <= 0xaf {
					return i
				}
			case 0xe3: // U+3164
				if c1 == 0x85 && c2 == 0xa4 {
					return i
				}
			case 0xef: // U+FEFF, U+FFA0
				if c1 == 0xbb && c2 == 0xbf || c1 == 0xbe && c2 == 0xa0 {
					return i
				}
			}
			i += 3
		case c < 0xf5:
			if i+3 >= len(s) {
				return i
			}
			c1 := s[i+1]
			lo, hi := byte(0x80), byte(0xbf)
			if c == 0xf0 {
				lo = 0x90
			} else if c == 0xf4 {
				hi = 0x8f
			}
			if c1 < lo || c1 > hi || s[i+2]&0xc0 != 0x80 || s[i+3]&0xc0 != 0x80 {
				return i
			}
			if c == 0xf3 && c1 == 0xa0 && (s[i+2] == 0x80 || s[i+2] == 0x81) {
				return i // U+E0000–U+E007F, the tag characters
			}
			i += 4
		default:
			return i
		}
	}
	return i
}

// rules say what a filter keeps besides text.
type rules struct {
	sgr  bool // SGR sequences (colour and emphasis)
	tab  bool // tabs; otherwise each becomes four spaces
	crlf bool // CR LF as it is; otherwise it becomes LF
}

var (
	plainRules = rules{tab: true}
	styleRules = rules{sgr: true}
	// outputRules keep what the formats printed need: tabs in CSV
	// fields and the CR LF that ends each RIS line. Both are harmless:
	// a tab only moves right, and a CR right before LF moves nowhere
	// the LF does not.
	outputRules = rules{sgr: true, tab: true, crlf: true}
)

// Filter states.
const (
	ground    = iota
	escape    // after ESC
	escInter  // after ESC and intermediate bytes
	csi       // in a control sequence
	ctlString // in an OSC, DCS, SOS, PM or APC string
)

// maxSGR bounds the SGR sequence a filter holds while it reads it; a longer
// one is dropped. The longest glamour writes (bold, true-colour foreground
// and background) is under 50 bytes.
const maxSGR = 128

// filter is the state machine behind Sanitize, KeepStyling and SafeWriter.
// It reads text in any number of pieces and gives the same result however
// the text is split: an escape sequence, a CR LF or a UTF-8 rune may
// straddle two pieces. A sequence it drops is dropped whole; one that is
// not finished when the text ends is dropped. A control string (OSC and
// the like) ends at BEL, ST, ESC or a newline, which bounds what a missing
// terminator can hide to one line.
type filter struct {
	rules
	state uint8
	cr    bool   // a CR waits to see whether LF follows
	keep  bool   // the control sequence read so far may be SGR
	seq   []byte // ESC [ and the parameters of that sequence
	part  [utf8.UTFMax]byte
	npart int // bytes of an incomplete rune in part
}

// idle reports whether the filter holds nothing, so that clean text may go
// past it untouched.
func (f *filter) idle() bool { return f.state == ground && !f.cr && f.npart == 0 }

// feed appends to dst what p gives, keeping what may continue in the next
// piece.
func (f *filter) feed(dst, p []byte) []byte {
	// Complete a rune that the last piece split, one byte at a time.
	for f.npart > 0 && len(p) > 0 {
		f.part[f.npart] = p[0]
		f.npart++
		p = p[1:]
		for f.npart > 0 && utf8.FullRune(f.part[:f.npart]) {
			r, size := utf8.DecodeRune(f.part[:f.npart])
			dst = f.unit(dst, r, f.part[:size])
			f.npart = copy(f.part[:], f.part[size:f.npart])
		}
	}
	for i := 0; i < len(p); {
		if f.state == ground && !f.cr {
			n := cleanLen(p[i:], f.tab)
			dst = append(dst, p[i:i+n]...)
			if i += n; i == len(p) {
				break
			}
		}
		if c := p[i]; c < utf8.RuneSelf {
			dst = f.unit(dst, rune(c), p[i:i+1])
			i++
			continue
		}
		if !utf8.FullRune(p[i:]) {
			f.npart = copy(f.part[:], p[i:])
			break
		}
		r, size := utf8.DecodeRune(p[i:])
		dst = f.unit(dst, r, p[i:i+size])
		i += size
	}
	return dst
}

// flush appends what the filter holds at the end of the text: an
// incomplete rune becomes U+FFFD, as invalid UTF-8 does, a lone CR a
// newline, and an unfinished sequence is dropped.
func (f *filter) flush(dst []byte) []byte {
	for k := 0; k < f.npart; k++ {
		dst = f.unit(dst, utf8.RuneError, f.part[k:k+1])
	}
	f.npart = 0
	if f.cr {
		dst = append(dst, '\n')
		f.cr = false
	}
	f.state = ground
	return dst
}

// unit takes one rune (raw is its bytes; an invalid byte comes as
// utf8.RuneError).
func (f *filter) unit(dst []byte, r rune, raw []byte) []byte {
	for {
		switch f.state {
		case ground:
			return f.text(dst, r, raw)
		case escape:
			switch {
			case r == '[':
				f.state, f.keep = csi, f.sgr
				f.seq = append(f.seq[:0], 0x1b, '[')
				return dst
			case r == ']', r == 'P', r == 'X', r == '^', r == '_':
				f.state = ctlString
				return dst
			case r >= 0x20 && r <= 0x2f:
				f.state = escInter
				return dst
			case r >= 0x30 && r <= 0x7e:
				f.state = ground
				return dst
			}
			f.state = ground // not part of the sequence: read it again
		case escInter:
			if r >= 0x20 && r <= 0x2f {
				return dst
			}
			f.state = ground
			if r >= 0x30 && r <= 0x7e {
				return dst
			}
		case csi:
			switch {
			case r >= 0x40 && r <= 0x7e:
				f.state = ground
				if f.keep && r == 'm' {
					dst = append(append(dst, f.seq...), 'm')
				}
				return dst
			case r >= 0x20 && r <= 0x3f:
				if f.keep && (r >= '0' && r <= '9' || r == ';' || r == ':') && len(f.seq) < maxSGR {
					f.seq = append(f.seq, byte(r))
				} else {
					f.keep = false
				}
				return dst
			}
			f.state = ground
		case ctlString:
			switch r {
			case 0x07, 0x9c: // BEL, ST
				f.state = ground
			case 0x1b: // ESC \ (ST) or the next sequence
				f.state = escape
			case '\n':
				f.state = ground
				continue
			}
			return dst
		}
	}
}

// text takes one rune outside any sequence.
func (f *filter) text(dst []byte, r rune, raw []byte) []byte {
	if f.cr {
		f.cr = false
		if r == '\n' {
			if f.crlf {
				return append(dst, '\r', '\n')
			}
			return append(dst, '\n')
		}
		dst = append(dst, '\n')
	}
	switch {
	case r == '\n':
		return append(dst, '\n')
	case r == '\t':
		if f.tab {
			return append(dst, '\t')
		}
		return append(dst, "    "...)
	case r == '\r':
		f.cr = true
	case r == 0x1b:
		f.state = escape
	case r == 0x9b: // C1 CSI: never kept, even as SGR
		f.state, f.keep = csi, false
	case r == 0x90, r == 0x98, r == 0x9d, r == 0x9e, r == 0x9f: // C1 DCS, SOS, OSC, PM, APC
		f.state = ctlString
	case r < 0x20, r >= 0x7f && r < 0xa0:
	case r == utf8.RuneError:
		return append(dst, "\uFFFD"...)
	case sessions.Invisible(r):
		return appendVisible(dst, r)
	default:
		return append(dst, raw...)
	}
	return dst
}

// appendVisible appends the visible form of an Invisible character:
// ⟨U+202E⟩.
func appendVisible(dst []byte, r rune) []byte {
	const hex = "0123456789ABCDEF"
	dst = append(dst, "⟨U+"...)
	dst = append(dst, hex[r>>12&0xf], hex[r>>8&0xf], hex[r>>4&0xf], hex[r&0xf])
	return append(dst, "⟩"...)
}
