package cli

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// Inside tmux, copying puts the text in tmux's buffer, with a real tmux
// server of the test's own.
func TestTmuxCopy(t *testing.T) {
	tmux, err := exec.LookPath("tmux")
	if err != nil {
		t.Skip("tmux is not installed; the copy through tmux's buffer is not tried")
	}
	sock := filepath.Join(t.TempDir(), "tmux.sock")
	start := exec.Command(tmux, "-S", sock, "-f", os.DevNull, "new-session", "-d", "-x", "80", "-y", "24", "sleep 30")
	if out, err := start.CombinedOutput(); err != nil {
		t.Skipf("cannot start a tmux server: %v %s", err, out)
	}
	t.Cleanup(func() { exec.Command(tmux, "-S", sock, "kill-server").Run() })
	env := map[string]string{"TMUX": sock + ",1,0", "PATH": os.Getenv("PATH")}
	e := Env{Getenv: func(k string) string { return env[k] }}
	copyText := tmuxCopy(e)
	if copyText == nil {
		t.Fatal("inside tmux there should be a way to its buffer")
	}
	// tmuxCopy runs tmux with the process's environment: point it at the
	// test's server.
	t.Setenv("TMUX", env["TMUX"])
	const text = "¶ 3 Қазақстан «quote»\n\n— Tokayev 2026, para. 3"
	if err := copyText(text); err != nil {
		t.Fatal(err)
	}
	var got []byte
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if got, err = exec.Command(tmux, "-S", sock, "show-buffer").Output(); err == nil && len(got) > 0 {
			break
		}
	}
	if strings.TrimRight(string(got), "\n") != text {
		t.Fatalf("tmux's buffer holds %q, want %q", got, text)
	}
	// Not inside tmux, or over SSH: no second way.
	if tmuxCopy(Env{Getenv: func(string) string { return "" }}) != nil {
		t.Error("outside tmux there should be no tmux copy")
	}
	if tmuxCopy(Env{Getenv: e.Getenv, Remote: &Remote{}}) != nil {
		t.Error("over SSH the host's tmux is not the reader's")
	}
}
