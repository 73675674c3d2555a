package engine

import (
	"context"
	"fmt"
	"regexp"
	"strconv"
	"testing"

	"github.com/lanes-dev/lanes/display"
)

type nopSink struct{}

func (nopSink) Stream(string, string)                {}
func (nopSink) Display(display.Bundle, string, bool) {}
func (nopSink) ClearOutput(bool)                     {}
func (nopSink) Input(string, bool) (string, error)   { return "", nil }

// BenchmarkExecuteTrivial measures one cell's round trip through the
// supervisor and the worker ("1", whose value is shown), in a fresh
// session and in one that has declared 200 functions and variables.
func BenchmarkExecuteTrivial(b *testing.B) {
	for _, decls := range []int{0, 200} {
		b.Run(fmt.Sprintf("session=%d", decls), func(b *testing.B) {
			e := newTestEngine(b)
			for i := 0; i < decls; i++ {
				code := fmt.Sprintf("func f%d(x int) int { return x + %d }\nv%d := f%d(1)", i, i, i, i)
				if r := e.Execute(context.Background(), Cell{Code: code}, nopSink{}); r.Err != nil {
					b.Fatal(r.Err)
				}
			}
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if r := e.Execute(context.Background(), Cell{Code: "1"}, nopSink{}); r.Value == nil {
					b.Fatal("no value")
				}
			}
		})
	}
}

// BenchmarkFibCell measures interpreted speed: one cell computing fib(27)
// recursively with a func declared in an earlier cell (issue 13: 272 ms
// here before tuning; CPython takes 24 ms, a compiled cell 74 ms). Besides
// the wall time it reports the worker's CPU time per cell (worker-ms/op,
// from %time), which the other processes of a shared machine disturb less.
// The worker inherits GOGC from the environment: GOGC=100 measures it
// without its own setting (see engine/worker/gc.go).
func BenchmarkFibCell(b *testing.B) {
	e := newTestEngine(b)
	def := "func fib(n int) int {\n\tif n < 2 {\n\t\treturn n\n\t}\n\treturn fib(n-1) + fib(n-2)\n}"
	if r := e.Execute(context.Background(), Cell{Code: def}, nopSink{}); r.Err != nil {
		b.Fatal(r.Err)
	}
	cpuRE := regexp.MustCompile(`CPU time: ([0-9.]+) (ms|s)`)
	var cpu float64
	for b.Loop() {
		rec := &recorder{}
		r := e.Execute(context.Background(), Cell{Code: "%time fib(27)"}, rec)
		if r.Err != nil || r.Value == nil || r.Value.Data["text/plain"] != "196418" {
			b.Fatalf("fib(27): %+v %+v", r.Err, r.Value)
		}
		m := cpuRE.FindStringSubmatch(rec.text("stdout"))
		if m == nil {
			b.Fatalf("no CPU time in %q", rec.text("stdout"))
		}
		v, _ := strconv.ParseFloat(m[1], 64)
		if m[2] == "s" {
			v *= 1000
		}
		cpu += v
	}
	b.ReportMetric(cpu/float64(b.N), "worker-ms/op")
}
