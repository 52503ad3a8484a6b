package command

import (
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"kurultai/ui"
	"kurultai/ui/i18n"
	"kurultai/ui/i18n/i18ntest"
)

// TestCommandLineCatalogue: the usage, the help, every command's summary
// and every flag's words are in the Kazakh and Russian catalogues, and
// every message of the catalogues is asked for somewhere: by the
// interface, the command line or the table of commands.
func TestCommandLineCatalogue(t *testing.T) {
	asked, _ := i18ntest.Asked(t, ".")
	for _, dir := range []string{"../ui", "../ui/cli", "../data", "../sessions", "../server"} {
		more, _ := i18ntest.Asked(t, dir)
		for k, v := range more {
			asked[k] = v
		}
	}
	table := map[string]string{}
	for _, c := range commands {
		if !c.Hidden {
			table[c.Summary] = "the summary of " + c.Name
		}
		if c.Long != "" {
			table[c.Long] = "the help of " + c.Name
		}
		for _, f := range c.Flags {
			table[f.Usage] = "--" + f.Name + " of " + c.Name
		}
	}
	for _, f := range globalFlags {
		table[f.Usage] = "--" + f.Name
	}
	// The keys' help names a key in words once: the letters that filter.
	table["a letter"] = "the filter's key"
	// A searchPage's help is the search command's Long.
	table[ui.SearchLanguage] = "the search language"
	for _, lang := range []string{i18n.Kazakh, i18n.Russian} {
		cat, err := i18n.Keys(lang)
		if err != nil {
			t.Fatal(err)
		}
		for k, where := range table {
			if _, ok := cat[k]; !ok {
				t.Errorf("%s: %q is not in %s.toml", where, k, lang)
			}
		}
		for k, where := range asked {
			if _, ok := cat[k]; !ok {
				t.Errorf("%s: %q is not in %s.toml", where, k, lang)
			}
		}
		for k := range cat {
			_, a := asked[k]
			_, b := table[k]
			if !a && !b {
				t.Errorf("%s.toml: %q is asked for nowhere", lang, k)
			}
		}
	}
}

// TestCommandLineSaysNothingUnasked: what the commands say to people goes
// through the catalogue. The literals left are flags, formats, fields of
// JSON and CSV, names of files and variables: notShown.
func TestCommandLineSaysNothingUnasked(t *testing.T) {
	_, viaConst := i18ntest.Asked(t, ".")
	_, cliConst := i18ntest.Asked(t, "../ui/cli")
	for k := range cliConst {
		viaConst[k] = true
	}
	// The table's summaries, help and flags' words are said through the
	// catalogue where usage prints them (TestCommandLineCatalogue).
	for _, c := range commands {
		viaConst[c.Summary], viaConst[c.Long] = true, true
		for _, f := range c.Flags {
			viaConst[f.Usage] = true
		}
	}
	for _, f := range globalFlags {
		viaConst[f.Usage] = true
	}
	files, _ := filepath.Glob("*.go")
	more, _ := filepath.Glob("../ui/cli/*.go")
	server, _ := filepath.Glob("../server/*.go")
	files = append(append(files, more...), server...)
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") || forPrograms[filepath.Base(f)] {
			continue
		}
		for _, u := range i18ntest.Unasked(t, f, viaConst, commandNotShown) {
			_, lit, _ := strings.Cut(u, ": ")
			if s, err := strconv.Unquote(lit); err == nil && aName.MatchString(s) {
				continue
			}
			t.Errorf("%s is shown to people but is not asked of the catalogue", u)
		}
	}
}

// forPrograms are the files whose words are for programs or stay in
// English by design: the table of commands (names of commands, flags and
// values; its words for people are TestCommandLineCatalogue's), the
// completion scripts, the man page, the SVG chart and the Atom feed
// (exports), and the config file's settings and the comments of the file
// config --init writes, which are docs/config.md's.
var forPrograms = map[string]bool{"table.go": true, "completion.go": true, "man.go": true,
	"research_svg.go": true, "feed.go": true, "config.go": true}

// aName is a literal that is a name, not words: a command, a flag, a
// field of JSON or CSV, a variable of the environment, a file, or the
// "kurultai: " before a message, "ssh HOST" for the program.
var aName = regexp.MustCompile(`^ ?[A-Za-z0-9_.:/~!+-]+( [A-Z]+)? ?$`)

var commandNotShown = map[string]bool{
	// What the flag package says, which parse.go puts in plain words.
	"parse error": true, "value out of range": true,
	// A setting's source, as config's table is built; the table says it
	// in the interface's language.
	"line %d": true, "the theme's": true,
	// The name of the server's answer in what the JSON decoder says of
	// it, as a file's name would be.
	"the server's answer": true,
	// search --count --json, for programs.
	"{\"results\": %d, \"documents\": %d}\n": true,
	// A broken table, said to its developers.
	"command: the table has no browse row": true,
	// The server's log, for its operator, in English like every
	// program's log; a context key's name.
	"refused a connection: too many connections are still logging in":     true,
	"closed a connection that did not log in and start a session in time": true,
	"cannot accept connections; retrying":                                 true, "turned away: server full": true,
	"%d per address": true, "%d in total": true, "… (%d arguments, %d bytes)": true,
	"starting connection": true, "size-taken@kurultai": true,
	// Why the SSH protocol refuses a channel: it is refused before the
	// client has said its locale.
	"at most %d sessions at once on one connection": true,
	"\nkurultai: ": true,
}

// TestErrorsCanBeTranslated: every error kurultai words itself is made
// with package msg, which the catalogues translate, not with fmt.Errorf or
// errors.New, whose words would reach a person in English whatever the
// language.
func TestErrorsCanBeTranslated(t *testing.T) {
	for _, dir := range []string{".", "../ui", "../ui/cli", "../data", "../sessions", "../server"} {
		files, _ := filepath.Glob(filepath.Join(dir, "*.go"))
		for _, f := range files {
			if strings.HasSuffix(f, "_test.go") {
				continue
			}
			for _, at := range i18ntest.PlainErrors(t, f) {
				t.Errorf("%s: an error in words of its own: make it with msg.Errorf or msg.New", at)
			}
		}
	}
}
