package cellrt

import (
	"errors"
	"math"
	"reflect"
	"testing"
)

func TestPrintValue(t *testing.T) {
	cases := []struct {
		v    any
		want string
	}{
		{nil, "nil"},
		{true, "true"},
		{-3, "-3"},
		{uint8(7), "7"},
		{1.5, "+1.500000e+000"},
		{-0.25, "-2.500000e-001"},
		{math.Inf(1), "+Inf"},
		{math.NaN(), "NaN"},
		{complex(1, -2), "(+1.000000e+000-2.000000e+000i)"},
		{"text", "text"},
	}
	for _, c := range cases {
		if got := printValue(c.v); got != c.want {
			t.Errorf("printValue(%v) = %q, want %q", c.v, got, c.want)
		}
	}
}

func TestPanicText(t *testing.T) {
	cases := []struct {
		v    any
		want string
	}{
		{"boom", "boom"},
		{errors.New("reflect: slice index out of range"), "runtime error: index out of range"},
		{errors.New("reflect: call of reflect.Value.Elem on zero Value"), "runtime error: invalid memory address or nil pointer dereference"},
		{errors.New("cell3:2:7: interface conversion: any is string, not int"), "interface conversion: any is string, not int"},
		{reflect.ValueOf("wrapped"), "wrapped"},
		{42, "42"},
	}
	for _, c := range cases {
		if got := PanicText(c.v); got != c.want {
			t.Errorf("PanicText(%v) = %q, want %q", c.v, got, c.want)
		}
	}
}

func TestWithPanicLine(t *testing.T) {
	f := Frame{Func: "main.f(...)", Cell: 2, Line: 1}
	g := Frame{Func: "main(...)", Cell: 2, Line: 4}
	cases := []struct {
		name   string
		frames []Frame
		at     Pos
		want   []Frame
	}{
		{"no explicit panic", []Frame{f, g}, Pos{}, []Frame{f, g}},
		{"innermost moves", []Frame{f, g}, Pos{2, 3}, []Frame{{Func: "main.f(...)", Cell: 2, Line: 3}, g}},
		{"no frames", nil, Pos{1, 2}, []Frame{{Func: "panic", Cell: 1, Line: 2}}},
	}
	for _, c := range cases {
		if got := WithPanicLine(c.frames, c.at); !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s: %+v, want %+v", c.name, got, c.want)
		}
	}
}

func TestWaitWord(t *testing.T) {
	for state, want := range map[string]string{
		"chan receive":        "blocked on receive",
		"chan send":           "blocked on send",
		"select (no cases)":   "blocked in select {}",
		"sync.WaitGroup.Wait": "waiting for a WaitGroup",
		"sync.Mutex.Lock":     "waiting for a lock",
		"sleep":               "sleeping",
		"IO wait":             "IO wait",
	} {
		if got := WaitWord(state); got != want {
			t.Errorf("WaitWord(%q) = %q, want %q", state, got, want)
		}
	}
}
