package ui

import (
	"context"
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/exp/golden"

	"kurultai/ui/i18n"
)

// translatedFiles are the files whose every text for people goes through
// the catalogue; more join them as the interface is translated (see
// docs/i18n.md for what is left).
var translatedFiles = []string{"sessions_page.go", "session_page.go", "accessible.go", "keys.go", "search_page.go", "research_page.go", "words_page.go", "person_page.go", "root.go", "blocks.go", "render_limits.go", "docview_render.go", "bookmarks_page.go", "following_page.go", "speakers_page.go", "orphan_page.go", "list.go", "reader_page.go", "reader_marks.go", "docview.go", "docview_find.go"}

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
	// A speaker's name as the archive records it when it is not known.
	"Unknown speaker": true,
	// Messages of the command line, which are translated with the
	// command line's (not yet: see docs/i18n.md).
	"the accessible interface stopped: %w": true,
}

// catalogueKeys are the messages the code asks for: the literal keys of
// every call of a printer's T and S, and what the key map's help says.
func catalogueKeys(t *testing.T) (keys map[string]string, viaConst map[string]bool) {
	t.Helper()
	keys, viaConst = map[string]string{}, map[string]bool{}
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	consts := packageConsts(t, files)
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		fs := token.NewFileSet()
		af, err := parser.ParseFile(fs, f, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(af, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok || len(call.Args) == 0 {
				return true
			}
			sel, ok := call.Fun.(*ast.SelectorExpr)
			if !ok {
				return true
			}
			switch {
			case (sel.Sel.Name == "T" || sel.Sel.Name == "S") && printerExpr(sel.X):
				ast.Inspect(call.Args[0], func(n ast.Node) bool {
					if bl, ok := n.(*ast.BasicLit); ok && bl.Kind == token.STRING {
						s, _ := strconv.Unquote(bl.Value)
						keys[s] = fs.Position(bl.Pos()).String()
					}
					if id, ok := n.(*ast.Ident); ok && consts[id.Name] != "" {
						keys[consts[id.Name]] = fs.Position(id.Pos()).String()
						viaConst[consts[id.Name]] = true
					}
					return true
				})
			case sel.Sel.Name == "WithHelp" && len(call.Args) == 2:
				if bl, ok := call.Args[1].(*ast.BasicLit); ok {
					s, _ := strconv.Unquote(bl.Value)
					keys[s] = fs.Position(bl.Pos()).String()
				}
			}
			return true
		})
	}
	return keys, viaConst
}

// packageConsts are the package's string constants, by name: a message
// may be asked for by one.
func packageConsts(t *testing.T, files []string) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		af, err := parser.ParseFile(token.NewFileSet(), f, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range af.Decls {
			g, ok := d.(*ast.GenDecl)
			if !ok || g.Tok != token.CONST {
				continue
			}
			for _, spec := range g.Specs {
				vs := spec.(*ast.ValueSpec)
				for i, name := range vs.Names {
					if i < len(vs.Values) {
						if bl, ok := vs.Values[i].(*ast.BasicLit); ok && bl.Kind == token.STRING {
							out[name.Name], _ = strconv.Unquote(bl.Value)
						}
					}
				}
			}
		}
	}
	return out
}

// printerExpr says whether x is a printer: tr, c.tr, p.c.tr, a.tr().
func printerExpr(x ast.Expr) bool {
	switch x := x.(type) {
	case *ast.Ident:
		return x.Name == "tr"
	case *ast.SelectorExpr:
		return x.Sel.Name == "tr"
	case *ast.CallExpr:
		if s, ok := x.Fun.(*ast.SelectorExpr); ok {
			return s.Sel.Name == "tr"
		}
	}
	return false
}

// TestCatalogue: every message the interface asks for is in the Kazakh
// and the Russian catalogue, every message there is asked for, and the
// translated files say nothing to people outside the catalogue.
func TestCatalogue(t *testing.T) {
	keys, viaConst := catalogueKeys(t)
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
		for k := range cat {
			if _, ok := keys[k]; !ok && !arrowWords[k] {
				t.Errorf("%s.toml: %q is asked for nowhere", lang, k)
			}
		}
	}
	words := regexp.MustCompile(`\pL{3,}`)
	for _, f := range translatedFiles {
		fs := token.NewFileSet()
		af, err := parser.ParseFile(fs, f, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		asked := map[token.Pos]bool{}

		ast.Inspect(af, func(n ast.Node) bool {
			if call, ok := n.(*ast.CallExpr); ok {
				if sel, ok := call.Fun.(*ast.SelectorExpr); ok && (sel.Sel.Name == "T" || sel.Sel.Name == "S") && printerExpr(sel.X) ||
					ok && sel.Sel.Name == "WithHelp" || ok && sel.Sel.Name == "WithKeys" {
					for _, a := range call.Args {
						ast.Inspect(a, func(n ast.Node) bool {
							if bl, ok := n.(*ast.BasicLit); ok {
								asked[bl.Pos()] = true
							}
							return true
						})
					}
				}
			}
			return true
		})
		ast.Inspect(af, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.ImportSpec:
				return false
			case *ast.BasicLit:
				if n.Kind != token.STRING || asked[n.Pos()] {
					return true
				}
				s, _ := strconv.Unquote(n.Value)
				if viaConst[s] {
					return true // a constant asked for where it is used
				}
				if words.MatchString(s) && !notShown[s] && !slices.Contains(i18n.Langs, s) {
					t.Errorf("%s: %q is shown to people but is not asked of the catalogue", fs.Position(n.Pos()), s)
				}
			}
			return true
		})
	}
}

// arrowWords are asked for through a key's help, whose key is a name
// but for the letters that filter.
var arrowWords = map[string]bool{"a letter": true}

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
