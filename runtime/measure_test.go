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
// alternation, and reports the median wall time of each and their ratio.
func BenchmarkTracingOverhead(b *testing.B) {
	w := Identical(20, Compute(10*time.Millisecond))
	var traced, plain []float64
	for b.Loop() {
		traced = append(traced, float64(Pool(2).run(w, true).Wall))
		plain = append(plain, float64(Pool(2).run(w, false).Wall))
	}
	mt, mp := median(traced), median(plain)
	b.ReportMetric(mt/1e6, "ms-traced")
	b.ReportMetric(mp/1e6, "ms-untraced")
	b.ReportMetric(100*(mt/mp-1), "%overhead")
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
