package rewrite

import (
	"strings"
	"testing"

	"github.com/lanes-dev/lanes/internal/source"
)

// TestDisplayArgs checks which fmt operands are converted so that fmt
// sees the methods of the cell-defined types inside them.
func TestDisplayArgs(t *testing.T) {
	const prelude = "package p\ntype Celsius float64\nfunc (c Celsius) String() string { return \"\" }\n" +
		"type R struct{ Temp Celsius; note Celsius }\nvar temps []Celsius\nvar r R\nvar n []int"
	cases := []struct {
		name, code string
		want       []string // in the rewritten chunk
		unchanged  bool
	}{
		{name: "slice", code: "fmt.Println(temps)", want: []string{"[]fmt.Stringer", "(temps))"}},
		{name: "map value", code: "fmt.Println(map[string]Celsius{})", want: []string{"map[string]fmt.Stringer"}},
		{name: "exported field", code: "fmt.Println(r)", want: []string{"struct{ Temp fmt.Stringer; note Celsius }"}},
		{name: "pointer to a struct", code: "fmt.Println(&r)", want: []string{") *struct{ Temp fmt.Stringer"}},
		{name: "%v and %s", code: `s := fmt.Sprintf("%v %s", temps, temps)`, want: []string{"[]fmt.Stringer"}},
		{name: "%+v with an unexported field", code: `fmt.Printf("%+v", r)`, unchanged: true},
		{name: "%d", code: `fmt.Printf("%d", temps)`, unchanged: true},
		{name: "%#v", code: `fmt.Printf("%#v", temps)`, unchanged: true},
		{name: "the type's own method", code: "fmt.Println(Celsius(1))", unchanged: true},
		{name: "no such type inside", code: "fmt.Println(n)", unchanged: true},
		{name: "map keys", code: "fmt.Println(map[Celsius]int{})", unchanged: true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var got []string
			for _, ch := range source.Split(c.code) {
				got = append(got, Chunk(1, c.code, ch, session{prelude}, false))
			}
			out := strings.Join(got, "\n")
			if c.unchanged {
				if strings.Contains(out, "_lanesx") {
					t.Errorf("converted, want as written:\n%s", out)
				}
				return
			}
			for _, w := range c.want {
				if !strings.Contains(out, w) {
					t.Errorf("no %q in\n%s", w, out)
				}
			}
		})
	}
}

// TestErrorsAs checks that errors.As into a cell-defined error type
// becomes a call of errors.AsType, and that other targets stay.
func TestErrorsAs(t *testing.T) {
	const prelude = "package p\ntype NotFound struct{ Name string }\nfunc (e *NotFound) Error() string { return e.Name }\nvar nf *NotFound\nvar any1 interface{ Timeout() bool }\nvar err error"
	cases := []struct {
		name, code, want string // want "" for unchanged
	}{
		{name: "cell type", code: "ok := errors.As(err, &nf)", want: "errors.AsType[*NotFound](err)"},
		{name: "interface target", code: "ok := errors.As(err, &any1)"},
		{name: "join", code: "e := errors.Join(err, &NotFound{})", want: "func(_lanesx *NotFound) error { return _lanesx }(&NotFound{})"},
		{name: "errorf %w", code: `e := fmt.Errorf("a %d: %w", 1, &NotFound{})`, want: "func(_lanesx *NotFound) error { return _lanesx }(&NotFound{})"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := errSession{prelude}
			var got []string
			for _, ch := range source.Split(c.code) {
				got = append(got, Chunk(1, c.code, ch, s, false))
			}
			out := strings.Join(got, "\n")
			if c.want == "" {
				if strings.Contains(out, "AsType") {
					t.Errorf("rewritten, want as written:\n%s", out)
				}
				return
			}
			if !strings.Contains(out, c.want) {
				t.Errorf("no %q in\n%s", c.want, out)
			}
		})
	}
}

// errSession is a session with fmt and errors imported.
type errSession struct{ prelude string }

func (errSession) ImportSpecs() []string { return []string{`"errors"`, `"fmt"`} }
func (s errSession) Prelude() string     { return s.prelude }
func (errSession) IsPackage(name string) bool {
	return name == "fmt" || name == "errors"
}
