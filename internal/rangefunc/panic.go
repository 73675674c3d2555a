package rangefunc

// State is the state of one range-over-func loop, kept in a variable the
// rewrite declares beside the loop. The values are the compiler's own
// (internal/abi.RF_State), so that a reader of both sees the same thing.
type State int

// The states of a loop. A yield func may only be entered in Ready; while
// its body runs the loop is in Panic (so a body that panics leaves it
// there), and it returns to Ready when the body finishes an iteration.
const (
	Done         State = iota // the body returned false: break, return, goto out
	Ready                     // the iterator may call the yield func
	Panic                     // the body is running, or panicked
	Exhausted                 // the iterator returned: the loop is over
	MissingPanic              // the iterator recovered a panic of the body and returned
)

// Error is the panic value of a range-over-func loop whose iterator broke
// the protocol: it called the yield func again after the loop had ended,
// or swallowed a panic of the loop body. It is a runtime.Error, and its
// text is the Go runtime's own, so a cell panics as the compiled program
// would.
type Error State

// Error returns the Go runtime's text for the misuse.
func (e Error) Error() string {
	switch State(e) {
	case Done:
		return "runtime error: range function continued iteration after function for loop body returned false"
	case Panic:
		return "runtime error: range function continued iteration after loop body panic"
	case Exhausted:
		return "runtime error: range function continued iteration after whole loop exit"
	case MissingPanic:
		return "runtime error: range function recovered a loop body panic and did not resume panicking"
	}
	return "runtime error: range function in an impossible state"
}

// RuntimeError marks Error as a runtime.Error.
func (Error) RuntimeError() {}

// Check panics with Error(state). Rewritten code calls it when the yield
// func is entered in a state other than Ready, and when the iterator
// returns while the body is panicking (with MissingPanic). The state is an
// int because rewritten code keeps it in an int variable.
func Check(state int) {
	panic(Error(state))
}
