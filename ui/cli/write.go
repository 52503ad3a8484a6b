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
	"kurultai/sessions/msg"
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
	tr := o.Printer(e)
	// clearBar wipes the progress bar's line on a terminal, so that a
	// warning or the error is not written on the end of it.
	clearBar := func() {}
	opts := data.ImportOptions{KeepGoing: o.KeepGoing, AllowOutside: o.AllowOutside, Origin: "import",
		Warn: func(w msg.Text) {
			clearBar()
			fmt.Fprintln(e.Stderr, "kurultai: "+tr.T("warning: %s", OneLine(tr.M(w))))
		}}
	if !o.Quiet {
		// The bar redraws its line, so it writes to the terminal itself;
		// elsewhere it prints plain lines through the filtered stderr.
		w, tty, width := e.Stderr, false, 0
		if e.progress != nil {
			w = e.progress
			tty, width = isTerminal(e.progress)
		}
		if tty {
			clearBar = func() { fmt.Fprint(w, "\r\x1b[2K") }
		}
		opts.Progress = ui.NewProgress(w, tty, width, tr)
	} else {
		opts.Warn = func(msg.Text) {}
	}
	rep, err := db.ImportFiles(ctx, paths, opts)
	if err == nil && build != nil {
		err = build.Close()
	}
	if err != nil {
		clearBar()
		if ctx.Err() != nil {
			return Interrupted{Msg: msg.T("import interrupted: nothing was written, the archive is as it was")}
		}
		return msg.Errorf("%v (nothing was imported; the archive is as it was)", err)
	}
	rate := 0.0
	if s := rep.Elapsed.Seconds(); s > 0 {
		rate = float64(rep.Records) / s
	}
	fmt.Fprintln(e.Stdout, tr.T("imported %s into %s: %s added, %d updated, %d unchanged (%s, %d records/s)",
		tr.T("%d files", rep.Files-len(rep.Failed)), path, tr.T("%d sessions", rep.Added), rep.Updated, rep.Unchanged,
		tr.T("%d records", rep.Records), int64(rate)))
	if rep.Lemmas > 0 {
		fmt.Fprintln(e.Stdout, tr.T("lemmas read: %s in %s (search them with lemma:)",
			tr.T("%d words", rep.Lemmas), tr.T("%d paragraphs", rep.LemmaParagraphs)))
	}
	if len(rep.Failed) > 0 {
		fmt.Fprintln(e.Stderr, "kurultai: "+tr.T("%d sources were not imported:", len(rep.Failed)))
		for _, f := range rep.Failed {
			fmt.Fprintln(e.Stderr, "  "+OneLine(tr.Err(f.Err)))
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
		return msg.Errorf("cannot dump to %s: %v (nothing was written there)", o.Out, err)
	}
	tr := o.Printer(e)
	fmt.Fprintln(e.Stdout, tr.T("wrote %s to %s", tr.T("%d sessions", n), o.Out))
	if (o.Format == "markdown" || o.Format == "tei") && lemmas+langs > 0 {
		fmt.Fprintln(e.Stderr, "kurultai: "+tr.T("warning: %s", tr.T("--format %s keeps no lemmas and no languages of single paragraphs: "+
			"%s with lemmas and %s in a language of their own were written without them; --format json keeps them",
			o.Format, tr.T("%d paragraphs", lemmas), tr.T("%d paragraphs", langs))))
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
			return Interrupted{Msg: msg.T("gen interrupted: nothing was written")}
		}
		return msg.Errorf("cannot generate %s: %v", o.Out, err)
	}
	tr := o.Printer(e)
	fmt.Fprintln(e.Stdout, tr.T("wrote %s, %s, to %s", tr.T("%d sessions", n), tr.T("%d paragraphs", o.Gen.Paragraphs), o.Out))
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
