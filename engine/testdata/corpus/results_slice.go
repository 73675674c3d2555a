// Each goroutine writes its own index of a slice: no lock needed.
package main

import (
	"fmt"
	"strings"
	"sync"
)

func main() {
	words := strings.Fields("the quick brown fox jumps")
	lengths := make([]int, len(words))
	var wg sync.WaitGroup
	for i, w := range words {
		wg.Add(1)
		go func(i int, w string) {
			defer wg.Done()
			lengths[i] = len(w)
		}(i, w)
	}
	wg.Wait()
	fmt.Println(lengths)
}
