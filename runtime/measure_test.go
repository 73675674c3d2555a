package lanes

import (
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// BenchmarkTracingOverhead compares a 100 ms real run (pool(2), 20 tasks of
// 10 ms) measured from an execution trace with the same run untraced, in
// alternation, and reports the median wall time of each and their ratio,
// and the same ratio of the CPU time the process used for the run (which a
// busy machine disturbs less than the wall time), start and stop included.
func BenchmarkTracingOverhead(b *testing.B) {
	w := Identical(20, Compute(10*time.Millisecond))
	var traced, plain, tracedCPU, plainCPU []float64
	cpu := func() float64 { c, _ := processCPU(); return float64(c) }
	for b.Loop() {
		c0 := cpu()
		traced = append(traced, float64(Pool(2).run(w, true).Wall))
		c1 := cpu()
		plain = append(plain, float64(Pool(2).run(w, false).Wall))
		c2 := cpu()
		tracedCPU = append(tracedCPU, c1-c0)
		plainCPU = append(plainCPU, c2-c1)
	}
	mt, mp := median(traced), median(plain)
	b.ReportMetric(mt/1e6, "ms-traced")
	b.ReportMetric(mp/1e6, "ms-untraced")
	b.ReportMetric(100*(mt/mp-1), "%overhead")
	if p := median(plainCPU); p > 0 {
		b.ReportMetric(100*(median(tracedCPU)/p-1), "%cpu-overhead")
	}
}

// BenchmarkTracingCost reports what measuring adds around a run of many
// short tasks (a pool of 4, 1000 tasks that wait and compute): the time to
// start the tracer, and to stop it and read the trace, outside the run's
// wall time; and the trace's size per 10^4 measured spans.
func BenchmarkTracingCost(b *testing.B) {
	w := Identical(1000, Wait(20*time.Microsecond), Compute(20*time.Microsecond))
	var bytes, spans float64
	var starts, finishes []float64
	for b.Loop() {
		rec := newRecorder("bench")
		var lanes []*laneRec
		for range 4 {
			lanes = append(lanes, rec.newLane("worker"))
		}
		t0 := time.Now()
		rec.measure()
		starts = append(starts, float64(time.Since(t0)))
		var next atomic.Int64
		var wg sync.WaitGroup
		for _, l := range lanes {
			wg.Go(func() {
				for k := int(next.Add(1)) - 1; k < len(w); k = int(next.Add(1)) - 1 {
					runTask(rec, l, w[k], nil, nil, nil)
				}
			})
		}
		wg.Wait()
		t1 := time.Now()
		r := rec.finish("bench", 1)
		finishes = append(finishes, float64(time.Since(t1)))
		if !r.Measured {
			b.Fatal(r.Note)
		}
		bytes += float64(len(rec.tr.data))
		spans += float64(len(r.Spans))
	}
	b.ReportMetric(bytes/spans*1e4/1024, "KiB/1e4spans")
	b.ReportMetric(spans/float64(b.N), "spans/run")
	b.ReportMetric(median(starts)/1e6, "ms-start")
	b.ReportMetric(median(finishes)/1e6, "ms-stop+read")
}

func median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	return s[len(s)/2]
}

func TestReconcile(t *testing.T) {
	sp := func(k Kind, a, b time.Duration) Span { return Span{Kind: k, Start: a, End: b} }
	plan := []Span{sp(Ready, 0, 10), sp(Computing, 10, 20), sp(Waiting, 20, 30), sp(Blocked, 30, 40)}
	for _, tc := range []struct {
		name string
		m    Span
		want []Span
	}{
		{"running in a compute step", sp(Computing, 12, 18), []Span{sp(Computing, 12, 18)}},
		{"running across the start of a wait", sp(Computing, 15, 25), []Span{sp(Computing, 15, 20), sp(Waiting, 20, 25)}},
		{"running while queued for the loop", sp(Computing, 5, 12), []Span{sp(Ready, 5, 10), sp(Computing, 10, 12)}},
		{"runnable is ready whatever was declared", sp(Ready, 18, 22), []Span{sp(Ready, 18, 22)}},
		{"blocked in a compute step", sp(Blocked, 11, 13), []Span{sp(Blocked, 11, 13)}},
		{"blocked while queued for the loop", sp(Blocked, 2, 8), []Span{sp(Ready, 2, 8)}},
		{"asleep while declared blocked", sp(Waiting, 32, 38), []Span{sp(Blocked, 32, 38)}},
		{"outside the task's life", sp(Computing, 40, 45), nil},
		{"partly outside", sp(Computing, 38, 45), []Span{sp(Blocked, 38, 40)}},
	} {
		got := reconcile(nil, tc.m, plan)
		if !slices.Equal(got, tc.want) {
			t.Errorf("%s: got %v, want %v", tc.name, got, tc.want)
		}
	}
}

func TestParseLog(t *testing.T) {
	for _, tc := range []struct {
		msg, rec string
		want     logMsg
		ok       bool
	}{
		{"12 b 3", "12", logMsg{'b', 3, noKind}, true},
		{"12 s", "12", logMsg{'s', -1, noKind}, true},
		{"12 c 4 2", "12", logMsg{'c', 4, int(Blocked)}, true},
		{"12 b 0 0", "12", logMsg{'b', 0, int(Computing)}, true},
		{"123 b 3", "12", logMsg{}, false},
		{"12 b x", "12", logMsg{}, false},
		{"12 b -1", "12", logMsg{}, false},
		{"12 b 3 9", "12", logMsg{}, false},
		{"12 b 3 x", "12", logMsg{}, false},
		{"12 bb 3", "12", logMsg{}, false},
		{"7 e 0", "12", logMsg{}, false},
	} {
		got, ok := parseLog(tc.msg, tc.rec)
		if ok != tc.ok || ok && got != tc.want {
			t.Errorf("parseLog(%q, %q) = %+v %v, want %+v %v", tc.msg, tc.rec, got, ok, tc.want, tc.ok)
		}
	}
}

func TestPlanRun(t *testing.T) {
	r := Pool(2).Run(Identical(3, Compute(200*time.Microsecond), Wait(200*time.Microsecond)))
	p := r.PlanRun()
	if !r.Measured || p.Measured || len(p.Spans) == 0 || len(p.Lanes) != len(r.Lanes) {
		t.Fatalf("plan of %v: %+v", r, p)
	}
	for _, s := range p.Spans {
		if s.Kind == Ready || s.Kind == Other {
			t.Errorf("a declared pool task has a %s span", s.Kind)
		}
	}
	tl := Timelines(p, r)
	if n := len(tl.Runs()[1].Lanes); n != len(r.Lanes)+1 {
		t.Errorf("the measured timeline draws %d lanes, want the tasks' and %q", n, OtherLane)
	}
}

func TestWrap(t *testing.T) {
	for _, tc := range []struct {
		s     string
		width int
		want  string
	}{
		{"one two three", 80, "one two three\n"},
		{"one two three", 7, "one two\nthree\n"},
		{"averyveryverylongword x", 5, "averyveryverylongword\nx\n"},
	} {
		if got := wrap(tc.s, tc.width); got != tc.want {
			t.Errorf("wrap(%q, %d) = %q, want %q", tc.s, tc.width, got, tc.want)
		}
	}
}
