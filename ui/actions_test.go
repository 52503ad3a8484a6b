package ui

import (
	"context"
	"reflect"
	"slices"
	"strings"
	"testing"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
)

// Every binding of the key map is an action, under one name.
func TestEveryBindingIsAnAction(t *testing.T) {
	k := DefaultKeyMap()
	v := reflect.ValueOf(&k).Elem()
	names := map[string]bool{}
	for _, a := range Actions {
		if names[a.Name] {
			t.Errorf("action %s is listed twice", a.Name)
		}
		names[a.Name] = true
	}
	for i := 0; i < v.NumField(); i++ {
		f := v.Type().Field(i).Name
		if f == "Filter" {
			continue // typing a letter, not a key of its own
		}
		p := v.Field(i).Addr().Interface().(*key.Binding)
		found := false
		for _, a := range Actions {
			if a.binding(&k) == p {
				found = true
			}
		}
		if !found {
			t.Errorf("KeyMap.%s is no action's: it cannot be rebound", f)
		}
	}
}

// No two default actions of one screen, or of every screen, share a key.
func TestDefaultKeysDoNotClash(t *testing.T) {
	k := DefaultKeyMap()
	all := map[string][]string{}
	for _, a := range Actions {
		all[a.Name] = a.Binding(&k).Keys()
	}
	if _, err := BindKeys(all); err != nil {
		t.Fatal(err)
	}
}

func TestBindKeys(t *testing.T) {
	for _, tc := range []struct {
		name string
		bind map[string][]string
		err  string
	}{
		{"two keys to an action", map[string][]string{"quit": {"x", "ctrl+q"}}, ""},
		{"a global and a screen's action share a key", map[string][]string{"quit": {"n"}}, ""},
		{"no key", map[string][]string{"bookmark": {}}, ""},
		{"two actions of the reader", map[string][]string{"bookmark": {"n"}}, `keys.bookmark: "n" is bound to next_match too, on the reader screen`},
		{"two of every screen", map[string][]string{"quit": {"?"}}, `keys.quit: "?" is bound to help too, on every screen`},
		{"an unknown action", map[string][]string{"qiut": {"q"}}, "keys.qiut: is not an action"},
		{"a mistyped key", map[string][]string{"quit": {"ctlr+c"}}, `keys.quit: "ctlr+c" is not a key: "ctlr" is not one of`},
		{"a mistyped name", map[string][]string{"quit": {"escape"}}, `keys.quit: "escape" is not a key name`},
		{"an empty name", map[string][]string{"quit": {""}}, "keys.quit: an empty key name"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			k, err := BindKeys(tc.bind)
			if tc.err == "" {
				if err != nil {
					t.Fatal(err)
				}
				for name, keys := range tc.bind {
					a, _ := ActionNamed(name)
					b := a.Binding(&k)
					if !slices.Equal(b.Keys(), keys) || b.Enabled() != (len(keys) > 0) {
						t.Errorf("%s: keys %q enabled %v", name, b.Keys(), b.Enabled())
					}
					if len(keys) > 0 && b.Help().Key != strings.Join(keys, "/") {
						t.Errorf("%s: help shows %q", name, b.Help().Key)
					}
				}
				return
			}
			if err == nil || !strings.HasPrefix(err.Error(), tc.err) {
				t.Fatalf("got %v, want %s", err, tc.err)
			}
		})
	}
}

func TestCheckKeyName(t *testing.T) {
	for _, s := range []string{"q", "Q", "ctrl+c", "alt+shift+x", "f1", "f12", "pgdown", "shift+tab", "ctrl++", "+", "é", "ж"} {
		if err := checkKeyName(s); err != nil {
			t.Errorf("%q: %v", s, err)
		}
	}
	for _, s := range []string{"", "f0", "f64", "ctrl+", "ctl+c", "page down", "enterr", " ", "\t"} {
		if err := checkKeyName(s); err == nil {
			t.Errorf("%q was taken", s)
		}
	}
}

// Rebound keys act, the keys they replace do not, and the footers and the
// help show the keys in use; a screen's own action wins there over an
// action of every screen bound to the same key.
func TestReboundKeys(t *testing.T) {
	db := sampleDB(t)
	bind := map[string][]string{
		"quit":     {"x", "ctrl+q"},
		"bookmark": {"m"},
		"help":     {"h"},
		// next_paragraph is the reader's own: there ] goes on, and
		// bookmarks (every screen's) opens elsewhere.
		"bookmarks":      {"]", "B"},
		"next_paragraph": {"]"},
	}
	d := &driver{t: t, m: New(context.Background(), db, Options{Theme: ThemeASCII, Keys: bind})}
	d.send(tea.WindowSizeMsg{Width: 180, Height: 30})
	d.run(d.m.Init())
	d.expect("5 sessions")
	d.expect("]/B bookmarks")
	d.press("q")
	if d.quit {
		t.Fatal("q still quits")
	}
	d.press("h")
	d.expect("x/ctrl+q") // the full help is up, with the keys in use
	d.press("esc")
	d.press("enter", "tab", "enter")
	d.expect("¶ 1/13")
	d.expect("m bookmark")
	d.press("]")
	d.expect("¶ 2/13")
	d.press("esc", "esc", "]")
	d.expect("Bookmarks")
	d.press("ctrl+q")
	if !d.quit {
		t.Fatal("ctrl+q did not quit")
	}
	// On the sessions list a letter begins a filter, except the keys of
	// quit, help and bookmarks.
	d = &driver{t: t, m: New(context.Background(), db, Options{Theme: ThemeASCII, Keys: bind})}
	d.send(tea.WindowSizeMsg{Width: 180, Height: 30})
	d.run(d.m.Init())
	d.press("q")
	d.expect("filter: q")
	d.press("esc", "x")
	if !d.quit {
		t.Fatal("x did not quit the sessions list")
	}
}
