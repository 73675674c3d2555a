package engine

import (
	"strings"
	"testing"
)

// TestGenericStdlib runs cells that call the generic standard library
// (internal/genstd) through the engine and its worker.
func TestGenericStdlib(t *testing.T) {
	cases := []struct {
		name   string
		cells  []string
		stdout string
	}{
		{name: "slices.Sort in a cell",
			cells:  []string{"import (\"fmt\"; \"slices\")\nxs := []int{3, 1, 2}\nslices.Sort(xs)\nfmt.Println(xs, slices.Contains(xs, 2), slices.Index(xs, 3))"},
			stdout: "[1 2 3] true 2\n"},
		{name: "without an import, in a func of an earlier cell",
			cells:  []string{"func keys(m map[string]int) []string { return slices.Sorted(maps.Keys(m)) }", "fmt.Println(keys(map[string]int{\"b\": 1, \"a\": 2}), cmp.Compare(1, 2))"},
			stdout: "[a b] -1\n"},
		{name: "sync.OnceValue, atomic.Pointer and strings.Lines",
			cells: []string{"import (\"fmt\"; \"strings\"; \"sync\"; \"sync/atomic\")",
				"func demo() string {\n\tget := sync.OnceValue(func() int { fmt.Println(\"computed\"); return 7 })\n\tvar p atomic.Pointer[string]\n\ts := \"ptr\"\n\tp.Store(&s)\n\tlines := slices.Collect(strings.Lines(\"a\\nb\\n\"))\n\treturn fmt.Sprint(get(), get(), *p.Load(), len(lines))\n}",
				"fmt.Println(demo())"},
			stdout: "computed\n7 7ptr2\n"},
		{name: "the compiled members stay",
			cells:  []string{"import (\"fmt\"; \"strings\"; \"sync\")\nvar mu sync.Mutex\nmu.Lock()\nfmt.Println(strings.ToUpper(\"up\"))\nmu.Unlock()"},
			stdout: "UP\n"},
		{name: "top-level var declarations",
			cells:  []string{"import \"fmt\"\nxs := []int{3, 1, 2}", "var zs []int = slices.Clone(xs)\nvar n int = slices.Index(xs, 2)", "slices.Sort(zs)\nfmt.Println(zs, xs, n)"},
			stdout: "[1 2 3] [3 1 2] 2\n"},
		{name: "var declarations in a func",
			cells:  []string{"import \"fmt\"\nfunc f(xs []int) string {\n\tvar n int = slices.Index(xs, 2)\n\tvar ys = slices.Clone(xs)\n\treturn fmt.Sprint(n, ys)\n}", "fmt.Println(f([]int{3, 2}))"},
			stdout: "1 [3 2]\n"},
		{name: "values of compiled functions",
			cells:  []string{"import (\"fmt\"; \"strings\")\nwords := strings.Fields(\"b c a\")\nslices.Sort(words)\nfmt.Println(words, slices.Index(strings.Split(\"x,y\", \",\"), \"y\"))"},
			stdout: "[a b c] 1\n"},
		{name: "a whole program",
			cells:  []string{"package main\n\nimport (\n\t\"fmt\"\n\t\"slices\"\n)\n\nfunc main() {\n\tw := []string{\"b\", \"c\", \"a\"}\n\tslices.Sort(w)\n\tfmt.Println(w)\n}"},
			stdout: "[a b c]\n"},
		{name: "a session variable named like a package",
			cells:  []string{"import \"fmt\"\nvar slices = struct{ Sort func([]int) }{func([]int) { fmt.Println(\"mine\") }}", "slices.Sort(nil)"},
			stdout: "mine\n"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e := newTestEngine(t)
			var out strings.Builder
			for _, cell := range c.cells {
				res, r := run(t, e, cell)
				if res.Err != nil {
					t.Fatalf("cell %q: %s %s\nstderr: %s", cell, res.Err.Message, strings.Join(res.Err.Traceback, "\n"), r.text("stderr"))
				}
				out.WriteString(r.text("stdout"))
			}
			if got := out.String(); got != c.stdout {
				t.Errorf("stdout %q, want %q", got, c.stdout)
			}
		})
	}
}

// TestGenericStdlibTopLevel checks what a cell gets for the one form the
// interpreter cannot run, a top-level variable declared from a generic
// call's result: a sentence that names the variable and the Go that works.
func TestGenericStdlibTopLevel(t *testing.T) {
	e := newTestEngine(t)
	res, r := run(t, e, "xs := []int{2, 1}\nys := slices.Clone(xs)\nfmt.Println(ys)")
	if res.Err == nil {
		t.Fatalf("no error; stdout %q (if the interpreter runs this now, drop the hint in the worker)", r.text("stdout"))
	}
	want := "cell 1, line 2: the interpreter cannot declare ys at a cell's top level from a generic function's result: declare it first (var ys T)"
	if !strings.HasPrefix(res.Err.Message, want) {
		t.Errorf("error %q, want it to start %q", res.Err.Message, want)
	}
	if r.text("stdout") != "" {
		t.Errorf("stdout %q: nothing of the cell should run", r.text("stdout"))
	}
	// The Go the error suggests works.
	res, r = run(t, e, "zs := []int{2, 1}\nvar ws []int\nws = slices.Clone(zs)\nfmt.Println(ws)")
	if res.Err != nil || r.text("stdout") != "[2 1]\n" {
		t.Errorf("suggested Go: error %+v, stdout %q", res.Err, r.text("stdout"))
	}
}

// TestGenericStdlibAfterRestart: a func of the session that uses the
// generic standard library works in the worker that replaces a crashed
// one (its declaration is replayed into a fresh interpreter).
func TestGenericStdlibAfterRestart(t *testing.T) {
	e := newTestEngine(t)
	run(t, e, "import \"fmt\"\nfunc top(m map[string]int) string { return fmt.Sprint(slices.Sorted(maps.Keys(m))) }")
	run(t, e, "import \"os\"\nos.Exit(3)")
	res, r := run(t, e, "fmt.Println(top(map[string]int{\"b\": 1, \"a\": 2}))")
	if res.Err != nil {
		t.Fatalf("after a restart: %+v", res.Err)
	}
	if got := r.text("stdout"); got != "[a b]\n" {
		t.Errorf("stdout %q, want %q", got, "[a b]\n")
	}
}
