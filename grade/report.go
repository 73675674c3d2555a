package grade

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/lanes-dev/lanes/notebook"
)

// Report is the content of grades.json.
type Report struct {
	// Source is the instructor notebook's file name.
	Source string `json:"source"`
	// Max is the notebook's total points.
	Max float64 `json:"max"`
	// Cells lists the graded cells' grade ids and points in order.
	Cells []CellGrade `json:"cells"`
	// Submissions are the results, sorted by student.
	Submissions []*Result `json:"submissions"`
	// Shard and Shards say which shard of a batch this is (1-based; 0
	// for a whole batch, or a merged one).
	Shard  int `json:"shard,omitempty"`
	Shards int `json:"shards,omitempty"`
}

// NewReport collects results for grades.json.
func NewReport(src *Source, results []*Result) *Report {
	rep := &Report{Source: src.Name, Max: src.Max, Submissions: append([]*Result(nil), results...)}
	for i, c := range src.Notebook.Cells {
		m, kind := kindOf(c)
		if kind == KindTest || kind == KindManual || kind == KindTask {
			rep.Cells = append(rep.Cells, CellGrade{GradeID: m.GradeID, Max: m.Points, Index: i})
		}
	}
	rep.sort()
	return rep
}

func (rep *Report) sort() {
	sort.SliceStable(rep.Submissions, func(i, j int) bool {
		return rep.Submissions[i].Student < rep.Submissions[j].Student
	})
}

// WriteFiles writes grades.json and grades.csv into dir.
func (rep *Report) WriteFiles(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	js, err := json.MarshalIndent(rep, "", "  ")
	if err != nil {
		return err
	}
	if err := notebook.WriteFileAtomic(filepath.Join(dir, "grades.json"), append(js, '\n')); err != nil {
		return err
	}
	return notebook.WriteFileAtomic(filepath.Join(dir, "grades.csv"), rep.CSV())
}

// CSV is grades.csv: one row per submission with student, file, score,
// max, status and reason, then the points of each graded cell (by grade
// id) and the notes.
func (rep *Report) CSV() []byte {
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	head := []string{"student", "file", "score", "max", "status", "reason"}
	for _, c := range rep.Cells {
		head = append(head, c.GradeID)
	}
	w.Write(append(head, "notes"))
	for _, r := range rep.Submissions {
		row := []string{r.Student, r.File, num(r.Score), num(r.Max), r.Status, r.Reason}
		pts := map[string]float64{}
		for _, c := range r.Cells {
			pts[c.GradeID] = c.Points
		}
		for _, c := range rep.Cells {
			row = append(row, num(pts[c.GradeID]))
		}
		w.Write(append(row, strings.Join(r.Notes, "; ")))
	}
	w.Flush()
	return b.Bytes()
}

func num(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

// Merge combines the grades.json files of the shards of one batch. It
// refuses files of different assignments, a student who is in two files
// (two shards named the same student, or one file given twice) and, when
// the files are shards (--shard K/N), a shard given twice or missing.
func Merge(files []string) (*Report, error) {
	var out *Report
	from := map[string]string{} // student → file
	shards := map[int]string{}  // shard → file
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			return nil, err
		}
		var rep Report
		if err := json.Unmarshal(data, &rep); err != nil {
			return nil, fmt.Errorf("%s: %w", f, err)
		}
		switch {
		case out == nil:
			out = &Report{Source: rep.Source, Max: rep.Max, Cells: rep.Cells, Shards: rep.Shards}
		case rep.Source != out.Source:
			return nil, fmt.Errorf("%s grades %s, not %s", f, rep.Source, out.Source)
		case rep.Shards != out.Shards:
			return nil, fmt.Errorf("%s is shard %d of %d, not of %d", f, rep.Shard, rep.Shards, out.Shards)
		}
		if rep.Shards > 0 {
			if prev, dup := shards[rep.Shard]; dup {
				return nil, fmt.Errorf("%s and %s are both shard %d/%d", prev, f, rep.Shard, rep.Shards)
			}
			shards[rep.Shard] = f
		}
		for _, r := range rep.Submissions {
			if prev, dup := from[r.Student]; dup {
				return nil, fmt.Errorf("student %q is in both %s and %s: every student must be graded once (name them with nbgrader's submitted/STUDENT/ASSIGNMENT/ layout)", r.Student, prev, f)
			}
			from[r.Student] = f
		}
		out.Submissions = append(out.Submissions, rep.Submissions...)
	}
	if out == nil {
		return nil, fmt.Errorf("nothing to merge")
	}
	for k := 1; k <= out.Shards; k++ {
		if _, ok := shards[k]; !ok {
			return nil, fmt.Errorf("shard %d/%d is missing", k, out.Shards)
		}
	}
	out.Shards = 0
	out.sort()
	return out, nil
}

// Summary is a few lines on the batch: how many were graded, the mean
// score, and the broken submissions with their reasons.
func (rep *Report) Summary() string {
	var b strings.Builder
	graded, broken := 0, 0
	sum := 0.0
	full := 0
	for _, r := range rep.Submissions {
		if r.Status == Broken {
			broken++
		} else {
			graded++
		}
		sum += r.Score
		if r.Score == r.Max {
			full++
		}
	}
	n := len(rep.Submissions)
	mean := 0.0
	if n > 0 {
		mean = sum / float64(n)
	}
	fmt.Fprintf(&b, "%s: %d submissions, %d graded, %d could not be graded; mean %.2f of %s, %d with full marks\n",
		rep.Source, n, graded, broken, mean, num(rep.Max), full)
	for _, r := range rep.Submissions {
		if r.Status == Broken {
			fmt.Fprintf(&b, "  %s: %s\n", r.Student, r.Reason)
		}
	}
	return b.String()
}

// WriteResults writes everything a batch produces into dir: grades.json,
// grades.csv, feedback/STUDENT.html and, for submissions that ran,
// autograded/STUDENT/NOTEBOOK.ipynb (the graded notebook with its
// outputs, as nbgrader's autograded directory has it).
func WriteResults(dir string, src *Source, results []*Result) (*Report, error) {
	return WriteShardResults(dir, src, results, 0, 0)
}

// WriteShardResults is WriteResults for shard k of n of a batch, which
// grades.json records for Merge.
func WriteShardResults(dir string, src *Source, results []*Result, k, n int) (*Report, error) {
	rep := NewReport(src, results)
	if n > 1 {
		rep.Shard, rep.Shards = k, n
	}
	seen := map[string]bool{}
	for _, r := range results {
		if seen[r.Student] {
			return nil, fmt.Errorf("two submissions are named %q: each student needs a name of their own", r.Student)
		}
		seen[r.Student] = true
	}
	if err := rep.WriteFiles(dir); err != nil {
		return nil, err
	}
	for _, r := range results {
		name := safeName(r.Student)
		var b bytes.Buffer
		if err := WriteFeedback(&b, src, r); err != nil {
			return nil, fmt.Errorf("feedback for %s: %w", r.Student, err)
		}
		fb := filepath.Join(dir, "feedback", name+".html")
		if err := os.MkdirAll(filepath.Dir(fb), 0o755); err != nil {
			return nil, err
		}
		if err := notebook.WriteFileAtomic(fb, b.Bytes()); err != nil {
			return nil, err
		}
		if r.Executed == nil {
			continue
		}
		nbFile := filepath.Join(dir, "autograded", name, src.Name)
		if err := os.MkdirAll(filepath.Dir(nbFile), 0o755); err != nil {
			return nil, err
		}
		if err := r.Executed.WriteFile(nbFile); err != nil {
			return nil, err
		}
	}
	return rep, nil
}

// safeName makes a student name usable as a file name.
func safeName(s string) string {
	s = strings.Map(func(r rune) rune {
		if r == '/' || r == '\\' || r == 0 {
			return '_'
		}
		return r
	}, s)
	if s == "" || s == "." || s == ".." {
		s = "_" + s
	}
	return s
}
