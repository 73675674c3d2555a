package engine

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
	"unicode/utf8"

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

type event struct {
	stream int // 0 stdout, 1 stderr, 2 control
	data   []byte
	mark   uint64
	msg    *wire.Message
	eof    bool
}

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
func (p *proc) run(stdout, stderr io.Reader) {
	go p.readStream(0, stdout)
	go p.readStream(1, stderr)
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

// readStream relays one of the worker's output pipes, splitting off the
// order markers.
func (p *proc) readStream(stream int, r io.Reader) {
	buf := make([]byte, 64<<10)
	var pending []byte
	for {
		n, err := r.Read(buf)
		pending = append(pending, buf[:n]...)
		pending = p.splitMarkers(stream, pending)
		if err != nil {
			if len(pending) > 0 {
				p.events <- event{stream: stream, data: pending}
			}
			p.events <- event{stream: stream, eof: true}
			return
		}
	}
}

// splitMarkers sends the text and markers found in b and returns what must
// wait for more bytes (a marker cut in half).
func (p *proc) splitMarkers(stream int, b []byte) []byte {
	for len(b) > 0 {
		i := bytes.Index(b, p.marker)
		if i < 0 {
			// Hold back a tail that could be the start of a marker.
			hold := 0
			if j := bytes.LastIndexByte(b, wire.MarkStart); j >= 0 && bytes.HasPrefix(p.marker, b[j:]) {
				hold = len(b) - j
			}
			if len(b) > hold {
				p.events <- event{stream: stream, data: append([]byte(nil), b[:len(b)-hold]...)}
			}
			return b[len(b)-hold:]
		}
		if i > 0 {
			p.events <- event{stream: stream, data: append([]byte(nil), b[:i]...)}
		}
		rest := b[i+len(p.marker):]
		seq, n, ok := wire.ParseSeq(rest)
		if !ok {
			return b[i:]
		}
		p.events <- event{stream: stream, mark: seq}
		b = rest[n:]
	}
	return nil
}

func (p *proc) readControl() {
	for {
		m, err := p.c.Recv()
		if err != nil {
			if !errors.Is(err, io.EOF) && !errors.Is(err, os.ErrClosed) {
				fmt.Fprintf(p.log, "engine: control channel: %v\n", err)
			}
			p.events <- event{stream: 2, eof: true}
			return
		}
		if m.Op == "reply" {
			p.reply(m)
			continue
		}
		p.events <- event{stream: 2, msg: m}
	}
}

func (p *proc) reply(m *wire.Message) {
	p.mu.Lock()
	ch := p.waiting[m.ID]
	p.mu.Unlock()
	if ch != nil {
		ch <- m
	}
}

// crashStart finds the beginning of a Go crash dump in stderr text.
var crashStart = regexp.MustCompile(`(?m)^(panic: |fatal error: |runtime: |\[signal |SIG[A-Z]+: )`)

// maxCrash bounds the crash dump kept for the report.
const maxCrash = 64 << 10

// pump delivers the worker's output to the sink in order, coalescing text.
func (p *proc) pump() {
	// Text is tagged with its epoch: how many markers its stream had
	// passed when it arrived. Text of epoch e may be shown once the
	// ordered messages up to seq e have been delivered, so that text
	// written after a display never overtakes it.
	type seg struct {
		stream int
		epoch  uint64
		text   []byte
	}
	var segs []seg
	var seqs [2]uint64   // markers seen per stream
	var delivered uint64 // seq of the last ordered message delivered
	var held []*wire.Message
	var timer *time.Timer
	var timerC <-chan time.Time
	eofs := 0
	capturing := false
	atLineStart := [2]bool{true, true}

	flush := func() {
		if timer != nil {
			timer.Stop()
			timer, timerC = nil, nil
		}
		p.mu.Lock()
		sink := p.sink
		p.mu.Unlock()
		n := 0
		for n < len(segs) && (segs[n].epoch <= delivered || eofs == 3) {
			text := segs[n].text
			last := n == len(segs)-1 || segs[n+1].epoch > delivered
			if last && eofs < 3 {
				// Keep an incomplete UTF-8 sequence for the next flush.
				if k := incompleteTail(text); k > 0 {
					segs[n].text = append([]byte(nil), text[len(text)-k:]...)
					if sink != nil && len(text) > k {
						sink.Stream(streamName(segs[n].stream), string(text[:len(text)-k]))
					}
					break
				}
			}
			if sink != nil && len(text) > 0 {
				sink.Stream(streamName(segs[n].stream), string(text))
			}
			n++
		}
		segs = append(segs[:0], segs[n:]...)
	}
	deliver := func(m *wire.Message) {
		flush()
		p.mu.Lock()
		sink := p.sink
		p.mu.Unlock()
		switch m.Op {
		case "stderr":
			if sink != nil {
				sink.Stream("stderr", m.Text)
			}
		case "display":
			if sink != nil && m.Bundle != nil {
				sink.Display(*m.Bundle, m.DisplayID, m.Update)
			}
		case "clear":
			if sink != nil {
				sink.ClearOutput(m.Wait)
			}
		case "input":
			r := &wire.Message{Op: "input_reply"}
			if sink == nil {
				r.Status = "error"
			} else if text, err := sink.Input(m.Text, m.Password); err != nil {
				r.Status = "error"
			} else {
				r.Text = text
			}
			p.c.Send(r)
		case "done":
			if capturing && !p.exited() {
				// Not a crash after all: the text was the cell's own.
				p.mu.Lock()
				text := p.crash
				p.crash = nil
				p.mu.Unlock()
				capturing = false
				if sink != nil && len(text) > 0 {
					sink.Stream("stderr", string(text))
				}
			}
			p.reply(m)
		}
	}
	release := func() {
		for len(held) > 0 && held[0].Seq <= min(seqs[0], seqs[1]) {
			m := held[0]
			held = held[1:]
			deliver(m) // flushes the text written before m
			delivered = m.Seq
		}
		if len(segs) > 0 && timer == nil {
			timer = time.NewTimer(p.flush)
			timerC = timer.C
		}
	}
	for {
		select {
		case <-timerC:
			timer, timerC = nil, nil
			flush()
		case ev := <-p.events:
			switch {
			case ev.eof:
				eofs++
				if eofs == 3 {
					for _, m := range held {
						deliver(m)
						delivered = m.Seq
					}
					flush()
					return
				}
			case ev.data != nil:
				data := ev.data
				if ev.stream == 1 && !capturing {
					if loc := crashAt(data, atLineStart[1]); loc >= 0 {
						capturing = true
						p.keepCrash(data[loc:])
						data = data[:loc]
					}
				} else if ev.stream == 1 {
					p.keepCrash(data)
					data = nil
				}
				if len(ev.data) > 0 {
					atLineStart[ev.stream] = ev.data[len(ev.data)-1] == '\n'
				}
				if len(data) == 0 {
					continue
				}
				epoch := seqs[ev.stream]
				if n := len(segs); n > 0 && segs[n-1].stream == ev.stream && segs[n-1].epoch == epoch {
					segs[n-1].text = append(segs[n-1].text, data...)
				} else {
					segs = append(segs, seg{ev.stream, epoch, data})
				}
				if timer == nil {
					timer = time.NewTimer(p.flush)
					timerC = timer.C
				}
				if size := len(segs[len(segs)-1].text); size > 1<<20 {
					flush()
				}
			case ev.msg != nil:
				m := ev.msg
				if m.Op == wire.OpTrace {
					if m.Frame != nil {
						p.mu.Lock()
						p.traces = append(p.traces, *m.Frame)
						p.mu.Unlock()
					}
					continue
				}
				if m.Seq == 0 {
					deliver(m)
					continue
				}
				held = append(held, m)
				release()
			default: // a marker
				seqs[ev.stream] = ev.mark
				release()
			}
		}
	}
}

func crashAt(data []byte, atLineStart bool) int {
	loc := crashStart.FindIndex(data)
	if loc == nil {
		return -1
	}
	if loc[0] == 0 && !atLineStart {
		// Mid-line: look further.
		if rest := crashAt(data[1:], false); rest >= 0 {
			return rest + 1
		}
		return -1
	}
	return loc[0]
}

func (p *proc) keepCrash(b []byte) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if room := maxCrash - len(p.crash); room > 0 {
		if len(b) > room {
			b = b[:room]
		}
		p.crash = append(p.crash, b...)
	}
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

func streamName(s int) string {
	if s == 1 {
		return "stderr"
	}
	return "stdout"
}

// incompleteTail returns how many bytes at the end of b start a UTF-8
// sequence that is not complete yet.
func incompleteTail(b []byte) int {
	for k := 1; k <= 3 && k <= len(b); k++ {
		c := b[len(b)-k]
		if c < 0x80 {
			return 0
		}
		if utf8.RuneStart(c) {
			if !utf8.FullRune(b[len(b)-k:]) {
				return k
			}
			return 0
		}
	}
	return 0
}
