// Fan-in: merge several channels into one.
package main

import (
	"fmt"
	"sort"
	"sync"
)

func source(name string, n int) <-chan string {
	ch := make(chan string)
	go func() {
		defer close(ch)
		for i := 0; i < n; i++ {
			ch <- fmt.Sprintf("%s%d", name, i)
		}
	}()
	return ch
}

func merge(chans ...<-chan string) <-chan string {
	out := make(chan string)
	var wg sync.WaitGroup
	for _, c := range chans {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for v := range c {
				out <- v
			}
		}()
	}
	go func() { wg.Wait(); close(out) }()
	return out
}

func main() {
	var all []string
	for v := range merge(source("a", 3), source("b", 2), source("c", 4)) {
		all = append(all, v)
	}
	sort.Strings(all)
	fmt.Println(len(all), all)
}
