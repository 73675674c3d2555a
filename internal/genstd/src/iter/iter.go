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

// Pull turns seq into a next function, which returns the sequence's
// values one by one (false once it has ended), and a stop function, which
// ends it early. (Written out rather than over Pull2: the interpreter
// loses a captured yield when the goroutine of Pull2 resumes it.)
func Pull[V any](seq func(yield func(V) bool)) (func() (V, bool), func()) {
	v := new(V)
	ask := make(chan bool)
	got := make(chan bool)
	done, started := false, false
	finished := false // the sequence returned (if not, it panicked)
	var failure any
	run := func() {
		defer func() {
			if !finished {
				failure = recover()
			}
			got <- false
		}()
		if <-ask {
			seq(func(v1 V) bool {
				*v = v1
				got <- true
				more := <-ask // not returned directly: the interpreter fails on return <-ch
				return more
			})
		}
		finished = true
	}
	return func() (V, bool) {
			if done {
				return *new(V), false
			}
			if !started {
				started = true
				go run()
			}
			ask <- true
			if <-got {
				return *v, true
			}
			done = true
			if !finished {
				panic(failure)
			}
			return *new(V), false
		}, func() {
			if done {
				return
			}
			done = true
			if !started {
				return
			}
			ask <- false
			for <-got {
				ask <- false // a sequence that yields after being told to stop
			}
			if !finished {
				panic(failure)
			}
		}
}

// Pull2 is Pull for sequences of pairs.
//
// The sequence runs in a goroutine; next and stop hand over to it on ask
// (true: yield one more pair; false: stop) and wait on got (true: a pair
// is in *k and *v; false: the sequence has returned).
func Pull2[K, V any](seq func(yield func(K, V) bool)) (func() (K, V, bool), func()) {
	k, v := new(K), new(V)
	ask := make(chan bool)
	got := make(chan bool)
	done, started := false, false
	finished := false // the sequence returned (if not, it panicked)
	var failure any
	run := func() {
		defer func() {
			if !finished {
				failure = recover()
			}
			got <- false
		}()
		if <-ask {
			seq(func(k1 K, v1 V) bool {
				*k = k1
				*v = v1
				got <- true
				more := <-ask // not returned directly: the interpreter fails on return <-ch
				return more
			})
		}
		finished = true
	}
	return func() (K, V, bool) {
			if done {
				return *new(K), *new(V), false
			}
			if !started {
				started = true
				go run()
			}
			ask <- true
			if <-got {
				return *k, *v, true
			}
			done = true
			if !finished {
				panic(failure)
			}
			return *new(K), *new(V), false
		}, func() {
			if done {
				return
			}
			done = true
			if !started {
				return
			}
			ask <- false
			for <-got {
				ask <- false // a sequence that yields after being told to stop
			}
			if !finished {
				panic(failure)
			}
		}
}
