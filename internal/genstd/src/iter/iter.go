// Package iter is the interpreted form of the standard library's iter
// package for Lanes cells: the iterator types Seq and Seq2, and Pull and
// Pull2, which turn a push iterator into a next/stop pair.
//
// Pull runs the iterator in a goroutine that hands over one value at a
// time (Go's runtime uses coroutines; the values and their order are the
// same). As in Go, calling next after stop, or after the sequence ended,
// returns the zero values and false, and stop may be called any number of
// times.
package iter

// Seq is an iterator over single values: it calls yield with each value
// in turn and stops early when yield returns false.
type Seq[V any] func(yield func(V) bool)

// Seq2 is an iterator over pairs of values.
type Seq2[K, V any] func(yield func(K, V) bool)

// pair carries one step of a pulled sequence.
type pair[K, V any] struct {
	k  K
	v  V
	ok bool
}

// Pull turns seq into a next function, which returns the sequence's
// values one by one (false once it has ended), and a stop function, which
// ends it early.
func Pull[V any](seq func(yield func(V) bool)) (next func() (V, bool), stop func()) {
	n2, s2 := Pull2(func(yield func(struct{}, V) bool) {
		seq(func(v V) bool { return yield(struct{}{}, v) })
	})
	next = func() (V, bool) {
		_, v, ok := n2()
		return v, ok
	}
	return next, s2
}

// Pull2 is Pull for sequences of pairs.
func Pull2[K, V any](seq func(yield func(K, V) bool)) (next func() (K, V, bool), stop func()) {
	vals := make(chan pair[K, V])
	ask := make(chan bool) // true: send the next value; false: stop
	var done, started bool
	var failure any
	run := func() {
		defer close(vals)
		defer func() { failure = recover() }()
		if !<-ask {
			return
		}
		seq(func(k K, v V) bool {
			vals <- pair[K, V]{k, v, true}
			return <-ask
		})
	}
	next = func() (K, V, bool) {
		var p pair[K, V]
		if done {
			return p.k, p.v, false
		}
		if !started {
			started = true
			go run()
		}
		ask <- true
		p, open := <-vals
		if !open {
			done = true
			if failure != nil {
				panic(failure)
			}
		}
		return p.k, p.v, p.ok
	}
	stop = func() {
		if done {
			return
		}
		done = true
		if !started {
			return
		}
		ask <- false
		for range vals {
		}
		if failure != nil {
			panic(failure)
		}
	}
	return next, stop
}
