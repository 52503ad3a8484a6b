package cli

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"kurultai/data"
	"kurultai/sessions"
	"kurultai/ui"
)

// Import reads files and folders into the archive in one transaction.
func Import(ctx context.Context, paths []string, o Options, e Env) error {
	batchMemory()
	// An archive that does not exist yet is built as gen builds one:
	// under a temporary name, moved into place when the import is done,
	// and written without a write-ahead log that would then have to be
	// copied into it (see data.Builder).
	var build *data.Builder
	if o.Archive != "" && e.Remote == nil {
		if _, err := os.Lstat(o.Archive); errors.Is(err, fs.ErrNotExist) {
			if build, err = data.NewBuilder(ctx, o.Archive); err != nil {
				return err
			}
			defer build.Abort()
		}
	}
	// path is the archive's own name, not the temporary one it is built under.
	var db *data.DB
	path := o.Archive
	if build != nil {
		db = build.DB()
	} else {
		var err error
		if db, err = WritableArchive(ctx, o, e); err != nil {
			return err
		}
		defer db.Close()
		path = db.Path()
	}
	opts := data.ImportOptions{KeepGoing: o.KeepGoing, AllowOutside: o.AllowOutside, Origin: "import",
		Warn: func(msg string) { fmt.Fprintln(e.Stderr, "kurultai: warning: "+OneLine(msg)) }}
	if !o.Quiet {
		// The bar redraws its line, so it writes to the terminal itself;
		// elsewhere it prints plain lines through the filtered stderr.
		w, tty, width := e.Stderr, false, 0
		if e.progress != nil {
			w = e.progress
			tty, width = isTerminal(e.progress)
		}
		opts.Progress = ui.NewProgress(w, tty, width)
	} else {
		opts.Warn = func(string) {}
	}
	rep, err := db.ImportFiles(ctx, paths, opts)
	if err == nil && build != nil {
		err = build.Close()
	}
	if err != nil {
		if ctx.Err() != nil {
			return Interrupted{Msg: "import interrupted: nothing was written, the archive is as it was"}
		}
		return fmt.Errorf("%w (nothing was imported; the archive is as it was)", err)
	}
	rate := 0.0
	if s := rep.Elapsed.Seconds(); s > 0 {
		rate = float64(rep.Records) / s
	}
	fmt.Fprintf(e.Stdout, "imported %s into %s: %s added, %d updated, %d unchanged (%s, %s records/s)\n",
		ui.Count(rep.Files-len(rep.Failed), "file"), path, ui.Count(rep.Added, "session"), rep.Updated, rep.Unchanged,
		ui.Count(int(rep.Records), "record"), ui.Thousands(int64(rate)))
	if rep.Lemmas > 0 {
		fmt.Fprintf(e.Stdout, "lemmas read: %s in %s (search them with lemma:)\n",
			ui.Count(rep.Lemmas, "word"), ui.Count(rep.LemmaParagraphs, "paragraph"))
	}
	if len(rep.Failed) > 0 {
		fmt.Fprintf(e.Stderr, "kurultai: %d sources were not imported:\n", len(rep.Failed))
		for _, f := range rep.Failed {
			fmt.Fprintln(e.Stderr, "  "+OneLine(f.Err.Error()))
		}
		return SilentFailure{}
	}
	return nil
}

// sink is where dump and gen put sessions: an archive or an interchange
// format, written under a temporary name and moved into place when done.
type sink struct {
	write func(*sessions.Session) error
	close func() error
	abort func()
}

func newSink(ctx context.Context, format, path string) (*sink, error) {
	if format == "archive" {
		b, err := data.NewBuilder(ctx, path)
		if err != nil {
			return nil, err
		}
		return &sink{write: func(s *sessions.Session) error { return b.Write(ctx, s, "gen") }, close: b.Close, abort: b.Abort}, nil
	}
	out, err := sessions.CreateOutput(format, path)
	if err != nil {
		return nil, err
	}
	return &sink{write: out.Write, close: out.Close, abort: out.Abort}, nil
}

// fill writes every session that each gives, then closes the sink; on
// any error it aborts instead, so that nothing is left at the path.
func (k *sink) fill(each func(yield func(*sessions.Session) error) error) (int, error) {
	n := 0
	err := each(func(s *sessions.Session) error {
		n++
		return k.write(s)
	})
	if err != nil {
		k.abort()
		return n, err
	}
	return n, k.close()
}

// Dump writes the archive in an importable form.
func Dump(ctx context.Context, o Options, e Env) error {
	db, err := OpenArchive(ctx, o, e)
	if err != nil {
		return err
	}
	defer db.Close()
	sink, err := newSink(ctx, o.Format, o.Out)
	if err != nil {
		return err
	}
	// Markdown and TEI as written here have no place for a paragraph's
	// lemmas or its own
	// language: the paragraphs that have them are counted, and the dump
	// says so.
	lemmas, langs := 0, 0
	n, err := sink.fill(func(yield func(*sessions.Session) error) error {
		return db.EachSession(ctx, func(s *sessions.Session) error {
			for _, sp := range s.Speeches {
				for _, p := range sp.Paragraphs {
					if len(p.Lemmas) > 0 {
						lemmas++
					}
					if p.Language != "" {
						langs++
					}
				}
			}
			return yield(s)
		})
	})
	if err != nil {
		return fmt.Errorf("cannot dump to %s: %w (nothing was written there)", o.Out, err)
	}
	fmt.Fprintf(e.Stdout, "wrote %s to %s\n", ui.Count(n, "session"), o.Out)
	if (o.Format == "markdown" || o.Format == "tei") && lemmas+langs > 0 {
		fmt.Fprintf(e.Stderr, "kurultai: warning: --format %s keeps no lemmas and no languages of single paragraphs: "+
			"%s with lemmas and %s in a language of their own were written without them; --format json keeps them\n",
			o.Format, ui.Count(lemmas, "paragraph"), ui.Count(langs, "paragraph"))
	}
	return nil
}

// Generate writes a synthetic archive for benchmarks.
func Generate(ctx context.Context, o Options, e Env) error {
	batchMemory()
	sink, err := newSink(ctx, o.Format, o.Out)
	if err != nil {
		return err
	}
	n, err := sink.fill(func(yield func(*sessions.Session) error) error {
		return sessions.Generate(o.Gen, func(s *sessions.Session) error {
			if err := ctx.Err(); err != nil {
				return err
			}
			return yield(s)
		})
	})
	if err != nil {
		if ctx.Err() != nil {
			return Interrupted{Msg: "gen interrupted: nothing was written"}
		}
		return fmt.Errorf("cannot generate %s: %w", o.Out, err)
	}
	fmt.Fprintf(e.Stdout, "wrote %s, %s, to %s\n", ui.Count(n, "session"), ui.Count(o.Gen.Paragraphs, "paragraph"), o.Out)
	return nil
}

// OutPath is the file that -o or --out names: path itself, or, when path
// names a folder (an existing one, or any path ending in a slash), the
// file name inside it. The folder formats (markdown, tei) pass name ""
// and keep path as it is, since for them the folder is the output.
func OutPath(path, name string) string {
	if path == "" || name == "" {
		return path
	}
	if strings.HasSuffix(path, "/") || strings.HasSuffix(path, string(filepath.Separator)) {
		return filepath.Join(path, name)
	}
	// Stat, not Lstat: a link to a folder is a folder to write in.
	if st, err := os.Stat(path); err == nil && st.IsDir() {
		return filepath.Join(path, name)
	}
	return path
}

// OutName is the file name that dump (what "dump") and gen (what "gen")
// write in a folder given with -o or --out, by format; "" for the formats
// that write a folder of their own.
func OutName(what, format string) string {
	switch format {
	case "json":
		return "kurultai-" + what + ".json"
	case "archive":
		return "kurultai-" + what + ".db"
	}
	return ""
}
