package engine

import (
	"context"
	"fmt"
	"io"
	"os"
	"reflect"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/traefik/yaegi/interp"
	"github.com/traefik/yaegi/stdlib"
	"github.com/traefik/yaegi/stdlib/unrestricted"

	"github.com/lanes-dev/lanes/display"
	"github.com/lanes-dev/lanes/engine/worker"
	"github.com/lanes-dev/lanes/runtime/export"
)

// The test binary doubles as the worker.
func TestMain(m *testing.M) {
	if mode := os.Getenv("LANES_ENGINE_TEST_WORKER"); mode != "" {
		if err := worker.LimitMemory(os.Getenv); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		syms := testSymbols()
		if mode == "lanes" {
			for k, v := range export.Exports() {
				syms[k] = v
			}
		}
		if err := worker.Run(syms); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

func newTestEngine(t testing.TB) *Engine {
	t.Helper()
	return newEngineWith(t, "1")
}

// newLanesEngine is newTestEngine with the runtime (package lanes) among
// the worker's symbols, as the lanes binary has it.
func newLanesEngine(t testing.TB) *Engine {
	t.Helper()
	return newEngineWith(t, "lanes")
}

func newEngineWith(t testing.TB, mode string) *Engine {
	t.Helper()
	e, err := New(Options{
		Command:        []string{os.Args[0], "-test.run=^$"},
		Env:            []string{"LANES_ENGINE_TEST_WORKER=" + mode},
		InterruptGrace: time.Second,
		Log:            testLog(),
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { e.Close() })
	return e
}

// recorder is a Sink that keeps everything.
type recorder struct {
	mu       sync.Mutex
	events   []string
	streams  int
	displays []display.Bundle
	inputs   []string
}

func (r *recorder) Stream(name, text string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.streams++
	if n := len(r.events); n > 0 && strings.HasPrefix(r.events[n-1], name+":") {
		r.events[n-1] += text
		return
	}
	r.events = append(r.events, name+":"+text)
}

func (r *recorder) Display(b display.Bundle, id string, update bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.displays = append(r.displays, b)
	r.events = append(r.events, fmt.Sprintf("display:%v", b.Data["text/plain"]))
}

func (r *recorder) ClearOutput(wait bool) {}

func (r *recorder) Input(prompt string, password bool) (string, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.inputs) == 0 {
		return "", fmt.Errorf("no input")
	}
	s := r.inputs[0]
	r.inputs = r.inputs[1:]
	return s, nil
}

func (r *recorder) text(name string) string {
	r.mu.Lock()
	defer r.mu.Unlock()
	var b strings.Builder
	for _, e := range r.events {
		if t, ok := strings.CutPrefix(e, name+":"); ok {
			b.WriteString(t)
		}
	}
	return b.String()
}

func run(t *testing.T, e *Engine, code string) (Result, *recorder) {
	t.Helper()
	r := &recorder{}
	res := e.Execute(context.Background(), Cell{Code: code}, r)
	return res, r
}

func plain(res Result) string {
	if res.Value == nil {
		return "<none>"
	}
	return fmt.Sprint(res.Value.Data["text/plain"])
}

func TestCellSemantics(t *testing.T) {
	e := newTestEngine(t)
	steps := []struct {
		code, stdout, value, errHas string
	}{
		{code: `import "fmt"`, value: "<none>"},
		{code: "x := 3\nfmt.Println(x)", stdout: "3\n", value: "<none>"},
		{code: "x + 1", value: "4"},
		{code: "func double(n int) int { return n * 2 }\ny := double(x)\ntype P struct{ A int }\nP{y}", value: "{6}"},
		{code: `import "fmt"` + "\nfmt.Printf(\"%d\\n\", double(5))", stdout: "10\n", value: "<none>"},
		{code: `"hi"`, value: `"hi"`},
		{code: "for i := 0; i < 2; i++ { fmt.Print(i) }", stdout: "01", value: "<none>"},
		{code: "func noop() {}\nnoop()", value: "<none>"},
		{code: "z := 1\n\nfmt.Println(q)", errHas: "cell 9, line 3: undefined: q"},
		{code: "var s []int\n_ = s[3]", errHas: "index out of range"},
		{code: "y", value: "6"},
		// Calls without results show nothing, never an earlier value.
		{code: "import \"runtime\"\nruntime.Gosched()", value: "<none>"},
		{code: "import \"sync\"\nvar wg sync.WaitGroup\nwg.Wait()", value: "<none>"},
		{code: "\"again\"", value: `"again"`},
		{code: "runtime.Gosched()", value: "<none>"},
		{code: "noop()", value: "<none>"},
		{code: "double(1)", value: "2"},
	}
	for i, s := range steps {
		res, r := run(t, e, s.code)
		if s.errHas != "" {
			if res.Err == nil || !strings.Contains(res.Err.Message+strings.Join(res.Traceback(), "\n"), s.errHas) {
				t.Errorf("step %d %q: error %+v, want it to contain %q", i, s.code, res.Err, s.errHas)
			}
			continue
		}
		if res.Err != nil {
			t.Errorf("step %d %q: unexpected error %+v", i, s.code, res.Err)
			continue
		}
		if got := r.text("stdout"); got != s.stdout {
			t.Errorf("step %d %q: stdout %q, want %q", i, s.code, got, s.stdout)
		}
		if got := plain(res); got != s.value {
			t.Errorf("step %d %q: value %s, want %s", i, s.code, got, s.value)
		}
	}
}

func TestOutputOrderAndCoalescing(t *testing.T) {
	e := newTestEngine(t)
	res, r := run(t, e, `import ("fmt"; "os")
fmt.Println("one")
os.Stderr.WriteString("two\n")
fmt.Fprintln(os.Stderr, "three")
fmt.Println("four")`)
	if res.Err != nil {
		t.Fatal(res.Err)
	}
	// Each stream keeps its order; across the two pipes, as in Jupyter's
	// own kernels, arrival order is not guaranteed.
	if got := r.text("stdout"); got != "one\nfour\n" {
		t.Errorf("stdout %q", got)
	}
	if got := r.text("stderr"); got != "two\nthree\n" {
		t.Errorf("stderr %q", got)
	}

	res, r = run(t, e, `for i := 0; i < 10000; i++ { fmt.Println("line", i) }`)
	if res.Err != nil {
		t.Fatal(res.Err)
	}
	out := r.text("stdout")
	if n := strings.Count(out, "\n"); n != 10000 || !strings.HasSuffix(out, "line 9999\n") {
		t.Errorf("got %d lines, want 10000", n)
	}
	if r.streams > 100 {
		t.Errorf("10,000 lines arrived in %d stream calls; want them coalesced (≤ 100)", r.streams)
	}
}

func TestDisplayOrder(t *testing.T) {
	e := newTestEngine(t)
	for i := 0; i < 20; i++ {
		res, r := run(t, e, `import ("fmt"; "github.com/lanes-dev/lanes/display")
fmt.Println("a")
id := display.Show(1)
fmt.Println("b")
display.Update(id, 2)
fmt.Println("c")`)
		if res.Err != nil {
			t.Fatal(res.Err)
		}
		want := "stdout:a\n|display:1|stdout:b\n|display:2|stdout:c\n"
		if got := strings.Join(r.events, "|"); got != want {
			t.Fatalf("run %d: events %q, want %q", i, got, want)
		}
	}
}

func TestInput(t *testing.T) {
	e := newTestEngine(t)
	r := &recorder{inputs: []string{"Ada", "42"}}
	res := e.Execute(context.Background(), Cell{Code: `import ("fmt"; "bufio"; "os")
var name string
fmt.Scanln(&name)
line, _ := bufio.NewReader(os.Stdin).ReadString('\n')
fmt.Println("hello", name, line)`}, r)
	if res.Err != nil {
		t.Fatal(res.Err)
	}
	if got := r.text("stdout"); got != "hello Ada 42\n\n" {
		t.Errorf("stdout %q", got)
	}
}

func TestMagics(t *testing.T) {
	e := newTestEngine(t)
	cases := []struct{ code, out, errHas, value string }{
		{code: "%gomaxprocs 1\nimport \"runtime\"\nruntime.GOMAXPROCS(0)", out: "GOMAXPROCS:"},
		{code: "%gomaxprocs zero", errHas: "whole number"},
		{code: "%env LANES_X=7\nimport \"os\"\nos.Getenv(\"LANES_X\")", out: "env: LANES_X=7"},
		{code: "%time\nimport \"time\"\ntime.Sleep(time.Millisecond)", out: "wall time:"},
		{code: "%help", out: "%gomaxprocs"},
		{code: "%nope", errHas: "unknown magic %nope"},
		{code: "%time 40 + 2", out: "wall time:", value: "42"},
		{code: "%time timedX := 5\ntimedX * 2", out: "wall time:", value: "10"},
		{code: "%%time\nimport \"time\"\ntime.Sleep(time.Millisecond)\n7", out: "wall time:", value: "7"},
		{code: "%%time extra", errHas: "a cell magic takes no arguments"},
		{code: "%memlimit 2G", out: "memory limit: 2 GiB (%memlimit 2G)"},
		{code: "%memlimit", out: "memory limit: 2 GiB"},
		{code: "%memlimit lots", errHas: "want a size of at least 1M"},
		{code: "%memlimit 10", errHas: "want a size of at least 1M"},
		{code: "%memlimit off", out: "memory limit: off"},
	}
	for _, c := range cases {
		res, r := run(t, e, c.code)
		if c.errHas != "" {
			if res.Err == nil || !strings.Contains(res.Err.Message, c.errHas) {
				t.Errorf("%q: error %+v, want %q", c.code, res.Err, c.errHas)
			}
			continue
		}
		if res.Err != nil {
			t.Errorf("%q: %+v", c.code, res.Err)
		}
		if !strings.Contains(r.text("stdout"), c.out) {
			t.Errorf("%q: stdout %q, want %q", c.code, r.text("stdout"), c.out)
		}
		if c.value != "" && (res.Value == nil || plain(res) != c.value) {
			t.Errorf("%q: value %+v, want %s", c.code, res.Value, c.value)
		}
	}
	run(t, e, "const keep = 1")
	res, _ := run(t, e, "%reset\nkeep")
	if res.Err == nil || !strings.Contains(res.Err.Message, "undefined: keep") {
		t.Errorf("after %%reset: %+v, want keep undefined", res.Err)
	}
}

func TestFaults(t *testing.T) {
	e := newTestEngine(t)
	if res, _ := run(t, e, "import (\"fmt\"; \"sync\")\nfunc keep() int { return 7 }\nconst K = 3\nvar counter = 5\nlost := 1"); res.Err != nil {
		t.Fatal(res.Err)
	}
	cases := []struct {
		name, code, errName, errHas string
		interrupt                   bool
	}{
		{name: "goroutine panic", code: "go func() { panic(\"boom\") }()\nselect {}", errName: "panic", errHas: "panic: boom"},
		{name: "main panic", code: "panic(\"top\")", errName: "panic", errHas: "top"},
		{name: "endless loop", code: "for {}", errName: "Interrupted", interrupt: true},
		{name: "double lock", code: "import \"time\"\ngo func() { for { time.Sleep(time.Millisecond) } }()\nvar mu sync.Mutex\nmu.Lock()\nmu.Lock()", errName: "Interrupted", interrupt: true},
		{name: "deadlock on a lock", code: "var mu3 sync.Mutex\nmu3.Lock()\nmu3.Lock()", errName: "fatal error", errHas: "all goroutines are asleep - deadlock!"},
		{name: "deadlock on a channel", code: "ch := make(chan int)\nch <- 1", errName: "fatal error", errHas: "goroutine"},
		{name: "concurrent map writes", code: "m := map[int]int{}\nfor i := 0; i < 4; i++ { go func() { for j := 0; ; j++ { m[j%100] = j } }() }\nselect {}", errName: "fatal error", errHas: "concurrent map"},
		{name: "unlock unlocked", code: "var m2 sync.Mutex\nm2.Unlock()", errName: "fatal error", errHas: "unlock of unlocked mutex"},
		{name: "stack overflow", code: "func down(n int) int { return down(n+1) + 1 }\ndown(0)", errName: "fatal error", errHas: "stack overflow"},
		{name: "os.Exit", code: "import \"os\"\nos.Exit(3)", errName: "Exit", errHas: "os.Exit(3)"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if raceEnabled && c.name == "concurrent map writes" {
				t.Skip("the race detector reports the cell's race before Go's own check")
			}
			ctx := context.Background()
			if c.interrupt {
				var cancel context.CancelFunc
				ctx, cancel = context.WithTimeout(ctx, 300*time.Millisecond)
				defer cancel()
			}
			r := &recorder{}
			start := time.Now()
			res := e.Execute(ctx, Cell{Code: c.code}, r)
			took := time.Since(start)
			if res.Err == nil {
				t.Fatalf("no error; stdout %q", r.text("stdout"))
			}
			all := res.Err.Message + "\n" + strings.Join(res.Traceback(), "\n")
			if res.Err.Name != c.errName || !strings.Contains(all, c.errHas) {
				t.Errorf("error %s: %s, want %s containing %q\n%s", res.Err.Name, res.Err.Message, c.errName, c.errHas, all)
			}
			// Only an interrupt that never comes: bench/kernel.py
			// measures the latency.
			if c.interrupt && took > 10*time.Second {
				t.Errorf("interrupt took %v", took)
			}
			if strings.Contains(r.text("stderr"), "goroutine ") {
				t.Errorf("crash dump leaked into the cell's stderr: %q", r.text("stderr")[:200])
			}
			res, _ = run(t, e, "fmt.Sprint(keep(), K, counter)")
			if res.Err != nil || plain(res) != `"7 3 5"` {
				t.Errorf("after the fault: %v %+v, want definitions kept", plain(res), res.Err)
			}
		})
	}
}

func testSymbols() interp.Exports {
	syms := interp.Exports{}
	for k, v := range stdlib.Symbols {
		syms[k] = v
	}
	for k, v := range unrestricted.Symbols {
		m := map[string]reflect.Value{}
		for n, x := range syms[k] {
			m[n] = x
		}
		for n, x := range v {
			m[n] = x
		}
		syms[k] = m
	}
	return syms
}

// testLog shows the engine's diagnostics with -v.
func testLog() io.Writer {
	if testing.Verbose() {
		return os.Stderr
	}
	return io.Discard
}

func TestCellTypesShowThemselves(t *testing.T) {
	e := newTestEngine(t)
	cases := []struct {
		code     string
		mime     string
		want     string
		noResult bool
	}{
		{code: "type Badge struct{ N int }\nfunc (b Badge) HTML() string { return fmt.Sprintf(\"<b>%d</b>\", b.N) }\nBadge{7}",
			mime: "text/html", want: "<b>7</b>"},
		{code: "type Chart struct{}\nfunc (Chart) MIME() map[string]any { return map[string]any{\"image/svg+xml\": \"<svg/>\", \"text/plain\": \"chart\"} }\nChart{}",
			mime: "image/svg+xml", want: "<svg/>"},
		{code: "type Temp float64\nfunc (t Temp) String() string { return fmt.Sprintf(\"%.1f°C\", float64(t)) }\nTemp(21.5)",
			mime: "text/plain", want: "21.5°C"},
		{code: "import \"strconv\"\nstrconv.Atoi(\"42\")", mime: "text/plain", want: "42 <nil>"},
		{code: "b := Badge{1}\nb", mime: "text/html", want: "<b>1</b>"},
	}
	if res, _ := run(t, e, `import "fmt"`); res.Err != nil {
		t.Fatal(res.Err)
	}
	for _, c := range cases {
		res, _ := run(t, e, c.code)
		if res.Err != nil {
			t.Errorf("%q: %+v", c.code, res.Err)
			continue
		}
		if res.Value == nil || fmt.Sprint(res.Value.Data[c.mime]) != c.want {
			t.Errorf("%q: value %+v, want %s = %q", c.code, res.Value, c.mime, c.want)
		}
	}
}

// TestCrashLookalike: text on standard error that reads like the start of
// Go's crash dump is the cell's own when the worker lives on or ends with
// a plain exit. (Under -race it also covers the supervisor's reading of
// the worker's exit state while the process is being waited for.)
func TestCrashLookalike(t *testing.T) {
	e := newTestEngine(t)
	const lookalike = "import (\"fmt\"; \"os\")\nfmt.Fprintln(os.Stderr, \"panic: not really\")"
	cases := []struct {
		name, code string
		errName    string // "" for success
		errHas     string
	}{
		{name: "finishes normally", code: lookalike + "\nfmt.Println(\"done\")"},
		{name: "then os.Exit(0)", code: lookalike + "\nos.Exit(0)", errName: "Exit", errHas: "os.Exit(0)"},
		{name: "then os.Exit(1)", code: lookalike + "\nos.Exit(1)", errName: "Exit", errHas: "os.Exit(1)"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res, r := run(t, e, c.code)
			if got := r.text("stderr"); !strings.Contains(got, "panic: not really\n") {
				t.Errorf("stderr %q, want the cell's own line", got)
			}
			switch {
			case c.errName == "" && res.Err != nil:
				t.Errorf("error %s: %s, want none", res.Err.Name, res.Err.Message)
			case c.errName != "" && res.Err == nil:
				t.Errorf("no error, want %s", c.errName)
			case c.errName != "" && (res.Err.Name != c.errName || !strings.Contains(res.Err.Message, c.errHas)):
				t.Errorf("error %s: %s, want %s containing %q", res.Err.Name, res.Err.Message, c.errName, c.errHas)
			}
		})
	}
}

// TestFinalCallAfterTypes runs a cell as :load sends a file: types, funcs
// and a call of one without results at the end (the call was taken for a
// conversion of the cell's first type, and failed).
func TestFinalCallAfterTypes(t *testing.T) {
	e := newTestEngine(t)
	if res, _ := run(t, e, `import "fmt"`); res.Err != nil {
		t.Fatal(res.Err)
	}
	cases := []struct{ code, stdout, value string }{
		{code: "type R1 struct{ W, H float64 }\nfunc (r R1) Area() float64 { return r.W * r.H }\nfunc show() {\n\tfmt.Println(R1{2, 3}.Area())\n}\nshow()", stdout: "6\n", value: "<none>"},
		{code: "type R2 int\nfunc (R2) seven() {}\nfunc seven() int { return 7 }\nseven()", value: "7"},
	}
	for _, c := range cases {
		res, r := run(t, e, c.code)
		if res.Err != nil {
			t.Errorf("%q: %+v", c.code, res.Err)
			continue
		}
		if got := r.text("stdout"); got != c.stdout {
			t.Errorf("%q: stdout %q, want %q", c.code, got, c.stdout)
		}
		if plain(res) != c.value {
			t.Errorf("%q: value %s, want %s", c.code, plain(res), c.value)
		}
	}
}

// TestInitVariablesStayInTheirStatement checks that the variables of a
// top-level for, if or switch are not the session's afterwards.
func TestInitVariablesStayInTheirStatement(t *testing.T) {
	e := newTestEngine(t)
	if res, _ := run(t, e, "import (\"fmt\"; \"sync\")\nvar leakWG sync.WaitGroup"); res.Err != nil {
		t.Fatal(res.Err)
	}
	cases := []struct{ code, name, stdout string }{
		{code: "for leakI := 0; leakI < 3; leakI++ {\n}", name: "leakI"},
		{code: "for leakG := 0; leakG < 3; leakG++ {\n\tleakWG.Add(1)\n\tgo func() { defer leakWG.Done(); _ = leakG }()\n}\nleakWG.Wait()", name: "leakG"},
		{code: "if leakX := 1; leakX > 0 {\n\tfmt.Println(\"x\", leakX)\n}", name: "leakX", stdout: "x 1\n"},
		{code: "switch leakY := 2; leakY {\ncase 2:\n\tfmt.Println(\"y\")\n}", name: "leakY", stdout: "y\n"},
	}
	for _, c := range cases {
		res, r := run(t, e, c.code)
		if res.Err != nil {
			t.Errorf("%q: %+v", c.code, res.Err)
			continue
		}
		if got := r.text("stdout"); got != c.stdout {
			t.Errorf("%q: stdout %q, want %q", c.code, got, c.stdout)
		}
		if res, _ := run(t, e, c.name); res.Err == nil || !strings.Contains(res.Err.Message, "undefined: "+c.name) {
			t.Errorf("after %q, %s is %s (%+v), want undefined", c.code, c.name, plain(res), res.Err)
		}
	}
}

// TestStoppedCellRunsNothingMore stops cells sleeping (by an interrupt, or
// by a goroutine's panic) and checks that no statement after the stop
// runs: not the rest of a loop, not the line after the sleep, not a
// sleeping goroutine's next statement.
func TestStoppedCellRunsNothingMore(t *testing.T) {
	e := newLanesEngine(t)
	if res, _ := run(t, e, "import (\"fmt\"; \"lanes\"; \"time\")"); res.Err != nil {
		t.Fatal(res.Err)
	}
	cases := []struct {
		name, code string
		interrupt  bool // once stdout holds "start"
		errName    string
	}{
		{name: "tick loop", interrupt: true, errName: "Interrupted",
			code: "fmt.Println(\"start\")\nfor i := 0; i < 5; i++ {\n\ttime.Sleep(time.Hour)\n\tfmt.Println(\"tick\", i)\n}\nfmt.Println(\"after\")"},
		{name: "sleeping goroutine", interrupt: true, errName: "Interrupted",
			code: "go func() {\n\tfor {\n\t\ttime.Sleep(time.Hour)\n\t\tfmt.Println(\"goroutine after\")\n\t}\n}()\nfmt.Println(\"start\")\ntime.Sleep(time.Hour)\nfmt.Println(\"after\")"},
		{name: "goroutine panic", errName: "panic",
			code: "fmt.Println(\"start\")\ngo func() { panic(\"boom\") }()\ntime.Sleep(time.Hour)\nfmt.Println(\"after\")"},
		{name: "lanes.Sleep", interrupt: true, errName: "Interrupted",
			code: "fmt.Println(\"start\")\nfor i := 0; i < 5; i++ {\n\tlanes.Sleep(time.Hour)\n\tfmt.Println(\"tick\", i)\n}\nfmt.Println(\"after\")"},
		{name: "lanes.Work", interrupt: true, errName: "Interrupted",
			code: "fmt.Println(\"start\")\nlanes.Work(time.Hour)\nfmt.Println(\"after\")"},
		{name: "lanes.Work in a goroutine", interrupt: true, errName: "Interrupted",
			code: "go func() {\n\tlanes.Work(time.Hour)\n\tfmt.Println(\"goroutine after\")\n}()\nfmt.Println(\"start\")\nlanes.Sleep(time.Hour)\nfmt.Println(\"after\")"},
		{name: "goroutine panic during lanes.Sleep", errName: "panic",
			code: "fmt.Println(\"start\")\ngo func() { panic(\"boom\") }()\nlanes.Sleep(time.Hour)\nfmt.Println(\"after\")"},
		{name: "goroutine panic in a later chunk", errName: "panic",
			code: "fmt.Println(\"start\")\ngo func() { panic(\"boom\") }()\ntime.Sleep(time.Hour)\nfunc late() {}\nfmt.Println(\"after\")"},
	}
	for _, c := range cases {
		t.Run(strings.ReplaceAll(c.name, " ", "_"), func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			r := &recorder{}
			if c.interrupt {
				go func() {
					for !strings.Contains(r.text("stdout"), "start") {
						time.Sleep(time.Millisecond)
					}
					cancel()
				}()
			}
			res := e.Execute(ctx, Cell{Code: c.code}, r)
			if res.Err == nil || res.Err.Name != c.errName {
				t.Fatalf("error %+v, want %s", res.Err, c.errName)
			}
			// A later cell gives anything still running a chance to print.
			if res, _ := run(t, e, "time.Sleep(10 * time.Millisecond)"); res.Err != nil {
				t.Fatal(res.Err)
			}
			if got := r.text("stdout"); got != "start\n" {
				t.Errorf("stdout %q, want only the line before the stop", got)
			}
		})
	}
}

// TestNoReportOfFinishedGoroutines runs goroutines that a WaitGroup joins
// and checks that none is reported as still running when the cell ends:
// past wg.Done they are only returning.
func TestNoReportOfFinishedGoroutines(t *testing.T) {
	e := newTestEngine(t)
	if res, _ := run(t, e, "import \"sync\"\nfunc fib(n int) int {\n\tif n < 2 {\n\t\treturn n\n\t}\n\treturn fib(n-1) + fib(n-2)\n}"); res.Err != nil {
		t.Fatal(res.Err)
	}
	code := "var wg sync.WaitGroup\nwg.Add(2)\nfor range 2 {\n\tgo func() {\n\t\tdefer wg.Done()\n\t\tfib(15)\n\t}()\n}\nwg.Wait()"
	for i := range 10 {
		res, r := run(t, e, code)
		if res.Err != nil {
			t.Fatal(res.Err)
		}
		if strings.Contains(r.text("stderr"), "still running") {
			t.Fatalf("run %d: %q", i, r.text("stderr"))
		}
	}
}

// TestRecvOKOfStructChannel receives with the ok flag, at a cell's top
// level, from a channel of a cell's struct type that an earlier cell
// made: the interpreter failed on it ("nil type") until the session's
// prelude kept the channel's type (rewrite.DefinedTypes), from which the
// rewrite declares v and ok first.
func TestRecvOKOfStructChannel(t *testing.T) {
	e := newTestEngine(t)
	if res, _ := run(t, e, "import \"fmt\"\ntype R struct{ W, H float64 }\nch := make(chan R, 1)\nch <- R{3, 4}"); res.Err != nil {
		t.Fatal(res.Err)
	}
	res, r := run(t, e, "v, ok := <-ch\nfmt.Println(v, ok)")
	if res.Err != nil {
		t.Fatalf("%s\nstderr: %s", res.Err.Message, r.text("stderr"))
	}
	if got := r.text("stdout"); got != "{3 4} true\n" || strings.Contains(r.text("stderr"), "nil type") {
		t.Errorf("stdout %q, stderr %q; want {3 4} true", got, r.text("stderr"))
	}
}

// TestWorkerKilledBySystem kills the worker as the out-of-memory killer
// does, during a cell: the cell's error says so, and the session goes on
// in a fresh worker.
func TestWorkerKilledBySystem(t *testing.T) {
	e := newTestEngine(t)
	if res, _ := run(t, e, `import ("fmt"; "time")`); res.Err != nil {
		t.Fatal(res.Err)
	}
	pid := e.WorkerPID()
	started := &startSink{started: make(chan struct{})}
	done := make(chan Result, 1)
	go func() {
		done <- e.Execute(context.Background(), Cell{Code: "fmt.Println(\"running\")\ntime.Sleep(time.Minute)"}, started)
	}()
	<-started.started
	if err := syscall.Kill(pid, syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	res := <-done
	if res.Err == nil || res.Err.Name != "WorkerKilled" || !strings.Contains(res.Err.Message, "most likely the machine ran out of memory") || res.Restart == nil {
		t.Fatalf("got %+v, restart %+v", res.Err, res.Restart)
	}
	if res, _ := run(t, e, "1 + 1"); res.Err != nil {
		t.Errorf("after the kill: %v", res.Err)
	}
}

// startSink closes started at the cell's first output.
type startSink struct {
	recorder
	once    sync.Once
	started chan struct{}
}

func (s *startSink) Stream(name, text string) {
	s.recorder.Stream(name, text)
	s.once.Do(func() { close(s.started) })
}
