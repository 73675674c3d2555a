package lanes

import (
	"sync"
	"sync/atomic"
	"time"

	"github.com/lanes-dev/lanes/display"
)

// liveOn says whether real runs publish a growing timeline while they run.
// It is process-wide, like the display's publisher: the notebook worker
// turns it on once.
var liveOn atomic.Bool

// liveAfter is how long a run goes before its timeline is shown live, and
// liveEvery how often it is redrawn.
const (
	liveAfter = 500 * time.Millisecond
	liveEvery = 250 * time.Millisecond
)

// SetLive turns live timelines on or off. When on, a real run (Strategy.Run
// or a Group) that lasts more than half a second shows its timeline growing
// through display.Update while it runs, and the final picture replaces it at
// the end. It is off by default so that compiled programs and tests print
// nothing they did not ask for; the notebook worker turns it on.
func SetLive(on bool) { liveOn.Store(on) }

// startLive starts the live display of rec and returns the function that
// ends it with the final run.
func startLive(rec *Recorder, name string) func(*Run) {
	if !liveOn.Load() {
		return func(*Run) {}
	}
	done := make(chan struct{})
	var (
		mu       sync.Mutex
		id       string
		finished bool
	)
	go func() {
		timer := time.NewTimer(liveAfter)
		defer timer.Stop()
		for {
			select {
			case <-done:
				return
			case <-timer.C:
			}
			tl := rec.snapshot(name, 0).Timeline()
			mu.Lock()
			if finished {
				mu.Unlock()
				return
			}
			if id == "" {
				id = display.NewID()
				display.ShowID(id, tl)
			} else {
				display.Update(id, tl)
			}
			mu.Unlock()
			timer.Reset(liveEvery)
		}
	}()
	return func(final *Run) {
		close(done)
		mu.Lock()
		defer mu.Unlock()
		finished = true
		if id != "" {
			display.Update(id, final.Timeline())
		}
	}
}
