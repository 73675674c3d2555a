// min, max and clear (Go 1.21) in concurrent code.
package main

import (
	"fmt"
	"sync"
)

func main() {
	parts := [][]int{{5, 3, 9}, {7, 1}, {4, 8, 6}}
	lows := make([]int, len(parts))
	highs := make([]int, len(parts))
	var wg sync.WaitGroup
	for i, p := range parts {
		wg.Add(1)
		go func() {
			defer wg.Done()
			lo, hi := p[0], p[0]
			for _, v := range p[1:] {
				lo = min(lo, v)
				hi = max(hi, v)
			}
			lows[i], highs[i] = lo, hi
		}()
	}
	wg.Wait()
	fmt.Println(lows, highs, min(lows[0], lows[1], lows[2]), max(2.5, 1))
	seen := map[string]int{"a": 1, "b": 2}
	clear(seen)
	buf := []int{1, 2, 3}
	clear(buf)
	fmt.Println(len(seen), buf, min("go", "lanes"))
}
