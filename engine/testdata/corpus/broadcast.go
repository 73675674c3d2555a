// Closing a channel wakes every goroutine waiting on it.
package main

import (
	"fmt"
	"sync"
)

func main() {
	start := make(chan struct{})
	var wg sync.WaitGroup
	var mu sync.Mutex
	started := 0
	for i := 0; i < 5; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			mu.Lock()
			started++
			mu.Unlock()
		}()
	}
	fmt.Println("before close:", started)
	close(start)
	wg.Wait()
	fmt.Println("after close:", started)
}
