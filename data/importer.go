package data

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"runtime"
	"time"

	"golang.org/x/sync/semaphore"

	"kurultai/sessions"
	"kurultai/sessions/msg"
)

// ImportOptions shape ImportFiles.
type ImportOptions struct {
	// KeepGoing imports the good sources and lists the bad ones, instead
	// of stopping at the first problem with nothing written.
	KeepGoing bool
	// Origin tags the imported sessions.
	Origin string
	// Progress, when set, is told how the import goes, at most every
	// tenth of a second and once at the end.
	Progress func(ImportProgress)
	// Warn receives problems that do not stop the import.
	Warn func(msg.Text)
	// AllowOutside lets a ParlaMint corpus root include files outside its
	// folder, and a folder being imported hold links to files outside
	// it. Without it such an include or link is a bad source.
	AllowOutside bool
}

// ImportProgress is the state of an import for a progress display.
type ImportProgress struct {
	Files, FilesDone int
	Bytes, BytesDone int64
	Records          int64 // sessions, speeches, paragraphs and proposals read
	Elapsed          time.Duration
	Current          string // the file being read
	Done             bool
}

// FailedSource is a source that --keep-going left out.
type FailedSource struct {
	Path string
	Err  error
}

// ImportReport says what an import did.
type ImportReport struct {
	Counts
	Files   int
	Records int64
	// Lemmas is how many words came with their lemma (an annotated
	// source), in how many paragraphs; lemma: searches them.
	Lemmas, LemmaParagraphs int
	Elapsed                 time.Duration
	Failed                  []FailedSource
}

// unit is one thing to decode: a Markdown tree, a JSON document, or a TEI
// sitting (with its corpus's persons).
type unit struct {
	path   string
	format string
	files  []string // Markdown: the files of the tree
	size   int64
	corpus *sessions.Corpus // a sitting's root, with its persons and organisations
	reach  sessions.CorpusOptions
}

// ImportFiles imports files and folders into the archive in one
// transaction: Markdown with front matter, kurultai JSON, and ParlaMint TEI
// (corpus roots or single sittings), each found by its extension and, for
// XML, its root element. Without KeepGoing the first bad source stops the
// import and the archive is left exactly as it was.
func (d *DB) ImportFiles(ctx context.Context, paths []string, opts ImportOptions) (*ImportReport, error) {
	warn := opts.Warn
	if warn == nil {
		warn = func(msg.Text) {}
	}
	units, refused, err := plan(paths, opts, warn)
	if err != nil {
		return nil, err
	}
	start := time.Now()
	rep := &ImportReport{Files: len(units) + len(refused), Failed: refused}
	prog := ImportProgress{Files: len(units)}
	for _, u := range units {
		prog.Bytes += u.size
	}
	last := time.Time{}
	tell := func(force bool) {
		if opts.Progress == nil {
			return
		}
		if now := time.Now(); force || now.Sub(last) >= 100*time.Millisecond {
			last = now
			prog.Elapsed = now.Sub(start)
			opts.Progress(prog)
		}
	}
	im, err := d.BeginImport(ctx)
	if err != nil {
		return nil, err
	}
	defer im.Rollback()
	// Reading and writing overlap: one goroutine decodes the sources in
	// order while this one writes what it hands over, so XML parsing and
	// SQLite each have a core.
	rctx, stop := context.WithCancel(ctx)
	defer stop()
	items := make(chan decoded, 16)
	go produce(rctx, units, items)
	current, failed := -1, false
	var unitRecords int64 // read from the current unit, dropped with it if it fails
	var unitLemmas, unitLemmaParas int
	for it := range items {
		switch {
		case !it.warn.IsZero():
			warn(it.warn)
			continue
		case it.unit != current:
			current, failed, unitRecords, unitLemmas, unitLemmaParas = it.unit, false, 0, 0, 0
			prog.Current = units[it.unit].path
			tell(false)
			if opts.KeepGoing {
				if err := im.Savepoint(); err != nil {
					return nil, err
				}
			}
		}
		u := units[it.unit]
		err := it.err
		if err == nil && it.session != nil && !failed {
			n := records(it.session.Session)
			prog.Records += n
			unitRecords += n
			for _, sp := range it.session.Session.Speeches {
				for _, p := range sp.Paragraphs {
					if len(p.Lemmas) > 0 {
						rep.Lemmas += len(p.Lemmas)
						rep.LemmaParagraphs++
						unitLemmas += len(p.Lemmas)
						unitLemmaParas++
					}
				}
			}
			_, err = im.WritePrepared(it.session, opts.Origin, u.path)
			tell(false)
		}
		if it.size > 0 {
			it.budget.Release(it.size)
		}
		if err != nil && !failed {
			if ctx.Err() != nil {
				return nil, msg.Errorf("import interrupted: %v", ctx.Err())
			}
			err = nameFile(u.path, err)
			if !opts.KeepGoing {
				return nil, err
			}
			if rerr := im.RollbackTo(); rerr != nil {
				return nil, rerr
			}
			failed = true
			prog.Records -= unitRecords
			rep.Lemmas -= unitLemmas
			rep.LemmaParagraphs -= unitLemmaParas
			rep.Failed = append(rep.Failed, FailedSource{Path: u.path, Err: err})
		}
		if it.done {
			if opts.KeepGoing && !failed {
				if err := im.Release(); err != nil {
					return nil, err
				}
			}
			prog.FilesDone++
			prog.BytesDone += u.size
		}
	}
	if err := ctx.Err(); err != nil {
		return nil, msg.Errorf("import interrupted: %v", err)
	}
	if err := im.Commit(); err != nil {
		return nil, err
	}
	prog.Done = true
	tell(true)
	rep.Counts, rep.Records, rep.Elapsed = im.Counts, prog.Records, time.Since(start)
	return rep, nil
}

// decoded is what the reading goroutines hand over: a session of a unit,
// the end of a unit (with its error, if any), or a warning.
type decoded struct {
	unit    int
	session *Prepared
	size    int64               // bytes of text held, released when written
	budget  *semaphore.Weighted // where size is released to
	err     error
	done    bool
	warn    msg.Text
}

// maxInflight bounds the text that decoded sessions waiting to be written
// may hold, so that reading can run ahead of a large sitting's writing
// without memory growing with the corpus.
const maxInflight = 8 << 20

// textSize is roughly what a decoded session holds in memory.
func textSize(s *sessions.Session) int64 {
	n := int64(len(s.Summary) + 256)
	for i := range s.Speeches {
		n += 256
		for _, p := range s.Speeches[i].Paragraphs {
			n += int64(len(p.Text)+len(p.Heading)) + 48
		}
	}
	for i := range s.Proposals {
		n += int64(len(s.Proposals[i].Text)) + 512
	}
	return n
}

// produce reads the units with one goroutine a core and hands what they
// read to out in the order of the units, so that the import is the same
// however the reading is shared. Each reader has its own share of the
// memory budget: a reader waiting for memory only ever waits for its own
// sessions to be written, which come in turn, so the readers cannot block
// each other. It stops when ctx is cancelled and closes out when done.
func produce(ctx context.Context, units []unit, out chan<- decoded) {
	defer close(out)
	workers := max(1, min(runtime.GOMAXPROCS(0), len(units), 4))
	chans := make([]chan decoded, workers)
	for w := range chans {
		chans[w] = make(chan decoded, 256)
		budget := semaphore.NewWeighted(maxInflight / int64(workers))
		go read(ctx, units, w, workers, chans[w], budget)
	}
	for i := range units {
		ch := chans[i%workers]
		for {
			var d decoded
			select {
			case d = <-ch:
			case <-ctx.Done():
				return
			}
			select {
			case out <- d:
			case <-ctx.Done():
				return
			}
			if d.done {
				break
			}
		}
	}
}

// read decodes every workers-th unit, starting at first.
func read(ctx context.Context, units []unit, first, workers int, out chan<- decoded, budget *semaphore.Weighted) {
	send := func(d decoded) bool {
		select {
		case out <- d:
			return true
		case <-ctx.Done():
			return false
		}
	}
	share := maxInflight / int64(workers)
	for i := first; i < len(units); i += workers {
		if !send(decoded{unit: i}) {
			return
		}
		warn := func(w msg.Text) { send(decoded{unit: i, warn: w}) }
		err := decodeUnit(units[i], func(s *sessions.Session) error {
			// Validating and digesting happen here, beside the writer.
			p, err := Prepare(s)
			if err != nil {
				return err
			}
			// The decoder hands each session over and keeps nothing of it.
			p.spend = true
			size := min(textSize(s), share)
			if err := budget.Acquire(ctx, size); err != nil {
				return err
			}
			if !send(decoded{unit: i, session: p, size: size, budget: budget}) {
				return ctx.Err()
			}
			return nil
		}, warn)
		if !send(decoded{unit: i, err: err, done: true}) {
			return
		}
	}
}

func records(s *sessions.Session) int64 {
	n := int64(1 + len(s.Speeches) + len(s.Proposals))
	for _, sp := range s.Speeches {
		n += int64(len(sp.Paragraphs))
	}
	return n
}

// nameFile makes sure an error names the file it came from.
func nameFile(path string, err error) error {
	var e *sessions.Error
	if errors.As(err, &e) && e.File != "" {
		return err
	}
	if errors.As(err, &e) {
		e.File = path
		return err
	}
	return msg.Errorf("%s: %v", path, err)
}

func decodeUnit(u unit, emit func(*sessions.Session) error, warn sessions.Warn) error {
	switch u.format {
	case "markdown":
		all, err := sessions.DecodeMarkdownFiles(u.files)
		if err != nil {
			return err
		}
		for i := range all {
			if err := emit(&all[i]); err != nil {
				return err
			}
		}
		return nil
	case "json":
		f, err := os.Open(u.path)
		if err != nil {
			return err
		}
		defer f.Close()
		return sessions.DecodeJSON(u.path, f, emit)
	case "tei":
		return sessions.DecodeTEISittingFile(u.path, u.corpus, u.reach, emit, warn)
	}
	return msg.Errorf("unknown format %q", u.format)
}

func fileSize(path string) int64 {
	if st, err := os.Stat(path); err == nil {
		return st.Size()
	}
	return 0
}

func plainFSError(err error) error {
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return msg.New("no such file or folder")
	case errors.Is(err, fs.ErrPermission):
		return msg.New("permission denied")
	}
	return err
}
