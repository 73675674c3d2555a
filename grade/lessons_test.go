package grade

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lanes-dev/lanes/notebook"
)

// TestAutogradeConcurrencyExercises grades three submissions of each
// lesson whose exercises test concurrency itself: the instructor's own
// notebook must score full marks, the released one zero, and one whose
// answers are plain sequential code (testdata/sequential/GRADE_ID.txt, with
// the right results) must lose the points of every exercise it answers.
func TestAutogradeConcurrencyExercises(t *testing.T) {
	lessons := []string{
		"04-two-axes",
		"08-race-conditions",
		"13-select-and-context",
		"14-pipelines-and-pools",
		"15-locks-and-subtle-failures",
		"16-scheduler-and-recursion",
	}
	seq, _ := filepath.Glob("testdata/sequential/*.txt")
	answers := map[string]string{}
	for _, f := range seq {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		answers[strings.TrimSuffix(filepath.Base(f), ".txt")] = string(b)
	}
	for _, name := range lessons {
		t.Run(name, func(t *testing.T) {
			file := filepath.Join("..", "lessons", name+".ipynb")
			src, err := ReadSource(file)
			if err != nil {
				t.Fatal(err)
			}
			dir := t.TempDir()
			sub := func(who string, nb *notebook.Notebook) string {
				p := filepath.Join(dir, who, name+".ipynb")
				os.MkdirAll(filepath.Dir(p), 0o755)
				if err := nb.WriteFile(p); err != nil {
					t.Fatal(err)
				}
				return p
			}
			inst, err := notebook.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			instructor := sub("instructor", inst)
			student, _ := notebook.ReadFile(file)
			if err := Release(student); err != nil {
				t.Fatal(err)
			}
			released := sub("student", student)
			sequential, _ := notebook.ReadFile(file)
			replaced := map[string]bool{} // test cells whose answer is sequential
			for _, c := range sequential.Cells {
				meta, _ := c.Nbgrader()
				if a, ok := answers[meta.GradeID]; ok && meta.Solution {
					c.Source = a
					replaced[strings.TrimSuffix(meta.GradeID, "-answer")+"-test"] = true
				}
			}
			want := 0
			for id := range answers {
				if strings.HasPrefix(id, "l"+name[:2]+"-") {
					want++
				}
			}
			if len(replaced) == 0 || len(replaced) != want {
				t.Fatalf("%d answers of %s replaced by the %d in testdata/sequential", len(replaced), name, want)
			}
			seqFile := sub("sequential", sequential)

			opts := testOptions()
			results := Autograde(context.Background(), src, []string{instructor, released, seqFile}, opts)
			if r := results[0]; r.Score != src.Max || r.Max == 0 {
				t.Errorf("instructor: %v of %v (%s)", r.Score, src.Max, r.Reason)
			}
			if r := results[1]; r.Score != 0 {
				t.Errorf("released: %v of %v", r.Score, r.Max)
			}
			for _, g := range results[2].Cells {
				switch {
				case replaced[g.GradeID] && g.Points != 0:
					t.Errorf("sequential answer to %s scored %v of %v", g.GradeID, g.Points, g.Max)
				case replaced[g.GradeID]:
					t.Logf("sequential answer to %s fails: %s", g.GradeID, g.Reason)
				case g.Points != g.Max:
					t.Errorf("%s lost points with the instructor's answer: %s", g.GradeID, g.Reason)
				}
			}
		})
	}
}

// TestAutogradeQuizFeedback grades lesson 12, whose quiz cells give
// feedback at once: the instructor's notebook keeps full marks, and a
// wrong answer still loses its point, with the feedback in the graded
// notebook's output.
func TestAutogradeQuizFeedback(t *testing.T) {
	file := filepath.Join("..", "lessons", "12-choosing.ipynb")
	src, err := ReadSource(file)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	wrong, err := notebook.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range wrong.Cells {
		if meta, _ := c.Nbgrader(); meta.GradeID == "l12-q1-answer" {
			c.Source = "var answer1 string\nanswer1 = \"parallelism\"\n"
		}
	}
	for _, who := range []string{"instructor", "wrong"} {
		os.MkdirAll(filepath.Join(dir, who), 0o755)
	}
	data, _ := os.ReadFile(file)
	os.WriteFile(filepath.Join(dir, "instructor", "12-choosing.ipynb"), data, 0o644)
	wrong.WriteFile(filepath.Join(dir, "wrong", "12-choosing.ipynb"))
	results := Autograde(context.Background(), src, []string{
		filepath.Join(dir, "instructor", "12-choosing.ipynb"),
		filepath.Join(dir, "wrong", "12-choosing.ipynb"),
	}, testOptions())
	if r := results[0]; r.Score != src.Max || src.Max != 10 {
		t.Errorf("instructor: %v of %v (%s)", r.Score, src.Max, r.Reason)
	}
	r := results[1]
	if r.Score != src.Max-1 {
		t.Errorf("one wrong answer: %v of %v (%s)", r.Score, r.Max, r.Reason)
	}
	for _, g := range r.Cells {
		if g.GradeID == "l12-q1-test" && (g.Points != 0 || !strings.Contains(g.Reason, `want "concurrency"`)) {
			t.Errorf("q1 with a wrong answer: %v points, %q", g.Points, g.Reason)
		}
	}
}

// TestCourseIsLessons checks that the fixture course the grader's tests
// grade is the lessons as they are shipped (make_submissions.py says how to
// copy them and regenerate the submissions).
func TestCourseIsLessons(t *testing.T) {
	for _, name := range []string{"08-race-conditions.ipynb", "12-choosing.ipynb"} {
		fixture, err := os.ReadFile(filepath.Join("testdata", "course", name))
		if err != nil {
			t.Fatal(err)
		}
		lesson, err := os.ReadFile(filepath.Join("..", "lessons", name))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(fixture, lesson) {
			t.Errorf("testdata/course/%s differs from lessons/%s: copy it and regenerate the submissions (testdata/make_submissions.py)", name, name)
		}
	}
}
