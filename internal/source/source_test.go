package source

import (
	"go/token"
	"reflect"
	"strings"
	"testing"
)

func TestSplit(t *testing.T) {
	cases := []struct {
		code string
		want []string // kind:text of each chunk
	}{
		{"x := 1", []string{"stmt:x := 1"}},
		{"import \"fmt\"\nfmt.Println(1)", []string{`import:import "fmt"`, "stmt:fmt.Println(1)"}},
		{"type T int\nfunc f() {}\nconst c = 1", []string{"decl:type T int\nfunc f() {}\nconst c = 1"}},
		{"var a = 1\nvar b = 2", []string{"var:var a = 1", "var:var b = 2"}},
		{"func (t T) M() {}\nfunc() {}()", []string{"decl:func (t T) M() {}", "stmt:func() {}()"}},
		{"x := 1\n\ny := {", []string{"stmt:x := 1\n\ny := {"}},
		{"", nil},
	}
	for _, c := range cases {
		var got []string
		for _, ch := range Split(c.code) {
			got = append(got, ch.Kind.String()+":"+ch.Text(c.code))
		}
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("Split(%q) = %q, want %q", c.code, got, c.want)
		}
	}
}

func TestParseMagics(t *testing.T) {
	cases := []struct {
		code  string
		names []string
		rest  string
		err   string
	}{
		{"%time\nx := 1", []string{"time"}, "\nx := 1", ""},
		{"%gomaxprocs 2\n\n%env A=b\nx", []string{"gomaxprocs", "env"}, "\n\n\nx", ""},
		{"x := 1\n%time", nil, "x := 1\n%time", ""},
		{"%goroutines stop", []string{"goroutines"}, "", ""},
		{"%bogus", nil, "", "line 1: unknown magic %bogus"},
		{"%help now", nil, "", "takes no arguments"},
		{"%gomaxprocs 0", nil, "", "want a whole number of processors >= 1"},
		{"%env =x", nil, "", "want KEY=VALUE"},
	}
	for _, c := range cases {
		ms, rest, err := ParseMagics(c.code)
		if c.err != "" {
			if err == nil || !strings.Contains(err.Error(), c.err) {
				t.Errorf("ParseMagics(%q) error %v, want %q", c.code, err, c.err)
			}
			continue
		}
		var names []string
		for _, m := range ms {
			names = append(names, m.Name)
		}
		if err != nil || !reflect.DeepEqual(names, c.names) || rest != c.rest {
			t.Errorf("ParseMagics(%q) = %q, %q, %v; want %q, %q", c.code, names, rest, err, c.names, c.rest)
		}
		if got := BlankMagics(c.code); got != c.rest {
			t.Errorf("BlankMagics(%q) = %q, want %q", c.code, got, c.rest)
		}
	}
}

func TestMagicInSupervisor(t *testing.T) {
	cases := []struct {
		m    Magic
		want bool
	}{
		{Magic{Name: "reset"}, true},
		{Magic{Name: "goroutines", Args: "stop"}, true},
		{Magic{Name: "goroutines"}, false},
		{Magic{Name: "time"}, false},
		{Magic{Name: "env", Args: "A=b"}, false},
	}
	for _, c := range cases {
		if got := c.m.InSupervisor(); got != c.want {
			t.Errorf("%+v.InSupervisor() = %v, want %v", c.m, got, c.want)
		}
	}
}

func TestFinalStmt(t *testing.T) {
	cases := []struct {
		stmts string
		want  string // the final expression's text, "" for none
		shown bool
	}{
		{"x := 1\nx + 1", "x + 1", true},
		{"fmt.Println(1)", "fmt.Println(1)", false},
		{"w.Write(b)", "w.Write(b)", false},
		{"close(ch)", "close(ch)", false},
		{"f()", "f()", true},
		{"x := 1", "", false},
		{"if x {", "", false},
	}
	for _, c := range cases {
		x, lo, hi, ok := FinalStmt(c.stmts)
		got := ""
		if ok {
			got = c.stmts[lo:hi]
		}
		if got != c.want || (ok && Shown(x) != c.shown) {
			t.Errorf("FinalStmt(%q) = %q (shown %v), want %q (shown %v)", c.stmts, got, ok && Shown(x), c.want, c.shown)
		}
	}
}

func TestNames(t *testing.T) {
	cases := []struct {
		src        string
		decl, stmt []string
		replayable bool
	}{
		{src: "func f() {}\ntype T int\nconst a, b = 1, 2", decl: []string{"f", "T", "a", "b"}, replayable: true},
		{src: "func (p *Point) Norm() int { return 0 }", decl: []string{"Point.Norm"}, replayable: false},
		{src: "var m = make(map[string]int)", decl: []string{"m"}, replayable: true},
		{src: "var n = count()", decl: []string{"n"}, replayable: false},
		{src: "var v = <-ch", decl: []string{"v"}, replayable: false},
		{src: "var p = &T{}", decl: []string{"p"}, replayable: true},
		{src: "var f = func() {}", decl: []string{"f"}, replayable: false},
	}
	for _, c := range cases {
		if got := DeclNames(c.src); !reflect.DeepEqual(got, c.decl) {
			t.Errorf("DeclNames(%q) = %q, want %q", c.src, got, c.decl)
		}
		if strings.HasPrefix(c.src, "var") {
			if got := ReplayableVar(c.src); got != c.replayable {
				t.Errorf("ReplayableVar(%q) = %v, want %v", c.src, got, c.replayable)
			}
		}
	}
	if got, want := StmtVars("a, _ := f()\nb := 2\nc = 3\nif x := 1; x > 0 {}"), []string{"a", "b"}; !reflect.DeepEqual(got, want) {
		t.Errorf("StmtVars = %q, want %q", got, want)
	}
}

func TestImportSpecs(t *testing.T) {
	code := "x := 1\nimport (\n\t\"fmt\"\n\tstr \"strings\"\n)"
	c := Split(code)[1]
	got := ImportSpecs(code, c)
	want := []ImportSpec{{Key: " fmt", Text: `"fmt"`, Off: 17}, {Key: "str strings", Text: `str "strings"`, Off: 24}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("ImportSpecs = %+v, want %+v", got, want)
	}
	if code[24:24+len(`str "strings"`)] != `str "strings"` {
		t.Errorf("offset does not point at the spec")
	}
}

func TestPrograms(t *testing.T) {
	if _, ok := Program("package main\nfunc main() {}"); !ok {
		t.Error("a package main with func main is a program")
	}
	if _, ok := Program("package main\nfunc helper() {}"); ok {
		t.Error("no func main: not a program")
	}
	if got := BlankPackage("package main\nx := 1"); got != "            \nx := 1" {
		t.Errorf("BlankPackage = %q", got)
	}
	got, ok := RenameMain("func main() {\n\tf := func() {}\n}\nfunc mainly() {}")
	if !ok || !strings.HasPrefix(got, "func "+MainName+"() {") || !strings.Contains(got, "func mainly()") {
		t.Errorf("RenameMain = %q, %v", got, ok)
	}
	if UsesReserved("x := 1") || !UsesReserved("_lanesrt.Print()") {
		t.Error("UsesReserved")
	}
}

func TestPositions(t *testing.T) {
	code := "a := 1\n  b := 2"
	if got := LineDirective(3, code, 9); got != "/*line cell3:2:3*/" {
		t.Errorf("LineDirective = %q", got)
	}
	if got := OffsetOf(code, 2, 3); got != 9 {
		t.Errorf("OffsetOf = %d", got)
	}
	if got := Pad(code, 9); got != "\n  " {
		t.Errorf("Pad = %q", got)
	}
	// A declaration parsed by ParseChunk is at its line and column in the
	// cell, on the first line too.
	for _, c := range []struct {
		code      string
		line, col int
	}{
		{"var n = x", 1, 1},
		{"x := 1\nvar n = x", 2, 1},
		{"x := 1; var n = x", 1, 9},
	} {
		chunks := Split(c.code)
		ch := chunks[len(chunks)-1]
		fset := token.NewFileSet()
		f, err := ParseChunk(fset, 3, c.code, ch, []string{`"fmt"`})
		if err != nil {
			t.Fatal(err)
		}
		pos := fset.Position(f.Decls[len(f.Decls)-1].Pos())
		if pos.Filename != "cell3" || pos.Line != c.line || pos.Column != c.col {
			t.Errorf("ParseChunk(%q): declaration at %v, want cell3:%d:%d", c.code, pos, c.line, c.col)
		}
	}
}
