// sync.Cond: goroutines wait until a condition holds.
package main

import (
	"fmt"
	"sync"
)

func main() {
	var mu sync.Mutex
	cond := sync.NewCond(&mu)
	ready := 0
	var wg sync.WaitGroup
	for i := 0; i < 3; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			mu.Lock()
			ready++
			cond.Broadcast()
			mu.Unlock()
		}()
	}
	mu.Lock()
	for ready < 3 {
		cond.Wait()
	}
	mu.Unlock()
	wg.Wait()
	fmt.Println("all", ready, "ready")
}
