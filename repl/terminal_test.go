package repl

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestTerminalMultiLineFunc(t *testing.T) {
	t.Parallel()
	tm := newTerm(t)
	tm.start(nil)
	// Typed without indentation: the REPL indents the body and dedents
	// the closing brace.
	tm.line("func double(n int) int {")
	tm.wait("   ...:")
	tm.line("return n * 2")
	tm.line("}")
	tm.line("double(21)")
	s := tm.wait("Out[2]: 42")
	for _, want := range []string{
		"In [1]: func double(n int) int {",
		"   ...:     return n * 2",
		"   ...: }\n",
	} {
		if !strings.Contains(s, want) {
			t.Errorf("screen lacks %q:\n%s", want, s)
		}
	}
}

func TestTerminalCompletion(t *testing.T) {
	t.Parallel()
	tm := newTerm(t)
	tm.start(nil)
	tm.line(`import "strings"`)
	tm.wait("In [2]:")
	tm.typ("strings.ToUpp", "Tab")
	tm.wait("In [2]: strings.ToUpper")
	tm.line(`("lanes")`)
	tm.wait(`Out[2]: "LANES"`)
	// Two candidates: the second Tab lists them.
	tm.typ("strings.Spli", "Tab")
	tm.wait("strings.Split")
	tm.typ("", "Tab")
	s := tm.wait("SplitAfter")
	if !strings.Contains(s, "SplitN") {
		t.Errorf("candidates not listed:\n%s", s)
	}
}

func TestTerminalHistoryAcrossRuns(t *testing.T) {
	t.Parallel()
	tm := newTerm(t)
	tm.start(nil)
	tm.line("answer := 40 + 2")
	tm.line("func twice(n int) int {")
	tm.line("return 2 * n")
	tm.line("}")
	tm.wait("In [3]:")
	tm.typ("", "C-d")
	if st := tm.exited(); st != 0 {
		t.Fatalf("exit status %d after Ctrl-D", st)
	}
	tm.kill()

	data, err := os.ReadFile(filepath.Join(tm.home, "state", "lanes", "history"))
	if err != nil {
		t.Fatal(err)
	}
	if want := "answer := 40 + 2\nfunc twice(n int) int { return 2 * n }\n"; string(data) != want {
		t.Errorf("history file = %q, want %q", data, want)
	}

	tm.start(nil)
	tm.typ("", "Up")
	tm.wait("In [1]: func twice(n int) int { return 2 * n }")
	tm.typ("", "Up")
	tm.wait("In [1]: answer := 40 + 2")
	tm.typ("", "Enter")
	tm.line("answer")
	tm.wait("Out[2]: 42")
	// Ctrl-R searches.
	tm.typ("", "C-r")
	tm.typ("twi")
	tm.wait("twice(n int)")
	tm.typ("", "Enter")
	tm.line("twice(4)")
	tm.wait("Out[4]: 8")
}

func TestTerminalInterruptLoop(t *testing.T) {
	t.Parallel()
	tm := newTerm(t)
	tm.start(nil)
	tm.line("n := 0")
	tm.line("for { n++ }")
	tm.wait("In [2]: for { n++ }")
	tm.typ("", "C-c")
	tm.wait("Interrupted")
	tm.wait("In [3]:")
	tm.line("n > 0")
	tm.wait("Out[3]: true")
	tm.line("1 + 1")
	tm.wait("Out[4]: 2")
}

func TestTerminalCtrlCAtPromptAndCtrlD(t *testing.T) {
	t.Parallel()
	tm := newTerm(t)
	tm.start(nil)
	tm.typ("this is not Go")
	tm.typ("", "C-c")
	tm.typ("", "C-c")
	tm.wait("or :quit exits")
	tm.line("7 * 6")
	s := tm.wait("Out[1]: 42")
	if strings.Contains(s, "this is not Go7") {
		t.Errorf("Ctrl-C did not clear the line:\n%s", s)
	}
	// Ctrl-C in a continuation abandons the cell.
	tm.line("func broken() {")
	tm.typ("", "C-c")
	tm.line("3")
	tm.wait("Out[2]: 3")
	tm.typ("", "C-d")
	if st := tm.exited(); st != 0 {
		t.Fatalf("exit status %d", st)
	}
}

func TestTerminalGoroutinePanic(t *testing.T) {
	t.Parallel()
	tm := newTerm(t)
	tm.start(nil)
	tm.line(`import "time"`)
	tm.line("kept := 5")
	tm.wait("In [3]:")
	tm.line(`go func() { panic("boom") }(); time.Sleep(2 * time.Second)`)
	s := tm.wait("panic: boom")
	if strings.Contains(s, "worker was restarted") {
		t.Errorf("a goroutine panic restarted the worker:\n%s", s)
	}
	tm.wait("In [4]:")
	tm.line("time.Duration(kept)")
	tm.wait("Out[4]: 5ns") // the session kept its variables

	// A goroutine that panics after its cell has ended: the next cell
	// runs in a fresh worker, and the REPL says so.
	tm.line(`go func() { panic("later") }()`)
	tm.wait("In [6]:")
	tm.line("1 + 2")
	s = tm.wait("Out[6]: 3")
	// The goroutine panics during its own cell or after it: either the
	// panic is reported, or the next cell says the worker was replaced.
	if !strings.Contains(s, "panic: later") && !strings.Contains(s, "the worker had stopped since the last cell") {
		t.Errorf("the crash went unannounced:\n%s", s)
	}
}

func TestTerminalDisplayDrawn(t *testing.T) {
	t.Parallel()
	tm := newTerm(t)
	tm.start(nil)
	// A value whose text/plain form has several lines, as a timeline's
	// has: it is drawn under its Out label. Lines wider than the
	// terminal are cut, not wrapped.
	tm.line(`import ("errors"; "strings")`)
	tm.wait("In [2]:")
	tm.line(`errors.New("lane 0 |####    |\nlane 1 |  ######|\n" + strings.Repeat("=", 200))`)
	s := tm.wait("Out[2]:\nlane 0 |####    |\nlane 1 |  ######|\n")
	if !strings.Contains(s, strings.Repeat("=", 119)+"…") {
		t.Errorf("long line not fitted to 120 columns:\n%s", s)
	}

	// A real timeline from the runtime, drawn in the terminal.
	tm.line(`import "lanes"`)
	tm.wait("In [4]:")
	tm.line(`lanes.Pool(2).Simulate(lanes.Identical(4, lanes.Compute(10*lanes.Unit)), lanes.Machine{Cores: 2}).Timeline()`)
	s = tm.wait("worker 2")
	for _, want := range []string{"Out[4]:", "worker 1", "█", "compute", "units"} {
		if !strings.Contains(s, want) {
			t.Errorf("timeline lacks %q:\n%s", want, s)
		}
	}
}

func TestTerminalInput(t *testing.T) {
	t.Parallel()
	tm := newTerm(t)
	tm.start(nil)
	tm.line(`import "fmt"`)
	tm.line(`var name string`)
	tm.line(`fmt.Print("name? "); fmt.Scanln(&name); "hello " + name`)
	tm.wait("name? ")
	tm.line("gopher")
	s := tm.wait(`Out[3]: "hello gopher"`)
	if !strings.Contains(s, "\nname? gopher\n") {
		t.Errorf("the cell's prompt and the answer are not on one line:\n%s", s)
	}
}

func TestTerminalErrorHighlight(t *testing.T) {
	t.Parallel()
	tm := newTerm(t)
	tm.start(nil)
	tm.line("x := 1")
	tm.line("func g() int {")
	tm.line("return nope")
	tm.line("}")
	s := tm.wait("undefined: nope")
	if !strings.Contains(s, "line 2 │     return nope") {
		t.Errorf("failing line not shown:\n%s", s)
	}
	colored := tm.run("capture-pane", "-p", "-e", "-t", "lanes")
	if !strings.Contains(colored, "\x1b[1m\x1b[33mcell 2, line 2") && !strings.Contains(colored, "\x1b[1;33mcell 2, line 2") {
		t.Errorf("position not highlighted:\n%q", colored)
	}

	// NO_COLOR turns colour off.
	tm.kill()
	tm.start([]string{"NO_COLOR=1"})
	tm.line("nope")
	tm.wait("undefined: nope")
	if plain := tm.run("capture-pane", "-p", "-e", "-t", "lanes"); strings.Contains(plain, "\x1b[") {
		t.Errorf("colour with NO_COLOR set:\n%q", plain)
	}
}

func TestTerminalLesson(t *testing.T) {
	t.Parallel()
	tm := newTerm(t)
	dir, err := filepath.Abs("testdata/lessons")
	if err != nil {
		t.Fatal(err)
	}
	tm.start(nil, "repl", "-lessons", dir)
	tm.line(":lesson")
	tm.wait("  intro")
	tm.line(":lesson intro")
	s := tm.wait("run · s skip")
	for _, want := range []string{"Two lanes", "Goroutines run side by side.", "In [1]: lanes := 2\n   ...: lanes * 21"} {
		if !strings.Contains(s, want) {
			t.Errorf("screen lacks %q:\n%s", want, s)
		}
	}
	tm.typ("", "Enter")
	tm.wait("Out[1]: 42")
	tm.line("s")
	tm.wait("(skipped)")
	tm.wait("That is all.")
	tm.typ("", "Enter")
	tm.wait("Out[2]: 3")
	tm.wait("end of lesson intro")
	tm.line("lanes")
	tm.wait("Out[3]: 2")
}
