// An errgroup-style group: the first error wins and cancels the others.
package main

import (
	"context"
	"errors"
	"fmt"
	"sync"
)

type Group struct {
	wg     sync.WaitGroup
	once   sync.Once
	err    error
	cancel context.CancelFunc
}

func WithContext(ctx context.Context) (*Group, context.Context) {
	ctx, cancel := context.WithCancel(ctx)
	return &Group{cancel: cancel}, ctx
}

func (g *Group) Go(f func() error) {
	g.wg.Add(1)
	go func() {
		defer g.wg.Done()
		if err := f(); err != nil {
			g.once.Do(func() {
				g.err = err
				g.cancel()
			})
		}
	}()
}

func (g *Group) Wait() error {
	g.wg.Wait()
	g.cancel()
	return g.err
}

func main() {
	g, ctx := WithContext(context.Background())
	for i := 0; i < 5; i++ {
		g.Go(func() error {
			if i == 3 {
				return errors.New("task 3 failed")
			}
			<-ctx.Done()
			return nil
		})
	}
	fmt.Println("first error:", g.Wait())
	fmt.Println("context:", ctx.Err())
}
