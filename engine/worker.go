package engine

import (
	"context"
	"errors"
	"fmt"
	"go/token"
	"io"
	"os"
	"reflect"
	"regexp"
	"runtime"
	"runtime/debug"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/traefik/yaegi/interp"

	"github.com/lanes-dev/lanes/display"
	"github.com/lanes-dev/lanes/engine/displaysym"
	"github.com/lanes-dev/lanes/internal/cellstop"
)

// Worker file descriptors, as the supervisor sets them up.
const (
	fdIn  = 3 // supervisor → worker frames
	fdOut = 4 // worker → supervisor frames
)

// markerEnv names the environment variable that carries the stream marker.
const markerEnv = "LANES_WORKER_MARKER"

// RunWorker is the body of the hidden worker subcommand: it serves the
// supervisor on file descriptors 3 and 4 until its input closes. symbols is
// the table of compiled packages cells may import, in yaegi's format
// ("import/path/name" → name → value); the caller chooses it so that this
// package depends on neither the standard library tables nor the runtime.
func RunWorker(symbols interp.Exports) error {
	marker := os.Getenv(markerEnv)
	if marker == "" {
		return errors.New("lanes worker: not started by a supervisor (no marker)")
	}
	in := os.NewFile(fdIn, "lanes-in")
	out := os.NewFile(fdOut, "lanes-out")
	if in == nil || out == nil {
		return errors.New("lanes worker: missing protocol file descriptors")
	}
	w := &worker{c: newConn(in, out), marker: marker, symbols: symbols, inputs: make(chan *message, 1)}
	w.idle = time.AfterFunc(idleTrim, debug.FreeOSMemory) // after start-up too
	theWorker = w
	w.reset()
	display.SetPublisher(w)
	return w.serve()
}

type worker struct {
	c       *conn
	marker  string
	symbols interp.Exports
	seq     atomic.Uint64
	// idle fires when no cell has run for idleTrim: the memory a cell
	// used is then given back to the system (a worker waits between
	// cells far longer than it runs them).
	idle *time.Timer

	mu      sync.Mutex // guards the fields below
	ip      *interp.Interpreter
	cell    int
	cancel  context.CancelFunc
	stop    func()            // stops the running cell's sleeps and the runtime's work (cellstop)
	traces  []string          // interpreted frames printed by the interpreter during the cell
	defs    map[string]string // name → source of its latest definition
	imports map[string]bool   // "name path" of every import so far
	stdin   *inputReader
	inputs  chan *message
	// prelude holds, per name, Go source that declares what the session
	// defined, for type-checking later cells.
	prelude map[string]string
	fatal   *Error // what ended the running cell early: a goroutine's panic, a deadlock
	typeSrc map[string]typeDef
	later   []string       // reports of panics in goroutines of cells that had ended
	cells   map[int]string // the source of every cell run, to place panics (panicLines)
}

// theWorker is the worker of this process, for the helpers rewritten cells
// call.
var theWorker *worker

// reset makes a fresh interpreter.
func (w *worker) reset() {
	w.stdin = &inputReader{w: w}
	ip := w.newInterp()
	w.mu.Lock()
	w.ip = ip
	w.defs = map[string]string{}
	w.imports = map[string]bool{}
	w.prelude = map[string]string{}
	w.typeSrc = map[string]typeDef{}
	w.cells = map[int]string{}
	w.mu.Unlock()
}

// newInterp makes an interpreter with the worker's symbols and the
// helper package of rewritten code imported.
func (w *worker) newInterp() *interp.Interpreter {
	// The cells' standard input is a reader that asks the front end for
	// lines; os.Stdin becomes an io.Reader so bufio.NewReader(os.Stdin)
	// reads from it too.
	syms := interp.Exports{}
	for k, v := range w.symbols {
		syms[k] = v
	}
	if osSyms, ok := syms["os/os"]; ok {
		cp := make(map[string]reflect.Value, len(osSyms))
		for k, v := range osSyms {
			cp[k] = v
		}
		var stdin io.Reader = w.stdin
		cp["Stdin"] = reflect.ValueOf(&stdin).Elem()
		syms["os/os"] = cp
	}
	if t, ok := syms["time/time"]; ok {
		syms["time/time"] = timeSymbols(t)
	}
	if c, ok := syms["context/context"]; ok {
		syms["context/context"] = contextSymbols(c)
	}
	syms[rtPath+"/"+rtName] = rtSymbols()
	ip := interp.New(interp.Options{
		Stdin:  w.stdin,
		Stdout: labelWriter{os.Stdout},
		Stderr: &traceFilter{w: w},
		// Cells are Go programs run by their author: os.Exit, the real
		// environment and the file system behave as in a compiled program.
		Unrestricted: true,
	})
	for k, v := range displaysym.Symbols {
		syms[k] = v
	}
	if err := ip.Use(syms); err != nil {
		fmt.Fprintln(os.Stderr, "lanes worker: loading symbols:", err)
	}
	// Values handed to _lanesrt.Result are wrapped into the display
	// interfaces when their cell-defined type has the methods.
	if err := ip.Use(interp.Exports{".": {"MapTypes": reflect.ValueOf(resultMapTypes())}}); err != nil {
		fmt.Fprintln(os.Stderr, "lanes worker: loading display wrappers:", err)
	}
	// Every package is in scope without an import, the helpers too (as
	// rtName, which no cell can declare).
	ip.ImportUsed()
	return ip
}

// newImports returns the import chunk c without the packages imported
// before (the interpreter rejects a repeated import; Go users expect to be
// able to repeat them in every cell), or "" when nothing is new.
func (w *worker) newImports(cell int, code string, c chunk) string {
	var b strings.Builder
	w.mu.Lock()
	defer w.mu.Unlock()
	for _, spec := range importSpecs(code, c) {
		if w.imports[spec.key] {
			continue
		}
		b.WriteString(lineDirective(cell, code, spec.off) + "import " + spec.text + "\n")
	}
	return b.String()
}

func (w *worker) serve() error {
	for {
		m, err := w.c.recv()
		if err != nil {
			if errors.Is(err, io.EOF) {
				return nil
			}
			return fmt.Errorf("lanes worker: %w", err)
		}
		switch m.Op {
		case "exec":
			go w.exec(m)
		case "interrupt":
			w.mu.Lock()
			w.stopCell()
			w.mu.Unlock()
		case "input_reply":
			// Buffered: the reply may arrive before the reader waits.
			select {
			case w.inputs <- m:
			default: // a reply nobody asked for; drop it
			}
		case "replay":
			w.replay(m)
		case "complete", "inspect":
			w.send(w.query(m))
		case "ping":
			w.send(&message{Op: "reply", ID: m.ID})
		}
	}
}

// query answers a completion or inspection request. A failure inside the
// interpreter's introspection must not end the session: it becomes an
// empty answer.
func (w *worker) query(m *message) (r *message) {
	r = &message{Op: "reply", ID: m.ID, Start: m.Cursor, End: m.Cursor}
	defer func() {
		if p := recover(); p != nil {
			fmt.Fprintf(os.Stderr, "lanes worker: %s failed: %v\n", m.Op, p)
		}
	}()
	if m.Op == "complete" {
		r.Matches, r.Start, r.End = w.complete(m.Code, m.Cursor)
	} else {
		r.Text, r.Found = w.inspect(m.Code, m.Cursor, m.Detail)
	}
	return r
}

func (w *worker) send(m *message) {
	if err := w.c.send(m); err != nil {
		// The supervisor is gone: nothing to report to.
		os.Exit(3)
	}
}

// sendOrdered sends m after everything written to stdout and stderr so far.
func (w *worker) sendOrdered(m *message) {
	m.Seq = w.seq.Add(1)
	mk := []byte(markerText(w.marker, m.Seq))
	syscall.Write(1, mk)
	syscall.Write(2, mk)
	w.send(m)
}

func markerText(marker string, seq uint64) string {
	return "\x1e" + marker + strconv.FormatUint(seq, 10) + "\x1f"
}

// Publish implements display.Publisher for values shown mid-cell.
func (w *worker) Publish(b display.Bundle, id string, update bool) {
	w.sendOrdered(&message{Op: "display", Bundle: &b, DisplayID: id, Update: update})
}

// Clear implements display.Publisher.
func (w *worker) Clear(wait bool) {
	w.sendOrdered(&message{Op: "clear", Wait: wait})
}

// idleTrim is how long a worker waits after a cell before it returns
// freed memory to the system.
const idleTrim = 250 * time.Millisecond

// exec runs one cell and replies with its result.
func (w *worker) exec(m *message) {
	reply := &message{Op: "done", ID: m.ID}
	w.idle.Stop()
	defer func() {
		w.sendOrdered(reply)
		w.idle.Reset(idleTrim)
	}()

	ms, code, err := parseMagics(m.Code)
	if err != nil {
		reply.Error = &Error{Name: "MagicError", Message: err.Error()}
		return
	}
	timed := false
	for _, mg := range ms {
		switch mg.name {
		case "help":
			io.WriteString(os.Stdout, magicHelp)
		case "time":
			timed = true
		case "gomaxprocs":
			n, _ := strconv.Atoi(mg.args)
			old := runtime.GOMAXPROCS(n)
			fmt.Fprintf(os.Stdout, "GOMAXPROCS: %d -> %d (this machine has %d CPUs)\n", old, n, runtime.NumCPU())
		case "env":
			envMagic(mg.args)
		case "goroutines":
			if mg.args == "" {
				io.WriteString(os.Stdout, listGoroutines())
			}
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	w.mu.Lock()
	w.cell = m.Cell
	w.cells[m.Cell] = code
	w.cancel = cancel
	w.stop = cellstop.Begin()
	w.traces = nil
	w.fatal = nil
	later := w.later
	w.later = nil
	ip := w.ip
	w.mu.Unlock()
	for _, l := range later {
		w.sendOrdered(&message{Op: "stderr", Text: l})
	}
	reply.LatePanics = len(later)
	reg.cellStarted(m.Cell)
	defer reg.cellEnded()
	watch, stopWatch := context.WithCancel(ctx)
	defer stopWatch()
	go watchDeadlock(watch, m.Cell, func(d *Error) { w.endCell(m.Cell, d) })

	start := time.Now()
	cpu0 := cpuTime()
	val, decls, vars, evalErr := w.evalCell(ctx, ip, m.Cell, code)
	stopWatch()
	if evalErr == nil && ctx.Err() != nil {
		// Stopped as its last statement returned (a sleep cut short, say):
		// the evaluation may win the race with the cancellation.
		evalErr = ctx.Err()
	}
	if timed {
		fmt.Fprintf(os.Stdout, "wall time: %s, CPU time: %s\n", fmtDur(time.Since(start)), fmtDur(cpuTime()-cpu0))
	}
	w.mu.Lock()
	w.cancel = nil
	traces := w.traces
	w.traces = nil
	fatal := w.fatal
	w.fatal = nil
	w.mu.Unlock()
	if fatal != nil {
		reply.Error = fatal
		if !w.settle(time.Second) {
			reply.Stuck = true
		}
		return
	}
	if evalErr != nil {
		reply.Error = w.describe(evalErr, m.Cell, traces)
		if errors.Is(evalErr, context.Canceled) && !w.settle(time.Second) {
			reply.Stuck = true
		}
		return
	}
	reply.Decls = decls
	reply.Vars = vars
	if val != nil {
		b := display.Render(val)
		reply.Bundle = &b
	}
	if note := outliving(m.Cell); note != "" {
		w.sendOrdered(&message{Op: "stderr", Text: note})
	}
}

// endCell ends the running cell early with err (a goroutine panicked, or
// the cell deadlocked), as the program would have ended.
func (w *worker) endCell(cell int, err *Error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.cell != cell || w.cancel == nil || w.fatal != nil {
		return
	}
	w.fatal = err
	w.stopCell()
}

// stopCell stops the running cell early: its evaluation is cancelled and
// its sleeps and the runtime's work return (cellstop). The caller holds
// w.mu.
func (w *worker) stopCell() {
	if w.cancel == nil {
		return
	}
	w.stop()
	w.cancel()
}

// goroutinePanic reports a panic that ended a goroutine: the running cell,
// whichever cell started the goroutine, ends with it, as the program would
// have ended; when no cell runs it is reported at the top of the next cell.
func (w *worker) goroutinePanic(g *gor, r any, frames []string) {
	msg := panicText(r)
	tb := []string{"panic: " + msg, "", fmt.Sprintf("goroutine %d [running]:", g.id)}
	tb = append(tb, w.panicLines(frames, msg)...)
	if g.cell > 0 {
		tb = append(tb, fmt.Sprintf("created by a go statement (%s) at cell %d, line %d", g.name, g.cell, g.line))
	}
	w.mu.Lock()
	running, cell := w.cancel != nil, w.cell
	w.mu.Unlock()
	if running {
		w.endCell(cell, &Error{Name: "panic", Message: msg, Traceback: tb})
		return
	}
	text := fmt.Sprintf("A goroutine of cell %d panicked after the cell ended (the goroutine stopped; the session goes on):\n%s\n", g.cell, strings.Join(tb, "\n"))
	w.mu.Lock()
	w.later = append(w.later, text)
	w.mu.Unlock()
}

// outliving names the goroutines a cell started that are still running
// when it ends.
func outliving(cell int) string {
	gs := reg.of(cell)
	for wait := 0; len(gs) > 0 && wait < 5; wait++ {
		// Goroutines that are just returning get a moment to finish.
		time.Sleep(2 * time.Millisecond)
		gs = reg.of(cell)
	}
	if len(gs) == 0 {
		return ""
	}
	states := map[uint64]string{}
	for _, g := range stacks() {
		states[g.id] = g.state
	}
	var parts []string
	alive := 0
	for _, g := range gs {
		st, ok := states[g.id]
		if g.id == 0 {
			st, ok = "starting", true
		}
		if !ok {
			reg.forget(g)
			continue
		}
		alive++
		if len(parts) < 5 {
			parts = append(parts, fmt.Sprintf("%s (line %d) %s", g.name, g.line, waitWord(st)))
		}
	}
	if alive == 0 {
		return ""
	}
	if alive > len(parts) {
		parts = append(parts, fmt.Sprintf("and %d more", alive-len(parts)))
	}
	noun := "goroutines"
	verb := "are"
	if alive == 1 {
		noun, verb = "goroutine", "is"
	}
	return fmt.Sprintf("%d %s started in this cell %s still running: %s. %%goroutines lists them; %%goroutines stop stops them.\n", alive, noun, verb, strings.Join(parts, ", "))
}

// evalCell evaluates the chunks of a cell in order. It returns the value to
// show (nil for none), the declarations to replay after a restart and the
// variables the cell defined.
func (w *worker) evalCell(ctx context.Context, ip *interp.Interpreter, cell int, code string) (any, []Decl, []string, error) {
	if usesPrefix(code) {
		return nil, nil, nil, fmt.Errorf("cell%d:1:1: names starting with %s are reserved by Lanes", cell, tmpPfx)
	}
	if prog, ok := program(code); ok {
		return nil, nil, nil, w.runProgram(ctx, cell, code, prog)
	}
	code = blankPackage(code)
	// As go run would: a cell that defines main runs it once, at its
	// end. Renamed, so that the interpreter does not run it again at
	// every later evaluation.
	code, hasMain := renameMain(code)
	chunks := splitCell(code)
	wrapped := false
	var decls []Decl
	var vars []string
	var result any
	for i, c := range chunks {
		if i == len(chunks)-1 && c.kind == kindStmt {
			// The final expression hands its value to _lanesrt.Result
			// when it surely has one (decided now, once the cell's
			// declarations are known): what the interpreter returns for
			// a call without results is not reliable, and only a call of
			// a compiled function lets cell-defined types show
			// themselves.
			if lo, hi, ok := w.finalValueRange(code[c.start:c.last.end]); ok {
				lo, hi = lo+c.start, hi+c.start
				code = code[:lo] + rtName + ".Result(" + code[lo:hi] + ")" + code[hi:]
				c.last.end += len(rtName + ".Result()")
				wrapped = true
				takeResult() // forget anything left over
			}
		}
		var src string
		if c.kind == kindImport {
			if src = w.newImports(cell, code, c); src == "" {
				continue // every package was imported before
			}
		}
		var names []string
		if c.kind == kindDecl {
			names = declNames(code[c.start:c.last.end])
			if err := w.checkRedefinition(cell, code, c); err != nil {
				return nil, nil, nil, err
			}
		}
		var v reflect.Value
		var err error
		if c.kind == kindImport {
			v, err = ip.EvalWithContext(ctx, src)
		} else {
			src = w.prepare(cell, code, c, false)
			if c.kind == kindStmt {
				src = notFuncFirst(src)
			}
			v, err = ip.EvalWithContext(ctx, src)
			if c.kind == kindVar && err != nil && strings.Contains(err.Error(), "variable definition loop") {
				// See varStatements.
				if parts := varStatements(cell, code, c); len(parts) > 0 {
					err = nil
					for _, p := range parts {
						if _, err = ip.EvalWithContext(ctx, p); err != nil {
							break
						}
					}
					src = strings.Join(parts, "\n")
				}
			}
			if compilePanic(err) && strings.Contains(code[c.start:c.last.end], "range") {
				// The interpreter cannot range over an integer; nothing
				// ran yet, so try again with unknown ranges as integers.
				src = w.prepare(cell, code, c, true)
				v, err = ip.EvalWithContext(ctx, src)
			}
		}
		if err != nil {
			return nil, nil, nil, err
		}
		switch c.kind {
		case kindImport:
			decls = append(decls, Decl{Cell: cell, Src: src})
			w.mu.Lock()
			for _, spec := range importSpecs(code, c) {
				w.imports[spec.key] = true
			}
			w.mu.Unlock()
		case kindDecl:
			decls = append(decls, Decl{Cell: cell, Src: src, Names: names})
			w.mu.Lock()
			for _, n := range names {
				w.defs[n] = code[c.start:c.last.end]
			}
			w.mu.Unlock()
			w.learn(code[c.start:c.last.end], c, names)
		case kindVar:
			names := declNames(code[c.start:c.last.end])
			vars = append(vars, names...)
			if replayableVar(code[c.start:c.last.end]) {
				decls = append(decls, Decl{Cell: cell, Src: src, Names: names})
			}
			w.learn(code[c.start:c.last.end], c, names)
		case kindStmt:
			sv := stmtVars(code[c.start:c.last.end])
			vars = append(vars, sv...)
			w.learn("", c, sv)
			switch {
			case i != len(chunks)-1:
			case wrapped:
				if rv, ok := takeResult(); ok && rv != nil {
					result = rv
				}
			case hasValue(v):
				// Not wrapped: a call whose results could not be told.
				if x, _, _, ok := finalStmt(code[c.start:c.last.end]); ok && shown(x) {
					if has, known := w.callResults(x); has || !known {
						result = v.Interface()
					}
				}
			}
		}
	}
	if hasMain {
		if _, err := ip.EvalWithContext(ctx, mainName+"()"); err != nil {
			return nil, nil, nil, err
		}
	}
	return result, decls, vars, nil
}

// hasValue tells a value worth showing from what the interpreter returns
// for an expression without one: an invalid value, the function itself (a
// call of a compiled function with no result), or a pointer to an empty
// interface (a call of an interpreted one). Nil interfaces (a nil error)
// and func values (an address) have nothing to see either.
func hasValue(v reflect.Value) bool {
	switch {
	case !v.IsValid() || !v.CanInterface():
		return false
	case v.Kind() == reflect.Interface && v.IsNil(), v.Kind() == reflect.Func:
		return false
	case v.Kind() == reflect.Pointer && v.Type() == reflect.TypeFor[*any]():
		return false
	}
	return true
}

// evalQuiet evaluates src for the worker's own purposes (replay, looking
// a type up), turning a panic of the interpreter into an error: unlike
// EvalWithContext, Eval lets a panic while compiling (as for *new(G) with G
// generic) reach its caller, and there it would end the worker.
func evalQuiet(ip *interp.Interpreter, src string) (v reflect.Value, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("the interpreter failed: %v", r)
		}
	}()
	return ip.Eval(src)
}

// notFuncFirst keeps statements that start with func (a function literal
// called at once) from being taken for a file: when such source does not
// parse as declarations, the interpreter wraps it in a func main that it
// then keeps, and runs the cell again at every later evaluation. An empty
// statement in front takes the statement path.
func notFuncFirst(src string) string {
	if t, _ := firstToken(src); t == token.FUNC {
		return ";" + src
	}
	return src
}

// lineDirective makes the interpreter report positions as "cellN:line:col".
func lineDirective(cell int, src string, off int) string {
	line := strings.Count(src[:off], "\n") + 1
	col := off - (strings.LastIndexByte(src[:off], '\n') + 1) + 1
	return fmt.Sprintf("/*line cell%d:%d:%d*/", cell, line, col)
}

// settle waits until the interrupted evaluation has really stopped. It
// reports false when the cell's code is still running after d (blocked in
// a lock or wait group, which the interpreter cannot cancel). A cell in
// time.Sleep stops when the sleep ends: that is waited for, up to 10 s.
func (w *worker) settle(d time.Duration) bool {
	start := time.Now()
	lastBusy := start // when the evaluation was last seen sleeping or on a CPU
	poll := 100 * time.Microsecond
	for {
		running := false
		for _, g := range stacks() {
			for _, f := range g.frames {
				if strings.HasPrefix(f, interpPkg+"(*Interpreter).EvalWithContext.func1") {
					running = true
					switch g.state {
					case "sleep", "running", "runnable", "syscall":
						// Still making progress: a sleep or a compiled
						// call ends by itself. Only a goroutine parked
						// in a lock, a wait group or a channel is stuck.
						lastBusy = time.Now()
					}
				}
			}
		}
		if !running {
			return true
		}
		if el := time.Since(start); el > 10*time.Second || (el > d && time.Since(lastBusy) > 200*time.Millisecond) {
			return false
		}
		// A cancelled evaluation usually ends within a millisecond: look
		// again soon, then less often.
		time.Sleep(poll)
		poll = min(2*poll, 10*time.Millisecond)
	}
}

var posRE = regexp.MustCompile(`cell(\d+):(\d+)(?::\d+)?: `)

// cellPos rewrites "cell3:2:7: " positions as "cell 3, line 2: ".
func cellPos(s string) string {
	return posRE.ReplaceAllString(s, "cell $1, line $2: ")
}

// describe turns an evaluation error into a Go-flavoured report.
func (w *worker) describe(err error, cell int, traces []string) *Error {
	var p interp.Panic
	switch {
	case errors.Is(err, context.Canceled):
		return &Error{Name: "Interrupted", Message: "the cell was interrupted"}
	case compilePanic(err) && errors.As(err, &p):
		msg := fmt.Sprintf("cell %d: the interpreter failed on this code (%v); this is a limit of the interpreter, not an error in the Go", cell, p.Value)
		if fmt.Sprint(p.Value) == "nil type" {
			msg += ". Its known causes: ranging over a function (an iterator: call the function with a yield func instead), and receiving a struct or an array with the ok flag (v, ok := <-ch: receive v alone, and learn of the close another way)"
		}
		return &Error{Name: "CompileError", Message: msg, Traceback: []string{msg}}
	case errors.As(err, &p):
		msg := cellPos(panicText(p.Value))
		tb := []string{"panic: " + msg, "", "goroutine 1 [running]:"}
		reg.mu.Lock()
		at := reg.lastAt
		reg.mu.Unlock()
		tb = append(tb, w.panicLines(withPanicLine(traces, at), msg)...)
		return &Error{Name: "panic", Message: msg, Traceback: tb}
	}
	msg := cellPos(err.Error())
	return &Error{Name: "CompileError", Message: msg, Traceback: []string{msg}}
}

// traceFilter receives what the interpreter writes to its standard error:
// the interpreted frames of a panic ("cell3:2:7: panic: main.h(...)") are
// kept for the traceback and also sent at once, in case the panic ends the
// worker; everything else goes to the real standard error.
type traceFilter struct{ w *worker }

var frameRE = regexp.MustCompile(`^cell(\d+):(\d+)(?::\d+)?: panic: (.*)\n?$`)

func (t *traceFilter) Write(p []byte) (int, error) {
	if m := frameRE.FindSubmatch(p); m != nil {
		frame := fmt.Sprintf("%s\n\tcell %s, line %s", m[3], m[1], m[2])
		if id := goid(); reg.registered(id) {
			// A goroutine of a go statement: it recovers and reports.
			reg.addFrame(id, frame)
			return len(p), nil
		}
		t.w.mu.Lock()
		t.w.traces = append(t.w.traces, frame)
		t.w.mu.Unlock()
		t.w.send(&message{Op: "trace", Text: frame})
		return len(p), nil
	}
	return os.Stderr.Write(p)
}

// inputReader is the cells' standard input: each read with nothing
// buffered asks the front end for a line.
type inputReader struct {
	w   *worker
	buf []byte
}

func (r *inputReader) Read(p []byte) (int, error) {
	if len(r.buf) == 0 {
		r.w.sendOrdered(&message{Op: "input"})
		m := <-r.w.inputs
		if m.Status == "error" {
			return 0, io.EOF
		}
		r.buf = append(r.buf, m.Text...)
		r.buf = append(r.buf, '\n')
	}
	n := copy(p, r.buf)
	r.buf = r.buf[n:]
	return n, nil
}

// replay evaluates the declarations of an earlier worker and reports those
// that no longer compile.
//
// What the worker knows of the session is rebuilt as the cells built it:
// the imports (so that importing a package again is not an error), the
// definitions, and their declarations for type-checking later cells.
func (w *worker) replay(m *message) {
	var lost []string
	for _, d := range m.Decls {
		if _, err := evalQuiet(w.ip, d.Src); err != nil {
			lost = append(lost, fmt.Sprintf("%s (cell %d): %s", strings.Join(d.Names, ", "), d.Cell, cellPos(err.Error())))
			continue
		}
		w.mu.Lock()
		for _, n := range d.Names {
			w.defs[n] = d.Src
			w.prelude[n] = d.Src
		}
		for _, spec := range importSpecs(d.Src, chunk{kind: kindImport, last: item{end: len(d.Src)}}) {
			w.imports[spec.key] = true
		}
		w.mu.Unlock()
	}
	w.send(&message{Op: "reply", ID: m.ID, Lost: lost})
}

func envMagic(args string) {
	switch k, v, set := strings.Cut(args, "="); {
	case args == "":
		env := os.Environ()
		sort.Strings(env)
		for _, e := range env {
			fmt.Fprintln(os.Stdout, e)
		}
	case set:
		os.Setenv(strings.TrimSpace(k), v)
		fmt.Fprintf(os.Stdout, "env: %s=%s\n", strings.TrimSpace(k), v)
	default:
		fmt.Fprintf(os.Stdout, "%s=%s\n", k, os.Getenv(k))
	}
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func fmtDur(d time.Duration) string {
	switch {
	case d < time.Millisecond:
		return fmt.Sprintf("%.1f µs", float64(d)/1e3)
	case d < time.Second:
		return fmt.Sprintf("%.2f ms", float64(d)/1e6)
	}
	return fmt.Sprintf("%.3f s", d.Seconds())
}
