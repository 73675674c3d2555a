package ordered

import (
	"fmt"
	"math"
	"testing"
)

type celsius float64

func TestSort(t *testing.T) {
	nan := math.NaN()
	cases := []struct {
		name string
		in   any
		want string
		ok   bool
	}{
		{"ints", []int{3, 1, 2}, "[1 2 3]", true},
		{"floats with NaN", []float64{2, nan, 1}, "[NaN 1 2]", true},
		{"strings", []string{"b", "a"}, "[a b]", true},
		{"int8", []int8{3, -1}, "[-1 3]", true},
		{"uint16", []uint16{9, 2}, "[2 9]", true},
		{"named float element", []celsius{2, celsius(nan), -1}, "[NaN -1 2]", true},
		{"not ordered", []bool{true, false}, "[true false]", false},
		{"not a slice", 3, "3", false},
	}
	for _, c := range cases {
		ok := Sort(c.in)
		if got := fmt.Sprint(c.in); ok != c.ok || got != c.want {
			t.Errorf("%s: Sort = %v, %s; want %v, %s", c.name, ok, got, c.ok, c.want)
		}
	}
}
