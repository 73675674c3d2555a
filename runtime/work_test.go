package lanes

import (
	"sort"
	"testing"
	"time"
)

func TestFib(t *testing.T) {
	for _, tc := range []struct{ n, want int }{{0, 0}, {1, 1}, {2, 1}, {10, 55}, {20, 6765}} {
		if got := Fib(tc.n); got != tc.want {
			t.Errorf("Fib(%d) = %d, want %d", tc.n, got, tc.want)
		}
	}
}

func TestUnits(t *testing.T) {
	for _, tc := range []struct {
		x    float64
		want time.Duration
	}{{1, Unit}, {0.5, Unit / 2}, {40, 40 * Unit}, {0, 0}} {
		if got := Units(tc.x); got != tc.want {
			t.Errorf("Units(%v) = %v, want %v", tc.x, got, tc.want)
		}
	}
}

func TestCalibrationCached(t *testing.T) {
	a, b := Calibration(), Calibration()
	if a <= 0 || a != b {
		t.Fatalf("Calibration() = %v then %v, want the same positive number", a, b)
	}
	if iterations(0) != 0 || iterations(-time.Second) != 0 {
		t.Fatal("non-positive work must be zero iterations")
	}
}

// BenchmarkWorkCalibration measures how close Work(d) comes to d on this
// machine: it reports the median relative error in percent (err%).
func BenchmarkWorkCalibration(b *testing.B) {
	const d = 5 * time.Millisecond
	calibrate()
	var errs []float64
	for b.Loop() {
		t0 := time.Now()
		Work(d)
		el := time.Since(t0)
		e := float64(el-d) / float64(d) * 100
		if e < 0 {
			e = -e
		}
		errs = append(errs, e)
	}
	sort.Float64s(errs)
	b.ReportMetric(errs[len(errs)/2], "err%")
}

func BenchmarkFib25(b *testing.B) {
	for b.Loop() {
		Fib(25)
	}
}
