package lanes

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"time"
)

// Kind says what a lane was doing during a span of time.
type Kind uint8

// The kinds of span, each drawn in its own colour.
const (
	// Computing: the task was running on a CPU.
	Computing Kind = iota
	// Waiting: the task was waiting for something outside the CPU (a
	// download, a disk, a timer) and needed no CPU.
	Waiting
	// Blocked: the task wanted to go on but was held back by a lock: the
	// global interpreter lock, a mutex, or a semaphore that caps concurrency.
	Blocked
	// Ready: the task could run but every core (or the event loop) was busy
	// with someone else, so it queued for its turn.
	Ready
	// Other: in a measured real run, a P ran something that is none of the
	// run's tasks: the garbage collector, the runtime, other goroutines.
	// It is drawn on a lane of its own and not counted as the tasks' CPU.
	Other
)

// numKinds is the number of kinds.
const numKinds = 5

var kindNames = [numKinds]string{"compute", "wait", "blocked", "ready", "other"}

// String returns "compute", "wait", "blocked", "ready" or "other".
func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return fmt.Sprintf("kind(%d)", k)
}

// Step is one piece of a task: some computation or some waiting.
type Step struct {
	Kind     Kind // Computing or Waiting
	Duration time.Duration
}

// Compute is a step that needs the CPU for d (on one idle core).
func Compute(d time.Duration) Step { return Step{Kind: Computing, Duration: d} }

// Wait is a step that waits for d without needing a CPU, like a download.
func Wait(d time.Duration) Step { return Step{Kind: Waiting, Duration: d} }

// String describes the step, as in "compute 10ms".
func (s Step) String() string { return s.Kind.String() + " " + s.Duration.String() }

// Task is a named sequence of steps. In a Workload it describes work to do;
// inside Pool.Go or Recorder.Task it is also a handle that records what the
// running code does (see the methods of *Task).
type Task struct {
	Name  string
	Steps []Step
	// Phase orders the tasks of a workload: no task of phase p+1 starts
	// before every task of phase p has finished. Most workloads have one
	// phase (0); see SerialParallel and Workload.Then.
	Phase int

	live *liveTask // set while the task is being recorded
}

// NewTask returns a task with the given name and steps.
func NewTask(name string, steps ...Step) Task {
	return Task{Name: name, Steps: append([]Step(nil), steps...)}
}

// Total returns the task's compute and wait time.
func (t Task) Total() (compute, wait time.Duration) {
	for _, s := range t.Steps {
		switch s.Kind {
		case Computing:
			compute += s.Duration
		case Waiting:
			wait += s.Duration
		}
	}
	return compute, wait
}

// Workload is a list of tasks to run.
type Workload []Task

// Identical returns n tasks T1..Tn, each made of the given steps.
func Identical(n int, steps ...Step) Workload {
	w := make(Workload, n)
	for i := range w {
		w[i] = NewTask(fmt.Sprintf("T%d", i+1), steps...)
	}
	return w
}

// LoadRender returns n tasks P1..Pn that each load (wait) and then render
// (compute): the pixels of the image-loading example.
func LoadRender(n int, load, render time.Duration) Workload {
	w := make(Workload, n)
	for i := range w {
		w[i] = NewTask(fmt.Sprintf("P%d", i+1), Wait(load), Compute(render))
	}
	return w
}

// SerialParallel returns a program with a serial part and a parallel part:
// one task "serial" that computes for serial, then (in the next phase)
// pieces tasks that share parallel equally. It is the shape Amdahl's law is
// about.
func SerialParallel(serial, parallel time.Duration, pieces int) Workload {
	w := Workload{NewTask("serial", Compute(serial))}
	if pieces < 1 {
		pieces = 1
	}
	part := parallel / time.Duration(pieces)
	for i := 0; i < pieces; i++ {
		t := NewTask(fmt.Sprintf("part%d", i+1), Compute(part))
		t.Phase = 1
		w = append(w, t)
	}
	return w
}

// Then returns w followed by next: every task of next starts only after all
// of w has finished.
func (w Workload) Then(next Workload) Workload {
	last := 0
	for _, t := range w {
		last = max(last, t.Phase)
	}
	out := w.clone()
	for _, t := range next.clone() {
		t.Phase += last + 1
		out = append(out, t)
	}
	return out
}

// Jitter returns a copy of w with every step's duration scaled by a random
// factor between 1-frac and 1+frac. The same seed gives the same workload.
func (w Workload) Jitter(frac float64, seed uint64) Workload {
	r := rand.New(rand.NewPCG(seed, 0x6c616e6573))
	out := w.clone()
	for i := range out {
		for j := range out[i].Steps {
			f := 1 + frac*(2*r.Float64()-1)
			if f < 0 {
				f = 0
			}
			d := &out[i].Steps[j].Duration
			*d = time.Duration(float64(*d) * f)
		}
	}
	return out
}

// Random returns n tasks T1..Tn, each one wait then one compute step, with
// durations drawn uniformly from [0, maxWait] and [0, maxCompute]. The same
// seed gives the same workload.
func Random(n int, maxWait, maxCompute time.Duration, seed uint64) Workload {
	r := rand.New(rand.NewPCG(seed, 0x6c616e6573))
	w := make(Workload, n)
	for i := range w {
		wt := time.Duration(r.Int64N(int64(maxWait) + 1))
		ct := time.Duration(r.Int64N(int64(maxCompute) + 1))
		w[i] = NewTask(fmt.Sprintf("T%d", i+1), Wait(wt), Compute(ct))
	}
	return w
}

// Total returns the compute and wait time of the whole workload: what a
// sequential run would take is their sum.
func (w Workload) Total() (compute, wait time.Duration) {
	for _, t := range w {
		c, wt := t.Total()
		compute += c
		wait += wt
	}
	return compute, wait
}

func (w Workload) clone() Workload {
	out := make(Workload, len(w))
	for i, t := range w {
		out[i] = Task{Name: t.Name, Steps: append([]Step(nil), t.Steps...), Phase: t.Phase}
	}
	return out
}

// phases returns the task indexes of w grouped by phase, in phase order.
func (w Workload) phases() [][]int {
	byPhase := map[int][]int{}
	var keys []int
	for i, t := range w {
		if _, ok := byPhase[t.Phase]; !ok {
			keys = append(keys, t.Phase)
		}
		byPhase[t.Phase] = append(byPhase[t.Phase], i)
	}
	slices.Sort(keys)
	out := make([][]int, len(keys))
	for i, k := range keys {
		out[i] = byPhase[k]
	}
	return out
}
