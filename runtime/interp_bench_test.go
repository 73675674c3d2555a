package lanes_test

import (
	"fmt"
	"reflect"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"slices"
	"sync"
	"testing"
	"time"

	lanes "github.com/lanes-dev/lanes/runtime"

	"github.com/traefik/yaegi/interp"
)

// interpretedFib is the cell code of the interpreted-work measurement: a
// recursive Fibonacci, run on g goroutines at once.
const interpretedFib = `
import "sync"

func fib(n int) int {
	if n < 2 {
		return n
	}
	return fib(n-1) + fib(n-2)
}

func both(g, n int) {
	var wg sync.WaitGroup
	for i := 0; i < g; i++ {
		wg.Add(1)
		go func() { defer wg.Done(); fib(n) }()
	}
	wg.Wait()
}
`

// BenchmarkInterpretedScaling measures why CPU work written in a cell
// scales poorly: the same interpreted fib(24) once, then on 2 goroutines
// at once, under several GOGC settings. It reports the speedup of two
// goroutines over one (2·T1 / T2; 2 is perfect on 2 cores), the time of
// one fib, the garbage collections per fib and the share of the CPU the
// collector took.
func BenchmarkInterpretedScaling(b *testing.B) {
	for _, gogc := range []int{100, 200, 400, 800, 1600} {
		b.Run(fmt.Sprintf("GOGC=%d", gogc), func(b *testing.B) {
			old := debug.SetGCPercent(gogc)
			defer debug.SetGCPercent(old)
			i := interp.New(interp.Options{})
			// Only what the code needs of the standard library: the whole
			// of yaegi's table would make this test binary far slower to
			// build.
			if err := i.Use(interp.Exports{"sync/sync": {"WaitGroup": reflect.ValueOf((*sync.WaitGroup)(nil))}}); err != nil {
				b.Fatal(err)
			}
			if _, err := i.Eval(interpretedFib); err != nil {
				b.Fatal(err)
			}
			v, err := i.Eval("both")
			if err != nil {
				b.Fatal(err)
			}
			both := v.Interface().(func(int, int))
			const n = 24
			both(1, n) // warm up
			samples := []metrics.Sample{{Name: "/gc/cycles/total:gc-cycles"},
				{Name: "/cpu/classes/gc/total:cpu-seconds"}, {Name: "/cpu/classes/total:cpu-seconds"}}
			read := func() (float64, float64, float64) {
				metrics.Read(samples)
				return float64(samples[0].Value.Uint64()), samples[1].Value.Float64(), samples[2].Value.Float64()
			}
			var one, two []float64
			gc0, gcCPU0, cpu0 := read()
			for b.Loop() {
				t0 := time.Now()
				both(1, n)
				t1 := time.Now()
				both(2, n)
				one = append(one, float64(t1.Sub(t0)))
				two = append(two, float64(time.Since(t1)))
			}
			gc1, gcCPU1, cpu1 := read()
			b.ReportMetric(2*medianOf(one)/medianOf(two), "speedup")
			b.ReportMetric(medianOf(one)/1e6, "ms/fib")
			b.ReportMetric((gc1-gc0)/float64(3*b.N), "GCs/fib")
			if cpu1 > cpu0 {
				b.ReportMetric(100*(gcCPU1-gcCPU0)/(cpu1-cpu0), "%GC-CPU")
			}
			runtime.GC()
		})
	}
}

// BenchmarkCompiledScaling is the compiled reference for
// BenchmarkInterpretedScaling: lanes.Fib(32) once, then on 2 goroutines.
func BenchmarkCompiledScaling(b *testing.B) {
	both := func(g int) {
		var wg sync.WaitGroup
		for range g {
			wg.Go(func() { lanes.Fib(32) })
		}
		wg.Wait()
	}
	var one, two []float64
	for b.Loop() {
		t0 := time.Now()
		both(1)
		t1 := time.Now()
		both(2)
		one = append(one, float64(t1.Sub(t0)))
		two = append(two, float64(time.Since(t1)))
	}
	b.ReportMetric(2*medianOf(one)/medianOf(two), "speedup")
	b.ReportMetric(medianOf(one)/1e6, "ms/fib")
}

func medianOf(xs []float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	return s[len(s)/2]
}
