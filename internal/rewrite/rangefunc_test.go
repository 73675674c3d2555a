package rewrite

import (
	"reflect"
	"strings"
	"testing"

	"github.com/lanes-dev/lanes/internal/source"
)

// stubSession is a session that imported strings and declared what
// prelude holds, with compiled members given by members.
type stubSession struct {
	prelude string
	members map[string]any
}

func (stubSession) ImportSpecs() []string      { return []string{`"strings"`} }
func (s stubSession) Prelude() string          { return s.prelude }
func (stubSession) IsPackage(name string) bool { return name == "strings" || name == "iter" }
func (s stubSession) MemberType(pkg, name string) reflect.Type {
	if v, ok := s.members[pkg+"."+name]; ok {
		return reflect.TypeOf(v)
	}
	return nil
}

// TestRangeOverFuncInCells checks that a cell's loops over iterators are
// rewritten, whether the type checker knows the iterator's type from the
// session's declarations, from package iter, or only from a compiled
// package's symbol table.
func TestRangeOverFuncInCells(t *testing.T) {
	lines := func(string) func(func(string) bool) { return nil }
	pairs := func(string) func(func(int, []byte) bool) { return nil }
	cases := []struct {
		name, code, prelude string
		want                []string // in the rewritten chunk; nil: not rewritten
	}{
		{name: "session iterator", prelude: "package p\nfunc count(n int) func(func(int) bool) { return nil }\n",
			code: "for x := range count(3) {\n\tfmt.Println(x)\n}\n", want: []string{"count(3)(", "func(x int) bool {", "_lanesrt.RangeCheck("}},
		{name: "iter.Seq of the session", prelude: "package p\nimport \"iter\"\nfunc squares() iter.Seq[float64] { return nil }\n",
			code: "for v := range squares() {\n\t_ = v\n}\n", want: []string{"squares()(", "func(v float64) bool {"}},
		{name: "compiled iterator", code: "for line := range strings.Lines(s) {\n\tprint(line)\n}\n",
			want: []string{"strings.Lines(s)(", "func(line string) bool {"}},
		{name: "compiled iterator of pairs", code: "for i, b := range strings.Pairs(s) {\n\t_, _ = i, b\n}\n",
			want: []string{"strings.Pairs(s)(", "func(i int, b []uint8) bool {"}},
		{name: "a slice is no iterator", code: "for i := range strings.Fields(s) {\n\t_ = i\n}\n"},
		{name: "generic iterator of a map", prelude: "package p\nvar ages map[string]int\n",
			code: "for k, v := range maps.All(ages) {\n\t_, _ = k, v\n}\n", want: []string{"maps.All(ages)(", "func(k string, v int) bool {"}},
		{name: "generic iterator of a slice, under the interpreted package's name", prelude: "package p\nvar xs []float64\n",
			code: "for i, x := range _slices.Backward(xs) {\n\t_, _ = i, x\n}\n", want: []string{"_slices.Backward(xs)(", "func(i int, x float64) bool {"}},
		{name: "chunks of a slice", prelude: "package p\nvar xs []float64\n",
			code: "for c := range slices.Chunk(xs, 2) {\n\t_ = c\n}\n", want: []string{"func(c []float64) bool {"}},
	}
	for _, c := range cases {
		s := stubSession{prelude: c.prelude, members: map[string]any{
			"strings.Lines": lines, "strings.Pairs": pairs, "strings.Fields": strings.Fields,
		}}
		chunks := source.Split(c.code)
		if len(chunks) != 1 {
			t.Fatalf("%s: %d chunks", c.name, len(chunks))
		}
		got := Chunk(1, c.code, chunks[0], s, false)
		for _, w := range c.want {
			if !strings.Contains(got, w) {
				t.Errorf("%s: the rewritten chunk lacks %q:\n%s", c.name, w, got)
			}
		}
		if c.want == nil && strings.Contains(got, "RangeCheck") {
			t.Errorf("%s: rewritten as a range over a function:\n%s", c.name, got)
		}
	}
}
