// Go 1.22: range loop variables are per iteration, also for goroutines.
package main

import (
	"fmt"
	"sort"
	"sync"
)

func main() {
	words := []string{"ant", "bee", "cat", "dog"}
	var mu sync.Mutex
	var seen []string
	var wg sync.WaitGroup
	for i, w := range words {
		wg.Add(1)
		go func() {
			defer wg.Done()
			mu.Lock()
			seen = append(seen, fmt.Sprint(i, w))
			mu.Unlock()
		}()
	}
	wg.Wait()
	sort.Strings(seen)
	fmt.Println(seen)
}
