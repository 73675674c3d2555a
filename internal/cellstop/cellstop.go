// Package cellstop tells compiled code that the cell running it has been
// stopped: interrupted, or ended early by a goroutine's panic or a
// deadlock.
//
// The interpreter stops a cell's interpreted code at its next statement,
// but it cannot reach into a compiled function: a time.Sleep of an hour,
// or a runtime executor working through fifty tasks, would keep the cell
// alive until it returned, and past a second the engine gives up on the
// worker and restarts it, losing the session's variables. Compiled code
// that may run long (sleeps, the runtime's Work and Sleep) watches Done
// and returns early instead; the interpreter then stops its caller.
//
// The state is process-wide on purpose: a worker process runs one cell at
// a time, and the code that must see the stop (time.Sleep as the cell
// calls it, package lanes) is reached from the cell without a context to
// carry it.
package cellstop

import (
	"sync"
	"sync/atomic"
	"time"
)

var current atomic.Pointer[chan struct{}]

// Begin marks the start of a cell and returns the function that stops
// it, which closes the channel Done returned during the cell. Calling
// stop more than once is fine.
func Begin() (stop func()) {
	ch := make(chan struct{})
	current.Store(&ch)
	var once sync.Once
	return func() { once.Do(func() { close(ch) }) }
}

// Done returns a channel that is closed when the cell running now is
// stopped; outside any cell, a channel that is never closed.
func Done() <-chan struct{} {
	if p := current.Load(); p != nil {
		return *p
	}
	return nil
}

// Stopped reports whether done, a channel from Done, is closed.
func Stopped(done <-chan struct{}) bool {
	select {
	case <-done:
		return true
	default:
		return false
	}
}

// Sleep pauses for d, as time.Sleep does, but returns early when the cell
// running now is stopped. It is the cells' time.Sleep and the runtime's.
func Sleep(d time.Duration) {
	done := Done()
	if d <= 0 || done == nil {
		time.Sleep(d)
		return
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
	case <-done:
	}
}
