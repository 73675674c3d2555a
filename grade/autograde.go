package grade

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"go/token"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/lanes-dev/lanes/display"
	"github.com/lanes-dev/lanes/engine"
	"github.com/lanes-dev/lanes/grade/sandbox"
	"github.com/lanes-dev/lanes/internal/source"
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
	// Student names a batch of one submission (default: StudentNames).
	Student string
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
	trusted   map[string]bool              // sources of the instructor's cells other than answers
	shown     map[string]string            // grade id → the source students see (no hidden tests)
	graded    map[string]notebook.Nbgrader // grade id → metadata of the graded cells
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
	s := &Source{Name: filepath.Base(name), Notebook: nb, compile: AllowsCompile(nb), protected: map[string]bool{}, trusted: map[string]bool{}, shown: map[string]string{}, graded: map[string]notebook.Nbgrader{}}
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
			s.graded[m.GradeID] = m
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

// StudentNames names submissions, uniquely: nbgrader's layout
// .../submitted/STUDENT/ASSIGNMENT/NB.ipynb (or autograded/, feedback/)
// gives STUDENT; otherwise the nearest directory level whose names tell
// the files apart: STUDENT/NB.ipynb gives STUDENT, and files side by side
// (alice.ipynb, bob.ipynb) give their names without .ipynb. Names still
// repeated get "-2", "-3", … in the order of files. Autograde names the
// whole batch before it takes a shard, so every shard of a batch agrees.
func StudentNames(files []string) []string {
	names := make([]string, len(files))
	var rest []int
	for i, f := range files {
		if n, ok := nbgraderStudent(f); ok {
			names[i] = n
		} else {
			rest = append(rest, i)
		}
	}
	if len(rest) > 0 {
		sub := make([]string, len(rest))
		for k, i := range rest {
			sub[k] = files[i]
		}
		for k, n := range layoutNames(sub) {
			names[rest[k]] = n
		}
	}
	seen := map[string]int{}
	for i, n := range names {
		seen[n]++
		if seen[n] > 1 {
			names[i] = fmt.Sprintf("%s-%d", n, seen[n])
		}
	}
	return names
}

// nbgraderStudent finds STUDENT in nbgrader's
// submitted/STUDENT/ASSIGNMENT/NB.ipynb.
func nbgraderStudent(file string) (string, bool) {
	abs, err := filepath.Abs(file)
	if err != nil {
		abs = file
	}
	p := strings.Split(filepath.ToSlash(abs), "/")
	if len(p) < 4 {
		return "", false
	}
	switch p[len(p)-4] {
	case "submitted", "autograded", "feedback":
		return p[len(p)-3], p[len(p)-3] != ""
	}
	return "", false
}

// layoutNames names files by the nearest directory level that tells them
// apart, else by their file names.
func layoutNames(files []string) []string {
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
	for i, f := range files {
		names[i] = strings.TrimSuffix(filepath.Base(f), filepath.Ext(f))
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
// in the order of files (after sharding: sorted by path); a broken one is
// scored 0 with its reason. Students are named over the whole batch
// (StudentNames of the files sorted by path), so the names of a shard are
// those it has in the whole batch. Cancelling ctx stops the batch: submissions not graded yet
// are Broken with the reason "grading was interrupted".
func Autograde(ctx context.Context, src *Source, files []string, opts Options) []*Result {
	sorted := append([]string(nil), files...)
	sort.Strings(sorted)
	all := StudentNames(sorted)
	if opts.Student != "" && len(sorted) == 1 {
		all[0] = opts.Student
	}
	byFile := map[string]string{}
	for i, f := range sorted {
		byFile[f] = all[i]
	}
	if opts.Shards > 1 {
		files = Shard(files, opts.Shard, opts.Shards)
	}
	names := make([]string, len(files))
	for i, f := range files {
		names[i] = byFile[f]
	}
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
	x := &guard{eng: eng, eopts: eopts, run: runCtx, cellTimeout: cellTimeout, protected: src.protected, maxOutput: maxOut,
		trusted: src.trusted, tests: map[string]bool{}, sentinel: newSentinel(), results: map[string]int{}, causes: map[int]string{}}
	var codes []string
	for _, c := range nb.Cells {
		if c.Type != notebook.Code {
			continue
		}
		codes = append(codes, c.Source)
		if _, kind := kindOf(c); kind == KindTest {
			x.tests[c.Source] = true
		}
	}
	funcResults(codes, x.results)
	x.undefined = Undefined(codes)
	_, runErr := runner.Run(runCtx, nb, x, runner.RunOptions{Timeout: cellTimeout, AllowErrors: true})
	defer func() {
		if x.eng != nil {
			x.eng.Close()
		}
	}()
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
	causes := x.describeCauses(nb)
	for _, c := range causes {
		r.Notes = append(r.Notes, c.text+": the cells before it were run again in a fresh worker without it, and grading went on")
	}
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
	scored := map[string]bool{}
	for i, c := range nb.Cells {
		m, kind := kindOf(c)
		if kind != KindTest && kind != KindManual && kind != KindTask {
			continue
		}
		// Only the source's graded cells count, once each, with the
		// source's points (Assemble already ungrades the submission's).
		sm, ok := src.graded[m.GradeID]
		if !ok || scored[m.GradeID] {
			continue
		}
		scored[m.GradeID] = true
		g := scoreCell(c, i, sm, kind, notRun)
		if g.Status == Failed && c.ExecutionCount != nil {
			if cause, ok := followOn(g.Reason, *c.ExecutionCount, causes); ok {
				g.Reason = "could not run: " + cause
			}
		}
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

// cause is a cell that timed out or lost its worker.
type cause struct {
	count int    // its execution count
	code  string // its source
	text  string // "cell 7 (l08-ex1-answer) did not finish within 30s"
}

// describeCauses names the cells that timed out or lost their worker.
func (g *guard) describeCauses(nb *notebook.Notebook) []cause {
	var out []cause
	for _, c := range nb.Cells {
		if c.ExecutionCount == nil {
			continue
		}
		what, ok := g.causes[*c.ExecutionCount]
		if !ok {
			continue
		}
		name := fmt.Sprintf("cell %d", *c.ExecutionCount)
		if m, _ := c.Nbgrader(); m.GradeID != "" {
			name += " (" + m.GradeID + ")"
		}
		out = append(out, cause{count: *c.ExecutionCount, code: c.Source, text: name + " " + what})
	}
	return out
}

// undefinedName finds the name of an "undefined: NAME" error.
var undefinedName = regexp.MustCompile(`undefined: ([\pL_][\pL\pN_]*)`)

// followOn reports whether reason, the failure of the cell with execution
// count n, follows from an earlier cell that timed out or crashed: a name
// it finds undefined is one that the earlier cell mentions (and would
// have defined). It returns the earlier cell's description.
func followOn(reason string, n int, causes []cause) (string, bool) {
	m := undefinedName.FindStringSubmatch(reason)
	if m == nil {
		return "", false
	}
	for _, c := range causes {
		if c.count >= n {
			break
		}
		for _, t := range scan(source.BlankMagics(c.code)) {
			if t.Tok == token.IDENT && t.Lit == m[1] {
				return c.text, true
			}
		}
	}
	return "", false
}

// refusedName is the error name of a cell the static check refused.
const refusedName = "GradingError"

// guard is the Executor of a graded run: it refuses cells that fail
// CheckSource, caps each cell's output, checks that test cells ran to
// their end (sentinel), and after a cell that timed out or lost its
// worker, goes on in a fresh worker in which the earlier cells have been
// run again, without the ones that timed out or crashed: later cells are
// graded on their own merits, not on the wreck the failing one left.
type guard struct {
	eng         *engine.Engine
	eopts       engine.Options
	run         context.Context // the whole notebook's
	cellTimeout time.Duration
	protected   map[string]bool
	trusted     map[string]bool // sources of the instructor's cells
	tests       map[string]bool // sources of the test cells
	sentinel    sentinel
	results     map[string]int  // result counts of the notebook's functions
	undefined   map[string]bool // package names used and never imported (Undefined)
	maxOutput   int
	truncated   int

	history []engine.Cell  // cells that ran, but for those that timed out or crashed, in order
	causes  map[int]string // execution count → why the cell failed the run
	first   int            // execution count of the first such cell (0: none)
	rerun   int            // how many times the earlier cells were run again
}

// incompleteName is the error name of a test cell that did not run to its
// end.
const incompleteName = "IncompleteTest"

func (g *guard) Execute(ctx context.Context, cell engine.Cell, sink engine.Sink) engine.Result {
	protected := g.protected
	if g.trusted[cell.Code] {
		protected = nil // the instructor's own declarations
	}
	errs := CheckSource(cell.Code, protected)
	errs = append(errs, checkUndefined(cell.Code, g.undefined)...)
	if len(errs) > 0 {
		var tb []string
		for _, e := range errs {
			tb = append(tb, fmt.Sprintf("cell %d, %v", cell.Number, e))
			if e.Detail != "" {
				tb = append(tb, "  "+e.Detail)
			}
		}
		return engine.Result{Err: &engine.Error{Name: refusedName, Message: errs[0].Msg, Traceback: tb}}
	}
	if g.eng == nil {
		return engine.Result{Err: &engine.Error{Name: "WorkerError", Message: "no worker could be started after the crash of cell " + strconv.Itoa(g.first)}}
	}
	test := g.tests[cell.Code]
	run := cell
	if test {
		run.Code = g.sentinel.wrap(cell.Code, g.results)
	}
	cs := &capSink{Sink: sink, left: g.maxOutput}
	res := g.eng.Execute(ctx, run, cs)
	if cs.cut {
		g.truncated++
	}
	timedOut := ctx.Err() != nil && g.run.Err() == nil
	switch {
	case lostWorker(res) || timedOut:
		what := "lost its worker"
		switch {
		case timedOut:
			what = fmt.Sprintf("did not finish within %v", g.cellTimeout)
		case res.Err != nil:
			what = "crashed its worker: " + clip(strings.TrimPrefix(res.Err.Name+": "+res.Err.Message, "fatal error: "), 200)
		}
		g.causes[cell.Number] = what
		if g.first == 0 {
			g.first = cell.Number
		}
		if g.run.Err() == nil {
			g.restart()
		}
		return res
	case res.Err == nil && test && !g.ranToEnd(cell.Number):
		res.Err = &engine.Error{Name: incompleteName,
			Message:   "the test did not run to its end (runtime.Goexit, or something else, ended it early), so it does not pass",
			Traceback: []string{fmt.Sprintf("cell %d: the test did not run to its end (runtime.Goexit, or something else, ended it early), so it does not pass", cell.Number)}}
		res.Value = nil
	}
	// A cell that failed still defined what it declared before it failed:
	// it is run again after a crash too.
	g.history = append(g.history, cell)
	return res
}

// lostWorker reports whether the cell cost its worker: it crashed it, or
// did not stop when interrupted (not a restart the cell asked for).
func lostWorker(res engine.Result) bool {
	if res.Restart == nil {
		return false
	}
	switch res.Restart.Reason {
	case engine.RestartCrash, engine.RestartInterrupt, engine.RestartStuck:
		return true
	}
	return false
}

// ranToEnd asks the worker whether the test cell defined its sentinel.
func (g *guard) ranToEnd(number int) bool {
	ctx, cancel := context.WithTimeout(g.run, g.cellTimeout)
	defer cancel()
	res := g.eng.Execute(ctx, engine.Cell{Code: g.sentinel.done, Number: number}, discardSink{})
	if res.Err != nil || res.Value == nil {
		return false
	}
	text, _ := res.Value.Data["text/plain"].(string)
	return strings.TrimSpace(text) == "true"
}

// restart replaces the worker with a fresh one in which the cells that
// ran so far, but for those that timed out or crashed, are run again
// (their output is dropped).
func (g *guard) restart() {
	g.eng.Close()
	g.eng = nil
	eng, err := engine.New(g.eopts)
	if err != nil {
		return
	}
	g.eng = eng
	g.rerun++
	for _, c := range g.history {
		if g.run.Err() != nil {
			return
		}
		code := c.Code
		if g.tests[code] {
			code = g.sentinel.wrap(code, g.results)
		}
		ctx, cancel := context.WithTimeout(g.run, g.cellTimeout)
		eng.Execute(ctx, engine.Cell{Code: code, Number: c.Number}, discardSink{})
		cancel()
	}
}

// discardSink drops a cell's output.
type discardSink struct{}

func (discardSink) Stream(string, string)                {}
func (discardSink) Display(display.Bundle, string, bool) {}
func (discardSink) ClearOutput(bool)                     {}
func (discardSink) Input(string, bool) (string, error)   { return "", io.EOF }

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
