// Package sync holds the generic members of the standard library's sync
// package for Lanes cells: OnceValue and OnceValues. The other members
// (OnceFunc among them) are the compiled ones.
package sync

import "sync"

// OnceValue returns a function that calls f the first time it is called
// and returns f's result then and on every later call. If f panics, every
// call panics with the same value.
func OnceValue[T any](f func() T) func() T {
	var (
		once   sync.Once
		done   bool
		failed any
		v      T
	)
	return func() T {
		once.Do(func() {
			defer func() {
				if !done {
					failed = recover()
				}
			}()
			v = f()
			done = true
		})
		if !done {
			panic(failed)
		}
		return v
	}
}

// OnceValues is OnceValue for a function of two results.
func OnceValues[T1, T2 any](f func() (T1, T2)) func() (T1, T2) {
	type pair struct {
		a T1
		b T2
	}
	g := OnceValue(func() pair {
		a, b := f()
		return pair{a, b}
	})
	return func() (T1, T2) {
		p := g()
		return p.a, p.b
	}
}
