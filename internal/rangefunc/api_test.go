package rangefunc

import (
	"bytes"
	"go/ast"
	"go/parser"
	"go/printer"
	"go/token"
	"go/types"
	"strings"
	"testing"
)

// TestRewriteChoosesLoops checks which loops are rewritten, on statements
// outside a function as a notebook cell holds them.
func TestRewriteChoosesLoops(t *testing.T) {
	decls := `package p
func seq(yield func(int) bool) {}
func notIter(f func(int)) {}
func twoResults(yield func(int) bool) int { return 0 }
func threeValues(yield func(int, int, int) bool) {}
var xs []int
var m map[string]int
`
	cases := []struct {
		stmts string
		loops int
		want  []string // in the printed result
	}{
		{stmts: "for x := range seq { _ = x }", loops: 1, want: []string{"seq(func(x int) bool {", "CHECK(Pstate1)"}},
		{stmts: "for x := range xs { _ = x }\nfor k := range m { _ = k }", loops: 0},
		{stmts: "for range notIter {}", loops: 0},
		{stmts: "for range twoResults {}", loops: 0},
		{stmts: "for range threeValues {}", loops: 0},
		{stmts: "for range 3 {}", loops: 0},
		{stmts: "for x := range seq { for y := range seq { _, _ = x, y } }", loops: 2},
		{stmts: "f := func() int { for x := range seq { return x }; return 0 }\n_ = f", loops: 1, want: []string{"Pret", "return Pret"}},
		{stmts: "for range seq { break }", loops: 1, want: []string{"Pstate1 = 0\n", "return false"}},
	}
	for _, c := range cases {
		fset := token.NewFileSet()
		f, err := parser.ParseFile(fset, "p.go", decls+"func _() {\n"+c.stmts+"\n}\n", 0)
		if err != nil {
			t.Fatal(err)
		}
		info := &types.Info{Types: map[ast.Expr]types.TypeAndValue{}, Uses: map[*ast.Ident]types.Object{}}
		// The shapes that are not iterators are type errors; the
		// types are known all the same.
		pkg, _ := (&types.Config{Error: func(error) {}}).Check("p", fset, []*ast.File{f}, info)
		// The statements of the func, as a cell's top level.
		body := f.Decls[len(f.Decls)-1].(*ast.FuncDecl).Body
		n, err := Rewrite(body, info, Config{Check: "CHECK", Prefix: "P", Package: pkg})
		if err != nil {
			t.Fatalf("%q: %v", c.stmts, err)
		}
		var b bytes.Buffer
		if err := printer.Fprint(&b, fset, body); err != nil {
			t.Fatal(err)
		}
		if n != c.loops {
			t.Errorf("%q: %d loops rewritten, want %d:\n%s", c.stmts, n, c.loops, b.String())
		}
		for _, w := range c.want {
			if !strings.Contains(b.String(), w) {
				t.Errorf("%q: the result lacks %q:\n%s", c.stmts, w, b.String())
			}
		}
	}
}

// TestRewriteWithoutTypes leaves every loop alone.
func TestRewriteWithoutTypes(t *testing.T) {
	f, err := parser.ParseFile(token.NewFileSet(), "p.go", "package p\nfunc seq(yield func(int) bool) {}\nfunc _() { for x := range seq { _ = x } }\n", 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, info := range []*types.Info{nil, {}} {
		if n, err := Rewrite(f, info, Config{}); n != 0 || err != nil {
			t.Errorf("without types: %d loops, %v", n, err)
		}
	}
}

func TestErrorTexts(t *testing.T) {
	cases := []struct {
		state State
		want  string
	}{
		{Done, "runtime error: range function continued iteration after function for loop body returned false"},
		{Panic, "runtime error: range function continued iteration after loop body panic"},
		{Exhausted, "runtime error: range function continued iteration after whole loop exit"},
		{MissingPanic, "runtime error: range function recovered a loop body panic and did not resume panicking"},
	}
	for _, c := range cases {
		func() {
			defer func() {
				r := recover()
				e, ok := r.(interface {
					error
					RuntimeError()
				})
				if !ok || e.Error() != c.want {
					t.Errorf("Check(%d) panicked with %v, want the runtime.Error %q", c.state, r, c.want)
				}
			}()
			Check(int(c.state))
		}()
	}
}
