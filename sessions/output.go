package sessions

import (
	"io"
	"os"
	"path/filepath"

	"kurultai/sessions/msg"
)

// Output writes sessions to a file or folder in one of the interchange
// formats. It writes under a temporary name beside the destination and
// moves the result into place only in Close, so a failure or an interrupt
// never leaves a partial file where the destination should be.
type Output struct {
	write func(*Session) error
	close func() error
	abort func()
}

// Write adds one session.
func (o *Output) Write(s *Session) error { return o.write(s) }

// Close finishes the output and moves it into place.
func (o *Output) Close() error { return o.close() }

// Abort removes what was written.
func (o *Output) Abort() { o.abort() }

// CreateOutput starts an output: "json" writes one file at path;
// "markdown" and "tei" write a folder, which must not exist or be empty.
func CreateOutput(format, path string) (*Output, error) {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, msg.Errorf("cannot create %s: %v", dir, err)
	}
	switch format {
	case "json":
		f, err := createAtomic(path)
		if err != nil {
			return nil, msg.Errorf("cannot write in %s: %v", dir, err)
		}
		// Escaped as every JSON kurultai writes (WriteJSON).
		esc := NewJSONEscaper(f)
		jw, err := NewJSONWriter(esc)
		if err != nil {
			f.abort()
			return nil, err
		}
		return &Output{
			write: jw.Write,
			close: func() error {
				err := jw.Close()
				if err == nil {
					err = esc.Flush()
				}
				if err != nil {
					f.abort()
					return err
				}
				return f.commit()
			},
			abort: f.abort,
		}, nil
	case "markdown", "tei":
		if entries, err := os.ReadDir(path); err == nil && len(entries) > 0 {
			return nil, msg.Errorf("%s already exists and is not empty; choose a new folder", path)
		}
		tmp, err := os.MkdirTemp(dir, "."+filepath.Base(path)+".tmp-*")
		if err != nil {
			return nil, msg.Errorf("cannot write in %s: %v", dir, err)
		}
		os.Chmod(tmp, 0o755)
		move := func() error {
			os.Remove(path) // an empty folder in the way
			if err := os.Rename(tmp, path); err != nil {
				os.RemoveAll(tmp)
				return err
			}
			return nil
		}
		out := &Output{close: move, abort: func() { os.RemoveAll(tmp) }}
		if format == "markdown" {
			out.write = NewMarkdownWriter(tmp).Write
			return out, nil
		}
		tw := NewTEIWriter(tmp, "ParlaMint-XX")
		out.write = tw.Write
		out.close = func() error {
			if err := tw.Close(); err != nil {
				os.RemoveAll(tmp)
				return err
			}
			return move()
		}
		return out, nil
	}
	return nil, msg.Errorf("unknown format %q", format)
}

// WriteFileAtomic writes a file under a temporary name beside it and
// renames it into place, so a failure leaves no partial file.
func WriteFileAtomic(path string, write func(io.Writer) error) error {
	f, err := createAtomic(path)
	if err != nil {
		return err
	}
	if err := write(f); err != nil {
		f.abort()
		return err
	}
	return f.commit()
}

// atomicFile is a file written under a temporary name beside its path and
// moved there by commit.
type atomicFile struct {
	*os.File
	path string
}

func createAtomic(path string) (*atomicFile, error) {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return nil, err
	}
	return &atomicFile{File: f, path: path}, nil
}

func (f *atomicFile) commit() error {
	err := f.Sync()
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		os.Chmod(f.Name(), 0o644)
		err = os.Rename(f.Name(), f.path)
	}
	if err != nil {
		os.Remove(f.Name())
	}
	return err
}

func (f *atomicFile) abort() {
	f.Close()
	os.Remove(f.Name())
}
