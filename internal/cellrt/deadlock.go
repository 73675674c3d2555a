package cellrt

import (
	"bytes"
	"context"
	"fmt"
	"regexp"
	"runtime"
	"runtime/metrics"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Stack dumps and the deadlock detector.

// Stack is one goroutine of a stack dump.
type Stack struct {
	ID     uint64
	State  string   // "chan receive", "select", "sleep", ...
	Frames []string // the function line of each frame, innermost first
}

var goHeader = regexp.MustCompile(`^goroutine (\d+) (?:gp=\S+ m=\S+ (?:mp=\S+ )?)?\[([^\]]*)\]:`)

// Stacks parses runtime.Stack(all).
func Stacks() []Stack {
	buf := make([]byte, 1<<20)
	for {
		n := runtime.Stack(buf, true)
		if n < len(buf) {
			buf = buf[:n]
			break
		}
		buf = make([]byte, 2*len(buf))
	}
	var gs []Stack
	for _, block := range bytes.Split(buf, []byte("\n\n")) {
		lines := strings.Split(string(block), "\n")
		m := goHeader.FindStringSubmatch(lines[0])
		if m == nil {
			continue
		}
		id, _ := strconv.ParseUint(m[1], 10, 64)
		state := m[2]
		if i := strings.IndexByte(state, ','); i >= 0 {
			state = state[:i] // "chan receive, 2 minutes"
		}
		var frames []string
		for i := 1; i < len(lines); i += 2 {
			frames = append(frames, lines[i])
		}
		gs = append(gs, Stack{ID: id, State: goState(state, frames), Frames: frames})
	}
	return gs
}

// goState names what a goroutine waits for as Go would: the interpreter
// makes channel operations selects (so that they can be cancelled), and
// its frame tells which operation it is.
func goState(state string, frames []string) string {
	if state != "select" && !strings.HasPrefix(state, "chan ") {
		return state
	}
	for _, f := range frames {
		if strings.HasPrefix(f, sleepFrame) {
			return "sleep" // a select on a timer and the cell's stop
		}
	}
	for _, f := range frames {
		op, ok := strings.CutPrefix(f, interpPkg)
		if !ok {
			continue
		}
		switch {
		case strings.HasPrefix(op, "recv"), strings.HasPrefix(op, "rangeChan"), strings.HasPrefix(op, "_range"):
			return "chan receive"
		case strings.HasPrefix(op, "send"):
			return "chan send"
		case strings.HasPrefix(op, "_select"):
			return "select"
		}
		return state
	}
	return state
}

// interpreted reports whether a goroutine runs cell code, and is not one
// of the worker's own.
func (g Stack) interpreted() bool {
	has := false
	for _, f := range g.Frames {
		if ownFrame(f) {
			return false
		}
		if strings.HasPrefix(f, interpPkg) {
			has = true
		}
	}
	return has
}

// blockedForGood reports whether the goroutine waits on something only
// another goroutine of the program can release: a channel, a select, a
// lock, a wait group or a condition, reached from interpreted code (not
// from a library waiting on the network or a process).
func (g Stack) blockedForGood() bool {
	switch {
	case strings.HasPrefix(g.State, "chan "), strings.HasPrefix(g.State, "select"),
		strings.HasPrefix(g.State, "sync."), g.State == "semacquire":
	default:
		return false
	}
	for _, f := range g.Frames {
		switch {
		case strings.HasPrefix(f, "runtime."), strings.HasPrefix(f, "reflect."),
			strings.HasPrefix(f, "sync."), strings.HasPrefix(f, "internal/"):
			continue
		case strings.HasPrefix(f, interpPkg):
			return true
		}
		return false
	}
	return false
}

// WaitWord says in words what a goroutine state waits for.
func WaitWord(state string) string {
	switch {
	case strings.HasPrefix(state, "chan receive"):
		return "blocked on receive"
	case strings.HasPrefix(state, "chan send"):
		return "blocked on send"
	case state == "select (no cases)":
		return "blocked in select {}"
	case strings.HasPrefix(state, "select"):
		return "blocked in select"
	case state == "sync.WaitGroup.Wait":
		return "waiting for a WaitGroup"
	case strings.HasPrefix(state, "sync.Mutex"), strings.HasPrefix(state, "sync.RWMutex"), state == "semacquire":
		return "waiting for a lock"
	case state == "sync.Cond.Wait":
		return "waiting on a Cond"
	case state == "sleep":
		return "sleeping"
	case state == "running", state == "runnable":
		return "running"
	}
	return state
}

// busy reports whether some goroutine other than the caller is running
// or runnable; a cheap test before a stack dump.
func busy() bool {
	s := []metrics.Sample{{Name: "/sched/goroutines/running:goroutines"}, {Name: "/sched/goroutines/runnable:goroutines"}}
	metrics.Read(s)
	var n uint64
	for _, x := range s {
		if x.Value.Kind() != metrics.KindUint64 {
			return false // metric unavailable: always look at the Stacks
		}
		n += x.Value.Uint64()
	}
	return n > 1
}

// Deadlock is what the detector found.
type Deadlock struct {
	// Traceback is Go's report: DeadlockMessage, then each goroutine and
	// what it waits on.
	Traceback []string
	// At is the go statement of the first blocked goroutine a cell
	// started (zero when only the cell's own code is blocked).
	At Pos
}

// deadlock looks for a deadlock of the running cell: every goroutine
// running cell code is blocked on channels, locks, wait groups or
// select{}, the cell's own among them, and no timer a cell made is
// pending. It returns the report, or nil.
func deadlock(cell int) *Deadlock {
	if busy() || reg.timersPending() {
		return nil
	}
	gs := Stacks()
	var blocked []Stack
	main := false
	for _, g := range gs {
		if !g.interpreted() {
			continue
		}
		if !g.blockedForGood() {
			return nil
		}
		blocked = append(blocked, g)
		for _, f := range g.Frames {
			if IsEvalFrame(f) {
				main = true
			}
		}
	}
	if !main || len(blocked) == 0 {
		return nil
	}
	d := &Deadlock{Traceback: []string{"fatal error: " + DeadlockMessage, ""}}
	for _, g := range blocked {
		reg.mu.Lock()
		r := reg.byID[g.ID]
		reg.mu.Unlock()
		if r != nil && d.At == (Pos{}) {
			d.At = Pos{r.Cell, r.Line}
		}
		d.Traceback = append(d.Traceback, fmt.Sprintf("goroutine %d [%s]:", g.ID, g.State),
			"\t"+describeGoroutine(g, r, cell)+" — "+WaitWord(g.State))
	}
	return d
}

// describeGoroutine names a goroutine of a stack dump for a person.
// r is the registered goroutine g is, or nil.
func describeGoroutine(g Stack, r *Goroutine, cell int) string {
	if r != nil {
		return r.String()
	}
	for _, f := range g.Frames {
		if IsEvalFrame(f) {
			return fmt.Sprintf("the code of cell %d", cell)
		}
	}
	return "a goroutine started by a library"
}

// DeadlockMessage is Go's own words for a deadlock.
const DeadlockMessage = "all goroutines are asleep - deadlock!"

// WatchDeadlock checks the running cell for a deadlock until ctx ends;
// found is called once with the report (see deadlock).
func WatchDeadlock(ctx context.Context, cell int, found func(*Deadlock)) {
	t := time.NewTicker(100 * time.Millisecond)
	defer t.Stop()
	var prev *Deadlock
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		d := deadlock(cell)
		if d != nil && prev != nil && slices.Equal(d.Traceback, prev.Traceback) {
			found(d)
			return
		}
		prev = d
	}
}
