// Command kurultai is a terminal archive of Kazakhstan's National Kurultai:
// browse sessions, read speeches and proposals, and print them for scripts.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/charmbracelet/x/term"

	"kurultai/data"
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
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], env{os.Stdin, os.Stdout, os.Stderr, os.Getenv})
	stop()
	os.Exit(code)
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
	fmt.Fprintln(e.stderr, "kurultai: "+oneLine(err.Error()))
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
	archive string
	style   string
	json    bool
	width   int
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
		pos, err := parse(cmd, args, &o, func(fs *flag.FlagSet) { fs.BoolVar(&o.json, "json", false, "JSON output") })
		if err != nil {
			return err
		}
		if len(pos) > 0 {
			return usageError{fmt.Sprintf("sessions takes no arguments, got %q", pos[0])}
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
	return data.Open(ctx, path, data.ReadOnly)
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
	if f, ok := e.stdout.(*os.File); ok && term.IsTerminal(f.Fd()) {
		if w, _, err := term.GetSize(f.Fd()); err == nil && w > 0 {
			width = w
		}
	}
	return ui.PrintSessions(e.stdout, rows, width)
}

func show(ctx context.Context, id string, o options, e env) error {
	db, err := openArchive(ctx, o, e)
	if err != nil {
		return err
	}
	defer db.Close()
	tty := false
	width := 80
	if f, ok := e.stdout.(*os.File); ok && term.IsTerminal(f.Fd()) {
		tty = true
		if w, _, err := term.GetSize(f.Fd()); err == nil && w > 0 {
			width = min(w, 120)
		}
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
	return ui.Run(ctx, db, ui.Options{Theme: o.style, NoColor: e.getenv("NO_COLOR") != "", Open: open})
}
