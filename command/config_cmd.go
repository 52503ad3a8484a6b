package command

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"

	"kurultai/sessions"
	"kurultai/sessions/msg"
	"kurultai/ui"
	"kurultai/ui/cli"
	"kurultai/ui/i18n"
)

// configState is the config file of one invocation and where each of its
// settings came from.
type configState struct {
	file *config
	from map[string]source
}

// readConfig reads the config file and puts its settings and the
// environment's in v, below the flags given before the command. A file
// that cannot be used is said on standard error (and in the browser's
// status line), and the defaults are used.
func readConfig(c *Command, v *values, e cli.Env) (*configState, error) {
	// config --init writes the file --config names: it need not be there.
	file, err := loadConfig(configPath(v.config, e.Getenv), v.config != "" && c.Name != "config")
	if err != nil {
		return nil, err
	}
	from, err := applyConfig(file, v, v.set, e.Getenv)
	if err != nil {
		return nil, err
	}
	if file.problem == nil {
		v.o.Keys, v.o.Colours = file.keys, file.colours
	} else if c.Name != "config" {
		// Said once the flags after the command are read: one of them
		// may be --lang.
		v.o.ConfigProblem = file.notUsed()
	}
	return &configState{file: file, from: from}, nil
}

// notUsed says why the file is not used.
func (c *config) notUsed() error {
	return msg.Errorf("config %s: %v; carrying on with the defaults", c.path, c.problem)
}

// errText is an error's English, "" for none: for --json.
func errText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

// flagsGiven checks the settings given as flags after the command and
// notes where they came from.
func (cs *configState) flagsGiven(v *values) error {
	for _, s := range settings {
		if s.flag == "" || !v.set[s.flag] {
			continue
		}
		cs.from[s.name] = source{from: "flag", detail: "--" + s.flag}
		if s.check != nil && s.name != "style" { // --style is checked with the command line
			if err := s.check(s.show(v)); err != nil {
				return cli.UsageError{Msg: msg.T("--%s: %v", s.flag, err)}
			}
		}
	}
	return nil
}

// shownSetting is a row of kurultai config.
type shownSetting struct {
	Name   string `json:"name"`
	Value  string `json:"value"`
	From   string `json:"from"`
	Detail string `json:"detail,omitempty"`
}

// runConfig prints the settings in effect, or with --init writes a
// commented config file of the defaults.
func runConfig(_ context.Context, inv *Invocation) error {
	if err := noArgs(inv, "config"); err != nil {
		return err
	}
	cs := inv.Config
	if inv.initConfig {
		return writeConfig(cs.file.path, inv.Opts.Force, inv.Env, inv.Opts.Printer(inv.Env))
	}
	v := &values{o: inv.Opts, sc: inv.Serve}
	var rows []shownSetting
	for _, s := range settings {
		f := cs.from[s.name]
		value := s.show(v)
		if f.from == "default" {
			// serve's defaults are set only for serve.
			value = s.def
		}
		rows = append(rows, shownSetting{Name: s.name, Value: value, From: f.from, Detail: f.detail})
	}
	for _, role := range ui.ColourRoles {
		row := shownSetting{Name: "colours." + role, Value: "the theme's", From: "default"}
		if c, ok := cs.file.colours[role]; ok && cs.file.problem == nil {
			row = shownSetting{Name: "colours." + role, Value: c, From: "file", Detail: fmt.Sprintf("line %d", cs.file.lines["colours."+role])}
		}
		rows = append(rows, row)
	}
	keys := ui.DefaultKeyMap()
	if cs.file.problem == nil {
		keys, _ = ui.BindKeys(cs.file.keys)
	}
	for _, a := range ui.Actions {
		row := shownSetting{Name: "keys." + a.Name, Value: strings.Join(quoted(a.Binding(&keys).Keys()), ", "), From: "default"}
		if _, ok := cs.file.keys[a.Name]; ok && cs.file.problem == nil {
			row.From, row.Detail = "file", fmt.Sprintf("line %d", cs.file.lines["keys."+a.Name])
		}
		rows = append(rows, row)
	}
	file := cs.file.path
	tr := inv.Opts.Printer(inv.Env)
	state := tr.T("found")
	switch {
	case file == "":
		state = tr.T("none: no home folder to look in")
	case !cs.file.found:
		state = tr.T("not found: every setting is its default or from the environment and flags")
	case cs.file.problem != nil:
		state = tr.T("not used: %s", cli.OneLine(tr.Err(cs.file.problem)))
	}
	if inv.Opts.JSON {
		return sessions.WriteJSON(inv.Env.Stdout, struct {
			File     string         `json:"file"`
			Found    bool           `json:"found"`
			Problem  string         `json:"problem,omitempty"`
			Settings []shownSetting `json:"settings"`
		}{file, cs.file.found, errText(cs.file.problem), rows})
	}
	w := inv.Env.Stdout
	fmt.Fprintln(w, tr.T("config file: %s (%s)", file, state))
	fmt.Fprintln(w, tr.T("precedence: flag, then environment, then the file, then the default"))
	fmt.Fprintln(w)
	tw := tabwriter.NewWriter(w, 0, 8, 2, ' ', 0)
	fmt.Fprintln(tw, tr.T("setting")+"\t"+tr.T("value")+"\t"+tr.T("from"))
	for _, r := range rows {
		val := r.Value
		switch val {
		case "":
			val = `""`
		case "the theme's":
			val = tr.T("the theme's")
		}
		from := map[string]string{"default": tr.T("default"), "file": tr.T("file"), "environment": tr.T("environment"), "flag": tr.T("flag")}[r.From]
		if r.Detail != "" {
			detail := r.Detail
			if line, ok := strings.CutPrefix(detail, "line "); ok {
				detail = tr.T("line %s", line)
			}
			from += " (" + detail + ")"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\n", r.Name, val, from)
	}
	return tw.Flush()
}

func quoted(keys []string) []string {
	out := make([]string, len(keys))
	for i, k := range keys {
		out[i] = fmt.Sprintf("%q", k)
	}
	return out
}

// writeConfig writes a config file of the defaults, every setting
// commented out with what it does, under a temporary name that is renamed
// into place: an existing file is kept unless force.
func writeConfig(path string, force bool, e cli.Env, tr *i18n.Printer) error {
	if path == "" {
		return cli.UsageError{Msg: msg.T("no home folder to write the config file in: pass --config PATH")}
	}
	if err := noOverwrite(path, force); err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return msg.Errorf("cannot make the folder of %s: %v", path, plainPathError(err))
	}
	if err := sessions.WriteFileAtomic(path, configTemplate); err != nil {
		return msg.Errorf("cannot write %s: %v", path, plainPathError(err))
	}
	_, err := fmt.Fprintln(e.Stdout, tr.T("wrote %s: every setting is commented out at its default; uncomment what you change", path))
	return err
}

func tomlValue(kind settingKind, s string) string {
	switch kind {
	case kindInt, kindBool:
		return s
	}
	return fmt.Sprintf("%q", s)
}

// hexOf gives a theme's colour of a role as #RRGGBB.
func hexOf(t ui.Theme, role string) string {
	c := t.Colour(role)
	if c == nil {
		return ""
	}
	r, g, b, _ := c.RGBA()
	return fmt.Sprintf("#%02X%02X%02X", r>>8, g>>8, b>>8)
}
