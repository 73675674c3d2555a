// Package cellrt is what rewritten cell code calls at run time, in the
// worker process: the registry of the goroutines go statements start
// (with their cell, line and name), the labelling of what they print
// after their cell ended, the deadlock detector, the print and println
// builtins, recover and panic with Go's wording, and the slot through
// which a cell hands over its final value. Symbols is the table the worker
// gives the interpreter under source.RuntimePath.
//
// The state here is per process, on purpose: code in the interpreter
// reaches it through plain function values, and a worker process runs
// one session. It must never import the engine, the worker or the
// protocol (internal/wire); it imports the interpreter only to name its
// frames (see frames.go).
package cellrt

// Of returns the live goroutines of cells, oldest first; with cell > 0
// only those that cell started.
func Of(cell int) []*Goroutine { return reg.of(cell) }

// Forget drops a goroutine that is gone without unregistering (stopped by
// an interrupt or by the end of its program).
func Forget(g *Goroutine) { reg.forget(g) }

// CellStarted moves the goroutines of earlier cells to the background:
// what they print from now on is labelled.
func CellStarted(cell int) { reg.cellStarted(cell) }

// CellEnded moves every goroutine to the background.
func CellEnded() { reg.cellEnded() }

// Registered reports whether goroutine id was started by a go statement
// of a cell (it recovers and reports its own panics).
func Registered(id uint64) bool { return reg.registered(id) }

// AddFrame records an interpreted frame of goroutine id's panic.
func AddFrame(id uint64, f Frame) { reg.addFrame(id, f) }

// LastPanicAt returns where the latest explicit panic of the running cell
// was called, or the zero Pos.
func LastPanicAt() Pos {
	reg.mu.Lock()
	defer reg.mu.Unlock()
	return reg.lastAt
}
