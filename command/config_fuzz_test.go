package command

import (
	"strings"
	"testing"
)

// FuzzConfig: whatever a config file holds, reading it ends in settings or
// in one line that says why not, never in a panic.
func FuzzConfig(f *testing.F) {
	for _, s := range []string{"", "style = \"dark\"\n", "[keys]\nquit = [\"x\"]\n", "keys = { quit = [\"q\"] }\n",
		"[serve]\nidle_timeout = \"5m\"\n", "a.b.c = 1\n", "[[x]]\n", "width = 1_000\n", "width = 0x50\n", "mouse = 1\n",
		"[colours]\naccent = \"#abc\"\n", "keys.quit = [1]\n", "x = { y = { z = 1 } }\n", "\"style\" = 'light'\n"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		c := &config{path: "config.toml", values: map[string]string{}, lines: map[string]int{}}
		if err := c.parse([]byte(text)); err != nil {
			if msg := err.Error(); strings.Contains(msg, "\n") && !strings.Contains(text, "\n") {
				t.Errorf("a message of two lines: %q", msg)
			}
			return
		}
		for name, v := range c.values {
			for _, s := range settings {
				if s.name == name && s.check != nil {
					if err := s.check(v); err != nil {
						t.Errorf("%s = %q was taken: %v", name, v, err)
					}
				}
			}
		}
	})
}
