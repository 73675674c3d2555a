package lanes

import (
	"fmt"
	"slices"
	"time"
)

// Span is a stretch of time during which one lane did one kind of thing for
// one task. Lane and Task index Run.Lanes and Run.Tasks.
type Span struct {
	Lane, Task int
	Kind       Kind
	Start, End time.Duration // since the start of the run
}

// Duration is End - Start.
func (s Span) Duration() time.Duration { return s.End - s.Start }

// Run is what an executor, the simulator or a recorder saw: every span of
// every lane, and the totals the tables are made of. A lane is whatever ran
// tasks one after the other: a worker of a pool, a thread, a coroutine.
type Run struct {
	// Name says how the tasks ran, such as "pool(4)" or "event loop".
	Name string
	// Virtual is true for simulated runs: times are then in units of
	// virtual time (see Unit), exact and the same on every machine.
	Virtual bool
	Lanes   []string
	Tasks   []string
	Spans   []Span
	// Wall is the time from the start of the run to the end of its last task.
	Wall time.Duration
	// Cores is p, the processors the strategy could use: how many tasks
	// could compute at the same instant. For a pool it is the workers, at
	// most the (simulated or real) cores; 1 for sequential runs, an event
	// loop or a global lock. Efficiency is measured against it.
	Cores int
	// Procs is the processors of the machine: GOMAXPROCS during a real
	// run, the simulated cores (or one per lane) of a simulation.
	// Utilisation is measured against it.
	Procs int
	// Measured is true for a real run whose spans come from the Go
	// scheduler's record (the execution trace): compute is time a task's
	// goroutine was running on a P, ready is time it was runnable, blocked
	// and wait the time it waited for other goroutines or for the outside
	// world. Other work that took a P is on the lane OtherLane, kind Other.
	Measured bool
	// Other is, for a measured run, when Ps ran goroutines that are none
	// of its tasks (kind Other; Lane and Task are 0): the garbage
	// collector, the runtime, other code. Several Ps at once show as one
	// span. The timeline draws it on a lane of its own, OtherLane; it is
	// not part of CPU.
	Other []Span
	// Plan is, for a measured run, what the tasks declared (their Compute,
	// Wait and Begin calls): compare it with Spans with PlanRun.
	Plan []Span
	// Interpreted is true when the tasks' code was (at least partly)
	// interpreted cell code, which computes far more slowly than compiled
	// code and allocates: its times say more about the interpreter than
	// about the strategy.
	Interpreted bool
	// GCCycles counts the garbage collections that ran during a measured
	// run.
	GCCycles int
	// Stolen is, for a measured run, how much of the time Go's Ps were
	// running goroutines the operating system did not give the process a
	// CPU: other programs had the cores. Go cannot see it; it counts as
	// running (so as compute), and makes the run slower than the machine
	// is. 0 when the machine was the process's, or where the system cannot
	// tell.
	Stolen time.Duration
	// Note says what a reader should know about how the run was measured,
	// such as why a real run could not be measured ("" if nothing).
	Note string
	// PeakConcurrency is the largest number of tasks in progress at once
	// (started and not yet finished, whether computing, waiting or queued).
	PeakConcurrency int
	// ColorByTask marks every task with a colour of its own (a stripe on
	// its bars, a letter in the text form), on top of the kinds' colours:
	// the way to see which task a core or a P ran when.
	ColorByTask bool
}

// CPU returns the total compute time of the run: the sum of its compute
// spans. For a measured run it is the time the tasks' goroutines were
// really running on a P, at most Wall × Procs.
func (r *Run) CPU() time.Duration { return r.total(Computing) }

// Time returns the total time the run's lanes spent in spans of kind k.
func (r *Run) Time(k Kind) time.Duration { return r.total(k) }

func (r *Run) total(k Kind) time.Duration {
	var t time.Duration
	for _, s := range r.Spans {
		if s.Kind == k {
			t += s.Duration()
		}
	}
	return t
}

// PeakParallelism returns the largest number of lanes computing at the same
// instant: real parallelism, as opposed to concurrency.
func (r *Run) PeakParallelism() int {
	type edge struct {
		t time.Duration
		d int
	}
	var es []edge
	for _, s := range r.Spans {
		if s.Kind == Computing && s.End > s.Start {
			es = append(es, edge{s.Start, 1}, edge{s.End, -1})
		}
	}
	slices.SortFunc(es, func(a, b edge) int {
		if a.t != b.t {
			return compareDur(a.t, b.t)
		}
		return a.d - b.d // ends before starts at the same instant
	})
	n, peak := 0, 0
	for _, e := range es {
		n += e.d
		peak = max(peak, n)
	}
	return peak
}

// Efficiency is the speedup over base divided by the processors the run
// could use: Speedup(base) / Cores. A pool of 4 that is 4 times faster
// than sequential on 4 cores is 100 % efficient; on 2 cores it can only use
// 2 processors, so 2 times faster is 100 % there.
func (r *Run) Efficiency(base *Run) float64 {
	if r.Cores <= 0 {
		return 0
	}
	return r.Speedup(base) / float64(r.Cores)
}

// Utilisation is the busy share of the machine's processors: CPU /
// (Wall × Procs), between 0 and 1.
func (r *Run) Utilisation() float64 {
	p := r.Procs
	if p <= 0 {
		p = r.Cores
	}
	if r.Wall <= 0 || p <= 0 {
		return 0
	}
	return float64(r.CPU()) / (float64(r.Wall) * float64(p))
}

// unmeasured reports whether r is a real run that could not be measured:
// its spans are only what the tasks declared.
func (r *Run) unmeasured() bool { return !r.Virtual && !r.Measured && r.Note != "" }

// busy reports whether other programs took a noticeable share (a tenth) of
// the time the run's goroutines were running.
func (r *Run) busy() bool {
	return r.Stolen > 0 && r.Stolen*10 > r.CPU()+r.otherTime()
}

// otherTime is the total of the run's Other spans.
func (r *Run) otherTime() time.Duration {
	var t time.Duration
	for _, s := range r.Other {
		t += s.Duration()
	}
	return t
}

// PlanRun returns what the tasks of a measured run declared, as a run of its
// own ("name (declared)") to stack above the measurement:
// lanes.Timelines(r.PlanRun(), r). For other runs it returns r.
func (r *Run) PlanRun() *Run {
	if !r.Measured {
		return r
	}
	return &Run{Name: r.Name + " (declared)", Lanes: r.Lanes, Tasks: r.Tasks,
		Spans: r.Plan, Wall: r.Wall, Cores: r.Cores, Procs: r.Procs, PeakConcurrency: r.PeakConcurrency,
		Interpreted: r.Interpreted}
}

// Speedup returns how many times faster r was than base: base.Wall / r.Wall.
func (r *Run) Speedup(base *Run) float64 {
	if base == nil || r.Wall <= 0 {
		return 0
	}
	return float64(base.Wall) / float64(r.Wall)
}

// String summarises the run in one line.
func (r *Run) String() string {
	return fmt.Sprintf("%s: %d tasks on %d lanes, wall %s, CPU %s", r.Name, len(r.Tasks), len(r.Lanes),
		formatDur(r.Wall, r.Virtual), formatDur(r.CPU(), r.Virtual))
}

// TaskSpans returns the spans of the named task, in time order.
func (r *Run) TaskSpans(task string) []Span {
	var out []Span
	for _, s := range r.Spans {
		if r.Tasks[s.Task] == task {
			out = append(out, s)
		}
	}
	sortSpans(out)
	return out
}

// LaneSpans returns the spans of the named lane, in time order.
func (r *Run) LaneSpans(lane string) []Span {
	var out []Span
	for _, s := range r.Spans {
		if r.Lanes[s.Lane] == lane {
			out = append(out, s)
		}
	}
	sortSpans(out)
	return out
}

func sortSpans(ss []Span) {
	slices.SortStableFunc(ss, func(a, b Span) int {
		if a.Start != b.Start {
			return compareDur(a.Start, b.Start)
		}
		if a.Lane != b.Lane {
			return a.Lane - b.Lane
		}
		return compareDur(a.End, b.End)
	})
}

func compareDur(a, b time.Duration) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// peakConcurrency computes the largest number of tasks in progress at once
// from the spans alone: a task is in progress from its first span to its
// last.
func peakConcurrency(spans []Span, ntasks int) int {
	first := make([]time.Duration, ntasks)
	last := make([]time.Duration, ntasks)
	seen := make([]bool, ntasks)
	for _, s := range spans {
		if !seen[s.Task] {
			seen[s.Task], first[s.Task], last[s.Task] = true, s.Start, s.End
			continue
		}
		first[s.Task] = min(first[s.Task], s.Start)
		last[s.Task] = max(last[s.Task], s.End)
	}
	var starts, ends []time.Duration
	for i := range seen {
		if seen[i] {
			starts = append(starts, first[i])
			ends = append(ends, last[i])
		}
	}
	slices.Sort(starts)
	slices.Sort(ends)
	n, peak, j := 0, 0, 0
	for _, st := range starts {
		for j < len(ends) && ends[j] <= st {
			n--
			j++
		}
		n++
		peak = max(peak, n)
	}
	return peak
}
