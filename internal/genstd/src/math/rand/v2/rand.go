// Package rand holds the generic member of the standard library's
// math/rand/v2 package for Lanes cells: N. The other members are the
// compiled ones.
package rand

import "math/rand/v2"

// intType is the set of types N accepts: the integer types and the types
// defined on them (time.Duration among them).
type intType interface {
	~int | ~int8 | ~int16 | ~int32 | ~int64 |
		~uint | ~uint8 | ~uint16 | ~uint32 | ~uint64 | ~uintptr
}

// N returns a pseudo-random number in [0, n) from the default source. It
// panics if n <= 0.
func N[Int intType](n Int) Int {
	if n <= 0 {
		panic("invalid argument to N")
	}
	return Int(rand.Uint64N(uint64(n)))
}
