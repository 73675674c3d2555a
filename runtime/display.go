package lanes

import (
	"time"

	"github.com/lanes-dev/lanes/display"
)

// Display shows v now, in the middle of a cell (a timeline, a table, any
// value), instead of waiting for the cell's last expression. Outside a
// notebook it prints v's text form.
func Display(v any) { display.Show(v) }

// MeasureSpeedup runs w for real on pools of 1..maxWorkers workers and
// returns the speedup curve with its best-fitting Amdahl curve. On this
// machine the curve flattens at the number of cores.
func MeasureSpeedup(w Workload, maxWorkers int) *SpeedupCurve {
	c := &SpeedupCurve{Name: "pool(1.." + itoa(maxWorkers) + "), real"}
	var base float64
	for n := 1; n <= maxWorkers; n++ {
		r := Pool(n).Run(w)
		wall := float64(r.Wall) / float64(time.Millisecond)
		if n == 1 {
			base = wall
		}
		c.Points = append(c.Points, SpeedupPoint{Workers: n, Wall: wall, Speedup: base / wall})
	}
	c.Fraction = fitAmdahl(c.Points)
	return c
}
