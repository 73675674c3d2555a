package cellrt

import (
	"reflect"
	"testing"
	"time"

	"github.com/lanes-dev/lanes/internal/cellstop"
)

// TestLanesSymbols checks that the cells' lanes.Sleep and lanes.Work end
// their goroutine when the cell was stopped during the call, return
// otherwise, and leave the runtime's own table as it was.
func TestLanesSymbols(t *testing.T) {
	var stop func()
	orig := map[string]reflect.Value{
		"Sleep": reflect.ValueOf(func(time.Duration) {}),
		"Work":  reflect.ValueOf(func(time.Duration) { stop() }), // the cell stops during the call
		"Fib":   reflect.ValueOf(func(n int) int { return n }),
	}
	m := LanesSymbols(orig)
	cases := []struct {
		name     string
		returned bool // the statement after the call ran
	}{
		{"Sleep", true},
		{"Work", false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			stop = cellstop.Begin()
			defer cellstop.Begin() // a fresh cell for the next test
			f := m[c.name].Interface().(func(time.Duration))
			after := make(chan bool, 1)
			go func() {
				ran := false
				defer func() { after <- ran }()
				f(time.Millisecond)
				ran = true
			}()
			if got := <-after; got != c.returned {
				t.Errorf("statement after %s ran: %v, want %v", c.name, got, c.returned)
			}
		})
	}
	if orig["Work"].Pointer() == m["Work"].Pointer() || m["Fib"].Pointer() != orig["Fib"].Pointer() {
		t.Error("want Work wrapped in the cells' table and Fib as it was")
	}
	if len(m) != len(orig) {
		t.Errorf("%d symbols, want %d", len(m), len(orig))
	}
}
