package genstd

import (
	"bytes"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/traefik/yaegi/interp"

	"github.com/lanes-dev/lanes/engine/symbols"
)

// newInterp returns an interpreter set up as the worker sets up its own:
// the project's standard library tables, then this package's sources,
// every package in scope without an import. Output goes to out.
func newInterp(t testing.TB, out *bytes.Buffer) *interp.Interpreter {
	t.Helper()
	ip := interp.New(interp.Options{Stdout: out, Stderr: out, Unrestricted: true})
	if err := ip.Use(symbols.Load()); err != nil {
		t.Fatalf("loading the symbol tables: %v", err)
	}
	sink := interp.Exports{"genstdtest/genstdtest": {"Put": reflect.ValueOf(func(s string) { put = s })}}
	if err := ip.Use(sink); err != nil {
		t.Fatal(err)
	}
	if err := Load(ip); err != nil {
		t.Fatalf("Load: %v", err)
	}
	ip.ImportUsed()
	return ip
}

// put holds what the last cell handed to genstdtest.Put.
var put string

// eval rewrites and evaluates src, recovering the interpreter's panics.
func eval(ip *interp.Interpreter, src string) (v reflect.Value, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("interpreter panic: %v", r)
		}
	}()
	return ip.Eval(Rewrite(src, StdPackage))
}

func TestLoad(t *testing.T) {
	var out bytes.Buffer
	ip := newInterp(t, &out)
	for _, src := range strings.Split(`xs := []int{3, 1, 2}
slices.Sort(xs)
fmt.Println(xs, slices.Contains(xs, 2), slices.Index(xs, 3))
fmt.Println(slices.Collect(maps.Keys(map[string]int{"a": 1})))
fmt.Println(slices.Collect(strings.Lines("a\nb\n")))
fmt.Println(cmp.Compare(1, 2), cmp.Or[string]("", "x"))
get := sync.OnceValue(func() int { fmt.Println("once"); return 7 })
fmt.Println(get(), get())
var p atomic.Pointer[int]
n := 5
p.Store(&n)
fmt.Println(*p.Load())`, "\n") {
		if _, err := eval(ip, src); err != nil {
			t.Errorf("%s: %v", src, err)
		}
	}
	t.Log(out.String())
}
