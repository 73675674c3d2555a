package compiled

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lanes-dev/lanes/display"
)

// needGo skips a test without the Go toolchain, except under CI where a
// missing toolchain fails it.
func needGo(t testing.TB) {
	t.Helper()
	if _, err := exec.LookPath("go"); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("the go command is needed (CI is set):", err)
		}
		t.Skip("no go command:", err)
	}
}

// recorder collects what a program sends, in order.
type recorder struct {
	mu     sync.Mutex
	events []string // "out:...", "err:...", "display:<text/plain>", "clear"
	mimes  []map[string]any
}

type streamW struct {
	r    *recorder
	name string
}

func (w streamW) Write(p []byte) (int, error) {
	w.r.mu.Lock()
	defer w.r.mu.Unlock()
	if n := len(w.r.events); n > 0 && strings.HasPrefix(w.r.events[n-1], w.name+":") {
		w.r.events[n-1] += string(p)
	} else {
		w.r.events = append(w.r.events, w.name+":"+string(p))
	}
	return len(p), nil
}

func (r *recorder) Publish(b display.Bundle, id string, update bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	t, _ := b.Data["text/plain"].(string)
	r.events = append(r.events, "display:"+t)
	r.mimes = append(r.mimes, b.Data)
}

func (r *recorder) Clear(wait bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.events = append(r.events, "clear")
}

func (r *recorder) sinks() Sinks {
	return Sinks{Stdout: streamW{r, "out"}, Stderr: streamW{r, "err"}, Display: r}
}

func (r *recorder) text(stream string) string {
	r.mu.Lock()
	defer r.mu.Unlock()
	var b strings.Builder
	for _, e := range r.events {
		if s, ok := strings.CutPrefix(e, stream+":"); ok {
			b.WriteString(s)
		}
	}
	return b.String()
}

var (
	sessionOnce sync.Once
	shared      *Session
	sharedErr   error
)

// session is one Session for the package's tests, as a notebook has one:
// the module is written and the build cache warmed once.
func session(t testing.TB) *Session {
	t.Helper()
	needGo(t)
	sessionOnce.Do(func() { shared, sharedErr = New(Options{}) })
	if sharedErr != nil {
		t.Fatal(sharedErr)
	}
	return shared
}

func TestMain(m *testing.M) {
	code := m.Run()
	if shared != nil {
		shared.Close()
	}
	os.Exit(code)
}

func TestRun(t *testing.T) {
	s := session(t)
	tests := []struct {
		name   string
		cell   Cell
		stdout string // exact standard output
		stderr string // in standard error
		errIs  string // in the error, "" for none
	}{
		{
			name:   "whole program",
			cell:   Cell{Number: 1, Source: "package main\n\nimport \"fmt\"\n\nfunc main() {\n\tfmt.Println(\"hello from main\")\n}\n"},
			stdout: "hello from main\n",
		},
		{
			name:   "whole program importing lanes",
			cell:   Cell{Number: 1, Source: "package main\n\nimport (\n\t\"fmt\"\n\tl \"lanes\"\n)\n\nfunc main() {\n\tfmt.Println(l.Unit)\n}\n"},
			stdout: "1ms\n",
		},
		{
			name: "statements with the session's declarations",
			cell: Cell{Number: 4, Source: "fmt.Println(double(21), greeting, strings.ToUpper(\"x\"))\n",
				Decls: []Decl{
					{Cell: 1, Src: "import \"fmt\"\nimport \"strings\""},
					{Cell: 2, Src: "\nfunc double(n int) int { return twice * n }\nconst twice = 2"},
					{Cell: 3, Src: "const greeting = \"hi\"\nfunc unused() { notDefinedAnywhere() }"},
				}},
			stdout: "42 hi X\n",
		},
		{
			name: "a package only a session func uses is imported by its file alone",
			cell: Cell{Number: 3, Source: "f()\nfmt.Println(\"ok\")",
				Decls: []Decl{
					{Cell: 1, Src: "import (\n\t\"fmt\"\n\t\"sync\"\n)"},
					{Cell: 2, Src: "func f() { var wg sync.WaitGroup; wg.Wait() }"},
				}},
			stdout: "ok\n",
		},
		{
			name: "a later declaration wins",
			cell: Cell{Number: 3, Source: "import \"fmt\"\nfmt.Println(f())",
				Decls: []Decl{{Cell: 1, Src: "func f() int { return 1 }"}, {Cell: 2, Src: "func f() int { return 2 }"}}},
			stdout: "2\n",
		},
		{
			name: "methods come with their type",
			cell: Cell{Number: 3, Source: "import \"fmt\"\nvar c counter\nc.inc()\nfmt.Println(c.n)",
				Decls: []Decl{{Cell: 1, Src: "type counter struct{ n int }"}, {Cell: 2, Src: "func (c *counter) inc() { c.n++ }"}}},
			stdout: "1\n",
		},
		{
			name: "a method defined again replaces the first",
			cell: Cell{Number: 4, Source: "import \"fmt\"\nfmt.Println(t{}.m())",
				Decls: []Decl{{Cell: 1, Src: "type t struct{}"}, {Cell: 2, Src: "func (t) m() int { return 1 }"}, {Cell: 3, Src: "func (t) m() int { return 2 }"}}},
			stdout: "2\n",
		},
		{
			name:   "declarations and statements in one cell",
			cell:   Cell{Number: 2, Source: "import \"fmt\"\n\nvar total int\n\nfunc add(n int) { total += n }\n\nadd(2)\nadd(3)\nfmt.Println(total)\n"},
			stdout: "5\n",
		},
		{
			name:   "the final value is shown",
			cell:   Cell{Number: 2, Source: "x := 6\nx * 7"},
			stdout: "42\n", // no display sink's bundles here: see TestDisplays
		},
		{
			name:   "a final call without a value is run",
			cell:   Cell{Number: 2, Source: "import \"os\"\nfunc hello() { os.Stdout.WriteString(\"hello\\n\") }\nhello()"},
			stdout: "hello\n",
		},
		{
			name:  "build error, cell-relative",
			cell:  Cell{Number: 7, Source: "import \"fmt\"\n\nx := 1\nfmt.Println(y)\n"},
			errIs: "cell 7, line 4: undefined: y",
		},
		{
			name:  "a session variable is named",
			cell:  Cell{Number: 3, Source: "import \"fmt\"\nfmt.Println(counter)", Vars: []string{"counter"}},
			errIs: "counter is a variable of the interpreted session",
		},
		{
			name:  "an error in a session declaration names its cell",
			cell:  Cell{Number: 3, Source: "f()", Decls: []Decl{{Cell: 1, Src: "\n\nfunc f() { g() }"}}},
			errIs: "cell 1, line 3: undefined: g",
		},
		{
			name:   "panic positions are the cell's",
			cell:   Cell{Number: 5, Source: "var s []int\n_ = s\n\nprintln(s[3])\n"},
			stderr: "cell 5:4",
			errIs:  "exit status 2",
		},
		{
			name:  "a whole program must be package main",
			cell:  Cell{Number: 1, Source: "package foo\nfunc main() {}"},
			errIs: "cell 1, line 1: a compiled program must be package main",
		},
		{
			name:  "output flag refused",
			cell:  Cell{Number: 1, Source: "println(1)", Flags: []string{"-o", "/tmp/x"}},
			errIs: "cannot be used",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var r recorder
			sinks := r.sinks()
			sinks.Display = nil
			_, err := s.Run(context.Background(), tc.cell, sinks)
			if tc.errIs == "" && err != nil {
				t.Fatalf("error: %v\nstderr: %s", err, r.text("err"))
			}
			if tc.errIs != "" && (err == nil || !strings.Contains(err.Error(), tc.errIs)) {
				t.Fatalf("error %v, want one with %q", err, tc.errIs)
			}
			if tc.errIs == "" || tc.stdout != "" {
				if got := r.text("out"); got != tc.stdout {
					t.Errorf("stdout %q, want %q", got, tc.stdout)
				}
			}
			if got := r.text("err"); !strings.Contains(got, tc.stderr) {
				t.Errorf("stderr %q, want %q in it", got, tc.stderr)
			}
		})
	}
}

// TestDisplays checks that displays arrive as bundles, between the text
// printed before and after them.
func TestDisplays(t *testing.T) {
	s := session(t)
	var r recorder
	src := `import (
	"fmt"
	"lanes"
)

fmt.Println("before")
w := lanes.Identical(4, lanes.Compute(10*lanes.Unit))
lanes.Display(lanes.Pool(2).Simulate(w, lanes.Machine{Cores: 2}))
fmt.Println("after")
lanes.Sequential().Simulate(w, lanes.Machine{Cores: 1}).Table()
`
	if _, err := s.Run(context.Background(), Cell{Number: 1, Source: src}, r.sinks()); err != nil {
		t.Fatal(err, r.text("err"))
	}
	var kinds []string
	for _, e := range r.events {
		k, _, _ := strings.Cut(e, ":")
		kinds = append(kinds, k)
	}
	if got := strings.Join(kinds, " "); got != "out display out display" {
		t.Fatalf("events %q, want out display out display", r.events)
	}
	if r.events[0] != "out:before\n" || r.events[2] != "out:after\n" {
		t.Errorf("text %q", r.events)
	}
	if _, ok := r.mimes[0]["application/vnd.vegalite.v5+json"]; !ok {
		t.Errorf("the timeline has no Vega-Lite form: %v", keys(r.mimes[0]))
	}
	if _, ok := r.mimes[1]["text/html"]; !ok {
		t.Errorf("the final table has no HTML form: %v", keys(r.mimes[1]))
	}
}

func keys(m map[string]any) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	return ks
}

// TestOffline builds `import "lanes"` in a new session with every proxy
// pointing nowhere: the toolchain runs with GOPROXY=off and
// GOFLAGS=-mod=mod as always, and loads the module graph (golang.org/x/exp
// for the runtime) from the module cache at every build.
func TestOffline(t *testing.T) {
	needGo(t)
	t.Setenv("GOPROXY", "https://127.0.0.1:1") // overridden: any fetch would fail anyway
	t.Setenv("HTTPS_PROXY", "http://127.0.0.1:1")
	t.Setenv("HTTP_PROXY", "http://127.0.0.1:1")
	s, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var r recorder
	src := "import \"lanes\"\nimport \"fmt\"\nfmt.Println(lanes.Pool(2).Simulate(lanes.Identical(4, lanes.Compute(10*lanes.Unit)), lanes.Machine{Cores: 2}).Wall)"
	if _, err := s.Run(context.Background(), Cell{Number: 1, Source: src}, r.sinks()); err != nil {
		t.Fatal(err)
	}
	if got := r.text("out"); got != "20ms\n" {
		t.Errorf("stdout %q, want 20ms", got)
	}
}

// TestRace runs a racy cell with -race: the report names the cell's lines,
// and the cell fails with the race detector's status.
func TestRace(t *testing.T) {
	s := session(t)
	src := `import "fmt"

n := 0
done := make(chan bool)
go func() { n++; done <- true }()
n++
<-done
fmt.Println(n)
`
	var r recorder
	_, err := s.Run(context.Background(), Cell{Number: 3, Source: src, Flags: []string{"-race"}}, r.sinks())
	var ee *ExitError
	if !errors.As(err, &ee) || !ee.Race {
		t.Fatalf("error %v, want the race detector's exit", err)
	}
	report := r.text("err")
	for _, want := range []string{"WARNING: DATA RACE", "cell 3:5", "cell 3:6"} {
		if !strings.Contains(report, want) {
			t.Errorf("race report without %q:\n%s", want, report)
		}
	}
	if r.text("out") != "2\n" {
		t.Errorf("stdout %q: the program should run to its end", r.text("out"))
	}
}

// TestInterrupt interrupts a sleeping program and one that ignores SIGINT.
func TestInterrupt(t *testing.T) {
	s := session(t)
	tests := []struct{ name, src string }{
		{"cooperative", "import (\"fmt\"; \"time\")\nfmt.Println(\"ready\")\ntime.Sleep(time.Hour)\nfmt.Println(\"not reached\")"},
		{"ignoring SIGINT", "import (\"fmt\"; \"os\"; \"os/signal\"; \"time\")\nsignal.Ignore(os.Interrupt)\nfmt.Println(\"ready\")\ntime.Sleep(time.Hour)\nfmt.Println(\"not reached\")"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			ready := make(chan struct{})
			var once sync.Once
			out := &watchW{want: "ready", found: func() { once.Do(func() { close(ready) }) }}
			errc := make(chan error, 1)
			go func() { _, err := s.Run(ctx, Cell{Number: 1, Source: tc.src}, Sinks{Stdout: out}); errc <- err }()
			select {
			case <-ready:
			case err := <-errc:
				t.Fatalf("ended before ready: %v", err)
			}
			cancel()
			err := <-errc
			if !errors.Is(err, context.Canceled) {
				t.Fatalf("error %v, want context.Canceled", err)
			}
			if strings.Contains(out.String(), "not reached") {
				t.Error("the program went on after the interrupt")
			}
		})
	}
}

// watchW calls found when what was written contains want.
type watchW struct {
	mu    sync.Mutex
	buf   bytes.Buffer
	want  string
	found func()
}

func (w *watchW) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.buf.Write(p)
	if strings.Contains(w.buf.String(), w.want) {
		w.found()
	}
	return len(p), nil
}

func (w *watchW) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.buf.String()
}

func TestNoToolchain(t *testing.T) {
	t.Setenv("PATH", t.TempDir())
	if _, err := New(Options{}); !errors.Is(err, ErrNoToolchain) || strings.Contains(err.Error(), "\n") {
		t.Fatalf("error %v, want ErrNoToolchain on one line", err)
	}
}

// TestOrphansRemoved checks that New removes the module of a process that
// is gone and keeps those of live ones.
func TestOrphansRemoved(t *testing.T) {
	needGo(t)
	t.Setenv("TMPDIR", t.TempDir())
	dead := filepath.Join(os.TempDir(), dirPrefix+"99999999-x") // above any pid_max
	live := filepath.Join(os.TempDir(), dirPrefix+strconv.Itoa(os.Getppid())+"-x")
	for _, d := range []string{dead, live} {
		if err := os.Mkdir(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	s, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := os.Stat(dead); !os.IsNotExist(err) {
		t.Error("the module of a dead process is still there")
	}
	if _, err := os.Stat(live); err != nil {
		t.Error("the module of a live process was removed:", err)
	}
}

// TestStats checks the costs Run reports: a build only the first time, and
// a program's CPU time that the machine can have given it.
func TestStats(t *testing.T) {
	s := session(t)
	// A source of its own per run: built programs outlive a session (go
	// test -count=N would find this one built).
	c := Cell{Number: 1, Source: fmt.Sprintf("import \"fmt\"\nx := 0\nfor i := range 3_000_000 {\n\tx += i %% 7\n}\nfmt.Println(x > 0, \"stats %d\")", time.Now().UnixNano())}
	first, err := s.Run(context.Background(), c, Sinks{})
	if err != nil {
		t.Fatal(err)
	}
	again, err := s.Run(context.Background(), c, Sinks{})
	if err != nil {
		t.Fatal(err)
	}
	if first.Build == 0 || again.Build != 0 {
		t.Errorf("build times %v then %v: want a build, then the program reused", first.Build, again.Build)
	}
	for _, st := range []Stats{first, again} {
		if st.Wall <= 0 || st.CPU < 0 || st.CPU > st.Wall*time.Duration(runtime.NumCPU()) {
			t.Errorf("wall %v, CPU %v: impossible on %d CPUs", st.Wall, st.CPU, runtime.NumCPU())
		}
	}
}
