package engine

import (
	"context"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
)

// needGo skips a test without the Go toolchain, except under CI where a
// missing toolchain fails it.
func needGo(t *testing.T) {
	t.Helper()
	if _, err := exec.LookPath("go"); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("the go command is needed (CI is set):", err)
		}
		t.Skip("no go command:", err)
	}
}

// TestCompiledCells runs %%compile cells in a session: they use the
// declarations of interpreted cells, show displays in order, report build
// errors and races in the cell, and leave the session running.
func TestCompiledCells(t *testing.T) {
	needGo(t)
	e := newTestEngine(t)
	steps := []struct {
		name, code, stdout, stderr, display, errName, errHas string
	}{
		{name: "interpreted declarations", code: "import \"fmt\"\nfunc fib(n int) int {\n\tif n < 2 {\n\t\treturn n\n\t}\n\treturn fib(n-1) + fib(n-2)\n}\nx := 5"},
		{name: "compiled with goroutines", code: "%%compile\nimport \"sync\"\nvar wg sync.WaitGroup\nres := make([]int, 2)\nfor i := range 2 {\n\twg.Add(1)\n\tgo func() { defer wg.Done(); res[i] = fib(20 + i) }()\n}\nwg.Wait()\nfmt.Println(res)", stdout: "[6765 10946]\n"},
		{name: "a session variable", code: "%%compile\nfmt.Println(x)", errName: "CompileError", errHas: "x is a variable of the interpreted session"},
		{name: "build error", code: "%%compile\n\nfmt.Println(fib(\"a\"))", errName: "CompileError", errHas: "cell 4, line 3: cannot use \"a\""},
		{name: "display and final value", code: "%%compile\nimport \"lanes\"\nfmt.Println(\"before\")\nlanes.Display(lanes.Pool(2).Simulate(lanes.Identical(2, lanes.Compute(lanes.Unit)), lanes.Machine{Cores: 2}).Table())\nfib(10)", stdout: "before\n", display: "55"},
		{name: "race", code: "%%compile -race\nn := 0\ndone := make(chan bool)\ngo func() { n++; done <- true }()\nn++\n<-done", stderr: "cell 6:4", errName: "DataRace"},
		{name: "timed", code: "%time\n%%compile\nfmt.Println(fib(15))", stdout: "610\nbuild time: "},
		{name: "the session lives on", code: "fmt.Println(fib(x))", stdout: "5\n"},
	}
	for _, s := range steps {
		res, r := run(t, e, s.code)
		if s.errName == "" && res.Err != nil {
			t.Fatalf("%s: error %v\n%s", s.name, res.Err, r.text("stderr"))
		}
		if s.errName != "" && (res.Err == nil || res.Err.Name != s.errName || !strings.Contains(res.Err.Message, s.errHas)) {
			t.Fatalf("%s: error %+v, want %s with %q", s.name, res.Err, s.errName, s.errHas)
		}
		if s.name == "timed" {
			// build time: B, wall time: W, CPU time: C
			if out := r.text("stdout"); !strings.HasPrefix(out, s.stdout) || !strings.Contains(out, ", wall time: ") || !strings.Contains(out, ", CPU time: ") {
				t.Errorf("timed: stdout %q", out)
			}
		} else if s.stdout != "" && r.text("stdout") != s.stdout {
			t.Errorf("%s: stdout %q, want %q", s.name, r.text("stdout"), s.stdout)
		}
		if !strings.Contains(r.text("stderr"), s.stderr) {
			t.Errorf("%s: stderr %q, want %q in it", s.name, r.text("stderr"), s.stderr)
		}
		if s.display != "" {
			var kinds []string
			for _, ev := range r.events {
				k, _, _ := strings.Cut(ev, ":")
				kinds = append(kinds, k)
			}
			if strings.Join(kinds, " ") != "stdout display display" || !strings.HasSuffix(r.events[2], s.display) {
				t.Errorf("%s: events %q, want stdout, the table, then %s", s.name, r.events, s.display)
			}
		}
	}
}

// TestCompiledInterrupt interrupts a compiled cell: the program stops and
// the worker, with its session, stays.
func TestCompiledInterrupt(t *testing.T) {
	needGo(t)
	e := newTestEngine(t)
	if res, _ := run(t, e, "y := 7"); res.Err != nil {
		t.Fatal(res.Err)
	}
	pid := e.WorkerPID()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	sink := &readySink{recorder: &recorder{}, ready: make(chan struct{})}
	go func() {
		<-sink.ready // the program runs: interrupt it
		cancel()
	}()
	res := e.Execute(ctx, Cell{Code: "%%compile\nimport (\"fmt\"; \"time\")\nfmt.Println(\"ready\")\ntime.Sleep(time.Hour)\nfmt.Println(\"not reached\")"}, sink)
	if res.Err == nil || res.Err.Name != "Interrupted" {
		t.Fatalf("error %+v, want Interrupted", res.Err)
	}
	if strings.Contains(sink.text("stdout"), "not reached") {
		t.Error("the program went on")
	}
	if e.WorkerPID() != pid {
		t.Error("the worker was restarted")
	}
	if res, r := run(t, e, "fmt := 0\n_ = fmt\ny"); res.Err != nil || plain(res) != "7" {
		t.Errorf("after the interrupt: %v %v %s", res.Err, plain(res), r.text("stderr"))
	}
}

// readySink closes ready when "ready" is printed.
type readySink struct {
	*recorder
	once  sync.Once
	ready chan struct{}
}

func (s *readySink) Stream(name, text string) {
	s.recorder.Stream(name, text)
	if strings.Contains(text, "ready") {
		s.once.Do(func() { close(s.ready) })
	}
}

// TestCompiledAfterRestart crashes the worker: the fresh worker's compiled
// cells still know the replayed declarations and the session's variables.
func TestCompiledAfterRestart(t *testing.T) {
	needGo(t)
	e := newTestEngine(t)
	if res, _ := run(t, e, "import \"fmt\"\nfunc twice(n int) int { return 2 * n }\nkept := 4"); res.Err != nil {
		t.Fatal(res.Err)
	}
	pid := e.WorkerPID()
	if res, _ := run(t, e, "import \"os\"\nos.Exit(3)"); res.Err == nil || res.Restart == nil {
		t.Fatalf("os.Exit: %+v, want an error and a restart", res)
	}
	if e.WorkerPID() == pid {
		t.Fatal("the worker was not restarted")
	}
	if res, r := run(t, e, "%%compile\nfmt.Println(twice(21))"); res.Err != nil || r.text("stdout") != "42\n" {
		t.Errorf("compiled after the restart: %+v, stdout %q", res.Err, r.text("stdout"))
	}
	if res, _ := run(t, e, "%%compile\nfmt.Println(kept)"); res.Err == nil || !strings.Contains(res.Err.Message, "kept is a variable of the interpreted session") {
		t.Errorf("a replayed variable in a compiled cell: %+v", res.Err)
	}
}
