package engine

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"regexp"
	"time"
	"unicode/utf8"

	"github.com/lanes-dev/lanes/internal/wire"
)

// The relay of a worker's output: three reader goroutines (stdout,
// stderr, the control channel) send events to one pump, which delivers
// them to the sink in order. The pump's parts are named types: the
// coalescer holds text, the orderer holds ordered messages until both
// output streams have passed their markers, the crash watch keeps Go's
// crash dump out of the cell's stderr.

// stream names a source of relay events.
type stream int

const (
	stdout  stream = iota // the worker's fd 1
	stderr                // the worker's fd 2
	control               // the worker's protocol frames (fd 4)

	nStreams = 3
)

// String returns the Jupyter name of an output stream.
func (s stream) String() string {
	return [...]string{"stdout", "stderr", "control"}[s]
}

// event is one thing a reader saw: text, an order marker, a message or
// the end of its stream.
type event struct {
	stream stream
	data   []byte
	mark   uint64
	msg    *wire.Message
	eof    bool
}

// readStream relays one of the worker's output pipes, splitting off the
// order markers.
func (p *proc) readStream(s stream, r io.Reader) {
	buf := make([]byte, 64<<10)
	var pending []byte
	for {
		n, err := r.Read(buf)
		pending = append(pending, buf[:n]...)
		pending = p.splitMarkers(s, pending)
		if err != nil {
			if len(pending) > 0 {
				p.events <- event{stream: s, data: pending}
			}
			p.events <- event{stream: s, eof: true}
			return
		}
	}
}

// splitMarkers sends the text and markers found in b and returns what must
// wait for more bytes (a marker cut in half).
func (p *proc) splitMarkers(s stream, b []byte) []byte {
	for len(b) > 0 {
		i := bytes.Index(b, p.marker)
		if i < 0 {
			// Hold back a tail that could be the start of a marker.
			hold := 0
			if j := bytes.LastIndexByte(b, wire.MarkStart); j >= 0 && bytes.HasPrefix(p.marker, b[j:]) {
				hold = len(b) - j
			}
			if len(b) > hold {
				p.events <- event{stream: s, data: append([]byte(nil), b[:len(b)-hold]...)}
			}
			return b[len(b)-hold:]
		}
		if i > 0 {
			p.events <- event{stream: s, data: append([]byte(nil), b[:i]...)}
		}
		rest := b[i+len(p.marker):]
		seq, n, ok := wire.ParseSeq(rest)
		if !ok {
			return b[i:]
		}
		p.events <- event{stream: s, mark: seq}
		b = rest[n:]
	}
	return nil
}

// readControl relays the worker's messages: replies go to their callers,
// everything else to the pump.
func (p *proc) readControl() {
	for {
		m, err := p.c.Recv()
		if err != nil {
			if !errors.Is(err, io.EOF) && !errors.Is(err, os.ErrClosed) {
				fmt.Fprintf(p.log, "engine: control channel: %v\n", err)
			}
			p.events <- event{stream: control, eof: true}
			return
		}
		if m.Op == wire.OpReply {
			p.reply(m)
			continue
		}
		p.events <- event{stream: control, msg: m}
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

func (p *proc) currentSink() Sink {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.sink
}

// segment is text of one output stream that arrived in one epoch: after
// the stream had passed epoch markers.
type segment struct {
	stream stream
	epoch  uint64
	text   []byte
}

// coalescer holds the text of the output streams until it may be shown,
// merging what arrives on one stream in one epoch.
type coalescer struct {
	segs []segment
}

// add appends text and returns the size of the segment it went into.
func (c *coalescer) add(s stream, epoch uint64, text []byte) int {
	if n := len(c.segs); n > 0 && c.segs[n-1].stream == s && c.segs[n-1].epoch == epoch {
		c.segs[n-1].text = append(c.segs[n-1].text, text...)
		return len(c.segs[n-1].text)
	}
	c.segs = append(c.segs, segment{s, epoch, text})
	return len(text)
}

func (c *coalescer) pending() bool { return len(c.segs) > 0 }

// flush emits the text of the epochs up to delivered (all of it when
// final). Text of an epoch may be shown once the ordered messages up to
// that seq have been delivered, so that text written after a display
// never overtakes it. Unless final, an incomplete UTF-8 sequence at the
// end is kept for the next flush.
func (c *coalescer) flush(delivered uint64, final bool, emit func(stream, []byte)) {
	n := 0
	for n < len(c.segs) && (c.segs[n].epoch <= delivered || final) {
		text := c.segs[n].text
		last := n == len(c.segs)-1 || c.segs[n+1].epoch > delivered
		if last && !final {
			if k := incompleteTail(text); k > 0 {
				c.segs[n].text = append([]byte(nil), text[len(text)-k:]...)
				if len(text) > k {
					emit(c.segs[n].stream, text[:len(text)-k])
				}
				break
			}
		}
		if len(text) > 0 {
			emit(c.segs[n].stream, text)
		}
		n++
	}
	c.segs = append(c.segs[:0], c.segs[n:]...)
}

// orderer holds the worker's ordered messages until both output streams
// have passed the marker written before each.
type orderer struct {
	seqs      [2]uint64 // markers seen per output stream
	delivered uint64    // seq of the last ordered message delivered
	held      []*wire.Message
}

// epoch is the epoch of text arriving now on s.
func (o *orderer) epoch(s stream) uint64 { return o.seqs[s] }

// next returns the next message that may be delivered, or nil.
func (o *orderer) next() *wire.Message {
	if len(o.held) == 0 || o.held[0].Seq > min(o.seqs[stdout], o.seqs[stderr]) {
		return nil
	}
	m := o.held[0]
	o.held = o.held[1:]
	return m
}

// rest returns every message still held, for the end of the worker.
func (o *orderer) rest() []*wire.Message {
	h := o.held
	o.held = nil
	return h
}

// crashStart finds the beginning of a Go crash dump in stderr text.
var crashStart = regexp.MustCompile(`(?m)^(panic: |fatal error: |runtime: |\[signal |SIG[A-Z]+: )`)

// maxCrash bounds the crash dump kept for the report.
const maxCrash = 64 << 10

// crashWatch tells stderr text from the start of Go's crash dump: once a
// line starts like one, the rest of stderr is kept for the report
// (crashReport) instead of shown, until the cell turns out to have
// finished after all.
type crashWatch struct {
	capturing   bool
	atLineStart [2]bool // whether each output stream is at a line start
}

// split returns the part of data to show and the part to keep as the
// crash dump.
func (w *crashWatch) split(s stream, data []byte) (shown, dump []byte) {
	shown = data
	switch {
	case s == stderr && !w.capturing:
		if loc := crashAt(data, w.atLineStart[stderr]); loc >= 0 {
			w.capturing = true
			shown, dump = data[:loc], data[loc:]
		}
	case s == stderr:
		shown, dump = nil, data
	}
	if len(data) > 0 {
		w.atLineStart[s] = data[len(data)-1] == '\n'
	}
	return shown, dump
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

// flushTimer bounds how long text waits to be coalesced.
type flushTimer struct {
	t *time.Timer
	C <-chan time.Time // nil while stopped
}

// start arms the timer unless it is armed.
func (f *flushTimer) start(d time.Duration) {
	if f.t == nil {
		f.t = time.NewTimer(d)
		f.C = f.t.C
	}
}

func (f *flushTimer) stop() {
	if f.t != nil {
		f.t.Stop()
		f.t, f.C = nil, nil
	}
}

// pump delivers the worker's output to the sink in order, coalescing text.
func (p *proc) pump() {
	var (
		text  coalescer
		order orderer
		watch = crashWatch{atLineStart: [2]bool{true, true}}
		timer flushTimer
		eofs  int
	)
	emit := func(s stream, b []byte) {
		if sink := p.currentSink(); sink != nil {
			sink.Stream(s.String(), string(b))
		}
	}
	flush := func() {
		timer.stop()
		text.flush(order.delivered, eofs == nStreams, emit)
	}
	deliver := func(m *wire.Message) {
		flush()
		p.deliver(m, &watch)
		if m.Seq > 0 {
			order.delivered = m.Seq
		}
	}
	release := func() {
		for m := order.next(); m != nil; m = order.next() {
			deliver(m) // flushes the text written before m
		}
		if text.pending() {
			timer.start(p.flush)
		}
	}
	for {
		select {
		case <-timer.C:
			timer.t, timer.C = nil, nil
			flush()
		case ev := <-p.events:
			switch {
			case ev.eof:
				eofs++
				if eofs == nStreams {
					for _, m := range order.rest() {
						deliver(m)
					}
					flush()
					return
				}
			case ev.data != nil:
				shown, dump := watch.split(ev.stream, ev.data)
				if len(dump) > 0 {
					p.keepCrash(dump)
				}
				if len(shown) == 0 {
					continue
				}
				size := text.add(ev.stream, order.epoch(ev.stream), shown)
				timer.start(p.flush)
				if size > 1<<20 {
					flush()
				}
			case ev.msg != nil:
				m := ev.msg
				switch {
				case m.Op == wire.OpTrace:
					if m.Frame != nil {
						p.mu.Lock()
						p.traces = append(p.traces, *m.Frame)
						p.mu.Unlock()
					}
				case m.Seq == 0:
					deliver(m)
				default:
					order.held = append(order.held, m)
					release()
				}
			default: // a marker
				order.seqs[ev.stream] = ev.mark
				release()
			}
		}
	}
}

// deliver hands one message of the worker to the sink (or, for a cell's
// end, to its caller).
func (p *proc) deliver(m *wire.Message, watch *crashWatch) {
	sink := p.currentSink()
	switch m.Op {
	case wire.OpStderr:
		if sink != nil {
			sink.Stream(stderr.String(), m.Text)
		}
	case wire.OpDisplay:
		if sink != nil && m.Bundle != nil {
			sink.Display(*m.Bundle, m.DisplayID, m.Update)
		}
	case wire.OpClear:
		if sink != nil {
			sink.ClearOutput(m.Wait)
		}
	case wire.OpInput:
		r := &wire.Message{Op: wire.OpInputReply}
		if sink == nil {
			r.Status = "error"
		} else if text, err := sink.Input(m.Text, m.Password); err != nil {
			r.Status = "error"
		} else {
			r.Text = text
		}
		p.c.Send(r)
	case wire.OpDone:
		if watch.capturing && !p.exited() {
			// Not a crash after all: the text was the cell's own.
			watch.capturing = false
			if text := p.takeCrash(); sink != nil && text != "" {
				sink.Stream(stderr.String(), text)
			}
		}
		p.reply(m)
	}
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
