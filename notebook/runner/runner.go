package runner

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/lanes-dev/lanes/display"
	"github.com/lanes-dev/lanes/engine"
	"github.com/lanes-dev/lanes/notebook"
)

// Executor runs cells; *engine.Engine is one.
type Executor interface {
	Execute(ctx context.Context, cell engine.Cell, sink engine.Sink) engine.Result
}

// RunOptions configure Run.
type RunOptions struct {
	// Timeout limits each cell (0: no limit). A cell that runs longer is
	// interrupted (its context is cancelled; the engine restarts a worker
	// that does not stop) and gets a CellTimeoutError output.
	Timeout time.Duration
	// AllowErrors runs every cell even after one fails, as nbconvert's
	// --allow-errors does. Without it Run stops at the first failing cell
	// (unless that cell is tagged "raises-exception").
	AllowErrors bool
	// LanguageInfo, when set, becomes the notebook's
	// metadata.language_info, as Jupyter records the kernel's.
	LanguageInfo map[string]any
	// Progress is called after each executed cell.
	Progress func(Progress)
}

// Progress describes one executed cell.
type Progress struct {
	// Index is the cell's position in Notebook.Cells (0-based).
	Index int
	// Count is its execution count, the N of "In [N]" and of "cell N"
	// in error messages; Total is the number of cells Run executes.
	Count, Total int
	// Elapsed is how long the cell ran.
	Elapsed time.Duration
	// Err is the cell's error output, nil when it succeeded.
	Err *notebook.Output
	// TimedOut is set when the cell exceeded RunOptions.Timeout.
	TimedOut bool
	// Restarted is set when the engine had to start a fresh worker (not
	// one the cell asked for with %reset or %goroutines stop).
	Restarted bool
}

// CellError is the first failing cell of a run that stopped there.
type CellError struct {
	// Index is the cell's position in Notebook.Cells (0-based); Count its
	// execution count.
	Index, Count int
	// Output is the cell's error output.
	Output *notebook.Output
	// TimedOut is set when the cell exceeded its time limit.
	TimedOut bool
}

// Error names the cell by its execution count, with the error's name and
// message.
func (e *CellError) Error() string {
	return fmt.Sprintf("cell %d failed: %s: %s", e.Count, e.Output.EName, e.Output.EValue)
}

// Stats summarise a run.
type Stats struct {
	// Executed and Failed count code cells.
	Executed, Failed int
	// Elapsed is the time spent running cells.
	Elapsed time.Duration
}

// ErrNoInput is what a cell that reads standard input sees (as end of
// input): a notebook run has no one to type.
var ErrNoInput = errors.New("notebook: no standard input when running a notebook")

// Run executes the notebook's code cells in order through x, replacing
// their outputs and execution counts as Jupyter's nbclient does (see the
// package documentation). It returns a *CellError for the first failing
// cell unless opts.AllowErrors is set; the cells after it are left with no
// outputs. Cancelling ctx interrupts the running cell and stops the run
// with ctx's error.
func Run(ctx context.Context, nb *notebook.Notebook, x Executor, opts RunOptions) (st Stats, err error) {
	if opts.LanguageInfo != nil {
		if err = nb.SetMetadata("language_info", opts.LanguageInfo); err != nil {
			return st, err
		}
	}
	total := 0
	for _, c := range nb.Cells {
		if c.Runnable() {
			total++
		}
	}
	r := &runner{nb: nb, exec: x, ids: map[string]map[int][]int{}}
	start := time.Now()
	defer func() { st.Elapsed = time.Since(start) }()
	var stop error
	for i, c := range nb.Cells {
		if !c.Runnable() {
			continue
		}
		if stop != nil { // not run: no outputs from an earlier run left behind
			c.Outputs, c.ExecutionCount = nil, nil
			continue
		}
		st.Executed++
		p := r.runCell(ctx, i, st.Executed, opts.Timeout)
		p.Total = total
		if opts.Progress != nil {
			opts.Progress(p)
		}
		if p.Err == nil {
			continue
		}
		st.Failed++
		switch {
		case ctx.Err() != nil:
			stop = ctx.Err()
		case !opts.AllowErrors && !c.HasTag("raises-exception"):
			stop = &CellError{Index: i, Count: p.Count, Output: p.Err, TimedOut: p.TimedOut}
		}
	}
	return st, stop
}

// runner holds what outlives a cell: the display ids of outputs, which a
// later update_display_data in any cell replaces, as in nbclient.
type runner struct {
	nb   *notebook.Notebook
	exec Executor
	mu   sync.Mutex
	ids  map[string]map[int][]int // display id → cell index → output indices
}

func (r *runner) runCell(ctx context.Context, index, count int, timeout time.Duration) Progress {
	c := r.nb.Cells[index]
	r.mu.Lock()
	c.Outputs = nil
	r.forgetCell(index)
	r.mu.Unlock()
	cctx, cancel := ctx, context.CancelFunc(func() {})
	if timeout > 0 {
		cctx, cancel = context.WithTimeout(ctx, timeout)
	}
	sink := &cellSink{r: r, cell: c, index: index}
	t0 := time.Now()
	res := r.exec.Execute(cctx, engine.Cell{Code: c.Source, Number: count}, sink)
	elapsed := time.Since(t0)
	timedOut := timeout > 0 && errors.Is(cctx.Err(), context.DeadlineExceeded) && ctx.Err() == nil
	cancel()

	r.mu.Lock()
	defer r.mu.Unlock()
	sink.done = true // output of goroutines that outlive the cell is dropped, as nbclient does
	n := count
	c.ExecutionCount = &n
	p := Progress{Index: index, Count: count, Elapsed: elapsed, Restarted: res.Restart != nil && !res.Restart.Reason.Requested()}
	switch {
	case timedOut:
		tb := []string{fmt.Sprintf("CellTimeoutError: cell %d did not finish within %v and was interrupted", count, timeout)}
		tb = append(tb, res.Traceback()...)
		p.Err = &notebook.Output{Type: notebook.Error, EName: "CellTimeoutError",
			EValue: fmt.Sprintf("cell %d did not finish within %v and was interrupted", count, timeout), Traceback: tb}
		p.TimedOut = true
	case res.Err != nil:
		p.Err = &notebook.Output{Type: notebook.Error, EName: res.Err.Name, EValue: res.Err.Message, Traceback: res.Traceback()}
	case res.Value != nil:
		sink.append(&notebook.Output{Type: notebook.ExecuteResult, Data: res.Value.Data,
			Metadata: res.Value.Metadata, ExecutionCount: &n}, "")
	}
	if p.Err != nil {
		sink.append(p.Err, "")
	}
	return p
}

// forgetCell drops the display ids recorded for a cell whose outputs were
// cleared.
func (r *runner) forgetCell(index int) {
	for _, cells := range r.ids {
		delete(cells, index)
	}
}

// cellSink turns the engine's output events into the cell's outputs.
type cellSink struct {
	r            *runner
	cell         *notebook.Cell
	index        int
	clearPending bool // clear_output(wait=True) seen, no output since
	done         bool
}

var _ engine.Sink = (*cellSink)(nil)

// append adds an output (under r.mu), first doing a pending clear, and
// records its display id.
func (s *cellSink) append(o *notebook.Output, displayID string) {
	if s.clearPending {
		s.cell.Outputs = nil
		s.r.forgetCell(s.index)
		s.clearPending = false
	}
	if displayID != "" {
		cells := s.r.ids[displayID]
		if cells == nil {
			cells = map[int][]int{}
			s.r.ids[displayID] = cells
		}
		cells[s.index] = append(cells[s.index], len(s.cell.Outputs))
	}
	s.cell.Outputs = append(s.cell.Outputs, o)
}

// Stream appends text, merged into the previous output when that is a
// stream of the same name.
func (s *cellSink) Stream(name, text string) {
	s.r.mu.Lock()
	defer s.r.mu.Unlock()
	if s.done {
		return
	}
	if !s.clearPending && len(s.cell.Outputs) > 0 {
		if last := s.cell.Outputs[len(s.cell.Outputs)-1]; last.Type == notebook.Stream && last.Name == name {
			last.Text += text
			return
		}
	}
	s.append(&notebook.Output{Type: notebook.Stream, Name: name, Text: text}, "")
}

// Display appends display_data; with an id, it also replaces the data of
// every earlier output with that id (in any cell). An update only replaces.
func (s *cellSink) Display(b display.Bundle, id string, update bool) {
	s.r.mu.Lock()
	defer s.r.mu.Unlock()
	if s.done {
		return
	}
	if id != "" {
		for ci, idxs := range s.r.ids[id] {
			outs := s.r.nb.Cells[ci].Outputs
			for _, oi := range idxs {
				if oi < len(outs) {
					outs[oi].Data, outs[oi].Metadata = b.Data, b.Metadata
				}
			}
		}
	}
	if update {
		return
	}
	s.append(&notebook.Output{Type: notebook.DisplayData, Data: b.Data, Metadata: b.Metadata}, id)
}

// ClearOutput clears the cell's outputs now, or with wait at the next
// output.
func (s *cellSink) ClearOutput(wait bool) {
	s.r.mu.Lock()
	defer s.r.mu.Unlock()
	if s.done {
		return
	}
	if wait {
		s.clearPending = true
		return
	}
	s.cell.Outputs = nil
	s.r.forgetCell(s.index)
}

// Input fails: a notebook run has no standard input.
func (s *cellSink) Input(prompt string, password bool) (string, error) {
	return "", ErrNoInput
}
