package lanes

import "math"

// Amdahl returns the largest speedup a program whose parallel part is the
// fraction p of its running time (0..1) can reach on n workers:
// 1 / ((1-p) + p/n).
func Amdahl(p float64, n int) float64 {
	if n < 1 {
		return 0
	}
	return 1 / ((1 - p) + p/float64(n))
}

// AmdahlLimit returns the speedup limit with infinitely many workers:
// 1 / (1-p). A program that is 80 % parallel never runs more than 5 times
// faster.
func AmdahlLimit(p float64) float64 {
	if p >= 1 {
		return math.Inf(1)
	}
	return 1 / (1 - p)
}

// SpeedupPoint is one measurement of a speedup curve.
type SpeedupPoint struct {
	Workers int
	Wall    float64 // in the run's time unit (units, or ms)
	Speedup float64
}

// SpeedupCurve is the speedup of one workload on 1..N workers, with the
// Amdahl curve that fits it best.
type SpeedupCurve struct {
	Name    string
	Virtual bool
	Points  []SpeedupPoint
	// Fraction is the parallel fraction p of the Amdahl curve closest to
	// the points (least squares on 1/speedup). Set it to draw another.
	Fraction float64
}

// Speedup simulates w on pools of 1..maxWorkers workers (one core each)
// and returns the speedup curve.
func Speedup(w Workload, maxWorkers int) *SpeedupCurve {
	c := &SpeedupCurve{Name: "pool(1.." + formatNum(float64(maxWorkers), 0) + ")", Virtual: true}
	var base float64
	for n := 1; n <= maxWorkers; n++ {
		r := Pool(n).Simulate(w, Machine{})
		wall := float64(r.Wall) / float64(Unit)
		if n == 1 {
			base = wall
		}
		c.Points = append(c.Points, SpeedupPoint{Workers: n, Wall: wall, Speedup: base / wall})
	}
	c.Fraction = fitAmdahl(c.Points)
	return c
}

// fitAmdahl finds p minimising the squared error of 1/S = 1 - p(1 - 1/n).
func fitAmdahl(pts []SpeedupPoint) float64 {
	var num, den float64
	for _, pt := range pts {
		if pt.Speedup <= 0 {
			continue
		}
		x := 1 - 1/float64(pt.Workers)
		y := 1 - 1/pt.Speedup
		num += x * y
		den += x * x
	}
	if den == 0 {
		return 0
	}
	return math.Max(0, math.Min(1, num/den))
}
