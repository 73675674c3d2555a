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
