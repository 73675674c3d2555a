package lanes

import (
	"fmt"
	"sync"
	"sync/atomic"
	"time"
)

type mode uint8

const (
	modeSequential mode = iota
	modePool
	modeThreads
	modeGIL
	modeLoop
)

// Strategy is a way of running the tasks of a workload: one after the other,
// on an event loop, on threads under a global lock, or on a pool of parallel
// workers. Run runs a workload for real on this machine; Simulate runs it in
// virtual time on a machine of your choosing. Limit caps how many tasks may
// be in progress at once.
type Strategy struct {
	mode    mode
	workers int
	limit   int
	every   time.Duration // GIL switch interval
}

// DefaultSwitchInterval is the global lock's switch interval when GIL is
// given 0: Python's default, 5 ms (5 units in a simulation).
const DefaultSwitchInterval = 5 * time.Millisecond

// Sequential runs the tasks one after the other on a single lane, "main".
func Sequential() Strategy { return Strategy{mode: modeSequential, workers: 1} }

// EventLoop runs every task as a coroutine on one thread, the asyncio way:
// only one task computes at a time and keeps the thread until it waits
// (cooperative), but all the waits overlap. Each task gets a lane of its own.
func EventLoop() Strategy { return Strategy{mode: modeLoop} }

// GIL runs every task on a thread of its own under a global lock, the way
// CPython threads run: computing needs the lock, so computation is
// serialised; a thread hands the lock over when it waits, and every switch
// interval while others want it. Waits overlap.
func GIL(switchInterval time.Duration) Strategy {
	if switchInterval <= 0 {
		switchInterval = DefaultSwitchInterval
	}
	return Strategy{mode: modeGIL, every: switchInterval}
}

// Threads runs every task on a thread (goroutine) of its own with no global
// lock: they compute in parallel on as many cores as there are.
func Threads() Strategy { return Strategy{mode: modeThreads} }

// Pool runs the tasks on n parallel workers (goroutines): each worker takes
// the next task when it finishes one. A worker is a lane.
func Pool(n int) Strategy {
	if n < 1 {
		n = 1
	}
	return Strategy{mode: modePool, workers: n}
}

// Limit returns the strategy with at most k tasks in progress at once (a
// semaphore of k slots; a task waiting for a slot is blocked). k <= 0
// removes the limit.
func (s Strategy) Limit(k int) Strategy {
	s.limit = max(k, 0)
	return s
}

// String names the strategy, as in "pool(4)" or "event loop, limit 8".
func (s Strategy) String() string {
	var n string
	switch s.mode {
	case modeSequential:
		n = "sequential"
	case modePool:
		n = fmt.Sprintf("pool(%d)", s.workers)
	case modeThreads:
		n = "threads"
	case modeGIL:
		n = fmt.Sprintf("threads+GIL(%s)", trimDur(s.every))
	case modeLoop:
		n = "event loop"
	}
	if s.limit > 0 {
		n += fmt.Sprintf(", limit %d", s.limit)
	}
	return n
}

func trimDur(d time.Duration) string {
	if d%time.Millisecond == 0 {
		return fmt.Sprintf("%dms", d/time.Millisecond)
	}
	return d.String()
}

// perTask reports whether the strategy gives every task its own lane.
func (s Strategy) perTask() bool {
	return s.mode == modeThreads || s.mode == modeGIL || s.mode == modeLoop
}

// laneNames returns the lanes a run of w under s has.
func (s Strategy) laneNames(w Workload) []string {
	switch {
	case s.mode == modeSequential:
		return []string{"main"}
	case s.perTask():
		out := make([]string, len(w))
		for i, t := range w {
			out[i] = t.Name
		}
		return out
	}
	out := make([]string, s.workers)
	for i := range out {
		out[i] = fmt.Sprintf("worker %d", i+1)
	}
	return out
}

// Run runs w for real on this machine and returns what happened. Compute
// steps do calibrated work (see Work), wait steps sleep (see Sleep). A run
// longer than half a second shows its timeline growing while it runs when
// live display is on (see SetLive).
func (s Strategy) Run(w Workload) *Run { return s.run(w, true) }

// run runs w, measured from an execution trace if traced (the benchmark
// of the tracer's overhead runs without).
func (s Strategy) run(w Workload, traced bool) *Run {
	rec := newRecorder(s.String())
	names := s.laneNames(w)
	lanes := make([]*laneRec, len(names))
	for i, n := range names {
		lanes[i] = rec.newLane(n)
	}
	var g *gate
	switch s.mode {
	case modeGIL:
		g = &gate{quantum: s.every, waitKind: Blocked}
	case modeLoop:
		g = &gate{waitKind: Ready}
	}
	var sem chan struct{}
	if s.limit > 0 {
		sem = make(chan struct{}, s.limit)
	}
	if traced {
		rec.measure()
	} else {
		calibrate()
		rec.start = time.Now()
	}
	stop := startLive(rec, s.String())
	for _, phase := range w.phases() {
		var wg sync.WaitGroup
		switch {
		case s.mode == modeSequential:
			for _, i := range phase {
				runTask(rec, lanes[0], w[i], g, sem, nil)
			}
		case s.perTask():
			for _, i := range phase {
				// The task exists (and is in progress) from the moment its
				// goroutine is started, not from when it is first scheduled.
				t := newTaskOn(rec, lanes[i], w[i], g, sem, false)
				wg.Add(1)
				go func() {
					defer wg.Done()
					runTask(rec, lanes[i], w[i], g, sem, t)
				}()
			}
		default:
			var next atomic.Int64
			for _, l := range lanes {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for {
						k := int(next.Add(1)) - 1
						if k >= len(phase) {
							return
						}
						runTask(rec, l, w[phase[k]], g, sem, nil)
					}
				}()
			}
		}
		wg.Wait()
	}
	run := rec.finish(s.String(), s.processors(len(w)))
	stop(run)
	return run
}

// processors is p for a real run of n tasks: the processors the strategy
// could use on this machine.
func (s Strategy) processors(n int) int {
	switch s.mode {
	case modePool:
		return min(s.workers, procs())
	case modeThreads:
		return max(1, min(n, procs()))
	}
	return 1
}

// firstKind is what a task does before its first step: wait for a
// semaphore slot, or queue for the gate, or nothing visible.
func firstKind(task Task, g *gate) Kind {
	for _, st := range task.Steps {
		if st.Duration > 0 {
			if st.Kind == Waiting {
				return Waiting
			} else if g != nil {
				return g.waitKind
			}
			break
		}
	}
	return Computing
}

// newTaskOn starts recording task on lane l; bind says whether the calling
// goroutine runs it (see Recorder.begin).
func newTaskOn(rec *Recorder, l *laneRec, task Task, g *gate, sem chan struct{}, bind bool) *Task {
	start := firstKind(task, g)
	if sem != nil {
		start = Blocked
	}
	return rec.begin(l, task.Name, start, sem == nil, bind)
}

// runTask runs the steps of one task on lane l; t is the task's record if
// it was started already (nil: start it now, on this goroutine).
func runTask(rec *Recorder, l *laneRec, task Task, g *gate, sem chan struct{}, t *Task) {
	if t == nil {
		t = newTaskOn(rec, l, task, g, sem, true)
	} else {
		traceLog(rec.id, 'b', t.live.task)
	}
	lt := t.live
	lt.gate = g
	if sem != nil {
		sem <- struct{}{}
		rec.started()
		defer func() { <-sem }()
		lt.set(firstKind(task, g))
	}
	for _, st := range task.Steps {
		if st.Duration <= 0 {
			continue
		}
		switch st.Kind {
		case Computing:
			if g != nil {
				g.compute(lt, st.Duration)
			} else {
				lt.set(Computing)
				Work(st.Duration)
			}
		case Waiting:
			lt.set(Waiting) // before handing over, so that spans never overlap
			if g != nil {
				g.release(lt)
			}
			Sleep(st.Duration)
		}
	}
	t.Done()
}

// gate is the one-at-a-time resource of the event loop and the global lock:
// a FIFO lock that hands itself to the longest waiter.
type gate struct {
	quantum  time.Duration // hand over after this much work if others wait; 0: only at waits
	waitKind Kind          // how waiting for the gate is recorded

	mu      sync.Mutex
	held    bool
	queue   []chan struct{}
	waiters atomic.Int32
}

func (g *gate) acquire(lt *liveTask) {
	if lt.holds {
		return
	}
	g.mu.Lock()
	if !g.held {
		g.held = true
		g.mu.Unlock()
		lt.holds = true
		return
	}
	ch := make(chan struct{})
	g.queue = append(g.queue, ch)
	g.waiters.Add(1)
	g.mu.Unlock()
	lt.set(g.waitKind)
	<-ch // the releaser handed the gate to us
	g.waiters.Add(-1)
	lt.holds = true
}

func (g *gate) release(lt *liveTask) {
	if !lt.holds {
		return
	}
	lt.holds = false
	g.mu.Lock()
	if len(g.queue) > 0 {
		ch := g.queue[0]
		g.queue = g.queue[1:]
		g.mu.Unlock()
		close(ch)
		return
	}
	g.held = false
	g.mu.Unlock()
}

// compute does d of work holding the gate, handing it over every quantum
// while others wait for it.
func (g *gate) compute(lt *liveTask, d time.Duration) {
	g.acquire(lt)
	lt.set(Computing)
	if g.quantum <= 0 {
		Work(d)
		return
	}
	for d > 0 {
		c := min(d, g.quantum)
		Work(c)
		d -= c
		if d > 0 && g.waiters.Load() > 0 {
			lt.set(g.waitKind)
			g.release(lt)
			g.acquire(lt)
			lt.set(Computing)
		}
	}
}

// Group runs functions of your own on n parallel workers and records them:
// each function gets a *Task whose methods (Compute, Wait, Begin, Lock, ...)
// record what it does; time it does not account for counts as computing.
//
//	g := lanes.NewGroup(2)
//	for i := 1; i <= 4; i++ {
//		g.Go(fmt.Sprint("job", i), func(t *lanes.Task) { t.Wait(10 * time.Millisecond); lanes.Fib(25) })
//	}
//	run := g.Wait()
type Group struct {
	rec   *Recorder
	lanes []*laneRec
	name  string

	mu     sync.Mutex
	cond   *sync.Cond
	queue  []groupJob
	closed bool
	wg     sync.WaitGroup
	stop   func(*Run)
}

type groupJob struct {
	name string
	f    func(*Task)
}

// NewGroup starts n workers (at least 1), lanes "worker 1".."worker n".
// The execution trace that Wait measures the run from starts now.
func NewGroup(n int) *Group {
	n = max(n, 1)
	g := &Group{name: fmt.Sprintf("group(%d)", n)}
	g.rec = newRecorder(g.name)
	g.rec.measure()
	g.cond = sync.NewCond(&g.mu)
	for i := 0; i < n; i++ {
		l := g.rec.newLane(fmt.Sprintf("worker %d", i+1))
		g.lanes = append(g.lanes, l)
		g.wg.Add(1)
		go g.work(l)
	}
	g.stop = startLive(g.rec, g.name)
	return g
}

func (g *Group) work(l *laneRec) {
	defer g.wg.Done()
	for {
		g.mu.Lock()
		for len(g.queue) == 0 && !g.closed {
			g.cond.Wait()
		}
		if len(g.queue) == 0 {
			g.mu.Unlock()
			return
		}
		j := g.queue[0]
		g.queue = g.queue[1:]
		g.mu.Unlock()
		t := g.rec.begin(l, j.name, Computing, true, true)
		j.f(t)
		t.Done()
	}
}

// Go queues f to run as a task called name on the next free worker. It
// does not wait.
func (g *Group) Go(name string, f func(t *Task)) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.closed {
		panic("lanes: Group.Go after Wait")
	}
	if interpretedFunc(f) {
		g.rec.interpreted.Store(true)
	}
	g.queue = append(g.queue, groupJob{name, f})
	g.cond.Signal()
}

// Wait waits for every queued function to finish and returns the run. The
// group cannot be used after Wait.
func (g *Group) Wait() *Run {
	g.mu.Lock()
	g.closed = true
	g.cond.Broadcast()
	g.mu.Unlock()
	g.wg.Wait()
	run := g.rec.finish(g.name, min(len(g.lanes), procs()))
	g.stop(run)
	return run
}
