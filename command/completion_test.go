package command

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"kurultai/data"
)

// completions runs kurultai __complete with words, as the scripts do, and
// gives the words offered.
func completions(t *testing.T, home string, words ...string) []string {
	t.Helper()
	code, out, stderr := runWithEnv(t, home, nil, append([]string{"__complete"}, words...)...)
	if code != 0 || stderr != "" {
		t.Fatalf("__complete %q: exit %d, %s", words, code, stderr)
	}
	var got []string
	for _, line := range strings.Split(strings.TrimSuffix(out, "\n"), "\n") {
		if line != "" {
			word, _, _ := strings.Cut(line, "\t")
			got = append(got, word)
		}
	}
	return got
}

func TestComplete(t *testing.T) {
	home := t.TempDir()
	// Before the archive exists, ids are simply not offered: a tab builds
	// nothing.
	if got := completions(t, home, "show", "nk-"); len(got) != 0 {
		t.Errorf("ids before there is an archive: %q", got)
	}
	if _, err := os.Stat(filepath.Join(home, "kurultai", "archive.db")); err == nil {
		t.Error("a tab built the sample")
	}
	if code, _, stderr := runWithEnv(t, home, nil, "sessions"); code != 0 {
		t.Fatal(stderr)
	}
	for _, tc := range []struct {
		words []string
		want  []string // all of these, in order, and no others when exact
		exact bool
	}{
		{[]string{"se"}, []string{"sessions", "search", "serve"}, true},
		{[]string{""}, []string{"sessions", "show", "config", "completion", "man"}, false},
		{[]string{"show", "nk-5/p"}, []string{"nk-5/p1-unicameral-parliament"}, false},
		{[]string{"show", "--width", "60", "nk-1"}, []string{"nk-1", "nk-1/address"}, true},
		{[]string{"nk-2"}, []string{"nk-2", "nk-2/address"}, true}, // browse takes an id
		{[]string{"show", "nk-1", "nk-"}, nil, true},               // one id only
		{[]string{"speaker", "tok"}, []string{"tokayev"}, true},
		{[]string{"--sty"}, []string{"--style"}, true},
		{[]string{"--style", ""}, []string{"dark", "light", "ascii", "contrast"}, true},
		{[]string{"--style=c"}, []string{"--style=contrast"}, true},
		{[]string{"--style", "=", "l"}, []string{"--style=light"}, true}, // as bash splits it
		{[]string{"trend", "--by", "m"}, []string{"month"}, true},
		{[]string{"search", "--"}, []string{"--archive", "--style", "--config", "--lang", "--json", "--csv", "--limit", "--all", "--count", "--facets", "--order"}, true},
		{[]string{"bookmarks", ""}, []string{"add", "list", "rm", "import"}, true},
		{[]string{"bookmarks", "add", "nk-3"}, []string{"nk-3", "nk-3/address"}, true},
		{[]string{"bookmarks", "import", ""}, []string{filesDirective}, true},
		{[]string{"import", ""}, []string{filesDirective}, true},
		{[]string{"--archive", ""}, []string{filesDirective}, true},
		{[]string{"export", "-o", ""}, []string{filesDirective}, true},
		{[]string{"archive", ""}, []string{"upgrade", "optimize"}, true},
		{[]string{"completion", ""}, []string{"bash", "zsh", "fish"}, true},
		{[]string{"help", "ke"}, []string{"keywords"}, true},
		{[]string{"search", "refer"}, nil, true}, // a query is not completed
		{[]string{"--archive", filepath.Join(home, "none.db"), "show", "nk"}, nil, true},
	} {
		got := completions(t, home, tc.words...)
		if tc.exact && !slices.Equal(got, tc.want) || !tc.exact && !containsInOrder(got, tc.want) {
			t.Errorf("%q: got %q, want %q", tc.words, got, tc.want)
		}
	}
}

func containsInOrder(got, want []string) bool {
	i := 0
	for _, g := range got {
		if i < len(want) && g == want[i] {
			i++
		}
	}
	return i == len(want)
}

// An id that a shell would read as more than one word, or as code, is
// never offered.
func TestCompleteLeavesOutHostileIDs(t *testing.T) {
	for _, id := range []string{"nk-1", "nk-5/address", "тоқаев", "a.b_c+d@e,f%g"} {
		if !shellWord(id) {
			t.Errorf("%q left out", id)
		}
	}
	for _, id := range []string{"", "a b", "$(rm -rf ~)", "`x`", "a;b", "a|b", "a'b", "a\"b", "a\nb", "a\x1b[31m", "a:b", "a*", "~x", "a\\b"} {
		if shellWord(id) {
			t.Errorf("%q offered", id)
		}
	}
}

// The bash script, sourced in a real bash, registers the completion, and
// completes as a person at a prompt would get it.
func TestBashCompletion(t *testing.T) {
	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Skip("bash is not installed")
	}
	home, bin := completionSetup(t)
	script := filepath.Join(home, "kurultai.bash")
	if err := os.WriteFile(script, []byte(bashCompletion), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ line, want string }{
		{"", ""}, // see below
		{"kurultai se", "sessions search serve"},
		{"kurultai --style=co", "contrast"},
		{"kurultai --style co", "contrast"},
		{"kurultai show nk-5/address-", "nk-5/address-kk nk-5/address-ru"},
		{"kurultai import " + home + "/kurultai.", home + "/kurultai.bash"},
	} {
		if tc.line == "" {
			continue
		}
		cmd := exec.Command(bash, "--norc", "--noprofile", "-c", `source "$1" || exit 3
complete -p kurultai || exit 4
COMP_LINE="$2"; COMP_POINT=${#COMP_LINE}
read -ra COMP_WORDS <<< "$COMP_LINE"; COMP_CWORD=$((${#COMP_WORDS[@]}-1))
_kurultai
echo "${COMPREPLY[*]}"`, "bash", script, tc.line)
		cmd.Env = append(os.Environ(), "PATH="+filepath.Dir(bin)+":"+os.Getenv("PATH"), "HOME="+home, "XDG_DATA_HOME="+home, "XDG_CONFIG_HOME=")
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("%q: %v\n%s", tc.line, err, out)
		}
		lines := strings.Split(strings.TrimSpace(string(out)), "\n")
		if !strings.HasPrefix(lines[0], "complete -F _kurultai kurultai") {
			t.Errorf("complete -p: %q", lines[0])
		}
		if got := lines[len(lines)-1]; got != tc.want {
			t.Errorf("%q: bash offers %q, want %q", tc.line, got, tc.want)
		}
	}
}

// The fish script completes in a real fish; the zsh script is valid zsh.
func TestFishAndZshCompletion(t *testing.T) {
	home, bin := completionSetup(t)
	env := append(os.Environ(), "PATH="+filepath.Dir(bin)+":"+os.Getenv("PATH"), "HOME="+home, "XDG_DATA_HOME="+home, "XDG_CONFIG_HOME=")
	t.Run("zsh", func(t *testing.T) {
		zsh, err := exec.LookPath("zsh")
		if err != nil {
			t.Skip("zsh is not installed")
		}
		script := filepath.Join(home, "_kurultai")
		if err := os.WriteFile(script, []byte(zshCompletion), 0o644); err != nil {
			t.Fatal(err)
		}
		if out, err := exec.Command(zsh, "-n", script).CombinedOutput(); err != nil {
			t.Fatalf("zsh -n: %v\n%s", err, out)
		}
		// Loaded after compinit, it registers itself.
		cmd := exec.Command(zsh, "-f", "-c", `autoload -U compinit && compinit -u -D && source "$1" && print -r -- ${_comps[kurultai]}`, "zsh", script)
		cmd.Env = env
		out, err := cmd.CombinedOutput()
		if err != nil || strings.TrimSpace(string(out)) != "_kurultai" {
			t.Fatalf("zsh: %v %q", err, out)
		}
	})
	t.Run("fish", func(t *testing.T) {
		fish, err := exec.LookPath("fish")
		if err != nil {
			t.Skip("fish is not installed")
		}
		script := filepath.Join(home, "kurultai.fish")
		if err := os.WriteFile(script, []byte(fishCompletion), 0o644); err != nil {
			t.Fatal(err)
		}
		if out, err := exec.Command(fish, "--no-execute", script).CombinedOutput(); err != nil {
			t.Fatalf("fish --no-execute: %v\n%s", err, out)
		}
		for _, tc := range []struct{ line, want string }{
			{"kurultai se", "search\tsearch; exit 0 found, 1 none, 2 error|serve\tserve the archive read-only over SSH|sessions\tlist the sessions"},
			{"kurultai --style=co", "--style=contrast"},
			{"kurultai show nk-5/address-", "nk-5/address-kk|nk-5/address-ru"},
		} {
			cmd := exec.Command(fish, "--no-config", "-c", `source $argv[1]; complete -C $argv[2]`, script, tc.line)
			cmd.Env = env
			out, err := cmd.CombinedOutput()
			if err != nil {
				t.Fatalf("%q: %v\n%s", tc.line, err, out)
			}
			if got := strings.ReplaceAll(strings.TrimSpace(string(out)), "\n", "|"); got != tc.want {
				t.Errorf("%q: fish offers %q, want %q", tc.line, got, tc.want)
			}
		}
	})
}

// completionSetup builds kurultai for the shells to run, with the sample
// archive in a private home.
func completionSetup(t *testing.T) (home, bin string) {
	t.Helper()
	home = t.TempDir()
	bin = filepath.Join(t.TempDir(), "kurultai")
	build := exec.Command("go", "build", "-tags", "fts5", "-o", bin, "..")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	if _, err := data.EnsureSample(t.Context(), filepath.Join(home, "kurultai", "archive.db")); err != nil {
		t.Fatal(err)
	}
	return home, bin
}

// TestManPage: docs/kurultai.1 is kurultai man, and groff reads it
// without a warning.
func TestManPage(t *testing.T) {
	page := manPage()
	path := filepath.Join("..", "docs", "kurultai.1")
	if *update {
		if err := os.WriteFile(path, []byte(page), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if b, err := os.ReadFile(path); err != nil || string(b) != page {
		t.Errorf("%s is not kurultai man: go test -run TestManPage ./command -update (%v)", path, err)
	}
	for _, c := range commands {
		if !c.Hidden && !strings.Contains(page, ".B "+roff(strings.Join(local.synopsis(c), " "))) {
			t.Errorf("the page lacks %s", c.Name)
		}
	}
	groff, err := exec.LookPath("groff")
	if err != nil {
		t.Skip("groff is not installed")
	}
	cmd := exec.Command(groff, "-man", "-Tutf8", "-ww", "-z")
	cmd.Stdin = strings.NewReader(page)
	if out, err := cmd.CombinedOutput(); err != nil || len(out) > 0 {
		t.Errorf("groff: %v\n%s", err, out)
	}
}
