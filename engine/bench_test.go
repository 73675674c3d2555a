package engine

import (
	"context"
	"fmt"
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
