package engine

import (
	"context"
	"reflect"
	"slices"
	"testing"
)

// TestResultsCarryStructure: what front ends need to render a failure is
// in typed fields, not only in the traceback's sentences.
func TestResultsCarryStructure(t *testing.T) {
	e := newTestEngine(t)
	if res := e.Execute(context.Background(), Cell{Code: "import \"os\"\nfunc f() int { return 1 }\nkept := 2", Number: 1}, &recorder{}); res.Err != nil {
		t.Fatal(res.Err)
	}
	cases := []struct {
		name       string
		code       string
		kind       ErrorKind
		cell, line int
		frame      *Frame   // the innermost frame, when there must be one
		restart    *Restart // nil: no restart
	}{
		{name: "compile error", code: "x := 1\ny := nope", kind: KindCompile, cell: 2, line: 2},
		{name: "panic in a function",
			code: "func work(xs []int) int {\n\ts := 0\n\tfor i := 0; i <= len(xs); i++ {\n\t\ts += xs[i]\n\t}\n\treturn s\n}\nwork([]int{1})",
			kind: KindPanic, cell: 3, line: 4, frame: &Frame{Func: "main.work(...)", Cell: 3, Line: 4}},
		{name: "explicit panic", code: "\npanic(\"boom\")", kind: KindPanic, cell: 4, line: 2},
		{name: "deadlock", code: "ch := make(chan int)\ngo func() { ch <- 1; ch <- 2 }()\n<-ch\nselect {}",
			kind: KindFatal, cell: 5, line: 2},
		{name: "os.Exit", code: "os.Exit(4)", kind: KindExit,
			restart: &Restart{Reason: RestartCrash, Replayed: true, LostVars: []string{"kept"}}},
		{name: "magic", code: "%bogus", kind: KindMagic},
	}
	for i, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res := e.Execute(context.Background(), Cell{Code: c.code, Number: i + 2}, &recorder{})
			if res.Err == nil {
				t.Fatal("no error")
			}
			if res.Err.Kind != c.kind || res.Err.Cell != c.cell || res.Err.Line != c.line {
				t.Errorf("kind %q at cell %d, line %d; want %q at cell %d, line %d\n%s",
					res.Err.Kind, res.Err.Cell, res.Err.Line, c.kind, c.cell, c.line, res.Traceback())
			}
			if c.frame != nil && (len(res.Err.Frames) == 0 || res.Err.Frames[0] != *c.frame) {
				t.Errorf("frames %+v, want %+v first", res.Err.Frames, *c.frame)
			}
			if !reflect.DeepEqual(res.Restart, c.restart) {
				t.Errorf("restart %+v, want %+v", res.Restart, c.restart)
			}
			if c.restart != nil && !slices.Contains(res.Traceback(), "A fresh worker was started and the definitions of earlier cells were replayed.") {
				t.Errorf("traceback does not say what the restart did:\n%q", res.Traceback())
			}
		})
	}

	res := e.Execute(context.Background(), Cell{Code: "%reset"}, &recorder{})
	if res.Err != nil || res.Restart == nil || res.Restart.Reason != RestartReset || res.Restart.Replayed {
		t.Errorf("%%reset: %+v, %+v; want a restart without replay", res.Err, res.Restart)
	}
}
