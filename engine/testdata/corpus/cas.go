// Compare-and-swap loops and atomic.Value.
package main

import (
	"fmt"
	"sync"
	"sync/atomic"
)

func main() {
	var maxSeen atomic.Int64
	var wg sync.WaitGroup
	for _, v := range []int64{3, 17, 5, 11} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				cur := maxSeen.Load()
				if v <= cur || maxSeen.CompareAndSwap(cur, v) {
					return
				}
			}
		}()
	}
	wg.Wait()
	var cfg atomic.Value
	cfg.Store("v1")
	cfg.Store("v2")
	fmt.Println(maxSeen.Load(), cfg.Load())
}
