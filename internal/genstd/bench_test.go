package genstd

import (
	"bytes"
	"slices"
	"testing"

	"github.com/traefik/yaegi/interp"

	"github.com/lanes-dev/lanes/engine/symbols"
)

// BenchmarkInterp is the cost of an interpreter with the symbol tables
// and without this package: the baseline of BenchmarkInterpLoad.
func BenchmarkInterp(b *testing.B) {
	syms := symbols.Load()
	for b.Loop() {
		ip := interp.New(interp.Options{Unrestricted: true})
		if err := ip.Use(syms); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkInterpLoad adds Load: what the worker pays for the sources at
// each start and reset.
func BenchmarkInterpLoad(b *testing.B) {
	syms := symbols.Load()
	for b.Loop() {
		ip := interp.New(interp.Options{Unrestricted: true})
		if err := ip.Use(syms); err != nil {
			b.Fatal(err)
		}
		if err := Load(ip); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkPrepareFirst is the first cell of a session that calls
// slices.Sort: Prepare compiles slices, cmp and iter into a fresh
// interpreter (the interpreter's own cost is BenchmarkInterp).
func BenchmarkPrepareFirst(b *testing.B) {
	syms := symbols.Load()
	for b.Loop() {
		ip := interp.New(interp.Options{Unrestricted: true})
		if err := ip.Use(syms); err != nil {
			b.Fatal(err)
		}
		if _, err := Prepare(ip, "slices.Sort(xs)", StdPackage); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkPrepare is a later cell: the packages are loaded.
func BenchmarkPrepare(b *testing.B) {
	ip := interp.New(interp.Options{Unrestricted: true})
	if err := ip.Use(symbols.Load()); err != nil {
		b.Fatal(err)
	}
	src := "xs := []int{3, 1, 2}\nslices.Sort(xs)\nfmt.Println(xs, slices.Contains(xs, 2), strings.ToUpper(\"a\"))\nfor i := 0; i < 3; i++ { fmt.Println(i) }\n"
	if _, err := Prepare(ip, src, StdPackage); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := Prepare(ip, src, StdPackage); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRewrite rewrites a cell of a few lines.
func BenchmarkRewrite(b *testing.B) {
	src := "xs := []int{3, 1, 2}\nslices.Sort(xs)\nfmt.Println(xs, slices.Contains(xs, 2), strings.ToUpper(\"a\"))\nfor i := 0; i < 3; i++ { fmt.Println(i) }\n"
	for b.Loop() {
		Rewrite(src, StdPackage)
	}
}

// sortInput is what the sort benchmarks sort: 1000 ints in a fixed
// scrambled order.
func sortInput() []int {
	xs := make([]int, 1000)
	for i := range xs {
		xs[i] = (i * 7919) % 1000
	}
	return xs
}

// BenchmarkSortCell sorts 1000 ints with slices.Sort in a cell.
func BenchmarkSortCell(b *testing.B) {
	var out bytes.Buffer
	ip := newInterp(b, &out)
	if _, err := eval(ip, "func scrambled() []int { xs := make([]int, 1000); for i := range xs { xs[i] = (i * 7919) % 1000 }; return xs }"); err != nil {
		b.Fatal(err)
	}
	if _, err := eval(ip, "func sortOnce() { slices.Sort(scrambled()) }"); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := eval(ip, "sortOnce()"); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSortCompiled is the same sort compiled.
func BenchmarkSortCompiled(b *testing.B) {
	for b.Loop() {
		slices.Sort(sortInput())
	}
}
