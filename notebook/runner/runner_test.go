package runner

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lanes-dev/lanes/display"
	"github.com/lanes-dev/lanes/engine"
	"github.com/lanes-dev/lanes/notebook"
)

// script is a fake engine: each cell's source names what it does.
type script struct {
	mu    sync.Mutex
	ran   []engine.Cell
	steps map[string]func(ctx context.Context, s engine.Sink) engine.Result
	late  chan engine.Sink // sinks that late goroutines write to
}

func (x *script) Execute(ctx context.Context, cell engine.Cell, s engine.Sink) engine.Result {
	x.mu.Lock()
	x.ran = append(x.ran, cell)
	x.mu.Unlock()
	f := x.steps[strings.TrimSpace(cell.Code)]
	if f == nil {
		return engine.Result{Err: &engine.Error{Name: "NoScript", Message: cell.Code}}
	}
	return f(ctx, s)
}

func bundle(text string) display.Bundle {
	return display.Bundle{Data: map[string]any{"text/plain": text}, Metadata: map[string]any{}}
}

var steps = map[string]func(ctx context.Context, s engine.Sink) engine.Result{
	"print": func(_ context.Context, s engine.Sink) engine.Result {
		s.Stream("stdout", "a\n")
		s.Stream("stdout", "b\n")
		s.Stream("stderr", "warn\n")
		s.Stream("stdout", "c")
		return engine.Result{}
	},
	"value": func(_ context.Context, s engine.Sink) engine.Result {
		b := bundle("42")
		return engine.Result{Value: &b}
	},
	"show": func(_ context.Context, s engine.Sink) engine.Result {
		s.Display(bundle("v1"), "d1", false)
		s.Stream("stdout", "between\n")
		s.Display(bundle("other"), "", false)
		return engine.Result{}
	},
	"update": func(_ context.Context, s engine.Sink) engine.Result {
		s.Display(bundle("v2"), "d1", true) // replaces the output of an earlier cell
		s.Display(bundle("unknown"), "nope", true)
		return engine.Result{}
	},
	"again": func(_ context.Context, s engine.Sink) engine.Result {
		s.Display(bundle("v3"), "d1", false) // a new output with a known id updates the others too
		return engine.Result{}
	},
	"clear": func(_ context.Context, s engine.Sink) engine.Result {
		s.Stream("stdout", "gone\n")
		s.ClearOutput(false)
		s.Stream("stdout", "kept\n")
		return engine.Result{}
	},
	"clearwait": func(_ context.Context, s engine.Sink) engine.Result {
		s.Stream("stdout", "frame 1\n")
		s.ClearOutput(true)
		s.ClearOutput(true)
		s.Stream("stdout", "frame 2\n")
		s.ClearOutput(true) // nothing after it: frame 2 stays
		return engine.Result{}
	},
	"fail": func(_ context.Context, s engine.Sink) engine.Result {
		s.Stream("stdout", "before\n")
		return engine.Result{Err: &engine.Error{Name: "panic", Message: "boom", Traceback: []string{"panic: boom", "cell 1, line 1"}}}
	},
	"input": func(_ context.Context, s engine.Sink) engine.Result {
		if _, err := s.Input("name? ", false); err != nil {
			s.Stream("stderr", err.Error()+"\n")
		}
		return engine.Result{}
	},
	"hang": func(ctx context.Context, s engine.Sink) engine.Result {
		s.Stream("stdout", "started\n")
		<-ctx.Done()
		return engine.Result{Err: &engine.Error{Name: "Interrupted", Message: "interrupted"}, Restart: &engine.Restart{Reason: engine.RestartInterrupt, Replayed: true}}
	},
}

func newScript() *script {
	return &script{steps: steps}
}

// nbOf builds a notebook of code cells with the given sources (a source
// starting with "#" is a Markdown cell).
func nbOf(srcs ...string) *notebook.Notebook {
	nb := notebook.New()
	for _, s := range srcs {
		if strings.HasPrefix(s, "#") {
			nb.Cells = append(nb.Cells, notebook.NewCell(notebook.Markdown, s))
		} else {
			nb.Cells = append(nb.Cells, notebook.NewCell(notebook.Code, s))
		}
	}
	return nb
}

// summary renders a cell's outputs compactly: type[:name]=text.
func summary(c *notebook.Cell) string {
	var parts []string
	for _, o := range c.Outputs {
		switch o.Type {
		case notebook.Stream:
			parts = append(parts, o.Name+"="+o.Text)
		case notebook.DisplayData:
			parts = append(parts, "display="+o.DataText("text/plain"))
		case notebook.ExecuteResult:
			parts = append(parts, "result="+o.DataText("text/plain")+"@"+itoa(*o.ExecutionCount))
		case notebook.Error:
			parts = append(parts, "error="+o.EName+": "+o.EValue)
		}
	}
	return strings.Join(parts, " | ")
}

func TestRunOutputs(t *testing.T) {
	cases := []struct {
		name string
		srcs []string
		want []string // summary per cell
	}{
		{"streams merge per name", []string{"print"}, []string{"stdout=a\nb\n | stderr=warn\n | stdout=c"}},
		{"execute result", []string{"value"}, []string{"result=42@1"}},
		{"display ids across cells", []string{"show", "update"}, []string{"display=v2 | stdout=between\n | display=other", ""}},
		{"new output with a known id", []string{"show", "again"}, []string{"display=v3 | stdout=between\n | display=other", "display=v3"}},
		{"clear output", []string{"clear"}, []string{"stdout=kept\n"}},
		{"clear output wait", []string{"clearwait"}, []string{"stdout=frame 2\n"}},
		{"no stdin", []string{"input"}, []string{"stderr=" + ErrNoInput.Error() + "\n"}},
		{"markdown and blank cells", []string{"# title", "  \n", "value"}, []string{"", "", "result=42@1"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			nb := nbOf(c.srcs...)
			if _, err := Run(context.Background(), nb, newScript(), RunOptions{}); err != nil {
				t.Fatal(err)
			}
			for i, cell := range nb.Cells {
				if got := summary(cell); got != c.want[i] {
					t.Errorf("cell %d outputs:\n got %q\nwant %q", i+1, got, c.want[i])
				}
			}
		})
	}
}

func TestRunExecutionCounts(t *testing.T) {
	nb := nbOf("# prose", "value", "", "print", "value")
	x := newScript()
	st, err := Run(context.Background(), nb, x, RunOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var counts []any
	for _, c := range nb.Cells {
		if c.ExecutionCount != nil {
			counts = append(counts, *c.ExecutionCount)
		} else {
			counts = append(counts, nil)
		}
	}
	if got := itoaAll(counts); got != "[null,1,null,2,3]" {
		t.Errorf("execution counts %s", got)
	}
	if st.Executed != 3 || st.Failed != 0 {
		t.Errorf("stats %+v", st)
	}
	for i, cell := range x.ran { // the engine numbers cells as Jupyter shows them
		if cell.Number != i+1 {
			t.Errorf("cell %d ran as number %d", i+1, cell.Number)
		}
	}
}

func itoaAll(v any) string { b, _ := json.Marshal(v); return string(b) }

func itoa(n int) string { return strconv.Itoa(n) }

func TestRunErrors(t *testing.T) {
	t.Run("stops at the first error", func(t *testing.T) {
		nb := nbOf("value", "fail", "value")
		old := &notebook.Output{Type: notebook.Stream, Name: "stdout", Text: "stale\n"}
		nb.Cells[2].Outputs = []*notebook.Output{old}
		var progress []Progress
		st, err := Run(context.Background(), nb, newScript(), RunOptions{Progress: func(p Progress) { progress = append(progress, p) }})
		var ce *CellError
		if !errors.As(err, &ce) || ce.Index != 1 || ce.Count != 2 || ce.Output.EName != "panic" {
			t.Fatalf("error %v", err)
		}
		if got := summary(nb.Cells[1]); got != "stdout=before\n | error=panic: boom" {
			t.Errorf("failing cell: %q", got)
		}
		if tb := nb.Cells[1].Outputs[1].Traceback; len(tb) != 2 {
			t.Errorf("traceback %q", tb)
		}
		if len(nb.Cells[2].Outputs) != 0 || nb.Cells[2].ExecutionCount != nil {
			t.Errorf("cell after the error kept stale outputs: %q", summary(nb.Cells[2]))
		}
		if len(progress) != 2 || progress[1].Err == nil || progress[0].Total != 3 {
			t.Errorf("progress %+v", progress)
		}
		if st.Executed != 2 || st.Failed != 1 {
			t.Errorf("stats %+v", st)
		}
	})
	t.Run("allow errors", func(t *testing.T) {
		nb := nbOf("fail", "value", "fail")
		st, err := Run(context.Background(), nb, newScript(), RunOptions{AllowErrors: true})
		if err != nil {
			t.Fatal(err)
		}
		if st.Executed != 3 || st.Failed != 2 || summary(nb.Cells[1]) != "result=42@2" {
			t.Errorf("stats %+v, cell 2 %q", st, summary(nb.Cells[1]))
		}
	})
	t.Run("raises-exception tag", func(t *testing.T) {
		nb := nbOf("fail", "value")
		nb.Cells[0].Metadata = json.RawMessage(`{"tags": ["raises-exception"]}`)
		if _, err := Run(context.Background(), nb, newScript(), RunOptions{}); err != nil {
			t.Fatal(err)
		}
		if summary(nb.Cells[1]) != "result=42@2" {
			t.Errorf("cell 2 %q", summary(nb.Cells[1]))
		}
	})
	t.Run("skip-execution tag", func(t *testing.T) {
		nb := nbOf("fail", "value")
		nb.Cells[0].Metadata = json.RawMessage(`{"tags": ["skip-execution"]}`)
		if _, err := Run(context.Background(), nb, newScript(), RunOptions{}); err != nil {
			t.Fatal(err)
		}
		if nb.Cells[0].ExecutionCount != nil || summary(nb.Cells[1]) != "result=42@1" {
			t.Errorf("cells %q %q", summary(nb.Cells[0]), summary(nb.Cells[1]))
		}
	})
}

func TestRunTimeout(t *testing.T) {
	nb := nbOf("hang", "value")
	var progress []Progress
	start := time.Now()
	_, err := Run(context.Background(), nb, newScript(), RunOptions{Timeout: 50 * time.Millisecond,
		Progress: func(p Progress) { progress = append(progress, p) }})
	var ce *CellError
	if !errors.As(err, &ce) || !ce.TimedOut {
		t.Fatalf("error %v", err)
	}
	if time.Since(start) > 5*time.Second {
		t.Errorf("timeout took %v", time.Since(start))
	}
	got := summary(nb.Cells[0])
	if !strings.HasPrefix(got, "stdout=started\n | error=CellTimeoutError: cell 1 did not finish within 50ms") {
		t.Errorf("outputs %q", got)
	}
	if !progress[0].TimedOut || !progress[0].Restarted {
		t.Errorf("progress %+v", progress[0])
	}
}

func TestRunCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	nb := nbOf("hang", "value")
	time.AfterFunc(20*time.Millisecond, cancel)
	_, err := Run(ctx, nb, newScript(), RunOptions{AllowErrors: true})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("error %v", err)
	}
	if nb.Cells[1].ExecutionCount != nil {
		t.Error("ran a cell after the run was cancelled")
	}
}

// TestRunLateOutput writes from a goroutine that outlives its cell while
// the next cells run; the output is dropped (run with -race).
func TestRunLateOutput(t *testing.T) {
	var wg sync.WaitGroup
	stop := make(chan struct{})
	x := &script{steps: map[string]func(context.Context, engine.Sink) engine.Result{
		"spawn": func(_ context.Context, s engine.Sink) engine.Result {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for {
					select {
					case <-stop:
						return
					default:
						s.Stream("stdout", "late\n")
						s.Display(bundle("late"), "d", false)
						s.ClearOutput(true)
					}
				}
			}()
			return engine.Result{}
		},
		"print": steps["print"],
	}}
	nb := nbOf("spawn", "print", "print")
	_, err := Run(context.Background(), nb, x, RunOptions{})
	close(stop)
	wg.Wait()
	if err != nil {
		t.Fatal(err)
	}
	m, _ := nb.Marshal()
	if _, err := notebook.Parse(m); err != nil {
		t.Fatal(err)
	}
	for _, c := range nb.Cells[1:] {
		if summary(c) != "stdout=a\nb\n | stderr=warn\n | stdout=c" {
			t.Errorf("late output reached a later cell: %q", summary(c))
		}
	}
}

func TestRunLanguageInfo(t *testing.T) {
	nb, err := notebook.Parse(read(t, "../testdata/minor4.ipynb"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Run(context.Background(), nb, newScript(), RunOptions{AllowErrors: true,
		LanguageInfo: map[string]any{"name": "go", "version": "1.26"}}); err != nil {
		t.Fatal(err)
	}
	var meta struct {
		Kernelspec   map[string]string `json:"kernelspec"`
		LanguageInfo map[string]string `json:"language_info"`
	}
	if err := json.Unmarshal(nb.Metadata, &meta); err != nil {
		t.Fatal(err)
	}
	if meta.Kernelspec["name"] != "lanes" || meta.LanguageInfo["name"] != "go" {
		t.Errorf("metadata %s", nb.Metadata)
	}
}

// TestRunWritesLikeJupyter checks the bytes of executed outputs against
// what nbformat writes for the same outputs.
func TestRunWritesLikeJupyter(t *testing.T) {
	nb := nbOf("print", "show", "value", "fail")
	for i, c := range nb.Cells {
		c.ID = "c" + itoa(i+1)
	}
	Run(context.Background(), nb, newScript(), RunOptions{AllowErrors: true})
	got, err := nb.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	want := read(t, "../testdata/executed.ipynb")
	if string(got) != string(want) {
		t.Errorf("executed notebook differs from nbformat's:\n%s", diff(string(want), string(got)))
	}
}

func read(t testing.TB, file string) []byte {
	t.Helper()
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// diff names the first line where want and got differ.
func diff(want, got string) string {
	wl, gl := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < len(wl) || i < len(gl); i++ {
		var w, g string
		if i < len(wl) {
			w = wl[i]
		}
		if i < len(gl) {
			g = gl[i]
		}
		if w != g {
			return "line " + itoa(i+1) + ":\nwant: " + w + "\ngot:  " + g
		}
	}
	return "(same lines)"
}
