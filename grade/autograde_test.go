package grade

import (
	"context"
	"encoding/json"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/lanes-dev/lanes/engine"
	"github.com/lanes-dev/lanes/grade/sandbox"
	"github.com/lanes-dev/lanes/notebook"
)

func testOptions() Options {
	return Options{
		Workers:        2,
		CellTimeout:    3 * time.Second,
		WorkerCommand:  workerCmd(),
		InterruptGrace: 500 * time.Millisecond,
		Limits:         sandbox.Limits{Memory: 512 << 20, Goroutines: 5000},
	}
}

// TestAutogradeCourse grades the crafted submissions of lesson 8: every
// one gets a row with its reason and the batch finishes.
func TestAutogradeCourse(t *testing.T) {
	src, err := ReadSource("testdata/course/08-race-conditions.ipynb")
	if err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob("testdata/submissions/*/*.ipynb")
	cases := map[string]struct {
		score  float64
		status string
		reason string // in Result.Reason
		note   string // in a note
	}{
		"solved":          {3, Graded, "", ""},
		"blank":           {0, Graded, "not implemented", ""},
		"invalid-json":    {0, Broken, "invalid JSON at line", ""},
		"renamed":         {3, Graded, "", "named my-race-conditions.ipynb"},
		"deleted-cells":   {2, Graded, "l08-ex2-test", "answer cell l08-ex2-answer was deleted"},
		"reordered":       {3, Graded, "", "reordered"},
		"changed-types":   {3, Graded, "", "l08-ex1-test was changed to markdown: restored"},
		"endless-loop":    {2, Graded, "did not finish within 6s", ""},
		"deadlock":        {2, Graded, "deadlock", ""},
		"goroutine-flood": {2, Graded, "goroutine limit of 5000 exceeded", ""},
		"huge-allocation": {2, Graded, "out of memory", ""},
		"os-exit":         {2, Graded, `import "os" is not allowed`, ""},
		"goroutine-panic": {2, Graded, "l08-ex2-test", ""},
		"huge-output":     {3, Graded, "", "output truncated"},
		"tampered-test":   {2, Graded, "want 1600", "l08-ex1-test was edited: restored"},
		"escape":          {0, Graded, `import "os" is not allowed`, `import "net" is not allowed: the network`},
		"escape-file":     {2, Graded, "SaveChromeTrace is not available", ""},
		"shadowed-lanes":  {2, Graded, "lanes may only be used as the package", ""},
		// Each of these scored points it had not earned, or named a
		// follow-on error as the reason.
		"added-graded":             {3, Graded, "", `added graded code cell "bonus" (submission cell 28, 100.0 points) was kept and not scored`},
		"goexit":                   {2, Graded, "l08-ex1-test: IncompleteTest: the test did not run to its end", ""},
		"shadowed-builtins":        {2, Graded, "len is one of Go's predeclared names", ""},
		"unimported-os":            {2, Graded, "undefined: os", ""},
		"crash-then-lost-variable": {2, Graded, "l08-ex1-test: fatal error: out of memory", "were run again in a fresh worker"},
		"hostile-markdown":         {3, Graded, "", "an added markdown cell"},
		"runaway-answer":           {2, Graded, "l08-ex1-test: could not run: cell 11 (l08-ex1-answer) did not finish within 6s", ""},
	}
	if len(files) != len(cases) {
		t.Fatalf("%d submissions in testdata, %d cases", len(files), len(cases))
	}
	opts := testOptions()
	opts.CellTimeout = 6 * time.Second // 100 MB of output takes a few seconds under -race
	var progress int
	opts.Progress = func(done, total int, r *Result) { progress = done }
	start := time.Now()
	results := Autograde(context.Background(), src, files, opts)
	t.Logf("%d submissions in %v", len(results), time.Since(start))
	if progress != len(files) {
		t.Errorf("progress reached %d of %d", progress, len(files))
	}
	for _, r := range results {
		want, ok := cases[r.Student]
		if !ok {
			t.Errorf("unexpected student %q", r.Student)
			continue
		}
		notes := strings.Join(r.Notes, "\n")
		if raceEnabled && r.Student == "huge-output" {
			// Relaying 100 MB through a race-instrumented supervisor
			// can outlast the cell's time limit; only the note is sure.
			want.score, want.reason = r.Score, ""
		}
		if r.Score != want.score || r.Status != want.status || !strings.Contains(r.Reason, want.reason) || !strings.Contains(notes, want.note) {
			t.Errorf("%s: score %v status %s reason %q notes %q;\nwant %v %s reason with %q, a note with %q",
				r.Student, r.Score, r.Status, r.Reason, notes, want.score, want.status, want.reason, want.note)
		}
		if r.Status == Graded && len(r.Cells) != 3 {
			t.Errorf("%s: %d graded cells", r.Student, len(r.Cells))
		}
	}
	if _, err := os.Stat("escape.txt"); err == nil {
		t.Error("a submission wrote escape.txt")
	}

	dir := t.TempDir()
	rep, err := WriteResults(dir, src, results)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"grades.csv", "grades.json", "feedback/solved.html", "feedback/invalid-json.html", "autograded/solved/08-race-conditions.ipynb"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Error(err)
		}
	}
	html, _ := os.ReadFile(filepath.Join(dir, "feedback/tampered-test.html"))
	for _, want := range []string{"data:image/png;base64,", "safeCount(8, 200): got 0, want 1600", "Score: 2 / 3"} {
		if !strings.Contains(string(html), want) {
			t.Errorf("feedback lacks %q", want)
		}
	}
	if strings.Contains(string(html), "safeCount(50, 20)") || strings.Contains(string(html), "<script") {
		t.Error("feedback reveals a hidden test or has a script")
	}
	// Markdown is rendered (tables, lists), a submission's HTML, scripts,
	// dangerous links and remote images are not.
	hostile, _ := os.ReadFile(filepath.Join(dir, "feedback/hostile-markdown.html"))
	for _, want := range []string{"<h3>My notes</h3>", "<td><strong>two</strong> steps</td>", "<li>second</li>", "[image: tracker]", "Content-Security-Policy"} {
		if !strings.Contains(string(hostile), want) {
			t.Errorf("hostile-markdown feedback lacks %q", want)
		}
	}
	for _, bad := range []string{"<script", "onerror", "javascript:", "evil.example", "<img src=x"} {
		if strings.Contains(string(hostile), bad) {
			t.Errorf("hostile-markdown feedback has %q", bad)
		}
	}
	csv, _ := os.ReadFile(filepath.Join(dir, "grades.csv"))
	if lines := strings.Count(string(csv), "\n"); lines != len(files)+1 {
		t.Errorf("grades.csv has %d lines", lines)
	}
	if s := rep.Summary(); !strings.Contains(s, "1 could not be graded") || !strings.Contains(s, "invalid-json: not a notebook") {
		t.Errorf("summary: %s", s)
	}
}

// TestAutogradeLesson12 grades the instructor's own notebook (full marks)
// and the released one (zero where answers are missing) of a second
// lesson.
func TestAutogradeLesson12(t *testing.T) {
	const file = "testdata/course/12-choosing.ipynb"
	src, err := ReadSource(file)
	if err != nil {
		t.Fatal(err)
	}
	nb, err := notebook.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if err := Release(nb); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for _, who := range []string{"instructor", "student"} {
		os.MkdirAll(filepath.Join(dir, who), 0o755)
	}
	data, _ := os.ReadFile(file)
	os.WriteFile(filepath.Join(dir, "instructor", "12-choosing.ipynb"), data, 0o644)
	nb.WriteFile(filepath.Join(dir, "student", "12-choosing.ipynb"))
	results := Autograde(context.Background(), src, []string{
		filepath.Join(dir, "instructor", "12-choosing.ipynb"),
		filepath.Join(dir, "student", "12-choosing.ipynb"),
	}, testOptions())
	if r := results[0]; r.Student != "instructor" || r.Score != src.Max || src.Max != 10 || len(r.Notes) != 0 {
		t.Errorf("instructor: %v of %v (%s), notes %q", r.Score, src.Max, r.Reason, r.Notes)
	}
	if r := results[1]; r.Student != "student" || r.Score != 0 {
		t.Errorf("released: %v of %v", r.Score, r.Max)
	}
	for _, g := range results[1].Cells {
		if g.Status != Failed || !strings.Contains(g.Reason, "not implemented") && !strings.Contains(g.Reason, "check failed") {
			t.Errorf("released %s: %s %q", g.GradeID, g.Status, g.Reason)
		}
	}
}

// TestSandboxEscape runs escape attempts straight in a grading worker,
// past the grader's static check: files, processes and the network are
// out of reach.
func TestSandboxEscape(t *testing.T) {
	dir := t.TempDir()
	target := filepath.Join(dir, "escaped")
	eng, err := engine.New(engine.Options{Command: workerCmd(), Env: sandbox.Limits{}.Env()})
	if err != nil {
		t.Fatal(err)
	}
	defer eng.Close()
	cases := []struct{ name, code, err string }{
		{"file write", "import \"os\"\nos.WriteFile(\"" + target + "\", nil, 0o644)", `import "os" error`},
		{"file write unimported", "os.WriteFile(\"" + target + "\", nil, 0o644)", "undefined: os"},
		{"process", "import \"os/exec\"\nexec.Command(\"touch\", \"" + target + "\").Run()", `import "os/exec" error`},
		{"syscall", "import \"syscall\"\nsyscall.Exit(1)", `import "syscall" error`},
		{"network", "import \"net\"\nnet.Dial(\"tcp\", \"127.0.0.1:9\")", `import "net" error`},
		{"unsafe", "import \"unsafe\"\nunsafe.Sizeof(1)", `import "unsafe" error`},
		{"reflect", "import \"reflect\"\nreflect.TypeOf(1)", `import "reflect" error`},
		{"source from disk", `import "./evil"`, `import "./evil" error`},
		{"debug", "import \"runtime/debug\"\ndebug.SetMemoryLimit(1 << 40)", `import "runtime/debug" error`},
		{"breakpoint", "import \"runtime\"\nruntime.Breakpoint()", "has no symbol Breakpoint"},
		{"compiled cell", "%%compile\nprintln(1)", "compiled cells (%%compile) are not allowed here"},
		{"allowed", "import (\"fmt\"; \"runtime\"; \"lanes\")\nfmt.Println(runtime.NumCPU() > 0, lanes.Unit)", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			res := eng.Execute(ctx, engine.Cell{Code: c.code}, discard{})
			switch {
			case c.err == "" && res.Err != nil:
				t.Errorf("failed: %v", res.Err)
			case c.err != "" && (res.Err == nil || !strings.Contains(res.Err.Message, c.err)):
				t.Errorf("got %v, want an error with %q", res.Err, c.err)
			}
		})
	}
	if _, err := os.Stat(target); err == nil {
		t.Error("a cell wrote", target)
	}
}

// TestCompiledCellsAllowed runs a compiled cell in a grading worker of an
// assignment that allows them, and reads the notebook metadata that does.
func TestCompiledCellsAllowed(t *testing.T) {
	if _, err := exec.LookPath("go"); err != nil && os.Getenv("CI") == "" {
		t.Skip("no go command:", err)
	}
	for _, c := range []struct {
		meta string
		want bool
	}{{`{}`, false}, {`{"lanes": {"compile": false}}`, false}, {`{"lanes": {"compile": true}}`, true}} {
		nb := notebook.New()
		nb.Metadata = json.RawMessage(c.meta)
		if got := AllowsCompile(nb); got != c.want {
			t.Errorf("AllowsCompile(%s) = %v", c.meta, got)
		}
	}
	eng, err := engine.New(engine.Options{Command: workerCmd(), Env: sandbox.Limits{Compile: true}.Env()})
	if err != nil {
		t.Fatal(err)
	}
	defer eng.Close()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	var out strings.Builder
	res := eng.Execute(ctx, engine.Cell{Code: "%%compile\nimport \"fmt\"\nfmt.Println(6 * 7)"}, textSink{&out})
	if res.Err != nil || out.String() != "42\n" {
		t.Fatalf("compiled cell: %v, output %q", res.Err, out.String())
	}
}

// textSink keeps a cell's standard output.
type textSink struct{ w *strings.Builder }

func (s textSink) Stream(name, text string) {
	if name == "stdout" {
		s.w.WriteString(text)
	}
}
func (textSink) Display(b displayBundle, id string, up bool) {}
func (textSink) ClearOutput(bool)                            {}
func (textSink) Input(string, bool) (string, error)          { return "", os.ErrClosed }

type discard struct{}

func (discard) Stream(string, string)                       {}
func (discard) Display(b displayBundle, id string, up bool) {}
func (discard) ClearOutput(bool)                            {}
func (discard) Input(string, bool) (string, error)          { return "", os.ErrClosed }

// TestOSLayer gets past the allow-list on purpose (a worker that keeps the
// whole standard library, through the test-only hook) and is still
// stopped by the kernel: no file written, no program run, no TCP
// connection. (Signals to the supervisor are refused by the symbol
// tables first; the kernel's scope for them is proven in kernel mode, by
// test_faults.Supervisor, where a cell may run kill(1).)
func TestOSLayer(t *testing.T) {
	if layer := sandbox.OSLayer(false); !strings.HasPrefix(layer, "sandbox: Landlock ABI") || strings.Contains(layer, "ABI 1:") ||
		strings.Contains(layer, "ABI 2:") || strings.Contains(layer, "ABI 3:") {
		t.Skipf("this kernel cannot hold a grading worker: %s", layer)
	}
	dir := t.TempDir()
	target := filepath.Join(dir, "escaped")
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	env := append(sandbox.Limits{}.Env(), sandbox.EnvTestUnfiltered+"=1")
	eng, err := engine.New(engine.Options{Command: workerCmd(), Env: env})
	if err != nil {
		t.Fatal(err)
	}
	defer eng.Close()
	cases := []struct{ name, code, want string }{
		{"past the allow-list", `import "os"` + "\nfmt.Println(os.Getpid() > 0)", "true\n"},
		{"file write", `fmt.Println(os.WriteFile("` + target + `", []byte("x"), 0o644))`, "permission denied"},
		{"file create in /tmp", `_, err := os.CreateTemp("", "escape")` + "\nfmt.Println(err)", "permission denied"},
		{"file read", `_, err := os.ReadFile("/proc/self/status")` + "\nfmt.Println(err)", "<nil>"},
		{"process", `import "os/exec"` + "\nfmt.Println(exec.Command(\"/bin/true\").Run())", "permission denied"},
		{"network", `import "net"` + "\n_, err := net.Dial(\"tcp\", \"" + ln.Addr().String() + "\")\nfmt.Println(err)", "permission denied"},
		// Every thread is in the domain, also those Go starts later.
		{"file writes from new threads", `import ("runtime"; "sync"; "sync/atomic")` + "\nvar written atomic.Int32\nvar wg sync.WaitGroup\n" +
			"for i := 0; i < 30; i++ {\n\twg.Add(1)\n\tgo func() {\n\t\tdefer wg.Done()\n\t\truntime.LockOSThread()\n" +
			"\t\tif os.WriteFile(\"" + target + "\", nil, 0o644) == nil {\n\t\t\twritten.Add(1)\n\t\t}\n\t}()\n}\nwg.Wait()\nfmt.Println(\"written\", written.Load())", "written 0\n"},
	}
	run := func(code string) (string, *engine.Error) {
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		var out collect
		res := eng.Execute(ctx, engine.Cell{Code: code}, &out)
		return out.String(), res.Err
	}
	if _, err := run(`import "fmt"`); err != nil {
		t.Fatal(err)
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			out, err := run(c.code)
			if err != nil || !strings.Contains(out, c.want) {
				t.Errorf("output %q, error %v; want %q", out, err, c.want)
			}
		})
	}
	if _, err := os.Stat(target); err == nil {
		t.Error("a cell wrote", target)
	}
}

// collect keeps a cell's standard output.
type collect struct {
	discard
	strings.Builder
}

func (c *collect) Stream(name, text string) {
	if name == "stdout" {
		c.WriteString(text)
	}
}
