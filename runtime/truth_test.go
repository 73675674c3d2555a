package lanes

import (
	"bytes"
	"fmt"
	"reflect"
	"runtime"
	rtrace "runtime/trace"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// checkPossible fails t unless run r could have happened on this machine:
// it was measured, its CPU fits in wall × GOMAXPROCS, no more tasks
// computed at once than there are Ps (or than maxPar), and neither a
// task's nor a lane's spans overlap.
func checkPossible(t *testing.T, what string, r *Run, maxPar int) {
	t.Helper()
	if !r.Measured {
		t.Errorf("%s: not measured: %s", what, r.Note)
		return
	}
	procs := runtime.GOMAXPROCS(0)
	if r.Procs != procs {
		t.Errorf("%s: Procs %d, GOMAXPROCS %d", what, r.Procs, procs)
	}
	if cpu, most := r.CPU(), r.Wall*time.Duration(procs); cpu > most {
		t.Errorf("%s: CPU %v > wall %v × %d Ps", what, cpu, r.Wall, procs)
	}
	if p := r.PeakParallelism(); p > min(procs, maxPar) {
		t.Errorf("%s: peak parallelism %d > min(GOMAXPROCS %d, %d)", what, p, procs, maxPar)
	}
	if r.Cores > procs || r.Cores < 1 {
		t.Errorf("%s: p = %d with %d Ps", what, r.Cores, procs)
	}
	for _, group := range []struct {
		name string
		key  func(Span) int
	}{{"task", func(s Span) int { return s.Task }}, {"lane", func(s Span) int { return s.Lane }}} {
		last := map[int]Span{}
		for _, s := range r.Spans { // sorted by start
			if s.End < s.Start {
				t.Errorf("%s: span ends before it starts: %+v", what, s)
			}
			if p, ok := last[group.key(s)]; ok && s.Start < p.End {
				t.Errorf("%s: spans of %s %d overlap: %+v and %+v", what, group.name, group.key(s), p, s)
				break
			}
			if p, ok := last[group.key(s)]; !ok || s.End > p.End {
				last[group.key(s)] = s
			}
		}
	}
	var prev time.Duration
	for _, s := range r.Other {
		if s.Start < prev || s.Kind != Other {
			t.Errorf("%s: other work overlaps or has kind %s: %+v", what, s.Kind, s)
		}
		prev = s.End
	}
}

func TestRealRunsArePossible(t *testing.T) {
	const d = 2 * time.Millisecond
	workloads := []struct {
		name string
		w    Workload
	}{
		{"compute", Identical(6, Compute(d))},
		{"wait", Identical(6, Wait(d))},
		{"mixed", LoadRender(6, d, d)},
		{"phases", SerialParallel(d, 4*d, 4)},
	}
	type strat struct {
		s      Strategy
		maxPar int // most tasks that may compute at once
	}
	many := 1 << 20
	strategies := []strat{
		{Sequential(), 1}, {EventLoop(), 1}, {GIL(time.Millisecond), 1}, {Threads(), many},
		{Pool(1), 1}, {Pool(2), 2}, {Pool(3), 3}, {Pool(16), 16}, {Pool(64), 64},
		{Pool(8).Limit(3), 3}, {Threads().Limit(2), 2}, {EventLoop().Limit(4), 1}, {GIL(0).Limit(2), 1},
	}
	for _, wl := range workloads {
		for _, st := range strategies {
			what := fmt.Sprintf("%s on %s", st.s, wl.name)
			r := st.s.Run(wl.w)
			checkPossible(t, what, r, st.maxPar)
			if len(r.Tasks) != len(wl.w) {
				t.Errorf("%s: %d tasks, want %d", what, len(r.Tasks), len(wl.w))
			}
			if st.s.limit > 0 && r.PeakConcurrency > st.s.limit {
				t.Errorf("%s: peak concurrency %d above the limit", what, r.PeakConcurrency)
			}
			// Measured waits are the declared ones less the moments
			// before a goroutine parks and after its timer (ready).
			if want := time.Duration(len(wl.w)) * d * 9 / 10; wl.name == "wait" && r.Time(Waiting)+r.Time(Ready) < want {
				t.Errorf("%s: waited %v and was ready %v, want at least %v", what, r.Time(Waiting), r.Time(Ready), want)
			}
		}
	}
}

// TestThreadsAllInProgress checks that a task started on a goroutine of its
// own is in progress from the start, even before it first gets a P.
func TestThreadsAllInProgress(t *testing.T) {
	r := Threads().Run(Identical(50, Compute(2*time.Millisecond)))
	checkPossible(t, "threads", r, 50)
	// Every goroutine is started at once; tasks that end before the last
	// one is started are the only ones not counted at the peak.
	if want := peakConcurrency(r.Plan, len(r.Tasks)); r.PeakConcurrency != want || want <= runtime.GOMAXPROCS(0) {
		t.Errorf("threads: peak concurrency %d, declared spans overlap %d, GOMAXPROCS %d", r.PeakConcurrency, want, runtime.GOMAXPROCS(0))
	}
	if r.Time(Ready) == 0 && runtime.GOMAXPROCS(0) < 50 {
		t.Errorf("threads: 50 goroutines on %d Ps never waited for a P", runtime.GOMAXPROCS(0))
	}
}

// TestLocksAndSemaphores runs code of its own through a Group and a
// Recorder: tasks that take a mutex, tasks capped by a semaphore.
func TestLocksAndSemaphores(t *testing.T) {
	for _, n := range []int{1, 2, 4, 16, 64} {
		var mu sync.Mutex
		g := NewGroup(n)
		for i := range 2 * n {
			g.Go(fmt.Sprint("locker", i), func(tk *Task) {
				tk.Lock(&mu)
				tk.Compute(300 * time.Microsecond)
				mu.Unlock()
				tk.Wait(200 * time.Microsecond)
			})
		}
		r := g.Wait()
		// Only the critical sections are serialised: a task leaving the
		// lock still runs while the next one computes in it.
		checkPossible(t, fmt.Sprintf("group(%d) with a mutex", n), r, n)
	}
	for _, k := range []int{1, 2, 3} {
		rec := NewRecorder()
		sem := make(chan struct{}, k)
		var wg sync.WaitGroup
		for i := range 8 {
			tk := rec.Task(fmt.Sprint("s", i))
			tk.Begin(Blocked) // queued for the semaphore from the start
			wg.Add(1)
			go func() {
				defer wg.Done()
				defer func() { <-sem }() // after Done: the task has ended
				defer tk.Done()
				sem <- struct{}{}
				tk.Compute(300 * time.Microsecond)
			}()
		}
		wg.Wait()
		r := rec.Run()
		checkPossible(t, fmt.Sprintf("semaphore(%d)", k), r, k)
	}
}

// TestNestedRunsAreMeasured checks that a run inside a traced run (a Group
// task that runs a pool) is measured too, through a flight recorder, or
// says it was not.
func TestNestedRunsAreMeasured(t *testing.T) {
	g := NewGroup(1)
	var inner *Run
	g.Go("outer", func(tk *Task) { inner = Pool(2).Run(Identical(4, Compute(time.Millisecond))) })
	outer := g.Wait()
	checkPossible(t, "outer group", outer, 1)
	if !inner.Measured && inner.Note == "" {
		t.Errorf("inner run neither measured nor explained")
	}
	if inner.Measured {
		checkPossible(t, "inner pool", inner, 2)
	}
}

// TestSequentialMatchesEventLoop compares the same pure computation run
// sequentially and on an event loop: the event loop adds only hand-overs,
// so the two cost the same within 5 %. Runs are interleaved and the least
// disturbed of each kind compared (other programs only ever add to a
// run's time). The cost is the CPU time the operating system gave the
// process, which a busy machine does not inflate; the runs' measured CPU
// is compared too when the machine is not busy.
func TestSequentialMatchesEventLoop(t *testing.T) {
	if testing.Short() || raceEnabled {
		t.Skip("compares measured times: not in -short or -race runs")
	}
	if _, ok := processCPU(); !ok {
		t.Skip("this system does not tell the process's CPU time")
	}
	w := Identical(8, Compute(3*time.Millisecond))
	ratios := func() (process, measured float64) {
		var seq, loop, seqRun, loopRun []float64
		for range 7 {
			c0, _ := processCPU()
			s := Sequential().Run(w)
			c1, _ := processCPU()
			l := EventLoop().Run(w)
			c2, _ := processCPU()
			seq, loop = append(seq, float64(c1-c0)), append(loop, float64(c2-c1))
			seqRun, loopRun = append(seqRun, float64(s.CPU())), append(loopRun, float64(l.CPU()))
		}
		return slices.Min(loop) / slices.Min(seq), slices.Min(loopRun) / slices.Min(seqRun)
	}
	near := func(r float64) bool { return r > 0.95 && r < 1.05 }
	var p, m float64
	for range 3 {
		if p, m = ratios(); near(p) && (near(m) || loadAverage() > float64(runtime.NumCPU())) {
			return
		}
	}
	if !near(p) {
		t.Errorf("event loop / sequential process CPU = %.3f on pure computation, want 1 ± 5%%", p)
	}
	if !near(m) && loadAverage() <= float64(runtime.NumCPU()) {
		t.Errorf("event loop / sequential measured CPU = %.3f on pure computation, want 1 ± 5%%", m)
	}
}

func TestMeasuredSpeedupCurve(t *testing.T) {
	cores := runtime.GOMAXPROCS(0)
	for _, tc := range []struct {
		name   string
		w      Workload
		serial bool
	}{
		{"no serial part", Identical(4, Compute(time.Millisecond)), false},
		{"serial part", SerialParallel(2*time.Millisecond, 4*time.Millisecond, 4), true},
	} {
		c := MeasureSpeedup(tc.w, 3)
		if c.Cores != cores || c.Serial != tc.serial {
			t.Errorf("%s: cores %d serial %v", tc.name, c.Cores, c.Serial)
		}
		text := c.Text()
		limited := strings.Contains(text, "limited by")
		if limited == tc.serial || strings.Contains(text, "Amdahl's law with p") == !tc.serial {
			t.Errorf("%s: text does not say what limits the curve:\n%s", tc.name, text)
		}
		for _, v := range c.VegaLite()["data"].(map[string]any)["values"].([]any) {
			m := v.(map[string]any)
			if m["series"] == "ideal" && m["speedup"].(float64) > float64(min(m["workers"].(int), cores)) {
				t.Errorf("%s: ideal %v on %v workers with %d cores", tc.name, m["speedup"], m["workers"], cores)
			}
		}
	}
}

// TestAbandonedRecorderYields checks that recorders nobody ran (one per
// trial, only the last looked at) do not keep later runs from being
// measured.
func TestAbandonedRecorderYields(t *testing.T) {
	var last *Recorder
	for range 4 {
		last = NewRecorder()
		tk := last.Task("trial")
		tk.Compute(200 * time.Microsecond)
		tk.Done()
	}
	r := Pool(2).Run(Identical(2, Compute(time.Millisecond)))
	checkPossible(t, "pool after abandoned recorders", r, 2)
	checkPossible(t, "the last recorder", last.Run(), 1)
}

// TestBusyMachineNote checks the table's note on runs during which other
// programs had the cores: it names exactly the runs whose stolen share is
// above a tenth.
func TestBusyMachineNote(t *testing.T) {
	quiet := &Run{Name: "quiet", Measured: true, Wall: 10, Cores: 1, Procs: 2,
		Spans: []Span{{Kind: Computing, Start: 0, End: 10}}, Stolen: 0}
	busy := &Run{Name: "busy", Measured: true, Wall: 10, Cores: 1, Procs: 2,
		Spans: []Span{{Kind: Computing, Start: 0, End: 10}}, Stolen: 5}
	text := NewTable(quiet, busy).Text()
	if !strings.Contains(text, "Busy machine: during busy other programs") || strings.Contains(text, "during quiet") {
		t.Errorf("busy note:\n%s", text)
	}
	if strings.Contains(NewTable(quiet).Text(), "Busy machine") {
		t.Errorf("a quiet run is called busy")
	}
}

// TestTraceAfterAbandonedRecorder checks that lanes.Trace can run after a
// recorder nobody ran.
func TestTraceAfterAbandonedRecorder(t *testing.T) {
	rec := NewRecorder()
	tk := rec.Task("left behind")
	tk.Done()
	if _, err := Trace(func() { Work(time.Millisecond) }); err != nil {
		t.Fatalf("Trace after an idle recorder: %v", err)
	}
	if r := rec.Run(); !r.Measured {
		t.Errorf("the idle recorder's run: %s", r.Note)
	}
}

// TestRunBesideOwnTrace checks a run while the program traces itself (as
// go test -trace does): the run is measured through a flight recorder; and
// that a run that can have neither says so instead of guessing.
func TestRunBesideOwnTrace(t *testing.T) {
	if rtrace.IsEnabled() {
		t.Skip("the tracer is already on (go test -trace)")
	}
	var buf bytes.Buffer
	if err := rtrace.Start(&buf); err != nil {
		t.Fatal(err)
	}
	defer rtrace.Stop()
	r := Pool(2).Run(Identical(4, Compute(time.Millisecond)))
	checkPossible(t, "pool beside a trace", r, 2)

	fr := rtrace.NewFlightRecorder(rtrace.FlightRecorderConfig{})
	if err := fr.Start(); err != nil {
		t.Fatal(err)
	}
	defer fr.Stop()
	r = Pool(2).Run(Identical(4, Compute(time.Millisecond)))
	if r.Measured || !strings.Contains(r.Note, "not measured") {
		t.Errorf("run with the tracer and the flight recorder busy: measured %v, note %q", r.Measured, r.Note)
	}
	if text := r.Table().Text(); !strings.Contains(text, "not measured") || !strings.Contains(text, "—") {
		t.Errorf("the table does not say the run was not measured, or shows its declared CPU:\n%s", text)
	}
}

// TestInterpretedTasks checks how runs tell interpreted tasks: a func made
// by reflect.MakeFunc (which is how the interpreter hands cell funcs to
// compiled code) is interpreted, a compiled func is not.
func TestInterpretedTasks(t *testing.T) {
	compiled := func(tk *Task) { tk.Compute(100 * time.Microsecond) }
	made := reflect.MakeFunc(reflect.TypeOf(compiled), func(args []reflect.Value) []reflect.Value {
		compiled(args[0].Interface().(*Task))
		return nil
	}).Interface().(func(*Task))
	for _, tc := range []struct {
		name string
		f    func(*Task)
		want bool
	}{{"compiled", compiled, false}, {"made by reflect", made, true}} {
		g := NewGroup(1)
		g.Go("job", tc.f)
		r := g.Wait()
		if r.Interpreted != tc.want {
			t.Errorf("%s: Interpreted = %v", tc.name, r.Interpreted)
		}
		if has := strings.Contains(r.Table().Text(), "Interpreted:"); has != tc.want {
			t.Errorf("%s: table note %v", tc.name, has)
		}
	}
	// NewRecorder called through reflection, as cells call it.
	rec := reflect.ValueOf(NewRecorder).Call(nil)[0].Interface().(*Recorder)
	rec.Task("t").Done()
	if !rec.Run().Interpreted {
		t.Errorf("a recorder made through reflection is not marked interpreted")
	}
}

// TestConcurrentRuns runs several real runs at once: each is measured
// (from the trace or a flight recorder) or says it was not, and each one
// measured is possible.
func TestConcurrentRuns(t *testing.T) {
	runs := make([]*Run, 4)
	var wg sync.WaitGroup
	for i := range runs {
		wg.Go(func() { runs[i] = Pool(2).Run(Identical(4, Compute(500*time.Microsecond), Wait(time.Millisecond))) })
	}
	wg.Wait()
	for i, r := range runs {
		if r.Measured {
			checkPossible(t, fmt.Sprint("concurrent run ", i), r, 2)
		} else if !strings.HasPrefix(r.Note, "not measured") {
			t.Errorf("concurrent run %d neither measured nor explained: %q", i, r.Note)
		}
	}
}

// TestDeclarationSharesTheTraceClock measures runs whose recorder clock is
// 2 ms off the trace's, either way, as a goroutine that loses its thread
// between logging a step and reading the clock makes it: tasks queued for
// a semaphore(1) must still never compute beside the one that holds it,
// their compute must be measured, and the plan must line up with what was
// measured.
func TestDeclarationSharesTheTraceClock(t *testing.T) {
	for _, skew := range []time.Duration{-2 * time.Millisecond, 2 * time.Millisecond} {
		what := fmt.Sprintf("semaphore(1), recorder clock %v off", skew)
		rec := NewRecorder()
		rec.start = rec.start.Add(skew)
		sem := make(chan struct{}, 1)
		var wg sync.WaitGroup
		for i := range 6 {
			tk := rec.Task(fmt.Sprint("s", i))
			tk.Begin(Blocked)
			wg.Add(1)
			go func() {
				defer wg.Done()
				defer func() { <-sem }()
				defer tk.Done()
				sem <- struct{}{}
				tk.Compute(300 * time.Microsecond)
			}()
		}
		wg.Wait()
		r := rec.Run()
		checkPossible(t, what, r, 1)
		for _, p := range r.Plan {
			if p.Start < 0 || p.End > r.Wall {
				t.Errorf("%s: declared span %+v outside the measured window 0..%v", what, p, r.Wall)
			}
		}
		if got := r.CPU(); got < 6*300*time.Microsecond/2 {
			t.Errorf("%s: measured CPU %v for 6 × 300µs of declared compute", what, got)
		}
	}
}
