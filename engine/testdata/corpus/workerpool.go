// A worker pool with results sent back with their job ids.
package main

import (
	"fmt"
	"sort"
	"sync"
)

type result struct{ id, value int }

func worker(jobs <-chan int, results chan<- result, wg *sync.WaitGroup) {
	defer wg.Done()
	for j := range jobs {
		results <- result{j, j * 10}
	}
}

func main() {
	jobs := make(chan int, 10)
	results := make(chan result, 10)
	var wg sync.WaitGroup
	for w := 0; w < 4; w++ {
		wg.Add(1)
		go worker(jobs, results, &wg)
	}
	for j := 1; j <= 10; j++ {
		jobs <- j
	}
	close(jobs)
	wg.Wait()
	close(results)
	var rs []result
	for r := range results {
		rs = append(rs, r)
	}
	sort.Slice(rs, func(a, b int) bool { return rs[a].id < rs[b].id })
	fmt.Println(rs)
}
