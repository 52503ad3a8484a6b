// Package sshtest helps tests talk to a kurultai server as an SSH client.
package sshtest

import (
	"crypto/ed25519"
	"crypto/rand"
	"errors"
	"strings"
	"testing"

	gossh "golang.org/x/crypto/ssh"
)

// Run runs a command without a PTY and returns its output and exit
// status; anything but an exit status fails the test.
func Run(t testing.TB, c *gossh.Client, cmd string) (stdout, stderr string, status int) {
	t.Helper()
	return RunEnv(t, c, cmd, nil)
}

// RunEnv is Run with variables sent first, as ssh -o SetEnv does. The
// server may ignore them; each is sent whether or not it is accepted.
func RunEnv(t testing.TB, c *gossh.Client, cmd string, env map[string]string) (stdout, stderr string, status int) {
	t.Helper()
	s, err := c.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for k, v := range env {
		_ = s.Setenv(k, v)
	}
	var out, errb strings.Builder
	s.Stdout, s.Stderr = &out, &errb
	err = s.Run(cmd)
	var ee *gossh.ExitError
	switch {
	case errors.As(err, &ee):
		status = ee.ExitStatus()
	case err != nil:
		t.Fatalf("%q: %v", cmd, err)
	}
	return out.String(), errb.String(), status
}

// NewKey makes a fresh ed25519 key for a test client.
func NewKey(t testing.TB) gossh.Signer {
	t.Helper()
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	s, err := gossh.NewSignerFromKey(priv)
	if err != nil {
		t.Fatal(err)
	}
	return s
}
