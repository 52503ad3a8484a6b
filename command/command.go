// Package command is kurultai's table of commands. Each command declares
// its name, arguments, flags and whether it is offered over SSH; the
// command line and the SSH server both parse with the table, and usage and
// --help come from it. A flag that names a file, a folder or an archive on
// the host is marked HostPath and is simply not defined over SSH, so there
// is nothing to deny there: it cannot be reached.
package command

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"slices"
	"strings"

	"kurultai/data"
	"kurultai/server"
	"kurultai/sessions/msg"
	"kurultai/ui"
	"kurultai/ui/cli"
	"kurultai/ui/i18n"
)

// version is set at release time with
// -ldflags "-X kurultai/command.version=...".
var version = "0.1.0-dev"

// Command is one row of the table.
type Command struct {
	// Name is what is typed after kurultai; empty for browsing, which
	// takes an optional id instead.
	Name string
	// Args names the positional arguments in usage, e.g. "ID" or "QUERY".
	Args string
	// Summary says in a few words what the command does.
	Summary string
	// Long is more that its help shows, after the flags: for search, the
	// query language.
	Long string
	// Flags are the command's own flags; every command also takes the
	// global ones.
	Flags []Flag
	// Remote offers the command over SSH, with the flags that are not
	// HostPath.
	Remote bool
	// Hidden leaves the command out of the list in --help: the server's
	// side of sync, which people do not type.
	Hidden bool
	// Run carries out the command once its flags are parsed.
	Run func(ctx context.Context, inv *Invocation) error
}

// Flag is one flag of a command.
type Flag struct {
	Name string
	// Value names the flag's value in usage ("" for a switch).
	Value string
	Usage string
	// HostPath marks a flag whose value names something on this host: a
	// file to write, a folder or an archive. Such flags are never defined
	// over SSH.
	HostPath bool
	define   func(fs *flag.FlagSet, v *values)
}

// values receives the flags of one invocation.
type values struct {
	o  cli.Options
	sc server.Config
	// config is --config; set names the flags given, so that the config
	// file and the environment do not override them.
	config string
	set    map[string]bool
	// init and force are config's --init and --force.
	init bool
}

// Invocation is one parsed command line, ready to run.
type Invocation struct {
	Args []string
	Opts cli.Options
	Env  cli.Env
	// Serve holds serve's flags.
	Serve server.Config
	// Remote is true when the command came over SSH.
	Remote bool
	// Config is the config file and where each setting came from (nil
	// over SSH, where no config file is read).
	Config *configState
	// initConfig is config --init.
	initConfig bool
}

// place is where commands are typed: this computer's command line, or an
// SSH connection to a server, whose table is the remote subset.
type place struct {
	remote bool
	prog   string // how usage names the program: "kurultai" or "ssh HOST"
}

var (
	local  = &place{prog: "kurultai"}
	remote = &place{remote: true, prog: "ssh HOST"}
)

// commands is the table, in the order usage lists it. It is filled in
// table.go; init breaks the reference cycle through help.
var commands []*Command

// lookup finds a command of this place by name.
func (p *place) lookup(name string) *Command {
	for _, c := range commands {
		if c.Name == name && c.Name != "" && (!p.remote || c.Remote) {
			return c
		}
	}
	return nil
}

// browse is the row for browsing, which has no name.
func browse() *Command {
	for _, c := range commands {
		if c.Name == "" {
			return c
		}
	}
	panic("command: the table has no browse row")
}

// Run carries out one command line on this computer and returns the exit
// status: 0 done, 1 failed (or, for search, nothing found), 2 the command
// line or an id was wrong, 130 interrupted.
func Run(ctx context.Context, args []string, e cli.Env) int {
	v := &values{}
	return finish(ctx, e, v, dispatch(ctx, local, args, e, v))
}

// RunRemote carries out a command sent over SSH, on the served archive and
// the connecting person's bookmarks. Only the table's remote subset exists
// here, without flags that name host paths; the environment the client sent
// is read only for how text is shown.
func RunRemote(ctx context.Context, args []string, r server.Remote) int {
	e := cli.Env{
		Stdin:  strings.NewReader(""),
		Stdout: r.Stdout, Stderr: r.Stderr,
		Getenv: displayEnv(r.Getenv),
		Remote: &cli.Remote{Archive: r.Archive, Bookmarks: r.Bookmarks, Owner: r.Owner,
			Guest: r.Guest, Terminal: r.Terminal, Width: r.Width, Store: r.Store},
	}
	v := &values{}
	v.o.Lang = r.Lang
	return finish(ctx, e, v, dispatch(ctx, remote, args, e, v))
}

// displayEnv reads only the variables that change how text is shown,
// whatever else reaches it.
func displayEnv(getenv func(string) string) func(string) string {
	return func(name string) string {
		if !server.DisplayVars[name] || getenv == nil {
			return ""
		}
		return getenv(name)
	}
}

// finish turns a command's error into its exit status and message, in
// the language the command line and the config chose.
func finish(ctx context.Context, e cli.Env, v *values, err error) int {
	if err == nil {
		return 0
	}
	var sf cli.SilentFailure
	var nm cli.NoMatches
	if errors.As(err, &sf) || errors.As(err, &nm) {
		return 1
	}
	if errors.Is(err, context.Canceled) && ctx.Err() != nil {
		err = cli.Interrupted{Msg: msg.T("interrupted")}
	}
	fmt.Fprintln(e.Stderr, "kurultai: "+cli.OneLine(v.printer(e).Err(err)))
	var ir cli.Interrupted
	if errors.As(err, &ir) {
		return 130
	}
	var ue cli.UsageError
	var sf2 cli.SearchFailure
	if errors.As(err, &ue) || errors.Is(err, data.ErrNotFound) || errors.Is(err, data.ErrNotADocument) || errors.As(err, &sf2) {
		return 2
	}
	return 1
}

// dispatch finds the command, parses its flags and runs it.
func dispatch(ctx context.Context, p *place, args []string, e cli.Env, v *values) error {
	// Flags before the command apply to it too: kurultai --archive X
	// sessions. They are read up to the first argument that is not one.
	globals, rest := leadingFlags(args)
	if _, err := parse(p, browse(), globals, v); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return printUsage(p, e.Stdout, v.printer(e))
		}
		return err
	}
	if !p.remote && len(rest) > 0 && rest[0] == completeCommand {
		// The config file's archive is the one whose ids are offered;
		// a file that cannot be used is said on the next command, not on
		// every tab.
		e.Stderr = io.Discard
		if _, err := readConfig(browse(), v, e); err != nil {
			return nil
		}
		safe, flush := e.SafeOutput()
		defer flush()
		return writeCandidates(safe.Stdout, complete(ctx, rest[1:], v.o, e))
	}
	var c *Command
	if len(rest) > 0 && rest[0] == "--" {
		rest = rest[1:] // kurultai -- ID: an id, whatever it is called
	} else if len(rest) > 0 {
		c = p.lookup(rest[0])
		if c != nil {
			rest = rest[1:]
		} else if p.remote {
			return cli.UsageError{Msg: msg.T("%q is not a command here; the commands are %s (see ssh HOST help)",
				truncate(cli.OneLine(rest[0]), 60), strings.Join(names(p), ", "))}
		}
	}
	if c == nil {
		if p.remote {
			return cli.UsageError{Msg: msg.T("no command given (see ssh HOST help)")}
		}
		c = browse()
	}
	v.defaults(c)
	var cs *configState
	if !p.remote {
		var err error
		if cs, err = readConfig(c, v, e); err != nil {
			return err
		}
	}
	pos, err := parse(p, c, rest, v)
	if errors.Is(err, flag.ErrHelp) {
		if c.Name == "" {
			return printUsage(p, e.Stdout, v.printer(e))
		}
		return printHelp(p, c, e.Stdout, v.printer(e))
	}
	if err != nil {
		return err
	}
	if cs != nil {
		if err := cs.flagsGiven(v); err != nil {
			return err
		}
	}
	if v.o.ConfigProblem != nil {
		fmt.Fprintln(e.Stderr, "kurultai: "+cli.OneLine(v.printer(e).Err(v.o.ConfigProblem)))
	}
	if v.o.Style != "" && !slices.Contains(ui.StyleNames, v.o.Style) {
		return cli.UsageError{Msg: msg.T("--style %q: expected dark, light, ascii or contrast", v.o.Style)}
	}
	inv := &Invocation{Args: pos, Opts: v.o, Env: e, Serve: v.sc, Remote: p.remote, Config: cs, initConfig: v.init}
	if c.Name != "" {
		// Everything a command prints passes the terminal filter; the
		// browser draws through Bubble Tea, which needs the terminal.
		var flush func()
		inv.Env, flush = inv.Env.SafeOutput()
		defer flush()
	}
	if c.Name == "help" {
		return help(p, inv)
	}
	return c.Run(ctx, inv)
}

// leadingFlags splits off the flags that come before the command's name.
// A flag's value is the argument after it unless it is a switch or has =.
func leadingFlags(args []string) (flags, rest []string) {
	i := 0
	for i < len(args) {
		a := args[i]
		if a == "--" || len(a) < 2 || a[0] != '-' {
			break
		}
		i++
		name, _, hasValue := strings.Cut(strings.TrimLeft(a, "-"), "=")
		if !hasValue && takesValue(name) && i < len(args) {
			i++
		}
	}
	return args[:i], args[i:]
}

// takesValue says whether a flag that may come before the command (a
// global one, or browsing's) reads the next argument.
func takesValue(name string) bool {
	for _, f := range append(slices.Clone(globalFlags), browse().Flags...) {
		if f.Name == name {
			return f.Value != ""
		}
	}
	return false
}

func names(p *place) []string {
	var out []string
	for _, c := range commands {
		if c.Name != "" && (!p.remote || c.Remote) {
			out = append(out, c.Name)
		}
	}
	return out
}

func truncate(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
}

// help prints the usage, or one command's help.
func help(p *place, inv *Invocation) error {
	tr := (&values{o: inv.Opts}).printer(inv.Env)
	if len(inv.Args) == 0 {
		return printUsage(p, inv.Env.Stdout, tr)
	}
	c := p.lookup(inv.Args[0])
	if c == nil {
		return cli.UsageError{Msg: msg.T("no command %q (see %s help)", truncate(cli.OneLine(inv.Args[0]), 60), p.prog)}
	}
	return printHelp(p, c, inv.Env.Stdout, tr)
}

// printer says the command line's messages in the language chosen.
func (v *values) printer(e cli.Env) *i18n.Printer { return v.o.Printer(e) }

func (p *place) helpHint(c *Command) string {
	if c.Name == "" {
		if p.remote {
			return p.prog + " help"
		}
		return p.prog + " --help"
	}
	return p.prog + " " + c.Name + " --help"
}

// noArgs refuses positional arguments for a command that takes none.
func noArgs(inv *Invocation, name string) error {
	if len(inv.Args) > 0 {
		return cli.UsageError{Msg: msg.T("%s takes no arguments, got %q", name, truncate(cli.OneLine(inv.Args[0]), 60))}
	}
	return nil
}
