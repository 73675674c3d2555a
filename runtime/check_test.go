package lanes_test

import (
	"errors"
	"fmt"
	"math"
	"testing"
	"time"

	"github.com/lanes-dev/lanes/runtime"
)

// failure runs f and returns the message of the CheckError it panics with,
// or "" if it does not panic.
func failure(t *testing.T, f func()) (msg string) {
	t.Helper()
	defer func() {
		v := recover()
		if v == nil {
			return
		}
		var ce *lanes.CheckError
		err, ok := v.(error)
		if !ok || !errors.As(err, &ce) {
			t.Fatalf("panicked with %T %v, want a *lanes.CheckError", v, v)
		}
		msg = err.Error()
	}()
	f()
	return ""
}

func TestChecks(t *testing.T) {
	for _, c := range []struct {
		name string
		f    func()
		want string // "" when the check passes
	}{
		{"check ok", func() { lanes.Check(true, "never") }, ""},
		{"check fails", func() { lanes.Check(false, "%d tasks computed at once", 3) },
			"check failed: 3 tasks computed at once"},
		{"equal ints", func() { lanes.Equal(40, 40, "wall") }, ""},
		{"equal float and int", func() { lanes.Equal(40.0, 40, "wall") }, ""},
		{"equal int64 and float", func() { lanes.Equal(int64(8), 8.0, "tasks") }, ""},
		{"equal strings", func() { lanes.Equal("pool(4)", "pool(4)", "name") }, ""},
		{"equal slices", func() { lanes.Equal([]int{80, 40}, []int{80, 40}, "walls") }, ""},
		{"equal durations", func() { lanes.Equal(40*lanes.Unit, 40*time.Millisecond, "wall") }, ""},
		{"unequal numbers", func() { lanes.Equal(2.0, 4, "speedup with 4 workers") },
			"check failed: speedup with 4 workers: got 2, want 4"},
		{"unequal fraction", func() { lanes.Equal(8.0/3, 3, "speedup") },
			"check failed: speedup: got 2.66667, want 3"},
		{"unequal strings", func() { lanes.Equal("event loop", "pool(8)", "best strategy") },
			`check failed: best strategy: got "event loop", want "pool(8)"`},
		{"unequal durations", func() { lanes.Equal(80*lanes.Unit, 40*lanes.Unit, "wall") },
			"check failed: wall: got 80ms, want 40ms"},
		{"duration is not a number", func() { lanes.Equal(time.Duration(40), 40, "wall") },
			"check failed: wall: got 40ns, want 40"},
		{"unequal slices", func() { lanes.Equal([]int{80, 40}, []int{80, 10}, "walls") },
			"check failed: walls: got [80 40], want [80 10]"},
		{"nil want", func() { lanes.Equal(3, nil, "x") }, "check failed: x: got 3, want nil"},
		{"no name", func() { lanes.Equal(1, 2, "") }, "check failed: got 1, want 2"},
		{"near ok", func() { lanes.Near(3.98, 4, 0.05, "speedup") }, ""},
		{"near edge", func() { lanes.Near(4.5, 4, 0.5, "speedup") }, ""},
		{"near fails", func() { lanes.Near(3.5, 4, 0.1, "speedup with 4 workers") },
			"check failed: speedup with 4 workers: got 3.5, want 4 ± 0.1"},
		{"near NaN", func() { lanes.Near(math.NaN(), 4, 1, "speedup") },
			"check failed: speedup: got NaN, want 4 ± 1"},
		{"between ok", func() { lanes.Between(2.5, 1.5, 4, "speedup") }, ""},
		{"between edges", func() { lanes.Between(1.5, 1.5, 1.5, "speedup") }, ""},
		{"between low", func() { lanes.Between(0.9, 1.5, 4, "speedup on this machine") },
			"check failed: speedup on this machine: got 0.9, want between 1.5 and 4"},
		{"between high", func() { lanes.Between(5, 1.5, 4, "speedup") },
			"check failed: speedup: got 5, want between 1.5 and 4"},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := failure(t, c.f); got != c.want {
				t.Errorf("message %q, want %q", got, c.want)
			}
		})
	}
}

func TestCheckErrorFields(t *testing.T) {
	defer func() {
		ce, ok := recover().(*lanes.CheckError)
		if !ok {
			t.Fatal("Near did not panic with a *lanes.CheckError")
		}
		if ce.What != "wall" || ce.Got != 30.0 || ce.Want != 40.0 || ce.Detail != "± 1" {
			t.Errorf("fields %+v", *ce)
		}
	}()
	lanes.Near(30, 40, 1, "wall")
}

// A test cell checks an answer; when it is right, nothing happens.
func ExampleEqual() {
	w := lanes.Identical(8, lanes.Compute(10*lanes.Unit))
	r := lanes.Pool(2).Simulate(w, lanes.Machine{})
	lanes.Equal(lanes.InUnits(r.Wall), 40, "wall time with 2 workers")
	fmt.Println("passed")
	// Output:
	// passed
}

// When an answer is wrong, the check panics with a *CheckError; in a
// notebook that is the cell's error message.
func ExampleEqual_failure() {
	defer func() { fmt.Println(recover()) }()
	w := lanes.Identical(8, lanes.Compute(10*lanes.Unit))
	base := lanes.Pool(1).Simulate(w, lanes.Machine{})
	r := lanes.Pool(4).Simulate(w, lanes.Machine{Cores: 2})
	lanes.Equal(r.Speedup(base), 4, "speedup with 4 workers")
	// Output:
	// check failed: speedup with 4 workers: got 2, want 4
}

func ExampleNear() {
	defer func() { fmt.Println(recover()) }()
	lanes.Near(lanes.Amdahl(0.8, 1000), 5, 0.05, "speedup of an 80% parallel program on 1000 cores")
	fmt.Println("passed")
	lanes.Near(lanes.Amdahl(0.8, 4), 4, 0.5, "speedup of an 80% parallel program on 4 cores")
	// Output:
	// passed
	// check failed: speedup of an 80% parallel program on 4 cores: got 2.5, want 4 ± 0.5
}

// Real runs differ between machines: check a range, never an exact time.
func ExampleBetween() {
	defer func() { fmt.Println(recover()) }()
	w := lanes.Identical(4, lanes.Wait(10*lanes.Unit))
	seq := lanes.Sequential().Simulate(w, lanes.Machine{})
	loop := lanes.EventLoop().Simulate(w, lanes.Machine{})
	lanes.Between(loop.Speedup(seq), 1.5, 4.5, "speedup of the event loop on waits")
	fmt.Println("passed")
	lanes.Between(0.8, 1.5, 4.5, "speedup of the event loop on computation")
	// Output:
	// passed
	// check failed: speedup of the event loop on computation: got 0.8, want between 1.5 and 4.5
}

func ExampleCheck() {
	defer func() { fmt.Println(recover()) }()
	w := lanes.Identical(4, lanes.Compute(10*lanes.Unit))
	r := lanes.EventLoop().Simulate(w, lanes.Machine{Cores: 4})
	lanes.Check(r.PeakParallelism() == 1, "an event loop computes one task at a time")
	fmt.Println("passed")
	lanes.Check(r.PeakParallelism() == 4, "expected 4 tasks computing at once, saw %d", r.PeakParallelism())
	// Output:
	// passed
	// check failed: expected 4 tasks computing at once, saw 1
}
