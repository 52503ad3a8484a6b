package ui

import (
	"bytes"
	"context"
	"strings"
	"sync"
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
	m.pacer.viewed()
	return tea.NewView(strings.Repeat("#", m.n) + "count")
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
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
func TestFramePacerFindsTicker(t *testing.T) {
	var out syncBuffer
	m := &bumpModel{}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	p := tea.NewProgram(m, tea.WithContext(ctx), tea.WithInput(nil), tea.WithOutput(&out),
		tea.WithFPS(FPS), tea.WithWindowSize(40, 5))
	m.pacer = newFramePacer(p, FPS)
	done := make(chan struct{})
	go func() {
		p.Run()
		close(done)
	}()
	defer func() { cancel(); <-done }()

	waitFor := func(what string, ok func() bool) {
		t.Helper()
		deadline := time.Now().Add(2 * time.Second)
		for !ok() {
			if time.Now().After(deadline) {
				t.Fatalf("%s within 2 s", what)
			}
			time.Sleep(5 * time.Millisecond)
		}
	}
	stopped := func() bool {
		m.pacer.mu.Lock()
		defer m.pacer.mu.Unlock()
		return m.pacer.ticker != nil && m.pacer.stopped
	}
	waitFor("the first frame", func() bool { return strings.Contains(out.String(), "count") })
	waitFor("the ticker found and stopped", stopped)
	for i := 1; i <= 3; i++ {
		p.Send(bumpMsg{})
		want := strings.Repeat("#", i) + "count"
		sent := time.Now()
		waitFor("a change drawn after the ticker stopped", func() bool { return strings.Contains(out.String(), want) })
		if d := time.Since(sent); d > 50*time.Millisecond {
			t.Errorf("change %d drawn %v after it was sent", i, d)
		}
		waitFor("the ticker stopped again", stopped)
	}
}
