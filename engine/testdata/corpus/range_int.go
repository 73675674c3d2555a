// Ranging over an integer (Go 1.22) to start goroutines.
package main

import (
	"fmt"
	"sync"
)

func main() {
	n := 4
	got := make([]int, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			got[i] = i * i
		}()
	}
	wg.Wait()
	fmt.Println(got)
	total := 0
	for range 3 {
		total++
	}
	for i := range int64(3) {
		total += int(i)
	}
	fmt.Println(total)
}
