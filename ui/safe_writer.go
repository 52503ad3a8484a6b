package ui

import (
	"io"
	"sync"
)

// SafeWriter passes text on to a writer with KeepStyling's rules: SGR
// styling is kept and every other escape sequence and control character
// is removed, Invisible characters are shown as ⟨U+202E⟩, and invalid
// UTF-8 becomes U+FFFD. Unlike KeepStyling it keeps tabs and CR LF, which
// CSV and RIS need and which move nothing a newline would not. It is the
// gate for command output that reaches a terminal, a pipe or an SSH
// channel: a sequence or a rune split across writes is held until it is
// complete, so a partial ESC never gets through.
//
// Clean text (no ESC, no controls but newline and tab, nothing Invisible)
// is written on as it came, without copying. Each Write makes at most one
// write to the writer under it. A SafeWriter may be used from several
// goroutines.
type SafeWriter struct {
	mu  sync.Mutex
	w   io.Writer
	f   filter
	buf []byte
}

// NewSafeWriter returns a SafeWriter that writes to w.
func NewSafeWriter(w io.Writer) *SafeWriter {
	return &SafeWriter{w: w, f: filter{rules: outputRules}}
}

// Write filters p and writes the result on. It reports all of p written
// unless the writer under it fails; what p ends with that may continue in
// the next write is held back.
func (s *SafeWriter) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.f.idle() && cleanLen(p, true) == len(p) {
		if _, err := s.w.Write(p); err != nil {
			return 0, err
		}
		return len(p), nil
	}
	if err := s.write(s.f.feed(s.buf[:0], p)); err != nil {
		return 0, err
	}
	return len(p), nil
}

// Flush ends the text: an incomplete UTF-8 rune is written as U+FFFD, a
// lone CR as a newline, and an unfinished escape sequence is dropped. The
// writer may be used again after it.
func (s *SafeWriter) Flush() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.write(s.f.flush(s.buf[:0]))
}

func (s *SafeWriter) write(out []byte) error {
	// Keep the buffer for the next write, unless one huge write grew it.
	if cap(out) <= 1<<20 {
		s.buf = out[:0]
	} else {
		s.buf = nil
	}
	if len(out) == 0 {
		return nil
	}
	_, err := s.w.Write(out)
	return err
}
