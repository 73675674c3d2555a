package rewrite

import (
	"go/parser"
	"go/token"
	"reflect"
	"strings"
	"testing"

	"github.com/lanes-dev/lanes/internal/source"
)

// session is a Session with fmt imported and nothing declared.
type session struct{ prelude string }

func (session) ImportSpecs() []string      { return []string{`"fmt"`} }
func (s session) Prelude() string          { return s.prelude }
func (session) IsPackage(name string) bool { return name == "fmt" }

func TestChunk(t *testing.T) {
	cases := []struct {
		name, code string
		prelude    string
		want       []string // in the rewritten source, in order
		not        []string // nowhere in it
	}{
		{name: "nothing to do", code: "x := 1", want: []string{"/*line cell1:1:1*/x := 1"}, not: []string{"_lanes"}},
		{name: "go statement registered", code: "go work(1)",
			want: []string{`_lanesrt.GoStart(1, 1, "work")`, "go func() {", "_lanesrt.GoEnter(", "_lanesrt.GoExit(_lanesrt.Recovered(recover()))", "work(1)"}},
		{name: "loop variable per iteration when captured",
			code: "for i := 0; i < 3; i++ {\n\tgo func() { fmt.Println(i) }()\n}",
			want: []string{"for _lanesv1 := 0; _lanesv1 < 3; _lanesv1++", "i := _lanesv1", `GoStart(1, 2, "func literal")`}},
		{name: "loop variable not captured stays", code: "for i := 0; i < 3; i++ {\n\tfmt.Println(i)\n}",
			want: []string{"for i := 0; i < 3; i++"}, not: []string{"_lanesv"}},
		{name: "range over an integer", code: "for i := range 3 {\n\tfmt.Println(i)\n}",
			want: []string{"_lanesn1 := 3", "_lanesi2 < _lanesn1", "i := _lanesi2"}},
		{name: "min of constants", code: "m := min(1, 2)", want: []string{"m := func() int {", "return 1"}},
		{name: "println in the runtime's format", code: "println(1, 2)", want: []string{"_lanesrt.Println(1, 2)"}},
		{name: "panic notes its line", code: "\n\npanic(\"boom\")", want: []string{`panic(_lanesrt.At("boom", 1, 3))`}},
		{name: "receive parenthesized", code: "v := <-ch", want: []string{"v := (<-ch)"}},
		{name: "two-value receive left alone", code: "v, ok := <-ch", not: []string{"(<-ch)"}},
		{name: "composite literal among several values", code: "a, b := 1, T{}", want: []string{"a, b := 1, *&T{}"}},
		{name: "positions name the cell", code: "x := 1\nfor i := range 2 {\n\tfmt.Println(i)\n}", want: []string{"//line cell1:2"}},
		{name: "declarations", code: "func f() { go g() }", want: []string{"func f() {", `GoStart(1, 1, "g")`}},
		{name: "session types known", code: "for i := range c.N {\n\tfmt.Println(i)\n}",
			prelude: "package p\ntype Counter struct{ N int }\nvar c Counter", want: []string{"_lanesn1 := c.N", "i := _lanesi2"}},
		{name: "session types unknown", code: "for i := range c.N {\n\tfmt.Println(i)\n}", not: []string{"_lanesi"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var got []string
			for _, ch := range source.Split(c.code) {
				got = append(got, Chunk(1, c.code, ch, session{c.prelude}, false))
			}
			out := strings.Join(got, "\n")
			rest := out
			for _, w := range c.want {
				i := strings.Index(rest, w)
				if i < 0 {
					t.Fatalf("no %q (in order) in\n%s", w, out)
				}
				rest = rest[i+len(w):]
			}
			for _, n := range c.not {
				if strings.Contains(out, n) {
					t.Errorf("%q in\n%s", n, out)
				}
			}
			for i, g := range got {
				src := "package p;func _(){\n" + g + "\n}"
				if source.Split(c.code)[i].Kind == source.KindDecl {
					src = "package p\n" + g
				}
				if _, err := parser.ParseFile(token.NewFileSet(), "", src, 0); err != nil {
					t.Errorf("rewritten chunk does not parse: %v\n%s", err, g)
				}
			}
		})
	}
}

func TestRangeIntsRetry(t *testing.T) {
	code := "for i := range n {\n\tfmt.Println(i)\n}"
	c := source.Split(code)[0]
	if got := Chunk(1, code, c, session{}, false); strings.Contains(got, "_lanesi") {
		t.Errorf("range of unknown type taken as an integer at first:\n%s", got)
	}
	if got := Chunk(1, code, c, session{}, true); !strings.Contains(got, "_lanesi") {
		t.Errorf("retry with rangeInts does not count:\n%s", got)
	}
}

func TestMayRewrite(t *testing.T) {
	cases := []struct {
		src  string
		want bool
	}{
		{"x := 1", false},
		{"fmt.Println(x)", false},
		{"y := x + 2", false},
		{"for {}", true},
		{"go f()", true},
		{"defer f()", true},
		{"f := func() {}", true},
		{"m := min(a, b)", true},
		{"wg.Go(f)", true},
		{"time.AfterFunc(d, f)", true},
		{"v := <-ch", true},
		{"<-ch", false},
		{"a, b := 1, T{}", true},
		{"a := T{}", false},
	}
	for _, c := range cases {
		if got := MayRewrite(c.src); got != c.want {
			t.Errorf("MayRewrite(%q) = %v, want %v", c.src, got, c.want)
		}
	}
}

func TestVarStatements(t *testing.T) {
	cases := []struct {
		code string
		want []string
	}{
		{"var total = len(results)", []string{"/*line cell1:1:5*/total := len(results)"}},
		{"var a, b = 1, 2", []string{"/*line cell1:1:5*/a, b := 1, 2"}},
		{"var n int = count()", []string{"/*line cell1:1:5*/n := (int)(count())"}},
		{"var q, r int = div()", []string{"/*line cell1:1:5*/var q, r int", "/*line cell1:1:5*/q, r = div()"}},
		{"var s []string", []string{"/*line cell1:1:5*/var s []string"}},
		{"var (\n\tx = 1\n\ty = x\n)", []string{"/*line cell1:2:2*/x := 1", "/*line cell1:3:2*/y := x"}},
		{"var = broken", nil},
	}
	for _, c := range cases {
		got := VarStatements(1, c.code, source.Chunk{Kind: source.KindVar, End: len(c.code)})
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("VarStatements(%q) = %q, want %q", c.code, got, c.want)
		}
	}
}

func TestProgram(t *testing.T) {
	code := "package main\n\nimport \"fmt\"\n\nfunc main() {\n\tgo fmt.Println(1)\n}\n"
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, source.FileName(2), code, parser.SkipObjectResolution)
	if err != nil {
		t.Fatal(err)
	}
	got, ok := Program(fset, 2, f, nil)
	if !ok || !strings.Contains(got, `_lanesrt.GoStart(2, 6, "fmt.Println")`) || !strings.Contains(got, "//line cell2:6") {
		t.Errorf("Program = %v\n%s", ok, got)
	}
	f, _ = parser.ParseFile(fset, source.FileName(2), "package main\nfunc main() {}\n", parser.SkipObjectResolution)
	if _, ok := Program(fset, 2, f, nil); ok {
		t.Error("a program with nothing to rewrite was rewritten")
	}
}
