// Package i18ntest holds what the tests of the catalogues share: a reading
// of the code for the messages it asks for. Only tests import it.
package i18ntest

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"unicode"
)

// Asked are the messages the code of a folder asks for: the keys of every
// call of a printer's T and S (a literal, literals joined, or a constant's
// name), of package msg's T, Errorf and New, of sessions' own errorf and
// fail, and what a key map's help says (WithHelp). Keys with nothing to
// translate ("%s: %v") are left out. viaConst are those asked by a
// constant's name.
func Asked(t testing.TB, dir string) (keys map[string]string, viaConst map[string]bool) {
	t.Helper()
	keys, viaConst = map[string]string{}, map[string]bool{}
	files, err := filepath.Glob(filepath.Join(dir, "*.go"))
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
		ask := func(arg ast.Expr) {
			if k, ok := constString(arg, consts); ok {
				if hasLetter(k) {
					keys[k] = fs.Position(arg.Pos()).String()
				}
				if _, isIdent := arg.(*ast.Ident); isIdent {
					viaConst[k] = true
				}
				return
			}
			ast.Inspect(arg, func(n ast.Node) bool {
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
		}
		ast.Inspect(af, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok || len(call.Args) == 0 {
				return true
			}
			switch fun := call.Fun.(type) {
			case *ast.Ident:
				// A package's own helpers that make a message of a format:
				// sessions' errorf and fail take it as their first string.
				if fun.Name == "errorf" || fun.Name == "fail" {
					for _, a := range call.Args {
						if _, ok := constString(a, consts); ok {
							ask(a)
							break
						}
					}
				}
				return true
			case *ast.SelectorExpr:
				switch {
				case (fun.Sel.Name == "T" || fun.Sel.Name == "S") && PrinterExpr(fun.X):
					ask(call.Args[0])
				case isIdent(fun.X, "msg") && (fun.Sel.Name == "T" || fun.Sel.Name == "Errorf" || fun.Sel.Name == "New"):
					ask(call.Args[0])
				case fun.Sel.Name == "WithHelp" && len(call.Args) == 2:
					if bl, ok := call.Args[1].(*ast.BasicLit); ok {
						s, _ := strconv.Unquote(bl.Value)
						keys[s] = fs.Position(bl.Pos()).String()
					}
				}
			}
			return true
		})
	}
	return keys, viaConst
}

// constString is the text of a string constant expression: a literal,
// literals joined with +, or a constant's name.
func constString(x ast.Expr, consts map[string]string) (string, bool) {
	switch x := x.(type) {
	case *ast.BasicLit:
		if x.Kind != token.STRING {
			return "", false
		}
		s, err := strconv.Unquote(x.Value)
		return s, err == nil
	case *ast.BinaryExpr:
		if x.Op != token.ADD {
			return "", false
		}
		a, ok1 := constString(x.X, consts)
		b, ok2 := constString(x.Y, consts)
		return a + b, ok1 && ok2
	case *ast.ParenExpr:
		return constString(x.X, consts)
	case *ast.Ident:
		s, ok := consts[x.Name]
		return s, ok && s != ""
	}
	return "", false
}

func isIdent(x ast.Expr, name string) bool {
	id, ok := x.(*ast.Ident)
	return ok && id.Name == name
}

// hasLetter says whether a key has words to translate: "%s: %v" has none.
func hasLetter(s string) bool {
	return strings.IndexFunc(verbs.ReplaceAllString(s, ""), func(r rune) bool { return unicode.IsLetter(r) || r == '¶' }) >= 0
}

var verbs = regexp.MustCompile(`%[-+# 0-9.*]*[a-zA-Z%]`)

// packageConsts are the package's string constants, by name: a message
// may be asked for by one.
func packageConsts(t testing.TB, files []string) map[string]string {
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

// PrinterExpr says whether x is a printer: tr, c.tr, p.c.tr, a.tr(),
// o.Printer(e), s.printer(sess).
func PrinterExpr(x ast.Expr) bool {
	switch x := x.(type) {
	case *ast.Ident:
		return x.Name == "tr"
	case *ast.SelectorExpr:
		return x.Sel.Name == "tr"
	case *ast.CallExpr:
		if s, ok := x.Fun.(*ast.SelectorExpr); ok {
			return s.Sel.Name == "tr" || s.Sel.Name == "Printer" || s.Sel.Name == "printer"
		}
	}
	return false
}

var words = regexp.MustCompile(`\pL{3,}`)

// logged are the methods of a log/slog logger: what they write is the
// operator's log, kept in English like every program's.
var logged = map[string]bool{"Info": true, "Warn": true, "Error": true, "Debug": true}

// Unasked are the literals of a file that read as words for people (three
// letters in a row) but are not asked of the catalogue: not a key of a
// printer's T or S, of package msg or of sessions' errorf and fail, not a
// key's help, not a pattern, not a line of a log, not a struct's tag, not a constant asked for
// where it is used (viaConst), and not in notShown. Each is given with
// where it is.
func Unasked(t testing.TB, file string, viaConst, notShown map[string]bool) []string {
	t.Helper()
	fs := token.NewFileSet()
	af, err := parser.ParseFile(fs, file, nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	asked := map[token.Pos]bool{}
	mark := func(x ast.Node) {
		ast.Inspect(x, func(n ast.Node) bool {
			if bl, ok := n.(*ast.BasicLit); ok {
				asked[bl.Pos()] = true
			}
			return true
		})
	}
	ast.Inspect(af, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.Field:
			if n.Tag != nil {
				asked[n.Tag.Pos()] = true
			}
		case *ast.CallExpr:
			switch fun := n.Fun.(type) {
			case *ast.Ident:
				if fun.Name == "errorf" || fun.Name == "fail" {
					mark(n)
				}
			case *ast.SelectorExpr:
				name := fun.Sel.Name
				if (name == "T" || name == "S") && PrinterExpr(fun.X) || name == "WithHelp" || name == "WithKeys" ||
					isIdent(fun.X, "msg") && (name == "T" || name == "Errorf" || name == "New") ||
					isIdent(fun.X, "regexp") || logged[name] {
					mark(n)
				}
			}
		}
		return true
	})
	var out []string
	ast.Inspect(af, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.ImportSpec:
			return false
		case *ast.BasicLit:
			if n.Kind != token.STRING || asked[n.Pos()] {
				return true
			}
			s, _ := strconv.Unquote(n.Value)
			if viaConst[s] || notShown[s] || !words.MatchString(s) {
				return true
			}
			out = append(out, fmt.Sprintf("%s: %q", fs.Position(n.Pos()), s))
		}
		return true
	})
	return out
}

// PlainErrors are the calls of fmt.Errorf and errors.New in a file whose
// words are written there, given by where they are.
func PlainErrors(t testing.TB, file string) []string {
	t.Helper()
	fs := token.NewFileSet()
	af, err := parser.ParseFile(fs, file, nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	ast.Inspect(af, func(n ast.Node) bool {
		call, ok := n.(*ast.CallExpr)
		if !ok || len(call.Args) == 0 {
			return true
		}
		sel, ok := call.Fun.(*ast.SelectorExpr)
		if !ok || !(isIdent(sel.X, "fmt") && sel.Sel.Name == "Errorf" || isIdent(sel.X, "errors") && sel.Sel.Name == "New") {
			return true
		}
		if s, ok := constString(call.Args[0], nil); ok && hasLetter(s) {
			out = append(out, fs.Position(call.Pos()).String())
		}
		return true
	})
	return out
}
