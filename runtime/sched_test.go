package lanes

import (
	"runtime"
	"sync"
	"testing"
	"time"
)

// twoWorkers starts two goroutines that compute, then waits for them.
func twoWorkers() {
	var wg sync.WaitGroup
	for i := 0; i < 2; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			Work(30 * time.Millisecond)
		}()
	}
	wg.Wait()
	time.Sleep(time.Millisecond)
}

// oursParallel is the peak number of Ps running the function's goroutines.
func oursParallel(r *Run) int {
	other := len(r.Tasks) - 1
	mine := &Run{Lanes: r.Lanes, Tasks: r.Tasks}
	for _, s := range r.Spans {
		if s.Task != other {
			mine.Spans = append(mine.Spans, s)
		}
	}
	return mine.PeakParallelism()
}

func TestTraceSchedulerView(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the execution tracer")
	}
	old := runtime.GOMAXPROCS(1)
	st, err := Trace(twoWorkers)
	runtime.GOMAXPROCS(old)
	if err != nil {
		t.Fatal(err)
	}
	if len(st.Goroutines.Lanes) != 3 || st.Goroutines.Lanes[0] != "main" {
		t.Fatalf("goroutine lanes %v, want main and two workers", st.Goroutines.Lanes)
	}
	if p := oursParallel(st.Procs); p != 1 {
		t.Errorf("GOMAXPROCS(1): %d goroutines ran at once", p)
	}
	if st.Goroutines.Time(Ready) == 0 {
		t.Error("GOMAXPROCS(1): no goroutine was ever runnable-but-waiting")
	}
	if st.Goroutines.Time(Blocked) == 0 {
		t.Error("main was never blocked on the WaitGroup")
	}
	// On one P the two workers compute one after the other, so computing
	// fills most of the traced time. (Not an absolute figure: calibrated
	// work takes longer or shorter on a busy machine.)
	if cpu, wall := st.Goroutines.CPU(), st.Goroutines.Wall; cpu == 0 || cpu < wall/2 {
		t.Errorf("goroutines computed %v of %v traced, want most of it", cpu, wall)
	}
	if runtime.NumCPU() < 2 || raceEnabled {
		return
	}
	c := bestOf(3, func() *Comparison {
		c, err := TraceProcs(twoWorkers, 1, 2)
		if err != nil {
			t.Fatal(err)
		}
		return c
	}, func(c *Comparison) bool { return oursParallel(c.Table.Runs[1]) == 2 })
	if p := oursParallel(c.Table.Runs[1]); p != 2 {
		t.Errorf("GOMAXPROCS(2): at most %d goroutines ran at once, want 2", p)
	}
	if c.Table.Runs[0].Name != "GOMAXPROCS(1)" || len(c.Table.Runs[1].Lanes) < 2 {
		t.Errorf("runs %q with lanes %v", c.Table.Runs[0].Name, c.Table.Runs[1].Lanes)
	}
}
