// An unsynchronised counter can lose updates; it can never gain any.
package main

import (
	"fmt"
	"sync"
)

func main() {
	count := 0
	var wg sync.WaitGroup
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 1000; i++ {
				count++
			}
		}()
	}
	wg.Wait()
	fmt.Println("count <= 4000:", count <= 4000, "count > 0:", count > 0)
}
