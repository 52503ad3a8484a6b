// Command kurultai is a terminal archive of Kazakhstan's National Kurultai:
// browse sessions, read speeches and proposals, and print them for scripts.
package main

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"runtime/debug"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/charmbracelet/x/term"

	"kurultai/data"
	"kurultai/server"
	"kurultai/sessions"
	"kurultai/ui"
)

// version is set at release time with -ldflags "-X main.version=...".
var version = "0.1.0-dev"

const usage = `kurultai: a terminal archive of the National Kurultai of Kazakhstan

Usage:
  kurultai [--archive PATH] [--style dark|light|ascii] [ID]   browse (opens ID if given)
  kurultai sessions [--json]                                 list sessions
  kurultai show ID [--width N]                               print a session, speech or proposal
  kurultai import [--keep-going] [--quiet] SOURCE...         import Markdown, JSON or ParlaMint TEI
  kurultai dump [--format json|markdown] -o PATH             write the archive in an importable form
  kurultai stats [--json]                                    count what the archive holds
  kurultai gen --paragraphs N [--sessions S] [--seed X] [--shape archive|transcript]
               [--format archive|json|markdown|tei] --out PATH
                                                             write a synthetic archive for benchmarks
  kurultai search QUERY [--json|--csv] [--limit N] [--order rank|date]
                                                             search; exit 0 found, 1 none, 2 error
  kurultai archive optimize                                  merge the search index
  kurultai bookmarks add ID --para N[-M] [--note TEXT] [--tag T]...   keep a passage
  kurultai bookmarks list [--json] | rm N | import FILE      your bookmarks
  kurultai export [--format md|json|csv|csl-json|bibtex|ris] [--tag T] [--session ID]
                  [--group session|tag] [-o FILE]            passages with citations
  kurultai serve [--listen ADDR] [--authorized-keys FILE] [--data-dir DIR] [--host-key PATH]
                 [--max-sessions N] [--idle-timeout D] [--max-session-time D]
                                                             serve the archive read-only over SSH
  kurultai version                                           print the version

Without --archive, the archive is $XDG_DATA_HOME/kurultai/archive.db
(~/.local/share/kurultai/archive.db), built from the built-in sample on first run.
`

// usageError is a mistake in the command line: exit status 2.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	getenv         func(string) string
	// remote is set for a command run over SSH: its archive, bookmarks,
	// owner and terminal come from the server, not from this process.
	remote *server.Remote
}

// terminal says whether standard output is a terminal, and how wide.
func (e env) terminal() (bool, int) {
	if e.remote != nil {
		w := e.remote.Width
		if w <= 0 {
			w = 80
		}
		return e.remote.Terminal, w
	}
	return isTerminal(e.stdout)
}

// bookmarksFile is where this person's bookmarks are kept.
func (e env) bookmarksFile() (string, error) {
	if e.remote != nil {
		return e.remote.Bookmarks, nil
	}
	return bookmarksPath(e.getenv)
}

// owner names whose bookmarks these are.
func (e env) owner() string {
	if e.remote != nil {
		return e.remote.Owner
	}
	return localOwner(e.getenv)
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	stopProfile := cpuProfile(os.Getenv("KURULTAI_CPUPROFILE"))
	code := run(ctx, os.Args[1:], env{os.Stdin, os.Stdout, os.Stderr, os.Getenv, nil})
	stopProfile()
	stop()
	os.Exit(code)
}

// cpuProfile writes a CPU profile of the whole run to path, for the
// benchmark scripts and for pprof; with no path it does nothing.
func cpuProfile(path string) (stop func()) {
	if path == "" {
		return func() {}
	}
	f, err := os.Create(path)
	if err == nil {
		err = pprof.StartCPUProfile(f)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "kurultai: KURULTAI_CPUPROFILE:", err)
		return func() {}
	}
	return func() {
		pprof.StopCPUProfile()
		f.Close()
	}
}

// run carries out one command line and returns the exit status: 0 done,
// 1 failed, 2 the command line or an id was wrong.
func run(ctx context.Context, args []string, e env) int {
	err := dispatch(ctx, args, e)
	if err == nil {
		return 0
	}
	if errors.Is(err, flag.ErrHelp) {
		fmt.Fprint(e.stdout, usage)
		return 0
	}
	var sf silentFailure
	var nm noMatches
	if errors.As(err, &sf) || errors.As(err, &nm) {
		return 1
	}
	if errors.Is(err, context.Canceled) && ctx.Err() != nil {
		err = interrupted{"interrupted"}
	}
	fmt.Fprintln(e.stderr, "kurultai: "+oneLine(err.Error()))
	var ir interrupted
	if errors.As(err, &ir) {
		return 130
	}
	var ue usageError
	if errors.As(err, &ue) || errors.Is(err, data.ErrNotFound) {
		return 2
	}
	return 1
}

func oneLine(s string) string {
	return strings.Join(strings.Fields(ui.SanitizeLine(s)), " ")
}

// options are the flags every command takes.
type options struct {
	archive   string
	style     string
	json      bool
	width     int
	keepGoing bool
	para      string
	note      string
	tags      tagList
	tag       string
	session   string
	group     string
	csv       bool
	limit     int
	order     string
	quiet     bool
	format    string
	out       string
	shape     string
	gen       sessions.GenOptions
}

// parse reads flags and positional arguments in any order.
func parse(name string, args []string, o *options, extra func(*flag.FlagSet)) ([]string, error) {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.StringVar(&o.archive, "archive", o.archive, "archive file")
	fs.StringVar(&o.style, "style", o.style, "dark, light or ascii")
	if extra != nil {
		extra(fs)
	}
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, err
			}
			return nil, usageError{err.Error() + " (see kurultai --help)"}
		}
		args = fs.Args()
		if len(args) == 0 {
			break
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
	switch o.style {
	case "", ui.ThemeDark, ui.ThemeLight, ui.ThemeASCII:
	default:
		return nil, usageError{fmt.Sprintf("--style %q: expected dark, light or ascii", o.style)}
	}
	return pos, nil
}

// parseNoArgs parses the flags of a command that takes no arguments.
func parseNoArgs(name string, args []string, o *options, extra func(*flag.FlagSet)) error {
	pos, err := parse(name, args, o, extra)
	if err == nil && len(pos) > 0 {
		err = usageError{fmt.Sprintf("%s takes no arguments, got %q", name, pos[0])}
	}
	return err
}

func dispatch(ctx context.Context, args []string, e env) error {
	var o options
	// Flags before the command apply to it too: kurultai --archive X sessions.
	global := flag.NewFlagSet("kurultai", flag.ContinueOnError)
	global.SetOutput(io.Discard)
	global.StringVar(&o.archive, "archive", "", "archive file")
	global.StringVar(&o.style, "style", "", "dark, light or ascii")
	if err := global.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return usageError{err.Error() + " (see kurultai --help)"}
	}
	args = global.Args()
	cmd := ""
	if len(args) > 0 {
		cmd, args = args[0], args[1:]
	}
	switch cmd {
	case "version":
		if _, err := parse(cmd, args, &o, nil); err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "kurultai %s (archive schema %d, sample %s)\n", version, data.SchemaVersion(), sessions.SampleVersion())
		return nil
	case "help":
		return flag.ErrHelp
	case "sessions":
		if err := parseNoArgs(cmd, args, &o, func(fs *flag.FlagSet) { fs.BoolVar(&o.json, "json", false, "JSON output") }); err != nil {
			return err
		}
		return listSessions(ctx, o, e)
	case "show":
		pos, err := parse(cmd, args, &o, func(fs *flag.FlagSet) { fs.IntVar(&o.width, "width", 0, "width in columns") })
		if err != nil {
			return err
		}
		if len(pos) != 1 {
			return usageError{"show takes one id, for example: kurultai show nk-5/address"}
		}
		if o.width != 0 && (o.width < 20 || o.width > 1000) {
			return usageError{fmt.Sprintf("--width %d: expected a number from 20 to 1000", o.width)}
		}
		return show(ctx, pos[0], o, e)
	case "import":
		pos, err := parse(cmd, args, &o, func(fs *flag.FlagSet) {
			fs.BoolVar(&o.keepGoing, "keep-going", false, "import the good sources, list the bad")
			fs.BoolVar(&o.quiet, "quiet", false, "no progress")
		})
		if err != nil {
			return err
		}
		if len(pos) == 0 {
			return usageError{"import needs at least one file or folder, for example: kurultai import corpus/"}
		}
		return importSources(ctx, pos, o, e)
	case "dump":
		pos, err := parse(cmd, args, &o, func(fs *flag.FlagSet) {
			fs.StringVar(&o.format, "format", "json", "json or markdown")
			fs.StringVar(&o.out, "o", "", "output file (json) or folder (markdown)")
		})
		if err != nil {
			return err
		}
		if len(pos) > 0 || o.out == "" {
			return usageError{"dump writes to the path given with -o, for example: kurultai dump -o archive.json"}
		}
		if o.format != "json" && o.format != "markdown" {
			return usageError{fmt.Sprintf("--format %q: expected json or markdown", o.format)}
		}
		return dump(ctx, o, e)
	case "search":
		pos, err := parse(cmd, args, &o, func(fs *flag.FlagSet) {
			fs.BoolVar(&o.json, "json", false, "JSON output")
			fs.BoolVar(&o.csv, "csv", false, "CSV output")
			fs.IntVar(&o.limit, "limit", 20, "how many results")
			fs.StringVar(&o.order, "order", "rank", "rank or date")
		})
		if err != nil {
			return err
		}
		switch {
		case len(pos) == 0:
			return usageError{`search needs a query, for example: kurultai search "vice president"`}
		case o.json && o.csv:
			return usageError{"choose --json or --csv, not both"}
		case o.limit < 1 || o.limit > 10000:
			return usageError{"--limit must be from 1 to 10000"}
		case o.order != "rank" && o.order != "date":
			return usageError{fmt.Sprintf("--order %q: expected rank or date", o.order)}
		}
		return search(ctx, strings.Join(pos, " "), o, e)
	case "archive":
		pos, err := parse(cmd, args, &o, nil)
		if err != nil {
			return err
		}
		if len(pos) != 1 || pos[0] != "optimize" {
			return usageError{"archive takes one subcommand: optimize"}
		}
		db, err := writableArchive(ctx, o, e)
		if err != nil {
			return err
		}
		defer db.Close()
		if err := db.Optimize(ctx); err != nil {
			return err
		}
		fmt.Fprintln(e.stdout, "the search index of "+db.Path()+" is merged")
		return nil
	case "bookmarks":
		pos, err := parse(cmd, args, &o, func(fs *flag.FlagSet) {
			fs.StringVar(&o.para, "para", "", "paragraphs: N or N-M")
			fs.StringVar(&o.note, "note", "", "a note")
			fs.Var(&o.tags, "tag", "a tag (repeat for more)")
			fs.BoolVar(&o.json, "json", false, "JSON output")
		})
		if err != nil {
			return err
		}
		return bookmarks(ctx, pos, o, e)
	case "export":
		pos, err := parse(cmd, args, &o, func(fs *flag.FlagSet) {
			fs.StringVar(&o.format, "format", "md", strings.Join(sessions.ExportFormats, ", "))
			fs.StringVar(&o.tag, "tag", "", "only passages with this tag")
			fs.StringVar(&o.session, "session", "", "only passages of this session")
			fs.StringVar(&o.group, "group", "", "md only: group by session or tag")
			fs.StringVar(&o.out, "o", "", "write to a file instead of stdout")
		})
		if err != nil {
			return err
		}
		if len(pos) > 0 {
			return usageError{fmt.Sprintf("export takes no arguments, got %q", pos[0])}
		}
		if !slices.Contains(sessions.ExportFormats, o.format) {
			return usageError{fmt.Sprintf("--format %q: expected one of %s", o.format, strings.Join(sessions.ExportFormats, ", "))}
		}
		if o.group != "" && o.group != "session" && o.group != "tag" {
			return usageError{fmt.Sprintf("--group %q: expected session or tag", o.group)}
		}
		return export(ctx, o, e)
	case "stats":
		if err := parseNoArgs(cmd, args, &o, func(fs *flag.FlagSet) { fs.BoolVar(&o.json, "json", false, "JSON output") }); err != nil {
			return err
		}
		return stats(ctx, o, e)
	case "gen":
		pos, err := parse(cmd, args, &o, func(fs *flag.FlagSet) {
			fs.IntVar(&o.gen.Paragraphs, "paragraphs", 0, "paragraphs in all")
			fs.IntVar(&o.gen.Sessions, "sessions", 0, "sessions (default: one per 100 paragraphs)")
			fs.Int64Var(&o.gen.Seed, "seed", 1, "seed")
			fs.StringVar(&o.format, "format", "archive", "archive, json, markdown or tei")
			fs.StringVar(&o.shape, "shape", "archive", "archive (addresses) or transcript (ParlaMint-like utterances)")
			fs.StringVar(&o.out, "out", "", "where to write")
		})
		if err != nil {
			return err
		}
		switch {
		case len(pos) > 0:
			return usageError{fmt.Sprintf("gen takes no arguments, got %q", pos[0])}
		case o.gen.Paragraphs < 1 || o.gen.Paragraphs > 100_000_000:
			return usageError{"gen needs --paragraphs from 1 to 100000000"}
		case o.gen.Sessions < 0 || o.gen.Sessions > o.gen.Paragraphs:
			return usageError{"--sessions must be from 1 to the number of paragraphs"}
		case o.out == "":
			return usageError{"gen needs --out PATH"}
		}
		switch o.format {
		case "archive", "json", "markdown", "tei":
		default:
			return usageError{fmt.Sprintf("--format %q: expected archive, json, markdown or tei", o.format)}
		}
		switch o.shape {
		case "archive":
		case "transcript":
			o.gen.Transcript = true
		default:
			return usageError{fmt.Sprintf("--shape %q: expected archive or transcript", o.shape)}
		}
		return generate(ctx, o, e)
	case "serve":
		if e.remote != nil {
			return usageError{"serve is not a command here"}
		}
		var sc server.Config
		if err := parseNoArgs(cmd, args, &o, func(fs *flag.FlagSet) {
			fs.StringVar(&sc.Listen, "listen", "127.0.0.1:2222", "address to listen on")
			fs.StringVar(&sc.HostKey, "host-key", "", "host key (default DIR/host_ed25519)")
			fs.StringVar(&sc.AuthorizedKeys, "authorized-keys", "", "admit only these keys")
			fs.IntVar(&sc.MaxSessions, "max-sessions", 64, "sessions at once")
			fs.DurationVar(&sc.IdleTimeout, "idle-timeout", 15*time.Minute, "close a session idle this long")
			fs.DurationVar(&sc.MaxSessionTime, "max-session-time", 8*time.Hour, "close any session after this long")
			fs.StringVar(&sc.DataDir, "data-dir", "", "bookmarks and host key (default beside the archive)")
		}); err != nil {
			return err
		}
		if sc.MaxSessions < 1 || sc.IdleTimeout < 0 || sc.MaxSessionTime < 0 {
			return usageError{"--max-sessions must be at least 1 and the timeouts not negative"}
		}
		return serve(ctx, sc, o, e)
	}
	// No command: browse, opening the id if one is given.
	pos, err := parse("kurultai", args, &o, nil)
	if err != nil {
		return err
	}
	if cmd != "" {
		pos = append([]string{cmd}, pos...)
	}
	if len(pos) > 1 {
		return usageError{fmt.Sprintf("unknown command %q (see kurultai --help)", pos[0])}
	}
	if _, err := parse("kurultai", nil, &o, nil); err != nil {
		return err
	}
	open := ""
	if len(pos) == 1 {
		open = pos[0]
	}
	return browse(ctx, open, o, e)
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
			return "", errors.New("cannot find a home folder for the archive: set HOME or XDG_DATA_HOME, or pass --archive")
		}
	}
	return filepath.Join(home, ".local", "share", "kurultai", "archive.db"), nil
}

// openArchive opens the archive read-only. Without --archive it first
// builds or refreshes the built-in sample at the default place.
func openArchive(ctx context.Context, o options, e env) (*data.DB, error) {
	return archiveIn(ctx, o, e, data.ReadOnly)
}

// writableArchive opens the archive for writing, as openArchive does for
// reading.
func writableArchive(ctx context.Context, o options, e env) (*data.DB, error) {
	return archiveIn(ctx, o, e, data.ReadWrite)
}

func archiveIn(ctx context.Context, o options, e env, mode data.Mode) (*data.DB, error) {
	path := o.archive
	if path == "" {
		var err error
		if path, err = defaultArchive(e.getenv); err != nil {
			return nil, err
		}
		if _, err := data.EnsureSample(ctx, path); err != nil {
			return nil, err
		}
	}
	return data.Open(ctx, path, mode)
}

func listSessions(ctx context.Context, o options, e env) error {
	db, err := openArchive(ctx, o, e)
	if err != nil {
		return err
	}
	defer db.Close()
	rows := []data.SessionRow{}
	q := data.SessionQuery{Limit: 1000}
	for {
		page, err := db.Sessions(ctx, q)
		if err != nil {
			return err
		}
		rows = append(rows, page...)
		if len(page) < q.Limit {
			break
		}
		q.After = &page[len(page)-1]
	}
	if o.json {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(rows)
	}
	width := 100
	if tty, w := e.terminal(); tty {
		width = w
	}
	return ui.PrintSessions(e.stdout, rows, width)
}

func show(ctx context.Context, id string, o options, e env) error {
	db, err := openArchive(ctx, o, e)
	if err != nil {
		return err
	}
	defer db.Close()
	width := 80
	tty, w := e.terminal()
	if tty {
		width = min(w, 120)
	}
	if o.width > 0 {
		width = o.width
	}
	theme := o.style
	if theme == "" && e.getenv("NO_COLOR") != "" {
		theme = ui.ThemeASCII
	}
	return ui.PrintDocument(ctx, e.stdout, db, id, ui.PrintOptions{Width: width, Theme: theme, Plain: !tty})
}

func browse(ctx context.Context, open string, o options, e env) error {
	in, inOK := e.stdin.(*os.File)
	out, outOK := e.stdout.(*os.File)
	if !inOK || !outOK || !term.IsTerminal(in.Fd()) || !term.IsTerminal(out.Fd()) {
		return usageError{"the browser needs a terminal; in scripts use kurultai sessions or kurultai show ID"}
	}
	db, err := openArchive(ctx, o, e)
	if err != nil {
		return err
	}
	defer db.Close()
	if open != "" {
		if _, err := db.Kind(ctx, open); err != nil {
			return err
		}
	}
	opts := ui.Options{Theme: o.style, NoColor: e.getenv("NO_COLOR") != "", Open: open, Owner: localOwner(e.getenv)}
	// Bookmarks are kept beside the default archive; if they cannot be,
	// the browser still works and says so when asked to bookmark.
	if path, err := bookmarksPath(e.getenv); err == nil {
		if bm, err := data.OpenBookmarks(ctx, path); err == nil {
			defer bm.Close()
			opts.Bookmarks = bm
		}
	}
	return ui.Run(ctx, db, opts)
}

// serve hosts the archive over SSH until interrupted.
func serve(ctx context.Context, sc server.Config, o options, e env) error {
	db, err := openArchive(ctx, o, e) // builds the sample when no --archive is given
	if err != nil {
		return err
	}
	sc.Archive = db.Path()
	db.Close()
	if sc.DataDir == "" {
		sc.DataDir = filepath.Join(filepath.Dir(sc.Archive), "server")
	}
	sc.Theme = o.style
	sc.Log = slog.New(slog.NewTextHandler(e.stderr, nil))
	sc.Command = func(ctx context.Context, args []string, r server.Remote) int {
		return remoteRun(ctx, args, r)
	}
	srv, err := server.New(ctx, sc)
	if err != nil {
		return err
	}
	return srv.ListenAndServe(ctx)
}

// remoteRun runs a command for a person connected over SSH, on the served
// archive and their own bookmarks. Nothing may name a file on the host.
func remoteRun(ctx context.Context, args []string, r server.Remote) int {
	e := env{stdin: strings.NewReader(""), stdout: r.Stdout, stderr: r.Stderr, getenv: r.Getenv, remote: &r}
	for _, a := range args {
		if a == "--" {
			break
		}
		name, _, _ := strings.Cut(strings.TrimLeft(a, "-"), "=")
		if strings.HasPrefix(a, "-") && (name == "o" || name == "out" || name == "archive") {
			fmt.Fprintf(r.Stderr, "kurultai: %s is not allowed over SSH; redirect the output instead: ssh HOST %s > FILE\n", ui.SanitizeLine(a), args[0])
			return 2
		}
	}
	return run(ctx, append([]string{"--archive", r.Archive}, args...), e)
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
	debug.SetMemoryLimit(110 << 20)
}

func importSources(ctx context.Context, paths []string, o options, e env) error {
	batchMemory()
	db, err := writableArchive(ctx, o, e)
	if err != nil {
		return err
	}
	defer db.Close()
	opts := data.ImportOptions{KeepGoing: o.keepGoing, Origin: "import",
		Warn: func(msg string) { fmt.Fprintln(e.stderr, "kurultai: warning: "+oneLine(msg)) }}
	if !o.quiet {
		tty, width := isTerminal(e.stderr)
		opts.Progress = ui.NewProgress(e.stderr, tty, width)
	} else {
		opts.Warn = func(string) {}
	}
	rep, err := db.ImportFiles(ctx, paths, opts)
	if err != nil {
		if ctx.Err() != nil {
			return interrupted{"import interrupted: nothing was written, the archive is as it was"}
		}
		return fmt.Errorf("%w (nothing was imported; the archive is as it was)", err)
	}
	rate := 0.0
	if s := rep.Elapsed.Seconds(); s > 0 {
		rate = float64(rep.Records) / s
	}
	fmt.Fprintf(e.stdout, "imported %d files into %s: %d sessions added, %d updated, %d unchanged (%s records, %s records/s)\n",
		rep.Files-len(rep.Failed), db.Path(), rep.Added, rep.Updated, rep.Unchanged,
		ui.Thousands(rep.Records), ui.Thousands(int64(rate)))
	if len(rep.Failed) > 0 {
		fmt.Fprintf(e.stderr, "kurultai: %d sources were not imported:\n", len(rep.Failed))
		for _, f := range rep.Failed {
			fmt.Fprintln(e.stderr, "  "+oneLine(f.Err.Error()))
		}
		return silentFailure{}
	}
	return nil
}

// interrupted ends a command that a signal stopped: exit status 130.
type interrupted struct{ msg string }

func (e interrupted) Error() string { return e.msg }

// silentFailure exits with status 1 after the command has said why.
type silentFailure struct{}

func (silentFailure) Error() string { return "" }

func stats(ctx context.Context, o options, e env) error {
	db, err := openArchive(ctx, o, e)
	if err != nil {
		return err
	}
	defer db.Close()
	st, err := db.Stats(ctx)
	if err != nil {
		return err
	}
	if o.json {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(st)
	}
	for _, row := range []struct {
		name string
		n    int64
	}{{"sessions", st.Sessions}, {"speeches", st.Speeches}, {"speakers", st.Speakers},
		{"paragraphs", st.Paragraphs}, {"proposals", st.Proposals}, {"words", st.Words}} {
		fmt.Fprintf(e.stdout, "%-11s %12s\n", row.name, ui.Thousands(row.n))
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

func dump(ctx context.Context, o options, e env) error {
	db, err := openArchive(ctx, o, e)
	if err != nil {
		return err
	}
	defer db.Close()
	sink, err := newSink(ctx, o.format, o.out)
	if err != nil {
		return err
	}
	n := 0
	err = db.EachSession(ctx, func(s *sessions.Session) error {
		n++
		return sink.write(s)
	})
	if err == nil {
		err = sink.close()
	} else {
		sink.abort()
	}
	if err != nil {
		return fmt.Errorf("cannot dump to %s: %w (nothing was written there)", o.out, err)
	}
	fmt.Fprintf(e.stdout, "wrote %d sessions to %s\n", n, o.out)
	return nil
}

func generate(ctx context.Context, o options, e env) error {
	batchMemory()
	sink, err := newSink(ctx, o.format, o.out)
	if err != nil {
		return err
	}
	n := 0
	err = sessions.Generate(o.gen, func(s *sessions.Session) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		n++
		return sink.write(s)
	})
	if err == nil {
		err = sink.close()
	} else {
		sink.abort()
	}
	if err != nil {
		if ctx.Err() != nil {
			return interrupted{"gen interrupted: nothing was written"}
		}
		return fmt.Errorf("cannot generate %s: %w", o.out, err)
	}
	fmt.Fprintf(e.stdout, "wrote %d sessions, %d paragraphs, to %s\n", n, o.gen.Paragraphs, o.out)
	return nil
}

// noMatches ends a search that found nothing: exit status 1, like grep.
type noMatches struct{}

func (noMatches) Error() string { return "" }

func search(ctx context.Context, query string, o options, e env) error {
	db, err := openArchive(ctx, o, e)
	if err != nil {
		return err
	}
	defer db.Close()
	q := data.ParseQuery(query)
	res, err := db.Search(ctx, q, data.SearchOptions{ByDate: o.order == "date", Limit: o.limit, Count: !o.json && !o.csv})
	if err != nil {
		return err
	}
	for _, n := range res.Notes {
		fmt.Fprintln(e.stderr, "kurultai: note: "+oneLine(n))
	}
	switch {
	case o.json:
		hits := res.Hits
		if hits == nil {
			hits = []data.Hit{}
		}
		for i := range hits {
			hits[i].Snippet = ui.Guillemets(hits[i].Snippet)
		}
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(hits); err != nil {
			return err
		}
	case o.csv:
		w := csv.NewWriter(e.stdout)
		w.Write([]string{"kind", "session", "date", "speech", "speaker", "paragraph", "snippet", "text"})
		tty, _ := e.terminal()
		for _, h := range res.Hits {
			row := []string{h.Kind, h.Session, h.Date, h.Speech, h.Speaker, strconv.Itoa(h.Paragraph), ui.Guillemets(h.Snippet), h.Text}
			if tty {
				// Archive text never reaches a terminal unsanitised.
				for i := range row {
					row[i] = ui.Sanitize(row[i])
				}
			}
			w.Write(row)
		}
		w.Flush()
		if err := w.Error(); err != nil {
			return err
		}
	default:
		width := 100
		if tty, w := e.terminal(); tty {
			width = w
		}
		ui.PrintHits(e.stdout, res, width)
	}
	if len(res.Hits) == 0 {
		if !o.json && !o.csv {
			fmt.Fprintln(e.stderr, "nothing found")
		}
		return noMatches{}
	}
	return nil
}

// tagList is a flag that may be given many times.
type tagList []string

func (t *tagList) String() string { return strings.Join(*t, ",") }

func (t *tagList) Set(v string) error {
	v = strings.TrimSpace(v)
	if v == "" || strings.ContainsAny(v, "\n\t") {
		return errors.New("a tag is a word or phrase on one line")
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

func bookmarks(ctx context.Context, pos []string, o options, e env) error {
	if len(pos) == 0 {
		return usageError{"bookmarks needs add, list, rm or import"}
	}
	path, err := bookmarksPath(e.getenv)
	if err != nil {
		return err
	}
	owner := localOwner(e.getenv)
	switch pos[0] {
	case "add":
		if len(pos) != 2 || o.para == "" {
			return usageError{"bookmarks add takes an id and --para, for example: kurultai bookmarks add nk-5/address --para 3-4"}
		}
		from, to, err := data.ParseRange(o.para)
		if err != nil {
			return usageError{err.Error()}
		}
		db, err := openArchive(ctx, o, e)
		if err != nil {
			return err
		}
		defer db.Close()
		p, err := db.NewPassage(ctx, owner, pos[1], from, to)
		if err != nil {
			return err
		}
		p.Note, p.Tags = o.note, o.tags
		bm, err := data.OpenBookmarks(ctx, path)
		if err != nil {
			return err
		}
		defer bm.Close()
		id, err := bm.Add(ctx, p)
		if err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "bookmark %d: %s, %s\n", id, p.Doc, p.Citation.Paras())
		return nil
	case "list":
		bm, err := data.OpenBookmarks(ctx, path)
		if err != nil {
			return err
		}
		defer bm.Close()
		list, err := bm.List(ctx, owner, data.BookmarkFilter{})
		if err != nil {
			return err
		}
		if o.json {
			out := make([]any, 0, len(list))
			for _, b := range list {
				out = append(out, struct {
					ID int64 `json:"id"`
					sessions.Passage
				}{b.ID, b.Passage})
			}
			enc := json.NewEncoder(e.stdout)
			enc.SetIndent("", "  ")
			return enc.Encode(out)
		}
		// Where the archive opens, each bookmark says how it stands in it.
		state := map[string]string{}
		if db, err := openArchive(ctx, o, e); err == nil {
			if ps, err := db.Cite(ctx, list, ""); err == nil {
				for _, p := range ps {
					if p.State != "" {
						state[p.UID] = fmt.Sprintf(" [%s: now %s]", p.State, p.Citation.Paras())
					}
				}
			}
			db.Close()
		}
		for _, b := range list {
			fmt.Fprintf(e.stdout, "%4d  %s ¶ %d–%d%s  %s  %s\n", b.ID, ui.SanitizeLine(b.Doc), b.From, b.To, state[b.UID],
				ui.SanitizeLine(strings.Join(b.Tags, ", ")), ui.SanitizeLine(b.Note))
		}
		return nil
	case "rm":
		if len(pos) != 2 {
			return usageError{"bookmarks rm takes a bookmark number, as bookmarks list shows it"}
		}
		id, err := strconv.ParseInt(pos[1], 10, 64)
		if err != nil {
			return usageError{fmt.Sprintf("%q is not a bookmark number", pos[1])}
		}
		bm, err := data.OpenBookmarks(ctx, path)
		if err != nil {
			return err
		}
		defer bm.Close()
		return bm.Remove(ctx, owner, id)
	case "import":
		if len(pos) != 2 {
			return usageError{"bookmarks import takes a file written by kurultai export --format json"}
		}
		raw, err := os.ReadFile(pos[1])
		if err != nil {
			return err
		}
		var doc struct {
			Version  int                `json:"kurultai_bookmarks"`
			Passages []sessions.Passage `json:"passages"`
		}
		dec := json.NewDecoder(strings.NewReader(string(raw)))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&doc); err != nil || doc.Version != 1 {
			return fmt.Errorf("%s is not a kurultai bookmarks export (kurultai export --format json): %v", pos[1], err)
		}
		bm, err := data.OpenBookmarks(ctx, path)
		if err != nil {
			return err
		}
		defer bm.Close()
		added, skipped, err := bm.Import(ctx, owner, doc.Passages)
		if err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "%d bookmarks added, %d already here\n", added, skipped)
		return nil
	}
	return usageError{fmt.Sprintf("bookmarks %s: expected add, list, rm or import", pos[0])}
}

func export(ctx context.Context, o options, e env) error {
	path, err := e.bookmarksFile()
	if err != nil {
		return err
	}
	bm, err := data.OpenBookmarks(ctx, path)
	if err != nil {
		return err
	}
	defer bm.Close()
	list, err := bm.List(ctx, e.owner(), data.BookmarkFilter{Tag: o.tag})
	if err != nil {
		return err
	}
	db, err := openArchive(ctx, o, e)
	if err != nil {
		return err
	}
	defer db.Close()
	passages, err := db.Cite(ctx, list, o.session)
	if err != nil {
		return err
	}
	if o.out == "" {
		if tty, _ := e.terminal(); tty {
			var b strings.Builder
			if err := sessions.WritePassages(&b, o.format, o.group, passages); err != nil {
				return err
			}
			_, err := io.WriteString(e.stdout, ui.Sanitize(b.String()))
			return err
		}
		return sessions.WritePassages(e.stdout, o.format, o.group, passages)
	}
	if err := sessions.WriteFileAtomic(o.out, func(w io.Writer) error {
		return sessions.WritePassages(w, o.format, o.group, passages)
	}); err != nil {
		return fmt.Errorf("cannot write %s: %w (nothing was written there)", o.out, err)
	}
	fmt.Fprintf(e.stderr, "wrote %d passages to %s\n", len(passages), o.out)
	return nil
}
