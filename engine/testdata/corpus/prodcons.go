// Producers and consumers share a bounded queue.
package main

import (
	"fmt"
	"sync"
)

func main() {
	queue := make(chan int, 4)
	var prod, cons sync.WaitGroup
	for p := 0; p < 3; p++ {
		prod.Add(1)
		go func(base int) {
			defer prod.Done()
			for i := 0; i < 10; i++ {
				queue <- base*100 + i
			}
		}(p)
	}
	sums := make([]int, 2)
	for c := 0; c < 2; c++ {
		cons.Add(1)
		go func(c int) {
			defer cons.Done()
			for v := range queue {
				sums[c] += v
			}
		}(c)
	}
	prod.Wait()
	close(queue)
	cons.Wait()
	fmt.Println("total", sums[0]+sums[1])
}
