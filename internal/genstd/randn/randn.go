// Package randn is compiled help for the interpreted rand.N of package
// genstd: the interpreter fails on a conversion to a type parameter
// inferred from an untyped constant (rand.N(10)) or standing for a
// compiled named type (time.Duration), so the result is set here.
package randn

import (
	"math/rand/v2"
	"reflect"
)

// Set stores in *result, a pointer to an integer of any kind, a
// pseudo-random number in [0, limit) from math/rand/v2's default source;
// limit is an integer of the same kind, greater than 0.
func Set(result, limit any) {
	r := reflect.ValueOf(result).Elem()
	n := reflect.ValueOf(limit)
	if r.CanInt() {
		r.SetInt(rand.Int64N(n.Int()))
	} else {
		r.SetUint(rand.Uint64N(n.Uint()))
	}
}
