package main

import (
	"encoding/json"
	"os"
	"path/filepath"
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
