package lanes

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"runtime"
	rtrace "runtime/trace"
	"slices"
	"strings"
	"time"

	"golang.org/x/exp/trace"
)

// SchedTrace is what Go's own scheduler did while a function ran, read from
// the execution tracer: which goroutine ran on which processor (P), and when
// each goroutine was running, runnable (ready, waiting for a P) or blocked.
// It is the picture that shows parallelism on real hardware.
type SchedTrace struct {
	// Procs has one lane per P; its spans are the goroutines that ran
	// there (task "other" for goroutines of the runtime or of other code).
	Procs *Run
	// Goroutines has one lane per goroutine of the function ("main" is the
	// one that called Trace, the others are g1, g2, ... in the order they
	// were started): compute while running, ready while runnable,
	// wait while sleeping or in a system call, blocked on channels and
	// locks.
	Goroutines *Run
	// GOMAXPROCS is the number of Ps during the run.
	GOMAXPROCS int
}

// Trace runs f under the Go execution tracer and returns what the scheduler
// did: f and every goroutine it starts (and the goroutines they start) are
// followed. Only one trace can run at a time in a process (a recorder
// whose tasks are all done gives its trace up). Work is calibrated before
// the trace starts, so that f's first Work costs what later ones do.
func Trace(f func()) (*SchedTrace, error) {
	calibrate()
	var buf bytes.Buffer
	tracer.mu.Lock()
	takeIdleTracer()
	err := rtrace.Start(&buf)
	tracer.mu.Unlock()
	if err != nil {
		return nil, fmt.Errorf("lanes: starting the execution tracer: %w", err)
	}
	ctx := context.Background()
	procs := runtime.GOMAXPROCS(0)
	rtrace.Log(ctx, "lanes", "start")
	f()
	rtrace.Log(ctx, "lanes", "end")
	rtrace.Stop()
	st, err := parseSched(&buf, procs)
	if err != nil {
		return nil, fmt.Errorf("lanes: reading the execution trace: %w", err)
	}
	return st, nil
}

// TraceProcs runs f once under each GOMAXPROCS setting (1 and the number of
// CPUs if none are given) and compares the processor views on one time
// axis: with one P the goroutines take turns, with several they run at the
// same instant. GOMAXPROCS is restored afterwards.
func TraceProcs(f func(), procs ...int) (*Comparison, error) {
	if len(procs) == 0 {
		procs = []int{1, runtime.NumCPU()}
	}
	old := runtime.GOMAXPROCS(0)
	defer runtime.GOMAXPROCS(old)
	var runs []*Run
	for _, n := range procs {
		runtime.GOMAXPROCS(max(n, 1))
		st, err := Trace(f)
		if err != nil {
			return nil, err
		}
		runs = append(runs, st.Procs)
	}
	return Compare(runs...), nil
}

// MIME shows the processor and goroutine views stacked on one time axis.
func (s *SchedTrace) MIME() map[string]any { return s.Timeline().MIME() }

// Timeline stacks the processor and goroutine views.
func (s *SchedTrace) Timeline() *Timeline { return Timelines(s.Procs, s.Goroutines) }

// String is the text form of both views.
func (s *SchedTrace) String() string { return s.Timeline().Text() }

// goTrack follows one goroutine through the trace.
type goTrack struct {
	id      trace.GoID
	state   trace.GoState
	since   trace.Time
	proc    trace.ProcID
	reason  string
	ours    bool
	created trace.Time
	spans   []Span // lane and task filled in at the end
	pspans  []Span // running spans, Lane = P
}

func parseSched(r io.Reader, procs int) (*SchedTrace, error) {
	rd, err := trace.NewReader(r)
	if err != nil {
		return nil, err
	}
	gs := map[trace.GoID]*goTrack{}
	get := func(id trace.GoID) *goTrack {
		g := gs[id]
		if g == nil {
			g = &goTrack{id: id, proc: trace.NoProc}
			gs[id] = g
		}
		return g
	}
	var start, end trace.Time
	started, ended := false, false
	in := func(t trace.Time) trace.Time { // clip to the window
		if t < start {
			return start
		}
		if ended && t > end {
			return end
		}
		return t
	}
	closeSpan := func(g *goTrack, t trace.Time) {
		if !started || g.state == trace.GoNotExist || g.state == trace.GoUndetermined {
			return
		}
		s, e := in(g.since), in(t)
		if e <= s {
			return
		}
		sp := Span{Start: time.Duration(s - start), End: time.Duration(e - start)}
		switch g.state {
		case trace.GoRunning:
			sp.Kind = Computing
			if g.proc != trace.NoProc {
				p := sp
				p.Lane = int(g.proc)
				g.pspans = append(g.pspans, p)
			}
		case trace.GoRunnable:
			sp.Kind = Ready
		case trace.GoSyscall:
			sp.Kind = Waiting
		case trace.GoWaiting:
			sp.Kind = Blocked
			if waitingReason(g.reason) {
				sp.Kind = Waiting
			}
		}
		g.spans = append(g.spans, sp)
	}
	for {
		ev, err := rd.ReadEvent()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err
		}
		switch ev.Kind() {
		case trace.EventLog:
			l := ev.Log()
			if l.Category != "lanes" {
				continue
			}
			if l.Message == "start" && !started {
				started, start = true, ev.Time()
				caller := get(ev.Goroutine())
				caller.ours = true
				caller.created = start
				// States so far begin at the window's start.
				for _, g := range gs {
					if g.since < start {
						g.since = start
					}
				}
			} else if l.Message == "end" && started && !ended {
				end = ev.Time()
				for _, g := range gs {
					closeSpan(g, end)
				}
				ended = true
			}
		case trace.EventStateTransition:
			if ended {
				continue
			}
			st := ev.StateTransition()
			if st.Resource.Kind != trace.ResourceGoroutine {
				continue
			}
			g := get(st.Resource.Goroutine())
			from, to := st.Goroutine()
			if from == trace.GoNotExist && to == trace.GoRunnable && started {
				if creator := gs[ev.Goroutine()]; creator != nil && creator.ours {
					g.ours, g.created = true, ev.Time()
				}
			}
			closeSpan(g, ev.Time())
			g.state, g.since, g.reason = to, ev.Time(), st.Reason
			if to == trace.GoRunning || to == trace.GoSyscall {
				if p := ev.Proc(); p != trace.NoProc {
					g.proc = p
				}
			}
		}
	}
	if !started || !ended {
		return nil, errors.New("the trace has no start or end mark")
	}
	return buildSched(gs, procs, time.Duration(end-start)), nil
}

// waitingReason tells waits for the outside world (sleep, network, system
// calls) from blocking on other goroutines (channels, locks, select).
func waitingReason(reason string) bool {
	for _, w := range []string{"sleep", "network", "syscall", "I/O", "io "} {
		if strings.Contains(reason, w) {
			return true
		}
	}
	return false
}

func buildSched(gs map[trace.GoID]*goTrack, procs int, wall time.Duration) *SchedTrace {
	var ours []*goTrack
	maxProc := procs - 1
	for _, g := range gs {
		if g.ours {
			ours = append(ours, g)
		}
		for _, s := range g.pspans {
			maxProc = max(maxProc, s.Lane)
		}
	}
	slices.SortFunc(ours, func(a, b *goTrack) int {
		if a.created != b.created {
			return compareDur(time.Duration(a.created), time.Duration(b.created))
		}
		return int(a.id - b.id)
	})
	names := make([]string, len(ours))
	for i := range ours {
		names[i] = fmt.Sprintf("g%d", i) // in order of creation, so runs compare
		if i == 0 {
			names[i] = "main"
		}
	}
	gor := &Run{Name: fmt.Sprintf("goroutines, GOMAXPROCS(%d)", procs), Lanes: names, Tasks: names, Wall: wall, Cores: procs}
	for i, g := range ours {
		for _, s := range g.spans {
			s.Lane, s.Task = i, i
			gor.Spans = append(gor.Spans, s)
		}
	}
	sortSpans(gor.Spans)
	gor.PeakConcurrency = peakConcurrency(gor.Spans, len(names))

	pnames := make([]string, maxProc+1)
	for i := range pnames {
		pnames[i] = fmt.Sprintf("P%d", i)
	}
	pr := &Run{Name: fmt.Sprintf("GOMAXPROCS(%d)", procs), Lanes: pnames, Tasks: append(append([]string(nil), names...), "other"),
		Wall: wall, Cores: procs, PeakConcurrency: gor.PeakConcurrency, ColorByTask: true}
	index := map[trace.GoID]int{}
	for i, g := range ours {
		index[g.id] = i
	}
	for _, g := range gs {
		task, ok := index[g.id]
		if !ok {
			task = len(names) // "other"
		}
		for _, s := range g.pspans {
			s.Task = task
			pr.Spans = append(pr.Spans, s)
		}
	}
	sortSpans(pr.Spans)
	return &SchedTrace{Procs: pr, Goroutines: gor, GOMAXPROCS: procs}
}
