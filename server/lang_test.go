package server

import (
	"strings"
	"testing"
)

// Each session speaks its client's language when the client sends its
// locale, and the server's otherwise.
func TestLanguagePerSession(t *testing.T) {
	ts := startServer(t, Config{Lang: "ru"})
	for _, tc := range []struct {
		name string
		env  map[string]string
		want string
	}{
		{"LANG=kk", map[string]string{"LANG": "kk_KZ.UTF-8"}, "Отырыстар"},
		{"LC_ALL=en over LANG=kk", map[string]string{"LANG": "kk_KZ.UTF-8", "LC_ALL": "en_GB.UTF-8"}, "5 sessions · newest first"},
		{"no locale sent", nil, "Заседания"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := openScreenWith(t, mustDial(t, ts.addr, newKey(t)), 100, 24, 100, 24, tc.env)
			s.waitFor(t, tc.want)
		})
	}
}

// What the server itself says to a client (here: that browsing needs a
// terminal) is in the client's language too.
func TestServerSaysInTheClientsLanguage(t *testing.T) {
	ts := startServer(t, Config{Lang: "ru"})
	for locale, want := range map[string]string{
		"kk_KZ.UTF-8": "мұрағатты шолуға терминал керек",
		"en_GB.UTF-8": "the archive browser needs a terminal",
		"":            "для просмотра архива нужен терминал",
	} {
		c := mustDial(t, ts.addr, newKey(t))
		s, err := c.NewSession()
		if err != nil {
			t.Fatal(err)
		}
		if locale != "" {
			_ = s.Setenv("LANG", locale)
		}
		out, _ := s.CombinedOutput("")
		if !strings.Contains(string(out), want) {
			t.Errorf("LANG=%q: said %q, want %q in it", locale, out, want)
		}
		s.Close()
	}
}
