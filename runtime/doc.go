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
//     by side; Amdahl gives the law to compare with. A real run is measured
//     from the Go scheduler's record (see Real runs below).
//   - Your own code: Group runs func(*Task) on n workers, Recorder records
//     goroutines you start yourself, Trace shows what Go's scheduler did.
//
// # Definitions
//
// For a run of wall time T on p processors (Run.Cores: the processors the
// strategy could use, such as min(workers, cores) for a pool, 1 for an
// event loop or a global lock) compared with a baseline of wall time T1
// (the first run of a table, normally sequential):
//
//   - speedup = T1 / T;
//   - efficiency = speedup ÷ p (Run.Efficiency). Above 100 % the speedup
//     came from overlapping waits, not from processors;
//   - utilisation = CPU / (T × P), P the machine's processors (Run.Procs:
//     GOMAXPROCS, or the simulated cores), the busy share of the machine
//     (Run.Utilisation);
//   - peak concurrency: most tasks in progress at once (started, not
//     finished, whatever they were doing); peak parallelism: most tasks
//     computing at the same instant.
//
// A measured speedup curve (MeasureSpeedup) has min(workers, cores) as its
// ideal and is compared with Amdahl's law only when its workload has a
// serial part; otherwise it is "limited by N cores".
//
// # Real runs
//
// A real run (Strategy.Run, Group, Recorder, MeasureSpeedup) is traced with
// runtime/trace and read with golang.org/x/exp/trace. Each task logs, into
// the trace, which goroutine runs it; its spans are that goroutine's states:
// running on a P is compute, runnable is ready, sleeping or in a system call
// is waiting, waiting on channels, locks or wait groups is blocked. The
// declaration refines the record: running counts as compute only inside a
// step the task declared as compute (running elsewhere is the bookkeeping
// of handing over), and a goroutine that is not running takes the kind the
// task declared (a semaphore is blocked, an event loop's queue is ready).
// So CPU is at most wall × GOMAXPROCS and peak parallelism at most
// GOMAXPROCS, by construction. What the tasks declared is kept as Run.Plan
// (Run.PlanRun draws it, and a timeline's header gives its compute time);
// P time spent on goroutines that are no task's (the garbage collector, the
// runtime) is Run.Other, drawn on a lane of its own (OtherLane) and not
// counted as CPU. Run.Stolen is the part of the Ps' running time the
// operating system gave to other programs, which Go cannot see; a table
// notes the runs on a busy machine. Tasks whose code ran in the
// interpreter are marked (Run.Interpreted) and the table says so.
//
// The process has one execution tracer. A run that finds it busy records
// into a flight recorder, which may run beside another trace; if that is
// busy too (three runs nested), the run keeps its declared spans and
// Run.Note says so. A Recorder gives its trace up to a later run once its
// tasks are all done. docs/real-runs.md says what a measurement cannot see.
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
// ~1 ms trials, median) runs once per process, before the clock of the
// first real run starts (never inside a timed run), and is cached. The
// owner of the process's execution tracer is package state too, and so is
// SetLive, which like the display publisher is a property of the process
// hosting the cell.
//
// Recording stays on: a span costs a clock read and an append to a
// per-lane chunked buffer under an uncontended lock (see
// BenchmarkSpanRecord), plus a trace log event while the run is traced
// (BenchmarkTracingOverhead, BenchmarkTracingCost). Spans are closed before the event loop or lock is
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
