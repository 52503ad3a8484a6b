package command

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"kurultai/ui"
	"kurultai/ui/cli"
)

// runWithEnv runs one command line with a private home and the variables
// given.
func runWithEnv(t *testing.T, home string, env map[string]string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	getenv := func(k string) string {
		switch k {
		case "XDG_DATA_HOME", "HOME":
			return home
		}
		return env[k]
	}
	code := Run(context.Background(), args, cli.Env{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb, Getenv: getenv})
	return code, out.String(), errb.String()
}

type shownConfig struct {
	File     string         `json:"file"`
	Found    bool           `json:"found"`
	Problem  string         `json:"problem"`
	Settings []shownSetting `json:"settings"`
}

func (c shownConfig) get(name string) shownSetting {
	for _, s := range c.Settings {
		if s.Name == name {
			return s
		}
	}
	return shownSetting{}
}

func configJSON(t *testing.T, home string, env map[string]string, args ...string) shownConfig {
	t.Helper()
	code, out, stderr := runWithEnv(t, home, env, append(args, "config", "--json")...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var c shownConfig
	if err := json.Unmarshal([]byte(out), &c); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	return c
}

func writeFile(t *testing.T, path, text string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

// A setting comes from its flag, else its variable, else the file, else
// its default, and config says which.
func TestConfigPrecedence(t *testing.T) {
	home := t.TempDir()
	file := filepath.Join(home, ".config", "kurultai", "config.toml")
	writeFile(t, file, `# mine
archive = "archives/parl.db"
style = "light"
width = 100
mouse = false

[serve]
max_sessions = 8
idle_timeout = "5m"

[colours]
accent = "#FF8800"

[keys]
quit = ["x", "ctrl+q"]
`)
	c := configJSON(t, home, map[string]string{"KURULTAI_WIDTH": "120"}, "--style", "dark")
	if c.File != file || !c.Found || c.Problem != "" {
		t.Fatalf("file %s found %v problem %q", c.File, c.Found, c.Problem)
	}
	for _, want := range []shownSetting{
		{Name: "archive", Value: filepath.Join(home, ".config", "kurultai", "archives", "parl.db"), From: "file", Detail: "line 2"},
		{Name: "style", Value: "dark", From: "flag", Detail: "--style"},
		{Name: "width", Value: "120", From: "environment", Detail: "KURULTAI_WIDTH"},
		{Name: "mouse", Value: "false", From: "file", Detail: "line 5"},
		{Name: "serve.max_sessions", Value: "8", From: "file", Detail: "line 8"},
		{Name: "serve.idle_timeout", Value: "5m0s", From: "file", Detail: "line 9"},
		{Name: "serve.listen", Value: "127.0.0.1:2222", From: "default"},
		{Name: "colours.accent", Value: "#FF8800", From: "file", Detail: "line 12"},
		{Name: "colours.text", Value: "the theme's", From: "default"},
		{Name: "keys.quit", Value: `"x", "ctrl+q"`, From: "file", Detail: "line 15"},
		{Name: "keys.help", Value: `"?"`, From: "default"},
	} {
		if got := c.get(want.Name); got != want {
			t.Errorf("%s: got %+v, want %+v", want.Name, got, want)
		}
	}
	// The flag after the command, and --mouse as a flag.
	c = configJSON(t, home, nil, "--mouse", "--width=90")
	if got := c.get("mouse"); got.Value != "true" || got.From != "flag" {
		t.Errorf("mouse: %+v", got)
	}
	if got := c.get("width"); got.Value != "90" || got.From != "flag" {
		t.Errorf("width: %+v", got)
	}
	// The archive of the file is the one opened.
	code, _, stderr := runWithEnv(t, home, nil, "sessions")
	if code == 0 || !strings.Contains(stderr, filepath.Join("archives", "parl.db")) {
		t.Errorf("sessions opened another archive than the file's: exit %d, %s", code, stderr)
	}
	// The language: the flag, else the file, else the locale.
	for _, tc := range []struct {
		env        map[string]string
		args       []string
		want, from string
	}{
		{map[string]string{"LANG": "ru_RU.UTF-8"}, nil, "ru", "environment"},
		{map[string]string{"LANG": "ru_RU.UTF-8", "LC_ALL": "kk_KZ.UTF-8"}, nil, "kk", "environment"},
		{map[string]string{"LANG": "ru_RU.UTF-8"}, []string{"--lang", "en"}, "en", "flag"},
		{map[string]string{"LANG": "C.UTF-8"}, nil, "en", "environment"},
	} {
		if got := configJSON(t, home, tc.env, tc.args...).get("lang"); got.Value != tc.want || got.From != tc.from {
			t.Errorf("%v %v: lang %+v", tc.env, tc.args, got)
		}
	}
	langFile := filepath.Join(home, "lang.toml")
	writeFile(t, langFile, "lang = \"kk\"\n")
	if got := configJSON(t, home, map[string]string{"LANG": "ru_RU.UTF-8"}, "--config", langFile).get("lang"); got.Value != "kk" || got.From != "file" {
		t.Errorf("the file's lang under LANG=ru: %+v", got)
	}
	if code, _, stderr := runWithEnv(t, home, nil, "--lang", "de", "config"); code != 2 || !strings.Contains(stderr, "expected en, kk or ru") {
		t.Errorf("--lang de: exit %d, %s", code, stderr)
	}
	// A bad value in a variable is a mistake of the command line.
	code, _, stderr = runWithEnv(t, home, map[string]string{"KURULTAI_MOUSE": "sometimes"}, "config")
	if code != 2 || !strings.Contains(stderr, "KURULTAI_MOUSE") {
		t.Errorf("KURULTAI_MOUSE=sometimes: exit %d, %s", code, stderr)
	}
	code, _, stderr = runWithEnv(t, home, nil, "--width", "5", "config")
	if code != 2 || !strings.Contains(stderr, "--width: expected a whole number from 20 to 1000") {
		t.Errorf("--width 5: exit %d, %s", code, stderr)
	}
}

// A file that cannot be used is named with its line and setting in one
// message, and everything carries on with the defaults.
func TestConfigBadFiles(t *testing.T) {
	home := t.TempDir()
	if code, _, stderr := runWithEnv(t, home, nil, "sessions"); code != 0 {
		t.Fatalf("sample: %s", stderr)
	}
	file := filepath.Join(home, ".config", "kurultai", "config.toml")
	for _, tc := range []struct {
		name, text, want string
	}{
		{"syntax", "style = \"dark\nwidth = 90\n", "line 1: "},
		{"a setting twice", "width = 90\nwidth = 91\n", "line 2: key width is already defined"},
		{"unknown setting", "\n\nwdith = 90\n", "line 3: wdith is not a setting"},
		{"unknown table", "[display]\nwidth = 90\n", "line 1: [display] is not a table of the config"},
		{"setting in the wrong table", "[serve]\nwidth = 90\n", "line 2: serve.width is not a setting"},
		{"wrong type", "width = \"wide\"\n", `line 1: width: expected a whole number, got "wide"`},
		{"out of range", "width = 5\n", "line 1: width: expected a whole number from 20 to 1000, got 5"},
		{"unknown style", "style = \"purple\"\n", `line 1: style: expected dark, light, ascii or contrast, got "purple"`},
		{"bad duration", "[serve]\nidle_timeout = \"soon\"\n", `line 2: serve.idle_timeout: expected a duration such as "15m" or "8h", got "soon"`},
		{"bad number", "[serve]\nmax_sessions = 0\n", "line 2: serve.max_sessions: expected a whole number of at least 1, got 0"},
		{"bad colour", "[colours]\naccent = \"blue-ish\"\n", `line 2: colours.accent: "blue-ish" is not a colour`},
		{"unknown colour", "[colours]\nbackground = \"#000\"\n", "line 2: colours.background is not a colour of the theme"},
		{"unknown action", "[keys]\nqiut = [\"q\"]\n", "line 2: keys.qiut: is not an action"},
		{"a key not a list", "[keys]\nquit = \"q\"\n", `line 2: keys.quit: expected a list of keys, such as ["q", "ctrl+c"], got "q"`},
		{"a key name mistyped", "[keys]\nquit = [\"ctlr+c\"]\n", `line 2: keys.quit: "ctlr+c" is not a key`},
		{"a key bound twice on a screen", "[keys]\n\nbookmark = [\"b\", \"n\"]\n", `line 3: keys.bookmark: "n" is bound to next_match too, on the reader screen`},
		{"a key bound twice everywhere", "[keys]\nquit = [\"?\"]\n", `line 2: keys.quit: "?" is bound to help too, on every screen`},
		{"dotted table", "keys.quit = [\"?\"]\n", `line 1: keys.quit: "?" is bound to help too, on every screen`},
		{"a list of tables", "[[keys]]\n", "line 1: [[keys]]: the config has no lists of tables"},
		{"not UTF-8", "style = \"\xff\"\n", "line 1: "},
	} {
		t.Run(tc.name, func(t *testing.T) {
			writeFile(t, file, tc.text)
			code, out, stderr := runWithEnv(t, home, nil, "sessions", "--json")
			if code != 0 || !strings.HasPrefix(out, "[") {
				t.Fatalf("the command did not carry on: exit %d, %s", code, stderr)
			}
			want := "kurultai: config " + file + ": " + tc.want
			if !strings.HasPrefix(stderr, want) || !strings.HasSuffix(stderr, "; carrying on with the defaults\n") || strings.Count(stderr, "\n") != 1 {
				t.Errorf("stderr %q, want one line starting %q", stderr, want)
			}
			c := configJSON(t, home, nil)
			if !strings.HasPrefix(c.Problem, tc.want) {
				t.Errorf("config problem %q", c.Problem)
			}
			for _, s := range c.Settings {
				if s.From != "default" {
					t.Errorf("%s from %s: a file not used gave it", s.Name, s.From)
				}
			}
		})
	}
	// A file named by --config must be there; the usual one need not.
	code, _, stderr := runWithEnv(t, home, nil, "--config", filepath.Join(home, "none.toml"), "sessions")
	if code != 2 || !strings.Contains(stderr, "none.toml: no such file") {
		t.Errorf("--config none.toml: exit %d, %s", code, stderr)
	}
	code, _, stderr = runWithEnv(t, home, nil, "--config", home, "sessions")
	if code != 2 || !strings.Contains(stderr, "is a folder") {
		t.Errorf("--config FOLDER: exit %d, %s", code, stderr)
	}
	writeFile(t, file, strings.Repeat("# x\n", maxConfigBytes/4+1))
	if _, _, stderr := runWithEnv(t, home, nil, "sessions"); !strings.Contains(stderr, "not a settings file") {
		t.Errorf("huge file: %s", stderr)
	}
}

// config --init writes every setting at its default, commented out; it
// keeps a file that is there unless --force; and the file with every
// setting uncommented is read back as the defaults.
func TestConfigInit(t *testing.T) {
	home := t.TempDir()
	file := filepath.Join(home, ".config", "kurultai", "config.toml")
	code, out, stderr := runWithEnv(t, home, nil, "config", "--init")
	if code != 0 || !strings.Contains(out, "wrote "+file) {
		t.Fatalf("exit %d: %s%s", code, out, stderr)
	}
	written, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if c := configJSON(t, home, nil); !c.Found || c.Problem != "" {
		t.Errorf("the file as written: found %v, problem %q", c.Found, c.Problem)
	}
	writeFile(t, file, "width = 99\n")
	code, _, stderr = runWithEnv(t, home, nil, "config", "--init")
	if code != 2 || !strings.Contains(stderr, "pass --force") {
		t.Errorf("a second --init: exit %d, %s", code, stderr)
	}
	if b, _ := os.ReadFile(file); string(b) != "width = 99\n" {
		t.Errorf("the file was overwritten without --force: %q", b)
	}
	if code, _, stderr = runWithEnv(t, home, nil, "config", "--init", "--force"); code != 0 {
		t.Fatalf("--force: %s", stderr)
	}
	if b, _ := os.ReadFile(file); !bytes.Equal(b, written) {
		t.Error("--force did not write the defaults")
	}
	// Every setting uncommented: each is named, and each is its default.
	settingLine := regexp.MustCompile(`(?m)^# ([a-z_]+ = .*)$`)
	uncommented := settingLine.ReplaceAllString(string(written), "$1")
	n := len(settingLine.FindAllString(string(written), -1))
	if want := len(settings) + len(ui.ColourRoles) + len(ui.Actions); n != want {
		t.Errorf("%d settings in the file, want %d", n, want)
	}
	writeFile(t, file, uncommented)
	c := configJSON(t, home, nil)
	if c.Problem != "" {
		t.Fatalf("the defaults uncommented: %s", c.Problem)
	}
	k := ui.DefaultKeyMap()
	for _, s := range c.Settings {
		if s.From != "file" {
			t.Errorf("%s from %s, not the file", s.Name, s.From)
		}
		if name, ok := strings.CutPrefix(s.Name, "keys."); ok {
			a, _ := ui.ActionNamed(name)
			if want := strings.Join(quoted(a.Binding(&k).Keys()), ", "); s.Value != want {
				t.Errorf("%s = %s, the default is %s", s.Name, s.Value, want)
			}
		}
	}
	for _, s := range settings {
		got, def := c.get(s.name).Value, s.def
		if s.kind == kindDuration { // 15m0s is 15m
			g, _ := time.ParseDuration(got)
			d, _ := time.ParseDuration(def)
			got, def = g.String(), d.String()
		}
		if got != def {
			t.Errorf("%s = %q, the default is %q", s.name, got, s.def)
		}
	}
	// A folder that cannot be written: a message, and nothing half made.
	ro := filepath.Join(home, "ro")
	if err := os.Mkdir(ro, 0o555); err != nil {
		t.Fatal(err)
	}
	if os.Getuid() != 0 {
		code, _, stderr = runWithEnv(t, home, nil, "--config", filepath.Join(ro, "c.toml"), "config", "--init")
		if code != 1 || !strings.Contains(stderr, "cannot write") {
			t.Errorf("read-only folder: exit %d, %s", code, stderr)
		}
	}
}
