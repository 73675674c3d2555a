// Package cmp is the interpreted form of the standard library's cmp
// package for Lanes cells: Ordered, Compare, Less and Or, with Go's
// semantics (a NaN is less than any other value and equal to a NaN).
package cmp

// Ordered is satisfied by the types whose values < orders: integers,
// floats and strings, and the types defined on them.
type Ordered interface {
	~int | ~int8 | ~int16 | ~int32 | ~int64 |
		~uint | ~uint8 | ~uint16 | ~uint32 | ~uint64 | ~uintptr |
		~float32 | ~float64 |
		~string
}

// Compare returns -1, 0 or +1 as x is less than, equal to or greater than
// y. A NaN is less than every number and equal to another NaN; -0.0 equals
// 0.0.
func Compare[T Ordered](x, y T) int {
	xNaN, yNaN := x != x, y != y
	switch {
	case xNaN && yNaN:
		return 0
	case xNaN || x < y:
		return -1
	case yNaN || x > y:
		return +1
	}
	return 0
}

// Less reports whether x is less than y, a NaN being less than every
// number.
func Less[T Ordered](x, y T) bool {
	return (x != x && y == y) || x < y
}

// Or returns its first argument that is not the zero value, or the zero
// value if all are.
func Or[T comparable](vals ...T) T {
	var zero T
	for _, v := range vals {
		if v != zero {
			return v
		}
	}
	return zero
}
