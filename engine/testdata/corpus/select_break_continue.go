// A for-select loop left with a labelled break, select cases that
// continue the loop, and a labelled continue out of a nested loop.
package main

import "fmt"

func main() {
	jobs := make(chan int)
	quit := make(chan struct{})
	go func() {
		for i := 1; i <= 6; i++ {
			jobs <- i
		}
		close(quit)
	}()

	sum, skipped := 0, 0
loop:
	for {
		select {
		case j := <-jobs:
			if j%3 == 0 {
				skipped++
				continue
			}
			sum += j
		case <-quit:
			break loop
		}
	}
	fmt.Println("sum", sum, "skipped", skipped)

	rounds := 0
outer:
	for i := 0; i < 3; i++ {
		for {
			select {
			case <-quit:
				rounds++
				continue outer
			}
		}
	}
	fmt.Println("rounds", rounds)
}
