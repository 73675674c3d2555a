// Bounded parallelism with a semaphore and results by index.
package main

import (
	"fmt"
	"sync"
)

func fib(n int) int {
	if n < 2 {
		return n
	}
	return fib(n-1) + fib(n-2)
}

func main() {
	ns := []int{5, 10, 15, 12, 8, 3}
	out := make([]int, len(ns))
	sem := make(chan struct{}, 3)
	var wg sync.WaitGroup
	for i, n := range ns {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			out[i] = fib(n)
		}()
	}
	wg.Wait()
	fmt.Println(out)
}
