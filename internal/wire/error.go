package wire

import "fmt"

// ErrorKind classifies a failed cell, for front ends that show kinds
// differently; Name stays what Jupyter shows as ename.
type ErrorKind string

// The kinds of Error.
const (
	// KindCompile: the cell did not compile, or the interpreter could not
	// compile it.
	KindCompile ErrorKind = "compile"
	// KindPanic: a panic of the cell or of one of its goroutines, or one
	// that crashed the worker.
	KindPanic ErrorKind = "panic"
	// KindFatal: one of Go's fatal errors (a deadlock, concurrent map
	// writes, a stack overflow).
	KindFatal ErrorKind = "fatal"
	// KindExit: the cell called os.Exit.
	KindExit ErrorKind = "exit"
	// KindInterrupted: the cell was interrupted.
	KindInterrupted ErrorKind = "interrupted"
	// KindMagic: a magic line was wrong.
	KindMagic ErrorKind = "magic"
	// KindWorker: the worker ended for no reason Go gave, or could not be
	// started; or the engine was closed.
	KindWorker ErrorKind = "worker"
)

// Frame is one interpreted frame of a panic: the function as the
// interpreter printed it ("main.work(...)") and where it was.
type Frame struct {
	Func string `json:"func"`
	Cell int    `json:"cell"`
	Line int    `json:"line"`
}

// String renders the frame as Go prints one, with the cell and line for
// the file and line: "main.work(...)\n\tcell 2, line 5".
func (f Frame) String() string {
	return fmt.Sprintf("%s\n\tcell %d, line %d", f.Func, f.Cell, f.Line)
}

// Error is a failed cell.
type Error struct {
	// Name and Message are Jupyter's ename and evalue ("panic", "boom").
	Name    string `json:"name"`
	Message string `json:"message"`
	// Traceback is the report in plain text lines, as Jupyter shows it.
	Traceback []string `json:"traceback,omitempty"`

	// Kind classifies the error.
	Kind ErrorKind `json:"kind,omitempty"`
	// Cell and Line place the error in a cell: the position of a compile
	// error, the innermost frame of a panic, the first goroutine of a
	// deadlock. Zero when unknown.
	Cell int `json:"cell,omitempty"`
	Line int `json:"line,omitempty"`
	// Frames are the interpreted frames of a panic, innermost first.
	Frames []Frame `json:"frames,omitempty"`
}

// Error returns the name and the message.
func (e *Error) Error() string { return e.Name + ": " + e.Message }
