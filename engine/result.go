package engine

import (
	"slices"
	"strings"

	"github.com/lanes-dev/lanes/display"
	"github.com/lanes-dev/lanes/internal/source"
	"github.com/lanes-dev/lanes/internal/wire"
)

// Result is the outcome of Execute.
type Result struct {
	// Value is the rendered value of the cell's final expression, or nil.
	Value *display.Bundle
	// Err is non-nil when the cell failed.
	Err *Error
	// Restart is set when a fresh worker was started for this cell.
	Restart *Restart
	// LatePanics counts goroutines of earlier cells that panicked after
	// their cell had ended (no cell was running); their reports were
	// written to this cell's stderr first. A script runner treats them as
	// failures: the compiled program would have crashed.
	LatePanics int
}

// Traceback returns the report of a failed cell in plain text lines, as
// Jupyter front ends show it: the error's own traceback, then what a
// restart did. It is nil when the cell succeeded.
func (r Result) Traceback() []string {
	if r.Err == nil {
		return nil
	}
	tb := r.Err.Traceback
	if len(tb) == 0 {
		tb = []string{r.Err.Name + ": " + r.Err.Message}
	}
	if r.Restart != nil {
		tb = append(slices.Clip(tb), r.Restart.Lines()...)
	}
	return tb
}

// Error is a failed cell: Jupyter's name, message and traceback, and the
// same facts as typed fields (kind, position, frames). The traceback is
// the worker's report; what a restart did is in Result.Restart.
type Error = wire.Error

// Frame is one interpreted frame of a panic.
type Frame = wire.Frame

// ErrorKind classifies an Error.
type ErrorKind = wire.ErrorKind

// The kinds of Error.
const (
	KindCompile     = wire.KindCompile
	KindPanic       = wire.KindPanic
	KindFatal       = wire.KindFatal
	KindExit        = wire.KindExit
	KindInterrupted = wire.KindInterrupted
	KindMagic       = wire.KindMagic
	KindWorker      = wire.KindWorker
)

// RestartReason says why a fresh worker was started.
type RestartReason string

// The reasons for a restart.
const (
	// RestartCrash: the worker died during the cell (a crash, os.Exit).
	RestartCrash RestartReason = "crash"
	// RestartInterrupt: an interrupted cell did not stop.
	RestartInterrupt RestartReason = "interrupt"
	// RestartStuck: a deadlock or a goroutine's panic ended the cell, but
	// its goroutines were blocked in locks or wait groups.
	RestartStuck RestartReason = "stuck goroutines"
	// RestartDied: the worker had ended since the previous cell (a
	// goroutine of compiled code panicked); a fresh one ran this cell.
	RestartDied RestartReason = "died between cells"
	// RestartStop: the cell asked for it with %goroutines stop.
	RestartStop RestartReason = "%goroutines stop"
	// RestartReset: the cell asked for it with %reset (nothing replayed).
	RestartReset RestartReason = "%reset"
)

// Requested reports whether the cell asked for the restart with a magic.
func (r RestartReason) Requested() bool { return r == RestartStop || r == RestartReset }

// Restart is what happened when a fresh worker replaced the old one.
type Restart struct {
	Reason RestartReason
	// Replayed is set when the definitions of earlier cells were
	// evaluated again in the fresh worker.
	Replayed bool
	// LostVars are the variables that lost their values and are no
	// longer defined.
	LostVars []string
	// LostDecls are the definitions that could not be replayed, each as
	// "names (cell N): error".
	LostDecls []string
	// Failed is why starting a fresh worker failed, or "".
	Failed string
}

// Lines renders the restart in the sentences that end a failed cell's
// traceback in plain text front ends.
func (r *Restart) Lines() []string {
	if r.Failed != "" {
		return []string{"Starting a fresh worker failed: " + r.Failed}
	}
	var lines []string
	if r.Replayed {
		lines = append(lines, "A fresh worker was started and the definitions of earlier cells were replayed.")
	}
	if len(r.LostVars) > 0 {
		lines = append(lines, "These variables lost their values and are no longer defined: "+strings.Join(r.LostVars, ", ")+".")
	}
	if len(r.LostDecls) > 0 {
		lines = append(lines, "These definitions could not be replayed:")
		for _, l := range r.LostDecls {
			lines = append(lines, "  "+l)
		}
	}
	return lines
}

// BlankMagics returns the Go code of a cell: src with the %-lines at its
// top blanked, so that line numbers are unchanged. Unlike running the
// cell, it does not check the magics.
func BlankMagics(src string) string { return source.BlankMagics(src) }
