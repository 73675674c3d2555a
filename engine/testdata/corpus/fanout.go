// Fan-out: several workers read from one channel; each job is done once.
package main

import (
	"fmt"
	"sync"
)

func main() {
	jobs := make(chan int)
	var mu sync.Mutex
	done := map[int]int{}
	var wg sync.WaitGroup
	for w := 1; w <= 3; w++ {
		wg.Add(1)
		go func(id int) {
			defer wg.Done()
			for j := range jobs {
				mu.Lock()
				done[j]++
				mu.Unlock()
			}
		}(w)
	}
	for j := 0; j < 30; j++ {
		jobs <- j
	}
	close(jobs)
	wg.Wait()
	once := true
	for j := 0; j < 30; j++ {
		if done[j] != 1 {
			once = false
		}
	}
	fmt.Println("jobs:", len(done), "each exactly once:", once)
}
