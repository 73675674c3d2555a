// Rate limiting with a ticker: requests are served at most one per tick.
package main

import (
	"fmt"
	"time"
)

func main() {
	requests := make(chan int, 5)
	for i := 1; i <= 5; i++ {
		requests <- i
	}
	close(requests)
	limiter := time.NewTicker(10 * time.Millisecond)
	defer limiter.Stop()
	start := time.Now()
	for r := range requests {
		<-limiter.C
		fmt.Println("request", r)
	}
	fmt.Println("took at least 40ms:", time.Since(start) >= 40*time.Millisecond)
}
