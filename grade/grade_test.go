package grade

import (
	"encoding/json"
	"sort"
	"strings"
	"testing"

	"github.com/lanes-dev/lanes/engine"
	"github.com/lanes-dev/lanes/internal/testbin"
	"github.com/lanes-dev/lanes/notebook"
)

// lanesBin is the lanes binary built by TestMain; workerCmd runs it as
// the engine's worker.
var lanesBin string

func workerCmd() []string { return []string{lanesBin, engine.WorkerArg} }

func TestMain(m *testing.M) { testbin.Main(m, &lanesBin) }

// cell makes a cell with nbgrader metadata (nil: none).
func cell(typ, src string, nbg map[string]any) *notebook.Cell {
	c := notebook.NewCell(typ, src)
	if nbg != nil {
		full := map[string]any{"grade": false, "solution": false, "locked": false, "task": false, "schema_version": 3}
		for k, v := range nbg {
			full[k] = v
		}
		raw, _ := json.Marshal(map[string]any{"nbgrader": full})
		c.Metadata = raw
	}
	return c
}

func TestChecksum(t *testing.T) {
	// Expected values computed with nbgrader's utils.compute_checksum.
	cases := []struct {
		cell *notebook.Cell
		want string
	}{
		{cell("code", `lanes.Equal(f(), 1, "f()")`, map[string]any{"grade": true, "locked": true, "grade_id": "t1", "points": 1}), "52242f97b9db4786622ded001afdc5a8"},
		{cell("code", notebook.CodeStub, map[string]any{"solution": true, "grade_id": "a1"}), "a999d901c8a629039f3e1bfd6eecbd9d"},
		{cell("markdown", "Read only.", map[string]any{"locked": true, "grade_id": "r1"}), "f73604320fcf3e5ba9908928a66000c9"},
		{cell("code", "x", map[string]any{"grade": true, "locked": true, "grade_id": "t2", "points": 2.5}), "3bfc2f33b4a591377bcbfe9e8c7b49b4"},
	}
	for _, c := range cases {
		if got := Checksum(c.cell); got != c.want {
			t.Errorf("Checksum(%q) = %s, want %s", c.cell.Source, got, c.want)
		}
	}
}

func TestValidate(t *testing.T) {
	cases := []struct {
		name  string
		cells []*notebook.Cell
		err   string
	}{
		{"ok", []*notebook.Cell{cell("code", "x", map[string]any{"grade": true, "grade_id": "a", "points": 1}), cell("code", "y", nil)}, ""},
		{"duplicate id", []*notebook.Cell{cell("code", "x", map[string]any{"solution": true, "grade_id": "a"}), cell("code", "y", map[string]any{"solution": true, "grade_id": "a"})}, "also cell 1's"},
		{"bad id", []*notebook.Cell{cell("code", "x", map[string]any{"solution": true, "grade_id": "a b"})}, "letters, digits"},
		{"no points", []*notebook.Cell{cell("code", "x", map[string]any{"grade": true, "grade_id": "a"})}, `needs "points"`},
		{"schema", []*notebook.Cell{cell("code", "x", map[string]any{"solution": true, "grade_id": "a", "schema_version": 1})}, "schema_version 1"},
		{"graded markdown", []*notebook.Cell{cell("markdown", "x", map[string]any{"grade": true, "grade_id": "a", "points": 1})}, "also be a solution"},
		{"task in code", []*notebook.Cell{cell("code", "x", map[string]any{"task": true, "grade_id": "a", "points": 1})}, "must be Markdown"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			nb := notebook.New()
			nb.Cells = c.cells
			err := Validate(nb)
			if (err == nil) != (c.err == "") || err != nil && !strings.Contains(err.Error(), c.err) {
				t.Errorf("Validate: %v, want %q", err, c.err)
			}
		})
	}
}

func TestRelease(t *testing.T) {
	nb, err := notebook.ReadFile("testdata/course/08-race-conditions.ipynb")
	if err != nil {
		t.Fatal(err)
	}
	if err := Release(nb); err != nil {
		t.Fatal(err)
	}
	data, err := nb.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	// Written and read back: valid nbformat, valid schema 3.
	rel, err := notebook.Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	if err := Validate(rel); err != nil {
		t.Fatal(err)
	}
	if s := string(data); strings.Contains(s, "BEGIN SOLUTION") || strings.Contains(s, "HIDDEN TESTS") || strings.Contains(s, "safeCount(50, 20)") {
		t.Error("a solution or hidden test survived the release")
	}
	seen := 0
	for i, c := range rel.Cells {
		m, kind := kindOf(c)
		if c.Type == notebook.Code && (len(c.Outputs) > 0 || c.ExecutionCount != nil) {
			t.Errorf("cell %d keeps outputs", i+1)
		}
		if kind == KindPlain {
			continue
		}
		seen++
		var meta struct {
			Deletable *bool `json:"deletable"`
			Editable  *bool `json:"editable"`
			Nbgrader  struct {
				Checksum string `json:"checksum"`
				CellType string `json:"cell_type"`
			} `json:"nbgrader"`
		}
		json.Unmarshal(c.Metadata, &meta)
		if meta.Nbgrader.Checksum != Checksum(c) || meta.Nbgrader.CellType != c.Type {
			t.Errorf("%s: checksum %q cell_type %q, want %q %q", m.GradeID, meta.Nbgrader.Checksum, meta.Nbgrader.CellType, Checksum(c), c.Type)
		}
		if meta.Deletable == nil || *meta.Deletable {
			t.Errorf("%s: not marked undeletable", m.GradeID)
		}
		locked := kind == KindTest
		if locked != (meta.Editable != nil && !*meta.Editable) {
			t.Errorf("%s (%s): editable %v", m.GradeID, kind, meta.Editable)
		}
		if kind == KindAnswer && !strings.Contains(c.Source, "// YOUR CODE HERE") {
			t.Errorf("%s: no stub: %q", m.GradeID, c.Source)
		}
	}
	if seen != 6 {
		t.Errorf("%d nbgrader cells, want 6", seen)
	}
}

func TestCheckSource(t *testing.T) {
	protected := map[string]bool{"lanes": true, "fmt": true}
	cases := []struct {
		name, src, err string
	}{
		{"allowed", "import (\n\t\"fmt\"\n\t\"sync\"\n\tl \"lanes\"\n)\nfmt.Println(l.Unit)", ""},
		{"os", "import \"os\"\nos.Exit(1)", `import "os" is not allowed: files`},
		{"grouped exec", "import (\n\t\"fmt\"\n\tx \"os/exec\"\n)", `line 3: import "os/exec"`},
		{"net", `import "net/http"`, "the network"},
		{"unsafe", `import "unsafe"`, "type system"},
		{"reflect", `import _ "reflect"`, "type system"},
		{"from disk", `import "./helpers"`, "from disk"},
		{"module", `import "github.com/x/y"`, "from disk or the network"},
		{"import after code", "x := 1\nimport \"syscall\"", `line 2: import "syscall"`},
		{"magic", "%time\nimport \"os\"", `line 2: import "os"`},
		{"chrome", `run.Timeline().SaveChromeTrace("x.json")`, "SaveChromeTrace is not available"},
		{"shadow var", "var lanes fake", "lanes may only be used as the package"},
		{"shadow define", "fmt := 3", "fmt may only be used"},
		{"selector ok", "x.lanes = 1\nlanes.Check(true, \"\")", ""},
		{"string ok", `s := "import \"os\""`, ""},
		{"builtin func", "func append(s []int, v ...int) []int { return s }", "line 1: append is one of Go's predeclared names"},
		{"builtin var", "var len = 3", "len is one of Go's predeclared"},
		{"builtin const group", "const (\n\tx = 1\n\ttrue = false\n)", "line 3: true is one of Go's predeclared"},
		{"builtin type", "type error struct{}", "error is one of"},
		{"builtin define", "a, nil := 1, 2", "nil is one of"},
		{"builtin var group", "var (\n\tok bool\n\tpanic, y = 1, 2\n)", "panic is one of"},
		{"local shadow ok", "func f(len int) int {\n\tmax := len\n\treturn max\n}\nfor i, cap := range []int{1} {\n\t_, _ = i, cap\n}", ""},
		{"method ok", "type T struct{}\nfunc (T) len() int { return 0 }", ""},
		{"use ok", "n := len(x) + cap(x)\ny := append(x, 1)\nvar z = make([]int, n)", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			errs := CheckSource(c.src, protected)
			if c.err == "" {
				if len(errs) > 0 {
					t.Errorf("refused: %v", errs[0])
				}
				return
			}
			if len(errs) == 0 || !strings.Contains(errs[0].Error(), c.err) {
				t.Errorf("got %v, want %q", errs, c.err)
			}
		})
	}
}

func TestScoreCell(t *testing.T) {
	one := 1
	m := notebook.Nbgrader{Grade: true, GradeID: "t", Points: 2}
	exec := func(outs ...*notebook.Output) *notebook.Cell {
		c := notebook.NewCell("code", "x")
		c.ExecutionCount, c.Outputs = &one, outs
		return c
	}
	result := func(s string) *notebook.Output {
		return &notebook.Output{Type: notebook.ExecuteResult, Data: map[string]any{"text/plain": s}}
	}
	cases := []struct {
		name   string
		cell   *notebook.Cell
		points float64
		status string
		reason string
	}{
		{"no output", exec(), 2, Passed, ""},
		{"stdout", exec(&notebook.Output{Type: notebook.Stream, Name: "stdout", Text: "tests passed\n"}), 2, Passed, ""},
		{"error", exec(&notebook.Output{Type: notebook.Error, EName: "panic", EValue: "check failed: x"}), 0, Failed, "panic: check failed: x"},
		{"stderr", exec(&notebook.Output{Type: notebook.Stream, Name: "stderr", Text: "warning\n"}), 0, Failed, "standard error: warning"},
		{"timeout", exec(&notebook.Output{Type: notebook.Error, EName: "CellTimeoutError", EValue: "cell 3 did not finish"}), 0, Timeout, "did not finish"},
		{"partial", exec(result("0.5")), 0.5, Partial, "0.5 of 2.0"},
		{"full numeric", exec(result("2")), 2, Passed, ""},
		{"too much", exec(result("3")), 0, Failed, "more than"},
		{"text result", exec(result("a timeline")), 2, Passed, ""},
		{"not run", notebook.NewCell("code", "x"), 0, NotRun, "not run"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			g := scoreCell(c.cell, 0, m, KindTest, "not run")
			if g.Points != c.points || g.Status != c.status || !strings.Contains(g.Reason, c.reason) {
				t.Errorf("got %v %s %q, want %v %s %q", g.Points, g.Status, g.Reason, c.points, c.status, c.reason)
			}
		})
	}
}

func TestUndefined(t *testing.T) {
	cases := []struct {
		name  string
		cells []string
		want  string // the names, sorted, comma-separated
	}{
		{"unimported", []string{"import \"fmt\"", "data, err := os.ReadFile(\"x\")\nfmt.Println(data, err)"}, "os"},
		{"imported", []string{"import \"os\"", "os.ReadFile(\"x\")"}, ""},
		{"named import", []string{"import (\n\tlog \"lanes\"\n)", "log.Check(true, \"\")"}, ""},
		{"a variable", []string{"func f(url T) { url.Get() }"}, ""},
		{"a field", []string{"x.os.ReadFile()"}, ""},
		{"allowed packages", []string{"strings.Repeat(\"x\", 2)"}, ""},
		{"several", []string{"net.Dial()", "exec.Command()", "reflect.TypeOf(1)"}, "exec,net,reflect"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var got []string
			for n := range Undefined(c.cells) {
				got = append(got, n)
			}
			sort.Strings(got)
			if g := strings.Join(got, ","); g != c.want {
				t.Errorf("Undefined = %q, want %q", g, c.want)
			}
		})
	}
	errs := checkUndefined("x := 1\ndata, _ := os.ReadFile(\"x\")", map[string]bool{"os": true})
	if len(errs) != 1 || errs[0].Line != 2 || !strings.Contains(errs[0].Msg, "undefined: os") {
		t.Errorf("checkUndefined: %v", errs)
	}
}

func TestSentinel(t *testing.T) {
	s := sentinel{done: "D", value: "V"}
	results := map[string]int{"score": 1, "check": 0, "pair": 2}
	cases := []struct {
		name, code, want string
	}{
		{"statements", "lanes.Equal(f(), 1, \"f\")\nfmt.Println(\"ok\")", "lanes.Equal(f(), 1, \"f\")\nfmt.Println(\"ok\")\nD := true\n"},
		{"final value", "x := f()\nx * 2", "x := f()\nV := x * 2\nD := true\nV"},
		{"final value and comment", "score(3) // partial credit\n", "V := score(3)\nD := true\nV // partial credit\n"},
		{"final call without result", "check(3)", "check(3)\nD := true\n"},
		{"final call with two", "pair(3)", "pair(3)\nD := true\n"},
		{"final unknown call", "lanes.Near(x, 1, 0.1, \"x\")", "lanes.Near(x, 1, 0.1, \"x\")\nD := true\n"},
		{"final block", "for i := 0; i < 3; i++ {\n\tf(i)\n}", "for i := 0; i < 3; i++ {\n\tf(i)\n}\nD := true\n"},
		{"magic", "%time\n1 + 1", "%time\n1 + 1\nD := true\n"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := s.wrap(c.code, results); got != c.want {
				t.Errorf("wrap(%q) =\n%q, want\n%q", c.code, got, c.want)
			}
		})
	}
	got := map[string]int{}
	funcResults([]string{"func score(n int) float64 { return 1 }\nfunc check(n int) {\n\tif n > 0 {\n\t}\n}", "func (T) m() int { return 0 }\nfunc pair() (int, error) { return 0, nil }"}, got)
	if got["score"] != 1 || got["check"] != 0 || got["pair"] != 2 || len(got) != 3 {
		t.Errorf("funcResults = %v", got)
	}
}
