// sync.Map for concurrent loads and stores.
package main

import (
	"fmt"
	"sync"
)

func main() {
	var m sync.Map
	var wg sync.WaitGroup
	for i := 0; i < 5; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			m.Store(i, i*i)
		}()
	}
	wg.Wait()
	sum := 0
	m.Range(func(k, v any) bool {
		sum += v.(int)
		return true
	})
	v, ok := m.Load(3)
	_, loaded := m.LoadOrStore(3, 100)
	fmt.Println(sum, v, ok, loaded)
}
