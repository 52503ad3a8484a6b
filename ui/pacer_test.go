package ui

import (
	"bytes"
	"context"
	"io"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
)

// bumpModel shows a number that each bumpMsg raises.
type bumpModel struct {
	n     int
	pacer *framePacer
}

type bumpMsg struct{}

func (m *bumpModel) Init() tea.Cmd { return nil }

func (m *bumpModel) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if _, ok := msg.(bumpMsg); ok {
		m.n++
	}
	return m, nil
}

func (m *bumpModel) View() tea.View {
	m.pacer.viewed(true)
	return tea.NewView(strings.Repeat("#", m.n) + "count")
}

type syncBuffer struct {
	mu    sync.Mutex
	b     bytes.Buffer
	stall atomic.Int64 // the next write takes this long, as to a slow client
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	if d := s.stall.Swap(0); d > 0 {
		time.Sleep(time.Duration(d))
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// The pacer finds Bubble Tea's ticker, stops it once the view stays the
// same, and a later change is still drawn at once.
// With a watched output (over SSH) the ticker stops at once when idle;
// without one, after slow ticks. Either way no frame is left unwritten.
func TestFramePacerFindsTicker(t *testing.T) {
	t.Run("slow ticks", func(t *testing.T) { testFramePacer(t, false) })
	t.Run("watched output", func(t *testing.T) { testFramePacer(t, true) })
}

func testFramePacer(t *testing.T, watched bool) {
	var out syncBuffer
	m := &bumpModel{}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var w io.Writer = &out
	var wo *WatchedOutput
	if watched {
		wo = NewWatchedOutput(&out)
		w = wo
	}
	p := tea.NewProgram(m, tea.WithContext(ctx), tea.WithInput(nil), tea.WithOutput(w),
		tea.WithFPS(FPS), tea.WithWindowSize(40, 5))
	m.pacer = newFramePacer(p, FPS, wo)
	m.pacer.slow, m.pacer.rest = 500*time.Millisecond, time.Second
	done := make(chan struct{})
	go func() {
		p.Run()
		close(done)
	}()
	defer func() { cancel(); <-done }()

	waitFor := func(what string, ok func() bool) {
		t.Helper()
		deadline := time.Now().Add(5 * time.Second)
		for !ok() {
			if time.Now().After(deadline) {
				t.Fatalf("%s within 5 s", what)
			}
			time.Sleep(5 * time.Millisecond)
		}
	}
	state := func(stopped bool) func() bool {
		return func() bool {
			m.pacer.mu.Lock()
			defer m.pacer.mu.Unlock()
			return m.pacer.ticker != nil && m.pacer.slowed && m.pacer.stopped == stopped
		}
	}
	// Without a watched output the ticker slows before it stops; with
	// one it stops at once.
	parked := state(watched)
	waitFor("the first frame", func() bool { return strings.Contains(out.String(), "count") })
	waitFor("the ticker found and slowed or stopped", parked)
	waitFor("the ticker stopped", state(true))
	for i := 1; i <= 4; i++ {
		p.Send(bumpMsg{})
		want := strings.Repeat("#", i) + "count"
		sent := time.Now()
		waitFor("a change drawn after the ticker slowed or stopped", func() bool { return strings.Contains(out.String(), want) })
		// Well under the 500 ms slow tick, with room for a loaded
		// machine running the race detector.
		if d := time.Since(sent); d > 250*time.Millisecond {
			t.Errorf("change %d drawn %v after it was sent", i, d)
		}
		// Every other change comes while the ticker only ticks slowly;
		// either way it slows again parkAfter later, not at the end of
		// the slow ticks.
		drawn := time.Now()
		waitFor("the ticker slowed or stopped again", parked)
		if d := time.Since(drawn); d > parkAfter+300*time.Millisecond {
			t.Errorf("change %d: the ticker ran at the frame rate for %v", i, d)
		}
		if i%2 == 0 {
			waitFor("the ticker stopped again", state(true))
		}
	}
	// A frame held up in writing longer than the pacer waits is still
	// drawn, by a slow tick, not left for the next key. (Bubble Tea writes
	// a frame at the tick after the one that drew it.)
	out.stall.Store(int64(300 * time.Millisecond))
	p.Send(bumpMsg{})                 // its frame's write stalls
	time.Sleep(20 * time.Millisecond) // the write has begun
	p.Send(bumpMsg{})                 // its frame waits behind the write
	want := strings.Repeat("#", 6) + "count"
	waitFor("the frame after a stalled write", func() bool { return strings.Contains(out.String(), want) })
}

// TestPacerWaitsForTheLastFrame: over SSH the ticker is stopped only once
// a write has come after the last View. When drawing the frame takes
// longer than parkAfter (a large screen on a busy server), the output has
// been quiet for long, but the frame is still to be written; stopping
// then left the screen on its previous frame until the next key.
func TestPacerWaitsForTheLastFrame(t *testing.T) {
	out := NewWatchedOutput(io.Discard)
	out.Write([]byte("an earlier frame"))
	out.last.Store(time.Now().Add(-3 * parkAfter).UnixNano()) // written before the last View
	f := &framePacer{interval: time.Millisecond, slow: time.Hour, rest: time.Hour, out: out,
		ticker: time.NewTicker(time.Hour), lastView: time.Now().Add(-2 * parkAfter)}
	f.lastChange = f.lastView
	f.parking = time.AfterFunc(time.Hour, func() {})
	defer f.parking.Stop()
	f.park()
	if f.stopped || !f.slowed {
		t.Fatalf("with no write since the last View the ticker must keep ticking slowly: stopped=%v slowed=%v", f.stopped, f.slowed)
	}
	out.Write([]byte("the last View's frame"))
	time.Sleep(3 * time.Millisecond)
	f.park()
	if !f.stopped {
		t.Fatal("once the last View's frame is written and the output is quiet, the ticker stops")
	}
}

// TestPacerStopsAfterAnUnchangedView: a View that changes nothing
// (Bubble Tea then writes nothing) does not keep an SSH session's ticker
// going: what counts is the frame of the last View that changed.
func TestPacerStopsAfterAnUnchangedView(t *testing.T) {
	out := NewWatchedOutput(io.Discard)
	now := time.Now()
	out.Write([]byte("the last changed frame"))
	out.last.Store(now.Add(-3 * parkAfter).UnixNano())
	f := &framePacer{interval: time.Millisecond, slow: time.Hour, rest: time.Hour, out: out,
		ticker: time.NewTicker(time.Hour), lastChange: now.Add(-4 * parkAfter), lastView: now.Add(-2 * parkAfter)}
	f.parking = time.AfterFunc(time.Hour, func() {})
	defer f.parking.Stop()
	f.park()
	if !f.stopped {
		t.Fatalf("after a View that changed nothing the ticker should stop at once: slowed=%v", f.slowed)
	}
}
