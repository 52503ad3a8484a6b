package command

import (
	"strings"
	"testing"

	"kurultai/server/sshtest"
)

// FuzzRemoteArgs sends argument vectors to a real server over SSH, with
// the client's environment pointing into a tree of canary files. Whatever
// the arguments, no file outside the server's data folder is created,
// changed or opened (the kernel's inotify reports even an open), the
// served archive is unchanged, and no other archive is opened. {C} in an
// input stands for the canary tree and {A} for the served archive, so that
// the fuzzer mutates around real paths.
func FuzzRemoteArgs(f *testing.F) {
	for _, seed := range []string{
		"export --tag -- -o {C}/home/.ssh/authorized_keys",
		"export --session -- -o {A}",
		"search -- gen --archive=",
		"show -- nk-1 --archive {C}/other/archive.db",
		"sessions --archive={C}/other/archive.db --json",
		"--archive {C}/other/archive.db show nk-1",
		"export --format=csv --group tag -- -o={C}/passwd",
		"search --limit 5 --order date -- --archive {C}/xdg/kurultai/archive.db",
		"help export -o {C}/x",
		"stats --json --style ascii",
		"show nk-5/address --width 20",
		"version --archive=",
		"export --tag=\"a b\" --session nk-5 --o {C}/x",
		"search 'x' \"--\" -o {C}/y",
		"-- sessions",
		"gen --out {C}/g.db --paragraphs 1",
		"import {C}/passwd",
		"bookmarks add nk-5/address --para 1",
	} {
		f.Add(seed)
	}
	rs := startRemote(f)
	key := sshtest.NewKey(f)
	keyClient := rs.connect(f, key)
	guestClient := rs.connect(f, nil)
	can := rs.canaries.root
	env := map[string]string{"HOME": can + "/home", "XDG_DATA_HOME": can + "/xdg", "TMPDIR": can,
		"KURULTAI_TRACE": can + "/trace", "KURULTAI_CPUPROFILE": can + "/cpu", "USER": "victim"}
	before := rs.servedState(f)
	rs.canaries.events()
	n := 0
	f.Fuzz(func(t *testing.T, cmd string) {
		cmd = strings.NewReplacer("{C}", can, "{A}", rs.archive).Replace(cmd)
		c := keyClient
		if n++; n%2 == 0 {
			c = guestClient
		}
		_, errs, status := sshtest.RunEnv(t, c, cmd, env)
		if status != 0 && status != 1 && status != 2 {
			t.Errorf("%q: status %d: %q", cmd, status, errs)
		}
		if strings.ContainsAny(errs, "\x1b\x07\u009b\u009d") {
			t.Errorf("%q: control characters on stderr: %q", cmd, errs)
		}
		if ev := rs.canaries.events(); len(ev) > 0 {
			t.Fatalf("%q touched files outside the server's data folder: %v", cmd, ev)
		}
		if after := rs.servedState(t); after != before {
			t.Fatalf("%q changed the served archive", cmd)
		}
	})
}
