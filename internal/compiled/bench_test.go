package compiled

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// BenchmarkCell measures a compiled cell from Run to its end: built the
// first time in a new session, run again unchanged (a program reused),
// and changed (only the cell's package recompiled and linked).
func BenchmarkCell(b *testing.B) {
	needGo(b)
	src := "import (\"fmt\"; \"lanes\")\nfmt.Println(lanes.Pool(2).Simulate(lanes.Identical(4, lanes.Compute(10*lanes.Unit)), lanes.Machine{Cores: 2}).Wall, %d)"
	run := func(b *testing.B, s *Session, n int) {
		if _, err := s.Run(context.Background(), Cell{Number: 1, Source: fmt.Sprintf(src, n)}, Sinks{}); err != nil {
			b.Fatal(err)
		}
	}
	b.Run("first", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			s, err := New(Options{})
			if err != nil {
				b.Fatal(err)
			}
			run(b, s, 0)
			s.Close()
		}
	})
	s := session(b)
	b.Run("repeated", func(b *testing.B) {
		run(b, s, -1)
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			run(b, s, -1)
		}
	})
	b.Run("changed", func(b *testing.B) {
		base := int(time.Now().UnixNano() % 1e9)
		for i := 0; i < b.N; i++ {
			run(b, s, base+i)
		}
	})
}

// BenchmarkInterrupt measures from the cancel of a cell sleeping in a
// compiled program to Run's return: SIGINT, the program's exit, and the
// pipes drained.
func BenchmarkInterrupt(b *testing.B) {
	s := session(b)
	src := Cell{Number: 1, Source: "import (\"fmt\"; \"time\")\nfmt.Println(\"ready\")\ntime.Sleep(time.Hour)"}
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		ctx, cancel := context.WithCancel(context.Background())
		ready := make(chan struct{})
		var once sync.Once
		out := &watchW{want: "ready", found: func() { once.Do(func() { close(ready) }) }}
		errc := make(chan error, 1)
		go func() { _, err := s.Run(ctx, src, Sinks{Stdout: out}); errc <- err }()
		<-ready
		b.StartTimer()
		cancel()
		<-errc
	}
}

// BenchmarkFibSpeedup runs fib(32) twice one after the other and then in
// two goroutines inside a compiled program, and reports the speedup the
// program measured (T1/T2 on two workers; at most the machine's cores).
func BenchmarkFibSpeedup(b *testing.B) {
	s := session(b)
	src := `import (
	"fmt"
	"sync"
	"time"
)

func fib(n int) int {
	if n < 2 {
		return n
	}
	return fib(n-1) + fib(n-2)
}

start := time.Now()
fib(32)
fib(32)
seq := time.Since(start)
start = time.Now()
var wg sync.WaitGroup
for range 2 {
	wg.Add(1)
	go func() { defer wg.Done(); fib(32) }()
}
wg.Wait()
par := time.Since(start)
fmt.Println(float64(seq) / float64(par))
`
	var speedups []float64
	for i := 0; i < b.N; i++ {
		var out strings.Builder
		if _, err := s.Run(context.Background(), Cell{Number: 1, Source: src}, Sinks{Stdout: &out}); err != nil {
			b.Fatal(err)
		}
		v, err := strconv.ParseFloat(strings.TrimSpace(out.String()), 64)
		if err != nil {
			b.Fatal(err, out.String())
		}
		speedups = append(speedups, v)
	}
	b.ReportMetric(median(speedups), "speedup")
}

func median(v []float64) float64 {
	s := slices.Clone(v)
	slices.Sort(s)
	return s[len(s)/2]
}
