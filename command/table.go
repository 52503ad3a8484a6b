package command

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"kurultai/data"
	"kurultai/sessions"
	"kurultai/sessions/msg"
	"kurultai/ui"
	"kurultai/ui/cli"
)

// Flag constructors: each binds the flag to a field of values.

func boolFlag(name, usage string, field func(*values) *bool) Flag {
	return Flag{Name: name, Usage: usage, define: func(fs *flag.FlagSet, v *values) {
		fs.BoolVar(field(v), name, *field(v), usage)
	}}
}

func stringFlag(name, value, usage string, field func(*values) *string) Flag {
	return Flag{Name: name, Value: value, Usage: usage, define: func(fs *flag.FlagSet, v *values) {
		fs.StringVar(field(v), name, *field(v), usage)
	}}
}

func intFlag(name, value, usage string, field func(*values) *int) Flag {
	return Flag{Name: name, Value: value, Usage: usage, define: func(fs *flag.FlagSet, v *values) {
		fs.IntVar(field(v), name, *field(v), usage)
	}}
}

func durationFlag(name, value, usage string, field func(*values) *time.Duration) Flag {
	return Flag{Name: name, Value: value, Usage: usage, define: func(fs *flag.FlagSet, v *values) {
		fs.DurationVar(field(v), name, *field(v), usage)
	}}
}

// hostPath marks a flag as naming something on this host.
func hostPath(f Flag) Flag {
	f.HostPath = true
	return f
}

// globalFlags are taken by every command, before or after its name.
var globalFlags = []Flag{
	hostPath(stringFlag("archive", "PATH", "the archive file (default: the built-in sample's)", func(v *values) *string { return &v.o.Archive })),
	stringFlag("style", "dark|light|ascii|contrast", "colours and borders (default: follow the terminal)", func(v *values) *string { return &v.o.Style }),
	hostPath(stringFlag("config", "PATH", "the config file (default: $XDG_CONFIG_HOME/kurultai/config.toml)", func(v *values) *string { return &v.config })),
	stringFlag("lang", "en|kk|ru", "the interface's language (default: the locale's)", func(v *values) *string { return &v.o.Lang }),
}

// noMouse is --mouse, which holds its opposite: the mouse is on unless
// it is turned off.
type noMouse struct{ off *bool }

func (m noMouse) String() string {
	if m.off == nil {
		return "true"
	}
	return strconv.FormatBool(!*m.off)
}

func (m noMouse) Set(s string) error {
	on, err := strconv.ParseBool(s)
	if err != nil {
		return msg.New("expected true or false")
	}
	*m.off = !on
	return nil
}

func (m noMouse) IsBoolFlag() bool { return true }

var jsonFlag = boolFlag("json", "JSON output", func(v *values) *bool { return &v.o.JSON })

// defaults sets the flags' starting values before parsing. A flag's
// default is whatever its field holds when it is defined.
func (v *values) defaults(c *Command) {
	switch c.Name {
	case "search":
		v.o.Limit, v.o.Order = 20, "rank"
	case "trend":
		v.o.Research.By = "year"
	case "who":
		v.o.Research.By, v.o.Research.Sort, v.o.Research.MinWords = "speaker", "matches", 1000
	case "kwic":
		v.o.Research.Sort, v.o.Research.Context, v.o.Research.Seed = "date", 8, 1
	case "keywords":
		v.o.Research.Sort, v.o.Research.MinFreq = "ll", 3
	case "collocates":
		v.o.Research.Window, v.o.Research.Measure, v.o.Research.MinFreq = 5, "logdice", 3
	case "dump":
		v.o.Format = "json"
	case "export":
		v.o.Format = "md"
	case "gen":
		v.o.Gen.Seed, v.o.Format, v.o.Shape = 1, "archive", "archive"
	case "serve":
		v.sc.Listen, v.sc.MaxSessions = "127.0.0.1:2222", 64
		v.sc.IdleTimeout, v.sc.MaxSessionTime = 15*time.Minute, 8*time.Hour
		v.sc.LoginGraceTime, v.sc.MaxStartups, v.sc.MaxStartupsPerAddress = 30*time.Second, 100, 10
	}
}

func init() {
	commands = []*Command{
		{Name: "", Args: "[ID]", Summary: "browse the archive, opening ID if given", Run: runBrowse,
			Flags: []Flag{
				intFlag("width", "N", "the reader wraps text at most this wide, 20 to 1000 (default 80)", func(v *values) *int { return &v.o.ReadWidth }),
				{Name: "mouse", Usage: "the mouse wheel scrolls (default true; --mouse=false leaves the mouse to the terminal)",
					define: func(fs *flag.FlagSet, v *values) { fs.Var(noMouse{&v.o.NoMouse}, "mouse", "the mouse wheel scrolls") }},
				boolFlag("accessible", "for screen readers: no screen is drawn, every change is said as a line", func(v *values) *bool { return &v.o.Accessible }),
			}},
		{Name: "sessions", Summary: "list the sessions", Remote: true, Flags: []Flag{jsonFlag},
			Run: func(ctx context.Context, inv *Invocation) error {
				if err := noArgs(inv, "sessions"); err != nil {
					return err
				}
				return cli.Sessions(ctx, inv.Opts, inv.Env)
			}},
		{Name: "speakers", Summary: "list everyone who spoke: party now and before, speeches, words, dates", Remote: true,
			Flags: []Flag{jsonFlag,
				boolFlag("csv", "CSV output", func(v *values) *bool { return &v.o.CSV }),
				stringFlag("sort", "BY", "order: name, speeches, words, first or last (default name)", func(v *values) *string { return &v.o.Order }),
			},
			Run: func(ctx context.Context, inv *Invocation) error {
				if err := noArgs(inv, "speakers"); err != nil {
					return err
				}
				return cli.Speakers(ctx, inv.Opts, inv.Env)
			}},
		{Name: "speaker", Args: "ID", Summary: "a speaker: names, parties, affiliations, links, every speech newest first", Remote: true, Flags: []Flag{jsonFlag},
			Run: func(ctx context.Context, inv *Invocation) error {
				if len(inv.Args) != 1 {
					return cli.UsageError{Msg: msg.T("speaker takes one id, as kurultai speakers lists them")}
				}
				return cli.Speaker(ctx, inv.Args[0], inv.Opts, inv.Env)
			}},
		{Name: "show", Args: "ID", Summary: "print a session, speech or proposal", Remote: true,
			Flags: []Flag{intFlag("width", "N", "width in columns, 20 to 1000 (default: the terminal's, or 80)", func(v *values) *int { return &v.o.Width })},
			Run:   runShow},
		{Name: "search", Args: "QUERY", Summary: "search; exit 0 found, 1 none, 2 error", Remote: true, Long: ui.SearchLanguage,
			Flags: []Flag{jsonFlag,
				boolFlag("csv", "CSV output", func(v *values) *bool { return &v.o.CSV }),
				intFlag("limit", "N", "how many results at most (default 20)", func(v *values) *int { return &v.o.Limit }),
				boolFlag("all", "every result, written as it is read", func(v *values) *bool { return &v.o.All }),
				boolFlag("count", "print the exact number of results", func(v *values) *bool { return &v.o.Count }),
				boolFlag("facets", "print the results' counts by kind, year, language, session, speaker", func(v *values) *bool { return &v.o.Facets }),
				stringFlag("order", "rank|date", "order of the results (default rank)", func(v *values) *string { return &v.o.Order }),
			},
			Run: runSearch},
		{Name: "trend", Args: "QUERY...", Summary: "a query's matches by year, month or session; up to 5 queries side by side", Remote: true,
			Flags: []Flag{jsonFlag,
				boolFlag("csv", "CSV output", func(v *values) *bool { return &v.o.CSV }),
				stringFlag("by", "year|month|session", "the periods (default year)", func(v *values) *string { return &v.o.Research.By }),
				boolFlag("per-million", "text and SVG: matches per million words of the period", func(v *values) *bool { return &v.o.Research.PerMillion }),
				intFlag("limit", "N", "JSON and CSV: the first N rows (default all)", func(v *values) *int { return &v.o.Limit }),
				hostPath(stringFlag("svg", "FILE", "write the chart as SVG", func(v *values) *string { return &v.o.Research.SVG })),
				hostPath(boolFlag("force", "with --svg: replace the file if it exists", func(v *values) *bool { return &v.o.Force })),
			},
			Run: runTrend},
		{Name: "who", Args: "QUERY", Summary: "who says it most: matching paragraphs by speaker or party, and per 10,000 words", Remote: true,
			Flags: []Flag{jsonFlag,
				boolFlag("csv", "CSV output", func(v *values) *bool { return &v.o.CSV }),
				stringFlag("by", "speaker|party", "count by (default speaker)", func(v *values) *string { return &v.o.Research.By }),
				stringFlag("sort", "matches|rate", "order (default matches)", func(v *values) *string { return &v.o.Research.Sort }),
				intFlag("min-words", "N", "leave out who said fewer words in all (default 1000)", func(v *values) *int { return &v.o.Research.MinWords }),
				intFlag("limit", "N", "the first N rows (default: 20 as text, all as JSON or CSV)", func(v *values) *int { return &v.o.Limit }),
			},
			Run: runWho},
		{Name: "kwic", Args: "QUERY", Summary: "a concordance: every occurrence with the words around it", Remote: true,
			Flags: []Flag{jsonFlag,
				boolFlag("csv", "CSV output", func(v *values) *bool { return &v.o.CSV }),
				intFlag("context", "N", "words on either side (default 8)", func(v *values) *int { return &v.o.Research.Context }),
				stringFlag("sort", "BY", "date, left1-3, right1-3 or speaker (default date)", func(v *values) *string { return &v.o.Research.Sort }),
				intFlag("sample", "N", "a random sample of N lines", func(v *values) *int { return &v.o.Research.Sample }),
				intFlag("seed", "S", "the sample's seed (default 1)", func(v *values) *int { return &v.o.Research.Seed }),
				intFlag("limit", "N", "the first N lines (default: 50 as text, all as JSON or CSV)", func(v *values) *int { return &v.o.Limit }),
			},
			Run: runKwic},
		{Name: "keywords", Args: "[FOCUS]", Summary: "the words most characteristic of a part of the archive, against the rest", Remote: true,
			Flags: []Flag{jsonFlag,
				boolFlag("csv", "CSV output", func(v *values) *bool { return &v.o.CSV }),
				stringFlag("focus", "QUERY", "the part: a query or filters, such as speaker:ID or from:2025", func(v *values) *string { return &v.o.Research.Focus }),
				stringFlag("reference", "QUERY", "compared with this part (default: the rest of the archive)", func(v *values) *string { return &v.o.Research.Reference }),
				intFlag("min-freq", "N", "leave out words found fewer times in the focus (default 3)", func(v *values) *int { return &v.o.Research.MinFreq }),
				stringFlag("sort", "ll|ratio", "order: log-likelihood or the simple-maths ratio (default ll)", func(v *values) *string { return &v.o.Research.Sort }),
				intFlag("limit", "N", "the first N rows (default: 30 as text, all as JSON or CSV)", func(v *values) *int { return &v.o.Limit }),
			},
			Run: runKeywords},
		{Name: "collocates", Args: "QUERY", Summary: "the words found near a query's words, by logDice, MI or frequency", Remote: true,
			Flags: []Flag{jsonFlag,
				boolFlag("csv", "CSV output", func(v *values) *bool { return &v.o.CSV }),
				intFlag("window", "N", "words on either side (default 5)", func(v *values) *int { return &v.o.Research.Window }),
				stringFlag("measure", "logdice|mi|freq", "the order (default logdice)", func(v *values) *string { return &v.o.Research.Measure }),
				intFlag("min-freq", "N", "leave out words found fewer times near it (default 3)", func(v *values) *int { return &v.o.Research.MinFreq }),
				intFlag("limit", "N", "the first N rows (default: 30 as text, all as JSON or CSV)", func(v *values) *int { return &v.o.Limit }),
			},
			Run: runCollocates},
		{Name: "export", Summary: "bookmarked passages with citations", Remote: true,
			Flags: []Flag{
				stringFlag("format", strings.Join(sessions.ExportFormats, "|"), "output format (default md)", func(v *values) *string { return &v.o.Format }),
				stringFlag("tag", "T", "only passages with this tag", func(v *values) *string { return &v.o.Tag }),
				stringFlag("session", "ID", "only passages of this session", func(v *values) *string { return &v.o.Session }),
				stringFlag("group", "session|tag", "md only: group the passages", func(v *values) *string { return &v.o.Group }),
				hostPath(stringFlag("o", "FILE", "write to a file instead of standard output", func(v *values) *string { return &v.o.Out })),
				boolFlag("force", "with -o: replace the file if it exists", func(v *values) *bool { return &v.o.Force }),
				boolFlag("notes", "csl-json, bibtex, ris: include the notes (left out otherwise)", func(v *values) *bool { return &v.o.Notes }),
			},
			Run: runExport},
		{Name: "bookmarks", Args: "add ID | list | rm N | import FILE", Summary: "keep, list, remove or import passages; adding a kept one: no change, exit 0",
			Flags: []Flag{
				stringFlag("para", "N[-M]", "add: the paragraphs", func(v *values) *string { return &v.o.Para }),
				stringFlag("note", "TEXT", "add: a note", func(v *values) *string { return &v.o.Note }),
				{Name: "tag", Value: "T", Usage: "add: a tag (repeat for more)", define: func(fs *flag.FlagSet, v *values) { fs.Var(&v.o.Tags, "tag", "a tag") }},
				jsonFlag,
			},
			Run: func(ctx context.Context, inv *Invocation) error {
				return cli.Bookmarks(ctx, inv.Args, inv.Opts, inv.Env)
			}},
		{Name: "follow", Args: "add QUERY | list | seen N | rm N", Summary: "follow a search, a speaker, a body or a proposal, and count what is new in each",
			Flags: []Flag{
				stringFlag("speaker", "ID", "add: follow a speaker", func(v *values) *string { return &v.o.Follow.Speaker }),
				stringFlag("proposal", "ID", "add: follow a proposal's steps", func(v *values) *string { return &v.o.Follow.Proposal }),
				stringFlag("body", "NAME", "add: follow the sittings of a body", func(v *values) *string { return &v.o.Follow.Body }),
				stringFlag("name", "N", "add: a name for the list", func(v *values) *string { return &v.o.Follow.Name }),
				boolFlag("all", "seen: mark every follow seen", func(v *values) *bool { return &v.o.All }),
				jsonFlag,
			},
			Remote: true,
			Run: func(ctx context.Context, inv *Invocation) error {
				return cli.Follow(ctx, inv.Args, inv.Opts, inv.Env)
			}},
		{Name: "sync", Args: "ssh://[user@]host[:port]", Summary: "bring the archive up to date with a kurultai server",
			Flags: []Flag{
				boolFlag("accept-new", "record an unknown host key without asking (a changed one is refused)", func(v *values) *bool { return &v.o.Sync.AcceptNew }),
				hostPath(stringFlag("i", "FILE", "the private key to log in with (default: the agent, ~/.ssh/id_*)", func(v *values) *string { return &v.o.Sync.Identity })),
			},
			Run: func(ctx context.Context, inv *Invocation) error {
				if len(inv.Args) != 1 {
					return cli.UsageError{Msg: msg.T("sync takes the server's address, for example: kurultai sync ssh://kurultai.example.org:2222")}
				}
				return cli.Sync(ctx, inv.Args[0], inv.Opts, inv.Env)
			}},
		{Name: "sync-manifest", Summary: "for sync: the served archive's sessions and their digests", Remote: true, Hidden: true,
			Run: func(ctx context.Context, inv *Invocation) error {
				if err := noArgs(inv, "sync-manifest"); err != nil {
					return err
				}
				return cli.ServeManifest(ctx, inv.Opts, inv.Env)
			}},
		{Name: "sync-sessions", Args: "ID...", Summary: "for sync: sessions of the served archive, whole", Remote: true, Hidden: true,
			Run: func(ctx context.Context, inv *Invocation) error {
				return cli.ServeSessions(ctx, inv.Args, inv.Opts, inv.Env)
			}},
		{Name: "feed", Summary: "an Atom feed of what is new in what you follow", Remote: true,
			Flags: []Flag{
				intFlag("follow", "N", "one follow's alone", func(v *values) *int { return &v.o.FeedFollow }),
				hostPath(stringFlag("o", "FILE", "write to a file (default: standard output)", func(v *values) *string { return &v.o.Out })),
				hostPath(boolFlag("force", "replace the file if it exists", func(v *values) *bool { return &v.o.Force })),
			},
			Run: func(ctx context.Context, inv *Invocation) error {
				if err := noArgs(inv, "feed"); err != nil {
					return err
				}
				o := inv.Opts
				if o.FeedFollow < 0 {
					return cli.UsageError{Msg: msg.T("--follow takes a follow number, as kurultai follow list shows it")}
				}
				if o.Out != "" {
					o.Out = cli.OutPath(o.Out, "kurultai-feed.xml")
					if err := noOverwrite(o.Out, o.Force); err != nil {
						return err
					}
				}
				return cli.Feed(ctx, o, inv.Env, int64(o.FeedFollow))
			}},
		{Name: "stats", Summary: "count what the archive holds", Remote: true, Flags: []Flag{jsonFlag},
			Run: func(ctx context.Context, inv *Invocation) error {
				if err := noArgs(inv, "stats"); err != nil {
					return err
				}
				return cli.Stats(ctx, inv.Opts, inv.Env)
			}},
		{Name: "import", Args: "SOURCE...", Summary: "import Markdown, JSON or ParlaMint TEI files and folders",
			Flags: []Flag{
				boolFlag("keep-going", "import the good sources and list the bad", func(v *values) *bool { return &v.o.KeepGoing }),
				boolFlag("quiet", "no progress", func(v *values) *bool { return &v.o.Quiet }),
				boolFlag("allow-outside", "let a corpus root include files outside its folder, and a folder link to files outside it", func(v *values) *bool { return &v.o.AllowOutside }),
			},
			Run: func(ctx context.Context, inv *Invocation) error {
				if len(inv.Args) == 0 {
					return cli.UsageError{Msg: msg.T("import needs at least one file or folder, for example: kurultai import corpus/")}
				}
				return cli.Import(ctx, inv.Args, inv.Opts, inv.Env)
			}},
		{Name: "dump", Summary: "write the archive in an importable form",
			Flags: []Flag{
				stringFlag("format", "json|markdown", "output format (default json)", func(v *values) *string { return &v.o.Format }),
				hostPath(stringFlag("o", "PATH", "output file (json) or folder (markdown)", func(v *values) *string { return &v.o.Out })),
				boolFlag("force", "replace the file if it exists", func(v *values) *bool { return &v.o.Force }),
			},
			Run: runDump},
		{Name: "gen", Summary: "write a synthetic archive for benchmarks",
			Flags: []Flag{
				intFlag("paragraphs", "N", "paragraphs in all, 1 to 100000000", func(v *values) *int { return &v.o.Gen.Paragraphs }),
				intFlag("sessions", "S", "sessions (default: one per 100 paragraphs)", func(v *values) *int { return &v.o.Gen.Sessions }),
				{Name: "seed", Value: "X", Usage: "seed (default 1)", define: func(fs *flag.FlagSet, v *values) { fs.Int64Var(&v.o.Gen.Seed, "seed", v.o.Gen.Seed, "seed") }},
				stringFlag("shape", "archive|transcript", "addresses, or ParlaMint-like utterances (default archive)", func(v *values) *string { return &v.o.Shape }),
				stringFlag("format", "archive|json|markdown|tei", "what to write (default archive)", func(v *values) *string { return &v.o.Format }),
				hostPath(stringFlag("out", "PATH", "where to write", func(v *values) *string { return &v.o.Out })),
				boolFlag("force", "replace the file if it exists", func(v *values) *bool { return &v.o.Force }),
			},
			Run: runGen},
		{Name: "archive", Args: "upgrade|optimize", Summary: "bring an archive up to date; merge its search index", Run: runArchive},
		{Name: "state", Args: "export|import FILE", Summary: "move readers' bookmarks and follows between a bookmarks file and PostgreSQL",
			Flags: []Flag{
				hostPath(stringFlag("state", "FILE|URL", "the store: a bookmarks file or postgres://USER@HOST/DB (default: serve.state, else this machine's bookmarks file)", func(v *values) *string { return &v.sc.State })),
				hostPath(stringFlag("o", "FILE", "export: write to a file instead of standard output", func(v *values) *string { return &v.o.Out })),
				boolFlag("force", "with -o: replace the file if it exists", func(v *values) *bool { return &v.o.Force }),
			},
			Run: runState},
		{Name: "serve", Summary: "serve the archive read-only over SSH",
			Flags: []Flag{
				stringFlag("listen", "ADDR", "address to listen on (default 127.0.0.1:2222)", func(v *values) *string { return &v.sc.Listen }),
				hostPath(stringFlag("authorized-keys", "FILE", "admit only these keys", func(v *values) *string { return &v.sc.AuthorizedKeys })),
				hostPath(stringFlag("data-dir", "DIR", "bookmarks and host key (default: beside the archive)", func(v *values) *string { return &v.sc.DataDir })),
				hostPath(stringFlag("host-key", "PATH", "host key (default DIR/host_ed25519)", func(v *values) *string { return &v.sc.HostKey })),
				stringFlag("state", "URL", "keep readers' bookmarks and follows in PostgreSQL (postgres://USER@HOST/DB), shared by several servers (default: a file in DIR)", func(v *values) *string { return &v.sc.State }),
				stringFlag("host-id", "NAME", "this server's name among those sharing --state (default: the machine's name)", func(v *values) *string { return &v.sc.HostID }),
				intFlag("max-sessions", "N", "sessions at once (default 64)", func(v *values) *int { return &v.sc.MaxSessions }),
				durationFlag("idle-timeout", "D", "close a session idle this long (default 15m)", func(v *values) *time.Duration { return &v.sc.IdleTimeout }),
				durationFlag("max-session-time", "D", "close any session after this long (default 8h)", func(v *values) *time.Duration { return &v.sc.MaxSessionTime }),
				durationFlag("login-grace-time", "D", "close a connection not logged in by then (default 30s)", func(v *values) *time.Duration { return &v.sc.LoginGraceTime }),
				intFlag("max-startups", "N", "connections not yet logged in, in all (default 100)", func(v *values) *int { return &v.sc.MaxStartups }),
				intFlag("max-startups-per-address", "N", "the same from one address (default 10)", func(v *values) *int { return &v.sc.MaxStartupsPerAddress }),
			},
			Run: runServe},
		{Name: "config", Summary: "the settings in effect and where each came from; --init writes a config file",
			Flags: []Flag{jsonFlag,
				boolFlag("init", "write a commented config file of the defaults (to --config PATH if given)", func(v *values) *bool { return &v.init }),
				boolFlag("force", "with --init: replace a config file that exists", func(v *values) *bool { return &v.o.Force }),
			},
			Run: runConfig},
		{Name: "completion", Args: "bash|zsh|fish", Summary: "print a shell's completion script (see docs/shell.md)", Run: runCompletion},
		{Name: "man", Summary: "print the manual page (man -l <(kurultai man))", Run: runMan},
		{Name: "version", Summary: "print the version", Remote: true,
			Run: func(_ context.Context, inv *Invocation) error {
				if err := noArgs(inv, "version"); err != nil {
					return err
				}
				_, err := fmt.Fprintf(inv.Env.Stdout, "kurultai %s (archive schema %d, sample %s)\n", version, data.SchemaVersion(), sessions.SampleVersion())
				return err
			}},
		{Name: "help", Args: "[COMMAND]", Summary: "this list, or a command's flags", Remote: true},
	}
}

func runBrowse(ctx context.Context, inv *Invocation) error {
	if len(inv.Args) > 1 {
		return cli.UsageError{Msg: msg.T("unknown command %q (see kurultai --help)", truncate(cli.OneLine(inv.Args[0]), 60))}
	}
	open := ""
	if len(inv.Args) == 1 {
		open = inv.Args[0]
	}
	return cli.Browse(ctx, open, inv.Opts, inv.Env)
}

func runShow(ctx context.Context, inv *Invocation) error {
	o := inv.Opts
	if len(inv.Args) != 1 {
		return cli.UsageError{Msg: msg.T("show takes one id, for example: kurultai show nk-5/address")}
	}
	if o.Width != 0 && (o.Width < 20 || o.Width > 1000) {
		return cli.UsageError{Msg: msg.T("--width %d: expected a number from 20 to 1000", o.Width)}
	}
	return cli.Show(ctx, inv.Args[0], o, inv.Env)
}

// researchArgs checks what the research commands share: a query, and
// one output format.
func researchArgs(inv *Invocation, name string) error {
	o := inv.Opts
	switch {
	case strings.TrimSpace(strings.Join(inv.Args, " ")) == "":
		return cli.UsageError{Msg: msg.T("%s needs a query, for example: kurultai %s referendum", name, name)}
	case o.JSON && o.CSV:
		return cli.UsageError{Msg: msg.T("choose --json or --csv, not both")}
	case o.Limit < 0:
		return cli.UsageError{Msg: msg.T("--limit cannot be negative")}
	}
	return nil
}

func runTrend(ctx context.Context, inv *Invocation) error {
	if err := researchArgs(inv, "trend"); err != nil {
		return err
	}
	o := inv.Opts
	switch {
	case len(inv.Args) > 5:
		return cli.UsageError{Msg: msg.T("trend compares up to 5 queries; quote each: kurultai trend referendum \"vice president\"")}
	case !slices.Contains(data.TrendBy, o.Research.By):
		return cli.UsageError{Msg: msg.T("--by %q: expected year, month or session", o.Research.By)}
	case o.Research.SVG != "" && (o.JSON || o.CSV):
		return cli.UsageError{Msg: msg.T("--svg writes a chart: not with --json or --csv")}
	}
	if o.Research.SVG != "" {
		if err := noOverwrite(o.Research.SVG, o.Force); err != nil {
			return err
		}
	}
	return cli.Trend(ctx, inv.Args, o, inv.Env)
}

func runWho(ctx context.Context, inv *Invocation) error {
	if err := researchArgs(inv, "who"); err != nil {
		return err
	}
	o := inv.Opts
	switch {
	case !slices.Contains(data.WhoBy, o.Research.By):
		return cli.UsageError{Msg: msg.T("--by %q: expected speaker or party", o.Research.By)}
	case o.Research.Sort != "matches" && o.Research.Sort != "rate":
		return cli.UsageError{Msg: msg.T("--sort %q: expected matches or rate", o.Research.Sort)}
	case o.Research.MinWords < 0:
		return cli.UsageError{Msg: msg.T("--min-words must be 0 or more")}
	}
	return cli.Who(ctx, strings.Join(inv.Args, " "), o, inv.Env)
}

func runKwic(ctx context.Context, inv *Invocation) error {
	if err := researchArgs(inv, "kwic"); err != nil {
		return err
	}
	o := inv.Opts
	switch {
	case !slices.Contains(data.KwicSorts, o.Research.Sort):
		return cli.UsageError{Msg: msg.T("--sort %q: expected one of %s", o.Research.Sort, strings.Join(data.KwicSorts, ", "))}
	case o.Research.Context < 0 || o.Research.Context > 50:
		return cli.UsageError{Msg: msg.T("--context must be 0 to 50 words")}
	case o.Research.Sample < 0:
		return cli.UsageError{Msg: msg.T("--sample cannot be negative")}
	case o.Research.Seed < 0:
		return cli.UsageError{Msg: msg.T("--seed must be 0 or more")}
	}
	return cli.Kwic(ctx, strings.Join(inv.Args, " "), o, inv.Env)
}

func runKeywords(ctx context.Context, inv *Invocation) error {
	o := inv.Opts
	args := strings.TrimSpace(strings.Join(inv.Args, " "))
	switch {
	case args != "" && o.Research.Focus != "":
		return cli.UsageError{Msg: msg.T("give the focus once: as --focus QUERY or as the argument")}
	case args == "" && strings.TrimSpace(o.Research.Focus) == "":
		return cli.UsageError{Msg: msg.T(`keywords need a focus, for example: kurultai keywords --focus "session:nk-5"`)}
	case o.JSON && o.CSV:
		return cli.UsageError{Msg: msg.T("choose --json or --csv, not both")}
	case o.Limit < 0:
		return cli.UsageError{Msg: msg.T("--limit cannot be negative")}
	case !slices.Contains(data.KeywordSorts, o.Research.Sort):
		return cli.UsageError{Msg: msg.T("--sort %q: expected ll or ratio", o.Research.Sort)}
	case o.Research.MinFreq < 1:
		return cli.UsageError{Msg: msg.T("--min-freq must be 1 or more")}
	}
	if args != "" {
		o.Research.Focus = args
	}
	return cli.Keywords(ctx, o, inv.Env)
}

func runCollocates(ctx context.Context, inv *Invocation) error {
	if err := researchArgs(inv, "collocates"); err != nil {
		return err
	}
	o := inv.Opts
	switch {
	case !slices.Contains(data.CollocateMeasures, o.Research.Measure):
		return cli.UsageError{Msg: msg.T("--measure %q: expected logdice, mi or freq", o.Research.Measure)}
	case o.Research.Window < 1 || o.Research.Window > 50:
		return cli.UsageError{Msg: msg.T("--window must be 1 to 50 words")}
	case o.Research.MinFreq < 1:
		return cli.UsageError{Msg: msg.T("--min-freq must be 1 or more")}
	}
	return cli.Collocates(ctx, strings.Join(inv.Args, " "), o, inv.Env)
}

func runSearch(ctx context.Context, inv *Invocation) error {
	o := inv.Opts
	switch {
	case strings.TrimSpace(strings.Join(inv.Args, " ")) == "":
		return cli.UsageError{Msg: msg.T(`search needs a query, for example: kurultai search "vice president" or kurultai search speaker:tokayev`)}
	case o.JSON && o.CSV:
		return cli.UsageError{Msg: msg.T("choose --json or --csv, not both")}
	case o.Limit < 1:
		return cli.UsageError{Msg: msg.T("--limit must be 1 or more")}
	case o.Count && o.Facets:
		return cli.UsageError{Msg: msg.T("choose --count or --facets, not both")}
	case (o.Count || o.Facets) && (o.All || o.CSV):
		return cli.UsageError{Msg: msg.T("--count and --facets print numbers: they take --json, not --all or --csv")}
	case o.Order != "rank" && o.Order != "date":
		return cli.UsageError{Msg: msg.T("--order %q: expected rank or date", o.Order)}
	}
	err := cli.Search(ctx, strings.Join(inv.Args, " "), o, inv.Env)
	var nm cli.NoMatches
	var ir cli.Interrupted
	if err != nil && !errors.As(err, &nm) && !errors.As(err, &ir) && !errors.Is(err, context.Canceled) {
		// As grep: 1 is for finding nothing, 2 for anything that went wrong.
		return cli.SearchFailure{Err: err}
	}
	return err
}

func runExport(ctx context.Context, inv *Invocation) error {
	o := inv.Opts
	if err := noArgs(inv, "export"); err != nil {
		return err
	}
	if !slices.Contains(sessions.ExportFormats, o.Format) {
		return cli.UsageError{Msg: msg.T("--format %q: expected one of %s", o.Format, strings.Join(sessions.ExportFormats, ", "))}
	}
	if o.Group != "" && o.Group != "session" && o.Group != "tag" {
		return cli.UsageError{Msg: msg.T("--group %q: expected session or tag", o.Group)}
	}
	if r := inv.Env.Remote; r != nil && r.Guest {
		return cli.UsageError{Msg: msg.T("export needs a key: bookmarks made without one last only for that connection")}
	}
	o.Out = cli.OutPath(o.Out, ui.ExportFileName(o.Format))
	if err := noOverwrite(o.Out, o.Force); err != nil {
		return err
	}
	return cli.Export(ctx, o, inv.Env)
}

// runState moves readers' state out of a store, or into one.
func runState(ctx context.Context, inv *Invocation) error {
	o := inv.Opts
	switch {
	case len(inv.Args) == 1 && inv.Args[0] == "export":
		if o.Out != "" {
			if err := noOverwrite(o.Out, o.Force); err != nil {
				return err
			}
		}
		write := func(fn func(io.Writer) error) error {
			if o.Out == "" {
				return fn(inv.Env.Stdout)
			}
			if err := sessions.WriteFileAtomic(o.Out, fn); err != nil {
				return msg.Errorf("cannot write %s: %v (nothing was written there)", o.Out, err)
			}
			return nil
		}
		return cli.StateExport(ctx, inv.Serve.State, o, inv.Env, write)
	case len(inv.Args) == 2 && inv.Args[0] == "import":
		return cli.StateImport(ctx, inv.Args[1], inv.Serve.State, o, inv.Env)
	}
	return cli.UsageError{Msg: msg.T("state takes export, or import and the file kurultai state export wrote; for example: kurultai state export --state bookmarks.db -o state.json")}
}

func runDump(ctx context.Context, inv *Invocation) error {
	o := inv.Opts
	if len(inv.Args) > 0 || o.Out == "" {
		return cli.UsageError{Msg: msg.T("dump writes to the path given with -o, for example: kurultai dump -o archive.json")}
	}
	if o.Format != "json" && o.Format != "markdown" {
		return cli.UsageError{Msg: msg.T("--format %q: expected json or markdown", o.Format)}
	}
	o.Out = cli.OutPath(o.Out, cli.OutName("dump", o.Format))
	if err := noOverwrite(o.Out, o.Force); err != nil {
		return err
	}
	return cli.Dump(ctx, o, inv.Env)
}

func runGen(ctx context.Context, inv *Invocation) error {
	o := inv.Opts
	switch {
	case len(inv.Args) > 0:
		return noArgs(inv, "gen")
	case o.Gen.Paragraphs < 1 || o.Gen.Paragraphs > 100_000_000:
		return cli.UsageError{Msg: msg.T("gen needs --paragraphs from 1 to 100000000")}
	case o.Gen.Sessions < 0 || o.Gen.Sessions > o.Gen.Paragraphs:
		return cli.UsageError{Msg: msg.T("--sessions must be from 1 to the number of paragraphs")}
	case o.Out == "":
		return cli.UsageError{Msg: msg.T("gen needs --out PATH")}
	}
	switch o.Format {
	case "archive", "json", "markdown", "tei":
	default:
		return cli.UsageError{Msg: msg.T("--format %q: expected archive, json, markdown or tei", o.Format)}
	}
	switch o.Shape {
	case "archive":
	case "transcript":
		o.Gen.Transcript = true
	default:
		return cli.UsageError{Msg: msg.T("--shape %q: expected archive or transcript", o.Shape)}
	}
	o.Out = cli.OutPath(o.Out, cli.OutName("gen", o.Format))
	if err := noOverwrite(o.Out, o.Force); err != nil {
		return err
	}
	return cli.Generate(ctx, o, inv.Env)
}

func runArchive(ctx context.Context, inv *Invocation) error {
	if len(inv.Args) != 1 || inv.Args[0] != "optimize" && inv.Args[0] != "upgrade" {
		return cli.UsageError{Msg: msg.T("archive takes one subcommand: upgrade or optimize")}
	}
	if inv.Args[0] == "upgrade" {
		return cli.Upgrade(ctx, inv.Opts, inv.Env)
	}
	db, err := cli.WritableArchive(ctx, inv.Opts, inv.Env)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := db.Optimize(ctx); err != nil {
		return err
	}
	_, err = fmt.Fprintln(inv.Env.Stdout, inv.Opts.Printer(inv.Env).T("the search index of %s is merged", db.Path()))
	return err
}

// noOverwrite refuses to write over a file that exists unless --force is
// given. An empty folder is no loss, and a folder with files in it is
// refused by the writers themselves, with or without --force.
func noOverwrite(path string, force bool) error {
	if path == "" || force {
		return nil
	}
	st, err := os.Lstat(path)
	if err != nil || st.IsDir() {
		return nil
	}
	return cli.UsageError{Msg: msg.T("%s exists; pass --force to replace it", path)}
}
