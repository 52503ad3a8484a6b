// Package i18ntest holds what the tests of the catalogues share: a reading
// of the code for the messages it asks for. Only tests import it.
package i18ntest

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// Asked are the messages the code of a folder asks for: the literal keys
// of every call of a printer's T and S (or the constants they name), and
// what a key map's help says (WithHelp). viaConst are those asked by a
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
			case (sel.Sel.Name == "T" || sel.Sel.Name == "S") && PrinterExpr(sel.X):
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
// o.Printer(e).
func PrinterExpr(x ast.Expr) bool {
	switch x := x.(type) {
	case *ast.Ident:
		return x.Name == "tr"
	case *ast.SelectorExpr:
		return x.Sel.Name == "tr"
	case *ast.CallExpr:
		if s, ok := x.Fun.(*ast.SelectorExpr); ok {
			return s.Sel.Name == "tr" || s.Sel.Name == "Printer"
		}
	}
	return false
}
