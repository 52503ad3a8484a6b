package ui

import (
	"io"
	"reflect"
	"sync"
	"sync/atomic"
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
// the ticker at the frame rate if it was slowed or stopped (its first tick
// comes at once); once no View has come for parkAfter, the ticker slows
// to one tick a second, and after restAfter more it stops. The slow
// ticks are for a frame whose writing was held up (a client that reads
// slowly, a terminal paused with ctrl+s): stopping a ticker drops a tick
// that was due, and that frame would wait for the next key.
//
// Where the program's output can be watched (WatchedOutput, over SSH),
// the pacer knows when the last View's frame has been written and then
// stops the ticker at once, with no slow ticks.
//
// The ticker is a private field of tea.Program; the pacer finds it by
// reflection and does nothing if it is not there (TestFramePacerFindsTicker
// fails then, so that an upgrade of Bubble Tea is noticed).
type framePacer struct {
	program    *tea.Program
	interval   time.Duration
	slow, rest time.Duration  // slowTick and restAfter, shorter in tests
	out        *WatchedOutput // the program's output, if it is watched

	mu       sync.Mutex
	ticker   *time.Ticker
	slowed   bool // ticking once a second, or stopped
	stopped  bool
	lastView time.Time
	// lastChange is when a View last differed from the one before it:
	// the frame that must be written before the ticker may stop.
	lastChange time.Time
	parking    *time.Timer
}

// parkAfter is how long after the last View the ticker slows: a dozen
// frames, so that the frame of the last View is drawn first. restAfter is
// how much longer it ticks slowly, once a second, before it stops.
const (
	parkAfter = 100 * time.Millisecond
	slowTick  = time.Second
	restAfter = 5 * time.Second
)

// leadTime is how soon the first frame after a pause is drawn.
const leadTime = time.Millisecond

func newFramePacer(p *tea.Program, fps int, out *WatchedOutput) *framePacer {
	return &framePacer{program: p, interval: time.Second / time.Duration(fps), slow: slowTick, rest: restAfter, out: out}
}

// WatchedOutput is a program's output that tells when it was last written
// to and whether a write is under way.
type WatchedOutput struct {
	w        io.Writer
	inflight atomic.Int32
	last     atomic.Int64 // when the last write ended, in Unix nanoseconds
}

// NewWatchedOutput watches writes to w.
func NewWatchedOutput(w io.Writer) *WatchedOutput { return &WatchedOutput{w: w} }

func (o *WatchedOutput) Write(p []byte) (int, error) {
	o.inflight.Add(1)
	defer o.inflight.Add(-1)
	n, err := o.w.Write(p)
	o.last.Store(time.Now().UnixNano())
	return n, err
}

// quiet reports whether no write is under way and none ended within d.
func (o *WatchedOutput) quiet(d time.Duration) bool {
	return o.inflight.Load() == 0 && time.Since(time.Unix(0, o.last.Load())) >= d
}

// wroteSince reports whether a write ended after t.
func (o *WatchedOutput) wroteSince(t time.Time) bool {
	return o.last.Load() > t.UnixNano()
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
// also where the program makes and restarts its ticker; changed says
// whether the View differs from the one before it.
func (f *framePacer) viewed(changed bool) {
	t := programTicker(f.program)
	if t == nil {
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if t != f.ticker {
		// The first View. (A restarted renderer resets the same ticker.)
		f.ticker, f.slowed, f.stopped = t, false, false
	}
	f.lastView = time.Now()
	if changed {
		f.lastChange = f.lastView
	}
	if f.slowed {
		// The first frame after a pause is drawn at once, as if the
		// ticker had kept running and were due; then it ticks at the
		// frame rate again, until parkAfter from now (the parking timer
		// may have been set for the end of the slow ticks).
		f.ticker.Reset(leadTime)
		f.slowed, f.stopped = false, false
		time.AfterFunc(leadTime+leadTime/2, f.steady)
		if f.parking != nil {
			f.parking.Reset(parkAfter)
		}
	}
	if f.parking == nil {
		f.parking = time.AfterFunc(parkAfter, f.park)
	}
}

// steady sets a ticker restarted for one quick frame back to the frame
// rate.
func (f *framePacer) steady() {
	f.mu.Lock()
	defer f.mu.Unlock()
	if !f.slowed {
		f.ticker.Reset(f.interval)
	}
}

// park slows the ticker once no View has come for parkAfter, and stops
// it restAfter later; until then it looks again when the time will be up.
func (f *framePacer) park() {
	f.mu.Lock()
	defer f.mu.Unlock()
	idle := time.Since(f.lastView)
	switch {
	case idle < parkAfter:
		f.parking.Reset(parkAfter - idle)
	case f.out != nil && !f.out.quiet(2*f.interval):
		// A frame may still be on its way out: look again soon.
		f.parking.Reset(parkAfter)
	case f.out != nil && f.out.wroteSince(f.lastChange):
		// The frame of the last View that changed anything has been
		// written (Bubble Tea writes what it drew at the next tick, and
		// nothing was written for two ticks since). Without a write
		// after it, drawing it took longer than parkAfter (a large
		// screen on a busy server): the slow ticks below see to it.
		f.ticker.Stop()
		f.slowed, f.stopped = true, true
		f.parking = nil
	case !f.slowed:
		f.ticker.Reset(f.slow)
		f.slowed = true
		f.parking.Reset(f.rest)
	case idle < parkAfter+f.rest:
		f.parking.Reset(parkAfter + f.rest - idle)
	default:
		f.ticker.Stop()
		f.stopped = true
		f.parking = nil
	}
}
