// A select receives into a struct field and a slice element, and a
// function literal returns three results of different types.
package main

import (
	"fmt"
	"time"
)

type stats struct {
	last int
	ok   bool
}

func main() {
	ch := make(chan int, 2)
	ch <- 3
	ch <- 4
	var s stats
	seen := make([]int, 2)
	for i := 0; i < 2; i++ {
		select {
		case seen[i] = <-ch:
		case <-time.After(time.Second):
		}
	}
	ch <- 5
	select {
	case s.last, s.ok = <-ch:
	}
	measure := func(n int) (time.Duration, int64, int) {
		_ = 8 * 5
		return time.Duration(n) * time.Millisecond, int64(n * n), min(n, 2)
	}
	d, sq, small := measure(3)
	fmt.Println(seen, s.last, s.ok, d, sq, small)
}
