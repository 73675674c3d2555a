// Goroutines and a WaitGroup: each worker fills its own slot.
package main

import (
	"fmt"
	"sync"
)

func square(n int) int { return n * n }

func main() {
	var wg sync.WaitGroup
	results := make([]int, 8)
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			results[i] = square(i)
		}(i)
	}
	wg.Wait()
	fmt.Println(results)
}
