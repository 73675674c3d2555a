package notebook

import (
	"encoding/json"
	"strings"
	"testing"
)

const (
	solutionMeta = `{"nbgrader": {"grade": false, "grade_id": "answer", "locked": false, "schema_version": 3, "solution": true, "task": false}}`
	testMeta     = `{"nbgrader": {"grade": true, "grade_id": "tests", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}}`
)

func TestRelease(t *testing.T) {
	cases := []struct {
		name      string
		typ, meta string
		src, want string
	}{
		{"region replaced, indented", Code, solutionMeta,
			"func speedup(p float64, n int) float64 {\n\t// BEGIN SOLUTION\n\treturn 1 / ((1 - p) + p/float64(n))\n\t// END SOLUTION\n}\n",
			"func speedup(p float64, n int) float64 {\n\t// YOUR CODE HERE\n\tpanic(\"not implemented\")\n}\n"},
		{"two regions", Code, solutionMeta,
			"a := 1 // BEGIN SOLUTION\nx\n// END SOLUTION\nkeep\n// BEGIN SOLUTION\ny\n// END SOLUTION",
			"// YOUR CODE HERE\npanic(\"not implemented\")\nkeep\n// YOUR CODE HERE\npanic(\"not implemented\")"},
		{"whole solution cell", Code, solutionMeta, "answer := 42\n", CodeStub},
		{"markdown answer", Markdown, solutionMeta, "Because the GIL.", TextStub},
		{"hidden tests removed", Code, testMeta,
			"lanes.Equal(speedup(0.8, 4), 2.5)\n// BEGIN HIDDEN TESTS\nlanes.Equal(speedup(0.8, 1000), 4.98)\n// END HIDDEN TESTS\n",
			"lanes.Equal(speedup(0.8, 4), 2.5)\n"},
		{"other cells untouched", Code, `{}`, "fmt.Println(1)\n", "fmt.Println(1)\n"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			nb := New()
			cell := NewCell(c.typ, c.src)
			cell.Metadata = json.RawMessage(c.meta)
			if c.typ == Code {
				n := 1
				cell.ExecutionCount = &n
				cell.Outputs = []*Output{{Type: Stream, Name: "stdout", Text: "x"}}
			}
			nb.Cells = []*Cell{cell}
			if err := Release(nb); err != nil {
				t.Fatal(err)
			}
			if cell.Source != c.want {
				t.Errorf("source:\n%s\nwant:\n%s", cell.Source, c.want)
			}
			if cell.Outputs != nil || cell.ExecutionCount != nil {
				t.Error("outputs not cleared")
			}
		})
	}
}

func TestReleaseErrors(t *testing.T) {
	cases := []struct {
		name, meta, src, want string
	}{
		{"unclosed", solutionMeta, "// BEGIN SOLUTION\nx", "never closed"},
		{"nested", solutionMeta, "// BEGIN SOLUTION\n// BEGIN SOLUTION\n// END SOLUTION", "inside another region"},
		{"end without begin", solutionMeta, "x\n// END SOLUTION", "without"},
		{"region outside a solution cell", `{}`, "// BEGIN SOLUTION\nx\n// END SOLUTION", "not marked as a solution"},
		{"hidden tests outside a graded cell", `{}`, "// BEGIN HIDDEN TESTS\nx\n// END HIDDEN TESTS", "not marked as graded"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			nb := New()
			cell := NewCell(Code, c.src)
			cell.Metadata = json.RawMessage(c.meta)
			nb.Cells = []*Cell{NewCell(Markdown, "# t"), cell}
			err := Release(nb)
			if err == nil || !strings.Contains(err.Error(), c.want) || !strings.HasPrefix(err.Error(), "cell 2: ") {
				t.Errorf("error %v, want cell 2 and %q", err, c.want)
			}
		})
	}
}

func TestNbgraderMetadata(t *testing.T) {
	c := NewCell(Code, "")
	c.Metadata = json.RawMessage(testMeta)
	m, ok := c.Nbgrader()
	if !ok || !m.Grade || !m.Locked || m.Points != 2 || m.GradeID != "tests" || m.SchemaVersion != 3 {
		t.Errorf("nbgrader metadata %+v %v", m, ok)
	}
	if _, ok := NewCell(Code, "").Nbgrader(); ok {
		t.Error("a cell without nbgrader metadata has some")
	}
}
