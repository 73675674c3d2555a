package lanes

import (
	"fmt"
	"math"
	"reflect"
	"strconv"
	"time"
)

// CheckError is the failure of a check: Check, Equal, Near or Between
// panics with one. In a notebook the panic ends the cell with an error
// whose message is the failure, such as
//
//	check failed: speedup with 4 workers: got 2, want 4
//
// so a test cell that fails says what it expected and what it found.
type CheckError struct {
	// What names the value that was checked ("speedup with 4 workers"),
	// or holds the whole message of a failed Check.
	What string
	// Got and Want are the value found and the value expected; both are
	// nil for a failed Check.
	Got, Want any
	// Detail says how Got should relate to Want, such as "± 0.5" for Near
	// or "between 1.5 and 4" for Between; empty for Equal.
	Detail string
}

// Error reads "check failed: WHAT: got X, want Y".
func (e *CheckError) Error() string {
	if e.Got == nil && e.Want == nil && e.Detail == "" {
		return "check failed: " + e.What
	}
	s := "check failed: "
	if e.What != "" {
		s += e.What + ": "
	}
	s += "got " + showValue(e.Got) + ", want "
	switch {
	case e.Want == nil && e.Detail != "":
		s += e.Detail
	case e.Detail != "":
		s += showValue(e.Want) + " " + e.Detail
	default:
		s += showValue(e.Want)
	}
	return s
}

// Check fails with the message made of format and args (as in
// fmt.Sprintf) unless ok is true:
//
//	lanes.Check(r.PeakParallelism() == 1, "the event loop computed %d tasks at once", r.PeakParallelism())
//
// Use it for any condition; prefer Equal, Near or Between when there is a
// value to show.
func Check(ok bool, format string, args ...any) {
	if !ok {
		panic(&CheckError{What: fmt.Sprintf(format, args...)})
	}
}

// Equal fails unless got equals want; what names the value in the message.
// Numbers compare by value whatever their types, so an answer computed as
// a float64 equals a whole number written plainly:
//
//	lanes.Equal(lanes.InUnits(r.Wall), 40, "wall time in units")
//
// Other values compare as reflect.DeepEqual does (slices element by
// element, durations exactly).
func Equal(got, want any, what string) {
	if !equalValues(got, want) {
		panic(&CheckError{What: what, Got: got, Want: want})
	}
}

// Near fails unless got is within tol of want: the check for numbers that
// need not be exact, such as a speedup of 3.98 where 4 is expected.
//
//	lanes.Near(r.Speedup(base), 4, 0.05, "speedup with 4 workers")
func Near(got, want, tol float64, what string) {
	if math.IsNaN(got) || math.Abs(got-want) > tol {
		panic(&CheckError{What: what, Got: got, Want: want, Detail: "± " + showValue(tol)})
	}
}

// Between fails unless lo <= got <= hi. It suits real runs, whose numbers
// vary from machine to machine and from run to run: ask for a range that
// holds on any computer, never for an exact time.
//
//	lanes.Between(real.Speedup(seq), 1.5, 64, "speedup of the pool on this machine")
func Between(got, lo, hi float64, what string) {
	if math.IsNaN(got) || got < lo || got > hi {
		panic(&CheckError{What: what, Got: got, Detail: "between " + showValue(lo) + " and " + showValue(hi)})
	}
}

// equalValues compares numbers by value and everything else deeply.
func equalValues(got, want any) bool {
	if g, ok := number(got); ok {
		if w, ok := number(want); ok {
			return g == w
		}
	}
	return reflect.DeepEqual(got, want)
}

// number returns v as a float64 if it is a number of a basic kind (but
// not a duration, which compares as a duration).
func number(v any) (float64, bool) {
	if _, ok := v.(time.Duration); ok {
		return 0, false
	}
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return float64(rv.Int()), true
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return float64(rv.Uint()), true
	case reflect.Float32, reflect.Float64:
		return rv.Float(), true
	}
	return 0, false
}

// showValue formats a value for a failure message: floats with up to six
// significant digits, strings quoted, the rest as %v.
func showValue(v any) string {
	switch x := v.(type) {
	case nil:
		return "nil"
	case float64:
		return strconv.FormatFloat(x, 'g', 6, 64)
	case float32:
		return strconv.FormatFloat(float64(x), 'g', 6, 32)
	case string:
		return strconv.Quote(x)
	case error:
		return x.Error()
	}
	return fmt.Sprintf("%v", v)
}
