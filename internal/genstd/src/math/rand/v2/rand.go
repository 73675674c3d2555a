// Package rand holds the generic member of the standard library's
// math/rand/v2 package for Lanes cells: N. The other members are the
// compiled ones.
package rand

import (
	// Imported under a name of its own: in an instance of a generic
	// function the interpreter looks a package name up among the cells'
	// packages first, and there rand may be math/rand or crypto/rand.
	randv2 "math/rand/v2"
	"reflect"
)

// intType is the set of types N accepts: the integer types and the types
// defined on them (time.Duration among them).
type intType interface {
	~int | ~int8 | ~int16 | ~int32 | ~int64 |
		~uint | ~uint8 | ~uint16 | ~uint32 | ~uint64 | ~uintptr
}

// N returns a pseudo-random number in [0, n) from the default source. It
// panics if n <= 0.
//
// The result is set through reflect: the interpreter fails on a
// conversion to a type parameter inferred from an untyped constant
// (rand.N(10)) or standing for a compiled named type (time.Duration).
//
// The type parameter is T, not Go's Int: the interpreter would take the
// method name Int below for it.
func N[T intType](n T) T {
	if n <= 0 {
		panic("invalid argument to N")
	}
	var r T
	v := reflect.ValueOf(&r).Elem()
	limit := reflect.ValueOf(n)
	if v.CanInt() {
		v.SetInt(randv2.Int64N(limit.Int()))
	} else {
		v.SetUint(randv2.Uint64N(limit.Uint()))
	}
	return r
}
