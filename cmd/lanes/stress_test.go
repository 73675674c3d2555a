package main

import (
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"
)

// spawnStorm starts 10,000 goroutines from a func literal in a loop, 30
// times. yaegi v0.16.1 crashed on this in 3 of 6 runs here (a data race in
// the interpreter); v0.16.0, which go.mod pins, must never crash.
const spawnStorm = `import ("sync"; "sync/atomic"; "fmt")
var total int64
for round := 0; round < 30; round++ {
	var wg sync.WaitGroup
	for i := 0; i < 10000; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			atomic.AddInt64(&total, 1)
		}()
	}
	wg.Wait()
}
fmt.Println("spawned", total)
`

// TestSpawnStorm runs the storm in 6 worker processes at once.
func TestSpawnStorm(t *testing.T) {
	if testing.Short() {
		t.Skip("stress test; runs without -short")
	}
	workers := 6
	if s := os.Getenv("LANES_STRESS_WORKERS"); s != "" {
		fmt.Sscan(s, &workers)
	}
	var wg sync.WaitGroup
	for i := 0; i < workers; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			out, errOut, code := lanes(t, spawnStorm)
			if code != 0 || strings.TrimSpace(out) != "spawned 300000" {
				t.Errorf("worker %d: exit %d, stdout %q, stderr %q", i, code, out, tail(errOut, 2000))
			}
		}()
	}
	wg.Wait()
}

func tail(s string, n int) string {
	if len(s) > n {
		return s[len(s)-n:]
	}
	return s
}
