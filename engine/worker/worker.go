package worker

import (
	"context"
	"errors"
	"fmt"
	"go/parser"
	"go/token"
	"go/types"
	"io"
	"log"
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
	"github.com/lanes-dev/lanes/internal/cellrt"
	"github.com/lanes-dev/lanes/internal/cellstop"
	"github.com/lanes-dev/lanes/internal/compiled"
	"github.com/lanes-dev/lanes/internal/genstd"
	"github.com/lanes-dev/lanes/internal/rewrite"
	"github.com/lanes-dev/lanes/internal/source"
	"github.com/lanes-dev/lanes/internal/wire"
)

// Run is the body of the hidden worker subcommand: it serves the
// supervisor on file descriptors 3 and 4 until its input closes. symbols is
// the table of compiled packages cells may import, in yaegi's format
// ("import/path/name" → name → value); the caller chooses it so that this
// package depends on neither the standard library tables nor the runtime.
func Run(symbols interp.Exports) error {
	marker := os.Getenv(wire.MarkerEnv)
	if marker == "" {
		return errors.New("lanes worker: not started by a supervisor (no marker)")
	}
	in := os.NewFile(wire.FdIn, "lanes-in")
	out := os.NewFile(wire.FdOut, "lanes-out")
	if in == nil || out == nil {
		return errors.New("lanes worker: missing protocol file descriptors")
	}
	tuneGC()
	// The interpreter logs its internal failures ("nil type") before it
	// panics with them, through the standard logger, which nothing else
	// in the worker uses (cells' log package writes to the interpreter's
	// standard error): the cell gets the error, not the log line.
	log.SetOutput(internalLog{os.Stderr})
	w := &worker{c: wire.NewConn(in, out), marker: marker, symbols: symbols, inputs: make(chan *wire.Message, 1)}
	w.idle = time.AfterFunc(idleTrim, debug.FreeOSMemory) // after start-up too
	cellrt.OwnFrames(cellrt.Receiver((*worker).serve), cellrt.Receiver((*inputReader).Read))
	cellrt.OnPanic(w.goroutinePanic)
	w.reset()
	display.SetPublisher(w)
	defer w.closeCompiled()
	return w.serve()
}

type worker struct {
	c       *wire.Conn
	marker  string
	symbols interp.Exports
	// impOnce builds imp, the importer of the symbols' types that cells
	// are type-checked with (see Importer), on first use.
	impOnce sync.Once
	imp     types.Importer
	// namesOnce builds pkgNames: package name → import paths (byName).
	namesOnce sync.Once
	pkgNames  map[string][]string
	seq       atomic.Uint64
	// idle fires when no cell has run for idleTrim: the memory a cell
	// used is then given back to the system (a worker waits between
	// cells far longer than it runs them).
	idle *time.Timer
	// sess is what the cells defined and imported (its own lock).
	sess *session

	mu     sync.Mutex // guards the fields below
	ip     *interp.Interpreter
	cell   int
	cancel context.CancelFunc
	stop   func()       // stops the running cell's sleeps and the runtime's work (cellstop)
	traces []wire.Frame // interpreted frames printed by the interpreter during the cell
	stdin  *inputReader
	inputs chan *wire.Message
	fatal  *wire.Error   // what ended the running cell early: a goroutine's panic, a deadlock
	later  []string      // reports of panics in goroutines of cells that had ended
	comp   compiledState // for %%compile cells
}

// reset makes a fresh interpreter and session.
func (w *worker) reset() {
	w.stdin = &inputReader{w: w}
	ip := w.newInterp()
	w.mu.Lock()
	w.ip = ip
	w.sess = newSession()
	w.mu.Unlock()
}

// lanesKey is the key of the runtime's table (package lanes, imported
// as "lanes": runtime/export.Exports) among the symbols.
const lanesKey = "lanes/lanes"

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
		syms["time/time"] = cellrt.TimeSymbols(t)
	}
	if c, ok := syms["context/context"]; ok {
		syms["context/context"] = cellrt.ContextSymbols(c)
	}
	if l, ok := syms[lanesKey]; ok {
		syms[lanesKey] = cellrt.LanesSymbols(l)
	}
	syms[source.RuntimePath+"/"+source.RuntimeName] = cellrt.Symbols()
	ip := interp.New(interp.Options{
		Stdin:  w.stdin,
		Stdout: cellrt.LabelWriter{W: os.Stdout},
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
	if err := ip.Use(interp.Exports{".": {"MapTypes": reflect.ValueOf(cellrt.MapTypes())}}); err != nil {
		fmt.Fprintln(os.Stderr, "lanes worker: loading display wrappers:", err)
	}
	// Every package is in scope without an import, the helpers too (as
	// source.RuntimeName, which no cell can declare).
	ip.ImportUsed()
	return ip
}

// generic returns src with its uses of the generic standard library
// (slices.Sort, sync.OnceValue, ...) rewritten for the interpreter, and
// compiles into ip the packages of it that src uses (internal/genstd).
func (w *worker) generic(ip *interp.Interpreter, src string) string {
	out, err := genstd.Prepare(ip, src, w.PackagePath)
	if err != nil {
		fmt.Fprintln(os.Stderr, "lanes worker: loading the generic standard library:", err)
	}
	return out
}

// evalGenericDefine evaluates top-level statements src that the
// interpreter cannot compile because one declares a variable from a
// generic call's result (ys := slices.Clone(xs); see
// genstd.TopLevelGeneric): the statements before it, then the call (its
// value held as an any), then the declaration of the variable with the
// type of that value and its assignment, then the statements after it,
// each in turn. The variable's type must be one genstd.Spell can write;
// otherwise failed, the interpreter's compile error, is returned (after
// the statements before and the call have run), and so is an error of a
// piece.
func (w *worker) evalGenericDefine(ctx context.Context, ip *interp.Interpreter, src string, failed error) (reflect.Value, error) {
	before, name, call, after, ok := genstd.SplitTopLevel(src)
	if !ok {
		return reflect.Value{}, failed
	}
	if !onlyDirective(before) {
		if v, err := w.evalPiece(ctx, ip, before); err != nil {
			return v, err
		}
	}
	held := source.Reserved + "gen"
	if _, err := ip.EvalWithContext(ctx, held+" := any("+call+")"); err != nil {
		return reflect.Value{}, err
	}
	v, err := ip.EvalWithContext(ctx, held)
	if err != nil {
		return v, err
	}
	if v.Kind() == reflect.Interface {
		v = v.Elem()
	}
	typ, ok := "", false
	if v.IsValid() {
		typ, ok = genstd.Spell(v.Type())
		if !ok {
			typ, ok = w.spellCellTypes(ip, v.Type())
		}
	}
	if !ok {
		return reflect.Value{}, failed
	}
	if _, err := ip.EvalWithContext(ctx, "var "+name+" "+typ); err != nil {
		return reflect.Value{}, err
	}
	if v, err = ip.EvalWithContext(ctx, name+" = "+held+".("+typ+")"); err != nil || after == "" {
		return v, err
	}
	return w.evalPiece(ctx, ip, after)
}

// spellCellTypes spells t as Go source where genstd.Spell cannot because
// t holds a cell's type: the interpreter's type of a value of a type the
// cells declared is its underlying struct (a []P is a []struct{ X int }
// to reflect), which is matched against the types of the session. A slice,
// array, map or pointer of such types is spelled around them
// (qs := slices.Clone(ps) declares qs []P).
func (w *worker) spellCellTypes(ip *interp.Interpreter, t reflect.Type) (string, bool) {
	byType := map[reflect.Type]string{}
	var names []string
	for n, src := range w.sess.defined() {
		// Generic types have no value without type arguments (and the
		// interpreter crashed on *new(Box)).
		if strings.Contains(src, "type "+n+" ") && !strings.Contains(src, "type "+n+"[") && !strings.Contains(n, ".") {
			names = append(names, n)
		}
	}
	sort.Strings(names) // the first of types of one shape wins, the same each time
	zero := func(n string) (v reflect.Value, err error) {
		defer func() {
			if p := recover(); p != nil {
				err = fmt.Errorf("the zero value of %s: %v", n, p)
			}
		}()
		return ip.Eval("*new(" + n + ")")
	}
	for _, n := range names {
		v, err := zero(n)
		if err != nil || !v.IsValid() {
			continue
		}
		if _, seen := byType[v.Type()]; !seen {
			byType[v.Type()] = n
		}
	}
	var spell func(t reflect.Type) (string, bool)
	spell = func(t reflect.Type) (string, bool) {
		if n, ok := byType[t]; ok {
			return n, true
		}
		switch t.Kind() {
		case reflect.Slice, reflect.Pointer:
			e, ok := spell(t.Elem())
			return map[reflect.Kind]string{reflect.Slice: "[]", reflect.Pointer: "*"}[t.Kind()] + e, ok
		case reflect.Array:
			e, ok := spell(t.Elem())
			return "[" + strconv.Itoa(t.Len()) + "]" + e, ok
		case reflect.Map:
			k, ok1 := spell(t.Key())
			e, ok2 := spell(t.Elem())
			return "map[" + k + "]" + e, ok1 && ok2
		}
		return genstd.Spell(t)
	}
	return spell(t)
}

// evalPiece evaluates a piece of a chunk, splitting it again around a
// further declaration from a generic call.
func (w *worker) evalPiece(ctx context.Context, ip *interp.Interpreter, src string) (reflect.Value, error) {
	v, err := ip.EvalWithContext(ctx, src)
	if genericDefineFault(err) {
		if _, _, _, _, ok := genstd.SplitTopLevel(src); ok {
			return w.evalGenericDefine(ctx, ip, src, err)
		}
	}
	return v, err
}

// genericDefineFault reports whether err is how the interpreter fails to
// compile a top-level x := genericCall(...): a panic in its compiler, or,
// when the call's type arguments are written (x := slices.Concat[int](a,
// b), see rewrite's stdTypeArgs), the compile error "constant definition
// loop". Either way nothing of the chunk ran.
func genericDefineFault(err error) bool {
	return compilePanic(err) || (err != nil && strings.Contains(err.Error(), "constant definition loop"))
}

// onlyDirective reports whether src holds nothing but /*line*/ comments
// and space.
func onlyDirective(src string) bool {
	for {
		src = strings.TrimSpace(src)
		if !strings.HasPrefix(src, "/*line") {
			return src == ""
		}
		end := strings.Index(src, "*/")
		if end < 0 {
			return false
		}
		src = src[end+2:]
	}
}

// newImports returns the import chunk c without the packages imported
// before (the interpreter rejects a repeated import; Go users expect to be
// able to repeat them in every cell), or "" when nothing is new.
func (w *worker) newImports(cell int, code string, c source.Chunk) string {
	var b strings.Builder
	for _, spec := range source.ImportSpecs(code, c) {
		if w.sess.imported(spec) {
			continue
		}
		b.WriteString(source.LineDirective(cell, code, spec.Off) + "import " + spec.Text + "\n")
	}
	return b.String()
}

func (w *worker) serve() error {
	for {
		m, err := w.c.Recv()
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
			w.send(&wire.Message{Op: "reply", ID: m.ID})
		}
	}
}

// query answers a completion or inspection request. A failure inside the
// interpreter's introspection must not end the session: it becomes an
// empty answer.
func (w *worker) query(m *wire.Message) (r *wire.Message) {
	r = &wire.Message{Op: "reply", ID: m.ID, Start: m.Cursor, End: m.Cursor}
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

func (w *worker) send(m *wire.Message) {
	if err := w.c.Send(m); err != nil {
		// The supervisor is gone: nothing to report to.
		os.Exit(3)
	}
}

// sendOrdered sends m after everything written to stdout and stderr so far.
func (w *worker) sendOrdered(m *wire.Message) {
	m.Seq = w.seq.Add(1)
	mk := []byte(wire.MarkerText(w.marker, m.Seq))
	syscall.Write(1, mk)
	syscall.Write(2, mk)
	w.send(m)
}

// Publish implements display.Publisher for values shown mid-cell.
func (w *worker) Publish(b display.Bundle, id string, update bool) {
	w.sendOrdered(&wire.Message{Op: "display", Bundle: &b, DisplayID: id, Update: update})
}

// Clear implements display.Publisher.
func (w *worker) Clear(wait bool) {
	w.sendOrdered(&wire.Message{Op: "clear", Wait: wait})
}

// idleTrim is how long a worker waits after a cell before it returns
// freed memory to the system.
const idleTrim = 250 * time.Millisecond

// exec runs one cell and replies with its result.
func (w *worker) exec(m *wire.Message) {
	reply := &wire.Message{Op: wire.OpDone, ID: m.ID}
	w.idle.Stop()
	defer func() {
		w.sendOrdered(reply)
		w.idle.Reset(idleTrim)
	}()

	// The code has its magic lines blanked: the supervisor parsed them.
	mg := w.magics(m.Magics, m.Code)
	code := m.Code
	if mg.timedCode != "" {
		// The cell's text as written, its timed statement in place.
		code = mg.inPlace
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	ip := w.begin(m.Cell, code, cancel, reply)
	if mg.compile {
		// A compiled cell is timed whole, its statement in place.
		reply.Error = w.execCompiled(ctx, m.Cell, code, mg.buildFlags, mg.timed || mg.timedCode != "")
		w.mu.Lock()
		w.cancel = nil
		w.mu.Unlock()
		return
	}
	cellrt.CellStarted(m.Cell)
	defer cellrt.CellEnded()
	watch, stopWatch := context.WithCancel(ctx)
	defer stopWatch()
	go cellrt.WatchDeadlock(watch, m.Cell, func(d *cellrt.Deadlock) {
		w.endCell(m.Cell, &wire.Error{Name: "fatal error", Message: cellrt.DeadlockMessage, Traceback: d.Traceback,
			Kind: wire.KindFatal, Cell: d.At.Cell, Line: d.At.Line})
	})

	start := time.Now()
	cpu0 := cpuTime()
	cellrt.DropDeferred() // a cell stopped before its end left them
	var val any
	var decls []wire.Decl
	var vars []string
	var evalErr error
	if mg.timedCode != "" {
		// %time STATEMENT: the statement, timed, then the rest of the
		// cell, whose final value (if any) is the cell's.
		val, decls, vars, evalErr = w.evalCell(ctx, ip, m.Cell, mg.timedCode)
		fmt.Fprintf(os.Stdout, "wall time: %s, CPU time: %s\n", fmtDur(time.Since(start)), fmtDur(cpuTime()-cpu0))
		if evalErr == nil && strings.TrimSpace(m.Code) != "" {
			var d []wire.Decl
			var v []string
			val, d, v, evalErr = w.evalCell(ctx, ip, m.Cell, m.Code)
			decls, vars = append(decls, d...), append(vars, v...)
		}
	} else {
		val, decls, vars, evalErr = w.evalCell(ctx, ip, m.Cell, m.Code)
	}
	if ctx.Err() != nil {
		cellrt.DropDeferred()
	} else if cellrt.HasDeferred() {
		// The cell's top-level defers (see cellrt.RunDeferred), run as
		// its code; a panic in one is the cell's.
		if _, err := ip.EvalWithContext(ctx, source.RuntimeName+".RunDeferred()"); err != nil && evalErr == nil {
			evalErr = err
		}
	}
	stopWatch()
	if evalErr == nil && ctx.Err() != nil {
		// Stopped as its last statement returned (a sleep cut short, say):
		// the evaluation may win the race with the cancellation.
		evalErr = ctx.Err()
	}
	if mg.timed {
		fmt.Fprintf(os.Stdout, "wall time: %s, CPU time: %s\n", fmtDur(time.Since(start)), fmtDur(cpuTime()-cpu0))
	}
	w.finish(reply, m.Cell, evalErr)
	if reply.Error != nil {
		return
	}
	reply.Decls = decls
	reply.Vars = vars
	w.remember([]compiled.Decl{{Cell: m.Cell, Src: code}}, vars)
	if val != nil {
		b := display.Render(val)
		reply.Bundle = &b
	}
	if note := outliving(m.Cell); note != "" {
		w.sendOrdered(&wire.Message{Op: wire.OpStderr, Text: note})
	}
}

// magics carries out the magics of a cell that the worker owns (see
// source.Magic.InSupervisor) and reports what they ask of the
// evaluation.
func (w *worker) magics(ms []source.Magic, code string) (c cellMagics) {
	for _, mg := range ms {
		switch mg.Name {
		case source.CompileMagic:
			c.compile, c.buildFlags = true, mg.Args
		case "help":
			io.WriteString(os.Stdout, source.MagicHelp)
		case "time":
			if stmt, ok := source.TimedStatement(code, mg); ok {
				c.timedCode = stmt
				c.inPlace = withLine(code, mg.Line, mg.Args)
			} else {
				c.timed = true
			}
		case "gomaxprocs":
			n, _ := strconv.Atoi(mg.Args)
			old := runtime.GOMAXPROCS(n)
			fmt.Fprintf(os.Stdout, "GOMAXPROCS: %d -> %d (this machine has %d CPUs)\n", old, n, runtime.NumCPU())
		case "env":
			envMagic(mg.Args)
		case "memlimit":
			memlimitMagic(mg.Args)
		case "goroutines":
			if mg.Args == "" {
				io.WriteString(os.Stdout, cellrt.List())
			}
		}
	}
	return c
}

// cellMagics is what a cell's magics ask of its evaluation.
type cellMagics struct {
	timed      bool   // %time: report wall and CPU time
	compile    bool   // %%compile: build with the Go toolchain instead
	buildFlags string // the %%compile line's go build flags
	// timedCode is the statement of a %time STATEMENT, alone on its
	// line (source.TimedStatement); inPlace is the cell with the
	// statement on its line, as the cell was written.
	timedCode, inPlace string
}

// withLine returns code with its 1-based line n replaced by text.
func withLine(code string, n int, text string) string {
	lines := strings.Split(code, "\n")
	if n >= 1 && n <= len(lines) {
		lines[n-1] = text
	}
	return strings.Join(lines, "\n")
}

// begin makes cell the running one and returns the interpreter to run it
// in. The reports of goroutines of earlier cells that panicked since are
// written first, and counted in reply.
func (w *worker) begin(cell int, code string, cancel context.CancelFunc, reply *wire.Message) *interp.Interpreter {
	w.sess.setCell(cell, code)
	w.mu.Lock()
	w.cell = cell
	w.cancel = cancel
	w.stop = cellstop.Begin()
	w.traces = nil
	w.fatal = nil
	later := w.later
	w.later = nil
	ip := w.ip
	w.mu.Unlock()
	for _, l := range later {
		w.sendOrdered(&wire.Message{Op: wire.OpStderr, Text: l})
	}
	reply.LatePanics = len(later)
	return ip
}

// finish ends the running cell: reply gets its error, if any (what ended
// it early, or evalErr), and is marked stuck when its code is still
// running after an interrupt.
func (w *worker) finish(reply *wire.Message, cell int, evalErr error) {
	w.mu.Lock()
	w.cancel = nil
	traces := w.traces
	w.traces = nil
	fatal := w.fatal
	w.fatal = nil
	w.mu.Unlock()
	switch {
	case fatal != nil:
		reply.Error = fatal
		reply.Stuck = !w.settle(time.Second)
	case evalErr != nil:
		reply.Error = w.describe(evalErr, cell, traces)
		reply.Stuck = errors.Is(evalErr, context.Canceled) && !w.settle(time.Second)
	}
}

// endCell ends the running cell early with err (a goroutine panicked, or
// the cell deadlocked), as the program would have ended.
func (w *worker) endCell(cell int, err *wire.Error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.cell != cell || w.cancel == nil || w.fatal != nil {
		return
	}
	w.fatal = err
	w.stopCell()
}

// stopCell stops the running cell early: its evaluation is cancelled and
// its sleeps and the runtime's work return (cellstop). The cancellation
// comes first: a cell whose last statement is a sleep must find its
// context done when the sleep returns, or it would pass for finished.
// The caller holds w.mu.
func (w *worker) stopCell() {
	if w.cancel == nil {
		return
	}
	w.cancel()
	w.stop()
}

// goroutinePanic reports a panic that ended a goroutine: the running cell,
// whichever cell started the goroutine, ends with it, as the program would
// have ended; when no cell runs it is reported at the top of the next cell.
func (w *worker) goroutinePanic(g *cellrt.Goroutine, r any, rtFrames []cellrt.Frame) {
	msg := cellrt.PanicText(r)
	frames := make([]wire.Frame, len(rtFrames))
	for i, f := range rtFrames {
		frames[i] = wire.Frame(f)
	}
	frames = w.panicLines(frames, msg)
	tb := []string{"panic: " + msg, "", fmt.Sprintf("goroutine %d [running]:", g.ID)}
	tb = append(tb, frameLines(frames)...)
	if g.Cell > 0 {
		tb = append(tb, fmt.Sprintf("created by a go statement (%s) at cell %d, line %d", g.Name, g.Cell, g.Line))
	}
	w.mu.Lock()
	running, cell := w.cancel != nil, w.cell
	w.mu.Unlock()
	if running {
		e := &wire.Error{Name: "panic", Message: msg, Traceback: tb, Kind: wire.KindPanic, Frames: frames}
		place(e, msg)
		w.endCell(cell, e)
		return
	}
	text := fmt.Sprintf("A goroutine of cell %d panicked after the cell ended (the goroutine stopped; the session goes on):\n%s\n", g.Cell, strings.Join(tb, "\n"))
	w.mu.Lock()
	w.later = append(w.later, text)
	w.mu.Unlock()
}

// outliving names the goroutines a cell started that are still running
// when it ends.
func outliving(cell int) string {
	// A goroutine that is running or runnable may be on its way out (past
	// its wg.Done, returning): it gets up to outlivingWait to finish. One
	// that is blocked or sleeping is surely still running.
	var gs []*cellrt.Goroutine
	states := map[uint64]string{}
	for deadline := time.Now().Add(outlivingWait); ; time.Sleep(2 * time.Millisecond) {
		if gs = cellrt.Of(cell); len(gs) == 0 {
			return ""
		}
		clear(states)
		for _, g := range cellrt.Stacks() {
			states[g.ID] = g.State
		}
		if !anyRunning(gs, states) || time.Now().After(deadline) {
			break
		}
	}
	var parts []string
	alive := 0
	for _, g := range gs {
		st, ok := states[g.ID]
		if g.ID == 0 {
			st, ok = "starting", true
		}
		if !ok {
			cellrt.Forget(g)
			continue
		}
		alive++
		if len(parts) < 5 {
			parts = append(parts, fmt.Sprintf("%s (line %d) %s", g.Name, g.Line, cellrt.WaitWord(st)))
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

// outlivingWait bounds how long a cell's end waits for its goroutines
// that are still running, or runnable, to return.
const outlivingWait = 100 * time.Millisecond

// anyRunning reports whether one of gs is running or runnable (or not yet
// started) by states, the goroutines' states by id.
func anyRunning(gs []*cellrt.Goroutine, states map[uint64]string) bool {
	for _, g := range gs {
		if st := states[g.ID]; g.ID == 0 || st == "running" || st == "runnable" {
			return true
		}
	}
	return false
}

// evalCell evaluates the chunks of a cell in order. It returns the value to
// show (nil for none), the declarations to replay after a restart and the
// variables the cell defined.
func (w *worker) evalCell(ctx context.Context, ip *interp.Interpreter, cell int, code string) (any, []wire.Decl, []string, error) {
	if source.UsesReserved(code) {
		return nil, nil, nil, fmt.Errorf("cell%d:1:1: names starting with %s are reserved by Lanes", cell, source.Reserved)
	}
	if prog, ok := source.Program(code); ok {
		return nil, nil, nil, w.runProgram(ctx, cell, code, prog)
	}
	code = source.BlankPackage(code)
	// As go run would: a cell that defines main runs it once, at its
	// end. Renamed, so that the interpreter does not run it again at
	// every later evaluation.
	code, hasMain := source.RenameMain(code)
	r := &cellRun{w: w, ctx: ctx, ip: ip, cell: cell, code: code}
	chunks := source.Split(code)
	if err := r.usesFailed(chunks); err != nil {
		return nil, nil, nil, err
	}
	w.implicitImports(code)
	w.aliasImports(ip, cell)
	for i, c := range chunks {
		if err := ctx.Err(); err != nil {
			// Stopped in an earlier chunk whose evaluation ended without
			// an error (its goroutine left at a stopped sleep).
			return nil, nil, nil, err
		}
		if err := r.chunk(c, i == len(chunks)-1); err != nil {
			return nil, nil, nil, err
		}
	}
	if hasMain {
		if err := ctx.Err(); err != nil {
			return nil, nil, nil, err
		}
		if _, err := ip.EvalWithContext(ctx, source.MainName+"()"); err != nil {
			return nil, nil, nil, err
		}
	}
	return r.result, r.decls, r.vars, nil
}

// cellRun is one evaluation of a cell, chunk after chunk.
type cellRun struct {
	w    *worker
	ctx  context.Context
	ip   *interp.Interpreter
	cell int
	code string // the cell, its final expression wrapped once known

	decls  []wire.Decl // what a restart replays
	vars   []string    // the variables the cell defined
	result any         // the value to show
}

// chunk evaluates one chunk and records what it defined. The chunk is
// parsed once for every question asked of it.
func (r *cellRun) chunk(c source.Chunk, last bool) error {
	p := source.Parse(r.cell, r.code, c)
	// plain is the chunk as written, kept while its final expression is
	// wrapped: the wrapped code does not compile when the final call
	// turns out to have no result, and then the chunk runs as written.
	plainCode, plainChunk, wrapped := r.code, c, false
	if last && c.Kind == source.KindStmt {
		if x, lo, hi, ok := p.FinalExpr(); ok && source.Shown(x) {
			// The final expression hands its value to _lanesrt.Result
			// unless it surely has none. What the interpreter itself
			// returns for an expression statement is not reliable (for
			// a call without results it may be an earlier cell's
			// value), so a value is only ever shown through
			// _lanesrt.Result; and only a call of a compiled function
			// lets cell-defined types show themselves.
			if has, known := r.w.callResults(x); has || !known {
				wrapped = true
				r.code = r.code[:lo] + source.RuntimeName + ".Result(" + r.code[lo:hi] + ")" + r.code[hi:]
				c.End += len(source.RuntimeName + ".Result()")
				cellrt.TakeResult() // forget anything left over
			}
		}
	}
	var names []string
	switch c.Kind {
	case source.KindImport:
		src := r.w.newImports(r.cell, r.code, c)
		if src == "" {
			return nil // every package was imported before
		}
		if _, err := r.ip.EvalWithContext(r.ctx, src); err != nil {
			return err
		}
		r.decls = append(r.decls, wire.Decl{Cell: r.cell, Src: src})
		r.w.sess.addImports(source.ImportSpecs(r.code, c))
		r.w.aliasImports(r.ip, r.cell)
		return nil
	case source.KindDecl, source.KindVar:
		names = p.DeclNames()
	}
	if c.Kind == source.KindDecl {
		if err := r.w.checkRedefinition(r.cell, p); err != nil {
			return err
		}
	}
	src, _, err := r.eval(c)
	if err != nil && c.Kind == source.KindDecl {
		return r.declFailed(names, err)
	}
	if err != nil && wrapped && notCompiled(err) {
		// The final call has no result (it was not known before): run
		// the chunk as written, and show nothing.
		r.code, c, wrapped = plainCode, plainChunk, false
		p = source.Parse(r.cell, r.code, c)
		src, _, err = r.eval(c)
	}
	if err != nil {
		return err
	}
	text := c.Text(r.code)
	switch c.Kind {
	case source.KindDecl:
		r.decls = append(r.decls, wire.Decl{Cell: r.cell, Src: src, Names: names})
		r.w.sess.define(names, text, src)
		r.w.learn(text, c, names)
	case source.KindVar:
		r.vars = append(r.vars, names...)
		if p.ReplayableVar() {
			r.decls = append(r.decls, wire.Decl{Cell: r.cell, Src: src, Names: names})
		}
		r.w.learn(text, c, names)
	case source.KindStmt:
		sv := p.StmtVars()
		r.vars = append(r.vars, sv...)
		r.w.learnStmt(r.cell, r.code, c, sv)
		if wrapped {
			if rv, ok := cellrt.TakeResult(); ok && rv != nil {
				r.result = rv
			}
		}
	}
	return nil
}

// aliasImports makes the session's imports under names of their own
// (import t "time") visible to the code of cell: the interpreter (yaegi
// v0.16.0) files such an import under the name of the source it was
// evaluated from, but looks the name up, in type expressions, under the
// file name of the code that uses it ("cellN", from the //line
// directives), and so failed with a nil pointer on func f(d t.Duration).
// Each alias is imported once more from a file named as the cell's code
// is. Packages imported by their own names need none of this: every
// package is in scope (ImportUsed).
func (w *worker) aliasImports(ip *interp.Interpreter, cell int) {
	name := source.FileName(cell)
	specs := w.sess.newAliases(name)
	if len(specs) == 0 {
		return
	}
	src := "package main\nimport (" + strings.Join(specs, "; ") + ")\n"
	f, err := parser.ParseFile(ip.FileSet(), name, src, 0)
	if err != nil {
		return
	}
	if prog, err := ip.CompileAST(f); err == nil {
		_, _ = ip.Execute(prog)
	}
}

// declFailed handles a declaration of names that failed to evaluate. The
// interpreter then keeps the names as broken entries, losing their earlier
// definitions too (a call of such a func panics with "index out of
// range"): the earlier definitions are evaluated again, and the error says
// they are kept. A name that had none counts as failed, and a later cell
// that uses it is stopped before it runs (usesFailed).
func (r *cellRun) declFailed(names []string, err error) error {
	before := r.w.sess.fail(names, r.cell)
	for _, src := range before {
		if _, e := evalQuiet(r.ip, src); e != nil {
			return fmt.Errorf("%w (and its earlier definition could not be restored: %v)", err, e)
		}
	}
	if len(before) > 0 {
		return fmt.Errorf("%w (the earlier definition of %s is kept)", err, strings.Join(names, ", "))
	}
	return err
}

// usesFailed returns an error, before anything of the cell runs, when
// one of its chunks uses a name whose declaration failed and that the cell
// does not declare itself.
func (r *cellRun) usesFailed(chunks []source.Chunk) error {
	failed := r.w.sess.failedNames()
	if len(failed) == 0 {
		return nil
	}
	for _, c := range chunks {
		p := source.Parse(r.cell, r.code, c)
		for _, n := range p.DeclNames() {
			delete(failed, n)
		}
	}
	names := map[string]bool{}
	for n := range failed {
		names[n] = true
	}
	for _, c := range chunks {
		if !mentionsAny(c.Text(r.code), names) {
			continue
		}
		if n, line := rewrite.Undefined(r.cell, r.code, c, r.w, names); n != "" {
			return fmt.Errorf("cell%d:%d:1: undefined: %s (its declaration in cell %d failed: run that cell again once it is fixed)", r.cell, line, n, failed[n])
		}
	}
	return nil
}

// mentionsAny reports whether src holds one of names as an identifier.
func mentionsAny(src string, names map[string]bool) bool {
	for _, t := range source.Scan(src) {
		if t.Tok == token.IDENT && names[t.Lit] {
			return true
		}
	}
	return false
}

// eval evaluates a declaration, var or statement chunk, rewritten where
// the interpreter needs it, and returns the source evaluated (to replay)
// and the value.
func (r *cellRun) eval(c source.Chunk) (string, reflect.Value, error) {
	w, ip, ctx := r.w, r.ip, r.ctx
	src := w.generic(ip, rewrite.Chunk(r.cell, r.code, c, w, false))
	if c.Kind == source.KindStmt {
		src = notFuncFirst(src)
	}
	v, err := ip.EvalWithContext(ctx, src)
	if c.Kind == source.KindVar && err != nil && (definitionLoop(err) || genericDefineFault(err)) {
		// See rewrite.VarStatements; a piece x := genericCall(...)
		// (var keys = slices.Sorted(maps.Keys(m)), on which the
		// interpreter's compiler panicked) runs as evalPiece runs it.
		if parts := rewrite.VarStatements(r.cell, r.code, c); len(parts) > 0 {
			err = nil
			for i, p := range parts {
				// Each statement is rewritten as a statement chunk of
				// its own (min and max, say); it names its cell line.
				parts[i] = w.generic(ip, rewrite.Chunk(r.cell, p, source.Chunk{Kind: source.KindStmt, End: len(p)}, w, false))
				if _, err = w.evalPiece(ctx, ip, parts[i]); err != nil {
					break
				}
			}
			src = strings.Join(parts, "\n")
		}
	}
	if compilePanic(err) && strings.Contains(c.Text(r.code), "range") {
		// The interpreter cannot range over an integer; nothing ran
		// yet, so try again with unknown ranges as integers.
		src = w.generic(ip, rewrite.Chunk(r.cell, r.code, c, w, true))
		v, err = ip.EvalWithContext(ctx, src)
	}
	if genericDefineFault(err) && c.Kind == source.KindStmt {
		// Nothing ran: run the chunk in pieces around its
		// x := genericCall(...) (see evalGenericDefine).
		if _, _, _, _, ok := genstd.SplitTopLevel(src); ok {
			v, err = w.evalGenericDefine(ctx, ip, src, err)
		}
	}
	if genericDefineFault(err) && (c.Kind == source.KindStmt || c.Kind == source.KindVar) {
		if name, pos, ok := genstd.TopLevelGeneric(src); ok {
			err = fmt.Errorf("%s:%d:%d: the interpreter cannot declare %s at a cell's top level from a generic function's result: declare it first (var %s T) and assign it (%s = ...), or use it inside a func",
				pos.Filename, pos.Line, pos.Column, name, name, name)
		}
	}
	return src, v, err
}

// notCompiled tells an error of the interpreter's compilation (nothing
// of the chunk ran) from one of its run (a panic, an interruption).
func notCompiled(err error) bool {
	var p interp.Panic
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return false
	}
	return !errors.As(err, &p) || compilePanic(err)
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
	if t, _ := source.FirstToken(src); t == token.FUNC {
		return ";" + src
	}
	return src
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
		for _, g := range cellrt.Stacks() {
			for _, f := range g.Frames {
				if cellrt.IsEvalFrame(f) {
					running = true
					switch g.State {
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

// internalLog drops the interpreter's log lines of its internal failures
// and passes anything else on to w.
type internalLog struct{ w io.Writer }

func (l internalLog) Write(p []byte) (int, error) {
	s := strings.TrimSuffix(string(p), "\n")
	if strings.HasSuffix(s, " nil type") || strings.HasSuffix(s, " nil reflect type") || s == "nil type" || s == "nil reflect type" {
		return len(p), nil
	}
	return l.w.Write(p)
}

var posRE = regexp.MustCompile(`cell(\d+):(\d+)(?::\d+)?: `)

// cellPos rewrites "cell3:2:7: " positions as "cell 3, line 2: ".
func cellPos(s string) string {
	return posRE.ReplaceAllString(s, "cell $1, line $2: ")
}

// describe turns an evaluation error into a Go-flavoured report.
func (w *worker) describe(err error, cell int, traces []wire.Frame) *wire.Error {
	var p interp.Panic
	switch {
	case errors.Is(err, context.Canceled):
		return &wire.Error{Name: "Interrupted", Message: "the cell was interrupted", Kind: wire.KindInterrupted}
	case compilePanic(err) && errors.As(err, &p):
		msg := fmt.Sprintf("cell %d: the interpreter failed on this code (%v); this is a limit of the interpreter, not an error in the Go", cell, p.Value)
		if v := fmt.Sprint(p.Value); v == "nil type" || v == "nil reflect type" {
			// Its own words mean nothing to the cell's author.
			msg = fmt.Sprintf("cell %d: the interpreter cannot run this code; this is a limit of the interpreter, not an error in the Go. Its known causes: ranging over a function whose type Lanes cannot see, such as a generic one (call the function with a yield func instead: seq(func(v T) bool { ...; return true })), and receiving with the ok flag, at a cell's top level, from a channel of a struct type whose variable an earlier cell made (declare the variables first: var v T; var ok bool; v, ok = <-ch)", cell)
		}
		return &wire.Error{Name: "CompileError", Message: msg, Traceback: []string{msg}, Kind: wire.KindCompile}
	case errors.As(err, &p):
		raw := rewrite.UserNames(cellrt.PanicText(p.Value))
		msg := cellPos(raw)
		at := cellrt.LastPanicAt()
		frames := w.panicLines(withPanicLine(traces, at), msg)
		tb := []string{"panic: " + msg, "", "goroutine 1 [running]:"}
		tb = append(tb, frameLines(frames)...)
		e := &wire.Error{Name: "panic", Message: msg, Traceback: tb, Kind: wire.KindPanic, Frames: frames}
		place(e, raw)
		return e
	}
	msg := cellPos(rewrite.UserNames(err.Error()))
	e := &wire.Error{Name: "CompileError", Message: msg, Traceback: []string{msg}, Kind: wire.KindCompile}
	place(e, err.Error())
	return e
}

// withPanicLine puts the line of an explicit panic into the innermost
// interpreted frame (see cellrt.WithPanicLine).
func withPanicLine(frames []wire.Frame, at cellrt.Pos) []wire.Frame {
	rt := make([]cellrt.Frame, len(frames))
	for i, f := range frames {
		rt[i] = cellrt.Frame(f)
	}
	rt = cellrt.WithPanicLine(rt, at)
	out := make([]wire.Frame, len(rt))
	for i, f := range rt {
		out[i] = wire.Frame(f)
	}
	return out
}

// place sets where e is: the first position the interpreter wrote in
// text ("cell3:2:7: "), else the innermost frame.
func place(e *wire.Error, text string) {
	if m := posRE.FindStringSubmatch(text); m != nil {
		e.Cell, _ = strconv.Atoi(m[1])
		e.Line, _ = strconv.Atoi(m[2])
		return
	}
	if len(e.Frames) > 0 {
		e.Cell, e.Line = e.Frames[0].Cell, e.Frames[0].Line
	}
}

// traceFilter receives what the interpreter writes to its standard error:
// the interpreted frames of a panic ("cell3:2:7: panic: main.h(...)") are
// kept for the traceback and also sent at once, in case the panic ends the
// worker; everything else goes to the real standard error.
type traceFilter struct{ w *worker }

var frameRE = regexp.MustCompile(`^cell(\d+):(\d+)(?::\d+)?: panic: (.*)\n?$`)

// Write keeps a frame line for the traceback, or passes the text on.
func (t *traceFilter) Write(p []byte) (int, error) {
	if m := frameRE.FindSubmatch(p); m != nil {
		frame := wire.Frame{Func: string(m[3])}
		frame.Cell, _ = strconv.Atoi(string(m[1]))
		frame.Line, _ = strconv.Atoi(string(m[2]))
		if id := cellrt.GoID(); cellrt.Registered(id) {
			// A goroutine of a go statement: it recovers and reports.
			cellrt.AddFrame(id, cellrt.Frame(frame))
			return len(p), nil
		}
		t.w.mu.Lock()
		t.w.traces = append(t.w.traces, frame)
		t.w.mu.Unlock()
		t.w.send(&wire.Message{Op: wire.OpTrace, Frame: &frame})
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

// Read returns buffered input, asking the front end for a line when
// there is none.
func (r *inputReader) Read(p []byte) (int, error) {
	if len(r.buf) == 0 {
		r.w.sendOrdered(&wire.Message{Op: "input"})
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
func (w *worker) replay(m *wire.Message) {
	var lost []string
	var replayed []compiled.Decl
	for _, d := range m.Decls {
		w.aliasImports(w.ip, d.Cell)
		src := w.generic(w.ip, d.Src)
		if _, err := evalQuiet(w.ip, src); err != nil {
			lost = append(lost, fmt.Sprintf("%s (cell %d): %s", strings.Join(d.Names, ", "), d.Cell, cellPos(err.Error())))
			continue
		}
		w.sess.define(d.Names, d.Src, src)
		w.sess.declare(d.Names, d.Src)
		w.sess.addImports(source.ImportSpecs(d.Src, source.Chunk{Kind: source.KindImport, End: len(d.Src)}))
		replayed = append(replayed, compiled.Decl{Cell: d.Cell, Src: d.Src})
	}
	// Compiled cells after a restart know the replayed declarations, as
	// they knew the cells that first made them, and the session's
	// variables.
	w.remember(replayed, m.Vars)
	w.send(&wire.Message{Op: "reply", ID: m.ID, Lost: lost})
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

// DisplayInterfaces lists the interfaces a value of a cell-defined type is
// wrapped into when it is passed to a compiled function that shows values
// (most specific first). A front end that exports its own display
// functions to cells registers them with these in yaegi's MapTypes.
func DisplayInterfaces() []reflect.Type { return cellrt.DisplayInterfaces() }

// definitionLoop tells the interpreter's refusal of a var declaration
// whose initializer names a variable of an earlier evaluation (see
// rewrite.VarStatements). It says "constant" when the initializer is a
// function literal called at once, as the rewrite makes of min and max.
func definitionLoop(err error) bool {
	return strings.Contains(err.Error(), "variable definition loop") || strings.Contains(err.Error(), "constant definition loop")
}
