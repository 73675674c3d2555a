package lanes

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"reflect"
	"runtime"
	rtrace "runtime/trace"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/exp/trace"
)

// traceCategory is the category of the execution-trace log events by which
// a real run tells the tracer which goroutine runs which task.
const traceCategory = "lanes"

// maxTraceBytes bounds the memory of one run's execution trace. A run whose
// trace grows past it is stopped being traced and reports its declared
// spans instead, with a note.
const maxTraceBytes = 64 << 20

// recorderIDs numbers recorders, so that the log events of runs traced at
// the same time (nested or concurrent runs) are told apart.
var recorderIDs atomic.Uint64

// tracing is the execution trace of one real run: a trace of its own when
// the tracer is free, otherwise a flight recorder window (which may run
// beside somebody else's trace), otherwise nothing and a note saying why.
type tracing struct {
	buf  *limitBuffer
	fr   *rtrace.FlightRecorder
	note string // why the run is not traced, if it is not

	stopOnce sync.Once
	data     []byte
	err      error
	gaveUp   atomic.Bool // stopped for a later run
}

// startTracing starts tracing a run.
func startTracing() *tracing {
	t := &tracing{}
	t.buf = &limitBuffer{limit: maxTraceBytes, full: func() { go t.stop() }}
	if err := rtrace.Start(t.buf); err == nil {
		return t
	}
	t.buf = nil
	fr := rtrace.NewFlightRecorder(rtrace.FlightRecorderConfig{MinAge: 10 * time.Minute, MaxBytes: maxTraceBytes})
	if err := fr.Start(); err == nil {
		t.fr = fr
		return t
	}
	t.note = "not measured: the Go execution tracer was busy with another trace and another flight recorder, so the spans are what the tasks declared"
	return t
}

// givenUp reports whether the trace was given up before the run ended
// (see Recorder.idle): the process's CPU time since then is not the run's.
func (t *tracing) givenUp() bool { return t.gaveUp.Load() }

// stop ends the trace (once) and returns its bytes.
func (t *tracing) stop() ([]byte, error) {
	t.stopOnce.Do(func() {
		switch {
		case t.buf != nil:
			rtrace.Stop()
			t.data, t.err = t.buf.bytes()
		case t.fr != nil:
			var b bytes.Buffer
			_, err := t.fr.WriteTo(&b)
			t.fr.Stop()
			t.data, t.err = b.Bytes(), err
		default:
			t.err = errors.New(t.note)
		}
	})
	return t.data, t.err
}

// limitBuffer keeps what the tracer writes up to limit bytes; past it, it
// drops the rest and calls full once.
type limitBuffer struct {
	limit int
	full  func()

	mu   sync.Mutex
	b    bytes.Buffer
	over bool
}

func (l *limitBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.over {
		return len(p), nil
	}
	if l.b.Len()+len(p) > l.limit {
		l.over = true
		l.full()
		return len(p), nil
	}
	return l.b.Write(p)
}

func (l *limitBuffer) bytes() ([]byte, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.over {
		return nil, fmt.Errorf("the execution trace grew past %d MiB", l.limit>>20)
	}
	return l.b.Bytes(), nil
}

// Log messages: "<recorder> s" starts the window, "<recorder> x" ends it,
// "<recorder> b <task>" binds the logging goroutine to a task, "<recorder>
// c <task>" creates a task whose goroutine is bound later (its first "b"
// counts from that goroutine's creation), "<recorder> e <task>" ends a task.
// A "b" or "c" that changes what the task declares it does carries the new
// kind as a fourth field: the declared spans are read from the trace too,
// so that declaration and measurement share one clock and one order (see
// readTrace).
func traceLog(rec uint64, op byte, task int) { traceLogKind(rec, op, task, noKind) }

// noKind is the kind of a log message that declares none.
const noKind = -1

// traceLogKind logs op for task with the declared kind k (noKind: none).
func traceLogKind(rec uint64, op byte, task int, k int) {
	if !rtrace.IsEnabled() {
		return
	}
	b := make([]byte, 0, 28)
	b = strconv.AppendUint(b, rec, 10)
	b = append(b, ' ', op)
	if task >= 0 {
		b = append(b, ' ')
		b = strconv.AppendInt(b, int64(task), 10)
		if k >= 0 {
			b = append(b, ' ')
			b = strconv.AppendInt(b, int64(k), 10)
		}
	}
	rtrace.Log(context.Background(), traceCategory, string(b))
}

// logMsg is one parsed log message of a recorder.
type logMsg struct {
	op   byte
	task int // -1 if none
	kind int // the declared kind, noKind if none
}

// parseLog reads a message of recorder rec.
func parseLog(msg string, rec string) (logMsg, bool) {
	rest, found := strings.CutPrefix(msg, rec)
	if !found || len(rest) < 2 || rest[0] != ' ' {
		return logMsg{}, false
	}
	m := logMsg{op: rest[1], task: -1, kind: noKind}
	if len(rest) == 2 {
		return m, true
	}
	if rest[2] != ' ' {
		return logMsg{}, false
	}
	task, kind, hasKind := strings.Cut(rest[3:], " ")
	n, err := strconv.Atoi(task)
	if err != nil || n < 0 {
		return logMsg{}, false
	}
	m.task = n
	if hasKind {
		k, err := strconv.Atoi(kind)
		if err != nil || k < 0 || k >= numKinds {
			return logMsg{}, false
		}
		m.kind = k
	}
	return m, true
}

// measured is what the trace says about the tasks of one run.
type measured struct {
	spans    []Span // Lane unset: Task is the task index; task -1 is other work
	plan     []Span // the declared spans, in trace time; Lane unset
	wall     time.Duration
	gcCycles int
	running  time.Duration // P time of every goroutine in the window
}

// gTrack follows one goroutine through the window.
type gTrack struct {
	state   trace.GoState
	since   time.Duration
	reason  string
	task    int // bound task, -1 if none
	everBnd bool
	created time.Duration // creation time within the window; -1 if before
	spans   []Span        // spans of the goroutine; Task -1 while unbound
}

// readTrace derives the states of the tasks of recorder rec from an
// execution trace. Times are relative to the window's start mark.
//
// The declared spans are read from the same trace (the kinds that "b" and
// "c" messages carry), not from the recorder's clock: a goroutine can lose
// its thread to the operating system between logging a message and reading
// a clock, so two clocks would let a task bound to a goroutine seem to
// declare compute it had already declared over, and a task queued for a
// semaphore show as computing beside the one that holds it.
func readTrace(data []byte, rec uint64, ntasks int) (*measured, error) {
	rd, err := trace.NewReader(bytes.NewReader(data))
	if err != nil {
		return nil, err
	}
	tr := newTraceReader(strconv.FormatUint(rec, 10), ntasks)
	for !tr.ended {
		ev, err := rd.ReadEvent()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err
		}
		switch ev.Kind() {
		case trace.EventLog:
			tr.log(ev)
		case trace.EventRangeBegin:
			if tr.started && strings.HasPrefix(ev.Range().Name, "GC concurrent mark") {
				tr.gcs++
			}
		case trace.EventStateTransition:
			tr.transition(ev)
		}
	}
	if !tr.started || !tr.ended {
		return nil, errors.New("the execution trace lacks the run's start or end")
	}
	return tr.result(), nil
}

// traceReader is the state of readTrace between events.
type traceReader struct {
	recID  string
	ntasks int
	gs     map[trace.GoID]*gTrack

	start          trace.Time
	started, ended bool
	wall           time.Duration
	gcs            int

	owner     []*gTrack       // the goroutine each task is bound to
	everOwned []bool          // whether a task was ever bound
	createdAt []time.Duration // each task's "c" time, -1 if none

	plan      []Span          // the declared spans closed so far
	planKind  []int           // each task's declared kind, noKind if none
	planSince []time.Duration // since when
}

func newTraceReader(recID string, ntasks int) *traceReader {
	tr := &traceReader{
		recID:     recID,
		ntasks:    ntasks,
		gs:        map[trace.GoID]*gTrack{},
		owner:     make([]*gTrack, ntasks),
		everOwned: make([]bool, ntasks),
		createdAt: make([]time.Duration, ntasks),
		planKind:  make([]int, ntasks),
		planSince: make([]time.Duration, ntasks),
	}
	for i := range ntasks {
		tr.createdAt[i], tr.planKind[i] = -1, noKind
	}
	return tr
}

// now is the time of ev in the window (0 before it starts).
func (tr *traceReader) now(ev trace.Event) time.Duration {
	if !tr.started {
		return 0
	}
	return time.Duration(ev.Time() - tr.start)
}

// goroutine returns the track of goroutine id, made when first seen.
func (tr *traceReader) goroutine(id trace.GoID) *gTrack {
	g := tr.gs[id]
	if g == nil {
		g = &gTrack{state: trace.GoUndetermined, task: -1, created: -1}
		tr.gs[id] = g
	}
	return g
}

// declare closes task's declared span at now and opens one of kind k
// (noKind: none).
func (tr *traceReader) declare(task, k int, now time.Duration) {
	if k0 := tr.planKind[task]; k0 != noKind && now > tr.planSince[task] {
		tr.plan = append(tr.plan, Span{Task: task, Kind: Kind(k0), Start: tr.planSince[task], End: now})
	}
	tr.planKind[task], tr.planSince[task] = k, now
}

// closeSpan ends g's current state at now, as a span of its task.
func (tr *traceReader) closeSpan(g *gTrack, now time.Duration) {
	if !tr.started || now <= g.since {
		g.since = max(g.since, now)
		return
	}
	if k, ok := goKind(g.state, g.reason); ok {
		g.spans = append(g.spans, Span{Task: g.task, Kind: k, Start: g.since, End: now})
	}
	g.since = now
}

// bind makes g the goroutine of task from now on.
func (tr *traceReader) bind(g *gTrack, task int, now time.Duration) {
	if task < 0 || task >= tr.ntasks || g.task == task {
		return
	}
	if o := tr.owner[task]; o != nil && o != g {
		tr.closeSpan(o, now)
		o.task = -1
	}
	tr.closeSpan(g, now)
	if g.task >= 0 {
		tr.owner[g.task] = nil
	}
	// A goroutine started for a task created earlier works for it from
	// its creation: move its unbound spans over.
	if !g.everBnd && !tr.everOwned[task] && tr.createdAt[task] >= 0 && g.created >= tr.createdAt[task] {
		for i := range g.spans {
			if g.spans[i].Task < 0 && g.spans[i].Start >= g.created {
				g.spans[i].Task = task
			}
		}
	}
	g.task, g.everBnd = task, true
	tr.owner[task], tr.everOwned[task] = g, true
}

// log reads a log event: the recorder's marks (see traceLog).
func (tr *traceReader) log(ev trace.Event) {
	l := ev.Log()
	if l.Category != traceCategory {
		return
	}
	msg, ok := parseLog(l.Message, tr.recID)
	if !ok {
		return
	}
	task, known := msg.task, msg.task >= 0 && msg.task < tr.ntasks
	g := tr.goroutine(ev.Goroutine())
	now := tr.now(ev)
	if msg.kind != noKind && known && (msg.op == 'b' || msg.op == 'c') {
		tr.declare(task, msg.kind, now)
	}
	switch msg.op {
	case 's':
		if !tr.started {
			tr.started, tr.start = true, ev.Time()
			for _, g := range tr.gs {
				g.since = 0
			}
			g.state = trace.GoRunning
		}
	case 'x':
		if tr.started {
			tr.wall = now
			for _, g := range tr.gs {
				tr.closeSpan(g, now)
			}
			for task := range tr.planKind {
				tr.declare(task, noKind, now)
			}
			tr.ended = true
		}
	case 'c':
		if tr.started && known {
			tr.createdAt[task] = now
		}
	case 'b':
		if tr.started {
			tr.bind(g, task, now)
		}
	case 'e':
		if known {
			tr.declare(task, noKind, now)
		}
		if tr.started && known && tr.owner[task] == g {
			tr.closeSpan(g, now)
			g.task, tr.owner[task] = -1, nil
		}
	}
}

// transition reads a goroutine's change of state.
func (tr *traceReader) transition(ev trace.Event) {
	st := ev.StateTransition()
	if st.Resource.Kind != trace.ResourceGoroutine {
		return
	}
	g := tr.goroutine(st.Resource.Goroutine())
	from, to := st.Goroutine()
	now := tr.now(ev)
	if from == trace.GoNotExist && tr.started {
		g.created = now
	}
	tr.closeSpan(g, now)
	g.state, g.reason = to, st.Reason
}

// result is what the window held: the tasks' spans, the other goroutines'
// computing as one row, the declared spans and the P time.
func (tr *traceReader) result() *measured {
	m := &measured{wall: tr.wall, gcCycles: tr.gcs, plan: tr.plan}
	var other []Span
	for _, g := range tr.gs {
		for _, s := range g.spans {
			if s.Kind == Computing {
				m.running += s.Duration()
			}
			if s.Task >= 0 {
				m.spans = append(m.spans, s)
			} else if s.Kind == Computing {
				other = append(other, s)
			}
		}
	}
	m.spans = append(m.spans, unionSpans(other)...)
	return m
}

// goKind is the span kind of a goroutine state: running is computing,
// runnable is ready, sleeping and system calls are waiting, the rest
// (channels, locks, select, wait groups) is blocked.
func goKind(s trace.GoState, reason string) (Kind, bool) {
	switch s {
	case trace.GoRunning:
		return Computing, true
	case trace.GoRunnable:
		return Ready, true
	case trace.GoSyscall:
		return Waiting, true
	case trace.GoWaiting:
		if waitingReason(reason) {
			return Waiting, true
		}
		return Blocked, true
	}
	return 0, false
}

// unionSpans merges the computing spans of goroutines that are no task's
// into one row of non-overlapping spans of kind Other (Task -1).
func unionSpans(ss []Span) []Span {
	slices.SortFunc(ss, func(a, b Span) int { return compareDur(a.Start, b.Start) })
	var out []Span
	for _, s := range ss {
		if n := len(out); n > 0 && s.Start <= out[n-1].End {
			out[n-1].End = max(out[n-1].End, s.End)
			continue
		}
		out = append(out, Span{Task: -1, Kind: Other, Start: s.Start, End: s.End})
	}
	return out
}

// reconcile splits a measured span of one task by the task's declared
// spans (sorted, non-overlapping) and appends the pieces to out. The
// scheduler says whether the goroutine ran; the declaration says what for:
//   - running counts as compute only while the task declared compute;
//     running inside a declared wait, block or queue is the bookkeeping of
//     handing over and takes the declared kind, so an event loop or a
//     global lock never shows two tasks computing at once;
//   - runnable is always ready: the goroutine could run and had no P;
//   - not running and not runnable takes the declared kind where the task
//     declared a wait, a block or a queue (the scheduler cannot tell a
//     semaphore from an event loop's turn), else the scheduler's kind.
//
// Time the declaration does not cover (the few instructions before a task's
// first span and after its Done) is left out: the task did not exist then.
func reconcile(out []Span, m Span, plan []Span) []Span {
	i, _ := slices.BinarySearchFunc(plan, m.Start, func(s Span, t time.Duration) int {
		if s.End <= t {
			return -1
		}
		return 1
	})
	at := m.Start
	emit := func(k Kind, from, to time.Duration) {
		if to <= from {
			return
		}
		if n := len(out); n > 0 && out[n-1].Kind == k && out[n-1].End == from && out[n-1].Task == m.Task {
			out[n-1].End = to
			return
		}
		out = append(out, Span{Lane: m.Lane, Task: m.Task, Kind: k, Start: from, End: to})
	}
	for ; i < len(plan) && plan[i].Start < m.End && at < m.End; i++ {
		p := plan[i]
		from, to := max(at, p.Start), min(p.End, m.End)
		k := m.Kind
		if m.Kind != Ready && p.Kind != Computing {
			k = p.Kind
		}
		emit(k, from, to)
		at = max(at, to)
	}
	return out
}

// applyMeasurement replaces the declared spans of run (kept as its Plan)
// with the measured ones, reconciled with the declaration (see reconcile).
//
// The plan is the declaration as the trace recorded it, so that it shares
// the measured spans' clock; the recorder's own spans stand in only for a
// trace that carries no declaration.
func applyMeasurement(run *Run, m *measured, taskLane []int) {
	plan := run.Spans
	if len(m.plan) > 0 {
		plan = make([]Span, 0, len(m.plan))
		for _, s := range m.plan {
			if s.Task < len(taskLane) && s.Task < len(run.Tasks) {
				s.Lane = taskLane[s.Task]
				plan = append(plan, s)
			}
		}
		sortSpans(plan)
	}
	byTask := make([][]Span, len(run.Tasks))
	for _, s := range plan {
		byTask[s.Task] = append(byTask[s.Task], s)
	}
	for _, ps := range byTask {
		slices.SortFunc(ps, func(a, b Span) int { return compareDur(a.Start, b.Start) })
	}
	slices.SortFunc(m.spans, func(a, b Span) int { return compareDur(a.Start, b.Start) })
	var spans, other []Span
	for _, s := range m.spans {
		if s.Task < 0 {
			s.Lane, s.Task = 0, 0
			other = append(other, s)
			continue
		}
		if s.Task >= len(taskLane) {
			continue
		}
		s.Lane = taskLane[s.Task]
		spans = reconcile(spans, s, byTask[s.Task])
	}
	sortSpans(spans)
	sortSpans(other)
	run.Other = other
	run.Plan = plan
	run.Spans = spans
	run.Measured = true
	run.GCCycles = m.gcCycles
	for _, s := range spans {
		run.Wall = max(run.Wall, s.End)
	}
}

// OtherLane names the extra lane that the timeline of a measured run draws
// below its tasks: Run.Other, the time Ps spent on goroutines that are none
// of the run's tasks, such as the garbage collector's workers, the runtime
// and the code that started the run.
const OtherLane = "GC & other goroutines"

// withOther returns the run to draw: a measured run with its Other spans on
// a lane of their own, any other run as it is.
func (r *Run) withOther() *Run {
	if !r.Measured {
		return r
	}
	d := *r
	lane, task := len(r.Lanes), len(r.Tasks)
	d.Lanes = append(r.Lanes[:lane:lane], OtherLane)
	d.Tasks = append(r.Tasks[:task:task], OtherLane)
	d.Spans = make([]Span, 0, len(r.Spans)+len(r.Other))
	d.Spans = append(d.Spans, r.Spans...)
	for _, s := range r.Other {
		s.Lane, s.Task = lane, task
		d.Spans = append(d.Spans, s)
	}
	sortSpans(d.Spans)
	return &d
}

// procs is the number of Ps a real run can use.
func procs() int { return runtime.GOMAXPROCS(0) }

// calledFromInterpreter reports whether the exported function that called it
// was called by interpreted code: the interpreter calls compiled functions
// through reflect.Value.Call, so the caller's frame is in package reflect.
func calledFromInterpreter() bool {
	var pcs [1]uintptr
	if runtime.Callers(3, pcs[:]) == 0 {
		return false
	}
	f, _ := runtime.CallersFrames(pcs[:]).Next()
	return strings.HasPrefix(f.Function, "reflect.")
}

// interpretedFunc reports whether f is a function of interpreted code: the
// interpreter hands such functions to compiled code as reflect.MakeFunc
// closures, whose code is in package reflect, not in the program.
func interpretedFunc(f any) bool {
	v := reflect.ValueOf(f)
	if v.Kind() != reflect.Func || v.IsNil() {
		return false
	}
	fn := runtime.FuncForPC(v.Pointer())
	return fn != nil && strings.HasPrefix(fn.Name(), "reflect.")
}
