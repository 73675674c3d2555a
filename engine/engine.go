// Package engine runs Go cells for every Lanes front end: the Jupyter
// kernel, the REPL, the notebook runner and the grader.
//
// An Engine is a supervisor. User code never runs in its process: it runs in
// a worker child process (the lanes binary started with its hidden worker
// subcommand), which owns a yaegi interpreter. A stack overflow,
// concurrent map writes, os.Exit or a panic in a goroutine that compiled
// code started end the worker, never the front end; the engine then reports
// what happened in the cell, starts a fresh worker and replays the
// declarations of earlier cells. Panics in goroutines of go statements and
// deadlocks are reported without losing the worker (see Goroutines).
//
// # Layout
//
// This package is the supervisor only, in the front end's process: the
// worker's lifetime, restarts and replay, and the relay of its output
// streams (relay.go: order markers, coalescing, crash dumps). It must never
// import the interpreter (yaegi), the worker (engine/worker) or the
// run-time helpers of cells (internal/cellrt); a test keeps it so. The
// worker process is engine/worker; the protocol internal/wire; the pure
// functions over cell text internal/source; the compatibility layer
// internal/rewrite; what rewritten code calls at run time, the deadlock
// detector among it, internal/cellrt. docs/architecture.md has the
// picture. The sections below describe what a front end sees, wherever
// the code that does it lives.
//
// # Protocol
//
// The supervisor talks to the worker with length-prefixed JSON frames on the
// worker's file descriptors 3 (requests) and 4 (replies and events). The
// worker's descriptors 1 and 2 are pipes read by the supervisor, so every
// write reaches the cell: fmt, os.Stdout, println and Go's own crash dumps.
// To keep display messages in order with the text written before them, the
// worker writes a marker (a per-worker random token and a sequence number)
// to both pipes before it sends an ordered message; the supervisor holds the
// message until both pipes have reached its marker, and strips the markers
// from the text.
//
// Stream text is coalesced: it is delivered at most every FlushInterval, or
// sooner when another message must follow it, so 10,000 printed lines become
// a handful of stream messages.
//
// # Cells
//
// A cell may mix imports, declarations and statements in any order. It is
// cut into runs of one kind, evaluated in order, with //line directives so
// that errors name "cell N, line L". The value of a final expression
// statement is the cell's result, except for calls to printing and writing
// functions. Magics (%help, %time, %%time, %gomaxprocs, %env, %memlimit, %reset) on the first
// lines are shared by all front ends; the supervisor parses them. %%compile
// runs the cell as a program built by the Go toolchain instead (see
// internal/compiled).
//
// Outside grading the worker holds itself to a memory limit (half of the
// machine's memory by default; LANES_MEMLIMIT, %memlimit) and stops with
// "fatal error: the cell used more than …", which is reported like any
// crash; the engine passes the session's last %memlimit on to the next
// worker. A worker killed by a SIGKILL the engine did not send is
// reported as most likely out of memory (the system's out-of-memory
// killer). On Linux the worker is in a Landlock domain that keeps its
// signals from the supervisor (worker.ProtectSupervisor).
//
// # Results
//
// A Result carries structure, not sentences: an Error has a Kind, the Cell
// and Line it is at and the interpreted Frames of a panic; Restart says why
// a fresh worker was started, whether the session was replayed and what was
// lost. Result.Traceback renders them in plain text as Jupyter shows them;
// other front ends render the fields in their own medium.
//
// # Compatibility layer
//
// The interpreter (yaegi v0.16.0) departs from Go 1.26 where a concurrency
// course looks hardest, so the worker rewrites each chunk of a cell
// (go/parser, go/types over the session's declarations with empty
// packages, go/printer with //line directives so that errors still name
// "cell N, line L") before evaluating it. Only chunks that need it are
// rewritten; the rest run as written. Helpers the rewritten code calls
// live in a compiled package in every interpreter's scope as _lanesrt
// (names starting with _lanes are reserved). The rewrites:
//
//   - per-iteration loop variables (Go 1.22) for three-clause and range
//     loops, only when a function literal captures the variable or its
//     address is taken; the clause gets a fresh name and the body declares
//     the user's name (a body that changes it copies it back, continue
//     jumps there);
//   - for i := range n over an integer becomes a counting loop; when the
//     type is unknown and the interpreter fails to compile the range, the
//     chunk is retried with the range taken as an integer (nothing ran);
//   - min and max become function literals over the operands' type (or the
//     constant result); clear calls a reflect helper; print and println
//     write to standard error in the runtime's formats;
//   - a function literal passed to a function, and a deferred literal in a
//     loop, is made in a frame of its own: the interpreter otherwise shares
//     the captured variables of a loop among them;
//   - range over a slice of channels is done by index (the interpreter
//     panics on it);
//   - recover() gives runtime errors Go's wording; panic notes its line
//     (the interpreter reports the first line of the panicking function);
//   - range over a function (an iterator) calls it with the loop body as
//     its yield func (internal/rangefunc), break, continue, goto, return
//     and defer keeping their meaning;
//   - a top-level for, if or switch with an init clause runs in a block of
//     its own, so that its variables do not become the session's;
//   - comma-ok definitions at the top level (v, ok := <-ch, m[k], x.(T))
//     define the zero values, then assign; method expressions ((*T).M,
//     T.M) become function literals; %T of a cell-defined type prints its
//     name (main.T) where its static type is known;
//   - a variable declared in a nested scope at a cell's top level (a loop's
//     clause or body, an if, a block) gets a name of its own, unique in the
//     session (the interpreter takes it for a session variable of the same
//     name); errors show the user's name;
//   - a top-level statement that defines several variables from one value
//     in a nested scope (a, b := f() in a loop body) runs in a function
//     literal called at once (the interpreter leaves them undefined);
//   - a defer at a cell's top level runs when the cell ends, last in, first
//     out (the interpreter runs it at once and at every later evaluation);
//   - a select case that receives into a field or an element receives into
//     fresh variables first; a constant assigned to _ becomes its value.
//
// A cell holding package main and func main runs as a whole program in an
// interpreter of its own, as go run would: it does not touch the session,
// and its goroutines stop when main returns. Without the package clause
// (a program split into cells) func main is renamed, defined, and run once
// at the end of its cell. Re-defining a type differently is refused with
// an error that says what to do (the interpreter would keep the old one);
// a re-defined function is used by everything evaluated after it.
//
// # Goroutines
//
// Every go statement (and a function literal given to a method named Go,
// such as sync.WaitGroup.Go, or to AfterFunc) is rewritten: the function
// value and the arguments are evaluated at the go statement into
// temporaries (a method's receiver, or its address for a pointer method),
// the goroutine is registered at once with its cell, line and name, and
// its body runs under a deferred recover. A panic is reported with its
// value in Go's words and the interpreted frames: it ends the cell that
// started the goroutine, as it would end the program, or, when that cell
// had ended, is shown on standard error at the top of the next one; the
// worker lives on. Goroutines started by compiled code that panic still
// end the worker (see Recovery).
//
// A deadlock detector watches the running cell (every 100 ms; two equal
// sightings): when every goroutine running cell code is blocked on a
// channel, a select, a lock, a wait group or a Cond — reached from
// interpreted code, not from a library waiting on the network — the cell's
// own among them, and no timer, ticker or context deadline a cell created
// may still fire (the time and context constructors are wrapped to know),
// the cell ends with "fatal error: all goroutines are asleep - deadlock!"
// and one line per goroutine: which (cell, line, name) and what it waits
// on. Goroutines blocked in locks or wait groups cannot be cancelled, so
// then the worker is replaced (see Recovery).
//
// Goroutines still running when their cell ends are counted and named on
// standard error ("2 goroutines started in this cell are still running:
// worker (line 3) blocked on receive"); what they print later through fmt
// is labelled "[cell N name] ". The %goroutines magic lists them;
// %goroutines stop stops them by replacing the worker (Go has no way to
// stop a goroutine from outside), replaying declarations.
//
// Known differences that remain: index errors say "index out of range"
// without the index and length; the interpreter reports the first line of
// a function that panicked on a runtime error; goroutines outliving a
// cell may race with the next cell's declarations (an interpreter bug:
// stop them with %goroutines stop before redefining what they use); a
// stopped ticker keeps the deadlock detector quiet for the rest of the
// session.
// testdata/corpus holds the programs that prove the rest, compared with go
// run, and KNOWN_DIFFERENCES.md.
//
// # Replay
//
// After a restart the worker re-evaluates, in order, the imports, types,
// funcs and consts of successful cells (as rewritten), and the var
// declarations whose initialisers call nothing (so no side effect is
// repeated). Other variables are lost and named in the cell that caused
// the restart: a crash, a stuck interrupt, a deadlock or goroutine panic
// whose goroutines could not be stopped, or %goroutines stop.
package engine

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/lanes-dev/lanes/display"
	"github.com/lanes-dev/lanes/internal/source"
	"github.com/lanes-dev/lanes/internal/wire"
)

// WorkerArg is the hidden subcommand that makes the lanes binary a worker.
const WorkerArg = "__worker"

// Options configure an Engine. The zero value is usable.
type Options struct {
	// Command starts a worker. The default runs this executable with
	// WorkerArg.
	Command []string
	// Env is added to the worker's environment.
	Env []string
	// InterruptGrace is how long an interrupted cell may take to stop
	// before the worker is killed and restarted (default 1.5 s).
	InterruptGrace time.Duration
	// FlushInterval bounds how long printed text waits to be coalesced
	// (default 5 ms).
	FlushInterval time.Duration
	// Log receives the engine's own diagnostics (default: discarded).
	Log io.Writer
}

// Sink receives what a running cell produces. Calls are never concurrent.
type Sink interface {
	// Stream delivers text written to "stdout" or "stderr".
	Stream(name, text string)
	// Display shows a bundle; update replaces the display with that id.
	Display(b display.Bundle, id string, update bool)
	// ClearOutput clears the cell's output.
	ClearOutput(wait bool)
	// Input reads a line for the cell's standard input. An error makes
	// the cell see end of input.
	Input(prompt string, password bool) (string, error)
}

// Cell is one unit of code to execute.
type Cell struct {
	// Code is the source of the cell.
	Code string
	// Number names the cell in errors ("cell 3, line 2"); 0 lets the
	// engine count.
	Number int
}

// Engine supervises one worker at a time and runs cells in it.
type Engine struct {
	opts Options

	execMu sync.Mutex // one Execute, Restart or Close at a time

	memMu    sync.Mutex // guards memlimit
	memlimit string     // the session's last %memlimit argument (memlimit.go)

	mu          sync.Mutex // guards the fields below
	p           *proc
	decls       []wire.Decl
	vars        map[string]int // variable → cell that defined it
	cells       int
	interrupted bool
	closed      bool
}

// New starts an engine and its first worker.
func New(opts Options) (*Engine, error) {
	if opts.InterruptGrace <= 0 {
		opts.InterruptGrace = 1500 * time.Millisecond
	}
	if opts.FlushInterval <= 0 {
		opts.FlushInterval = 5 * time.Millisecond
	}
	if opts.Log == nil {
		opts.Log = io.Discard
	}
	if len(opts.Command) == 0 {
		exe, err := os.Executable()
		if err != nil {
			return nil, fmt.Errorf("engine: locating the lanes binary: %w", err)
		}
		opts.Command = []string{exe, WorkerArg}
	}
	e := &Engine{opts: opts, vars: map[string]int{}}
	p, err := e.start()
	if err != nil {
		return nil, err
	}
	e.p = p
	return e, nil
}

// Execute runs a cell and returns when it has finished and all its output
// has been delivered to sink. Output of goroutines that outlive the cell
// keeps going to sink until the next Execute. Cancelling ctx interrupts
// the cell.
func (e *Engine) Execute(ctx context.Context, cell Cell, sink Sink) Result {
	e.execMu.Lock()
	defer e.execMu.Unlock()
	e.mu.Lock()
	if e.closed {
		e.mu.Unlock()
		return Result{Err: &Error{Name: "EngineClosed", Message: "the engine has been shut down", Kind: KindWorker}}
	}
	e.cells++
	if cell.Number == 0 {
		cell.Number = e.cells
	}
	e.interrupted = false
	e.mu.Unlock()

	ms, code, err := source.ParseMagics(cell.Code)
	if err != nil {
		return Result{Err: &Error{Name: "MagicError", Message: err.Error(), Traceback: []string{"MagicError: " + err.Error()}, Kind: KindMagic}}
	}
	restart, inWorker, err := e.magics(ms, sink)
	if err != nil {
		return Result{Err: &Error{Name: "WorkerError", Message: err.Error(), Kind: KindWorker}}
	}
	p := e.current()
	p.setSink(sink)
	if p.isDead() {
		if np, err := e.swap(true); err == nil {
			p = np
			p.setSink(sink)
			restart = &Restart{Reason: RestartDied, Replayed: true, LostVars: e.lostVars(), LostDecls: p.lostDecls}
		}
	}
	m, err := p.call(ctx, &wire.Message{Op: wire.OpExec, Code: code, Magics: inWorker, Cell: cell.Number}, e.Interrupt)
	if err != nil {
		return e.crashed(p, sink, err)
	}
	if m.Error != nil {
		if m.Stuck {
			e.opts.Log.Write([]byte("engine: interrupted cell did not stop; restarting the worker\n"))
			if m.Error.Kind != KindInterrupted {
				// A deadlock or a goroutine's panic ended the cell, but
				// its goroutines are stuck in locks or wait groups.
				return e.crashedWith(p, m.Error)
			}
			return e.crashed(p, sink, errStuck)
		}
		if len(m.Error.Traceback) == 0 {
			m.Error.Traceback = []string{m.Error.Name + ": " + m.Error.Message}
		}
		return Result{Err: m.Error, Restart: restart, LatePanics: m.LatePanics}
	}
	e.mu.Lock()
	e.decls = append(e.decls, m.Decls...)
	for _, v := range m.Vars {
		e.vars[v] = cell.Number
	}
	e.mu.Unlock()
	return Result{Value: m.Bundle, Restart: restart, LatePanics: m.LatePanics}
}

var errStuck = errors.New("the interrupted cell did not stop")

// magics carries out the magics of a cell that replace the worker
// (source.Magic.InSupervisor) and returns the restart they made and the
// magics the worker carries out.
func (e *Engine) magics(ms []source.Magic, sink Sink) (restart *Restart, inWorker []source.Magic, err error) {
	for _, m := range ms {
		if m.Name == "memlimit" && m.Args != "" {
			e.setMemLimit(m.Args) // for the next worker; this one sets it itself
		}
		switch {
		case !m.InSupervisor():
			inWorker = append(inWorker, m)
		case m.Name == "reset":
			if _, err := e.swap(false); err != nil {
				return nil, nil, err
			}
			restart = &Restart{Reason: RestartReset}
			sink.Stream("stdout", "A fresh worker was started: every definition is forgotten.\n")
		case m.Name == "goroutines" && m.Args == "stop":
			// Go cannot stop a goroutine from outside: a fresh worker,
			// with the session's declarations replayed, is the only way.
			p, err := e.swap(true)
			if err != nil {
				return nil, nil, err
			}
			restart = &Restart{Reason: RestartStop, Replayed: true, LostVars: e.lostVars(), LostDecls: p.lostDecls}
			msg := "Every goroutine was stopped: a fresh worker was started and the declarations of earlier cells were replayed.\n"
			if len(restart.LostVars) > 0 {
				msg += "These variables lost their values and are no longer defined: " + strings.Join(restart.LostVars, ", ") + ".\n"
			}
			sink.Stream("stdout", msg)
		}
	}
	return restart, inWorker, nil
}

func (e *Engine) current() *proc {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.p
}

// crashed reports a worker that died (or had to be killed) during a cell,
// starts a fresh one and replays the session's declarations.
func (e *Engine) crashed(p *proc, sink Sink, cause error) Result {
	dead := p.exited() // before the engine's own kill
	p.kill()
	<-p.done
	crash := p.crashReport()
	if crash != nil && !p.crashExit() {
		// Text that read like a crash dump, then a plain exit: the text
		// was the cell's own.
		if text := p.takeCrash(); text != "" {
			sink.Stream("stderr", text)
		}
		crash = nil
	}
	reason := RestartCrash
	var err *Error
	switch {
	case errors.Is(cause, errStuck) || (e.wasInterrupted() && crash == nil):
		reason = RestartInterrupt
		err = &Error{Name: "Interrupted", Kind: KindInterrupted,
			Message: "the cell did not stop when interrupted (it was blocked in a lock, a wait group or a system call), so its worker was stopped"}
	case p.exitCode() >= 0 && crash == nil:
		code := p.exitCode()
		err = &Error{Name: "Exit", Kind: KindExit, Message: fmt.Sprintf("the program called os.Exit(%d)", code),
			Traceback: []string{"exit status " + fmt.Sprint(code), "",
				"os.Exit ends the whole program, as it would in a compiled program."}}
	case crash != nil:
		err = &Error{Name: "fatal error", Kind: KindFatal, Message: strings.TrimPrefix(crash.summary, "panic: "),
			Frames: crash.frames}
		if strings.HasPrefix(crash.summary, "panic: ") {
			err.Name, err.Kind = "panic", KindPanic
		}
		if len(crash.frames) > 0 {
			err.Cell, err.Line = crash.frames[0].Cell, crash.frames[0].Line
		}
		err.Traceback = append(crash.lines(), "", "This crashed the worker that runs the cells; in a compiled program it would crash the whole program too.")
	case dead && p.killedBy(syscall.SIGKILL):
		err = &Error{Name: "WorkerKilled", Kind: KindWorker,
			Message: "the worker was killed by a signal Lanes did not send (SIGKILL): most likely the machine ran out of memory and the system's out-of-memory killer chose it"}
		err.Traceback = []string{err.Name + ": " + err.Message, "",
			"A cell that needs more memory than the machine has cannot run here; %memlimit sets the limit at which Lanes stops the worker itself."}
	default:
		err = &Error{Name: "WorkerDied", Kind: KindWorker, Message: "the worker process ended: " + p.exitString()}
	}
	if len(err.Traceback) == 0 {
		err.Traceback = []string{err.Name + ": " + err.Message}
	} else if !strings.Contains(err.Traceback[0], err.Message) {
		err.Traceback = append([]string{err.Message}, err.Traceback...)
	}
	return e.afterRestart(err, reason)
}

// crashedWith restarts the worker after a cell the worker ended with err
// but could not stop, and reports err with what the restart lost.
func (e *Engine) crashedWith(p *proc, err *Error) Result {
	p.kill()
	<-p.done
	tb := append([]string(nil), err.Traceback...)
	if len(tb) == 0 {
		tb = []string{err.Name + ": " + err.Message}
	}
	tb = append(tb, "", "Its goroutines were blocked in locks or wait groups, which cannot be stopped, so the worker was restarted.")
	stuck := *err
	stuck.Traceback = tb
	return e.afterRestart(&stuck, RestartStuck)
}

// afterRestart starts a fresh worker for the cell that lost the old one
// and reports what the restart did.
func (e *Engine) afterRestart(err *Error, reason RestartReason) Result {
	rs := &Restart{Reason: reason}
	if _, rerr := e.swap(true); rerr != nil {
		rs.Failed = rerr.Error()
	} else {
		rs.Replayed = true
		rs.LostVars = e.lostVars()
		rs.LostDecls = e.current().lostDecls
	}
	return Result{Err: err, Restart: rs}
}

func (e *Engine) wasInterrupted() bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.interrupted
}

// lostVars lists the variables that a replay did not restore.
func (e *Engine) lostVars() []string {
	e.mu.Lock()
	defer e.mu.Unlock()
	kept := map[string]bool{}
	for _, d := range e.decls {
		for _, n := range d.Names {
			kept[n] = true
		}
	}
	var lost []string
	for v := range e.vars {
		if !kept[v] {
			lost = append(lost, v)
			delete(e.vars, v)
		}
	}
	sort.Strings(lost)
	return lost
}

// swap stops the current worker and starts a fresh one; with replay the
// session's declarations are evaluated again, without it the session is
// forgotten.
func (e *Engine) swap(replay bool) (*proc, error) {
	old := e.current()
	if old != nil {
		old.kill()
		<-old.done
	}
	p, err := e.start()
	if err != nil {
		return nil, err
	}
	e.mu.Lock()
	e.p = p
	if !replay {
		e.decls = nil
		e.vars = map[string]int{}
	}
	decls := append([]wire.Decl(nil), e.decls...)
	vars := make([]string, 0, len(e.vars))
	for v := range e.vars {
		vars = append(vars, v)
	}
	e.mu.Unlock()
	sort.Strings(vars)
	if len(decls) > 0 {
		m, err := p.call(context.Background(), &wire.Message{Op: "replay", Decls: decls, Vars: vars}, nil)
		if err != nil {
			return p, fmt.Errorf("engine: replaying declarations: %w", err)
		}
		p.lostDecls = m.Lost
	}
	return p, nil
}

// Restart discards the session and starts a fresh worker.
func (e *Engine) Restart() error {
	e.Interrupt()
	e.execMu.Lock()
	defer e.execMu.Unlock()
	_, err := e.swap(false)
	return err
}

// Interrupt asks the running cell to stop. A cell that cannot be stopped
// (blocked in a lock) is ended by restarting the worker after
// Options.InterruptGrace.
func (e *Engine) Interrupt() {
	e.mu.Lock()
	p := e.p
	e.interrupted = true
	e.mu.Unlock()
	if p == nil || !p.busy.Load() {
		return
	}
	p.c.Send(&wire.Message{Op: "interrupt"})
	grace := e.opts.InterruptGrace
	go func() {
		select {
		case <-p.idle():
		case <-time.After(grace):
			if p.busy.Load() {
				fmt.Fprintln(e.opts.Log, "engine: interrupt grace expired; killing the worker")
				p.kill()
			}
		}
	}()
}

// Complete returns the completions of code at cursor (in code points): the
// replaced range and the candidates.
func (e *Engine) Complete(code string, cursor int) (matches []string, start, end int) {
	m, err := e.query(&wire.Message{Op: "complete", Code: code, Cursor: cursor})
	if err != nil {
		return nil, cursor, cursor
	}
	return m.Matches, m.Start, m.End
}

// Inspect returns a description of the name at cursor (code points):
// signature and doc for package members, the definition for names defined
// in cells, type and value for variables.
func (e *Engine) Inspect(code string, cursor, detail int) (text string, found bool) {
	m, err := e.query(&wire.Message{Op: "inspect", Code: code, Cursor: cursor, Detail: detail})
	if err != nil {
		return "", false
	}
	return m.Text, m.Found
}

// IsComplete reports whether code is ready to run: "complete",
// "incomplete" (with the indentation of the next line) or "invalid".
func (e *Engine) IsComplete(code string) (status, indent string) {
	return source.IsComplete(code)
}

func (e *Engine) query(m *wire.Message) (*wire.Message, error) {
	p := e.current()
	if p == nil || p.busy.Load() {
		return nil, errors.New("engine: worker busy")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	return p.call(ctx, m, nil)
}

// Close stops the worker for good.
func (e *Engine) Close() error {
	e.Interrupt()
	e.execMu.Lock()
	defer e.execMu.Unlock()
	e.mu.Lock()
	p := e.p
	e.closed = true
	e.mu.Unlock()
	if p != nil {
		p.kill()
		<-p.done
	}
	return nil
}

// WorkerPID returns the process id of the current worker (for tests and
// resource accounting).
func (e *Engine) WorkerPID() int {
	p := e.current()
	if p == nil || p.cmd.Process == nil {
		return 0
	}
	return p.cmd.Process.Pid
}

// start launches a worker process.
func (e *Engine) start() (*proc, error) {
	tok := make([]byte, 8)
	if _, err := rand.Read(tok); err != nil {
		return nil, fmt.Errorf("engine: marker: %w", err)
	}
	marker := "LANES" + hex.EncodeToString(tok) + ":"
	toWorkerR, toWorkerW, err := os.Pipe()
	if err != nil {
		return nil, fmt.Errorf("engine: pipe: %w", err)
	}
	fromWorkerR, fromWorkerW, err := os.Pipe()
	if err != nil {
		return nil, fmt.Errorf("engine: pipe: %w", err)
	}
	outR, outW, err := os.Pipe()
	if err != nil {
		return nil, fmt.Errorf("engine: pipe: %w", err)
	}
	errR, errW, err := os.Pipe()
	if err != nil {
		return nil, fmt.Errorf("engine: pipe: %w", err)
	}
	cmd := exec.Command(e.opts.Command[0], e.opts.Command[1:]...)
	cmd.Env = append(append(os.Environ(), e.opts.Env...), wire.MarkerEnv+"="+marker)
	if lim := e.memLimit(); lim != "" {
		cmd.Env = append(cmd.Env, wire.EnvMemLimit+"="+lim)
	}
	cmd.Stdout = outW
	cmd.Stderr = errW
	cmd.ExtraFiles = []*os.File{toWorkerR, fromWorkerW}
	// Its own process group: a Ctrl-C meant for the front end must not
	// kill the worker.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	startErr := cmd.Start()
	for _, f := range []*os.File{toWorkerR, fromWorkerW, outW, errW} {
		f.Close()
	}
	if startErr != nil {
		for _, f := range []*os.File{toWorkerW, fromWorkerR, outR, errR} {
			f.Close()
		}
		return nil, fmt.Errorf("engine: starting worker %q: %w", e.opts.Command[0], startErr)
	}
	p := newProc(cmd, wire.NewConn(fromWorkerR, toWorkerW), marker, e.opts.FlushInterval, e.opts.Log)
	p.closers = []io.Closer{toWorkerW, fromWorkerR, outR, errR}
	p.run(outR, errR)
	return p, nil
}

var nextID atomic.Uint64
