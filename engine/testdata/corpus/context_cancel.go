// Cancelling a context stops the goroutines that watch it.
package main

import (
	"context"
	"fmt"
	"sync"
)

func counter(ctx context.Context, out chan<- int) {
	defer close(out)
	for i := 0; ; i++ {
		select {
		case <-ctx.Done():
			return
		case out <- i:
		}
	}
}

func main() {
	ctx, cancel := context.WithCancel(context.Background())
	out := make(chan int)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { defer wg.Done(); counter(ctx, out) }()
	for v := range out {
		if v == 5 {
			cancel()
			break
		}
	}
	for range out {
	}
	wg.Wait()
	fmt.Println("stopped:", ctx.Err())
}
