package ui

import (
	"context"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/exp/golden"

	"kurultai/ui/i18n"
	"kurultai/ui/i18n/i18ntest"
)

// translatedFiles are the files whose every text for people goes through
// the catalogue; more join them as the interface is translated (see
// docs/i18n.md for what is left).
var translatedFiles, _ = filepath.Glob("*.go")

// skipped are the files that say nothing to people in words of their own:
// the names of actions and screens (the config file's words), colours, the
// sanitiser, and the trace for developers.
var skipped = map[string]bool{"actions.go": true, "theme.go": true, "sanitize.go": true, "trace.go": true, "pacer.go": true}

// notShown are the literals of those files that are not text for people:
// key names, formats of columns, signs.
var notShown = map[string]bool{
	"backspace": true, "ctrl+h": true, "ctrl+u": true, "ctrl+c": true, "enter": true, "esc": true,
	// What TERM starts with inside tmux or screen, and a bookmark's state.
	"tmux": true, "screen": true, "orphaned": true,
	// The timeline's heading in a proposal's text, found to show it.
	"## Timeline": true,
	// The bookmarks screen's prompts and a passage's states, by name;
	// keys; the export's file names and formats.
	"filter": true, "note": true, "tags": true, "export": true, "moved": true, "tab": true, "shift+tab": true,
	"kurultai-bookmarks-%d.%s": true, "kurultai-bookmarks.": true, "json": true, "csv": true, "csl-json": true,
	"csl.json": true, "bibtex": true, "bib": true, "ris": true,
	// The orders of the speakers list, as the data layer names them; a
	// document id's prefix.
	"name": true, "speeches": true, "words": true, "last": true, "first": true, "orphan:": true,
	// The research views' settings as the data layer names them, the
	// search language's filters they make, a chart's colours.
	"#2BAE86": true, "collocates": true, "from:%s to:%s": true, "session": true, "matches": true, "rate": true,
	"party:": true, " kind:speech": true, "party": true, "year": true, "month": true, "ratio": true,
	// A speaker's lines and kinds of organisation, as the data layer
	// gives them; the frame's own words and the trace's.
	"Affiliations": true, "politicalParty": true, "parliamentaryGroup": true, " party:": true,
	"cancelled": true, "start": true, "|%t|%s|%s": true, "www.": true,
	"the terminal interface stopped: %w": true,
	// The research views by kind, the search language's words, a field.
	"trend": true, "who": true, "kwic": true, "keywords": true, "speaker:": true, "heading": true,
	"session:": true, "a letter": true,
	"kurultai": true, "¶ %d. %s": true,
	// How a result was matched, as the data layer names it; a command's
	// name before its progress; a measure's name.
	"script": true, "spelling": true, "import: ": true, "logDice": true,
	// A speaker's name as the archive records it when it is not known.
	"Unknown speaker": true,
	// Messages of the command line, which are translated with the
	// command line's (not yet: see docs/i18n.md).
	"the accessible interface stopped: %w": true,
}

// TestCatalogue: every message the interface asks for is in the Kazakh
// and the Russian catalogue, and the translated files say nothing to
// people outside the catalogue. (That every message there is asked for
// somewhere is the command package's test, which sees every caller.)
func TestCatalogue(t *testing.T) {
	keys, viaConst := i18ntest.Asked(t, ".")
	for _, lang := range []string{i18n.Kazakh, i18n.Russian} {
		cat, err := i18n.Keys(lang)
		if err != nil {
			t.Fatal(err)
		}
		for k, where := range keys {
			if _, ok := cat[k]; !ok {
				t.Errorf("%s: %q is not in %s.toml", where, k, lang)
			}
		}
	}
	for _, f := range translatedFiles {
		if skipped[f] || strings.HasSuffix(f, "_test.go") {
			continue
		}
		for _, u := range i18ntest.Unasked(t, f, viaConst, notShown) {
			if !slices.Contains(i18n.Langs, u) {
				t.Errorf("%s is shown to people but is not asked of the catalogue", u)
			}
		}
	}
}

// TestLanguageGolden: the sessions list, a session, its speeches and the
// help, at 80×24, in each language of the interface (refresh with go test
// ./ui -run TestLanguageGolden -update).
func TestLanguageGolden(t *testing.T) {
	db := sampleDB(t)
	for _, lang := range i18n.Langs {
		t.Run(lang, func(t *testing.T) {
			d := &driver{t: t, m: New(context.Background(), db, Options{Theme: ThemeASCII, Lang: lang})}
			d.send(tea.WindowSizeMsg{Width: 80, Height: 24})
			d.run(d.m.Init())
			var screens []string
			screens = append(screens, d.screen())
			d.press("enter")
			screens = append(screens, d.screen())
			d.press("tab")
			screens = append(screens, d.screen())
			d.press("?")
			screens = append(screens, d.screen())
			golden.RequireEqual(t, []byte(strings.Join(screens, "\n"+strings.Repeat("=", 80)+"\n")))
		})
	}
}
