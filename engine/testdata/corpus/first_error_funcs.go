// The first error of several calls run at once, errgroup style: the calls
// are func values with unnamed parameters, handed over as a variadic list.
package main

import (
	"context"
	"errors"
	"fmt"
	"time"
)

func first(ctx context.Context, fs ...func(context.Context) error) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	errc := make(chan error, len(fs))
	for _, f := range fs {
		go func() { errc <- f(ctx) }()
	}
	for range fs {
		if err := <-errc; err != nil {
			return err
		}
	}
	return nil
}

func main() {
	ok := func(context.Context) error { return nil }
	slow := func(ctx context.Context) error {
		select {
		case <-time.After(time.Second):
			return errors.New("slow finished")
		case <-ctx.Done():
			return nil
		}
	}
	fail := func(context.Context) error { return errors.New("fail") }

	fmt.Println(first(context.Background(), ok, ok))
	fmt.Println(first(context.Background(), ok, fail, slow))
}
