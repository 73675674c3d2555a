// A generic parallel map: one goroutine per element, results in order.
// The result type is inferred from the function passed in.
package main

import (
	"fmt"
	"strings"
	"sync"
)

func ParallelMap[T, U any](xs []T, f func(T) U) []U {
	out := make([]U, len(xs))
	var wg sync.WaitGroup
	for i, x := range xs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			out[i] = f(x)
		}()
	}
	wg.Wait()
	return out
}

type Order struct {
	Drink string
	Shots int
}

func main() {
	lengths := ParallelMap([]string{"espresso", "latte", "tea"}, func(s string) int { return len(s) })
	fmt.Println(lengths)

	orders := []Order{{"latte", 2}, {"mocha", 1}}
	labels := ParallelMap(orders, func(o Order) string {
		return strings.ToUpper(o.Drink) + strings.Repeat("*", o.Shots)
	})
	fmt.Println(strings.Join(labels, " "))
}
