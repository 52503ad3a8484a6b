package ui

import (
	"reflect"
	"sync"
	"time"

	tea "charm.land/bubbletea/v2"
)

// framePacer stops Bubble Tea's frame ticker while nothing changes.
//
// Bubble Tea v2.1 draws frames from a ticker that runs at the frame rate
// for as long as the program does, even when the view has not changed
// since the last frame: an idle kurultai woke 120 times a second, about 2%
// of a core, and 100 idle SSH sessions took 12% of one. Until Bubble Tea
// ticks only when there is a frame to draw (its pull requests #1776 and
// #1796 propose that), the pacer does it from outside: every View restarts
// the ticker if it was stopped (its first tick comes at once), and once
// no View has come for parkAfter, the ticker is stopped. A frame is always
// drawn at the next tick after its View, as before.
//
// The ticker is a private field of tea.Program; the pacer finds it by
// reflection and does nothing if it is not there (TestFramePacerFindsTicker
// fails then, so that an upgrade of Bubble Tea is noticed).
type framePacer struct {
	program  *tea.Program
	interval time.Duration

	mu       sync.Mutex
	ticker   *time.Ticker
	stopped  bool
	lastView time.Time
	parking  *time.Timer
}

// parkAfter is how long after the last View the ticker stops: a few
// frames, so that the frame of the last View is surely drawn first.
const parkAfter = 100 * time.Millisecond

// leadTime is how soon the first frame after a pause is drawn.
const leadTime = time.Millisecond

func newFramePacer(p *tea.Program, fps int) *framePacer {
	return &framePacer{program: p, interval: time.Second / time.Duration(fps)}
}

// programTicker is the frame ticker of a running program, or nil.
func programTicker(p *tea.Program) *time.Ticker {
	f := reflect.ValueOf(p).Elem().FieldByName("ticker")
	if !f.IsValid() || f.Type() != reflect.TypeFor[*time.Ticker]() || f.IsNil() {
		return nil
	}
	return (*time.Ticker)(f.UnsafePointer())
}

// viewed is called with every View, on Bubble Tea's event loop, which is
// also where the program makes and restarts its ticker.
func (f *framePacer) viewed() {
	t := programTicker(f.program)
	if t == nil {
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if t != f.ticker {
		// First View, or the renderer was restarted with a new ticker.
		f.ticker, f.stopped = t, false
	}
	if f.stopped {
		// The first frame after a pause is drawn at once, as if the
		// ticker had kept running and were due; then it ticks at the
		// frame rate again.
		f.ticker.Reset(leadTime)
		f.stopped = false
		time.AfterFunc(leadTime+leadTime/2, f.steady)
	}
	f.lastView = time.Now()
	if f.parking == nil {
		f.parking = time.AfterFunc(parkAfter, f.park)
	}
}

// steady sets a ticker restarted for one quick frame back to the frame
// rate.
func (f *framePacer) steady() {
	f.mu.Lock()
	defer f.mu.Unlock()
	if !f.stopped {
		f.ticker.Reset(f.interval)
	}
}

// park stops the ticker if no View has come for parkAfter, and otherwise
// looks again when that much time will have passed since the last one.
func (f *framePacer) park() {
	f.mu.Lock()
	defer f.mu.Unlock()
	if wait := parkAfter - time.Since(f.lastView); wait > 0 {
		f.parking.Reset(wait)
		return
	}
	f.ticker.Stop()
	f.stopped = true
	f.parking = nil
}
