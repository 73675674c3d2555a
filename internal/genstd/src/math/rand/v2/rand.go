// Package rand holds the generic member of the standard library's
// math/rand/v2 package for Lanes cells: N. The other members are the
// compiled ones.
package rand

import "github.com/lanes-dev/lanes/internal/genstd/randn"

// intType is the set of types N accepts: the integer types and the types
// defined on them (time.Duration among them).
type intType interface {
	~int | ~int8 | ~int16 | ~int32 | ~int64 |
		~uint | ~uint8 | ~uint16 | ~uint32 | ~uint64 | ~uintptr
}

// N returns a pseudo-random number in [0, n) from the default source. It
// panics if n <= 0.
//
// The result is set by compiled code (package randn): the interpreter
// fails on a conversion to a type parameter inferred from an untyped
// constant (rand.N(10)) or standing for a compiled named type
// (time.Duration). The type parameter is T, not Go's Int: the interpreter
// takes an identifier named like a type parameter for it, even a method
// name.
func N[T intType](n T) T {
	if n <= 0 {
		panic("invalid argument to N")
	}
	var r T
	randn.Set(&r, n)
	return r
}
