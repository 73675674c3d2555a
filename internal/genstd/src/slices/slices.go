// Package slices is the interpreted form of the standard library's slices
// package for Lanes cells.
//
// Every function of Go 1.26's slices package is here with its semantics,
// with one difference the interpreter imposes: the interpreter cannot
// infer a type parameter constrained by another (S ~[]E), so the functions
// take and return plain []E. A value of a named slice type is accepted as
// in Go (it is assignable to []E); results that Go types as the named type
// come back as []E, which can be assigned to a variable of the named type.
// Iterator parameters are written func(yield func(E) bool), the underlying
// type of iter.Seq[E], for the same reason; any iter.Seq is accepted.
//
// Sort hands its slice to compiled code (package ordered); the Func
// sorts use the compiled sort package (sort.Slice, sort.SliceStable) with
// the interpreted comparison, so only the comparisons run interpreted.
package slices

import (
	"cmp"
	"iter"
	"sort"

	"github.com/lanes-dev/lanes/internal/genstd/ordered"
)

// All returns an iterator over the index-value pairs of s, in order.
func All[E any](s []E) iter.Seq2[int, E] {
	return func(yield func(int, E) bool) {
		for i, v := range s {
			if !yield(i, v) {
				return
			}
		}
	}
}

// Backward returns an iterator over the index-value pairs of s, from the
// last to the first.
func Backward[E any](s []E) iter.Seq2[int, E] {
	return func(yield func(int, E) bool) {
		for i := len(s) - 1; i >= 0; i-- {
			if !yield(i, s[i]) {
				return
			}
		}
	}
}

// Values returns an iterator over the elements of s, in order.
func Values[E any](s []E) iter.Seq[E] {
	return func(yield func(E) bool) {
		for _, v := range s {
			if !yield(v) {
				return
			}
		}
	}
}

// AppendSeq appends the values of seq to s and returns the result.
func AppendSeq[E any](s []E, seq func(yield func(E) bool)) []E {
	seq(func(v E) bool {
		s = append(s, v)
		return true
	})
	return s
}

// Collect returns a new slice of the values of seq (nil if it has none).
func Collect[E any](seq func(yield func(E) bool)) []E {
	return AppendSeq([]E(nil), seq)
}

// Sorted returns the values of seq in a new, sorted slice.
func Sorted[E cmp.Ordered](seq func(yield func(E) bool)) []E {
	s := Collect(seq)
	Sort(s)
	return s
}

// SortedFunc returns the values of seq in a new slice sorted by cmp.
func SortedFunc[E any](seq func(yield func(E) bool), cmp func(E, E) int) []E {
	s := Collect(seq)
	SortFunc(s, cmp)
	return s
}

// SortedStableFunc returns the values of seq in a new slice sorted by cmp,
// keeping equal values in the order seq yielded them.
func SortedStableFunc[E any](seq func(yield func(E) bool), cmp func(E, E) int) []E {
	s := Collect(seq)
	SortStableFunc(s, cmp)
	return s
}

// Chunk returns an iterator over consecutive sub-slices of s of n elements
// (the last may be shorter). Each chunk has capacity equal to its length.
// Chunk panics if n is less than 1.
func Chunk[E any](s []E, n int) iter.Seq[[]E] {
	if n < 1 {
		panic("cannot be less than 1")
	}
	return func(yield func([]E) bool) {
		for i := 0; i < len(s); i += n {
			end := i + n
			if end > len(s) {
				end = len(s)
			}
			if !yield(s[i:end:end]) {
				return
			}
		}
	}
}

// BinarySearch searches the sorted slice x for target and returns the
// position where it is, or would be inserted, and whether it was found.
func BinarySearch[E cmp.Ordered](x []E, target E) (int, bool) {
	lo, hi := 0, len(x)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if cmp.Less(x[m], target) {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo, lo < len(x) && cmp.Compare(x[lo], target) == 0
}

// BinarySearchFunc is BinarySearch with a comparison function: cmp(e, t)
// returns a negative number, zero or a positive number as e sorts before,
// at or after target.
func BinarySearchFunc[E, T any](x []E, target T, cmp func(E, T) int) (int, bool) {
	lo, hi := 0, len(x)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if cmp(x[m], target) < 0 {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo, lo < len(x) && cmp(x[lo], target) == 0
}

// Clip removes the unused capacity of s: s[:len(s):len(s)].
func Clip[E any](s []E) []E {
	return s[:len(s):len(s)]
}

// Clone returns a shallow copy of s; the copy of a nil slice is nil.
func Clone[E any](s []E) []E {
	if s == nil {
		return nil
	}
	return append([]E{}, s...)
}

// Compact replaces runs of equal consecutive elements by one copy and
// returns the shortened slice; it zeroes the elements between the new and
// the old length.
func Compact[E comparable](s []E) []E {
	return CompactFunc(s, func(a, b E) bool { return a == b })
}

// CompactFunc is Compact with an equality function; of each run it keeps
// the first element.
func CompactFunc[E any](s []E, eq func(E, E) bool) []E {
	if len(s) < 2 {
		return s
	}
	w := 1
	for r := 1; r < len(s); r++ {
		if !eq(s[w-1], s[r]) {
			s[w] = s[r]
			w++
		}
	}
	zero(s[w:])
	return s[:w]
}

// Compare compares s1 and s2 element by element with cmp.Compare; when
// one is a prefix of the other the shorter is less.
func Compare[E cmp.Ordered](s1, s2 []E) int {
	// Not cmp.Compare: inside a generic func named Compare, the
	// interpreter takes any call of a Compare for a recursive one.
	for i := 0; i < len(s1) && i < len(s2); i++ {
		if c := order(s1[i], s2[i]); c != 0 {
			return c
		}
	}
	return order(len(s1), len(s2))
}

// order is cmp.Compare under another name (see Compare).
func order[E cmp.Ordered](x, y E) int {
	switch {
	case cmp.Less(x, y):
		return -1
	case cmp.Less(y, x):
		return +1
	}
	return 0
}

// CompareFunc is Compare with a comparison function.
func CompareFunc[E1, E2 any](s1 []E1, s2 []E2, cmp func(E1, E2) int) int {
	for i := 0; i < len(s1) && i < len(s2); i++ {
		if c := cmp(s1[i], s2[i]); c != 0 {
			return c
		}
	}
	switch {
	case len(s1) < len(s2):
		return -1
	case len(s1) > len(s2):
		return +1
	}
	return 0
}

// Concat returns a new slice of the elements of all the slices in order
// (nil when there are none).
func Concat[E any](slices ...[]E) []E {
	n := 0
	for _, s := range slices {
		n += len(s)
	}
	if n == 0 {
		return nil
	}
	out := make([]E, 0, n)
	for _, s := range slices {
		out = append(out, s...)
	}
	return out
}

// Contains reports whether v is an element of s.
func Contains[E comparable](s []E, v E) bool {
	return Index(s, v) >= 0
}

// ContainsFunc reports whether an element of s satisfies f.
func ContainsFunc[E any](s []E, f func(E) bool) bool {
	return IndexFunc(s, f) >= 0
}

// Delete removes s[i:j] and returns the shortened slice, zeroing the
// elements after its new end. It panics if s[i:j] is not a valid slice of
// s.
func Delete[E any](s []E, i, j int) []E {
	_ = s[i:j:len(s)] // bounds check, as in Go
	if i == j {
		return s
	}
	n := copy(s[i:], s[j:])
	zero(s[i+n:])
	return s[:i+n]
}

// DeleteFunc removes the elements for which del returns true and returns
// the shortened slice, zeroing the elements after its new end.
func DeleteFunc[E any](s []E, del func(E) bool) []E {
	w := 0
	for _, v := range s {
		if !del(v) {
			s[w] = v
			w++
		}
	}
	zero(s[w:])
	return s[:w]
}

// Equal reports whether s1 and s2 have the same length and equal elements
// (a NaN is not equal to itself); nil and empty slices are equal.
func Equal[E comparable](s1, s2 []E) bool {
	if len(s1) != len(s2) {
		return false
	}
	for i := range s1 {
		if s1[i] != s2[i] {
			return false
		}
	}
	return true
}

// EqualFunc is Equal with an equality function.
func EqualFunc[E1, E2 any](s1 []E1, s2 []E2, eq func(E1, E2) bool) bool {
	if len(s1) != len(s2) {
		return false
	}
	for i := range s1 {
		if !eq(s1[i], s2[i]) {
			return false
		}
	}
	return true
}

// Grow makes sure s has room for n more elements without reallocating and
// returns it. It panics if n is negative.
func Grow[E any](s []E, n int) []E {
	if n < 0 {
		panic("cannot be negative")
	}
	if n -= cap(s) - len(s); n > 0 {
		s = append(s[:cap(s)], make([]E, n)...)[:len(s)]
	}
	return s
}

// Index returns the index of the first occurrence of v in s, or -1.
func Index[E comparable](s []E, v E) int {
	for i := range s {
		if v == s[i] {
			return i
		}
	}
	return -1
}

// IndexFunc returns the index of the first element satisfying f, or -1.
func IndexFunc[E any](s []E, f func(E) bool) int {
	for i := range s {
		if f(s[i]) {
			return i
		}
	}
	return -1
}

// Insert inserts the values v at index i of s and returns the result. It
// panics if i is out of range (0 <= i <= len(s)).
func Insert[E any](s []E, i int, v ...E) []E {
	_ = s[i:] // bounds check, as in Go
	out := make([]E, 0, len(s)+len(v))
	out = append(out, s[:i]...)
	out = append(out, v...)
	out = append(out, s[i:]...)
	if cap(s) >= len(out) {
		// Go inserts in place when s has room; so do we.
		s = s[:len(out)]
		copy(s, out)
		return s
	}
	return out
}

// IsSorted reports whether x is sorted in ascending order.
func IsSorted[E cmp.Ordered](x []E) bool {
	for i := len(x) - 1; i > 0; i-- {
		if cmp.Less(x[i], x[i-1]) {
			return false
		}
	}
	return true
}

// IsSortedFunc reports whether x is sorted by cmp.
func IsSortedFunc[E any](x []E, cmp func(a, b E) int) bool {
	for i := len(x) - 1; i > 0; i-- {
		if cmp(x[i], x[i-1]) < 0 {
			return false
		}
	}
	return true
}

// Max returns the largest element of x; if any is a NaN, the result is
// NaN. It panics on an empty slice.
func Max[E cmp.Ordered](x []E) E {
	if len(x) < 1 {
		panic("slices.Max: empty list")
	}
	m := x[0]
	for i := 1; i < len(x); i++ {
		if x[i] != x[i] {
			return x[i]
		}
		if x[i] > m {
			m = x[i]
		}
	}
	return m
}

// MaxFunc returns the first maximal element of x by cmp. It panics on an
// empty slice.
func MaxFunc[E any](x []E, cmp func(a, b E) int) E {
	if len(x) < 1 {
		panic("slices.MaxFunc: empty list")
	}
	m := x[0]
	for i := 1; i < len(x); i++ {
		if cmp(x[i], m) > 0 {
			m = x[i]
		}
	}
	return m
}

// Min returns the smallest element of x; if any is a NaN, the result is
// NaN. It panics on an empty slice.
func Min[E cmp.Ordered](x []E) E {
	if len(x) < 1 {
		panic("slices.Min: empty list")
	}
	m := x[0]
	for i := 1; i < len(x); i++ {
		if x[i] != x[i] {
			return x[i]
		}
		if x[i] < m {
			m = x[i]
		}
	}
	return m
}

// MinFunc returns the first minimal element of x by cmp. It panics on an
// empty slice.
func MinFunc[E any](x []E, cmp func(a, b E) int) E {
	if len(x) < 1 {
		panic("slices.MinFunc: empty list")
	}
	m := x[0]
	for i := 1; i < len(x); i++ {
		if cmp(x[i], m) < 0 {
			m = x[i]
		}
	}
	return m
}

// Repeat returns a new slice holding count copies of x. It panics if count
// is negative or the result would be too long.
func Repeat[E any](x []E, count int) []E {
	if count < 0 {
		panic("cannot be negative")
	}
	if len(x) > 0 && count > int(^uint(0)>>1)/len(x) {
		panic("the result of (len(x) * count) overflows")
	}
	out := make([]E, 0, len(x)*count)
	for i := 0; i < count; i++ {
		out = append(out, x...)
	}
	return out
}

// Replace replaces s[i:j] by the values v and returns the result, zeroing
// the elements past its end when it is shorter. It panics if s[i:j] is not
// a valid slice of s.
func Replace[E any](s []E, i, j int, v ...E) []E {
	_ = s[i:j] // bounds check, as in Go
	tail := Clone(s[j:])
	if n := i + len(v) + len(tail); n <= cap(s) {
		old := len(s)
		s = s[:n]
		copy(s[i:], v)
		copy(s[i+len(v):], tail)
		if n < old {
			zero(s[n:old])
		}
		return s
	}
	out := make([]E, 0, i+len(v)+len(tail))
	out = append(out, s[:i]...)
	out = append(out, v...)
	return append(out, tail...)
}

// Reverse reverses the elements of s in place.
func Reverse[E any](s []E) {
	for i, j := 0, len(s)-1; i < j; i, j = i+1, j-1 {
		s[i], s[j] = s[j], s[i]
	}
}

// Sort sorts x in ascending order; NaNs come first. The elements, of an
// integer, float or string kind, are sorted by compiled code (package
// ordered), some 100 times faster than with an interpreted comparison.
func Sort[E cmp.Ordered](x []E) {
	if !ordered.Sort(x) {
		sort.Slice(x, func(i, j int) bool { return cmp.Less(x[i], x[j]) })
	}
}

// SortFunc sorts x by cmp, which must be a strict weak ordering. The sort
// is not guaranteed to be stable.
func SortFunc[E any](x []E, cmp func(a, b E) int) {
	sort.Slice(x, func(i, j int) bool { return cmp(x[i], x[j]) < 0 })
}

// SortStableFunc sorts x by cmp, keeping equal elements in their original
// order.
func SortStableFunc[E any](x []E, cmp func(a, b E) int) {
	sort.SliceStable(x, func(i, j int) bool { return cmp(x[i], x[j]) < 0 })
}

// zero sets the elements of s to their zero value (the interpreter has no
// clear builtin).
func zero[E any](s []E) {
	var z E
	for i := range s {
		s[i] = z
	}
}
