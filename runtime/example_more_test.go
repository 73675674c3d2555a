package lanes_test

import (
	"errors"
	"fmt"

	lanes "github.com/lanes-dev/lanes/runtime"
)

// Examples for the names the other examples only use in passing.

func ExampleUnit() {
	// A unit is one tick of virtual time: a millisecond when run for real.
	fmt.Println(lanes.Unit, 10*lanes.Unit)
	// Output: 1ms 10ms
}

func ExampleInUnits() {
	fmt.Println(lanes.InUnits(2500 * lanes.Unit / 100))
	// Output: 25
}

func ExampleCompute() {
	step := lanes.Compute(4 * lanes.Unit)
	fmt.Println(step.Kind == lanes.Computing, lanes.InUnits(step.Duration))
	// Output: true 4
}

func ExampleWait() {
	step := lanes.Wait(6 * lanes.Unit)
	fmt.Println(step.Kind == lanes.Waiting, lanes.InUnits(step.Duration))
	// Output: true 6
}

func ExampleStep() {
	t := lanes.NewTask("download", lanes.Wait(8*lanes.Unit), lanes.Compute(2*lanes.Unit))
	for _, s := range t.Steps {
		fmt.Println(s.Kind == lanes.Computing, lanes.InUnits(s.Duration))
	}
	// Output:
	// false 8
	// true 2
}

func ExampleThreads() {
	// One thread per task; the machine decides how many compute at once.
	w := lanes.Identical(4, lanes.Compute(10*lanes.Unit))
	for _, cores := range []int{1, 2, 4} {
		r := lanes.Threads().Simulate(w, lanes.Machine{Cores: cores})
		fmt.Printf("%d cores: %g units\n", cores, lanes.InUnits(r.Wall))
	}
	// Output:
	// 1 cores: 40 units
	// 2 cores: 20 units
	// 4 cores: 10 units
}

func ExampleAmdahlLimit() {
	// With 80 % of the work parallel, no number of workers beats 5×.
	fmt.Printf("%.0f×\n", lanes.AmdahlLimit(0.8))
	// Output: 5×
}

func ExampleNewTable() {
	w := lanes.Identical(4, lanes.Compute(10*lanes.Unit))
	m := lanes.Machine{Cores: 2}
	t := lanes.NewTable(lanes.Sequential().Simulate(w, m), lanes.Pool(2).Simulate(w, m))
	fmt.Println(len(t.Runs), lanes.InUnits(t.Runs[0].Wall), lanes.InUnits(t.Runs[1].Wall))
	// Output: 2 40 20
}

func ExampleComparison() {
	w := lanes.Identical(2, lanes.Wait(10*lanes.Unit))
	c := lanes.CompareSim(w, lanes.Machine{}, lanes.Sequential(), lanes.EventLoop())
	for _, r := range c.Table.Runs {
		fmt.Println(r.Name, lanes.InUnits(r.Wall))
	}
	// Output:
	// sequential 20
	// event loop 10
}

func ExampleTimelines() {
	w := lanes.Identical(2, lanes.Compute(5*lanes.Unit))
	m := lanes.Machine{Cores: 2}
	tl := lanes.Timelines(lanes.Sequential().Simulate(w, m), lanes.Pool(2).Simulate(w, m))
	tl.Width = 40
	fmt.Println(tl.Text() != "")
	// Output: true
}

func ExampleSpeedupCurve() {
	c := lanes.Speedup(lanes.Identical(4, lanes.Compute(10*lanes.Unit)), 4)
	for _, p := range c.Points {
		fmt.Printf("%d workers: %.0f×\n", p.Workers, p.Speedup)
	}
	// Output:
	// 1 workers: 1×
	// 2 workers: 2×
	// 3 workers: 2×
	// 4 workers: 4×
}

func ExampleSpeedupPoint() {
	p := lanes.Speedup(lanes.Identical(2, lanes.Compute(10*lanes.Unit)), 2).Points[1]
	fmt.Println(p.Workers, p.Wall, p.Speedup)
	// Output: 2 10 2
}

func ExampleCheckError() {
	defer func() {
		var ce *lanes.CheckError
		if err, ok := recover().(error); ok && errors.As(err, &ce) {
			fmt.Println(ce.What, ce.Got, ce.Want)
		}
	}()
	lanes.Equal(3, 4, "workers")
	// Output: workers 3 4
}

func ExampleHTML() {
	fmt.Println(lanes.HTML("<b>bold</b>").HTML())
	// Output: <b>bold</b>
}

func ExampleMarkdown() {
	fmt.Println(lanes.Markdown("*slanted*").Markdown())
	// Output: *slanted*
}

func ExampleSVG() {
	fmt.Println(lanes.SVG(`<svg xmlns="http://www.w3.org/2000/svg"/>`).SVG())
	// Output: <svg xmlns="http://www.w3.org/2000/svg"/>
}

func ExampleNewDisplay() {
	// In a notebook, the display is replaced in place; outside one, each
	// call prints the value's text.
	id := lanes.NewDisplay("working…")
	lanes.UpdateDisplay(id, "done")
	// Output:
	// "working…"
	// "done"
}

func ExampleUpdateDisplay() {
	id := lanes.NewDisplay(0)
	for i := 1; i <= 2; i++ {
		lanes.UpdateDisplay(id, i)
	}
	// Output:
	// 0
	// 1
	// 2
}

func ExampleClearOutput() {
	// Clears the cell's output in a notebook; does nothing elsewhere.
	lanes.ClearOutput()
	fmt.Println("cleared")
	// Output: cleared
}

func ExampleNewGroup() {
	g := lanes.NewGroup(2)
	for _, name := range []string{"a", "b", "c"} {
		g.Go(name, func(t *lanes.Task) { t.Compute(lanes.Unit) })
	}
	r := g.Wait()
	fmt.Println(len(r.Lanes), len(r.Tasks))
	// Output: 2 3
}

func ExampleNewRecorder() {
	rec := lanes.NewRecorder()
	t := rec.Task("fetch")
	t.Wait(lanes.Unit)
	t.Done()
	r := rec.Run()
	fmt.Println(r.Tasks, r.Time(lanes.Waiting) >= lanes.Unit)
	// Output: [fetch] true
}

func ExampleCalibration() {
	// Steps of CPU work per millisecond on this machine, measured once.
	fmt.Println(lanes.Calibration() > 0)
	// Output: true
}

func ExampleDefaultSwitchInterval() {
	fmt.Println(lanes.DefaultSwitchInterval)
	// Output: 5ms
}

func ExampleSchedTrace() {
	st, err := lanes.Trace(func() { lanes.Work(2 * lanes.Unit) })
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(st.Goroutines.Lanes[0], len(st.Procs.Lanes) > 0)
	// Output: main true
}

func ExampleComputing() {
	// The kinds of time a span records.
	for _, k := range []lanes.Kind{lanes.Computing, lanes.Waiting, lanes.Ready, lanes.Blocked} {
		fmt.Println(k)
	}
	// Output:
	// compute
	// wait
	// ready
	// blocked
}
