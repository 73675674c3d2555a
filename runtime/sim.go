package lanes

import (
	"container/heap"
	"time"
)

// Machine is the computer a simulation runs on.
type Machine struct {
	// Cores is the number of virtual cores; 0 means one per lane, so that
	// nothing ever queues for a core.
	Cores int
	// Slice is the time slice: a computing lane that has run for Slice while
	// others wait for a core goes to the back of the queue (round robin).
	// 0 means run to completion: a lane keeps its core until it waits or
	// finishes its task.
	Slice time.Duration
}

// Simulate runs w under s in virtual time on machine m and returns the run.
// Nothing really computes or sleeps: a compute step of 10*Unit occupies a
// virtual core for exactly 10 units. The same input always gives the same
// run, to the nanosecond.
//
// An event loop and the global lock let one task compute at a time whatever
// the number of cores (the lock's switch interval plays the part of the time
// slice); sequential runs use one core; pools and threads use m.Cores.
func (s Strategy) Simulate(w Workload, m Machine) *Run {
	names := s.laneNames(w)
	sm := &sim{w: w, s: s, limit: s.limit}
	sm.semFree = s.limit
	nt := len(names)
	switch s.mode {
	case modeGIL:
		sm.capacity, sm.quantum, sm.waitKind = 1, s.every, Blocked
	case modeLoop:
		sm.capacity, sm.waitKind = 1, Ready
	case modeSequential:
		sm.capacity, sm.waitKind = 1, Ready
	default:
		sm.capacity, sm.quantum, sm.waitKind = m.Cores, m.Slice, Ready
		if sm.capacity <= 0 || sm.capacity > nt {
			sm.capacity = nt
		}
	}
	sm.threads = make([]*simThread, nt)
	for i := range sm.threads {
		sm.threads[i] = &simThread{id: i, task: -1}
	}
	sm.run()
	tasks := make([]string, len(w))
	for i, t := range w {
		tasks[i] = t.Name
	}
	sortSpans(sm.spans)
	return &Run{
		Name:            s.String(),
		Virtual:         true,
		Lanes:           names,
		Tasks:           tasks,
		Spans:           sm.spans,
		Wall:            sm.now,
		Cores:           max(1, sm.capacity),
		Procs:           sm.procs(m, nt),
		PeakConcurrency: sm.peak,
	}
}

type threadState uint8

const (
	thIdle    threadState = iota // no task
	thSem                        // waiting for a semaphore slot
	thQueued                     // waiting for a core (or the lock)
	thRunning                    // computing on a core
	thWaiting                    // in a wait step
	thBetween                    // between steps (transient)
)

type simThread struct {
	id         int
	task       int // -1: none
	step       int
	rem        time.Duration // compute left in the current step, as of schedAt
	schedAt    time.Duration
	state      threadState
	since      time.Duration // start of the current state's span
	sliceStart time.Duration
}

type evKind uint8

const (
	evCompute evKind = iota // a compute step ends
	evWait                  // a wait step ends
	evSlice                 // the time slice (or switch interval) ends
)

type event struct {
	t    time.Duration
	kind evKind
	th   int
}

type eventHeap []event

func (h eventHeap) Len() int { return len(h) }
func (h eventHeap) Less(i, j int) bool {
	a, b := h[i], h[j]
	if a.t != b.t {
		return a.t < b.t
	}
	if a.kind != b.kind {
		return a.kind < b.kind
	}
	return a.th < b.th
}
func (h eventHeap) Swap(i, j int) { h[i], h[j] = h[j], h[i] }
func (h *eventHeap) Push(x any)   { *h = append(*h, x.(event)) }
func (h *eventHeap) Pop() any {
	old := *h
	e := old[len(old)-1]
	*h = old[:len(old)-1]
	return e
}

type sim struct {
	w     Workload
	s     Strategy
	limit int

	now      time.Duration
	threads  []*simThread
	capacity int
	quantum  time.Duration
	waitKind Kind
	running  int
	runq     fifo
	semFree  int
	semq     fifo
	events   eventHeap

	phases [][]int
	phase  int
	left   int   // tasks of the phase not finished
	taskq  []int // tasks of the phase not yet taken by a pool worker

	inflight, peak int
	spans          []Span
}

// fifo is a queue of thread ids.
type fifo struct {
	items []int
	head  int
}

func (q *fifo) push(i int) { q.items = append(q.items, i) }
func (q *fifo) len() int   { return len(q.items) - q.head }
func (q *fifo) pop() int {
	i := q.items[q.head]
	q.head++
	if q.head > 1024 && q.head*2 > len(q.items) {
		q.items = append(q.items[:0], q.items[q.head:]...)
		q.head = 0
	}
	return i
}

func (sm *sim) run() {
	sm.phases = sm.w.phases()
	if len(sm.phases) == 0 {
		return
	}
	sm.openPhase(0)
	for {
		sm.dispatch()
		if len(sm.events) == 0 {
			return
		}
		sm.now = sm.events[0].t
		for len(sm.events) > 0 && sm.events[0].t == sm.now {
			e := heap.Pop(&sm.events).(event)
			sm.handle(e)
		}
	}
}

func (sm *sim) span(th *simThread, k Kind, start time.Duration) {
	if sm.now > start {
		sm.spans = append(sm.spans, Span{Lane: th.id, Task: th.task, Kind: k, Start: start, End: sm.now})
	}
}

func (sm *sim) openPhase(p int) {
	sm.phase = p
	tasks := sm.phases[p]
	sm.left = len(tasks)
	if sm.s.perTask() {
		for _, i := range tasks {
			sm.startTask(sm.threads[i], i)
		}
		return
	}
	sm.taskq = append(sm.taskq[:0], tasks...)
	for _, th := range sm.threads {
		if th.state == thIdle && len(sm.taskq) > 0 {
			sm.takeTask(th)
		}
	}
}

func (sm *sim) takeTask(th *simThread) {
	i := sm.taskq[0]
	sm.taskq = sm.taskq[1:]
	sm.startTask(th, i)
}

func (sm *sim) startTask(th *simThread, task int) {
	th.task, th.step = task, 0
	if sm.limit > 0 {
		if sm.semFree == 0 {
			th.state, th.since = thSem, sm.now
			sm.semq.push(th.id)
			return
		}
		sm.semFree--
	}
	sm.begin(th)
}

func (sm *sim) begin(th *simThread) {
	sm.inflight++
	sm.peak = max(sm.peak, sm.inflight)
	th.state = thBetween
	sm.nextStep(th)
}

// nextStep starts th's current step (skipping empty ones) or finishes its task.
func (sm *sim) nextStep(th *simThread) {
	steps := sm.w[th.task].Steps
	for th.step < len(steps) && steps[th.step].Duration <= 0 {
		th.step++
	}
	if th.step == len(steps) {
		sm.finishTask(th)
		return
	}
	st := steps[th.step]
	switch st.Kind {
	case Waiting:
		if th.state == thRunning {
			sm.stopRunning(th)
		}
		th.state, th.since = thWaiting, sm.now
		heap.Push(&sm.events, event{sm.now + st.Duration, evWait, th.id})
	default:
		th.rem = st.Duration
		if th.state == thRunning {
			sm.schedule(th) // keeps its core and goes on computing
			return
		}
		th.state, th.since = thQueued, sm.now
		sm.runq.push(th.id)
	}
}

func (sm *sim) stopRunning(th *simThread) {
	sm.span(th, Computing, th.since)
	sm.running--
	th.state = thBetween
}

func (sm *sim) dispatch() {
	for sm.running < sm.capacity && sm.runq.len() > 0 {
		th := sm.threads[sm.runq.pop()]
		sm.span(th, sm.waitKind, th.since)
		th.state, th.since, th.sliceStart = thRunning, sm.now, sm.now
		sm.running++
		sm.schedule(th)
	}
}

// schedule posts the next event of a running thread: the end of its
// compute step or of its time slice, whichever comes first.
func (sm *sim) schedule(th *simThread) {
	th.schedAt = sm.now
	if sm.quantum > 0 {
		if left := sm.quantum - (sm.now - th.sliceStart); left < th.rem {
			heap.Push(&sm.events, event{sm.now + max(left, 0), evSlice, th.id})
			return
		}
	}
	heap.Push(&sm.events, event{sm.now + th.rem, evCompute, th.id})
}

func (sm *sim) handle(e event) {
	th := sm.threads[e.th]
	switch e.kind {
	case evCompute:
		th.rem = 0
		th.step++
		sm.nextStep(th)
	case evWait:
		sm.span(th, Waiting, th.since)
		th.state = thBetween
		th.step++
		sm.nextStep(th)
	case evSlice:
		th.rem -= sm.now - th.schedAt
		if sm.runq.len() > 0 {
			sm.stopRunning(th)
			th.state, th.since = thQueued, sm.now
			sm.runq.push(th.id)
			return
		}
		th.sliceStart = sm.now
		sm.schedule(th)
	}
}

func (sm *sim) finishTask(th *simThread) {
	if th.state == thRunning {
		sm.stopRunning(th)
	}
	sm.inflight--
	th.task, th.state = -1, thIdle
	if sm.limit > 0 {
		if sm.semq.len() > 0 {
			next := sm.threads[sm.semq.pop()]
			sm.span(next, Blocked, next.since)
			sm.begin(next)
		} else {
			sm.semFree++
		}
	}
	sm.left--
	if !sm.s.perTask() && len(sm.taskq) > 0 {
		sm.takeTask(th)
	}
	if sm.left == 0 && sm.phase+1 < len(sm.phases) {
		sm.openPhase(sm.phase + 1)
	}
}

// procs is the simulated machine's number of cores: m.Cores, or one per
// lane when m.Cores is 0.
func (sm *sim) procs(m Machine, lanes int) int {
	if m.Cores > 0 {
		return m.Cores
	}
	return max(1, lanes)
}
