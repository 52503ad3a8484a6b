package command

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/pelletier/go-toml/v2"
	"github.com/pelletier/go-toml/v2/unstable"

	"kurultai/sessions/msg"
	"kurultai/ui"
	"kurultai/ui/cli"
	"kurultai/ui/i18n"
)

// The config file holds what a person sets once: the default archive, the
// style and its colours, the reader's width, the mouse, key bindings and
// serve's flags. A setting is taken from, in order, its flag, its
// environment variable, the file, and its default; `kurultai config`
// prints each with where it came from.
//
// A file that cannot be used (bad TOML, a setting that does not exist, a
// value out of range, a key bound twice on one screen) is reported in one
// line that names the line and the setting, and none of it is used:
// kurultai carries on with the defaults rather than with half a file.

// maxConfigBytes bounds the config file read: a settings file is a few
// hundred bytes, and a huge one is a mistake, not a config.
const maxConfigBytes = 1 << 20

// setting is one setting of the config file.
type setting struct {
	// name is its key in the file: "style", or "serve.listen".
	name string
	// flag and env name its flag and environment variable, if it has them.
	flag, env string
	// def is its default, as `kurultai config` and `config --init` show it.
	def string
	// about is the comment `config --init` writes above it.
	about string
	// kind is what the file holds for it: a string, a whole number, a
	// true/false, or a duration written as a string ("15m").
	kind settingKind
	// check refuses a value the setting cannot take, in words for a person.
	check func(string) error
	// apply puts a checked value in place.
	apply func(v *values, s string)
	// show gives the value in effect.
	show func(v *values) string
}

type settingKind int

const (
	kindString settingKind = iota
	kindInt
	kindBool
	kindDuration
)

// settings are every setting of the file but [colours] and [keys], which
// are tables of their own (see colourSetting and keySetting).
var settings = []setting{
	{name: "archive", flag: "archive", env: "KURULTAI_ARCHIVE", def: "", kind: kindString,
		about: "The archive to open when no --archive is given. Empty: the built-in sample,\n# kept in the data folder (~/.local/share/kurultai/archive.db).",
		apply: func(v *values, s string) { v.o.Archive = s }, show: func(v *values) string { return v.o.Archive }},
	{name: "style", flag: "style", env: "KURULTAI_STYLE", def: "", kind: kindString,
		about: "dark, light, ascii (no colour, ASCII signs only) or contrast (high contrast,\n# 7:1 and more). Empty: follow the terminal.",
		check: func(s string) error {
			if s != "" && !slices.Contains(ui.StyleNames, s) {
				return msg.Errorf("expected dark, light, ascii or contrast, got %q", s)
			}
			return nil
		},
		apply: func(v *values, s string) { v.o.Style = s }, show: func(v *values) string { return v.o.Style }},
	{name: "width", flag: "width", env: "KURULTAI_WIDTH", def: strconv.Itoa(ui.DefaultReadWidth), kind: kindInt,
		about: "The reader wraps text at most this many columns wide, 20 to 1000\n# (kurultai show has its own --width).",
		check: func(s string) error {
			if n, err := strconv.Atoi(s); err != nil || n < 20 || n > 1000 {
				return msg.Errorf("expected a whole number from 20 to 1000, got %s", s)
			}
			return nil
		},
		apply: func(v *values, s string) { v.o.ReadWidth, _ = strconv.Atoi(s) },
		show: func(v *values) string {
			if v.o.ReadWidth == 0 {
				return strconv.Itoa(ui.DefaultReadWidth)
			}
			return strconv.Itoa(v.o.ReadWidth)
		}},
	{name: "mouse", flag: "mouse", env: "KURULTAI_MOUSE", def: "true", kind: kindBool,
		about: "The mouse wheel scrolls; false leaves the mouse to the terminal (to select text).",
		apply: func(v *values, s string) { v.o.NoMouse = s == "false" },
		show:  func(v *values) string { return strconv.FormatBool(!v.o.NoMouse) }},
	{name: "lang", flag: "lang", def: "", kind: kindString,
		about: "The interface's language: en, kk (Қазақша) or ru (Русский). Empty: the locale's\n# (LC_ALL, LC_MESSAGES, LANG), English for any other. Output for programs\n# (--json, --csv, --count, exports) is never translated.",
		check: func(s string) error {
			if s != "" && !i18n.Known(s) {
				return msg.Errorf("expected en, kk or ru, got %q", s)
			}
			return nil
		},
		apply: func(v *values, s string) { v.o.Lang = s }, show: func(v *values) string { return v.o.Lang }},
	{name: "accessible", flag: "accessible", env: "ACCESSIBLE", def: "false", kind: kindBool,
		about: "The accessible mode, for screen readers: no screen is drawn, every change is\n# said as a line of plain text.",
		apply: func(v *values, s string) { v.o.Accessible = s == "true" },
		show:  func(v *values) string { return strconv.FormatBool(v.o.Accessible) }},
	{name: "serve.listen", flag: "listen", def: "127.0.0.1:2222", kind: kindString, about: "serve: the address to listen on.",
		apply: func(v *values, s string) { v.sc.Listen = s }, show: func(v *values) string { return v.sc.Listen }},
	{name: "serve.authorized_keys", flag: "authorized-keys", def: "", kind: kindString, about: "serve: admit only these keys (a file in authorized_keys form). Empty: anyone.",
		apply: func(v *values, s string) { v.sc.AuthorizedKeys = s }, show: func(v *values) string { return v.sc.AuthorizedKeys }},
	{name: "serve.data_dir", flag: "data-dir", def: "", kind: kindString, about: "serve: bookmarks and host key. Empty: a folder server beside the archive.",
		apply: func(v *values, s string) { v.sc.DataDir = s }, show: func(v *values) string { return v.sc.DataDir }},
	{name: "serve.host_key", flag: "host-key", def: "", kind: kindString, about: "serve: the host key. Empty: host_ed25519 in the data folder.",
		apply: func(v *values, s string) { v.sc.HostKey = s }, show: func(v *values) string { return v.sc.HostKey }},
	{name: "serve.state", flag: "state", def: "", kind: kindString, about: "serve: keep readers' bookmarks and follows in PostgreSQL, shared by several\n# servers: postgres://USER@HOST/DB, the password in PGPASSWORD or ~/.pgpass.\n# Empty: a file in the data folder.",
		apply: func(v *values, s string) { v.sc.State = s }, show: func(v *values) string { return v.sc.State }},
	{name: "serve.host_id", flag: "host-id", def: "", kind: kindString, about: "serve: this server's name among those sharing serve.state. Empty: the\n# machine's name.",
		apply: func(v *values, s string) { v.sc.HostID = s }, show: func(v *values) string { return v.sc.HostID }},
	{name: "serve.max_sessions", flag: "max-sessions", def: "64", kind: kindInt, check: atLeastOne, about: "serve: sessions at once.",
		apply: func(v *values, s string) { v.sc.MaxSessions, _ = strconv.Atoi(s) }, show: func(v *values) string { return strconv.Itoa(v.sc.MaxSessions) }},
	{name: "serve.idle_timeout", flag: "idle-timeout", def: "15m", kind: kindDuration, about: "serve: close a session idle this long.",
		apply: func(v *values, s string) { v.sc.IdleTimeout, _ = time.ParseDuration(s) }, show: func(v *values) string { return v.sc.IdleTimeout.String() }},
	{name: "serve.max_session_time", flag: "max-session-time", def: "8h", kind: kindDuration, about: "serve: close any session after this long.",
		apply: func(v *values, s string) { v.sc.MaxSessionTime, _ = time.ParseDuration(s) }, show: func(v *values) string { return v.sc.MaxSessionTime.String() }},
	{name: "serve.login_grace_time", flag: "login-grace-time", def: "30s", kind: kindDuration, about: "serve: close a connection not logged in by then.",
		apply: func(v *values, s string) { v.sc.LoginGraceTime, _ = time.ParseDuration(s) }, show: func(v *values) string { return v.sc.LoginGraceTime.String() }},
	{name: "serve.max_startups", flag: "max-startups", def: "100", kind: kindInt, check: atLeastOne, about: "serve: connections not yet logged in, in all.",
		apply: func(v *values, s string) { v.sc.MaxStartups, _ = strconv.Atoi(s) }, show: func(v *values) string { return strconv.Itoa(v.sc.MaxStartups) }},
	{name: "serve.max_startups_per_address", flag: "max-startups-per-address", def: "10", kind: kindInt, check: atLeastOne, about: "serve: the same from one address.",
		apply: func(v *values, s string) { v.sc.MaxStartupsPerAddress, _ = strconv.Atoi(s) }, show: func(v *values) string { return strconv.Itoa(v.sc.MaxStartupsPerAddress) }},
}

func atLeastOne(s string) error {
	if n, err := strconv.Atoi(s); err != nil || n < 1 {
		return msg.Errorf("expected a whole number of at least 1, got %s", s)
	}
	return nil
}

// config is the file as read: its settings, each with its line, or the
// one problem that keeps it from being used.
type config struct {
	path  string
	found bool
	// values are the file's settings by name ("style", "colours.accent",
	// "keys.quit"), as strings (a key list is its keys joined by NUL).
	values map[string]string
	lines  map[string]int
	// keys are the [keys] table, colours the [colours] one.
	keys    map[string][]string
	colours map[string]string
	// problem is why the file is not used, in one line.
	problem error
}

// configPath is where the config file is: --config, else
// $XDG_CONFIG_HOME/kurultai/config.toml, else ~/.config/kurultai/config.toml.
// Empty with no error when there is no home to look in.
func configPath(flagPath string, getenv func(string) string) string {
	if flagPath != "" {
		return flagPath
	}
	if dir := getenv("XDG_CONFIG_HOME"); dir != "" && filepath.IsAbs(dir) {
		return filepath.Join(dir, "kurultai", "config.toml")
	}
	if home := getenv("HOME"); home != "" {
		return filepath.Join(home, ".config", "kurultai", "config.toml")
	}
	return ""
}

// loadConfig reads the config file at path. A file named by --config
// must exist; the usual one need not. Only a file that cannot be read at
// all is an error; a file that can be read but not used comes back with
// its problem.
func loadConfig(path string, named bool) (*config, error) {
	c := &config{path: path, values: map[string]string{}, lines: map[string]int{}}
	if path == "" {
		return c, nil
	}
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) && !named {
		return c, nil
	}
	if err != nil {
		return nil, cli.UsageError{Msg: msg.T("--config %s: %v", path, plainPathError(err))}
	}
	defer f.Close()
	if st, err := f.Stat(); err == nil && st.IsDir() {
		return nil, cli.UsageError{Msg: msg.T("config %s is a folder, not a file", path)}
	}
	b, err := io.ReadAll(io.LimitReader(f, maxConfigBytes+1))
	if err != nil {
		return nil, msg.Errorf("config %s: %v", path, plainPathError(err))
	}
	c.found = true
	if len(b) > maxConfigBytes {
		c.problem = msg.Errorf("larger than %d bytes: not a settings file", maxConfigBytes)
		return c, nil
	}
	if err := c.parse(b); err != nil {
		c.problem = err
	}
	return c, nil
}

func plainPathError(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// parse reads the file's settings. TOML's own mistakes (syntax, a key
// given twice) come from the decoder with their line; what kurultai
// checks is found by walking the document, which knows each key's line.
func (c *config) parse(b []byte) error {
	var doc map[string]any
	if err := toml.Unmarshal(b, &doc); err != nil {
		var de *toml.DecodeError
		if errors.As(err, &de) {
			row, _ := de.Position()
			return msg.Errorf("line %d: %s", row, strings.TrimPrefix(de.Error(), "toml: "))
		}
		return err
	}
	var p unstable.Parser
	p.Reset(b)
	var table []string
	for p.NextExpression() {
		e := p.Expression()
		switch e.Kind {
		case unstable.Table:
			table = keyParts(e.Key())
			if err := c.table(table, lineOf(&p, e)); err != nil {
				return err
			}
		case unstable.ArrayTable:
			return msg.Errorf("line %d: [[%s]]: the config has no lists of tables", lineOf(&p, e), strings.Join(keyParts(e.Key()), "."))
		case unstable.KeyValue:
			if err := c.keyValue(&p, table, e); err != nil {
				return err
			}
		}
	}
	if err := p.Error(); err != nil {
		return err
	}
	if len(c.keys) > 0 {
		if _, err := ui.BindKeys(c.keys); err != nil {
			var ke ui.KeyError
			if errors.As(err, &ke) {
				return msg.Errorf("line %d: keys.%s: %v", c.lines["keys."+ke.Action], ke.Action, ke.Msg)
			}
			return err
		}
	}
	return nil
}

// tables are the tables the file may have.
var tables = []string{"colours", "keys", "serve"}

func (c *config) table(name []string, line int) error {
	if len(name) != 1 || !slices.Contains(tables, name[0]) {
		return msg.Errorf("line %d: [%s] is not a table of the config; the tables are [colours], [keys] and [serve]", line, strings.Join(name, "."))
	}
	return nil
}

func keyParts(it unstable.Iterator) []string {
	var parts []string
	for it.Next() {
		parts = append(parts, string(it.Node().Data))
	}
	return parts
}

func lineOf(p *unstable.Parser, n *unstable.Node) int {
	for _, r := range []unstable.Range{n.Raw} {
		if r.Length > 0 {
			return p.Shape(r).Start.Line
		}
	}
	for it := n.Key(); it.Next(); {
		if r := it.Node().Raw; r.Length > 0 {
			return p.Shape(r).Start.Line
		}
	}
	if v := n.Value(); v != nil && v.Raw.Length > 0 {
		return p.Shape(v.Raw).Start.Line
	}
	return 0
}

// keyValue takes one "name = value" of the file, within table.
func (c *config) keyValue(p *unstable.Parser, table []string, e *unstable.Node) error {
	line := lineOf(p, e)
	path := append(slices.Clone(table), keyParts(e.Key())...)
	name := strings.Join(path, ".")
	v := e.Value()
	if v.Kind == unstable.InlineTable {
		if len(path) != 1 {
			return msg.Errorf("line %d: %s is not a setting", line, name)
		}
		if err := c.table(path, line); err != nil {
			return err
		}
		for it := v.Children(); it.Next(); {
			if err := c.keyValue(p, path, it.Node()); err != nil {
				return err
			}
		}
		return nil
	}
	c.lines[name] = line
	switch {
	case len(path) == 2 && path[0] == "keys":
		return c.keySetting(line, path[1], v)
	case len(path) == 2 && path[0] == "colours":
		return c.colourSetting(line, path[1], v)
	case len(path) == 1 && slices.Contains(tables, path[0]):
		return msg.Errorf("line %d: %s is a table: write [%s] and its settings below it", line, name, name)
	}
	for _, s := range settings {
		if s.name != name {
			continue
		}
		val, err := scalar(s.kind, v)
		if err == nil && s.check != nil {
			err = s.check(val)
		}
		if err != nil {
			return msg.Errorf("line %d: %s: %v", line, name, err)
		}
		c.values[name] = val
		return nil
	}
	return msg.Errorf("line %d: %s is not a setting (see kurultai config --init for them all)", line, name)
}

// scalar reads a value of the kind a setting takes, as a string.
func scalar(kind settingKind, v *unstable.Node) (string, error) {
	switch kind {
	case kindInt:
		if v.Kind != unstable.Integer {
			return "", msg.Errorf("expected a whole number, got %v", describe(v))
		}
		n, err := strconv.ParseInt(strings.ReplaceAll(string(v.Data), "_", ""), 0, 64)
		if err != nil {
			return "", msg.Errorf("expected a whole number, got %s", v.Data)
		}
		return strconv.FormatInt(n, 10), nil
	case kindBool:
		if v.Kind != unstable.Bool {
			return "", msg.Errorf("expected true or false, got %v", describe(v))
		}
		return string(v.Data), nil
	case kindDuration:
		if v.Kind != unstable.String {
			return "", msg.Errorf(`expected a duration in quotes, such as "15m" or "8h", got %v`, describe(v))
		}
		d, err := time.ParseDuration(string(v.Data))
		if err != nil || d < 0 {
			return "", msg.Errorf(`expected a duration such as "15m" or "8h", got %q`, v.Data)
		}
		return string(v.Data), nil
	}
	if v.Kind != unstable.String {
		return "", msg.Errorf("expected text in quotes, got %v", describe(v))
	}
	return string(v.Data), nil
}

// describe names a value for a message: the value itself for a scalar,
// its kind for the rest.
func describe(v *unstable.Node) msg.Text {
	switch v.Kind {
	case unstable.String:
		return msg.T("%q", string(v.Data))
	case unstable.Array:
		return msg.T("a list")
	case unstable.InlineTable:
		return msg.T("a table")
	}
	return msg.T("%s", string(v.Data))
}

func (c *config) keySetting(line int, action string, v *unstable.Node) error {
	if v.Kind != unstable.Array {
		return msg.Errorf(`line %d: keys.%s: expected a list of keys, such as ["q", "ctrl+c"], got %v`, line, action, describe(v))
	}
	keys := []string{}
	for it := v.Children(); it.Next(); {
		k := it.Node()
		if k.Kind != unstable.String {
			return msg.Errorf("line %d: keys.%s: expected key names in quotes, got %v", line, action, describe(k))
		}
		keys = append(keys, string(k.Data))
	}
	if c.keys == nil {
		c.keys = map[string][]string{}
	}
	c.keys[action] = keys
	return nil
}

func (c *config) colourSetting(line int, role string, v *unstable.Node) error {
	if !slices.Contains(ui.ColourRoles, role) {
		return msg.Errorf("line %d: colours.%s is not a colour of the theme; they are %s", line, role, strings.Join(ui.ColourRoles, ", "))
	}
	if v.Kind != unstable.String {
		return msg.Errorf(`line %d: colours.%s: expected a colour in quotes, such as "#7AB8FF" or "39", got %v`, line, role, describe(v))
	}
	if _, err := ui.ParseColour(string(v.Data)); err != nil {
		return msg.Errorf("line %d: colours.%s: %v", line, role, err)
	}
	if c.colours == nil {
		c.colours = map[string]string{}
	}
	c.colours[role] = string(v.Data)
	return nil
}

// source says where a setting's value came from.
type source struct {
	from string // "default", "file", "environment" or "flag"
	// detail is the line of the file, the variable or the flag.
	detail string
}

func (s source) String() string {
	if s.detail == "" {
		return s.from
	}
	return s.from + " (" + s.detail + ")"
}

// applyConfig puts the file's and the environment's settings in v, below
// the flags already given (set). It returns where each came from.
func applyConfig(c *config, v *values, set map[string]bool, getenv func(string) string) (map[string]source, error) {
	from := map[string]source{}
	for _, s := range settings {
		from[s.name] = source{from: "default"}
		if s.flag != "" && set[s.flag] {
			from[s.name] = source{from: "flag", detail: "--" + s.flag}
			continue
		}
		if s.env != "" {
			if val := getenv(s.env); val != "" {
				if s.kind == kindBool {
					b, err := strconv.ParseBool(val)
					if err != nil {
						return nil, cli.UsageError{Msg: msg.T("%s=%s: expected true or false", s.env, cli.OneLine(truncate(val, 60)))}
					}
					val = strconv.FormatBool(b)
				}
				if s.check != nil {
					if err := s.check(val); err != nil {
						return nil, cli.UsageError{Msg: msg.T("%s: %v", s.env, err)}
					}
				}
				s.apply(v, val)
				from[s.name] = source{from: "environment", detail: s.env}
				continue
			}
		}
		if c.problem == nil {
			if val, ok := c.values[s.name]; ok {
				if s.name == "archive" {
					val = c.resolve(val)
				}
				s.apply(v, val)
				from[s.name] = source{from: "file", detail: fmt.Sprintf("line %d", c.lines[s.name])}
			}
		}
	}
	// The language: where none is given (or "" is), the locale's. The
	// file beats the locale, which is every program's.
	if v.o.Lang == "" {
		for _, name := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
			if val := getenv(name); val != "" {
				v.o.Lang = i18n.Parse(val)
				from["lang"] = source{from: "environment", detail: name + "=" + cli.OneLine(truncate(val, 40))}
				break
			}
		}
	}
	return from, nil
}

// resolve makes a path from the file absolute: ~ is the home folder, and a
// relative path is taken from the file's folder, not from wherever
// kurultai happens to be run.
func (c *config) resolve(p string) string {
	if p == "" {
		return p
	}
	if rest, ok := strings.CutPrefix(p, "~/"); ok {
		if home, err := os.UserHomeDir(); err == nil {
			return filepath.Join(home, rest)
		}
	}
	if !filepath.IsAbs(p) {
		return filepath.Join(filepath.Dir(c.path), p)
	}
	return p
}

// configTemplate writes the commented config file of the defaults.
func configTemplate(w io.Writer) error {
	var b strings.Builder
	b.WriteString(`# kurultai's settings. Each is commented out at its default: remove the # of
# those you change. A flag beats an environment variable, which beats this
# file. kurultai config prints what is in effect and where it came from.
`)
	table := ""
	for _, s := range settings {
		if t, _, ok := strings.Cut(s.name, "."); ok && t != table {
			table = t
			fmt.Fprintf(&b, "\n[%s]\n", t)
		}
		name := s.name[strings.LastIndexByte(s.name, '.')+1:]
		fmt.Fprintf(&b, "\n# %s", s.about)
		if s.env != "" {
			fmt.Fprintf(&b, " (environment: %s)", s.env)
		}
		fmt.Fprintf(&b, "\n# %s = %s\n", name, tomlValue(s.kind, s.def))
	}
	b.WriteString("\n# Colours replace the theme's, for the dark and light styles: \"#RRGGBB\",\n# \"#RGB\" or a number of the terminal's 256 colours.\n[colours]\n")
	dark := ui.NewTheme(ui.ThemeDark)
	for _, role := range ui.ColourRoles {
		fmt.Fprintf(&b, "# %s = %q\n", role, hexOf(dark, role))
	}
	b.WriteString("\n# Keys: action = [\"key\", ...], as many keys as you like, none to leave an\n# action without one. Key names are Bubble Tea's: q, Q, ctrl+c, alt+x, f1,\n# enter, esc, tab, shift+tab, space, up, down, pgup, pgdown, home, end.\n# A key does one thing on a screen: bound to two actions of one screen, it\n# is refused. docs/config.md says what each action does.\n[keys]\n")
	k := ui.DefaultKeyMap()
	for _, a := range ui.Actions {
		fmt.Fprintf(&b, "# %s = [%s]\n", a.Name, strings.Join(quoted(a.Binding(&k).Keys()), ", "))
	}
	_, err := io.WriteString(w, b.String())
	return err
}
