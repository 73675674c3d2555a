package lanes

import (
	"strings"
	"time"

	"github.com/lanes-dev/lanes/display"
)

// Display shows v now, in the middle of a cell (a timeline, a table, any
// value), instead of waiting for the cell's last expression. Outside a
// notebook it prints v's text form.
func Display(v any) { display.Show(v) }

// speedupTries is how many times MeasureSpeedup runs each pool.
const speedupTries = 3

// MeasureSpeedup runs w for real on pools of 1..maxWorkers workers (each
// three times, keeping the fastest) and returns the speedup curve. Its ideal is min(workers, cores): on this
// machine the curve flattens at the number of cores (GOMAXPROCS). Only a
// workload with a serial part (see SerialParallel) is compared with the
// Amdahl curve that fits it best, on min(workers, cores) processors.
func MeasureSpeedup(w Workload, maxWorkers int) *SpeedupCurve {
	c := &SpeedupCurve{Name: "pool(1.." + itoa(maxWorkers) + "), real", Cores: procs(), Serial: hasSerialPart(w)}
	var base float64
	var busy []string
	for n := 1; n <= maxWorkers; n++ {
		// The least disturbed of three runs: other programs on the
		// machine only ever slow a run down.
		best := Pool(n).Run(w)
		for range speedupTries - 1 {
			if r := Pool(n).Run(w); r.Wall < best.Wall {
				best = r
			}
		}
		if best.busy() {
			busy = append(busy, itoa(n))
		}
		wall := float64(best.Wall) / float64(time.Millisecond)
		if n == 1 {
			base = wall
		}
		c.Points = append(c.Points, SpeedupPoint{Workers: n, Wall: wall, Speedup: base / wall})
	}
	if len(busy) > 0 {
		c.Note = "Busy machine: while " + strings.Join(busy, ", ") + " " + plural(len(busy), "worker") +
			" ran, other programs had the cores part of the time, so those points are lower (or the others higher) than this machine can do."
	}
	if c.Serial {
		c.Fraction = fitAmdahl(c.Points, c.Cores)
	} else {
		c.Fraction = 1
	}
	return c
}
