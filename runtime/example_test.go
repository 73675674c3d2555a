package lanes_test

import (
	"fmt"
	"sync"
	"time"

	"github.com/lanes-dev/lanes/runtime"
)

// Two tasks of 20 units share one core in slices of 5: the total stays 40,
// and the core alternates between them.
func ExampleMachine() {
	w := lanes.Workload{
		lanes.NewTask("A", lanes.Compute(20*lanes.Unit)),
		lanes.NewTask("B", lanes.Compute(20*lanes.Unit)),
	}
	r := lanes.Threads().Simulate(w, lanes.Machine{Cores: 1, Slice: 5 * lanes.Unit})
	fmt.Println(lanes.InUnits(r.Wall))
	tl := r.Timeline()
	tl.Columns = 60
	fmt.Print(tl)
	// Output:
	// 40
	// threads — wall 40 u, CPU 40 u
	// A    │███████······███████······███████·······███████      │
	// B    │·······██████·······███████······███████······███████│
	//      └┴────────────┴────────────┴────────────┴────────────┴┘
	//       0           10           20           30           40
	//       time in units:   █ compute   · ready
}

// Eight tasks of 10 units on 1, 2, 8 and 9 workers.
func ExamplePool() {
	w := lanes.Identical(8, lanes.Compute(10*lanes.Unit))
	one := lanes.Pool(1).Simulate(w, lanes.Machine{})
	for _, n := range []int{1, 2, 8, 9} {
		r := lanes.Pool(n).Simulate(w, lanes.Machine{})
		fmt.Printf("%d workers: %v units, speedup %.0f×\n", n, lanes.InUnits(r.Wall), r.Speedup(one))
	}
	// Output:
	// 1 workers: 80 units, speedup 1×
	// 2 workers: 40 units, speedup 2×
	// 8 workers: 10 units, speedup 8×
	// 9 workers: 10 units, speedup 8×
}

// The fib-vs-download experiment: 50 tasks that compute for half a unit,
// and 50 that wait for half a unit, four ways.
func ExampleCompareSim() {
	half := lanes.Units(0.5)
	ways := []lanes.Strategy{lanes.Sequential(), lanes.EventLoop(), lanes.GIL(0), lanes.Pool(8)}
	fmt.Print(lanes.CompareSim(lanes.Identical(50, lanes.Compute(half)), lanes.Machine{}, ways...).Table)
	fmt.Println()
	fmt.Print(lanes.CompareSim(lanes.Identical(50, lanes.Wait(half)), lanes.Machine{}, ways...).Table)
	// Output:
	// strategy           wall   CPU  speedup  eff.  conc.  par.
	// ─────────────────────────────────────────────────────────
	// sequential         25 u  25 u       1×  100%      1     1
	// event loop         25 u  25 u       1×  100%     50     1
	// threads+GIL(5ms)   25 u  25 u       1×  100%     50     1
	// pool(8)           3.5 u  25 u    7.14×   89%      8     8
	// eff. = efficiency, conc. = peak concurrency, par. = peak parallelism
	//
	// strategy           wall  CPU  speedup   eff.  conc.  par.
	// ─────────────────────────────────────────────────────────
	// sequential         25 u  0 u       1×   100%      1     0
	// event loop        0.5 u  0 u      50×  5000%     50     0
	// threads+GIL(5ms)  0.5 u  0 u      50×  5000%     50     0
	// pool(8)           3.5 u  0 u    7.14×    89%      8     0
	// eff. = efficiency, conc. = peak concurrency, par. = peak parallelism
}

// 16 pixels, each loaded (a wait) then rendered (a computation), at most
// 8 at a time.
func ExampleCompare() {
	w := lanes.LoadRender(16, 10*lanes.Unit, 5*lanes.Unit)
	c := lanes.Compare(
		lanes.Sequential().Simulate(w, lanes.Machine{}),
		lanes.EventLoop().Limit(8).Simulate(w, lanes.Machine{}),
		lanes.Pool(8).Simulate(w, lanes.Machine{}),
	)
	fmt.Print(c.Table)
	// Output:
	// strategy              wall   CPU  speedup  eff.  conc.  par.
	// ────────────────────────────────────────────────────────────
	// sequential           240 u  80 u       1×  100%      1     1
	// event loop, limit 8   90 u  80 u    2.67×  267%      8     1
	// pool(8)               30 u  80 u       8×  100%      8     8
	// eff. = efficiency, conc. = peak concurrency, par. = peak parallelism
}

func ExampleAmdahl() {
	for _, n := range []int{1, 2, 4, 8, 1000} {
		fmt.Printf("80%% parallel on %d workers: %.2f×\n", n, lanes.Amdahl(0.8, n))
	}
	fmt.Printf("limit: %.0f×\n", lanes.AmdahlLimit(0.8))
	// Output:
	// 80% parallel on 1 workers: 1.00×
	// 80% parallel on 2 workers: 1.67×
	// 80% parallel on 4 workers: 2.50×
	// 80% parallel on 8 workers: 3.33×
	// 80% parallel on 1000 workers: 4.98×
	// limit: 5×
}

// A program with 20 units of serial work and 80 of parallel work follows
// Amdahl's law with p = 0.8.
func ExampleSpeedup() {
	c := lanes.Speedup(lanes.SerialParallel(20*lanes.Unit, 80*lanes.Unit, 840), 8)
	fmt.Print(c)
	// Output:
	// pool(1..8) — speedup vs Amdahl's law with p = 0.8 (limit 5×)
	//   1 worker        1×  █████                                     Amdahl 1×
	//   2 workers    1.67×  ████████                                  Amdahl 1.67×
	//   3 workers    2.14×  ███████████                               Amdahl 2.14×
	//   4 workers     2.5×  ████████████                              Amdahl 2.5×
	//   5 workers    2.78×  ██████████████                            Amdahl 2.78×
	//   6 workers       3×  ███████████████                           Amdahl 3×
	//   7 workers    3.18×  ████████████████                          Amdahl 3.18×
	//   8 workers    3.33×  █████████████████                         Amdahl 3.33×
}

func ExampleGIL() {
	// Two threads computing 4 units each; the lock changes hands every
	// 2 units, so compute never overlaps.
	r := lanes.GIL(2*lanes.Unit).Simulate(lanes.Identical(2, lanes.Compute(4*lanes.Unit)), lanes.Machine{Cores: 2})
	for _, s := range r.Spans {
		if s.Kind == lanes.Computing {
			fmt.Println(r.Tasks[s.Task], lanes.InUnits(s.Start), lanes.InUnits(s.End))
		}
	}
	fmt.Println("blocked:", lanes.InUnits(r.Time(lanes.Blocked)))
	// Output:
	// T1 0 2
	// T2 2 4
	// T1 4 6
	// T2 6 8
	// blocked: 6
}

func ExampleEventLoop() {
	// A task keeps the loop until it waits: B's compute runs while A waits.
	w := lanes.Workload{
		lanes.NewTask("A", lanes.Compute(2*lanes.Unit), lanes.Wait(6*lanes.Unit), lanes.Compute(lanes.Unit)),
		lanes.NewTask("B", lanes.Compute(4*lanes.Unit)),
	}
	r := lanes.EventLoop().Simulate(w, lanes.Machine{})
	fmt.Println(lanes.InUnits(r.Wall), "units")
	tl := r.Timeline()
	tl.Columns = 40
	fmt.Print(tl)
	// Output:
	// 9 units
	// event loop — wall 9 u, CPU 7 u
	// A    │███████░░░░░░░░░░░░░░░░░░░░░░████│
	// B    │·······███████████████           │
	//      └┴─────────────────┴──────────────┘
	//       0                 5 units
	//       █ compute   ░ wait   · ready
}

func ExampleSequential() {
	r := lanes.Sequential().Simulate(lanes.Identical(3, lanes.Wait(lanes.Unit), lanes.Compute(lanes.Unit)), lanes.Machine{})
	fmt.Println(r.Lanes, lanes.InUnits(r.Wall), lanes.InUnits(r.CPU()))
	// Output:
	// [main] 6 3
}

func ExampleStrategy_Limit() {
	w := lanes.Identical(6, lanes.Wait(lanes.Unit))
	r := lanes.Threads().Limit(2).Simulate(w, lanes.Machine{})
	fmt.Println(lanes.InUnits(r.Wall), "units, at most", r.PeakConcurrency, "at once")
	// Output:
	// 3 units, at most 2 at once
}

func ExampleStrategy_String() {
	for _, s := range []lanes.Strategy{lanes.Sequential(), lanes.EventLoop().Limit(8), lanes.GIL(0), lanes.Threads(), lanes.Pool(4)} {
		fmt.Println(s)
	}
	// Output:
	// sequential
	// event loop, limit 8
	// threads+GIL(5ms)
	// threads
	// pool(4)
}

// Strategy.Run runs for real: here 16 downloads of 20 ms overlap on an
// event loop.
func ExampleStrategy_Run() {
	r := lanes.EventLoop().Run(lanes.Identical(16, lanes.Wait(20*time.Millisecond)))
	fmt.Println(len(r.Lanes), "lanes, last", r.Lanes[len(r.Lanes)-1]+", overlapping:", r.Wall < 16*20*time.Millisecond)
	fmt.Println("measured:", r.Measured, "CPU within wall × GOMAXPROCS:", r.CPU() <= r.Wall*time.Duration(r.Procs))
	// Output:
	// 16 lanes, last T16, overlapping: true
	// measured: true CPU within wall × GOMAXPROCS: true
}

func ExampleWork() {
	t0 := time.Now()
	lanes.Work(5 * time.Millisecond) // about 5 ms of arithmetic on one idle core
	fmt.Println(time.Since(t0) > time.Millisecond, lanes.Calibration() > 0)
	// Output:
	// true true
}

func ExampleSleep() {
	t0 := time.Now()
	lanes.Sleep(2 * time.Millisecond) // waits without a CPU
	fmt.Println(time.Since(t0) >= 2*time.Millisecond)
	// Output:
	// true
}

func ExampleFib() {
	fmt.Println(lanes.Fib(10), lanes.Fib(25))
	// Output:
	// 55 75025
}

func ExampleUnits() {
	fmt.Println(lanes.Units(0.5), lanes.InUnits(lanes.Units(40)))
	// Output:
	// 500µs 40
}

func ExampleNewTask() {
	t := lanes.NewTask("download and parse", lanes.Wait(300*time.Millisecond), lanes.Compute(50*time.Millisecond))
	c, w := t.Total()
	fmt.Println(t.Name, t.Steps, c, w)
	// Output:
	// download and parse [wait 300ms compute 50ms] 50ms 300ms
}

func ExampleKind() {
	for _, k := range []lanes.Kind{lanes.Computing, lanes.Waiting, lanes.Blocked, lanes.Ready} {
		fmt.Print(k, " ")
	}
	fmt.Println()
	// Output:
	// compute wait blocked ready
}

func ExampleIdentical() {
	w := lanes.Identical(3, lanes.Compute(10*lanes.Unit))
	for _, t := range w {
		fmt.Println(t.Name, t.Steps)
	}
	// Output:
	// T1 [compute 10ms]
	// T2 [compute 10ms]
	// T3 [compute 10ms]
}

func ExampleLoadRender() {
	w := lanes.LoadRender(2, 10*lanes.Unit, 5*lanes.Unit)
	fmt.Println(w[0].Name, w[0].Steps, w[1].Name)
	// Output:
	// P1 [wait 10ms compute 5ms] P2
}

func ExampleSerialParallel() {
	w := lanes.SerialParallel(20*lanes.Unit, 80*lanes.Unit, 4)
	for _, t := range w {
		fmt.Println(t.Phase, t.Name, t.Steps)
	}
	// Output:
	// 0 serial [compute 20ms]
	// 1 part1 [compute 20ms]
	// 1 part2 [compute 20ms]
	// 1 part3 [compute 20ms]
	// 1 part4 [compute 20ms]
}

func ExampleRandom() {
	w := lanes.Random(3, 10*lanes.Unit, 10*lanes.Unit, 42)
	for _, t := range w {
		fmt.Println(t.Name, t.Steps)
	}
	// Output:
	// T1 [wait 4.431325ms compute 9.990708ms]
	// T2 [wait 9.099448ms compute 952.562µs]
	// T3 [wait 1.338991ms compute 6.343765ms]
}

func ExampleWorkload_Jitter() {
	w := lanes.Identical(3, lanes.Compute(10*lanes.Unit)).Jitter(0.2, 1)
	for _, t := range w {
		fmt.Println(t.Name, t.Steps)
	}
	// Output:
	// T1 [compute 9.604322ms]
	// T2 [compute 8.261083ms]
	// T3 [compute 8.659327ms]
}

func ExampleWorkload_Then() {
	w := lanes.Identical(2, lanes.Compute(5*lanes.Unit)).Then(lanes.Identical(2, lanes.Compute(3*lanes.Unit)))
	fmt.Println(lanes.InUnits(lanes.Pool(4).Simulate(w, lanes.Machine{}).Wall), "units: the second phase waits for the first")
	// Output:
	// 8 units: the second phase waits for the first
}

func ExampleWorkload_Total() {
	c, w := lanes.LoadRender(16, 10*lanes.Unit, 5*lanes.Unit).Total()
	fmt.Println(lanes.InUnits(c), lanes.InUnits(w))
	// Output:
	// 80 160
}

func ExampleRun() {
	w := lanes.Identical(4, lanes.Compute(2*lanes.Unit))
	m := lanes.Machine{Cores: 2, Slice: lanes.Unit}
	r := lanes.Pool(3).Simulate(w, m)
	seq := lanes.Sequential().Simulate(w, m)
	fmt.Println(r)
	fmt.Printf("speedup %.0f× on p = %d, efficiency %.0f%%, peak parallelism %d, peak concurrency %d\n",
		r.Speedup(seq), r.Cores, 100*r.Efficiency(seq), r.PeakParallelism(), r.PeakConcurrency)
	for _, s := range r.LaneSpans("worker 3") {
		fmt.Println(r.Tasks[s.Task], s.Kind, lanes.InUnits(s.Start), lanes.InUnits(s.Duration()))
	}
	fmt.Println(len(r.TaskSpans("T4")), "spans for T4")
	// Output:
	// pool(3): 4 tasks on 3 lanes, wall 4 u, CPU 8 u
	// speedup 2× on p = 2, efficiency 100%, peak parallelism 2, peak concurrency 3
	// T3 ready 0 1
	// T3 compute 1 1
	// T3 ready 2 1
	// T3 compute 3 1
	// 2 spans for T4
}

func ExampleSpan() {
	r := lanes.Sequential().Simulate(lanes.Identical(1, lanes.Wait(2*lanes.Unit), lanes.Compute(lanes.Unit)), lanes.Machine{})
	for _, s := range r.Spans {
		fmt.Printf("%s %s %s %v..%v\n", r.Lanes[s.Lane], r.Tasks[s.Task], s.Kind, lanes.InUnits(s.Start), lanes.InUnits(s.End))
	}
	// Output:
	// main T1 wait 0..2
	// main T1 compute 2..3
}

func ExampleTimeline() {
	w := lanes.LoadRender(4, 4*lanes.Unit, 2*lanes.Unit)
	tl := lanes.Timelines(
		lanes.Sequential().Simulate(w, lanes.Machine{}),
		lanes.EventLoop().Simulate(w, lanes.Machine{}),
	)
	tl.Columns = 64
	fmt.Print(tl.Text())
	fmt.Println(len(tl.SVG()) > 0, len(tl.PNG()) > 0, tl.VegaLite()["$schema"])
	// Output:
	// sequential — wall 24 u, CPU 8 u
	// main │░░░░░░░░░█████░░░░░░░░░░█████░░░░░░░░░█████░░░░░░░░░█████│
	// event loop — wall 12 u, CPU 8 u
	// P1   │░░░░░░░░░██████                                          │
	// P2   │░░░░░░░░░░····█████                                      │
	// P3   │░░░░░░░░░░·········█████                                 │
	// P4   │░░░░░░░░░░··············█████                            │
	//      └┴──────────────────────┴───────────────────────┴─────────┘
	//       0                     10                      20 units
	//       █ compute   ░ wait   · ready
	// true true https://vega.github.io/schema/vega-lite/v5.json
}

func ExampleTimeline_ChromeTrace() {
	r := lanes.Sequential().Simulate(lanes.Identical(1, lanes.Compute(lanes.Unit)), lanes.Machine{})
	fmt.Print(string(r.Timeline().ChromeTrace()))
	// Output:
	// {"displayTimeUnit":"ms","traceEvents":[{"ph":"M","name":"process_name","pid":1,"tid":0,"args":{"name":"sequential"}},
	// {"ph":"M","name":"process_sort_index","pid":1,"tid":0,"args":{"sort_index":0}},
	// {"ph":"M","name":"thread_name","pid":1,"tid":1,"args":{"name":"main"}},
	// {"ph":"M","name":"thread_sort_index","pid":1,"tid":1,"args":{"sort_index":0}},
	// {"ph":"X","name":"T1","cat":"compute","pid":1,"tid":1,"ts":0,"dur":1000}]}
}

func ExampleTable() {
	w := lanes.Identical(4, lanes.Compute(lanes.Unit))
	t := lanes.NewTable(lanes.Sequential().Simulate(w, lanes.Machine{}), lanes.Pool(4).Simulate(w, lanes.Machine{}))
	fmt.Print(t.Markdown())
	// Output:
	// | strategy | wall | CPU | speedup | efficiency | peak concurrency | peak parallelism |
	// | --- | ---: | ---: | ---: | ---: | ---: | ---: |
	// | sequential | 4 u | 4 u | 1× | 100% | 1 | 1 |
	// | pool(4) | 1 u | 4 u | 4× | 100% | 4 | 4 |
}

// Recorder records goroutines you start yourself.
func ExampleRecorder() {
	rec := lanes.NewRecorder()
	var wg sync.WaitGroup
	var mu sync.Mutex
	for _, name := range []string{"g1", "g2", "g3"} {
		t := rec.Task(name) // one lane per task, in the order created
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer t.Done()
			t.Wait(10 * time.Millisecond) // recorded as waiting
			t.Lock(&mu)                   // time waiting for the mutex is blocked
			t.Compute(time.Millisecond)
			mu.Unlock()
		}()
	}
	wg.Wait()
	r := rec.Run()
	fmt.Println(r.Lanes, r.PeakConcurrency, r.Time(lanes.Waiting) >= 30*time.Millisecond)
	// Output:
	// [g1 g2 g3] 3 true
}

// Group runs functions of your own on a pool of workers.
func ExampleGroup() {
	g := lanes.NewGroup(2)
	for i := 1; i <= 4; i++ {
		g.Go(fmt.Sprint("job", i), func(t *lanes.Task) {
			t.Wait(5 * time.Millisecond)
			lanes.Fib(20) // untracked time counts as computing
			t.Do(lanes.Blocked, func() { time.Sleep(time.Millisecond) })
		})
	}
	r := g.Wait()
	fmt.Println(r.Name, r.Lanes, len(r.Tasks), "tasks")
	// Output:
	// group(2) [worker 1 worker 2] 4 tasks
}

func ExampleTask() {
	// A Task outside a recorder just does its work.
	var t lanes.Task
	t.Compute(time.Millisecond)
	t.Wait(time.Millisecond)
	t.Begin(lanes.Blocked)
	t.End()
	t.Done()
	fmt.Println("done")
	// Output:
	// done
}

// Trace shows which goroutine ran on which processor.
func ExampleTrace() {
	st, err := lanes.Trace(func() {
		var wg sync.WaitGroup
		for i := 0; i < 2; i++ {
			wg.Add(1)
			go func() { defer wg.Done(); lanes.Work(5 * time.Millisecond) }()
		}
		wg.Wait()
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(st.Goroutines.Lanes, st.Procs.Lanes[0])
	// Output:
	// [main g1 g2] P0
}

func ExampleTraceProcs() {
	c, err := lanes.TraceProcs(func() { lanes.Work(time.Millisecond) }, 1, 2)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, r := range c.Table.Runs {
		fmt.Println(r.Name, len(r.Lanes) >= r.Cores)
	}
	// Output:
	// GOMAXPROCS(1) true
	// GOMAXPROCS(2) true
}

func ExampleSetLive() {
	lanes.SetLive(false) // the notebook worker turns it on; off, runs print nothing while running
	fmt.Println("off")
	// Output:
	// off
}

func ExampleDisplay() {
	// Outside a notebook, Display prints the text form.
	lanes.Display(lanes.NewTable(lanes.Sequential().Simulate(lanes.Identical(2, lanes.Compute(lanes.Unit)), lanes.Machine{})))
	// Output:
	// strategy    wall  CPU  speedup  efficiency  peak concurrency  peak parallelism
	// ──────────────────────────────────────────────────────────────────────────────
	// sequential   2 u  2 u       1×        100%                 1                 1
}

func ExampleMeasureSpeedup() {
	c := lanes.MeasureSpeedup(lanes.Identical(4, lanes.Compute(2*time.Millisecond)), 2)
	fmt.Println(len(c.Points), c.Points[0].Speedup)
	// Output:
	// 2 1
}

func ExampleCompareRun() {
	c := lanes.CompareRun(lanes.Identical(4, lanes.Wait(5*time.Millisecond)), lanes.Sequential(), lanes.Threads())
	fmt.Println(c.Table.Runs[0].Name, c.Table.Runs[1].Name, c.Table.Runs[1].Speedup(c.Table.Runs[0]) > 1.5)
	// Output:
	// sequential threads true
}
