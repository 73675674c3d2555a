// A goroutine recovers its own panic and reports it as an error.
package main

import (
	"fmt"
	"sync"
)

func safeDiv(a, b int) (q int, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("recovered: %v", r)
		}
	}()
	return a / b, nil
}

func main() {
	var wg sync.WaitGroup
	errs := make([]error, 3)
	for i, d := range []int{2, 0, 5} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = safeDiv(10, d)
		}()
	}
	wg.Wait()
	fmt.Println(errs)
	func() {
		defer func() { fmt.Println("recovered:", recover()) }()
		var m map[string]int
		m["x"] = 1
	}()
}
