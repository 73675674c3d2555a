// A generic worker pool whose generic constructor makes its channels.
package main

import (
	"fmt"
	"sort"
	"strings"
	"sync"
)

type Pool[T any] struct {
	jobs    chan T
	results chan T
	wg      sync.WaitGroup
}

func NewPool[T any](workers int, f func(T) T) *Pool[T] {
	p := &Pool[T]{jobs: make(chan T), results: make(chan T, 100)}
	for w := 0; w < workers; w++ {
		p.wg.Add(1)
		go func() {
			defer p.wg.Done()
			for j := range p.jobs {
				p.results <- f(j)
			}
		}()
	}
	return p
}

func (p *Pool[T]) Run(items []T) []T {
	for _, it := range items {
		p.jobs <- it
	}
	close(p.jobs)
	p.wg.Wait()
	close(p.results)
	var out []T
	for r := range p.results {
		out = append(out, r)
	}
	return out
}

func main() {
	squares := NewPool(3, func(x int) int { return x * x }).Run([]int{1, 2, 3, 4})
	sort.Ints(squares)
	fmt.Println(squares)
	upper := NewPool(2, strings.ToUpper).Run([]string{"go", "lanes"})
	sort.Strings(upper)
	fmt.Println(upper)
}
