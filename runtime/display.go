package lanes

import (
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
	for n := 1; n <= maxWorkers; n++ {
		// The least disturbed of three runs: other programs on the
		// machine only ever slow a run down.
		best := Pool(n).Run(w).Wall
		for range speedupTries - 1 {
			best = min(best, Pool(n).Run(w).Wall)
		}
		wall := float64(best) / float64(time.Millisecond)
		if n == 1 {
			base = wall
		}
		c.Points = append(c.Points, SpeedupPoint{Workers: n, Wall: wall, Speedup: base / wall})
	}
	if c.Serial {
		c.Fraction = fitAmdahl(c.Points, c.Cores)
	} else {
		c.Fraction = 1
	}
	return c
}
