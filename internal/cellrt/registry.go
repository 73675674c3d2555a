package cellrt

import (
	"bytes"
	"fmt"
	"math"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// The registry of the goroutines go statements of cells start, and of
// the timers cells make.

// Goroutine is a goroutine started by a go statement of a cell (or by a
// Go function such as sync.WaitGroup.Go given a function literal).
type Goroutine struct {
	token int64  // from goStart, at the go statement
	ID    uint64 // the goroutine's id, once it runs (0 before)
	Cell  int    // the cell of the go statement
	Line  int    // its line in the cell
	Name  string // the function's name, or "func literal"
}

// String names the goroutine for a person: "worker (cell 2, line 3)".
func (g *Goroutine) String() string {
	return fmt.Sprintf("%s (cell %d, line %d)", g.Name, g.Cell, g.Line)
}

// registry tracks the goroutines of cells, the frames the interpreter
// printed for panicking ones, and the timers cells created, for the
// deadlock detector.
type registry struct {
	mu     sync.Mutex
	next   int64
	live   map[int64]*Goroutine  // by token
	byID   map[uint64]*Goroutine // by goroutine id, once running
	frames map[uint64][]Frame    // goroutine → interpreted frames of its panic
	// background counts live goroutines whose cell has ended; while it is
	// zero, printing needs no goroutine lookup.
	background atomic.Int64
	running    int // the cell being run, 0 between cells

	at     map[uint64]Pos // goroutine → where its explicit panic was called
	lastAt Pos            // the same for the latest panic of any goroutine

	timersUntil atomic.Int64 // unix nanos until which a timer a cell made may fire
	tickers     atomic.Int64 // tickers made (a ticker may fire at any time)
}

var reg = &registry{live: map[int64]*Goroutine{}, byID: map[uint64]*Goroutine{}, frames: map[uint64][]Frame{}, at: map[uint64]Pos{}}

// Pos is a line of a cell; the zero Pos is nowhere.
type Pos struct{ Cell, Line int }

// Frame is one interpreted frame of a panic: the function as the
// interpreter printed it ("main.work(...)") and its position. It has the
// fields of the protocol's frame (wire.Frame), which it converts to.
type Frame struct {
	Func string
	Cell int
	Line int
}

// panicAt records where a cell calls panic and returns the value.
func panicAt(v any, cell, line int) any {
	pos := Pos{cell, line}
	id := GoID()
	reg.mu.Lock()
	reg.at[id] = pos
	reg.lastAt = pos
	reg.mu.Unlock()
	return v
}

// WithPanicLine puts the line of an explicit panic into the innermost
// interpreted frame.
func WithPanicLine(frames []Frame, at Pos) []Frame {
	if at == (Pos{}) {
		return frames
	}
	if len(frames) == 0 {
		return []Frame{{Func: "panic", Cell: at.Cell, Line: at.Line}}
	}
	inner := Frame{Func: frames[0].Func, Cell: at.Cell, Line: at.Line}
	return append([]Frame{inner}, frames[1:]...)
}

// GoID returns the id of the calling Stack.
func GoID() uint64 {
	var buf [64]byte
	b := buf[:runtime.Stack(buf[:], false)]
	b = bytes.TrimPrefix(b, []byte("goroutine "))
	if i := bytes.IndexByte(b, ' '); i > 0 {
		n, _ := strconv.ParseUint(string(b[:i]), 10, 64)
		return n
	}
	return 0
}

// goStart registers a goroutine at its go statement, before it runs, so
// that a cell ending at once still counts it; the goroutine calls goEnter
// with the token first thing.
func goStart(cell, line int, name string) int64 {
	reg.mu.Lock()
	defer reg.mu.Unlock()
	reg.next++
	g := &Goroutine{token: reg.next, Cell: cell, Line: line, Name: name}
	reg.live[g.token] = g
	if cell != reg.running {
		reg.background.Add(1)
	}
	return g.token
}

// goEnter binds a registered goroutine to its id.
func goEnter(token int64) {
	id := GoID()
	reg.mu.Lock()
	defer reg.mu.Unlock()
	if g := reg.live[token]; g != nil {
		g.ID = id
		reg.byID[id] = g
	}
}

// goRun registers the calling Stack when it starts (a function
// literal that a Go function such as time.AfterFunc runs).
func goRun(cell, line int, name string) { goEnter(goStart(cell, line, name)) }

// goExit unregisters the calling Stack; r is what it recovered from
// a panic, reported to the cell.
func goExit(r any) {
	r = unwrapPanic(r)
	id := GoID()
	reg.mu.Lock()
	g := reg.byID[id]
	delete(reg.byID, id)
	if g != nil {
		delete(reg.live, g.token)
	}
	if g != nil && g.Cell != reg.running {
		reg.background.Add(-1)
	}
	frames := WithPanicLine(reg.frames[id], reg.at[id])
	delete(reg.frames, id)
	delete(reg.at, id)
	reg.mu.Unlock()
	if r == nil {
		return
	}
	if g == nil {
		g = &Goroutine{ID: id, Name: "goroutine"}
	}
	if h := panicHandler.Load(); h != nil {
		(*h)(g, r, frames)
	}
}

// cellStarted and cellEnded move the cell's goroutines between the
// foreground and the background.
func (rg *registry) cellStarted(cell int) {
	rg.mu.Lock()
	defer rg.mu.Unlock()
	rg.running = cell
	rg.lastAt = Pos{}
	rg.background.Store(int64(len(rg.live)))
}

func (rg *registry) cellEnded() {
	rg.mu.Lock()
	defer rg.mu.Unlock()
	rg.running = 0
	rg.background.Store(int64(len(rg.live)))
}

// of returns the live goroutines, oldest first; with cell > 0 only those
// that cell started.
func (rg *registry) of(cell int) []*Goroutine {
	rg.mu.Lock()
	defer rg.mu.Unlock()
	var gs []*Goroutine
	for _, g := range rg.live {
		if cell == 0 || g.Cell == cell {
			gs = append(gs, g)
		}
	}
	sort.Slice(gs, func(i, j int) bool { return gs[i].token < gs[j].token })
	return gs
}

// backgroundOf returns the registered goroutine the caller is, when it
// belongs to a cell that has ended.
func (rg *registry) backgroundOf(id uint64) *Goroutine {
	rg.mu.Lock()
	defer rg.mu.Unlock()
	g := rg.byID[id]
	if g == nil || g.Cell == rg.running {
		return nil
	}
	return g
}

func (rg *registry) addFrame(id uint64, frame Frame) {
	rg.mu.Lock()
	defer rg.mu.Unlock()
	rg.frames[id] = append(rg.frames[id], frame)
}

// timerAt records that a timer may fire at t.
func (rg *registry) timerAt(t time.Time) {
	n := t.UnixNano()
	for {
		old := rg.timersUntil.Load()
		if old >= n || rg.timersUntil.CompareAndSwap(old, n) {
			return
		}
	}
}

func (rg *registry) timerIn(d time.Duration) {
	if d < 0 {
		d = 0
	}
	if d > math.MaxInt64/2 {
		d = math.MaxInt64 / 2
	}
	rg.timerAt(time.Now().Add(d))
}

// timersPending reports whether a timer made by a cell may still fire, or
// has fired so recently that the goroutine it wakes may not have been
// scheduled yet: on a loaded machine the runtime runs an expired timer
// hundreds of milliseconds late, and until then its goroutine still looks
// blocked in its select.
func (rg *registry) timersPending() bool {
	return rg.tickers.Load() > 0 || time.Now().UnixNano() <= rg.timersUntil.Load()+int64(timerGrace)
}

// timerGrace is how long after a cell's last timer was due a blocked
// goroutine still counts as one the timer may wake.
const timerGrace = time.Second

// forget drops a goroutine that is gone without unregistering (stopped by
// an interrupt).
func (rg *registry) forget(g *Goroutine) {
	rg.mu.Lock()
	defer rg.mu.Unlock()
	if _, ok := rg.live[g.token]; ok {
		delete(rg.live, g.token)
		delete(rg.byID, g.ID)
		if g.Cell != rg.running {
			rg.background.Add(-1)
		}
	}
}

func (rg *registry) registered(id uint64) bool {
	rg.mu.Lock()
	defer rg.mu.Unlock()
	_, ok := rg.byID[id]
	return ok
}

// List describes the live goroutines of cells, for %goroutines.
func List() string {
	gs := reg.of(0)
	if len(gs) == 0 {
		return "No goroutine started by a cell is running.\n"
	}
	states := map[uint64]string{}
	for _, g := range Stacks() {
		states[g.ID] = g.State
	}
	var b strings.Builder
	n := 0
	for _, g := range gs {
		st, ok := states[g.ID]
		if g.ID == 0 {
			st, ok = "starting", true
		}
		if !ok {
			reg.forget(g)
			continue
		}
		n++
		fmt.Fprintf(&b, "goroutine %d: %s, %s\n", g.ID, g, WaitWord(st))
	}
	if n == 0 {
		return "No goroutine started by a cell is running.\n"
	}
	return fmt.Sprintf("%d goroutines started by cells are running:\n%s%%goroutines stop stops them all.\n", n, b.String())
}
