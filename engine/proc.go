package engine

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/lanes-dev/lanes/internal/wire"
)

// proc is one worker process and the goroutines that relay its output.
type proc struct {
	cmd     *exec.Cmd
	c       *wire.Conn
	marker  []byte
	flush   time.Duration
	log     io.Writer
	closers []io.Closer
	events  chan event

	busy atomic.Bool

	mu        sync.Mutex // guards the fields below
	sink      Sink
	waiting   map[uint64]chan *wire.Message
	execDone  chan struct{}
	traces    []wire.Frame // interpreted frames sent before a crash
	crash     []byte       // Go's crash dump, kept out of the cell's stderr
	state     *os.ProcessState
	lostDecls []string

	done chan struct{} // closed when the process has exited and its output is relayed
}

// errDied is returned by call when the worker ends before replying.
var errDied = errors.New("the worker process ended")

func newProc(cmd *exec.Cmd, c *wire.Conn, marker string, flush time.Duration, log io.Writer) *proc {
	return &proc{
		cmd: cmd, c: c, marker: wire.MarkerPrefix(marker), flush: flush, log: log,
		events: make(chan event, 256), waiting: map[uint64]chan *wire.Message{},
		done: make(chan struct{}),
	}
}

func (p *proc) setSink(s Sink) {
	p.mu.Lock()
	p.sink = s
	p.mu.Unlock()
}

func (p *proc) isDead() bool {
	select {
	case <-p.done:
		return true
	default:
		return false
	}
}

// idle returns a channel closed when the running cell has finished.
func (p *proc) idle() <-chan struct{} {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.execDone == nil {
		c := make(chan struct{})
		close(c)
		return c
	}
	return p.execDone
}

// call sends a request and waits for its reply. When ctx ends, onCancel (if
// any) is called once and the wait goes on; without onCancel the call
// returns ctx's error.
func (p *proc) call(ctx context.Context, m *wire.Message, onCancel func()) (*wire.Message, error) {
	m.ID = nextID.Add(1)
	ch := make(chan *wire.Message, 1)
	p.mu.Lock()
	p.waiting[m.ID] = ch
	if m.Op == "exec" {
		p.execDone = make(chan struct{})
		p.traces = nil
		p.busy.Store(true)
	}
	p.mu.Unlock()
	defer func() {
		p.mu.Lock()
		delete(p.waiting, m.ID)
		if m.Op == "exec" && p.execDone != nil {
			close(p.execDone)
			p.execDone = nil
			p.busy.Store(false)
		}
		p.mu.Unlock()
	}()
	if err := p.c.Send(m); err != nil {
		return nil, errDied
	}
	for {
		select {
		case r := <-ch:
			return r, nil
		case <-p.done:
			select { // a reply may have raced with the exit
			case r := <-ch:
				return r, nil
			default:
			}
			return nil, errDied
		case <-ctx.Done():
			if onCancel == nil {
				return nil, ctx.Err()
			}
			onCancel()
			ctx = context.Background()
		}
	}
}

func (p *proc) kill() {
	if p.cmd.Process != nil {
		syscall.Kill(-p.cmd.Process.Pid, syscall.SIGKILL)
		p.cmd.Process.Kill()
	}
}

// exited reports whether the worker process has been waited for. (Its
// state is read from p.state, under the lock: cmd.ProcessState is written
// by cmd.Wait in another goroutine.)
func (p *proc) exited() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.state != nil
}

// crashExit reports whether the worker ended as Go's runtime ends a
// crashing program: exit status 2 after a panic or fatal error, or a
// signal. A plain exit (os.Exit with another status) is no crash, even
// when the text before it looks like one.
func (p *proc) crashExit() bool {
	code := p.exitCode()
	return code == 2 || code == -1
}

// takeCrash returns the kept crash text and forgets it.
func (p *proc) takeCrash() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	text := string(p.crash)
	p.crash = nil
	return text
}

func (p *proc) exitCode() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.state == nil {
		return -1
	}
	return p.state.ExitCode()
}

func (p *proc) exitString() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.state == nil {
		return "unknown"
	}
	return p.state.String()
}

// run starts the goroutines that read the worker's output and wait for it.
func (p *proc) run(outR, errR io.Reader) {
	go p.readStream(stdout, outR)
	go p.readStream(stderr, errR)
	go p.readControl()
	pumped := make(chan struct{})
	go func() {
		p.pump()
		close(pumped)
	}()
	go func() {
		err := p.cmd.Wait()
		p.mu.Lock()
		p.state = p.cmd.ProcessState
		p.mu.Unlock()
		if err != nil {
			fmt.Fprintf(p.log, "engine: worker %d: %v\n", p.cmd.Process.Pid, err)
		}
		defer func() {
			p.mu.Lock()
			dump := p.crash
			p.mu.Unlock()
			if len(dump) > 0 {
				fmt.Fprintf(p.log, "engine: worker %d crash dump (first 4 KB):\n%s\n", p.cmd.Process.Pid, dump[:min(len(dump), 4096)])
			}
		}()
		// A child of the worker may still hold the pipes: give the relay
		// a moment, then cut them.
		select {
		case <-pumped:
		case <-time.After(500 * time.Millisecond):
		}
		for _, c := range p.closers {
			c.Close()
		}
		<-pumped
		close(p.done)
	}()
}

// crash is what Go's crash dump and the interpreter's frames say about a
// worker that crashed.
type crash struct {
	summary string   // the headline: "panic: boom", "fatal error: concurrent map writes"
	runtime []string // the runtime's own lines worth showing
	frames  []wire.Frame
}

// lines renders the crash as traceback lines.
func (c *crash) lines() []string {
	lines := append([]string{c.summary}, c.runtime...)
	if len(c.frames) > 0 {
		lines = append(lines, "", "goroutine stack (interpreted):")
		for _, f := range c.frames {
			lines = append(lines, f.String())
		}
	}
	return lines
}

// crashReport summarises Go's crash dump, or returns nil when the kept
// text holds none.
func (p *proc) crashReport() *crash {
	p.mu.Lock()
	dump := string(p.crash)
	frames := append([]wire.Frame(nil), p.traces...)
	p.mu.Unlock()
	c := &crash{frames: frames}
	for _, l := range strings.Split(dump, "\n") {
		switch {
		case strings.HasPrefix(l, "fatal error: "):
			c.summary = l
		case strings.HasPrefix(l, "panic: ") && c.summary == "":
			c.summary = strings.TrimSuffix(strings.TrimSuffix(l, " [recovered, repanicked]"), " [recovered]")
		case strings.HasPrefix(l, "runtime: ") && !strings.Contains(l, "sp=") && len(c.runtime) < 3:
			c.runtime = append(c.runtime, l)
		}
	}
	if c.summary == "" {
		return nil
	}
	return c
}
