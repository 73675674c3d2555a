// A generic worker pool: Map runs f over the inputs with n workers.
package main

import (
	"fmt"
	"strings"
	"sync"
)

func Map[T, R any](in []T, workers int, f func(T) R) []R {
	out := make([]R, len(in))
	idx := make(chan int)
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range idx {
				out[i] = f(in[i])
			}
		}()
	}
	for i := range in {
		idx <- i
	}
	close(idx)
	wg.Wait()
	return out
}

func main() {
	fmt.Println(Map([]int{1, 2, 3, 4}, 2, func(x int) int { return x * x }))
	fmt.Println(Map([]string{"a", "b"}, 3, strings.ToUpper))
}
