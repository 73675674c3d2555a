package lanes

import (
	"runtime"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"github.com/lanes-dev/lanes/internal/cellstop"
)

// Unit is one unit of virtual time. The simulator measures everything in
// units; a unit is stored as one millisecond so that the same workload can
// also run for real (where 10*Unit really is 10 ms of work).
const Unit = time.Millisecond

// Units converts a (possibly fractional) number of units into a duration:
// Units(0.5) is half a unit.
func Units(x float64) time.Duration { return time.Duration(x * float64(Unit)) }

// calibration is the process-wide measurement of how fast this machine runs
// the work kernel. It is the one piece of package state: measuring costs a
// few milliseconds, and the answer is the same for the whole process.
var calibration struct {
	once    sync.Once
	perNano float64 // kernel iterations per nanosecond on one idle core
}

// sink keeps the compiler from removing the work kernel's result.
var sink atomic.Uint64

// kernel is the computation behind Work: a xorshift generator, n dependent
// steps long. Each step needs the previous one, so it cannot be skipped or
// done in parallel: it is real CPU work.
//
//go:noinline
func kernel(n uint64, x uint64) uint64 {
	for i := uint64(0); i < n; i++ {
		x ^= x << 13
		x ^= x >> 7
		x ^= x << 17
	}
	return x
}

// calibrate measures the kernel speed: nine trials of about a millisecond,
// keeping the median, so that one lucky burst of turbo clock does not skew
// every later Work call. Each trial is timed by the CPU time of its thread
// where the system tells it (Linux), so that a trial during which another
// program had the core is not taken for a slow machine; elsewhere by the
// wall clock.
func calibrate() float64 {
	calibration.once.Do(func() {
		const trial = 1 << 20
		var rates []float64
		x := uint64(88172645463325252)
		runtime.LockOSThread()
		defer runtime.UnlockOSThread()
		for i := 0; i < 9; i++ {
			t0 := time.Now()
			c0, cpuOK := threadCPU()
			x = kernel(trial, x)
			el := time.Since(t0)
			if c1, ok := threadCPU(); cpuOK && ok && c1 > c0 {
				el = c1 - c0
			}
			if el > 0 {
				rates = append(rates, float64(trial)/float64(el.Nanoseconds()))
			}
		}
		sink.Add(x)
		calibration.perNano = 1
		if len(rates) > 0 {
			sort.Float64s(rates)
			calibration.perNano = rates[len(rates)/2]
		}
	})
	return calibration.perNano
}

// Calibration reports how many steps of the work kernel this machine does
// per microsecond on one idle core. The first call measures it (a few
// milliseconds); later calls return the cached answer.
func Calibration() float64 { return calibrate() * 1000 }

// iterations converts a duration of CPU work into kernel steps.
func iterations(d time.Duration) uint64 {
	if d <= 0 {
		return 0
	}
	return uint64(float64(d.Nanoseconds()) * calibrate())
}

// Work does d worth of real computation: the amount of arithmetic that takes
// d on one idle core of this machine. It is not a clock-watching spin: if two
// goroutines call Work(d) on the same core, both take about 2·d, exactly as
// two real computations would.
//
// When the cell is stopped (interrupted, timed out), Work returns early; called
// from a cell, it ends the calling goroutine instead, so that nothing after it
// runs.
func Work(d time.Duration) {
	done := cellstop.Done()
	n, x := iterations(d), uint64(d)|1
	for n > 0 && !cellstop.Stopped(done) {
		k := min(n, workChunk)
		x = kernel(k, x)
		n -= k
	}
	sink.Add(x)
}

// workChunk is how much computation Work does between looks at whether
// its cell was stopped: some hundred microseconds.
const workChunk = 1 << 18

// Sleep waits for d without using a CPU, like a download or a disk read: other
// goroutines can run in the meantime. When the cell is stopped, Sleep returns
// early; called from a cell, it ends the calling goroutine instead, as the
// cells' time.Sleep does.
func Sleep(d time.Duration) { cellstop.Sleep(d) }

// Fib returns the n-th Fibonacci number (Fib(0) = 0, Fib(1) = 1) computed the
// slow recursive way, the classic CPU-bound benchmark. It is compiled Go, so
// Fib(30) takes a few milliseconds, not the seconds an interpreted version
// would.
func Fib(n int) int {
	if n < 2 {
		return n
	}
	return Fib(n-1) + Fib(n-2)
}

// InUnits converts a duration into (virtual) units: InUnits(r.Wall) is the
// wall time of a simulated run as a plain number, such as 40.
func InUnits(d time.Duration) float64 { return float64(d) / float64(Unit) }
