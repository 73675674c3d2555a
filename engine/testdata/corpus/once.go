// sync.Once runs its function once, however many goroutines ask.
package main

import (
	"fmt"
	"sync"
)

var (
	once   sync.Once
	config map[string]string
	inits  int
)

func load() {
	inits++
	config = map[string]string{"mode": "fast"}
}

func main() {
	var wg sync.WaitGroup
	for i := 0; i < 10; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			once.Do(load)
		}()
	}
	wg.Wait()
	fmt.Println(config["mode"], "initialised", inits, "time(s)")
}
