package ui

import (
	"strings"
	"unicode/utf8"
)

// Sanitize makes archive text safe to draw or print. It removes escape
// sequences (CSI, OSC, DCS, SOS, PM, APC and two-byte ESC forms), C0
// controls other than newline and tab, DEL, and C1 controls, and replaces
// invalid UTF-8, so that a document cannot move the cursor, clear the
// screen, retitle the window or write the clipboard. Carriage returns
// become newlines.
func Sanitize(s string) string {
	if isClean(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size <= 1:
			b.WriteRune(utf8.RuneError)
			i++
		case r == 0x1b:
			i = skipEscape(s, i+1)
		case r == 0x9b: // C1 CSI
			i = skipCSI(s, i+size)
		case r == 0x9d, r == 0x90, r == 0x98, r == 0x9e, r == 0x9f: // C1 OSC, DCS, SOS, PM, APC
			i = skipString(s, i+size)
		case r == '\r':
			if i+1 < len(s) && s[i+1] == '\n' {
				i++
				continue
			}
			b.WriteByte('\n')
			i++
		case r == '\n', r == '\t':
			b.WriteRune(r)
			i += size
		case r < 0x20, r == 0x7f, r >= 0x80 && r < 0xa0:
			i += size
		default:
			b.WriteString(s[i : i+size])
			i += size
		}
	}
	return b.String()
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

func isClean(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x20 && c != '\n' && c != '\t' || c == 0x7f {
			return false
		}
		if c >= 0x80 {
			// 0xC2 0x80-0x9F encodes the C1 controls.
			if c == 0xc2 && i+1 < len(s) && s[i+1] < 0xa0 {
				return false
			}
			if !utf8.ValidString(s[i:]) {
				return false
			}
			return isCleanUTF8(s[i:])
		}
	}
	return true
}

func isCleanUTF8(s string) bool {
	for _, r := range s {
		if r < 0x20 && r != '\n' && r != '\t' || r == 0x7f || r >= 0x80 && r < 0xa0 {
			return false
		}
	}
	return true
}

// skipEscape skips what follows an ESC and returns the index after it.
func skipEscape(s string, i int) int {
	if i >= len(s) {
		return i
	}
	switch s[i] {
	case '[':
		return skipCSI(s, i+1)
	case ']', 'P', 'X', '^', '_':
		return skipString(s, i+1)
	}
	// ESC followed by intermediates (0x20-0x2F) and one final byte.
	for i < len(s) && s[i] >= 0x20 && s[i] <= 0x2f {
		i++
	}
	if i < len(s) && s[i] >= 0x30 && s[i] <= 0x7e {
		i++
	}
	return i
}

// skipCSI skips parameter and intermediate bytes and the final byte.
func skipCSI(s string, i int) int {
	for i < len(s) {
		c := s[i]
		i++
		if c >= 0x40 && c <= 0x7e {
			return i
		}
		if c < 0x20 || c > 0x7e {
			// Not a well-formed sequence: stop here and let the caller
			// handle the byte.
			return i - 1
		}
	}
	return i
}

// skipString skips a control string up to BEL, ESC \ or C1 ST.
func skipString(s string, i int) int {
	for i < len(s) {
		switch {
		case s[i] == 0x07:
			return i + 1
		case s[i] == 0x1b:
			if i+1 < len(s) && s[i+1] == '\\' {
				return i + 2
			}
			return i + 1
		case s[i] == 0xc2 && i+1 < len(s) && s[i+1] == 0x9c:
			return i + 2
		}
		i++
	}
	return i
}

// KeepStyling filters text that a renderer produced from archive text: it
// keeps SGR sequences (colour and emphasis, ESC [ … m) and removes every
// other escape sequence and control character. glamour decodes HTML
// entities, so "&#27;" in an archive becomes a real ESC after Sanitize has
// run; this second pass closes that door. Tabs become spaces.
func KeepStyling(s string) string {
	if !strings.ContainsAny(s, "\x1b\t\r\x07\x08\x7f") && isClean(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		c := s[i]
		if c == 0x1b && i+1 < len(s) && s[i+1] == '[' {
			end := skipCSI(s, i+2)
			seq := s[i:end]
			if end > i+2 && seq[len(seq)-1] == 'm' && strings.Trim(seq[2:len(seq)-1], "0123456789;:") == "" {
				b.WriteString(seq)
			}
			i = end
			continue
		}
		if c == '\t' {
			b.WriteString("    ")
			i++
			continue
		}
		if c == '\n' {
			b.WriteByte(c)
			i++
			continue
		}
		// Everything else goes through Sanitize's rules one rune or
		// sequence at a time.
		j := i + 1
		for j < len(s) && s[j] != 0x1b && s[j] != '\t' && s[j] != '\n' {
			j++
		}
		b.WriteString(Sanitize(s[i:j]))
		i = j
	}
	return b.String()
}
