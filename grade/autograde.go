package grade

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/lanes-dev/lanes/display"
	"github.com/lanes-dev/lanes/engine"
	"github.com/lanes-dev/lanes/grade/sandbox"
	"github.com/lanes-dev/lanes/notebook"
	"github.com/lanes-dev/lanes/notebook/runner"
)

// Defaults of Options.
const (
	DefaultCellTimeout = 30 * time.Second
	DefaultMaxOutput   = 1 << 20
)

// Options configure Autograde.
type Options struct {
	// Workers is how many submissions are graded at once (0: the number
	// of cores).
	Workers int
	// Shard and Shards grade every Shards-th submission starting with
	// the Shard-th (1-based) of the submissions sorted by path; 0 grades
	// all.
	Shard, Shards int
	// CellTimeout limits each cell (0: DefaultCellTimeout).
	CellTimeout time.Duration
	// NotebookTimeout limits a whole submission (0: no limit beyond
	// the cells').
	NotebookTimeout time.Duration
	// Limits are the worker's memory and goroutine limits.
	Limits sandbox.Limits
	// MaxOutput bounds the output kept per cell, in bytes (0:
	// DefaultMaxOutput); the rest is dropped with a note.
	MaxOutput int
	// WorkerCommand starts a worker (default: this executable, as the
	// engine does).
	WorkerCommand []string
	// InterruptGrace is the engine's grace for interrupted cells.
	InterruptGrace time.Duration
	// Log receives the engine's diagnostics (default: discarded).
	Log io.Writer
	// Progress is called after each submission, from one goroutine at a
	// time, with the number done and the total.
	Progress func(done, total int, r *Result)
}

// Submission statuses.
const (
	Graded = "graded" // run and scored (cells may have failed)
	Broken = "error"  // could not be graded: scored 0 with the reason
)

// Result is the grade of one submission.
type Result struct {
	// Student identifies the submission (see StudentNames).
	Student string `json:"student"`
	// File is the submission's path.
	File string `json:"file"`
	// Score and Max are the points earned and possible.
	Score float64 `json:"score"`
	Max   float64 `json:"max"`
	// Status is Graded or Broken.
	Status string `json:"status"`
	// Reason says why a submission is Broken, or the first lost points.
	Reason string `json:"reason,omitempty"`
	// Notes are what was restored or changed before grading.
	Notes []string `json:"notes,omitempty"`
	// Cells are the graded cells in the source's order.
	Cells []CellGrade `json:"cells"`
	// Seconds is how long grading took.
	Seconds float64 `json:"seconds"`

	// Executed is the graded notebook with its outputs (nil when Broken
	// before running).
	Executed *notebook.Notebook `json:"-"`
}

// Source is an instructor notebook ready to grade against.
type Source struct {
	// Name is the notebook's file name, e.g. "08-race-conditions.ipynb".
	Name string
	// Notebook is the instructor version.
	Notebook *notebook.Notebook
	// Max is the total of its points.
	Max float64

	compile   bool // the assignment allows %%compile cells (AllowsCompile)
	protected map[string]bool
	trusted   map[string]bool   // sources of the instructor's cells other than answers
	shown     map[string]string // grade id → the source students see (no hidden tests)
}

// NewSource prepares an instructor notebook: it validates the nbgrader
// metadata and finds the packages the tests use (which the students'
// cells may not redeclare).
func NewSource(name string, nb *notebook.Notebook) (*Source, error) {
	if err := Validate(nb); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	rel, err := releasedCopy(nb)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	s := &Source{Name: filepath.Base(name), Notebook: nb, compile: AllowsCompile(nb), protected: map[string]bool{}, trusted: map[string]bool{}, shown: map[string]string{}}
	for i, c := range nb.Cells {
		m, kind := kindOf(c)
		if kind != KindAnswer && kind != KindManual {
			s.trusted[c.Source] = true
			s.trusted[rel.Cells[i].Source] = true
			if m.GradeID != "" {
				s.shown[m.GradeID] = rel.Cells[i].Source
			}
		}
		if kind == KindTest || kind == KindManual || kind == KindTask {
			s.Max += m.Points
		}
		if kind == KindTest {
			packagesUsed(c.Source, s.protected)
		}
	}
	return s, nil
}

// AllowsCompile reports whether an instructor notebook allows compiled
// cells (%%compile) in its submissions: its metadata has
// "lanes": {"compile": true}. They are off by default because a compiled
// cell runs outside the interpreter's sandbox (see package sandbox).
func AllowsCompile(nb *notebook.Notebook) bool {
	var m struct {
		Lanes struct {
			Compile bool `json:"compile"`
		} `json:"lanes"`
	}
	return json.Unmarshal(nb.Metadata, &m) == nil && m.Lanes.Compile
}

// ReadSource reads an instructor notebook (see NewSource).
func ReadSource(file string) (*Source, error) {
	nb, err := notebook.ReadFile(file)
	if err != nil {
		return nil, err
	}
	return NewSource(file, nb)
}

// StudentNames names submissions by the nearest directory level whose
// names tell them apart: nbgrader's submitted/STUDENT/ASSIGNMENT/NB.ipynb
// gives STUDENT, STUDENT/NB.ipynb gives STUDENT, and files side by side
// (alice.ipynb, bob.ipynb) give their names without .ipynb. Names still
// repeated get "-2", "-3", ….
func StudentNames(files []string) []string {
	parts := make([][]string, len(files))
	for i, f := range files {
		abs, err := filepath.Abs(f)
		if err != nil {
			abs = f
		}
		parts[i] = strings.Split(filepath.ToSlash(abs), "/")
	}
	pick := func(level int) ([]string, bool) { // level 1: parent directory
		names := make([]string, len(files))
		seen := map[string]bool{}
		for i, p := range parts {
			if len(p)-1-level < 1 {
				return nil, false
			}
			n := p[len(p)-1-level]
			if seen[n] {
				return nil, false
			}
			seen[n] = true
			names[i] = n
		}
		return names, true
	}
	for level := 1; level <= 2 && len(files) > 0; level++ {
		if names, ok := pick(level); ok {
			return names
		}
	}
	names := make([]string, len(files))
	seen := map[string]int{}
	for i, f := range files {
		n := strings.TrimSuffix(filepath.Base(f), filepath.Ext(f))
		seen[n]++
		if seen[n] > 1 {
			n = fmt.Sprintf("%s-%d", n, seen[n])
		}
		names[i] = n
	}
	return names
}

// Shard returns the submissions of shard k of n (1-based) of files sorted
// by path.
func Shard(files []string, k, n int) []string {
	sorted := append([]string(nil), files...)
	sort.Strings(sorted)
	if n <= 1 {
		return sorted
	}
	var out []string
	for i, f := range sorted {
		if i%n == k-1 {
			out = append(out, f)
		}
	}
	return out
}

// Autograde grades the submissions against src, each in a fresh worker in
// grading mode, opts.Workers at a time. Every submission gets a Result,
// in the order of files (after sharding); a broken one is scored 0 with
// its reason. Cancelling ctx stops the batch: submissions not graded yet
// are Broken with the reason "grading was interrupted".
func Autograde(ctx context.Context, src *Source, files []string, opts Options) []*Result {
	if opts.Shards > 1 {
		files = Shard(files, opts.Shard, opts.Shards)
	}
	names := StudentNames(files)
	workers := opts.Workers
	if workers <= 0 {
		workers = runtime.NumCPU()
	}
	results := make([]*Result, len(files))
	jobs := make(chan int)
	var mu sync.Mutex
	done := 0
	var wg sync.WaitGroup
	for w := 0; w < min(workers, max(len(files), 1)); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				r := GradeFile(ctx, src, files[i], opts)
				r.Student = names[i]
				results[i] = r
				mu.Lock()
				done++
				if opts.Progress != nil {
					opts.Progress(done, len(files), r)
				}
				mu.Unlock()
			}
		}()
	}
	for i := range files {
		jobs <- i
	}
	close(jobs)
	wg.Wait()
	return results
}

// GradeFile grades one submission file (see Grade).
func GradeFile(ctx context.Context, src *Source, file string, opts Options) *Result {
	start := time.Now()
	r := &Result{File: file, Max: src.Max}
	defer func() { r.Seconds = time.Since(start).Seconds() }()
	data, err := os.ReadFile(file)
	if err != nil {
		return r.broken(src, fmt.Sprintf("cannot read the submission: %v", err))
	}
	sub, err := notebook.Parse(data)
	if err != nil {
		var se *notebook.SyntaxError
		if errors.As(err, &se) {
			return r.broken(src, "not a notebook: invalid JSON: "+err.Error())
		}
		return r.broken(src, err.Error())
	}
	if base := filepath.Base(file); base != src.Name {
		r.Notes = append(r.Notes, fmt.Sprintf("the notebook is named %s, not %s: graded all the same", base, src.Name))
	}
	grade(ctx, src, sub, opts, r)
	return r
}

// Grade grades a parsed submission.
func Grade(ctx context.Context, src *Source, sub *notebook.Notebook, opts Options) *Result {
	start := time.Now()
	r := &Result{Max: src.Max}
	grade(ctx, src, sub, opts, r)
	r.Seconds = time.Since(start).Seconds()
	return r
}

// broken scores every graded cell 0 with reason.
func (r *Result) broken(src *Source, reason string) *Result {
	r.Status, r.Reason, r.Score = Broken, reason, 0
	r.Cells = nil
	for i, c := range src.Notebook.Cells {
		m, kind := kindOf(c)
		if kind == KindTest || kind == KindManual || kind == KindTask {
			r.Cells = append(r.Cells, CellGrade{GradeID: m.GradeID, Max: m.Points, Status: NotRun, Reason: reason, Index: i})
		}
	}
	return r
}

func grade(ctx context.Context, src *Source, sub *notebook.Notebook, opts Options, r *Result) {
	nb, notes, err := Assemble(src.Notebook, sub)
	if err != nil {
		r.broken(src, err.Error())
		return
	}
	r.Notes = append(r.Notes, notes...)
	limits := opts.Limits
	limits.Compile = src.compile
	eopts := engine.Options{
		Command:        opts.WorkerCommand,
		Env:            limits.Env(),
		InterruptGrace: opts.InterruptGrace,
		Log:            opts.Log,
	}
	eng, err := engine.New(eopts)
	if err != nil {
		r.broken(src, fmt.Sprintf("cannot start a worker: %v", err))
		return
	}
	defer eng.Close()
	cellTimeout := opts.CellTimeout
	if cellTimeout <= 0 {
		cellTimeout = DefaultCellTimeout
	}
	maxOut := opts.MaxOutput
	if maxOut <= 0 {
		maxOut = DefaultMaxOutput
	}
	runCtx, cancel := ctx, context.CancelFunc(func() {})
	if opts.NotebookTimeout > 0 {
		runCtx, cancel = context.WithTimeout(ctx, opts.NotebookTimeout)
	}
	defer cancel()
	x := &guard{eng: eng, protected: src.protected, maxOutput: maxOut, trusted: src.trusted}
	_, runErr := runner.Run(runCtx, nb, x, runner.RunOptions{Timeout: cellTimeout, AllowErrors: true})
	r.Executed = nb
	notRun := "not run"
	switch {
	case ctx.Err() != nil:
		notRun = "not run: grading was interrupted"
	case errors.Is(runErr, context.DeadlineExceeded):
		notRun = fmt.Sprintf("not run: the notebook's time limit of %v was reached", opts.NotebookTimeout)
		r.Notes = append(r.Notes, fmt.Sprintf("the notebook's time limit of %v was reached", opts.NotebookTimeout))
	}
	if x.truncated > 0 {
		r.Notes = append(r.Notes, fmt.Sprintf("output truncated in %d cell(s): only the first %s of each cell's output is kept", x.truncated, sandbox.Bytes(int64(maxOut))))
	}
	r.Status = Graded
	refused := ""
	for _, c := range nb.Cells {
		for _, o := range c.Outputs {
			if o.Type == notebook.Error && o.EName == refusedName {
				m, _ := c.Nbgrader()
				what := "a cell"
				if m.GradeID != "" {
					what = m.GradeID
				}
				note := fmt.Sprintf("%s was not run: %s", what, clip(o.EValue, 300))
				r.Notes = append(r.Notes, note)
				if refused == "" {
					refused = note
				}
			}
		}
	}
	for i, c := range nb.Cells {
		m, kind := kindOf(c)
		if kind != KindTest && kind != KindManual && kind != KindTask {
			continue
		}
		g := scoreCell(c, i, m, kind, notRun)
		r.Cells = append(r.Cells, g)
		r.Score += g.Points
		if r.Reason == "" && g.Points < g.Max && g.Status != Manual {
			r.Reason = g.GradeID + ": " + g.Reason
		}
	}
	if refused != "" && r.Score < r.Max {
		r.Reason = refused
	}
	if ctx.Err() != nil {
		r.Status, r.Reason = Broken, "grading was interrupted"
	}
}

// refusedName is the error name of a cell the static check refused.
const refusedName = "GradingError"

// guard is the Executor of a graded run: it refuses cells that fail
// CheckSource and caps each cell's output.
type guard struct {
	eng       *engine.Engine
	protected map[string]bool
	trusted   map[string]bool // sources of the instructor's cells
	maxOutput int
	truncated int
}

func (g *guard) Execute(ctx context.Context, cell engine.Cell, sink engine.Sink) engine.Result {
	protected := g.protected
	if g.trusted[cell.Code] {
		protected = nil // the instructor's own declarations
	}
	if errs := CheckSource(cell.Code, protected); len(errs) > 0 {
		var tb []string
		for _, e := range errs {
			tb = append(tb, fmt.Sprintf("cell %d, %v", cell.Number, e))
			if e.Detail != "" {
				tb = append(tb, "  "+e.Detail)
			}
		}
		return engine.Result{Err: &engine.Error{Name: refusedName, Message: errs[0].Msg, Traceback: tb}}
	}
	cs := &capSink{Sink: sink, left: g.maxOutput}
	res := g.eng.Execute(ctx, cell, cs)
	if cs.cut {
		g.truncated++
	}
	return res
}

// capSink passes on at most left bytes of a cell's output.
type capSink struct {
	engine.Sink
	left int
	cut  bool
}

func (s *capSink) take(n int) bool {
	if s.cut {
		return false
	}
	if n <= s.left {
		s.left -= n
		return true
	}
	return false
}

func (s *capSink) truncate(name string) {
	if !s.cut {
		s.cut = true
		s.Sink.Stream(name, "\n[output truncated: the cell wrote more than the grader keeps]\n")
	}
}

func (s *capSink) Stream(name, text string) {
	if s.cut {
		return
	}
	if !s.take(len(text)) {
		keep := text[:s.left]
		for len(keep) > 0 && !isRuneStart(text[len(keep)]) {
			keep = keep[:len(keep)-1]
		}
		if keep != "" {
			s.Sink.Stream(name, keep)
		}
		s.left = 0
		s.truncate(name)
		return
	}
	s.Sink.Stream(name, text)
}

func (s *capSink) Display(b display.Bundle, id string, update bool) {
	n := 0
	for _, v := range b.Data {
		switch v := v.(type) {
		case string:
			n += len(v)
		case []byte:
			n += len(v)
		default:
			n += 64
		}
	}
	if !s.take(n) {
		s.truncate("stdout")
		return
	}
	s.Sink.Display(b, id, update)
}
