package lessons

import (
	"encoding/json"
	"errors"
	"io/fs"
	"reflect"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/lanes-dev/lanes/notebook"
)

// instructor builds an instructor notebook: a title cell, a solution cell
// and a test cell with hidden tests.
func instructor(t *testing.T, title string) []byte {
	t.Helper()
	nb := notebook.New()
	md := notebook.NewCell(notebook.Markdown, title+"\n\nProse.\n")
	sol := notebook.NewCell(notebook.Code, "func answer() int {\n\t// BEGIN SOLUTION\n\treturn 42\n\t// END SOLUTION\n}\n")
	sol.Metadata = json.RawMessage(`{"nbgrader": {"grade": false, "grade_id": "answer", "locked": false, "schema_version": 3, "solution": true, "task": false}}`)
	test := notebook.NewCell(notebook.Code, "lanes.Equal(answer(), 42)\n// BEGIN HIDDEN TESTS\nlanes.Equal(answer()+1, 43)\n// END HIDDEN TESTS\n")
	test.Metadata = json.RawMessage(`{"nbgrader": {"grade": true, "grade_id": "test_answer", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}}`)
	one := 1
	test.ExecutionCount = &one
	test.Outputs = []*notebook.Output{{Type: notebook.Stream, Name: "stdout", Text: "ok\n"}}
	nb.Cells = []*notebook.Cell{md, sol, test}
	b, err := nb.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func testCatalog(t *testing.T) *Catalog {
	return NewCatalog(fstest.MapFS{
		"02-time-slicing.ipynb": {Data: instructor(t, "# Time slicing")},
		"01-two-words.ipynb":    {Data: instructor(t, "## Two *words*")},
		"03-untitled.ipynb":     {Data: instructor(t, "No heading")},
		"notes.txt":             {Data: []byte("not a lesson")},
	})
}

func TestList(t *testing.T) {
	got := testCatalog(t).List()
	want := []Lesson{
		{"01-two-words", "Two *words*", "01-two-words.ipynb"},
		{"02-time-slicing", "Time slicing", "02-time-slicing.ipynb"},
		{"03-untitled", "03-untitled", "03-untitled.ipynb"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("List() = %+v\nwant %+v", got, want)
	}
}

func TestFind(t *testing.T) {
	c := testCatalog(t)
	for _, name := range []string{"01-two-words", "two-words", "01", "1"} {
		if l, err := c.Find(name); err != nil || l.Name != "01-two-words" {
			t.Errorf("Find(%q) = %v, %v", name, l, err)
		}
	}
	if _, err := c.Find("99"); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("Find(99): %v", err)
	}
}

func TestStudentVersion(t *testing.T) {
	c := testCatalog(t)
	inst, err := c.Instructor("1")
	if err != nil {
		t.Fatal(err)
	}
	stud, err := c.Student("1")
	if err != nil {
		t.Fatal(err)
	}
	s := string(stud)
	for _, gone := range []string{"return 42", "BEGIN SOLUTION", "HIDDEN TESTS", "answer()+1", `"ok\n"`} {
		if strings.Contains(s, gone) {
			t.Errorf("student version contains %q", gone)
		}
	}
	for _, kept := range []string{`"\t// YOUR CODE HERE\n"`, `"\tpanic(\"not implemented\")\n"`, `"lanes.Equal(answer(), 42)\n"`, `"grade_id": "test_answer"`} {
		if !strings.Contains(s, kept) {
			t.Errorf("student version lacks %s:\n%s", kept, s)
		}
	}
	// Same cells, same ids: the grader matches cells by id.
	a, _ := notebook.Parse(inst)
	b, _ := notebook.Parse(stud)
	for i := range a.Cells {
		if a.Cells[i].ID != b.Cells[i].ID {
			t.Errorf("cell %d id %q became %q", i+1, a.Cells[i].ID, b.Cells[i].ID)
		}
	}
	fsys, err := c.StudentFS()
	if err != nil {
		t.Fatal(err)
	}
	if data, err := fs.ReadFile(fsys, "01-two-words.ipynb"); err != nil || string(data) != s {
		t.Errorf("StudentFS: %v", err)
	}
}

// TestEmbeddedLessons checks every lesson shipped in the binary: it parses,
// has a title and a released student version without solutions, hidden
// tests or outputs.
func TestEmbeddedLessons(t *testing.T) {
	ls := List()
	t.Logf("%d embedded lessons", len(ls))
	for _, l := range ls {
		t.Run(l.Name, func(t *testing.T) {
			if l.Title == l.Name {
				t.Errorf("%s has no title (a heading in its first Markdown cell)", l.File)
			}
			inst, err := Instructor(l.Name)
			if err != nil {
				t.Fatal(err)
			}
			nb0, err := notebook.Parse(inst)
			if err != nil {
				t.Fatalf("%s: %v", l.File, err)
			}
			// Lessons are kept in Jupyter's own layout, so that saving one
			// from Jupyter changes only what was edited.
			if again, err := nb0.Marshal(); err != nil || string(again) != string(inst) {
				t.Errorf("%s is not in nbformat's layout (write it with nbformat.write): %v", l.File, err)
			}
			stud, err := Student(l.Name)
			if err != nil {
				t.Fatal(err)
			}
			nb, err := notebook.Parse(stud)
			if err != nil {
				t.Fatal(err)
			}
			for i, c := range nb.Cells {
				for _, m := range []string{notebook.BeginSolution, notebook.EndSolution, notebook.BeginHiddenTests, notebook.EndHiddenTests} {
					if strings.Contains(c.Source, m) {
						t.Errorf("student cell %d still contains %q", i+1, m)
					}
				}
				if len(c.Outputs) > 0 || c.ExecutionCount != nil {
					t.Errorf("student cell %d has outputs", i+1)
				}
			}
		})
	}
	if _, err := StudentFS(); err != nil {
		t.Error(err)
	}
}
