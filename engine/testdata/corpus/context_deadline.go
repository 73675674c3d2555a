// A deadline ends slow work; fast work finishes first.
package main

import (
	"context"
	"errors"
	"fmt"
	"time"
)

func work(ctx context.Context, d time.Duration) error {
	select {
	case <-time.After(d):
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func main() {
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	fmt.Println("fast:", work(ctx, time.Millisecond))
	err := work(ctx, 3*time.Second)
	fmt.Println("slow:", err, errors.Is(err, context.DeadlineExceeded))
	_, has := ctx.Deadline()
	fmt.Println("has deadline:", has)
}
