package cli

import (
	"bytes"
	"context"
	"errors"
	"os/exec"
	"strings"
	"time"
)

// tmuxCopy is a way to the clipboard inside tmux, whose default
// set-clipboard option (external) drops the OSC 52 sequences that
// programs send: tmux load-buffer -w puts the text in tmux's buffer and
// has tmux itself send it to the terminal's clipboard. It is nil outside
// tmux, over SSH (the tmux is the client's, not the host's), and where
// no tmux command is found.
func tmuxCopy(e Env) func(string) error {
	if e.Remote != nil || e.Getenv("TMUX") == "" {
		return nil
	}
	tmux, err := exec.LookPath("tmux")
	if err != nil {
		return nil
	}
	return func(text string) error {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		cmd := exec.CommandContext(ctx, tmux, "load-buffer", "-w", "-")
		cmd.Stdin = strings.NewReader(text)
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		if err := cmd.Run(); err != nil {
			if said := strings.TrimSpace(stderr.String()); said != "" {
				return errors.New(said)
			}
			return err
		}
		return nil
	}
}
