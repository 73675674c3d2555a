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

// TestGenericStdlibTopLevel runs top-level declarations from generic
// calls, which the interpreter cannot compile as written: the worker runs
// such a chunk in pieces, declaring the variable with the type of the
// value (a slice of a cell's struct too). The generic packages' funcs have
// types (sessionImporter), imported or not, so a value of a cell's generic
// type is computed in a function literal (topGenericValues).
func TestGenericStdlibTopLevel(t *testing.T) {
	e := newTestEngine(t)
	steps := []struct{ code, stdout string }{
		{code: "import \"fmt\"\nxs := []int{2, 1}\nys := slices.Clone(xs)\nslices.Sort(ys)\nfmt.Println(ys, xs)", stdout: "[1 2] [2 1]\n"},
		{code: "m := map[string]int{\"b\": 1, \"a\": 2}\nkeys := slices.Sorted(maps.Keys(m))\nget := sync.OnceValue(func() int { return len(keys) })\nfmt.Println(keys, get())", stdout: "[a b] 2\n"},
		{code: "keys", stdout: ""},
		{code: "type P struct{ A int }\nps := []P{{2}, {1}}\nqs := slices.Clone(ps)\nfmt.Println(qs)", stdout: "[{2} {1}]\n"},
		{code: "qs = append(qs, P{3})\nvs := slices.Collect(maps.Values(map[string]P{\"k\": {4}}))\nfmt.Println(len(qs), vs[0].A)", stdout: "3 4\n"},
		{code: "var keys = slices.Sorted(maps.Keys(m))\nfmt.Println(keys)", stdout: "[a b]\n"},
		{code: "type Box[T any] struct{ V T }\nbs := []Box[int]{{1}}\nb2 := slices.Clone(bs)\nfmt.Println(b2)", stdout: "[{1}]\n"},
		{code: "var b3 []Box[int]\nb3 = slices.Clone(bs)\nmost := max(slices.Max([]int{3, 9}), 4)\nfmt.Println(b3, most)", stdout: "[{1}] 9\n"},
	}
	for i, s := range steps {
		res, r := run(t, e, s.code)
		if res.Err != nil {
			t.Errorf("step %d %q: %s", i, s.code, res.Err.Message)
			continue
		}
		if got := r.text("stdout"); got != s.stdout {
			t.Errorf("step %d: stdout %q, want %q", i, got, s.stdout)
		}
		if i == 2 && plain(res) != "[a b]" {
			t.Errorf("step %d: value %s, want [a b]", i, plain(res))
		}
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

// TestVariadicInference runs cells whose generic calls infer their type
// argument from variadic arguments alone, which the interpreter cannot:
// the rewrite writes the type argument out, at a cell's top level too.
func TestVariadicInference(t *testing.T) {
	e := newTestEngine(t)
	steps := []struct{ code, stdout string }{
		{code: "import (\"cmp\"; \"fmt\"; \"os\"; \"slices\")\nfmt.Println(cmp.Or(\"\", \"x\"), cmp.Or(0, 2))", stdout: "x 2\n"},
		{code: "port := cmp.Or(os.Getenv(\"LANES_TEST_NO_SUCH_VAR\"), \"8080\")\nfmt.Println(port)", stdout: "8080\n"},
		{code: "a, b := []int{1}, []int{2, 3}\nc := slices.Concat(a, b)\nfmt.Println(c, len(c))", stdout: "[1 2 3] 3\n"},
		{code: "ws := []string{\"a\"}\nws = slices.Insert(ws, 1)\nfmt.Println(ws, slices.Insert(ws, 0, \"z\"))", stdout: "[a] [z a]\n"},
		{code: "func Sum[T int | float64](xs ...T) T {\n\tvar s T\n\tfor _, x := range xs {\n\t\ts += x\n\t}\n\treturn s\n}", stdout: ""},
		{code: "fmt.Println(Sum(1.5, 2), Sum(1, 2, 3))", stdout: "3.5 6\n"},
	}
	for i, s := range steps {
		res, r := run(t, e, s.code)
		if res.Err != nil {
			t.Fatalf("step %d: %s %s\nstderr: %s", i, res.Err.Message, strings.Join(res.Err.Traceback, "\n"), r.text("stderr"))
		}
		if got := r.text("stdout"); got != s.stdout {
			t.Errorf("step %d: stdout %q, want %q", i, got, s.stdout)
		}
	}
}
