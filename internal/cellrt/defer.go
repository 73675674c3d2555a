package cellrt

import "sync"

// The deferred calls of the running cell. A defer statement at a cell's
// top level (outside any function) is rewritten into a call of
// deferCall: in Go it would run when main returns, and a cell is the
// nearest thing to main, so the calls run when the cell ends, last in,
// first out (docs/decisions.md). The interpreter on its own runs such a
// call at once and again at every later evaluation.
var deferred struct {
	mu    sync.Mutex
	calls []func()
}

// deferCall records f to run when the cell ends.
func deferCall(f func()) {
	deferred.mu.Lock()
	defer deferred.mu.Unlock()
	deferred.calls = append(deferred.calls, f)
}

// RunDeferred runs the deferred calls of the cell that is ending, the
// latest first, and forgets them. As in Go, a panicking call does not
// stop the others; the first panic is returned (panicked reports one).
func RunDeferred() (value any, panicked bool) {
	deferred.mu.Lock()
	calls := deferred.calls
	deferred.calls = nil
	deferred.mu.Unlock()
	for i := len(calls) - 1; i >= 0; i-- {
		if v, ok := runOne(calls[i]); ok && !panicked {
			value, panicked = v, true
		}
	}
	return value, panicked
}

// HasDeferred reports whether the running cell deferred a call.
func HasDeferred() bool {
	deferred.mu.Lock()
	defer deferred.mu.Unlock()
	return len(deferred.calls) > 0
}

// runDeferred is RunDeferred for the interpreter: the worker evaluates
// _lanesrt.RunDeferred() at the end of a cell, so that the calls run as
// the cell's code (the deadlock detector and an interrupt see them), and
// the first panic is panicked again, as the cell's.
func runDeferred() {
	if v, ok := RunDeferred(); ok {
		panic(v)
	}
}

// DropDeferred forgets the deferred calls of a cell that was stopped:
// they do not run.
func DropDeferred() {
	deferred.mu.Lock()
	defer deferred.mu.Unlock()
	deferred.calls = nil
}

func runOne(f func()) (value any, panicked bool) {
	defer func() {
		if r := recover(); r != nil {
			value, panicked = r, true
		}
	}()
	f()
	return nil, false
}
