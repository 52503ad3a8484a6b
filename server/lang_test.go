package server

import "testing"

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
