// Collecting every error from concurrent tasks with errors.Join.
package main

import (
	"errors"
	"fmt"
	"sync"
)

func check(n int) error {
	if n%2 == 1 {
		return fmt.Errorf("%d is odd", n)
	}
	return nil
}

func main() {
	errs := make([]error, 6)
	var wg sync.WaitGroup
	for i := range 6 {
		wg.Go(func() { errs[i] = check(i) })
	}
	wg.Wait()
	fmt.Println(errors.Join(errs...))
}
