// sync.WaitGroup.Go (Go 1.25) with closures over the loop variable.
package main

import (
	"fmt"
	"sync"
)

func main() {
	var wg sync.WaitGroup
	out := make([]string, 5)
	for i := range 5 {
		wg.Go(func() {
			out[i] = fmt.Sprint("job-", i)
		})
	}
	wg.Wait()
	fmt.Println(out)
}
