package lanes

import (
	"sync"
	"sync/atomic"
	"time"
)

// Recorder collects the spans of running code in real time. Executors and
// pools use one internally; use one yourself to record your own goroutines:
//
//	rec := lanes.NewRecorder()
//	var wg sync.WaitGroup
//	for i := 1; i <= 3; i++ {
//		t := rec.Task(fmt.Sprint("g", i))
//		wg.Add(1)
//		go func() {
//			defer wg.Done()
//			defer t.Done()
//			t.Wait(50 * time.Millisecond) // declared as waiting
//			lanes.Fib(27)                 // untracked time is declared computing
//		}()
//	}
//	wg.Wait()
//	rec.Run().Timeline()
//
// What a task declares is its plan; Run measures what its goroutine really
// did from the execution trace (see Run and the package doc). Recording
// costs a clock read, an append and a trace event per span (see
// BenchmarkSpanRecord), so it stays on.
type Recorder struct {
	start time.Time
	name  string
	id    uint64
	tr    *tracing
	cpu0  time.Duration // the process's CPU time at the start
	cpuOK bool
	// yields says that the recorder gives the execution tracer up to a
	// later run once all its tasks are done (see Recorder.idle).
	yields bool

	// interpreted is set when a task's code was found to be interpreted.
	interpreted atomic.Bool

	mu        sync.Mutex
	lanes     []*laneRec
	laneNames []string
	tasks     []string
	taskLane  []int
	final     *Run // the measured run, once every task is done

	runMu sync.Mutex // serialises Run, which may end the trace

	inflight, peak atomic.Int64
}

// laneRec holds the spans of one lane. A lane runs one task at a time, so it
// has at most one open span; its mutex is only contended by snapshots.
type laneRec struct {
	idx   int
	mu    sync.Mutex
	spans [][]Span // chunks of spanChunk spans: appending never copies old spans
	open  bool
	cur   Span // the open span (End unset)
}

// NewRecorder starts a recorder; its clock starts now, and so does the
// execution trace that its Run is measured from (see Run).
func NewRecorder() *Recorder {
	r := newRecorder("recorded")
	r.interpreted.Store(calledFromInterpreter())
	r.yields = true
	r.measure()
	return r
}

func newRecorder(name string) *Recorder {
	return &Recorder{start: time.Now(), name: name, id: recorderIDs.Add(1)}
}

// measure starts the execution trace and restarts the clock. Work is
// calibrated first, so that no timed run pays for the calibration.
func (r *Recorder) measure() {
	calibrate()
	tracer.mu.Lock()
	takeIdleTracer()
	r.tr = startTracing()
	if r.tr.buf != nil {
		tracer.owner = r
	}
	tracer.mu.Unlock()
	traceLog(r.id, 's', -1)
	r.cpu0, r.cpuOK = processCPU()
	r.start = time.Now()
}

// tracer is who holds the process's one execution trace (a real run's
// recorder, or nobody as far as this package knows): the tracer is a
// property of the process, so its owner is package state.
var tracer struct {
	mu    sync.Mutex
	owner *Recorder
}

// takeIdleTracer stops the trace of an idle recorder (see idle), so that
// the tracer is free; the caller holds tracer.mu.
func takeIdleTracer() {
	if o := tracer.owner; o != nil && o.idle() {
		traceLog(o.id, 'x', -1)
		o.tr.gaveUp.Store(true)
		o.tr.stop()
		tracer.owner = nil
	}
}

// idle reports whether the recorder may give up its trace: it yields, it
// has recorded tasks and every one of them is done. A recorder nobody
// calls Run on (a cell that made one per trial and looked at the last)
// so does not keep every later run from being traced; its Run later
// reads the trace up to the moment it gave it up.
func (r *Recorder) idle() bool {
	r.mu.Lock()
	n := len(r.tasks)
	r.mu.Unlock()
	return r.yields && n > 0 && r.inflight.Load() == 0
}

// release gives up the tracer's ownership, if r holds it.
func (r *Recorder) release() {
	tracer.mu.Lock()
	if tracer.owner == r {
		tracer.owner = nil
	}
	tracer.mu.Unlock()
}

// finish ends the trace and returns the run measured from it: each task's
// spans are its goroutine's states. When the trace cannot be had, the run
// keeps the declared spans and its Note says why.
func (r *Recorder) finish(name string, cores int) *Run {
	traceLog(r.id, 'x', -1)
	cpu1, cpuOK := processCPU()
	var data []byte
	var err error
	if r.tr != nil {
		data, err = r.tr.stop()
		r.release()
	}
	run := r.snapshot(name, cores)
	run.Procs = procs()
	run.Interpreted = r.interpreted.Load()
	if r.tr == nil {
		return run
	}
	if err != nil {
		run.Note = err.Error()
		return run
	}
	m, err := readTrace(data, r.id, len(run.Tasks))
	if err != nil {
		run.Note = "not measured: reading the execution trace: " + err.Error()
		return run
	}
	r.mu.Lock()
	taskLane := append([]int(nil), r.taskLane...)
	r.mu.Unlock()
	applyMeasurement(run, m, taskLane)
	if cpuOK && r.cpuOK && !r.tr.givenUp() {
		run.Stolen = max(0, m.running-(cpu1-r.cpu0))
	}
	return run
}

func (r *Recorder) now() time.Duration { return time.Since(r.start) }

func (r *Recorder) newLane(name string) *laneRec {
	r.mu.Lock()
	defer r.mu.Unlock()
	l := &laneRec{idx: len(r.lanes)}
	r.lanes = append(r.lanes, l)
	r.laneNames = append(r.laneNames, name)
	return l
}

func (r *Recorder) newTask(name string, lane int) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.tasks = append(r.tasks, name)
	r.taskLane = append(r.taskLane, lane)
	return len(r.tasks) - 1
}

// started and finished count tasks in progress for PeakConcurrency.
func (r *Recorder) started() {
	n := r.inflight.Add(1)
	for {
		p := r.peak.Load()
		if n <= p || r.peak.CompareAndSwap(p, n) {
			return
		}
	}
}

func (r *Recorder) finished() { r.inflight.Add(-1) }

// switchTo closes the lane's open span (if any) and opens one of kind k for
// task. A negative task closes without opening.
func (l *laneRec) switchTo(now time.Duration, task int, k Kind) {
	l.mu.Lock()
	if l.open && now > l.cur.Start {
		s := l.cur
		s.End = now
		l.push(s)
	}
	l.open = task >= 0
	l.cur = Span{Lane: l.idx, Task: task, Kind: k, Start: now}
	l.mu.Unlock()
}

const spanChunk = 256

// push appends s; the caller holds l.mu.
func (l *laneRec) push(s Span) {
	n := len(l.spans)
	if n == 0 || len(l.spans[n-1]) == cap(l.spans[n-1]) {
		c := 8 // lanes of one short task stay small; busy lanes grow to spanChunk
		if n > 0 {
			c = min(2*cap(l.spans[n-1]), spanChunk)
		}
		l.spans = append(l.spans, make([]Span, 0, c))
		n++
	}
	l.spans[n-1] = append(l.spans[n-1], s)
}

// Task starts recording a task of your own on a lane of its own (name is
// used for both). The task counts as computing from now until you say
// otherwise with its methods; call Done when it ends. Use each Task from one
// goroutine: the goroutine that first calls one of its methods (or a
// goroutine started after Task was called) is the one the trace follows.
func (r *Recorder) Task(name string) *Task {
	if calledFromInterpreter() {
		r.interpreted.Store(true)
	}
	return r.begin(r.newLane(name), name, Computing, true, false)
}

// begin starts a recorded task on lane l with an open span of kind k;
// inProgress says whether it counts as started (not when it first waits
// for a semaphore); bind says whether the calling goroutine is the one that
// runs the task (otherwise the goroutine that first uses it is, counted
// from its creation).
func (r *Recorder) begin(l *laneRec, name string, k Kind, inProgress, bind bool) *Task {
	t := &Task{Name: name, live: &liveTask{rec: r, lane: l, task: r.newTask(name, l.idx), kind: k}}
	if inProgress {
		r.started()
	}
	l.switchTo(r.now(), t.live.task, k)
	op := byte('c')
	if bind {
		op = 'b'
	}
	traceLogKind(r.id, op, t.live.task, int(k))
	return t
}

// Run returns what has been recorded. Once every task is done, the first
// call ends the recorder's execution trace and returns the measured run:
// each task's spans are what its goroutine really did (running on a P,
// ready, blocked, waiting), and what the tasks declared is kept as the
// run's Plan. While tasks are still running, Run returns a snapshot of the
// declared spans, cut at the present moment, which a live display can
// show; so does a call after the measured one.
func (r *Recorder) Run() *Run {
	r.runMu.Lock()
	defer r.runMu.Unlock()
	r.mu.Lock()
	n, final := len(r.tasks), r.final
	r.mu.Unlock()
	if final != nil && n == len(final.Tasks) {
		return final
	}
	if final == nil && n > 0 && r.inflight.Load() == 0 && r.tr != nil {
		run := r.finish(r.name, 0)
		run.Cores = min(max(1, n), run.Procs)
		r.mu.Lock()
		r.final = run
		r.mu.Unlock()
		return run
	}
	run := r.snapshot(r.name, 0)
	run.Procs = procs()
	run.Interpreted = r.interpreted.Load()
	if r.tr != nil {
		run.Note = "not measured: declared spans of tasks still in progress, or started after the measured run"
	}
	return run
}

// Timeline is shorthand for r.Run().Timeline().
func (r *Recorder) Timeline() *Timeline { return r.Run().Timeline() }

func (r *Recorder) snapshot(name string, cores int) *Run {
	now := r.now()
	r.mu.Lock()
	lanes := append([]*laneRec(nil), r.lanes...)
	run := &Run{
		Name:  name,
		Lanes: append([]string(nil), r.laneNames...),
		Tasks: append([]string(nil), r.tasks...),
		Cores: cores,
	}
	r.mu.Unlock()
	for _, l := range lanes {
		l.mu.Lock()
		for _, c := range l.spans {
			run.Spans = append(run.Spans, c...)
		}
		if l.open && now > l.cur.Start {
			s := l.cur
			s.End = now
			run.Spans = append(run.Spans, s)
		}
		l.mu.Unlock()
	}
	sortSpans(run.Spans)
	for _, s := range run.Spans {
		run.Wall = max(run.Wall, s.End)
	}
	if run.Cores == 0 {
		run.Cores = max(1, run.PeakParallelism())
	}
	run.PeakConcurrency = int(r.peak.Load())
	if run.PeakConcurrency == 0 {
		run.PeakConcurrency = peakConcurrency(run.Spans, len(run.Tasks))
	}
	return run
}

// liveTask is the recording side of a *Task.
type liveTask struct {
	rec   *Recorder
	lane  *laneRec
	task  int
	kind  Kind // the kind of the open span
	done  bool
	holds bool  // holds the gate
	gate  *gate // the global lock or event loop the task runs under, if any
}

func (lt *liveTask) set(k Kind) {
	if lt.done {
		return
	}
	if lt.kind == k {
		traceLog(lt.rec.id, 'b', lt.task)
		return
	}
	traceLogKind(lt.rec.id, 'b', lt.task, int(k))
	lt.kind = k
	lt.lane.switchTo(lt.rec.now(), lt.task, k)
}

// Compute does d of CPU work (see Work) and records it as computing.
func (t *Task) Compute(d time.Duration) {
	lt := t.live
	if lt == nil {
		Work(d)
		return
	}
	if lt.gate != nil {
		lt.gate.compute(lt, d)
		return
	}
	lt.set(Computing)
	Work(d)
}

// Wait waits for d without using a CPU (see Sleep) and records it as
// waiting. Under an event loop or a global lock, waiting lets other tasks run.
func (t *Task) Wait(d time.Duration) {
	lt := t.live
	if lt == nil {
		Sleep(d)
		return
	}
	prev := lt.kind
	lt.set(Waiting) // before handing over, so that spans never overlap
	if lt.gate != nil {
		lt.gate.release(lt)
	}
	Sleep(d)
	lt.set(prev)
}

// Begin records that from now on the task does kind k (until End or the next
// Begin). Use it around code of your own: Begin(lanes.Blocked) before
// receiving from a channel, say.
func (t *Task) Begin(k Kind) {
	if t.live != nil {
		t.live.set(k)
	}
}

// End returns the task to computing, the kind of untracked time.
func (t *Task) End() { t.Begin(Computing) }

// Do runs f and records its time as kind k.
func (t *Task) Do(k Kind, f func()) {
	t.Begin(k)
	f()
	t.End()
}

// Lock locks l and records the time spent waiting for it as blocked.
func (t *Task) Lock(l sync.Locker) {
	t.Begin(Blocked)
	l.Lock()
	t.End()
}

// Done ends the task: its last span closes now. Calling Done again does
// nothing.
func (t *Task) Done() {
	lt := t.live
	if lt == nil || lt.done {
		return
	}
	lt.done = true
	lt.lane.switchTo(lt.rec.now(), -1, Computing)
	traceLog(lt.rec.id, 'b', lt.task)
	traceLog(lt.rec.id, 'e', lt.task)
	if lt.gate != nil {
		lt.gate.release(lt)
	}
	lt.rec.finished()
}
