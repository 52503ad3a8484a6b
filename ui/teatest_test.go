package ui

import (
	"bytes"
	"context"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"
	"github.com/charmbracelet/x/exp/teatest/v2"
)

// TestTeatestWalk drives the real Bubble Tea program at 80x24: sessions,
// a session, the reader, back, and quit. The final screen is compared with
// a golden file (refresh with go test ./ui -run TestTeatestWalk -update).
func TestTeatestWalk(t *testing.T) {
	db := sampleDB(t)
	m := New(context.Background(), db, Options{Theme: ThemeASCII})
	tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(80, 24))
	wait := func(s string) {
		t.Helper()
		teatest.WaitFor(t, tm.Output(), func(b []byte) bool {
			return bytes.Contains([]byte(ansi.Strip(string(b))), []byte(s))
		}, teatest.WithDuration(5*time.Second), teatest.WithCheckInterval(20*time.Millisecond))
	}
	wait("newest first")
	tm.Send(tea.KeyPressMsg{Code: tea.KeyEnter})
	wait("Proposals (8)")
	tm.Send(tea.KeyPressMsg{Code: tea.KeyTab})
	tm.Send(tea.KeyPressMsg{Code: tea.KeyEnter})
	// --style ascii draws · as - and ¶ as #.
	wait("13 -")
	tm.Send(tea.KeyPressMsg{Code: ']', Text: "]"})
	wait("# 2/13")
	tm.Send(tea.KeyPressMsg{Code: tea.KeyEscape})
	wait("Speeches (3)")
	tm.Send(tea.KeyPressMsg{Code: 'q', Text: "q"})
	final := tm.FinalModel(t, teatest.WithFinalTimeout(5*time.Second)).(*Model)
	golden.RequireEqual(t, []byte(ansi.Strip(final.render())))
}

// TestReaderGolden pins the reader's first screen of the fifth address at
// 80x24.
func TestReaderGolden(t *testing.T) {
	d := newDriver(t, sampleDB(t), 80, 24)
	d.send(openDocMsg{id: "nk-5/address", para: 3})
	golden.RequireEqual(t, []byte(d.screen()))
}
