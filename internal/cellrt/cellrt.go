package cellrt

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"math"
	"os"
	"reflect"
	"regexp"
	"runtime"
	"runtime/metrics"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/lanes-dev/lanes/display"
	"github.com/lanes-dev/lanes/internal/cellstop"
)

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

// timersPending reports whether a timer made by a cell may still fire.
func (rg *registry) timersPending() bool {
	return rg.tickers.Load() > 0 || time.Now().UnixNano() <= rg.timersUntil.Load()+int64(50*time.Millisecond)
}

// Symbols is the helper package rewritten cells import as rtName.
func Symbols() map[string]reflect.Value {
	return map[string]reflect.Value{
		"GoStart":   reflect.ValueOf(goStart),
		"GoEnter":   reflect.ValueOf(goEnter),
		"GoRun":     reflect.ValueOf(goRun),
		"GoExit":    reflect.ValueOf(goExit),
		"Clear":     reflect.ValueOf(clearValue),
		"Print":     reflect.ValueOf(printArgs),
		"Println":   reflect.ValueOf(printlnArgs),
		"Recovered": reflect.ValueOf(recovered),
		"At":        reflect.ValueOf(panicAt),
		"Result":    reflect.ValueOf(setResult),
	}
}

// The final value of the running cell, handed over by the rewritten final
// expression (_lanesrt.Result(expr)). Calling a compiled function lets the
// interpreter wrap values of cell-defined types into the display
// interfaces (see MapTypes), so that their MIME, HTML, ... methods
// are seen.
var (
	resultMu  sync.Mutex
	resultVal any
	resultSet bool
)

func setResult(vs ...any) {
	resultMu.Lock()
	defer resultMu.Unlock()
	resultSet = true
	switch len(vs) {
	case 0:
		resultSet = false
	case 1:
		resultVal = vs[0]
	default:
		resultVal = tuple(vs)
	}
}

// TakeResult returns the value handed over by setResult, if any, and
// forgets it.
func TakeResult() (any, bool) {
	resultMu.Lock()
	defer resultMu.Unlock()
	v, ok := resultVal, resultSet
	resultVal, resultSet = nil, false
	return v, ok
}

// tuple shows the results of a call with several, as Go would print them
// with fmt.Println.
type tuple []any

func (t tuple) String() string {
	return strings.TrimSuffix(fmt.Sprintln([]any(t)...), "\n")
}

// MapTypes registers, for setResult and the display functions cells
// can call, the interfaces values are wrapped into when their cell-defined
// type has the methods.
func MapTypes() map[reflect.Value][]reflect.Type {
	ifaces := DisplayInterfaces()
	m := map[reflect.Value][]reflect.Type{}
	for _, f := range []any{setResult, display.Show, display.ShowID, display.Update, display.Render, display.Rich} {
		m[reflect.ValueOf(f)] = ifaces
	}
	return m
}

// DisplayInterfaces lists the interfaces a value of a cell-defined type is
// wrapped into when it is passed to a compiled function that shows values
// (most specific first). A front end that exports its own display
// functions to cells registers them with these in yaegi's MapTypes.
func DisplayInterfaces() []reflect.Type {
	return []reflect.Type{
		reflect.TypeFor[display.MIMEer](), reflect.TypeFor[display.HTMLer](),
		reflect.TypeFor[display.SVGer](), reflect.TypeFor[display.PNGer](),
		reflect.TypeFor[display.Markdowner](), reflect.TypeFor[fmt.Stringer](),
		reflect.TypeFor[error](),
	}
}

// clearValue is the clear builtin: it deletes every entry of a map, or
// sets every element of a slice to its zero value.
func clearValue(x any) {
	v := reflect.ValueOf(x)
	switch v.Kind() {
	case reflect.Map, reflect.Slice:
		v.Clear()
	case reflect.Pointer:
		if v.Elem().Kind() == reflect.Map || v.Elem().Kind() == reflect.Slice {
			v.Elem().Clear()
		}
	}
}

// printArgs and printlnArgs are the print and println builtins: like Go's,
// they write to standard error, in the runtime's own formats.
func printArgs(args ...any) {
	var b strings.Builder
	for _, a := range args {
		b.WriteString(printValue(a))
	}
	writeLabelled(os.Stderr, b.String())
}

func printlnArgs(args ...any) {
	var b strings.Builder
	for i, a := range args {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(printValue(a))
	}
	b.WriteByte('\n')
	writeLabelled(os.Stderr, b.String())
}

// printValue formats a value as the runtime's print does.
func printValue(a any) string {
	if a == nil {
		return "nil"
	}
	v := reflect.ValueOf(a)
	switch v.Kind() {
	case reflect.Bool:
		return strconv.FormatBool(v.Bool())
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return strconv.FormatInt(v.Int(), 10)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return strconv.FormatUint(v.Uint(), 10)
	case reflect.Float32, reflect.Float64:
		return printFloat(v.Float())
	case reflect.Complex64, reflect.Complex128:
		c := v.Complex()
		return "(" + printFloat(real(c)) + printFloat(imag(c)) + "i)"
	case reflect.String:
		return v.String()
	case reflect.Pointer, reflect.Chan, reflect.Map, reflect.Func, reflect.UnsafePointer:
		return fmt.Sprintf("%#x", v.Pointer())
	case reflect.Slice:
		return fmt.Sprintf("[%d/%d]%#x", v.Len(), v.Cap(), v.Pointer())
	}
	return fmt.Sprintf("(%v) %p", v.Type(), a)
}

// printFloat formats like the runtime: +1.500000e+000.
func printFloat(f float64) string {
	switch {
	case f != f:
		return "NaN"
	case math.IsInf(f, 1):
		return "+Inf"
	case math.IsInf(f, -1):
		return "-Inf"
	}
	s := strconv.FormatFloat(f, 'e', 6, 64) // 1.500000e+00
	mant, exp, _ := strings.Cut(s, "e")
	if !strings.HasPrefix(mant, "-") {
		mant = "+" + mant
	}
	sign := exp[0]
	digits := exp[1:]
	for len(digits) < 3 {
		digits = "0" + digits
	}
	return mant + "e" + string(sign) + digits
}

// recovered gives a recovered runtime error Go's wording (the interpreter
// reports some through reflect's).
func recovered(r any) any {
	r = unwrapPanic(r)
	if r == nil {
		return nil
	}
	if msg, ok := goRuntimeError(r); ok {
		return runtimeError(msg)
	}
	return r
}

// unwrapPanic returns the value a cell panicked with: a value passed
// through a helper reaches the interpreter's panic as a reflect.Value.
func unwrapPanic(r any) any {
	if v, ok := r.(reflect.Value); ok {
		if !v.IsValid() || !v.CanInterface() {
			return nil
		}
		return v.Interface()
	}
	return r
}

// runtimeError is a runtime error with Go's text; it satisfies
// runtime.Error.
type runtimeError string

func (e runtimeError) Error() string { return "runtime error: " + string(e) }
func (e runtimeError) RuntimeError() {}

var posPrefix = regexp.MustCompile(`^(?:\S+?:\d+(?::\d+)?: )+`)

// goRuntimeError maps the interpreter's panic texts for Go runtime errors
// to Go's wording, without the "runtime error: " prefix.
func goRuntimeError(r any) (string, bool) {
	var msg string
	switch x := r.(type) {
	case runtime.Error:
		return "", false // already Go's own
	case error:
		msg = x.Error()
	case string:
		msg = x
	default:
		return "", false
	}
	switch {
	case strings.HasPrefix(msg, "reflect: slice index out of range"),
		strings.HasPrefix(msg, "reflect: array index out of range"),
		strings.HasPrefix(msg, "reflect: string index out of range"):
		return "index out of range", true
	case strings.Contains(msg, "slice index out of bounds"):
		return "slice bounds out of range", true
	case strings.HasPrefix(msg, "reflect: call of reflect.Value.Field on zero Value"),
		strings.HasPrefix(msg, "reflect: call of reflect.Value.Elem on zero Value"),
		strings.HasPrefix(msg, "reflect: indirection through nil pointer"),
		strings.HasPrefix(msg, "reflect: Method on nil interface value"),
		strings.HasPrefix(msg, "reflect: call of reflect.Value.Call on zero Value"):
		return "invalid memory address or nil pointer dereference", true
	}
	if loc := posPrefix.FindStringIndex(msg); loc != nil && strings.HasPrefix(msg[loc[1]:], "interface conversion: ") {
		return "", false
	}
	return "", false
}

// PanicText is the headline Go prints for a panic value.
func PanicText(v any) string {
	v = unwrapPanic(v)
	if msg, ok := goRuntimeError(v); ok {
		return "runtime error: " + msg
	}
	switch x := v.(type) {
	case error:
		msg := x.Error()
		if loc := posPrefix.FindStringIndex(msg); loc != nil && strings.HasPrefix(msg[loc[1]:], "interface conversion: ") {
			msg = msg[loc[1]:]
		}
		return msg
	case fmt.Stringer:
		return x.String()
	}
	return fmt.Sprint(v)
}

// writeLabelled writes text for the calling Stack: a goroutine of a
// cell that has ended gets each line labelled with its cell and name.
func writeLabelled(w io.Writer, text string) (int, error) {
	if reg.background.Load() > 0 {
		if g := reg.backgroundOf(GoID()); g != nil {
			return io.WriteString(w, labelLines(g, text))
		}
	}
	return io.WriteString(w, text)
}

func labelLines(g *Goroutine, text string) string {
	label := fmt.Sprintf("[cell %d %s] ", g.Cell, g.Name)
	var b strings.Builder
	for _, l := range strings.SplitAfter(text, "\n") {
		if l != "" {
			b.WriteString(label + l)
		}
	}
	return b.String()
}

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

// TimeSymbols wraps the functions that make timers so that the deadlock
// detector knows a timer may still wake a goroutine, and makes Sleep
// return when the cell is stopped (cellstop.Sleep).
func TimeSymbols(orig map[string]reflect.Value) map[string]reflect.Value {
	m := make(map[string]reflect.Value, len(orig))
	for k, v := range orig {
		m[k] = v
	}
	m["Sleep"] = reflect.ValueOf(cellstop.Sleep)
	m["After"] = reflect.ValueOf(func(d time.Duration) <-chan time.Time { reg.timerIn(d); return time.After(d) })
	m["NewTimer"] = reflect.ValueOf(func(d time.Duration) *time.Timer { reg.timerIn(d); return time.NewTimer(d) })
	m["AfterFunc"] = reflect.ValueOf(func(d time.Duration, f func()) *time.Timer { reg.timerIn(d); return time.AfterFunc(d, f) })
	m["Tick"] = reflect.ValueOf(func(d time.Duration) <-chan time.Time { reg.tickers.Add(1); return time.Tick(d) })
	m["NewTicker"] = reflect.ValueOf(func(d time.Duration) *time.Ticker { reg.tickers.Add(1); return time.NewTicker(d) })
	return m
}

// ContextSymbols does the same for contexts with deadlines.
func ContextSymbols(orig map[string]reflect.Value) map[string]reflect.Value {
	m := make(map[string]reflect.Value, len(orig))
	for k, v := range orig {
		m[k] = v
	}
	m["WithTimeout"] = reflect.ValueOf(func(p context.Context, d time.Duration) (context.Context, context.CancelFunc) {
		reg.timerIn(d)
		return context.WithTimeout(p, d)
	})
	m["WithDeadline"] = reflect.ValueOf(func(p context.Context, t time.Time) (context.Context, context.CancelFunc) {
		reg.timerAt(t)
		return context.WithDeadline(p, t)
	})
	m["WithTimeoutCause"] = reflect.ValueOf(func(p context.Context, d time.Duration, cause error) (context.Context, context.CancelFunc) {
		reg.timerIn(d)
		return context.WithTimeoutCause(p, d, cause)
	})
	m["WithDeadlineCause"] = reflect.ValueOf(func(p context.Context, t time.Time, cause error) (context.Context, context.CancelFunc) {
		reg.timerAt(t)
		return context.WithDeadlineCause(p, t, cause)
	})
	return m
}

// LabelWriter is the interpreter's standard output (fmt.Print* and
// friends write there): it labels the lines of goroutines whose cell has
// ended.
type LabelWriter struct{ W io.Writer }

// Write writes p, labelled when the caller is a goroutine of an ended cell.
func (l LabelWriter) Write(p []byte) (int, error) {
	if _, err := writeLabelled(l.W, string(p)); err != nil {
		return 0, err
	}
	return len(p), nil
}

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
