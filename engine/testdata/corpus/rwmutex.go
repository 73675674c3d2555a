// An RWMutex: many readers, one writer.
package main

import (
	"fmt"
	"sync"
)

type Store struct {
	mu   sync.RWMutex
	data map[string]int
}

func (s *Store) Get(k string) (int, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	v, ok := s.data[k]
	return v, ok
}

func (s *Store) Add(k string, d int) {
	s.mu.Lock()
	s.data[k] += d
	s.mu.Unlock()
}

func main() {
	s := &Store{data: map[string]int{}}
	var wg sync.WaitGroup
	for w := 0; w < 4; w++ {
		wg.Add(2)
		go func() {
			defer wg.Done()
			for i := 0; i < 50; i++ {
				s.Add("hits", 1)
			}
		}()
		go func() {
			defer wg.Done()
			for i := 0; i < 50; i++ {
				s.Get("hits")
			}
		}()
	}
	wg.Wait()
	v, ok := s.Get("hits")
	fmt.Println(v, ok)
}
