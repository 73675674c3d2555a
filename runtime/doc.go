// Package lanes is the instrument of the Lanes lessons: run the same tasks
// one after the other, on an event loop, on threads under a global lock, or
// on a pool of parallel workers, and look at what happened, as a timing
// table and as a timeline of lanes over time.
//
// In a notebook cell:
//
//	import "lanes"
//
//	w := lanes.Identical(8, lanes.Compute(10*lanes.Unit)) // 8 tasks of 10 units
//	lanes.Pool(2).Simulate(w, lanes.Machine{})           // 2 workers: 40 units
//
// # Vocabulary
//
//   - Work: Work(d) computes for d (really: two Work calls sharing a core
//     take twice as long), Sleep(d) waits without a CPU, Fib(n) is the
//     classic slow recursion.
//   - Tasks and workloads: a Task is a named list of steps, Compute(d) or
//     Wait(d); a Workload is a list of tasks. Identical, LoadRender,
//     SerialParallel and Random build the shapes of the lessons.
//   - Strategies: Sequential, EventLoop, GIL, Threads and Pool(n), each
//     capped with Limit(k). Strategy.Run runs a workload for real on this
//     machine; Strategy.Simulate runs it in virtual time on any Machine.
//   - Runs: every run records spans (lane, task, kind, start, end) and
//     shows itself as a Timeline. Table, Compare and Speedup put runs side
//     by side; Amdahl gives the law to compare with.
//   - Your own code: Group runs func(*Task) on n workers, Recorder records
//     goroutines you start yourself, Trace shows what Go's scheduler did.
//
// # Design decisions
//
// Virtual time is integer nanoseconds and a unit is a millisecond (Unit),
// so one workload runs both ways: simulated, 10*Unit occupies a core for
// exactly ten units; for real, it is ten milliseconds of computation. The
// simulator is a discrete-event loop over integer times with a fixed order
// for simultaneous events (compute ends, then wait ends, then time slices;
// lower lane first), which makes every number exact and every picture
// repeatable, to the nanosecond.
//
// One mechanism models the event loop, the global lock and the cores: a
// resource with a capacity, a FIFO queue and an optional quantum. The event
// loop is capacity 1 with no quantum (a task keeps it until it waits), the
// GIL is capacity 1 with the switch interval as quantum (handed over at
// waits and when the interval ends while others wait), and cores are
// capacity Machine.Cores with Machine.Slice as quantum. Waiting for the
// GIL or a semaphore is recorded as blocked, waiting for a core or the loop
// as ready. The real executors mirror this with a FIFO hand-over lock.
//
// CPU work is a calibrated number of steps of a xorshift generator, not a
// clock-watching spin, so that contention shows: the calibration (nine
// ~1 ms trials, median) runs once per process and is the package's only
// cached global. The other global is SetLive, which like the display
// publisher is a property of the process hosting the cell.
//
// Recording stays on: a span costs a clock read and an append to a
// per-lane chunked buffer under an uncontended lock (see
// BenchmarkSpanRecord). Spans are closed before the event loop or lock is
// handed over, so recorded timelines never show two tasks computing under
// one lock.
//
// Views are deterministic: fixed float formatting, sorted data, no clock
// or random ids, so golden files work. Spans narrower than a pixel merge
// with their neighbours, and a chart is coarsened until it has at most 3000
// bars, which keeps every form of a 10^5-span timeline well under 1 MB.
//
// Colour means the kind of a span, from one table (a new kind is one
// line); a task is told by its label, by the gap between its bars and the
// next, and, in runs coloured by task, by a stripe of its own colour (an
// outline in Vega-Lite, a letter in the text form), never by a fill that a
// kind could also have. A timeline with more lanes than MaxLanes keeps its
// first and its last lanes and names the ones left out. The PNG forms are
// drawn with the Go fonts (golang.org/x/image/font/opentype) and
// anti-aliased shapes (golang.org/x/image/vector), since the standard
// library renders neither; the SVG and Vega-Lite forms are laid out with
// the same font metrics.
//
// The exported API is plain (concrete types and functions, no generics, no
// exported fields of function type) so that the interpreter running the
// cells can use all of it through generated symbol tables.
package lanes
