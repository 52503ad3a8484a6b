// Package cli holds kurultai's commands for scripts and the terminal:
// each takes the parsed flags and where it runs, prints for people or
// programs, and returns an error whose type gives the exit status.
// Parsing the command line is main's.
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"time"

	"github.com/charmbracelet/x/term"

	"kurultai/data"
	"kurultai/sessions"
	"kurultai/sessions/msg"
	"kurultai/ui"
	"kurultai/ui/i18n"
)

// UsageError is a mistake in the command line: exit status 2.
type UsageError struct{ Msg msg.Text }

func (e UsageError) Error() string { return e.Msg.String() }

// Say says the mistake in the interface's language.
func (e UsageError) Say(tr msg.Translate) string { return e.Msg.Say(tr) }

// Unwrap gives an error the message says, if it says one.
func (e UsageError) Unwrap() []error { return (&msg.Error{Text: e.Msg}).Unwrap() }

// Env is where a command runs: its streams and environment.
type Env struct {
	Stdin          io.Reader
	Stdout, Stderr io.Writer
	Getenv         func(string) string
	// Started is when the process started, for the trace's start-up time.
	Started time.Time
	// tty and progress are set by SafeOutput from the streams it wraps:
	// whether standard output is a terminal and how wide, and standard
	// error when it is a terminal, for the progress bar's redraws.
	tty      *ttyInfo
	progress io.Writer
	// Remote is set for a command run over SSH: its archive, bookmarks,
	// owner and terminal come from the server, not from this process or
	// the client's environment.
	Remote *Remote
}

// Remote is what the server fixes for a command run over SSH.
type Remote struct {
	// Archive is the served archive, opened read-only.
	Archive string
	// Bookmarks is the server's bookmarks file; Owner names whose
	// bookmarks in it are this person's.
	Bookmarks, Owner string
	// Guest is true for a connection without a key, whose bookmarks last
	// only for that connection.
	Guest bool
	// Store is the server's store of bookmarks and follows, when it has
	// one open (PostgreSQL, shared by several servers); else Bookmarks
	// names the file.
	Store data.Store
	// Terminal is true when the client asked for a PTY; Width is its width.
	Terminal bool
	Width    int
}

type ttyInfo struct {
	terminal bool
	width    int
}

// SafeOutput returns e with standard output and error passed through
// ui.SafeWriter, so that whatever a command prints keeps only SGR styling
// and shows invisible characters, on a terminal, in a pipe or over SSH.
// Call flush when the command is done. Whether the streams were terminals
// is noted first, since the wrapped ones are not files.
func (e Env) SafeOutput() (safe Env, flush func()) {
	if e.tty == nil {
		tty, width := e.terminal()
		e.tty = &ttyInfo{tty, width}
	}
	if e.Remote == nil && e.progress == nil {
		if tty, _ := isTerminal(e.Stderr); tty {
			e.progress = e.Stderr
		}
	}
	out, errw := ui.NewSafeWriter(e.Stdout), ui.NewSafeWriter(e.Stderr)
	e.Stdout, e.Stderr = out, errw
	return e, func() {
		out.Flush()
		errw.Flush()
	}
}

// terminal says whether standard output is a terminal, and how wide.
func (e Env) terminal() (bool, int) {
	if e.tty != nil {
		return e.tty.terminal, e.tty.width
	}
	if e.Remote != nil {
		w := e.Remote.Width
		if w <= 0 {
			w = 80
		}
		return e.Remote.Terminal, w
	}
	return isTerminal(e.Stdout)
}

// bookmarksFile is where this person's bookmarks are kept.
func (e Env) bookmarksFile() (string, error) {
	if e.Remote != nil {
		return e.Remote.Bookmarks, nil
	}
	return bookmarksPath(e.Getenv)
}

// openStore opens where this person's bookmarks and follows are kept:
// over SSH the server's store, which stays open when done is called; here
// the bookmarks file.
func (e Env) openStore(ctx context.Context) (s data.Store, done func(), err error) {
	if e.Remote != nil && e.Remote.Store != nil {
		return e.Remote.Store, func() {}, nil
	}
	path, err := e.bookmarksFile()
	if err != nil {
		return nil, nil, err
	}
	bm, err := data.OpenBookmarks(ctx, path)
	if err != nil {
		return nil, nil, err
	}
	return bm, func() { bm.Close() }, nil
}

// owner names whose bookmarks these are.
func (e Env) owner() string {
	if e.Remote != nil {
		return e.Remote.Owner
	}
	return localOwner(e.Getenv)
}

// OneLine makes a message one safe line for stderr.
func OneLine(s string) string {
	return strings.Join(strings.Fields(ui.SanitizeLine(s)), " ")
}

// Options are the flags of all commands; each reads those it has.
type Options struct {
	Archive string
	Style   string
	// ReadWidth, NoMouse, Keys and Colours are the browser's, from the
	// config file or the flags (see ui.Options).
	ReadWidth int
	NoMouse   bool
	Keys      map[string][]string
	Colours   map[string]string
	// ConfigProblem says why the config file is not used, for the
	// browser's status line.
	ConfigProblem error
	// Accessible browses in the accessible mode (see ui.Accessible).
	Accessible bool
	// Lang is the interface's language (i18n.Langs).
	Lang string

	JSON      bool
	Width     int
	KeepGoing bool
	Para      string
	Note      string
	Tags      TagList
	Tag       string
	Session   string
	Group     string
	CSV       bool
	Limit     int
	// All, Count and Facets: every search result, how many, or how they
	// divide.
	All, Count, Facets bool
	Order              string
	Quiet              bool
	Format             string
	Out                string
	// AllowOutside lets a corpus root include files outside its folder.
	AllowOutside bool
	// Force lets -o and --out replace a file that exists.
	Force bool
	// Notes puts bookmarks' notes in export's bibliographies.
	Notes bool
	Shape string
	Gen   sessions.GenOptions
	// Follow holds follow add's flags; FeedFollow is feed's --follow.
	Follow     FollowOptions
	FeedFollow int
	// Sync holds sync's flags.
	Sync SyncOptions
	// Research holds the flags of trend, who, kwic, keywords and
	// collocates.
	Research ResearchOptions
}

// ResearchOptions are the flags of the research commands.
type ResearchOptions struct {
	By         string // trend: year, month or session; who: speaker or party
	PerMillion bool   // trend: per million words (the default in the UI)
	MinWords   int    // who: leave out who said fewer words
	Sort       string // who: matches or rate; kwic: one of data.KwicSorts; keywords: ll or ratio
	Context    int    // kwic: words on either side
	Sample     int    // kwic: a random sample of this many lines
	Seed       int    // kwic: the sample's seed
	SVG        string // trend: write the chart as SVG to this file
	Focus      string // keywords: the part whose words are compared
	Reference  string // keywords: what they are compared with; "" the rest
	MinFreq    int    // keywords, collocates: leave out rarer words
	Window     int    // collocates: words on either side
	Measure    string // collocates: one of data.CollocateMeasures
}

// defaultArchive is where the archive lives when --archive is not given.
func defaultArchive(getenv func(string) string) (string, error) {
	if dir := getenv("XDG_DATA_HOME"); dir != "" && filepath.IsAbs(dir) {
		return filepath.Join(dir, "kurultai", "archive.db"), nil
	}
	home := getenv("HOME")
	if home == "" {
		var err error
		if home, err = os.UserHomeDir(); err != nil {
			return "", msg.New("cannot find a home folder for the archive: set HOME or XDG_DATA_HOME, or pass --archive")
		}
	}
	return filepath.Join(home, ".local", "share", "kurultai", "archive.db"), nil
}

// OpenArchive opens the archive read-only. Without --archive it first
// builds or refreshes the built-in sample at the default place.
func OpenArchive(ctx context.Context, o Options, e Env) (*data.DB, error) {
	return archiveIn(ctx, o, e, data.ReadOnly)
}

// WritableArchive opens the archive for writing, as OpenArchive does for
// reading.
func WritableArchive(ctx context.Context, o Options, e Env) (*data.DB, error) {
	return archiveIn(ctx, o, e, data.ReadWrite)
}

// Upgrade brings an archive made by an older kurultai up to date, with a
// progress bar, in one transaction: stopped half way, it is as it was.
// The space the old index took is then given back to the file system.
func Upgrade(ctx context.Context, o Options, e Env) error {
	path := o.Archive
	if path == "" {
		var err error
		if path, err = defaultArchive(e.Getenv); err != nil {
			return err
		}
	}
	if !data.NeedsUpgrade(ctx, path) {
		// Opening says what is wrong, if anything is.
		db, err := data.Open(ctx, path, data.ReadOnly)
		if err != nil {
			return err
		}
		db.Close()
		_, err = fmt.Fprintln(e.Stdout, o.Printer(e).T("%s is up to date", path))
		return err
	}
	w, tty, width := e.Stderr, false, 0
	if e.progress != nil {
		w = e.progress
		tty, width = isTerminal(e.progress)
	}
	db, err := data.OpenWithProgress(ctx, path, data.ReadWrite, ui.NewStepProgress(w, tty, width, "upgrade", o.Printer(e)))
	if err != nil {
		if ctx.Err() != nil {
			return Interrupted{Msg: msg.T("upgrade interrupted: the archive is as it was")}
		}
		return msg.Errorf("%v (the archive is as it was)", err)
	}
	defer db.Close()
	fmt.Fprintln(w, "upgrade: "+o.Printer(e).T("giving back the space of the old index…"))
	if err := db.Compact(ctx); err != nil {
		return err
	}
	_, err = fmt.Fprintln(e.Stdout, o.Printer(e).T("%s is upgraded", path))
	return err
}

func archiveIn(ctx context.Context, o Options, e Env, mode data.Mode) (*data.DB, error) {
	if e.Remote != nil {
		// Over SSH the archive is the served one, read-only, whatever
		// the command line or the client's environment say.
		if mode != data.ReadOnly {
			return nil, UsageError{Msg: msg.T("the archive is read-only over SSH")}
		}
		return data.Open(ctx, e.Remote.Archive, data.ReadOnly)
	}
	path := o.Archive
	if path == "" {
		var err error
		if path, err = defaultArchive(e.Getenv); err != nil {
			return nil, err
		}
		if _, err := data.EnsureSample(ctx, path); err != nil {
			if errors.Is(err, data.ErrNoFTS5) {
				// Which file could not be built says nothing useful.
				return nil, data.ErrNoFTS5
			}
			return nil, err
		}
	}
	return data.Open(ctx, path, mode)
}

func isTerminal(w io.Writer) (bool, int) {
	if f, ok := w.(*os.File); ok && term.IsTerminal(f.Fd()) {
		width, _, err := term.GetSize(f.Fd())
		if err != nil || width <= 0 {
			width = 80
		}
		return true, width
	}
	return false, 0
}

// batchMemory lets the garbage collector rest during imports and
// generation, whose live data is bounded, until the heap nears a limit
// well under the 200 MB these commands are allowed.
func batchMemory() {
	debug.SetGCPercent(-1)
	debug.SetMemoryLimit(90 << 20)
}

// streamMemory is batchMemory for a search that streams many results:
// its live data is two batches, and the bound is lower.
func streamMemory() {
	debug.SetGCPercent(-1)
	debug.SetMemoryLimit(48 << 20)
}

// sayNotes writes what a query or a count said of itself, a line each,
// on standard error, in the interface's language.
func sayNotes(e Env, tr *i18n.Printer, notes ...msg.Text) {
	for _, n := range notes {
		if !n.IsZero() {
			fmt.Fprintln(e.Stderr, "kurultai: "+tr.T("note: %s", OneLine(tr.M(n))))
		}
	}
}

// Interrupted ends a command that a signal stopped: exit status 130.
type Interrupted struct{ Msg msg.Text }

func (e Interrupted) Error() string { return e.Msg.String() }

// Say says the interruption in the interface's language.
func (e Interrupted) Say(tr msg.Translate) string { return e.Msg.Say(tr) }

// SilentFailure exits with status 1 after the command has said why.
type SilentFailure struct{}

func (SilentFailure) Error() string { return "" }

// SearchFailure is a search that could not be run: exit status 2, as
// grep, so that it is not taken for finding nothing.
type SearchFailure struct{ Err error }

func (f SearchFailure) Error() string { return f.Err.Error() }

// Say says why in the interface's language.
func (f SearchFailure) Say(tr msg.Translate) string { return msg.Say(f.Err, tr) }

func (f SearchFailure) Unwrap() error { return f.Err }

// NoMatches ends a search that found nothing: exit status 1, like grep.
type NoMatches struct{}

func (NoMatches) Error() string { return "" }

// TagList is a flag that may be given many times.
type TagList []string

func (t *TagList) String() string { return strings.Join(*t, ",") }

func (t *TagList) Set(v string) error {
	v = strings.TrimSpace(v)
	if v == "" || strings.ContainsAny(v, "\n\t") {
		return msg.New("a tag is a word or phrase on one line")
	}
	*t = append(*t, v)
	return nil
}

// bookmarksPath is the bookmarks file beside the default archive.
func bookmarksPath(getenv func(string) string) (string, error) {
	p, err := defaultArchive(getenv)
	if err != nil {
		return "", err
	}
	return filepath.Join(filepath.Dir(p), "bookmarks.db"), nil
}

// localOwner names the person at this computer as an owner of bookmarks.
func localOwner(getenv func(string) string) string {
	if u := getenv("USER"); u != "" {
		return "local:" + u
	}
	return "local"
}

// OpenExisting opens the archive read-only as it is, building nothing:
// for shell completion, which must answer at once and change nothing.
func OpenExisting(ctx context.Context, o Options, e Env) (*data.DB, error) {
	path := o.Archive
	if path == "" {
		var err error
		if path, err = defaultArchive(e.Getenv); err != nil {
			return nil, err
		}
	}
	if _, err := os.Stat(path); err != nil {
		return nil, err
	}
	return data.Open(ctx, path, data.ReadOnly)
}
