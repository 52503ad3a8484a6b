package ui

import (
	"fmt"
	"io"
	"reflect"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"
)

// The key-to-frame trace (KURULTAI_TRACE=FILE) writes a line for each key:
//
//	frame KEY MS     from the key reaching Update to the end of the View that shows it
//	settled KEY MS   to the end of the View after the last of the work the key
//	                 started (queries, rendering, a search's pause for typing)
//
// and the same two for start, timed from the process's start to the first
// View and to the first screen with everything loaded. With no trace, none
// of this runs: Update and View are not wrapped. For timing whole
// processes, Options.QuitWhenStarted ends the program once the start has
// settled.

// tracer follows keys and the commands they start.
type tracer struct {
	w     io.Writer
	start time.Time
	seq   int
	keys  map[int]*tracedKey
	drawn []int // keys whose work came back since the last View
	// started, if set, is called once the start has settled.
	started func()
}

type tracedKey struct {
	name    string
	at      time.Time
	pending int  // commands started and not yet come back
	framed  bool // the View after the key itself is written
}

// tracedMsg is a message a traced key's command returned.
type tracedMsg struct {
	id  int
	msg tea.Msg
}

func newTracer(w io.Writer, start time.Time) *tracer {
	return &tracer{w: w, start: start, keys: map[int]*tracedKey{}}
}

// begin starts following a key (or the start), from at.
func (t *tracer) begin(name string, at time.Time) int {
	t.seq++
	t.keys[t.seq] = &tracedKey{name: name, at: at}
	t.drawn = append(t.drawn, t.seq)
	return t.seq
}

// wrap marks the messages cmd returns as the key's work.
func (t *tracer) wrap(id int, cmd tea.Cmd) tea.Cmd {
	k := t.keys[id]
	if cmd == nil || k == nil {
		return cmd
	}
	k.pending++
	return func() tea.Msg { return tracedMsg{id: id, msg: cmd()} }
}

// ours reports whether a message is the UI's own, as opposed to one that
// Bubble Tea acts on itself (quitting, a batch, setting the title).
func ours(msg tea.Msg) bool {
	if msg == nil {
		return false
	}
	return reflect.TypeOf(msg).PkgPath() == reflect.TypeOf(tracedMsg{}).PkgPath()
}

// back takes a traced message in: it unwraps it, and says what to do with
// the message inside.
func (t *tracer) back(tm tracedMsg) (msg tea.Msg, cmd tea.Cmd) {
	if k := t.keys[tm.id]; k != nil {
		k.pending--
		t.drawn = append(t.drawn, tm.id)
	}
	switch inner := tm.msg.(type) {
	case tea.BatchMsg:
		// wrap leaves a key no longer followed untraced.
		cmds := make([]tea.Cmd, 0, len(inner))
		for _, c := range inner {
			cmds = append(cmds, t.wrap(tm.id, c))
		}
		return nil, tea.Batch(cmds...)
	case nil:
		return nil, nil
	}
	if !ours(tm.msg) {
		// Bubble Tea's own: hand it back to Bubble Tea, untraced.
		return nil, func() tea.Msg { return tm.msg }
	}
	return tm.msg, nil
}

// viewed writes what the View just made shows.
func (t *tracer) viewed(now time.Time) {
	for _, id := range t.drawn {
		k := t.keys[id]
		if k == nil {
			continue
		}
		if !k.framed {
			k.framed = true
			t.line("frame", k, now)
		}
		if k.pending <= 0 {
			t.line("settled", k, now)
			delete(t.keys, id)
			if k.name == "start" && t.started != nil {
				t.started()
			}
		}
	}
	t.drawn = t.drawn[:0]
}

func (t *tracer) line(what string, k *tracedKey, now time.Time) {
	fmt.Fprintf(t.w, "%s %s %.3f\n", what, k.name, float64(now.Sub(k.at).Microseconds())/1000)
}

// traceName names a key for the trace, in one word.
func traceName(msg tea.KeyPressMsg) string {
	s := msg.String()
	if s == " " {
		return "space"
	}
	return strings.ReplaceAll(s, " ", "_")
}
