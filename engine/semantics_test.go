package engine

import (
	"context"
	"strings"
	"testing"
	"time"
)

// TestGoSemantics runs cells whose behaviour the rewrite layer brings in
// line with Go 1.26, one session per case.
func TestGoSemantics(t *testing.T) {
	cases := []struct {
		name   string
		cells  []string
		stdout string
		stderr string // substring
		errHas string // substring of the last cell's error
	}{
		{name: "three-clause loop variable per iteration",
			cells:  []string{"import \"fmt\"\nvar fs []func()\nfor i := 0; i < 3; i++ { fs = append(fs, func() { fmt.Print(i) }) }\nfor _, f := range fs { f() }"},
			stdout: "012"},
		{name: "range loop variable per iteration with goroutines",
			cells:  []string{"import (\"fmt\"; \"sync\")\nvar wg sync.WaitGroup\nout := make([]int, 3)\nfor i, v := range []int{5, 6, 7} { wg.Add(1); go func() { defer wg.Done(); out[i] = v }() }\nwg.Wait()\nfmt.Print(out)"},
			stdout: "[5 6 7]"},
		{name: "range over an integer",
			cells:  []string{"import \"fmt\"\nn := 3\nfor i := range n { fmt.Print(i) }\nfor range 2 { fmt.Print(\"x\") }"},
			stdout: "012xx"},
		{name: "min max clear",
			cells:  []string{"import \"fmt\"\na, b := 3, 9\nm := map[int]int{1: 1}\nclear(m)\nfmt.Print(min(a, b), max(a, b, 12), len(m), min(1.5, 2))"},
			stdout: "3 12 0 1.5"},
		{name: "min and max over compiled packages' types",
			cells:  []string{"import (\"fmt\"; \"runtime\"; \"time\")\nfunc clamp(d time.Duration) time.Duration { return min(d, time.Second) }\nworkers := min(runtime.NumCPU(), 64)\nvar lo = max(time.Second, 2*time.Second)\nfmt.Print(clamp(3*time.Second), \" \", clamp(time.Millisecond), \" \", workers == runtime.NumCPU(), \" \", lo)"},
			stdout: "1s 1ms true 2s"},
		{name: "min over a type of a package imported under another name",
			cells:  []string{"import (\"fmt\"; t \"time\")\nfunc clamp(d t.Duration) t.Duration { return min(d, t.Second) }\nlimit := max(t.Millisecond, clamp(t.Minute)/2)\nfmt.Print(clamp(t.Hour), \" \", limit)"},
			stdout: "1s 500ms"},
		{name: "packages imported under names of their own, across cells",
			cells: []string{"import (\"fmt\"; t \"time\"; str \"strings\")", "func half(d t.Duration) t.Duration { return d / 2 }\ntype Job struct{ Took t.Duration }",
				"j := Job{Took: half(t.Second)}\nvar b str.Builder\nb.WriteString(str.ToUpper(\"ok\"))\nfmt.Print(j.Took, \" \", b.String())"},
			stdout: "500ms OK"},
		{name: "packages used without an import have types too",
			cells:  []string{"xs := []int{3, 9}\ntop := max(slices.Max(xs), 4)\nfunc clamp(d time.Duration) time.Duration { return min(d, time.Second) }\ntype Box[T any] struct{ V T }\nb := slices.Clone([]Box[int]{{1}})\nfmt.Print(top, \" \", clamp(time.Hour), \" \", b)"},
			stdout: "9 1s [{1}]"},
		{name: "a variable named as a package is not taken for it",
			cells:  []string{"import \"fmt\"\ntype U struct{ Name string }\nuser := U{Name: \"ada\"}\nn := min(len(user.Name), 10)\nfmt.Print(user.Name, \" \", n)", "fmt.Print(max(len(user.Name), 1))"},
			stdout: "ada 33"},
		{name: "top-level values of generic funcs",
			cells: []string{"import \"fmt\"\nfunc id[T any](v T) T { return v }\nfunc mk[T any](n int) chan T { return make(chan T, n) }\nfunc two[T any](a, b T) (T, T) { return b, a }",
				"x := id(3)\nc := mk[string](1)\nc <- \"s\"\ny := 1 + id[int](4)\nvar z = id(\"z\")\np, q := two(1, 2)\nfmt.Print(x, <-c, y, z, p, q)"},
			stdout: "3s5z2 1"},
		{name: "println writes to stderr",
			cells:  []string{"println(\"to stderr\", 1, true)"},
			stderr: "to stderr 1 true\n"},
		{name: "func main runs once when defined",
			cells:  []string{"import \"fmt\"", "func main() { fmt.Println(\"main ran\") }", "fmt.Println(\"next cell\")"},
			stdout: "main ran\nnext cell\n"},
		{name: "a whole program does not touch the session",
			cells:  []string{"x := 1", "package main\n\nimport \"fmt\"\n\nvar x = \"program\"\n\nfunc main() { fmt.Println(x) }", "import \"fmt\"\nfmt.Println(x)"},
			stdout: "program\n1\n"},
		{name: "a whole program's main runs once",
			cells:  []string{"package main\n\nimport \"fmt\"\n\nfunc main() { fmt.Println(\"main ran\") }", "import \"time\"\ntime.Sleep(300 * time.Millisecond)"},
			stdout: "main ran\n"},
		{name: "a whole program's goroutines stop when main returns",
			cells:  []string{"package main\n\nimport (\"fmt\"; \"time\")\n\nfunc main() {\n\tgo func() { time.Sleep(100 * time.Millisecond); fmt.Println(\"late\") }()\n\tfmt.Println(\"main done\")\n}", "import \"time\"\ntime.Sleep(300 * time.Millisecond)"},
			stdout: "main done\n"},
		{name: "a function literal called at once runs once",
			cells:  []string{"import \"fmt\"", "func() { defer fmt.Println(\"once\") }()", "fmt.Println(\"next\")", "fmt.Println(\"last\")"},
			stdout: "once\nnext\nlast\n"},
		{name: "unnamed parameters",
			cells:  []string{"import (\"errors\"; \"fmt\")\nf := func(int) error { return errors.New(\"lit\") }\nfmt.Println(f(1))", "func h(string, ...int) error { return errors.New(\"decl\") }\nfmt.Println(h(\"x\", 1, 2))", "type S struct{}\nfunc (S) M(int) error { return errors.New(\"method\") }\nfmt.Println(S{}.M(1))"},
			stdout: "lit\ndecl\nmethod\n"},
		{name: "a generic type's method called from a later cell",
			cells:  []string{"import \"fmt\"\ntype Stack[T any] struct{ items []T }", "func (s *Stack[T]) Push(v T) { s.items = append(s.items, v) }", "st := &Stack[int]{}", "st.Push(1)", "fmt.Println(len(st.items))"},
			stdout: "1\n"},
		{name: "multiple assignment with a composite literal",
			cells:  []string{"import \"fmt\"\ntype P struct{ X int }\np, q := P{4}, 7\nvar s, n = []int{1}, \"x\"\nfmt.Println(p.X, q, s, n)", "func() { m, k := map[string]int{\"a\": 1}, 2; fmt.Println(m, k) }()"},
			stdout: "4 7 [1] x\nmap[a:1] 2\n"},
		{name: "go statement on a method of a composite literal",
			cells:  []string{"import (\"fmt\"; \"sync\")\ntype W struct{ id int }\nfunc (w W) Run(wg *sync.WaitGroup, out chan<- int) { defer wg.Done(); out <- w.id * 10 }", "out := make(chan int, 1)\nvar wg sync.WaitGroup\nwg.Add(1)\ngo W{3}.Run(&wg, out)\nwg.Wait()\nfmt.Println(<-out)"},
			stdout: "30\n"},
		{name: "a struct received from a channel can be changed",
			cells:  []string{"import \"fmt\"\ntype C struct{ n int }\nch := make(chan C, 3)\nch <- C{1}; ch <- C{2}; ch <- C{3}\ngot := <-ch\ngot.n += 10\nvar g2 C\ng2 = <-ch\ng2.n += 20\nnext := func() C { return <-ch }\ng3 := next()\ng3.n += 30\nfmt.Println(got.n, g2.n, g3.n)"},
			stdout: "11 22 33\n"},
		{name: "var declarations using variables of earlier cells",
			cells:  []string{"import \"fmt\"\nn := 3", "var x = n + 1\nvar y float64 = 2\nvar a, b int = func() (int, int) { return n, 7 }()\nvar (\n\tc = []int{n}\n\td string\n)", "fmt.Println(x, y, a, b, c, d == \"\")"},
			stdout: "4 2 3 7 [3] true\n"},
		{name: "a whole program's goroutines end with main, even parked in a select",
			cells:  []string{"package main\n\nimport \"fmt\"\n\nfunc main() {\n\treqs, ack := make(chan int), make(chan bool)\n\tgo func() {\n\t\tfor {\n\t\t\tselect {\n\t\t\tcase r := <-reqs:\n\t\t\t\tfmt.Println(r)\n\t\t\t\tack <- true\n\t\t\t}\n\t\t}\n\t}()\n\treqs <- 1\n\t<-ack\n\tfmt.Println(\"done\")\n}", "%goroutines"},
			stdout: "1\ndone\nNo goroutine started by a cell is running.\n"},
		{name: "go evaluates arguments at the go statement",
			cells:  []string{"import \"fmt\"\nfunc show(v int, done chan bool) { fmt.Println(v); done <- true }\ndone := make(chan bool)\nv := 1\ngo show(v, done)\nv = 2\n<-done"},
			stdout: "1\n"},
		{name: "recovered runtime errors use Go's wording",
			cells:  []string{"import \"fmt\"\nfunc f() (err any) { defer func() { err = recover() }(); var s []int; _ = s[3]; return nil }\nfmt.Println(f())"},
			stdout: "runtime error: index out of range\n"},
		{name: "redefining a type differently is refused",
			cells:  []string{"type P struct{ A int }", "type P struct{ A, B int }"},
			errHas: "type P was defined differently in cell 1"},
		{name: "redefining a type the same way is fine",
			cells: []string{"type Q struct{ A int }", "type Q struct{ A int }"}},
		{name: "receive with the ok flag of a struct at the top level",
			cells:  []string{"import \"fmt\"\ntype R struct{ W, H float64 }", "ch := make(chan R, 1)\nch <- R{3, 4}\nclose(ch)\nv, ok := <-ch\nfmt.Println(v, ok)\nv.W = 9\nfmt.Println(v)\nv, ok = <-ch\nfmt.Println(v, ok)"},
			stdout: "{3 4} true\n{9 4}\n{0 0} false\n"},
		{name: "type arguments inferred from variadic arguments",
			cells:  []string{"import \"fmt\"\nfunc Sum[T int | float64](xs ...T) T {\n\tvar s T\n\tfor _, x := range xs {\n\t\ts += x\n\t}\n\treturn s\n}", "fmt.Println(Sum(1, 2, 3), Sum(1.5, 2))"},
			stdout: "6 3.5\n"},
		{name: "method expressions",
			cells: []string{"import \"fmt\"\ntype Rect struct{ W, H float64 }\nfunc (r *Rect) Scale(k float64) { r.W *= k; r.H *= k }\nfunc (r Rect) Area() float64 { return r.W * r.H }",
				"scale := (*Rect).Scale\nr := &Rect{1, 2}\nscale(r, 2)\nfmt.Println(*r, (*Rect).Area(r))", "area := Rect.Area\nfmt.Println(area(Rect{3, 3}))"},
			stdout: "{2 4} 8\n9\n"},
		{name: "%T names a cell's types as go run does",
			cells: []string{"import \"fmt\"\ntype Celsius float64\nfunc (c Celsius) String() string { return fmt.Sprintf(\"%.1f°C\", float64(c)) }\ntype Rect struct{ W, H float64 }",
				"c := Celsius(3)\nfmt.Printf(\"%T %T %T %v %T %d%%\\n\", c, Rect{1, 2}, []*Rect{}, c, 7, 5)\nfmt.Println(fmt.Sprintf(\"%T\", &c))"},
			stdout: "main.Celsius main.Rect []*main.Rect 3.0°C int 5%\n*main.Celsius\n"},
		{name: "comma-ok of a map and of a type assertion at the top level",
			cells:  []string{"import \"fmt\"\nm := map[string]int{\"a\": 1}\nvar y any = 5", "v, ok := m[\"a\"]\nn, isInt := y.(int)\ns, isStr := y.(string)\nfmt.Println(v, ok, n, isInt, s == \"\", isStr)", "fmt.Println(v+n, ok && isInt)"},
			stdout: "1 true 5 true true false\n6 true\n"},
		{name: "range over a function of an earlier cell",
			cells:  []string{"import \"fmt\"\nseq := func(yield func(int) bool) { _ = yield(1) && yield(2) && yield(3) }", "for x := range seq {\n\tif x == 3 {\n\t\tbreak\n\t}\n\tfmt.Print(x)\n}"},
			stdout: "12"},
		{name: "range over a function of the same cell, with a return",
			cells:  []string{"import \"fmt\"\nfunc count(n int) func(func(int) bool) {\n\treturn func(yield func(int) bool) {\n\t\tfor i := 0; i < n && yield(i); i++ {\n\t\t}\n\t}\n}\nfunc first(n int) int {\n\tfor x := range count(n) {\n\t\tif x*x > n {\n\t\t\treturn x\n\t\t}\n\t}\n\treturn -1\n}\nfmt.Print(first(10), first(0))"},
			stdout: "4 -1"},
		{name: "reserved names",
			cells:  []string{"_lanesx := 1"},
			errHas: "reserved"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e := newTestEngine(t)
			r := &recorder{}
			var res Result
			for _, code := range c.cells {
				res = e.Execute(context.Background(), Cell{Code: code}, r)
				if res.Err != nil && c.errHas == "" {
					t.Fatalf("cell %q: %+v", code, res.Err)
				}
			}
			if c.errHas != "" {
				if res.Err == nil || !strings.Contains(res.Err.Message, c.errHas) {
					t.Fatalf("error %+v, want %q", res.Err, c.errHas)
				}
				return
			}
			if got := r.text("stdout"); got != c.stdout {
				t.Errorf("stdout %q, want %q", got, c.stdout)
			}
			if !strings.Contains(r.text("stderr"), c.stderr) {
				t.Errorf("stderr %q, want %q", r.text("stderr"), c.stderr)
			}
		})
	}
}

// TestGoroutineFaults covers panics in goroutines, deadlocks and
// goroutines that outlive their cell.
func TestGoroutineFaults(t *testing.T) {
	e := newTestEngine(t)
	setup := "import (\"fmt\"; \"sync\"; \"time\")\nfunc keep() int { return 7 }\nkept := 5"
	if res, _ := run(t, e, setup); res.Err != nil {
		t.Fatal(res.Err)
	}
	cases := []struct {
		name      string
		code      string
		errName   string
		errHas    []string
		stderrHas string
		restarted bool
	}{
		{name: "panic in a goroutine ends the cell, not the worker",
			code:    "func h() { panic(\"boom\") }\ndone := make(chan bool)\ngo func() {\n\th()\n}()\n<-done",
			errName: "panic", errHas: []string{"panic: boom", "main.h", "line 1", "created by a go statement (func literal) at cell"}},
		{name: "runtime error in a goroutine in Go's wording",
			code:    "go func() { var m map[string]int; m[\"a\"] = 1 }()\ntime.Sleep(time.Minute)",
			errName: "panic", errHas: []string{"assignment to entry in nil map"}},
		{name: "panic in a named func that time.AfterFunc runs",
			code:    "func late(){ panic(\"late\") }\ntime.AfterFunc(time.Millisecond, late)\ntime.Sleep(time.Minute)",
			errName: "panic", errHas: []string{"panic: late", "main.late", "created by a go statement (time.AfterFunc func)"}},
		{name: "index out of range",
			code:    "go func() { var s []int; fmt.Println(s[3]) }()\ntime.Sleep(time.Minute)",
			errName: "panic", errHas: []string{"runtime error: index out of range"}},
		{name: "nil pointer dereference",
			code:    "type N struct{ v int }\nvar np *N\ngo func() { fmt.Println(np.v) }()\ntime.Sleep(time.Minute)",
			errName: "panic", errHas: []string{"runtime error: invalid memory address or nil pointer dereference"}},
		{name: "integer divide by zero",
			code:    "zero := 0\ngo func() { fmt.Println(1 / zero) }()\ntime.Sleep(time.Minute)",
			errName: "panic", errHas: []string{"runtime error: integer divide by zero"}},
		{name: "close of closed channel",
			code:    "cc := make(chan int)\nclose(cc)\ngo func() { close(cc) }()\ntime.Sleep(time.Minute)",
			errName: "panic", errHas: []string{"close of closed channel"}},
		{name: "send on closed channel",
			code:    "sc := make(chan int)\nclose(sc)\ngo func() { sc <- 1 }()\ntime.Sleep(time.Minute)",
			errName: "panic", errHas: []string{"send on closed channel"}},
		{name: "deadlock on receive",
			code:    "ch := make(chan int)\n<-ch",
			errName: "fatal error", errHas: []string{"all goroutines are asleep - deadlock!", "[chan receive]", "the code of cell"}},
		{name: "deadlock on a wait group names the goroutines",
			code:    "var wg sync.WaitGroup\nwg.Add(2)\nblock := make(chan int)\ngo func() { defer wg.Done(); <-block }()\nwg.Wait()",
			errName: "fatal error", errHas: []string{"all goroutines are asleep - deadlock!", "waiting for a WaitGroup", "func literal (cell", "blocked on receive"},
			restarted: true},
		{name: "deadlock in select{}",
			code:    "select {}",
			errName: "fatal error", errHas: []string{"deadlock", "[select]"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if res, _ := run(t, e, "kept := 5"); res.Err != nil {
				t.Fatal(res.Err)
			}
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			r := &recorder{}
			res := e.Execute(ctx, Cell{Code: c.code}, r)
			if res.Err == nil {
				t.Fatalf("no error; stdout %q stderr %q", r.text("stdout"), r.text("stderr"))
			}
			all := res.Err.Message + "\n" + strings.Join(res.Traceback(), "\n")
			if res.Err.Name != c.errName {
				t.Errorf("error name %q, want %q\n%s", res.Err.Name, c.errName, all)
			}
			for _, h := range c.errHas {
				if !strings.Contains(all, h) {
					t.Errorf("error does not contain %q:\n%s", h, all)
				}
			}
			if (res.Restart != nil) != c.restarted {
				t.Errorf("restarted %v, want %v\n%s", res.Restart, c.restarted, all)
			}
			res, _ = run(t, e, "fmt.Sprint(keep())")
			if res.Err != nil || plain(res) != `"7"` {
				t.Errorf("after the fault: %v %+v", plain(res), res.Err)
			}
			if !c.restarted {
				if res, _ := run(t, e, "kept"); res.Err != nil || plain(res) != "5" {
					t.Errorf("the worker was not kept: %v %+v", plain(res), res.Err)
				}
			}
		})
	}
}

// TestNoFalseDeadlock runs cells that wait on timers, tickers, sleep and
// standard input: none is a deadlock.
func TestNoFalseDeadlock(t *testing.T) {
	e := newTestEngine(t)
	cells := []string{
		"import (\"fmt\"; \"time\"; \"context\")\n<-time.After(400 * time.Millisecond)",
		"t := time.NewTimer(400 * time.Millisecond)\n<-t.C",
		"tk := time.NewTicker(150 * time.Millisecond)\nfor i := 0; i < 3; i++ { <-tk.C }\ntk.Stop()",
		"time.Sleep(400 * time.Millisecond)",
		"ctx, cancel := context.WithTimeout(context.Background(), 400*time.Millisecond)\ndefer cancel()\n<-ctx.Done()",
		"done := make(chan bool)\ntime.AfterFunc(400*time.Millisecond, func() { done <- true })\n<-done",
		"ch := make(chan int)\ngo func() { time.Sleep(400 * time.Millisecond); ch <- 1 }()\n<-ch",
		"var name string\nfmt.Scanln(&name)",
	}
	for _, c := range cells {
		r := &recorder{inputs: []string{"typed"}}
		if c == cells[len(cells)-1] {
			// The front end answers input slowly.
			r.inputs = nil
			go func() { time.Sleep(500 * time.Millisecond); r.mu.Lock(); r.inputs = []string{"typed"}; r.mu.Unlock() }()
		}
		res := e.Execute(context.Background(), Cell{Code: c}, r)
		if res.Err != nil && res.Err.Name == "fatal error" {
			t.Errorf("%q: false deadlock: %+v", c, res.Err)
		}
	}
}

// TestOutlivingGoroutines checks the end-of-cell note, labelled later
// output, %goroutines and %goroutines stop.
func TestOutlivingGoroutines(t *testing.T) {
	e := newTestEngine(t)
	res, r := run(t, e, "import (\"fmt\"; \"time\")\nfunc worker(in chan int) { for v := range in { fmt.Println(\"got\", v) } }\nin := make(chan int)\ngo worker(in)\ngo func() { time.Sleep(time.Hour) }()")
	if res.Err != nil {
		t.Fatal(res.Err)
	}
	note := r.text("stderr")
	for _, want := range []string{"2 goroutines started in this cell are still running", "worker (line 4) blocked on receive", "func literal (line 5) sleeping"} {
		if !strings.Contains(note, want) {
			t.Errorf("note %q does not contain %q", note, want)
		}
	}
	res, r = run(t, e, "in <- 1\ntime.Sleep(100 * time.Millisecond)")
	if res.Err != nil {
		t.Fatal(res.Err)
	}
	if got := r.text("stdout"); got != "[cell 1 worker] got 1\n" {
		t.Errorf("background output %q, want it labelled", got)
	}
	res, r = run(t, e, "%goroutines")
	if res.Err != nil {
		t.Fatal(res.Err)
	}
	if out := r.text("stdout"); !strings.Contains(out, "2 goroutines started by cells are running") || !strings.Contains(out, "worker (cell 1, line 4), blocked on receive") {
		t.Errorf("%%goroutines printed %q", out)
	}
	res, r = run(t, e, "%goroutines stop")
	if res.Err != nil {
		t.Fatal(res.Err)
	}
	if out := r.text("stdout"); !strings.Contains(out, "Every goroutine was stopped") || !strings.Contains(out, "in") {
		t.Errorf("%%goroutines stop printed %q", out)
	}
	res, r = run(t, e, "%goroutines")
	if out := r.text("stdout"); !strings.Contains(out, "No goroutine") {
		t.Errorf("after stop: %q", out)
	}
	if res, _ := run(t, e, "worker"); res.Err != nil {
		t.Errorf("declarations were not replayed: %+v", res.Err)
	}
}

// TestPanicAfterCell reports a goroutine's panic at the top of the next
// cell.
func TestPanicAfterCell(t *testing.T) {
	e := newTestEngine(t)
	res, _ := run(t, e, "import \"time\"\ngo func() {\n\ttime.Sleep(200 * time.Millisecond)\n\tpanic(\"late\")\n}()")
	if res.Err != nil {
		t.Fatal(res.Err)
	}
	time.Sleep(500 * time.Millisecond)
	res, r := run(t, e, "1 + 1")
	if res.Err != nil || plain(res) != "2" {
		t.Fatalf("next cell: %v %+v", plain(res), res.Err)
	}
	for _, want := range []string{"A goroutine of cell 1 panicked after the cell ended", "panic: late", "cell 1, line 4"} {
		if !strings.Contains(r.text("stderr"), want) {
			t.Errorf("stderr %q does not contain %q", r.text("stderr"), want)
		}
	}
}

// TestSleepEndsWithTheCell: time.Sleep returns when its cell is stopped,
// so an interrupted cell or one ended by a goroutine's panic ends at once,
// keeps the worker and its variables, and does not wait out the sleep.
func TestSleepEndsWithTheCell(t *testing.T) {
	e := newTestEngine(t)
	if res, _ := run(t, e, "import \"time\"\nkept := 5"); res.Err != nil {
		t.Fatal(res.Err)
	}
	cases := []struct {
		name, code, errName string
		interrupt           bool
	}{
		{name: "interrupted", code: "time.Sleep(time.Hour)", errName: "Interrupted", interrupt: true},
		{name: "a goroutine panics", code: "go func() { panic(\"x\") }()\ntime.Sleep(time.Hour)", errName: "panic"},
		{name: "a sleeping goroutine is not a deadlock", code: "done := make(chan bool)\ngo func() { time.Sleep(300 * time.Millisecond); done <- true }()\n<-done\npanic(\"woke\")", errName: "panic"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			timeout := 30 * time.Second
			if c.interrupt {
				timeout = 300 * time.Millisecond
			}
			ctx, cancel := context.WithTimeout(context.Background(), timeout)
			defer cancel()
			start := time.Now()
			res := e.Execute(ctx, Cell{Code: c.code}, &recorder{})
			if res.Err == nil || res.Err.Name != c.errName {
				t.Fatalf("error %+v, want %s", res.Err, c.errName)
			}
			if res.Restart != nil {
				t.Errorf("the worker was restarted: %s", strings.Join(res.Traceback(), "\n"))
			}
			if took := time.Since(start); took > 20*time.Second {
				t.Errorf("the cell took %v", took)
			}
			if res, _ := run(t, e, "kept"); res.Err != nil || plain(res) != "5" {
				t.Errorf("kept = %v %+v, want 5", plain(res), res.Err)
			}
		})
	}
}

// TestSessionAfterRestart: after a worker restart the replayed session
// behaves as before it: importing a package again is fine, and the
// declarations are known to the rewrite (a replayed func handed to
// time.AfterFunc is still guarded).
func TestSessionAfterRestart(t *testing.T) {
	e := newTestEngine(t)
	cells := []string{
		"import (\"fmt\"; \"time\")\nfunc late() { panic(\"late\") }",
		"import \"os\"\nos.Exit(3)",
	}
	for _, c := range cells {
		run(t, e, c)
	}
	if res, _ := run(t, e, "import (\"fmt\"; \"time\")\nfmt.Sprint(1)"); res.Err != nil {
		t.Fatalf("importing again after a restart: %+v", res.Err)
	}
	res, _ := run(t, e, "time.AfterFunc(time.Millisecond, late)\ntime.Sleep(time.Minute)")
	if res.Err == nil || res.Err.Name != "panic" || res.Restart != nil {
		t.Fatalf("panic in a replayed func: %+v (restarted %v)", res.Err, res.Restart)
	}
}

// TestPanicLines: a runtime error names the line that raised it, and each
// caller the line of its call, where the cell's source leaves no doubt;
// otherwise the interpreter's line (the function's first statement) stays.
func TestPanicLines(t *testing.T) {
	e := newTestEngine(t)
	run(t, e, "import (\"fmt\"; \"time\")")
	cases := []struct {
		name, code string
		want       []string
	}{
		{name: "index in a function called from the cell",
			code: "func work(xs []int) int {\n\ts := 0\n\tfor i := 0; i <= len(xs); i++ {\n\t\ts += xs[i]\n\t}\n\treturn s\n}\nfmt.Println(\"start\")\nx := []int{1, 2}\nfmt.Println(work(x))",
			want: []string{"main.work(...)\n\tcell 2, line 4", "main(...)\n\tcell 2, line 10"}},
		{name: "division in a goroutine, two calls deep",
			code: "func div(a, b int) int {\n\tfmt.Print(\"\")\n\treturn a / b\n}\nfunc sum(xs []int) (t int) {\n\tfor _, x := range xs {\n\t\tt += div(10, x)\n\t}\n\treturn t\n}\ngo func() {\n\tfmt.Print(\"\")\n\tsum([]int{1, 0})\n}()\ntime.Sleep(time.Minute)",
			want: []string{"main.div(...)\n\tcell 3, line 3", "main.sum(...)\n\tcell 3, line 7", "cell 3, line 13"}},
		{name: "two candidate lines: the interpreter's line stays",
			code: "func two(m map[string]int) {\n\tfmt.Print(\"\")\n\tm[\"a\"] = 1\n\tm[\"b\"] = 2\n}\ntwo(nil)",
			want: []string{"main.two(...)\n\tcell 4, line 2"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			res := e.Execute(ctx, Cell{Code: c.code}, &recorder{})
			if res.Err == nil {
				t.Fatal("no error")
			}
			tb := strings.Join(res.Traceback(), "\n")
			for _, w := range c.want {
				if !strings.Contains(tb, w) {
					t.Errorf("traceback lacks %q:\n%s", w, tb)
				}
			}
		})
	}
}

// TestFailedDeclarations: a declaration that fails to evaluate leaves the
// session as it was. An earlier definition of the name is kept; a name
// that never had one is undefined, and a cell that uses it is stopped
// before any of it runs. The failing cells are the ones in between.
func TestFailedDeclarations(t *testing.T) {
	cases := []struct {
		name   string
		cells  []string // every cell but the first and the last fails
		stdout string   // of the last cell
		errHas string   // of the last cell
	}{
		{name: "a failed redefinition keeps the earlier one",
			cells:  []string{"import \"fmt\"\nfunc good() int { return 1 }", "func good() int { return undefinedX }", "fmt.Print(good())"},
			stdout: "1"},
		{name: "a name whose only declaration failed",
			cells:  []string{"import \"fmt\"", "func bad() int { return undefinedThing }", "fmt.Print(\"ran\")\nbad()"},
			errHas: "cell 3, line 2: undefined: bad (its declaration in cell 2 failed"},
		{name: "a func that uses a failed name",
			cells:  []string{"import \"fmt\"", "func bad() int { return undefinedThing }", "func use() int { return bad() + 1 }"},
			errHas: "undefined: bad"},
		{name: "a failed type",
			cells:  []string{"import \"fmt\"", "type T struct{ x undefinedType }", "var t T\nfmt.Print(t)"},
			errHas: "undefined: T"},
		{name: "the cell declares the failed name again",
			cells:  []string{"import \"fmt\"", "func bad() int { return undefinedThing }", "func bad() int { return 2 }\nfmt.Print(bad())"},
			stdout: "2"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e := newTestEngine(t)
			var res Result
			var r *recorder
			for i, code := range c.cells {
				r = &recorder{}
				res = e.Execute(context.Background(), Cell{Code: code}, r)
				if fails := i > 0; i < len(c.cells)-1 && fails != (res.Err != nil) {
					t.Fatalf("cell %q: error %+v", code, res.Err)
				}
			}
			if c.errHas != "" {
				if res.Err == nil || !strings.Contains(res.Err.Message, c.errHas) {
					t.Fatalf("error %+v, want %q", res.Err, c.errHas)
				}
				if out := r.text("stdout"); out != "" {
					t.Errorf("the stopped cell printed %q", out)
				}
				return
			}
			if res.Err != nil || r.text("stdout") != c.stdout {
				t.Errorf("error %+v, stdout %q, want %q", res.Err, r.text("stdout"), c.stdout)
			}
		})
	}
}
