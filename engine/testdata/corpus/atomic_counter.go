// Atomic counters need no lock.
package main

import (
	"fmt"
	"sync"
	"sync/atomic"
)

func main() {
	var ops atomic.Int64
	var old int64
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 100; i++ {
				ops.Add(1)
				atomic.AddInt64(&old, 2)
			}
		}()
	}
	wg.Wait()
	fmt.Println("ops", ops.Load(), "old-style", atomic.LoadInt64(&old))
}
