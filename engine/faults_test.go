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
		errHas              string // the error, which names no name of Lanes
	}
	cases := []struct {
		name  string
		steps []step
	}{
		{name: "a final call without results shows nothing", steps: []step{
			{code: "import (\"fmt\"; \"sync\")\nn := 41\nn + 1", value: "42"},
			{code: "func() {}()", value: "<none>"},
			{code: "sync.NewCond(&sync.Mutex{}).Broadcast()", value: "<none>"},
			{code: "(&sync.WaitGroup{}).Wait()", value: "<none>"},
			{code: "wgs := []*sync.WaitGroup{{}}\nwgs[0].Wait()", value: "<none>"},
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
			{code: "type S struct{ v int }\nvar s S\nch <- 3\nselect {\ncase s.v = <-ch:\n}\nfmt.Println(s.v)", stdout: "3\n"},
			{code: "res := make([]int, 2)\nch <- 4\nfor i := 0; i < 1; i++ {\n\tselect {\n\tcase res[1] = <-ch:\n\t\tfmt.Println(\"case\", res)\n\t}\n}", stdout: "case [0 4]\n"},
			{code: "func() {\n\tvar oks [1]bool\n\tch <- 5\n\tselect {\n\tcase res[0], oks[0] = <-ch:\n\t}\n\tfmt.Println(res, oks)\n}()", stdout: "[5 4] [true]\n"},
		}},
		{name: "a top-level defer runs at the end of the cell", steps: []step{
			{code: "import \"fmt\"\ndefer fmt.Println(\"deferred 1\")\ndefer fmt.Println(\"deferred 2\")\nfmt.Println(\"body\")", stdout: "body\ndeferred 2\ndeferred 1\n"},
			{code: "n := 1\ndefer fmt.Println(\"n was\", n)\nfor i := 0; i < 2; i++ {\n\tdefer fmt.Print(i, \" \")\n}\nn = 2\nfmt.Println(\"n is\", n)\nn", stdout: "n is 2\n1 0 n was 1\n", value: "2"},
			{code: "type B struct{ log []string }\nfunc (b *B) Add(s string) { b.log = append(b.log, s) }\nvar b B\ndefer b.Add(\"last\")\nb.Add(\"first\")"},
			{code: "func() { defer fmt.Println(\"inner\"); fmt.Println(\"outer\") }()\nfmt.Println(b.log)", stdout: "outer\ninner\n[first last]\n"},
			{code: "fmt.Println(\"no deferred call runs again\")", stdout: "no deferred call runs again\n"},
			{code: "defer fmt.Println(\"cleanup\")\npanic(\"boom\")", stdout: "cleanup\n", errHas: "boom"},
			{code: "defer func() { panic(\"in a deferred call\") }()\nfmt.Println(\"body\")", stdout: "body\n", errHas: "in a deferred call"},
			{code: "fmt.Println(\"the session goes on\")", stdout: "the session goes on\n"},
		}},
		{name: "a loop variable shadowing an earlier cell's variable", steps: []step{
			{code: "import \"fmt\"\nx := \"text\"\nfunc three() (int, string, bool) { return 1, \"b\", true }"},
			{code: "for i := 0; i < 2; i++ {\n\tx := i * 2\n\tfmt.Print(x + 1)\n}\nfmt.Println(x)", stdout: "13text\n"},
			{code: "for i := 0; i < 1; i++ {\n\ta, b, c := three()\n\tfmt.Println(a, b, c)\n}", stdout: "1 b true\n"},
			{code: "y := 1\nif true {\n\ty := 5\n\t_ = y\n}\nfor y := 0; y < 2; y++ {\n}\ny", value: "1"},
			{code: "m := map[string]int{\"k\": 3}\nch := make(chan int, 1)\nch <- 4\nvar got [2]int\nvar oks [2]bool\nfor i := 0; i < 1; i++ {\n\tv, ok := m[\"k\"]\n\tselect {\n\tcase got[0], oks[0] = <-ch:\n\t}\n\tfmt.Println(v, ok, got, oks)\n}", stdout: "3 true [4 0] [true false]\n"},
			{code: "for i := 0; i < 1; i++ {\n\tz := 1\n\tz.Foo()\n}", errHas: "cell 6, line 3: undefined selector: Foo"},
		}},
		{name: "goroutines after an earlier cell's three-clause loop", steps: []step{
			{code: "import (\"fmt\"; \"sync\")\nfor i := 0; i < 3; i++ {\n}"},
			{code: "out := make([]int, 3)\nvar wg sync.WaitGroup\nfor i := 0; i < 3; i++ {\n\twg.Add(1)\n\tgo func() { defer wg.Done(); out[i] = i * 5 }()\n}\nwg.Wait()\nfmt.Println(out)", stdout: "[0 5 10]\n"},
		}},
		{name: "a function literal with three results", steps: []step{
			{code: "import (\"fmt\"; \"time\")\nf := func() (time.Duration, int64, int) { return time.Second, 2, 3 }\nd, n, k := f()\nfmt.Println(d, n, k)", stdout: "1s 2 3\n"},
			{code: "for i := 0; i < 2; i++ {\n\td, n, k := f()\n\tfmt.Println(d*time.Duration(i), n, k)\n}", stdout: "0s 2 3\n1s 2 3\n"},
			{code: "k := \"an earlier k\"\nfor i := 0; i < 1; i++ {\n\td, n, k := f()\n\tfmt.Println(d, n, k)\n}\nk", stdout: "1s 2 3\n", value: `"an earlier k"`},
			{code: "go func() { d, n, k := f(); fmt.Println(d, n, k) }()\ntime.Sleep(50 * time.Millisecond)", stdout: "1s 2 3\n"},
		}},
		{name: "min of variables and a constant expression in a literal", steps: []step{
			{code: "import \"fmt\"\na, b := 3, 9\nlo := min(a, b)\nvar hi = max(a, b)\nfmt.Println(lo, hi)", stdout: "3 9\n"},
			{code: "func smaller(p, q int) int { return min(p, q) }\nfmt.Println(smaller(a, b), min(a, b, 2))", stdout: "3 2\n"},
			{code: "func() { _ = 8 * 5 }()\nfmt.Println(\"ok\")", stdout: "ok\n"},
			{code: "fn := func() int { _ = 8 * 5; return 2 }\nvar lo2 = min(a, b) * fn()\nfmt.Println(lo2)", stdout: "6\n"},
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e := newTestEngine(t)
			for i, s := range c.steps {
				res, r := run(t, e, s.code)
				if s.errHas != "" {
					if res.Err == nil || !strings.Contains(res.Err.Message, s.errHas) || strings.Contains(res.Err.Message, "_lanes") {
						t.Errorf("step %d %q: error %+v, want one with %q", i, s.code, res.Err, s.errHas)
					}
					if got := r.text("stdout"); s.stdout != "" && got != s.stdout {
						t.Errorf("step %d %q: stdout %q, want %q", i, s.code, got, s.stdout)
					}
					continue
				}
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
