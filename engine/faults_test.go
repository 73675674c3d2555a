package engine

import (
	"strings"
	"testing"
)

// TestInterpreterFaults runs, one session per case, cells that the
// interpreter once got wrong: each step's standard output and shown value
// are what go run (or Go's own rules for a cell's value) give.
func TestInterpreterFaults(t *testing.T) {
	type step struct {
		code, stdout, value string
	}
	cases := []struct {
		name  string
		steps []step
	}{
		{name: "a final call without results shows nothing", steps: []step{
			{code: "import (\"fmt\"; \"sync\")\nn := 41\nn + 1", value: "42"},
			{code: "func() {}()", value: "<none>"},
			{code: "n", value: "41"},
			{code: "var mu sync.Mutex\nmu.Lock()\nmu.Unlock()", value: "<none>"},
			{code: "\"workload\"", value: `"workload"`},
			{code: "wg := &sync.WaitGroup{}\nwg.Add(1)\ngo func() { wg.Done() }()\nwg.Wait()", value: "<none>"},
			{code: "type T struct{ v int }\nfunc (t *T) Bump() { t.v++ }\nfunc (t T) V() int { return t.v }\ntv := &T{v: 9}\ntv.V()", value: "9"},
			{code: "tv.Bump()", value: "<none>"},
			{code: "tw := &T{}\ntw.Bump()", value: "<none>"},
			{code: "ts := []*T{tv}\nts[0].Bump()", value: "<none>"},
			{code: "ts[0].V()", value: "11"},
			{code: "f := func() { fmt.Print(\"ran\") }\nf()", stdout: "ran", value: "<none>"},
			{code: "g := func() int { return 5 }\ng()", value: "5"},
		}},
		{name: "select case assigning a receive", steps: []step{
			{code: "import \"fmt\"\nch := make(chan int, 1)\nch <- 7\nvar x int\nselect {\ncase x = <-ch:\n\tfmt.Println(\"got\", x)\n}"},
			{code: "ch <- 8\nvar ok bool\nselect {\ncase x, ok = <-ch:\n\tfmt.Println(\"got\", x, ok)\n}\nfmt.Println(x)", stdout: "got 8 true\n8\n"},
		}},
		{name: "a top-level defer runs at the end of the cell", steps: []step{
			{code: "import \"fmt\"\ndefer fmt.Println(\"deferred 1\")\ndefer fmt.Println(\"deferred 2\")\nfmt.Println(\"body\")", stdout: "body\ndeferred 2\ndeferred 1\n"},
		}},
		{name: "a loop variable shadowing an earlier cell's variable", steps: []step{
			{code: "import \"fmt\"\nx := \"text\"\nfunc three() (int, string, bool) { return 1, \"b\", true }"},
			{code: "for i := 0; i < 2; i++ {\n\tx := i * 2\n\tfmt.Print(x + 1)\n}\nfmt.Println(x)", stdout: "13text\n"},
			{code: "for i := 0; i < 1; i++ {\n\ta, b, c := three()\n\tfmt.Println(a, b, c)\n}", stdout: "1 b true\n"},
		}},
		{name: "goroutines after an earlier cell's three-clause loop", steps: []step{
			{code: "import (\"fmt\"; \"sync\")\nfor i := 0; i < 3; i++ {\n}"},
			{code: "out := make([]int, 3)\nvar wg sync.WaitGroup\nfor i := 0; i < 3; i++ {\n\twg.Add(1)\n\tgo func() { defer wg.Done(); out[i] = i * 5 }()\n}\nwg.Wait()\nfmt.Println(out)", stdout: "[0 5 10]\n"},
		}},
		{name: "a function literal with three results", steps: []step{
			{code: "import (\"fmt\"; \"time\")\nf := func() (time.Duration, int64, int) { return time.Second, 2, 3 }\nd, n, k := f()\nfmt.Println(d, n, k)", stdout: "1s 2 3\n"},
		}},
		{name: "min of variables and a constant expression in a literal", steps: []step{
			{code: "import \"fmt\"\na, b := 3, 9\nlo := min(a, b)\nvar hi = max(a, b)\nfmt.Println(lo, hi)", stdout: "3 9\n"},
			{code: "func smaller(p, q int) int { return min(p, q) }\nfmt.Println(smaller(a, b), min(a, b, 2))", stdout: "3 2\n"},
			{code: "func() { _ = 8 * 5 }()\nfmt.Println(\"ok\")", stdout: "ok\n"},
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e := newTestEngine(t)
			for i, s := range c.steps {
				res, r := run(t, e, s.code)
				if res.Err != nil {
					t.Fatalf("step %d %q: %s\n%s", i, s.code, res.Err.Message, strings.Join(res.Traceback(), "\n"))
				}
				if got := r.text("stdout"); s.stdout != "" && got != s.stdout {
					t.Errorf("step %d %q: stdout %q, want %q", i, s.code, got, s.stdout)
				}
				want := s.value
				if want == "" {
					want = "<none>"
				}
				if got := plain(res); got != want {
					t.Errorf("step %d %q: value %s, want %s", i, s.code, got, want)
				}
			}
		})
	}
}
