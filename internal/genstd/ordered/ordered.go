// Package ordered is compiled help for the interpreted slices.Sort of
// package genstd: it sorts a slice of integers, floats or strings in
// compiled code, where the interpreted sort would spend most of its time
// calling an interpreted comparison.
package ordered

import (
	"cmp"
	"reflect"
	"slices"
	"sort"
)

// Sort sorts x, a slice whose elements are of an integer, float or string
// kind, in ascending order as slices.Sort does (NaNs first), and reports
// true; for any other x it does nothing and reports false.
func Sort(x any) bool {
	switch s := x.(type) {
	case []int:
		slices.Sort(s)
	case []int64:
		slices.Sort(s)
	case []float64:
		slices.Sort(s)
	case []string:
		slices.Sort(s)
	default:
		return sortValue(reflect.ValueOf(x))
	}
	return true
}

// sortValue sorts the slice v of elements of an ordered kind that is not
// one of Sort's own cases (a named element type, a smaller integer).
func sortValue(v reflect.Value) bool {
	if v.Kind() != reflect.Slice {
		return false
	}
	var less func(i, j int) bool
	switch v.Type().Elem().Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		less = func(i, j int) bool { return v.Index(i).Int() < v.Index(j).Int() }
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		less = func(i, j int) bool { return v.Index(i).Uint() < v.Index(j).Uint() }
	case reflect.Float32, reflect.Float64:
		less = func(i, j int) bool { return cmp.Less(v.Index(i).Float(), v.Index(j).Float()) }
	case reflect.String:
		less = func(i, j int) bool { return v.Index(i).String() < v.Index(j).String() }
	default:
		return false
	}
	sort.Slice(v.Interface(), less)
	return true
}
