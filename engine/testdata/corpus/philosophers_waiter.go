// Dining philosophers without a lock order: a waiter lets at most n-1 sit.
package main

import (
	"fmt"
	"sync"
)

func main() {
	const n = 5
	forks := make([]sync.Mutex, n)
	seats := make(chan struct{}, n-1)
	meals := make([]int, n)
	var wg sync.WaitGroup
	for p := 0; p < n; p++ {
		wg.Add(1)
		go func(p int) {
			defer wg.Done()
			left, right := p, (p+1)%n
			for m := 0; m < 20; m++ {
				seats <- struct{}{}
				forks[left].Lock()
				forks[right].Lock()
				meals[p]++
				forks[right].Unlock()
				forks[left].Unlock()
				<-seats
			}
		}(p)
	}
	wg.Wait()
	fmt.Println("meals:", meals)
}
