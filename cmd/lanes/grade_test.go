package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

const gradeSource = "../../grade/testdata/course/08-race-conditions.ipynb"

func TestGradeRelease(t *testing.T) {
	dir := t.TempDir()
	_, errOut, code := lanes(t, "", "grade", "release", gradeSource, "-o", dir)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	data, err := os.ReadFile(filepath.Join(dir, "08-race-conditions.ipynb"))
	if err != nil {
		t.Fatal(err)
	}
	s := string(data)
	for _, want := range []string{`"checksum": "`, `"editable": false`, "// YOUR CODE HERE"} {
		if !strings.Contains(s, want) {
			t.Errorf("released notebook lacks %s", want)
		}
	}
	if strings.Contains(s, "BEGIN HIDDEN TESTS") {
		t.Error("hidden tests released")
	}
	// Releasing onto the source is refused.
	if _, errOut, code := lanes(t, "", "grade", "release", gradeSource, "-o", filepath.Dir(gradeSource)); code != 1 || !strings.Contains(errOut, "overwrite") {
		t.Errorf("release onto the source: exit %d: %s", code, errOut)
	}
}

func TestGradeAutograde(t *testing.T) {
	sub := func(name string) string {
		return filepath.Join("../../grade/testdata/submissions", name, "08-race-conditions.ipynb")
	}
	subs := []string{sub("solved"), sub("blank"), sub("invalid-json"), sub("endless-loop")}
	dir := t.TempDir()
	_, errOut, code := lanes(t, "", append([]string{"grade", "autograde", "--source", gradeSource, "-o", dir, "-j", "2", "--timeout", "2s"}, subs...)...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, want := range []string{"] 4/4 ", "4 submissions, 3 graded, 1 could not be graded", "invalid-json: not a notebook", "submissions/s"} {
		if !strings.Contains(errOut, want) {
			t.Errorf("stderr lacks %q:\n%s", want, errOut)
		}
	}
	csv, _ := os.ReadFile(filepath.Join(dir, "grades.csv"))
	for _, want := range []string{
		"student,file,score,max,status,reason,l08-ex1-test,l08-ex2-test,l08-ex3-test,notes",
		"solved,../../grade/testdata/submissions/solved/08-race-conditions.ipynb,3,3,graded,,1,1,1,",
		"endless-loop,", "did not finish within 2s",
	} {
		if !strings.Contains(string(csv), want) {
			t.Errorf("grades.csv lacks %q:\n%s", want, csv)
		}
	}

	// Two shards, merged, make the same grades.
	var shards []string
	for _, k := range []string{"1/2", "2/2"} {
		d := filepath.Join(t.TempDir(), "shard")
		_, errOut, code := lanes(t, "", append([]string{"grade", "autograde", "--source", gradeSource, "-o", d, "--shard", k, "--timeout", "2s"}, subs...)...)
		if code != 0 || !strings.Contains(errOut, "2 submissions") {
			t.Fatalf("shard %s: exit %d: %s", k, code, errOut)
		}
		shards = append(shards, filepath.Join(d, "grades.json"))
	}
	merged := t.TempDir()
	if _, errOut, code := lanes(t, "", append([]string{"grade", "merge", "-o", merged}, shards...)...); code != 0 {
		t.Fatalf("merge: exit %d: %s", code, errOut)
	}
	var a, b struct {
		Submissions []struct {
			Student string
			Score   float64
		}
	}
	ja, _ := os.ReadFile(filepath.Join(dir, "grades.json"))
	jb, _ := os.ReadFile(filepath.Join(merged, "grades.json"))
	json.Unmarshal(ja, &a)
	json.Unmarshal(jb, &b)
	if len(a.Submissions) != 4 || len(b.Submissions) != 4 {
		t.Fatalf("%d and %d submissions", len(a.Submissions), len(b.Submissions))
	}
	for i := range a.Submissions {
		if a.Submissions[i] != b.Submissions[i] {
			t.Errorf("merged %v, whole batch %v", b.Submissions[i], a.Submissions[i])
		}
	}
}

func TestGradeUsage(t *testing.T) {
	cases := []struct {
		args   []string
		code   int
		errOut string
	}{
		{[]string{"grade"}, 2, "lanes grade autograde"},
		{[]string{"grade", "frob"}, 2, `unknown subcommand "frob"`},
		{[]string{"grade", "autograde", "x.ipynb"}, 2, "Usage"},
		{[]string{"grade", "autograde", "--source", gradeSource, "-o", "/tmp/x", "--shard", "3/2", "y.ipynb"}, 2, "K/N"},
		{[]string{"grade", "autograde", "--source", "/nonexistent.ipynb", "-o", "/tmp/x", "y.ipynb"}, 1, "nonexistent"},
	}
	for _, c := range cases {
		t.Run(strings.Join(c.args, " "), func(t *testing.T) {
			_, errOut, code := lanes(t, "", c.args...)
			if code != c.code || !strings.Contains(errOut, c.errOut) {
				t.Errorf("exit %d, stderr %q; want %d with %q", code, errOut, c.code, c.errOut)
			}
		})
	}
}

// TestGradeHostile grades, in one batch through the binary, submissions
// that scored points they had not earned or named a follow-on error as
// the reason; the instructor's answers still score full marks.
func TestGradeHostile(t *testing.T) {
	cases := []struct {
		student string
		score   string // in grades.csv
		want    string // in the row
	}{
		{"solved", "3", ""},
		{"added-graded", "3", `added graded code cell ""bonus"" (submission cell 28, 100.0 points) was kept and not scored`},
		{"goexit", "2", "the test did not run to its end"},
		{"shadowed-builtins", "2", "len is one of Go's predeclared names"},
		{"unimported-os", "2", "undefined: os (no cell imports os"},
		{"crash-then-lost-variable", "2", "l08-ex1-test: fatal error: out of memory"},
		{"runaway-answer", "2", "l08-ex1-test: could not run: cell 11 (l08-ex1-answer) did not finish within 2s"},
		{"hostile-markdown", "3", "an added markdown cell"},
	}
	var subs []string
	for _, c := range cases {
		subs = append(subs, filepath.Join("../../grade/testdata/submissions", c.student, "08-race-conditions.ipynb"))
	}
	dir := t.TempDir()
	_, errOut, code := lanes(t, "", append([]string{"grade", "autograde", "--source", gradeSource, "-o", dir, "-j", "2", "--timeout", "2s"}, subs...)...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if !strings.Contains(errOut, "mean 2.38 of 3") {
		t.Errorf("summary: %s", errOut)
	}
	csv, _ := os.ReadFile(filepath.Join(dir, "grades.csv"))
	rows := map[string]string{}
	for _, line := range strings.Split(string(csv), "\n") {
		if name, _, ok := strings.Cut(line, ","); ok {
			rows[name] = line
		}
	}
	for _, c := range cases {
		row := rows[c.student]
		fields := strings.Split(row, ",")
		if len(fields) < 3 || fields[2] != c.score || !strings.Contains(row, c.want) {
			t.Errorf("%s: row %q\nwant score %s and %q", c.student, row, c.score, c.want)
		}
		if strings.Contains(row, "undefined: safeCount") || strings.Contains(row, "undefined: collect") {
			t.Errorf("%s: a follow-on error is the reason: %q", c.student, row)
		}
	}
	page, _ := os.ReadFile(filepath.Join(dir, "feedback", "hostile-markdown.html"))
	for _, bad := range []string{"<script", "onerror", "javascript:", "evil.example"} {
		if strings.Contains(string(page), bad) {
			t.Errorf("the feedback page has %q", bad)
		}
	}
	if !strings.Contains(string(page), "<td><strong>two</strong> steps</td>") {
		t.Error("the feedback page does not render the submission's table")
	}
}

// nbgraderLayout copies submissions into nbgrader's
// submitted/STUDENT/ASSIGNMENT/ layout and returns their paths.
func nbgraderLayout(t *testing.T, students map[string]string) []string {
	t.Helper()
	root := filepath.Join(t.TempDir(), "submitted")
	var files []string
	for student, from := range students {
		data, err := os.ReadFile(filepath.Join("../../grade/testdata/submissions", from, "08-race-conditions.ipynb"))
		if err != nil {
			t.Fatal(err)
		}
		f := filepath.Join(root, student, "ps1", "08-race-conditions.ipynb")
		if err := os.MkdirAll(filepath.Dir(f), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(f, data, 0o644); err != nil {
			t.Fatal(err)
		}
		files = append(files, f)
	}
	sort.Strings(files)
	return files
}

// TestGradeArrayJob runs the shards of a batch as an array job would (a
// Slurm array or a Kubernetes indexed Job: one process per index, at the
// same time, each with --shard INDEX/COUNT and its own output), then
// merges them: every student is graded once, named from nbgrader's
// layout, and merge refuses a shard given twice or missing.
func TestGradeArrayJob(t *testing.T) {
	files := nbgraderLayout(t, map[string]string{"alice": "solved", "bob": "blank", "carol": "goexit", "dave": "solved"})
	const count = 3
	outs := make([]string, count)
	cmds := make([]*exec.Cmd, count)
	errs := make([]bytes.Buffer, count)
	for i := range count {
		outs[i] = filepath.Join(t.TempDir(), fmt.Sprintf("shard-%d", i+1))
		args := append([]string{"grade", "autograde", "--source", gradeSource, "-o", outs[i], "-j", "1", "--timeout", "5s",
			"--shard", fmt.Sprintf("%d/%d", i+1, count)}, files...)
		cmds[i] = exec.Command(lanesBin, args...)
		cmds[i].Stderr = &errs[i]
		if err := cmds[i].Start(); err != nil {
			t.Fatal(err)
		}
	}
	var shards []string
	feedback := map[string]bool{}
	for i, c := range cmds {
		if err := c.Wait(); err != nil {
			t.Fatalf("shard %d: %v: %s", i+1, err, errs[i].String())
		}
		shards = append(shards, filepath.Join(outs[i], "grades.json"))
		fb, _ := filepath.Glob(filepath.Join(outs[i], "feedback", "*.html"))
		for _, f := range fb {
			name := filepath.Base(f)
			if feedback[name] {
				t.Errorf("two shards wrote feedback/%s", name)
			}
			feedback[name] = true
		}
	}
	for _, s := range []string{"alice", "bob", "carol", "dave"} {
		if !feedback[s+".html"] {
			t.Errorf("no shard wrote feedback/%s.html (have %v)", s, feedback)
		}
	}
	merged := t.TempDir()
	if _, errOut, code := lanes(t, "", append([]string{"grade", "merge", "-o", merged}, shards...)...); code != 0 {
		t.Fatalf("merge: exit %d: %s", code, errOut)
	}
	csv, _ := os.ReadFile(filepath.Join(merged, "grades.csv"))
	for _, want := range []string{"\nalice,", ",3,3,graded,", "\nbob,", "\ncarol,", "did not run to its end", "\ndave,"} {
		if !strings.Contains(string(csv), want) {
			t.Errorf("merged grades.csv lacks %q:\n%s", want, csv)
		}
	}
	// A shard given twice, and a shard missing, are refused.
	for _, c := range []struct {
		files []string
		want  string
	}{
		{append([]string{shards[0]}, shards...), "are both shard 1/3"},
		{shards[:2], "shard 3/3 is missing"},
	} {
		if _, errOut, code := lanes(t, "", append([]string{"grade", "merge", "-o", t.TempDir()}, c.files...)...); code == 0 || !strings.Contains(errOut, c.want) {
			t.Errorf("merge %v: exit %d: %s; want %q", c.files, code, errOut, c.want)
		}
	}
	// One submission in nbgrader's layout is named by it, or by --student.
	for _, c := range []struct {
		args []string
		want string
	}{
		{nil, "\nalice,"},
		{[]string{"--student", "alice-late"}, "\nalice-late,"},
	} {
		d := t.TempDir()
		args := append([]string{"grade", "autograde", "--source", gradeSource, "-o", d, "--timeout", "5s"}, c.args...)
		if _, errOut, code := lanes(t, "", append(args, files[0])...); code != 0 {
			t.Fatalf("exit %d: %s", code, errOut)
		}
		csv, _ := os.ReadFile(filepath.Join(d, "grades.csv"))
		if !strings.Contains(string(csv), c.want) {
			t.Errorf("%v: grades.csv lacks %q:\n%s", c.args, c.want, csv)
		}
	}
}
