package engine

import (
	"strings"
	"testing"
)

// TestNamedTypesInFmt runs cells that print values holding a cell-defined
// type with a String or Error method, defined and printed in different
// cells, and checks that fmt calls the method where go run does.
func TestNamedTypesInFmt(t *testing.T) {
	e := newTestEngine(t)
	decls := "import \"fmt\"\ntype Celsius float64\nfunc (c Celsius) String() string { return fmt.Sprintf(\"%.1f°C\", float64(c)) }\ntype Reading struct {\n\tPlace string\n\tTemp  Celsius\n\tnote  Celsius\n}\ntype Fault struct{ Code int }\nfunc (f *Fault) Error() string { return fmt.Sprint(\"fault \", f.Code) }"
	if res, r := run(t, e, decls); res.Err != nil {
		t.Fatalf("%s\n%s", res.Err.Message, r.text("stderr"))
	}
	steps := []struct{ code, stdout string }{
		{code: "fmt.Println([]Celsius{1, 2})", stdout: "[1.0°C 2.0°C]\n"},
		{code: "temps := map[string]Celsius{\"noon\": 20}\nfmt.Println(temps)", stdout: "map[noon:20.0°C]\n"},
		{code: "fmt.Println(temps, len(temps))", stdout: "map[noon:20.0°C] 1\n"},
		{code: "r := &Reading{\"roof\", 3, 4}\nfmt.Println(r, *r)", stdout: "&{roof 3.0°C 4} {roof 3.0°C 4}\n"},
		{code: "fmt.Printf(\"%v|%s|%v\\n\", []Celsius{5}, [1]Celsius{6}, []*Celsius{nil})", stdout: "[5.0°C]|[6.0°C]|[<nil>]\n"},
		{code: "s := fmt.Sprint([][]Celsius{{1}, {2}})\nfmt.Println(s)", stdout: "[[1.0°C] [2.0°C]]\n"},
		{code: "fmt.Println([]*Fault{{1}, {2}})", stdout: "[fault 1 fault 2]\n"},
		// Verbs that do not call String print the underlying value, as
		// in Go: the operand stays as it is.
		{code: "fmt.Printf(\"%.0f\\n\", []Celsius{7})", stdout: "[7]\n"},
	}
	for i, s := range steps {
		res, r := run(t, e, s.code)
		if res.Err != nil {
			t.Fatalf("step %d: %s %s\nstderr: %s", i, res.Err.Message, strings.Join(res.Err.Traceback, "\n"), r.text("stderr"))
		}
		if got := r.text("stdout"); got != s.stdout {
			t.Errorf("step %d %q: stdout %q, want %q", i, s.code, got, s.stdout)
		}
	}
}
