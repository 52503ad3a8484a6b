package command

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode"

	"kurultai/data"
	"kurultai/server"
	"kurultai/server/sshtest"
	"kurultai/ui/i18n"
)

// cyrillic says whether s has a Cyrillic letter: the words of kk and ru.
func cyrillic(s string) bool {
	return strings.IndexFunc(s, func(r rune) bool { return unicode.Is(unicode.Cyrillic, r) }) >= 0
}

// TestMessagesInTheLanguage: what the commands say to people (errors,
// notes, warnings, what they did) is in the language LANG or --lang
// chooses, with the names, paths and lines in it as they are; what they
// write for programs stays as it is.
func TestMessagesInTheLanguage(t *testing.T) {
	home := t.TempDir()
	bad := filepath.Join(t.TempDir(), "bad.md")
	if err := os.WriteFile(bad, []byte("kind: speech\ntitle: no front matter\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, lang := range []string{i18n.Kazakh, i18n.Russian} {
		t.Run(lang, func(t *testing.T) {
			tr := i18n.New(lang)
			env := map[string]string{"LANG": map[string]string{"kk": "kk_KZ.UTF-8", "ru": "ru_RU.UTF-8"}[lang]}
			// An id the archive does not have: the error, translated,
			// with the id in it.
			code, _, stderr := runWithEnv(t, home, env, "show", "nk-99")
			want := tr.T("no session, speech or proposal has the id %q: %v", "nk-99", tr.T("not found"))
			if code != 2 || strings.TrimSpace(stderr) != "kurultai: "+want {
				t.Errorf("show nk-99: exit %d, said %q, want %q", code, stderr, want)
			}
			// A file that cannot be imported: where it is, then why, in
			// the language.
			code, _, stderr = runWithEnv(t, home, env, "import", "--archive", filepath.Join(t.TempDir(), "a.db"), bad)
			why := bad + ":1: " + tr.T(`expected front matter: the first line must be "---"`)
			want = tr.T("%v (nothing was imported; the archive is as it was)", why)
			if code != 1 || strings.TrimSpace(stderr) != "kurultai: "+want {
				t.Errorf("import of a bad file: exit %d, said %q, want %q", code, stderr, want)
			}
			// A note of the query on standard error is translated; the
			// count on standard output, for programs, is a number.
			code, stdout, stderr := runWithEnv(t, home, env, "search", "--count", "kind:bogus referendum")
			if code != 0 || strings.TrimSpace(stdout) == "" || strings.Trim(strings.TrimSpace(stdout), "0123456789") != "" {
				t.Errorf("search --count: exit %d, printed %q", code, stdout)
			}
			if !cyrillic(stderr) || strings.Contains(stderr, "left out") {
				t.Errorf("the query's note is not in %s: %q", lang, stderr)
			}
			// What a command did, said in the language.
			_, stdout, _ = runWithEnv(t, home, env, "follow", "list")
			if got, want := strings.TrimSpace(stdout), tr.T("Nothing is followed. Follow a search with: kurultai follow add QUERY"); got != want || !cyrillic(got) {
				t.Errorf("follow list said %q, want %q", got, want)
			}
			// --lang wins over the locale.
			_, _, stderr = runWithEnv(t, home, env, "--lang", "en", "show", "nk-99")
			if cyrillic(stderr) {
				t.Errorf("--lang en still says %q", stderr)
			}
		})
	}
}

// TestRemoteErrorsInTheClientsLanguage: a command sent over SSH says its
// error in the language of the locale the client sends.
func TestRemoteErrorsInTheClientsLanguage(t *testing.T) {
	rs := startRemote(t)
	c := rs.connect(t, sshtest.NewKey(t))
	for lang, locale := range map[string]string{i18n.Kazakh: "kk_KZ.UTF-8", i18n.Russian: "ru_RU.UTF-8", i18n.English: "en_GB.UTF-8"} {
		_, stderr, status := sshtest.RunEnv(t, c, "show nk-99", map[string]string{"LANG": locale})
		tr := i18n.New(lang)
		want := "kurultai: " + tr.T("no session, speech or proposal has the id %q: %v", "nk-99", tr.T("not found"))
		if status != 2 || strings.TrimSpace(stderr) != want {
			t.Errorf("LANG=%s: exit %d, said %q, want %q", locale, status, stderr, want)
		}
	}
}

// TestRemoteCommandsInTheServersLanguage: a command from a client that
// sends no locale speaks the server's language, as browsing does.
func TestRemoteCommandsInTheServersLanguage(t *testing.T) {
	archive := filepath.Join(t.TempDir(), "archive.db")
	if _, err := data.EnsureSample(t.Context(), archive); err != nil {
		t.Fatal(err)
	}
	var out, errb strings.Builder
	code := RunRemote(t.Context(), []string{"show", "nk-99"}, server.Remote{Stdout: &out, Stderr: &errb,
		Archive: archive, Owner: "t", Lang: i18n.Russian, Getenv: func(string) string { return "" }})
	tr := i18n.New(i18n.Russian)
	want := "kurultai: " + tr.T("no session, speech or proposal has the id %q: %v", "nk-99", tr.T("not found"))
	if code != 2 || strings.TrimSpace(errb.String()) != want {
		t.Errorf("exit %d, said %q, want %q", code, errb.String(), want)
	}
}
