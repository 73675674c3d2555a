// Package atomic holds the generic member of the standard library's
// sync/atomic package for Lanes cells: Pointer. The other members are the
// compiled ones.
//
// Pointer's operations are made atomic with a mutex rather than with
// processor instructions: each is linearizable, as Go's, but they may
// wait for one another.
package atomic

import "sync"

// Pointer is an atomic pointer of type *T. The zero value holds nil. A
// Pointer must not be copied after first use.
type Pointer[T any] struct {
	mu sync.Mutex
	p  *T
}

// Load returns the pointer held.
func (x *Pointer[T]) Load() *T {
	x.mu.Lock()
	defer x.mu.Unlock()
	return x.p
}

// Store replaces the pointer held by val.
func (x *Pointer[T]) Store(val *T) {
	x.mu.Lock()
	defer x.mu.Unlock()
	x.p = val
}

// Swap stores new and returns the pointer held before.
func (x *Pointer[T]) Swap(new *T) (old *T) {
	x.mu.Lock()
	defer x.mu.Unlock()
	old, x.p = x.p, new
	return old
}

// CompareAndSwap stores new if the pointer held is old, and reports
// whether it did.
func (x *Pointer[T]) CompareAndSwap(old, new *T) (swapped bool) {
	x.mu.Lock()
	defer x.mu.Unlock()
	if x.p != old {
		return false
	}
	x.p = new
	return true
}
