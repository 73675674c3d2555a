package lanes

import (
	"math"
	"testing"
	"time"
)

// computeOrder returns the task names of the compute spans in time order.
func computeOrder(r *Run) []string {
	var out []string
	for _, s := range r.Spans { // Spans are sorted by start
		if s.Kind == Computing {
			out = append(out, r.Tasks[s.Task])
		}
	}
	return out
}

func TestSimTimeSlicing(t *testing.T) {
	w := Workload{NewTask("A", Compute(20*Unit)), NewTask("B", Compute(20*Unit))}
	for _, tc := range []struct {
		slice time.Duration
		turns int // compute spans in the run
	}{{1 * Unit, 40}, {2 * Unit, 20}, {5 * Unit, 8}, {20 * Unit, 2}} {
		r := Threads().Simulate(w, Machine{Cores: 1, Slice: tc.slice})
		if r.Wall != 40*Unit {
			t.Errorf("slice %v: wall = %v, want 40 units", tc.slice, r.Wall)
		}
		order := computeOrder(r)
		if len(order) != tc.turns {
			t.Errorf("slice %v: %d compute spans, want %d", tc.slice, len(order), tc.turns)
		}
		for i, name := range order {
			if want := "AB"[i%2 : i%2+1]; name != want {
				t.Errorf("slice %v: turn %d ran %s, want %s (alternating)", tc.slice, i, name, want)
				break
			}
		}
		if got := r.CPU(); got != 40*Unit {
			t.Errorf("slice %v: CPU = %v, want 40 units", tc.slice, got)
		}
		if r.PeakParallelism() != 1 {
			t.Errorf("slice %v: peak parallelism %d on one core", tc.slice, r.PeakParallelism())
		}
	}
}

func TestSimParallelWorkers(t *testing.T) {
	w := Identical(8, Compute(10*Unit))
	base := Pool(1).Simulate(w, Machine{})
	for _, tc := range []struct {
		workers int
		wall    time.Duration
		speedup float64
		idle    int // lanes without a span
	}{{1, 80 * Unit, 1, 0}, {2, 40 * Unit, 2, 0}, {8, 10 * Unit, 8, 0}, {9, 10 * Unit, 8, 1}} {
		r := Pool(tc.workers).Simulate(w, Machine{})
		if r.Wall != tc.wall {
			t.Errorf("%d workers: wall %v, want %v", tc.workers, r.Wall, tc.wall)
		}
		if s := r.Speedup(base); s != tc.speedup {
			t.Errorf("%d workers: speedup %v, want %v", tc.workers, s, tc.speedup)
		}
		if r.CPU() != 80*Unit {
			t.Errorf("%d workers: CPU %v, want 80 units", tc.workers, r.CPU())
		}
		idle := 0
		for _, l := range r.Lanes {
			if len(r.LaneSpans(l)) == 0 {
				idle++
			}
		}
		if idle != tc.idle {
			t.Errorf("%d workers: %d idle lanes, want %d", tc.workers, idle, tc.idle)
		}
		if tc.workers == 9 && len(r.LaneSpans("worker 9")) != 0 {
			t.Errorf("the ninth worker should be idle")
		}
	}
}

func TestAmdahl(t *testing.T) {
	if got := Amdahl(0.8, 1<<30); got >= 5 || got < 4.99 {
		t.Errorf("Amdahl(0.8, huge) = %v, want just under 5", got)
	}
	if got := AmdahlLimit(0.8); math.Abs(got-5) > 1e-12 {
		t.Errorf("AmdahlLimit(0.8) = %v, want 5", got)
	}
	for n := 1; n <= 64; n++ {
		if Amdahl(0.8, n) > 5 {
			t.Fatalf("Amdahl(0.8, %d) > 5", n)
		}
	}
	// 20 units serial, 80 parallel in 8 pieces: exact on 1, 2, 4, 8 workers.
	w := SerialParallel(20*Unit, 80*Unit, 8)
	c := Speedup(w, 8)
	if math.Abs(c.Fraction-0.8) > 0.05 {
		t.Errorf("fitted parallel fraction %v, want about 0.8", c.Fraction)
	}
	for _, p := range c.Points {
		want := Amdahl(0.8, p.Workers)
		switch p.Workers {
		case 1, 2, 4, 8:
			if math.Abs(p.Speedup-want) > 1e-9 {
				t.Errorf("%d workers: simulated speedup %v, Amdahl %v", p.Workers, p.Speedup, want)
			}
		default:
			if p.Speedup > want+1e-9 {
				t.Errorf("%d workers: simulated speedup %v beats Amdahl %v", p.Workers, p.Speedup, want)
			}
		}
	}
	// With 840 pieces every worker count 1..8 divides the parallel part
	// evenly, and the whole curve follows the formula.
	fine := Speedup(SerialParallel(20*Unit, 80*Unit, 840), 8)
	for _, p := range fine.Points {
		if want := Amdahl(0.8, p.Workers); math.Abs(p.Speedup-want)/want > 1e-5 {
			t.Errorf("840 pieces, %d workers: speedup %v, Amdahl %v", p.Workers, p.Speedup, want)
		}
	}
	if math.Abs(fine.Fraction-0.8) > 1e-5 {
		t.Errorf("840 pieces: fitted fraction %v, want 0.8", fine.Fraction)
	}
}

// strategiesForFibVsDownload are the four ways of the fib-vs-download
// experiment.
var strategiesForFibVsDownload = []Strategy{Sequential(), EventLoop(), GIL(0), Pool(8)}

func TestSimFibVsDownload(t *testing.T) {
	half := Units(0.5)
	compute := Identical(50, Compute(half))
	wait := Identical(50, Wait(half))
	m := Machine{Cores: 8}
	walls := func(w Workload) map[string]time.Duration {
		out := map[string]time.Duration{}
		for _, s := range strategiesForFibVsDownload {
			out[s.String()] = s.Simulate(w, m).Wall
		}
		return out
	}
	c, wt := walls(compute), walls(wait)
	seq, loop, gil, pool := "sequential", "event loop", "threads+GIL(5ms)", "pool(8)"
	if c[seq] != 25*Unit || wt[seq] != 25*Unit {
		t.Fatalf("sequential: compute %v, wait %v; want 25 units each", c[seq], wt[seq])
	}
	// Compute-bound: only the pool gains; the loop and the lock are no faster.
	if c[pool] >= c[seq] {
		t.Errorf("compute: pool %v not faster than sequential %v", c[pool], c[seq])
	}
	for _, k := range []string{loop, gil} {
		if c[k] < c[seq] {
			t.Errorf("compute: %s %v faster than sequential %v", k, c[k], c[seq])
		}
	}
	// Wait-bound: every concurrent executor gains.
	for _, k := range []string{loop, gil, pool} {
		if wt[k] >= wt[seq] {
			t.Errorf("wait: %s %v not faster than sequential %v", k, wt[k], wt[seq])
		}
	}
	if wt[loop] != half || wt[gil] != half || wt[pool] != 7*half {
		t.Errorf("wait: loop %v, GIL %v, pool %v; want 0.5, 0.5, 3.5 units", wt[loop], wt[gil], wt[pool])
	}
	if c[pool] != 7*half {
		t.Errorf("compute: pool(8) %v, want 3.5 units", c[pool])
	}
}

func TestSimImageLoading(t *testing.T) {
	w := LoadRender(16, 10*Unit, 5*Unit).Jitter(0.3, 7)
	walls := map[string]time.Duration{}
	for _, s := range []Strategy{Sequential(), EventLoop().Limit(8), Pool(8)} {
		r := s.Simulate(w, Machine{})
		walls[s.String()] = r.Wall
		if s.String() != "sequential" && r.PeakConcurrency != 8 {
			t.Errorf("%s: peak concurrency %d, want 8", s, r.PeakConcurrency)
		}
	}
	seq, loop, pool := walls["sequential"], walls["event loop, limit 8"], walls["pool(8)"]
	if !(seq > loop && loop > pool) {
		t.Errorf("want sequential > event loop > pool, got %v > %v > %v", seq, loop, pool)
	}
}

func TestSimDeterministic(t *testing.T) {
	w := Random(200, 10*Unit, 10*Unit, 1)
	for _, s := range []Strategy{Sequential(), EventLoop().Limit(5), GIL(2 * Unit), Pool(4), Threads()} {
		a := s.Simulate(w, Machine{Cores: 3, Slice: Unit})
		b := s.Simulate(w, Machine{Cores: 3, Slice: Unit})
		if a.Wall != b.Wall || len(a.Spans) != len(b.Spans) {
			t.Fatalf("%s: two simulations differ", s)
		}
		for i := range a.Spans {
			if a.Spans[i] != b.Spans[i] {
				t.Fatalf("%s: span %d differs: %+v vs %+v", s, i, a.Spans[i], b.Spans[i])
			}
		}
		// Every task's compute and wait is accounted for exactly.
		c, wt := w.Total()
		if a.CPU() != c || a.Time(Waiting) != wt {
			t.Errorf("%s: CPU %v wait %v, want %v and %v", s, a.CPU(), a.Time(Waiting), c, wt)
		}
	}
}

func TestSimGIL(t *testing.T) {
	// Two threads computing 10 units with a switch interval of 2: the lock
	// changes hands every 2 units, the other thread is blocked meanwhile.
	w := Identical(2, Compute(10*Unit))
	r := GIL(2*Unit).Simulate(w, Machine{Cores: 4})
	if r.Wall != 20*Unit {
		t.Fatalf("wall %v, want 20 units", r.Wall)
	}
	if r.PeakParallelism() != 1 {
		t.Errorf("peak parallelism %d under a global lock", r.PeakParallelism())
	}
	if len(computeOrder(r)) != 10 {
		t.Errorf("%d compute spans, want 10", len(computeOrder(r)))
	}
	if r.Time(Blocked) == 0 {
		t.Error("no blocked time recorded under the lock")
	}
	// A wait hands the lock over at once.
	w2 := Workload{NewTask("A", Compute(2*Unit), Wait(10*Unit), Compute(2*Unit)), NewTask("B", Compute(6*Unit))}
	r2 := GIL(100*Unit).Simulate(w2, Machine{})
	if r2.Wall != 14*Unit {
		t.Errorf("wall %v, want 14 units (B computes during A's wait)", r2.Wall)
	}
}

func TestSimPhases(t *testing.T) {
	w := Identical(2, Compute(5*Unit)).Then(Identical(2, Compute(3*Unit)))
	r := Pool(4).Simulate(w, Machine{})
	if r.Wall != 8*Unit {
		t.Fatalf("wall %v, want 8 units (5 then 3)", r.Wall)
	}
}
