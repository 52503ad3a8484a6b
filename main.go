// Command kurultai is a terminal archive of Kazakhstan's National Kurultai:
// browse sessions, read speeches and proposals, and print them for scripts.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"runtime/pprof"
	"slices"
	"strings"
	"syscall"
	"time"

	"kurultai/data"
	"kurultai/server"
	"kurultai/sessions"
	"kurultai/ui"
	"kurultai/ui/cli"
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

func main() {
	started := time.Now()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	stopProfile := cpuProfile(os.Getenv("KURULTAI_CPUPROFILE"))
	code := run(ctx, os.Args[1:], cli.Env{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr, Getenv: os.Getenv, Started: started})
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
func run(ctx context.Context, args []string, e cli.Env) int {
	err := dispatch(ctx, args, e)
	if err == nil {
		return 0
	}
	if errors.Is(err, flag.ErrHelp) {
		fmt.Fprint(e.Stdout, usage)
		return 0
	}
	var sf cli.SilentFailure
	var nm cli.NoMatches
	if errors.As(err, &sf) || errors.As(err, &nm) {
		return 1
	}
	if errors.Is(err, context.Canceled) && ctx.Err() != nil {
		err = cli.Interrupted{Msg: "interrupted"}
	}
	fmt.Fprintln(e.Stderr, "kurultai: "+cli.OneLine(err.Error()))
	var ir cli.Interrupted
	if errors.As(err, &ir) {
		return 130
	}
	var ue cli.UsageError
	if errors.As(err, &ue) || errors.Is(err, data.ErrNotFound) {
		return 2
	}
	return 1
}

// parse reads flags and positional arguments in any order.
func parse(name string, args []string, o *cli.Options, extra func(*flag.FlagSet)) ([]string, error) {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.StringVar(&o.Archive, "archive", o.Archive, "archive file")
	fs.StringVar(&o.Style, "style", o.Style, "dark, light or ascii")
	if extra != nil {
		extra(fs)
	}
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, err
			}
			return nil, cli.UsageError{Msg: err.Error() + " (see kurultai --help)"}
		}
		args = fs.Args()
		if len(args) == 0 {
			break
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
	switch o.Style {
	case "", ui.ThemeDark, ui.ThemeLight, ui.ThemeASCII:
	default:
		return nil, cli.UsageError{Msg: fmt.Sprintf("--style %q: expected dark, light or ascii", o.Style)}
	}
	return pos, nil
}

// parseNoArgs parses the flags of a command that takes no arguments.
func parseNoArgs(name string, args []string, o *cli.Options, extra func(*flag.FlagSet)) error {
	pos, err := parse(name, args, o, extra)
	if err == nil && len(pos) > 0 {
		err = cli.UsageError{Msg: fmt.Sprintf("%s takes no arguments, got %q", name, pos[0])}
	}
	return err
}

func dispatch(ctx context.Context, args []string, e cli.Env) error {
	var o cli.Options
	// Flags before the command apply to it too: kurultai --archive X sessions.
	global := flag.NewFlagSet("kurultai", flag.ContinueOnError)
	global.SetOutput(io.Discard)
	global.StringVar(&o.Archive, "archive", "", "archive file")
	global.StringVar(&o.Style, "style", "", "dark, light or ascii")
	if err := global.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return cli.UsageError{Msg: err.Error() + " (see kurultai --help)"}
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
		fmt.Fprintf(e.Stdout, "kurultai %s (archive schema %d, sample %s)\n", version, data.SchemaVersion(), sessions.SampleVersion())
		return nil
	case "help":
		return flag.ErrHelp
	case "sessions":
		if err := parseNoArgs(cmd, args, &o, func(fs *flag.FlagSet) { fs.BoolVar(&o.JSON, "json", false, "JSON output") }); err != nil {
			return err
		}
		return cli.Sessions(ctx, o, e)
	case "show":
		pos, err := parse(cmd, args, &o, func(fs *flag.FlagSet) { fs.IntVar(&o.Width, "width", 0, "width in columns") })
		if err != nil {
			return err
		}
		if len(pos) != 1 {
			return cli.UsageError{Msg: "show takes one id, for example: kurultai show nk-5/address"}
		}
		if o.Width != 0 && (o.Width < 20 || o.Width > 1000) {
			return cli.UsageError{Msg: fmt.Sprintf("--width %d: expected a number from 20 to 1000", o.Width)}
		}
		return cli.Show(ctx, pos[0], o, e)
	case "import":
		pos, err := parse(cmd, args, &o, func(fs *flag.FlagSet) {
			fs.BoolVar(&o.KeepGoing, "keep-going", false, "import the good sources, list the bad")
			fs.BoolVar(&o.Quiet, "quiet", false, "no progress")
		})
		if err != nil {
			return err
		}
		if len(pos) == 0 {
			return cli.UsageError{Msg: "import needs at least one file or folder, for example: kurultai import corpus/"}
		}
		return cli.Import(ctx, pos, o, e)
	case "dump":
		pos, err := parse(cmd, args, &o, func(fs *flag.FlagSet) {
			fs.StringVar(&o.Format, "format", "json", "json or markdown")
			fs.StringVar(&o.Out, "o", "", "output file (json) or folder (markdown)")
		})
		if err != nil {
			return err
		}
		if len(pos) > 0 || o.Out == "" {
			return cli.UsageError{Msg: "dump writes to the path given with -o, for example: kurultai dump -o archive.json"}
		}
		if o.Format != "json" && o.Format != "markdown" {
			return cli.UsageError{Msg: fmt.Sprintf("--format %q: expected json or markdown", o.Format)}
		}
		return cli.Dump(ctx, o, e)
	case "search":
		pos, err := parse(cmd, args, &o, func(fs *flag.FlagSet) {
			fs.BoolVar(&o.JSON, "json", false, "JSON output")
			fs.BoolVar(&o.CSV, "csv", false, "CSV output")
			fs.IntVar(&o.Limit, "limit", 20, "how many results")
			fs.StringVar(&o.Order, "order", "rank", "rank or date")
		})
		if err != nil {
			return err
		}
		switch {
		case len(pos) == 0:
			return cli.UsageError{Msg: `search needs a query, for example: kurultai search "vice president"`}
		case o.JSON && o.CSV:
			return cli.UsageError{Msg: "choose --json or --csv, not both"}
		case o.Limit < 1 || o.Limit > 10000:
			return cli.UsageError{Msg: "--limit must be from 1 to 10000"}
		case o.Order != "rank" && o.Order != "date":
			return cli.UsageError{Msg: fmt.Sprintf("--order %q: expected rank or date", o.Order)}
		}
		return cli.Search(ctx, strings.Join(pos, " "), o, e)
	case "archive":
		pos, err := parse(cmd, args, &o, nil)
		if err != nil {
			return err
		}
		if len(pos) != 1 || pos[0] != "optimize" {
			return cli.UsageError{Msg: "archive takes one subcommand: optimize"}
		}
		db, err := cli.WritableArchive(ctx, o, e)
		if err != nil {
			return err
		}
		defer db.Close()
		if err := db.Optimize(ctx); err != nil {
			return err
		}
		fmt.Fprintln(e.Stdout, "the search index of "+db.Path()+" is merged")
		return nil
	case "bookmarks":
		pos, err := parse(cmd, args, &o, func(fs *flag.FlagSet) {
			fs.StringVar(&o.Para, "para", "", "paragraphs: N or N-M")
			fs.StringVar(&o.Note, "note", "", "a note")
			fs.Var(&o.Tags, "tag", "a tag (repeat for more)")
			fs.BoolVar(&o.JSON, "json", false, "JSON output")
		})
		if err != nil {
			return err
		}
		return cli.Bookmarks(ctx, pos, o, e)
	case "export":
		pos, err := parse(cmd, args, &o, func(fs *flag.FlagSet) {
			fs.StringVar(&o.Format, "format", "md", strings.Join(sessions.ExportFormats, ", "))
			fs.StringVar(&o.Tag, "tag", "", "only passages with this tag")
			fs.StringVar(&o.Session, "session", "", "only passages of this session")
			fs.StringVar(&o.Group, "group", "", "md only: group by session or tag")
			fs.StringVar(&o.Out, "o", "", "write to a file instead of stdout")
		})
		if err != nil {
			return err
		}
		if len(pos) > 0 {
			return cli.UsageError{Msg: fmt.Sprintf("export takes no arguments, got %q", pos[0])}
		}
		if !slices.Contains(sessions.ExportFormats, o.Format) {
			return cli.UsageError{Msg: fmt.Sprintf("--format %q: expected one of %s", o.Format, strings.Join(sessions.ExportFormats, ", "))}
		}
		if o.Group != "" && o.Group != "session" && o.Group != "tag" {
			return cli.UsageError{Msg: fmt.Sprintf("--group %q: expected session or tag", o.Group)}
		}
		return cli.Export(ctx, o, e)
	case "stats":
		if err := parseNoArgs(cmd, args, &o, func(fs *flag.FlagSet) { fs.BoolVar(&o.JSON, "json", false, "JSON output") }); err != nil {
			return err
		}
		return cli.Stats(ctx, o, e)
	case "gen":
		pos, err := parse(cmd, args, &o, func(fs *flag.FlagSet) {
			fs.IntVar(&o.Gen.Paragraphs, "paragraphs", 0, "paragraphs in all")
			fs.IntVar(&o.Gen.Sessions, "sessions", 0, "sessions (default: one per 100 paragraphs)")
			fs.Int64Var(&o.Gen.Seed, "seed", 1, "seed")
			fs.StringVar(&o.Format, "format", "archive", "archive, json, markdown or tei")
			fs.StringVar(&o.Shape, "shape", "archive", "archive (addresses) or transcript (ParlaMint-like utterances)")
			fs.StringVar(&o.Out, "out", "", "where to write")
		})
		if err != nil {
			return err
		}
		switch {
		case len(pos) > 0:
			return cli.UsageError{Msg: fmt.Sprintf("gen takes no arguments, got %q", pos[0])}
		case o.Gen.Paragraphs < 1 || o.Gen.Paragraphs > 100_000_000:
			return cli.UsageError{Msg: "gen needs --paragraphs from 1 to 100000000"}
		case o.Gen.Sessions < 0 || o.Gen.Sessions > o.Gen.Paragraphs:
			return cli.UsageError{Msg: "--sessions must be from 1 to the number of paragraphs"}
		case o.Out == "":
			return cli.UsageError{Msg: "gen needs --out PATH"}
		}
		switch o.Format {
		case "archive", "json", "markdown", "tei":
		default:
			return cli.UsageError{Msg: fmt.Sprintf("--format %q: expected archive, json, markdown or tei", o.Format)}
		}
		switch o.Shape {
		case "archive":
		case "transcript":
			o.Gen.Transcript = true
		default:
			return cli.UsageError{Msg: fmt.Sprintf("--shape %q: expected archive or transcript", o.Shape)}
		}
		return cli.Generate(ctx, o, e)
	case "serve":
		if e.Remote != nil {
			return cli.UsageError{Msg: "serve is not a command here"}
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
			return cli.UsageError{Msg: "--max-sessions must be at least 1 and the timeouts not negative"}
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
		return cli.UsageError{Msg: fmt.Sprintf("unknown command %q (see kurultai --help)", pos[0])}
	}
	if _, err := parse("kurultai", nil, &o, nil); err != nil {
		return err
	}
	open := ""
	if len(pos) == 1 {
		open = pos[0]
	}
	return cli.Browse(ctx, open, o, e)
}

// serve hosts the archive over SSH until interrupted.
func serve(ctx context.Context, sc server.Config, o cli.Options, e cli.Env) error {
	db, err := cli.OpenArchive(ctx, o, e) // builds the sample when no --archive is given
	if err != nil {
		return err
	}
	sc.Archive = db.Path()
	db.Close()
	if sc.DataDir == "" {
		sc.DataDir = filepath.Join(filepath.Dir(sc.Archive), "server")
	}
	sc.Theme = o.Style
	sc.Log = slog.New(slog.NewTextHandler(e.Stderr, nil))
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
	e := cli.Env{Stdin: strings.NewReader(""), Stdout: r.Stdout, Stderr: r.Stderr, Getenv: r.Getenv, Remote: &r}
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
