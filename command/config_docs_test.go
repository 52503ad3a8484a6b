package command

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"kurultai/ui"
)

var update = flag.Bool("update", false, "rewrite the generated parts of docs/config.md")

// actionsTable is the list of actions in docs/config.md, from the table
// of actions itself.
func actionsTable() string {
	var b strings.Builder
	b.WriteString("| action | default keys | what it does | where |\n|---|---|---|---|\n")
	k := ui.DefaultKeyMap()
	for _, a := range ui.Actions {
		bd := a.Binding(&k)
		keys := make([]string, len(bd.Keys()))
		for i, key := range bd.Keys() {
			keys[i] = "`" + key + "`"
		}
		where := "every screen"
		switch {
		case len(a.Screens) >= 15:
			where = "every screen that moves by rows or lines"
		case len(a.Screens) >= 14 && !slices.Contains(a.Screens, "search"):
			where = "every screen that moves by rows or lines, but search"
		case len(a.Screens) > 0:
			where = strings.Join(a.Screens, ", ")
		}
		fmt.Fprintf(&b, "| `%s` | %s | %s | %s |\n", a.Name, strings.Join(keys, " "), bd.Help().Desc, where)
	}
	return b.String()
}

// TestConfigDocs: docs/config.md lists every action with its default keys,
// and every setting; go test -run TestConfigDocs ./command -update
// rewrites the list of actions.
func TestConfigDocs(t *testing.T) {
	path := filepath.Join("..", "docs", "config.md")
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	doc := string(b)
	const open, end = "<!-- actions: made by go test -run TestConfigDocs ./command -update -->\n", "<!-- /actions -->\n"
	i, j := strings.Index(doc, open), strings.Index(doc, end)
	if i < 0 || j < i {
		t.Fatalf("%s has no %q … %q", path, open, end)
	}
	want := doc[:i+len(open)] + actionsTable() + doc[j:]
	if *update {
		if err := os.WriteFile(path, []byte(want), 0o644); err != nil {
			t.Fatal(err)
		}
		doc = want
	}
	if doc != want {
		t.Errorf("the actions in %s are not the table's: go test -run TestConfigDocs ./command -update", path)
	}
	for _, s := range settings {
		name := s.name[strings.LastIndexByte(s.name, '.')+1:]
		if !strings.Contains(doc, "`"+name+"`") {
			t.Errorf("%s does not describe the setting %s", path, s.name)
		}
		if s.env != "" && !strings.Contains(doc, s.env) {
			t.Errorf("%s does not name %s", path, s.env)
		}
	}
	for _, role := range ui.ColourRoles {
		if !strings.Contains(doc, "`"+role+"`") {
			t.Errorf("%s does not describe the colour %s", path, role)
		}
	}
}
