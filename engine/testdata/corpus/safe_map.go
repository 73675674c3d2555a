// A map guarded by a mutex, counting words from several goroutines.
package main

import (
	"fmt"
	"sort"
	"strings"
	"sync"
)

func main() {
	lines := []string{"a b a", "b c", "a c c", "d"}
	var mu sync.Mutex
	counts := map[string]int{}
	var wg sync.WaitGroup
	for _, l := range lines {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for _, w := range strings.Fields(l) {
				mu.Lock()
				counts[w]++
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	keys := make([]string, 0, len(counts))
	for k := range counts {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		fmt.Println(k, counts[k])
	}
}
