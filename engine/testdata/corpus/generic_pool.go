// A generic worker pool: workers apply f to items of any type, by index.
package main

import (
	"fmt"
	"sync"
)

type Pool[T any] struct {
	workers int
	f       func(T) T
}

func (p Pool[T]) Run(items []T) []T {
	jobs := make(chan int)
	out := items[:0:0]
	out = append(out, items...)
	var wg sync.WaitGroup
	for w := 0; w < p.workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				out[i] = p.f(items[i])
			}
		}()
	}
	for i := range items {
		jobs <- i
	}
	close(jobs)
	wg.Wait()
	return out
}

func main() {
	fmt.Println(Pool[int]{3, func(x int) int { return x * x }}.Run([]int{1, 2, 3, 4}))
	fmt.Println(Pool[string]{2, func(s string) string { return s + "!" }}.Run([]string{"go", "lanes"}))
}
