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
	// Cores is how many tasks could compute at the same instant: the
	// workers of a pool (or the simulated cores), 1 for an event loop or a
	// global lock. Efficiency is measured against it.
	Cores int
	// PeakConcurrency is the largest number of tasks in progress at once
	// (started and not yet finished, whether computing, waiting or queued).
	PeakConcurrency int
	// ColorByTask marks every task with a colour of its own (a stripe on
	// its bars, a letter in the text form), on top of the kinds' colours:
	// the way to see which task a core or a P ran when.
	ColorByTask bool
}

// CPU returns the total compute time of the run: the sum of its compute
// spans.
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

// Efficiency is the share of the available cores' time spent computing:
// CPU / (Wall × Cores), between 0 and 1.
func (r *Run) Efficiency() float64 {
	if r.Wall <= 0 || r.Cores <= 0 {
		return 0
	}
	return float64(r.CPU()) / (float64(r.Wall) * float64(r.Cores))
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
