package rewrite

import (
	"strings"
	"testing"

	"github.com/lanes-dev/lanes/internal/source"
)

// stdSession is a session with fmt and slices imported and cmp in scope
// without an import; with local, slices is the session's variable.
type stdSession struct {
	prelude string
	local   bool
}

func (s stdSession) ImportSpecs() []string {
	if s.local {
		return []string{`"fmt"`}
	}
	return []string{`"fmt"`, `"slices"`}
}
func (s stdSession) Prelude() string { return s.prelude }
func (s stdSession) IsPackage(name string) bool {
	return name == "fmt" || name == "cmp" || (name == "slices" && !s.local)
}

// TestStdTypeArgs checks that calls the interpreter cannot infer from
// variadic arguments get their type argument written out.
func TestStdTypeArgs(t *testing.T) {
	cases := []struct {
		name, code, prelude string
		local               bool   // slices is a session variable
		want                string // in the rewritten chunk; "" for unchanged
	}{
		{name: "cmp.Or of constants", code: `fmt.Println(cmp.Or("", "x"))`, want: `cmp.Or[string]("", "x")`},
		{name: "cmp.Or typed wins", code: "fmt.Println(cmp.Or(0, d))", prelude: "package p\nvar d float64", want: "cmp.Or[float64](0, d)"},
		{name: "cmp.Or of a session type", code: "fmt.Println(cmp.Or(a, b))", prelude: "package p\ntype ID int\nvar a, b ID", want: "cmp.Or[ID](a, b)"},
		{name: "cmp.Or with a compiled value", code: `port := cmp.Or(os.Getenv("PORT"), "8080")`, want: `cmp.Or[string](os.Getenv("PORT"), "8080")`},
		{name: "slices.Concat", code: "c := slices.Concat(a, b)", prelude: "package p\nvar a, b []int", want: "slices.Concat[int](a, b)"},
		{name: "slices.Insert without values", code: "s = slices.Insert(s, 1)", prelude: "package p\nvar s []string", want: "slices.Insert[string](s, 1)"},
		{name: "slices.Replace", code: "s = slices.Replace(s, 0, 1)", prelude: "package p\ntype P struct{ X int }\nvar s []P", want: "slices.Replace[P](s, 0, 1)"},
		{name: "written type argument kept", code: "c := slices.Concat[int](a, b)", prelude: "package p\nvar a, b []int"},
		{name: "unknown types left alone", code: "c := slices.Concat(a, b)"},
		{name: "a variable named like the package", code: "c := slices.Concat(a)", prelude: "package p\nvar slices struct{ Concat func([]int) []int }\nvar a []int", local: true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var got []string
			for _, ch := range source.Split(c.code) {
				got = append(got, Chunk(1, c.code, ch, stdSession{c.prelude, c.local}, false))
			}
			out := strings.Join(got, "\n")
			if c.want == "" {
				if strings.Contains(out, "[") && !strings.Contains(c.code, "[") {
					t.Errorf("rewritten, want unchanged:\n%s", out)
				}
				return
			}
			if !strings.Contains(out, c.want) {
				t.Errorf("no %q in\n%s", c.want, out)
			}
		})
	}
}
