// Package maps is the interpreted form of the standard library's maps
// package for Lanes cells.
//
// As in package slices here, the functions take plain map[K]V (the
// interpreter cannot infer M ~map[K]V), which accepts named map types, and
// iterator parameters are written as the underlying type of iter.Seq2.
// The iterators visit a map in Go's unspecified order.
package maps

import "iter"

// All returns an iterator over the key-value pairs of m.
func All[K comparable, V any](m map[K]V) iter.Seq2[K, V] {
	return func(yield func(K, V) bool) {
		for k, v := range m {
			if !yield(k, v) {
				return
			}
		}
	}
}

// Keys returns an iterator over the keys of m.
func Keys[K comparable, V any](m map[K]V) iter.Seq[K] {
	return func(yield func(K) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

// Values returns an iterator over the values of m.
func Values[K comparable, V any](m map[K]V) iter.Seq[V] {
	return func(yield func(V) bool) {
		for _, v := range m {
			if !yield(v) {
				return
			}
		}
	}
}

// Clone returns a shallow copy of m; the copy of a nil map is nil.
func Clone[K comparable, V any](m map[K]V) map[K]V {
	if m == nil {
		return nil
	}
	out := make(map[K]V, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

// Collect returns a new map of the pairs of seq; a later pair replaces an
// earlier one with the same key.
func Collect[K comparable, V any](seq func(yield func(K, V) bool)) map[K]V {
	out := map[K]V{}
	Insert(out, seq)
	return out
}

// Copy sets dst[k] = v for every pair of src.
func Copy[K comparable, V any](dst, src map[K]V) {
	for k, v := range src {
		dst[k] = v
	}
}

// DeleteFunc deletes the pairs of m for which del returns true.
func DeleteFunc[K comparable, V any](m map[K]V, del func(K, V) bool) {
	for k, v := range m {
		if del(k, v) {
			delete(m, k)
		}
	}
}

// Equal reports whether m1 and m2 hold the same pairs, comparing values
// with ==.
func Equal[K, V comparable](m1, m2 map[K]V) bool {
	if len(m1) != len(m2) {
		return false
	}
	for k, v1 := range m1 {
		if v2, ok := m2[k]; !ok || v1 != v2 {
			return false
		}
	}
	return true
}

// EqualFunc is Equal with an equality function for the values.
func EqualFunc[K comparable, V1, V2 any](m1 map[K]V1, m2 map[K]V2, eq func(V1, V2) bool) bool {
	if len(m1) != len(m2) {
		return false
	}
	for k, v1 := range m1 {
		if v2, ok := m2[k]; !ok || !eq(v1, v2) {
			return false
		}
	}
	return true
}

// Insert adds the pairs of seq to m, replacing the values of keys already
// present.
func Insert[K comparable, V any](m map[K]V, seq func(yield func(K, V) bool)) {
	seq(func(k K, v V) bool {
		m[k] = v
		return true
	})
}
