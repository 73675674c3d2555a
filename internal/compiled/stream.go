package compiled

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"math"
	"sync"

	"github.com/lanes-dev/lanes/display"
	"github.com/lanes-dev/lanes/internal/compiled/childsink"
)

// Sinks receive what a compiled program writes: its standard output and
// error as it writes them, and its displays. The methods of the sinks are
// called one at a time. A nil Display shows each bundle's text/plain form
// on Stdout; a nil writer discards.
type Sinks struct {
	Stdout, Stderr io.Writer
	Display        display.Publisher
}

// ended is the sequence number of a stream or pipe that has closed: it
// has seen, or delivered, everything it will.
const ended = math.MaxInt

// demux delivers the program's text and displays in the order the program
// wrote them (see package childsink for the markers that order them).
type demux struct {
	mu        sync.Mutex
	cond      sync.Cond
	sinks     Sinks
	token     string
	seen      [2]int // last marker seen on stdout, stderr
	delivered int    // last frame delivered
}

func newDemux(sinks Sinks, token string) *demux {
	d := &demux{sinks: sinks, token: token}
	d.cond.L = &d.mu
	return d
}

func (d *demux) write(stream int, p []byte) {
	if len(p) == 0 {
		return
	}
	w := d.sinks.Stdout
	if stream == 1 {
		w = d.sinks.Stderr
	}
	if w != nil {
		w.Write(p)
	}
}

// stream reads one of the program's output pipes to its end.
func (d *demux) stream(stream int, r io.Reader) {
	prefix := []byte("\x00" + d.token)
	buf := make([]byte, 32<<10)
	var carry []byte
	for {
		n, err := r.Read(buf)
		data := append(carry, buf[:n]...)
		carry = nil
		for len(data) > 0 {
			i := bytes.Index(data, prefix)
			if i < 0 {
				// Hold back a tail that may begin a marker.
				keep := 0
				for k := min(len(prefix)-1, len(data)); k > 0; k-- {
					if bytes.HasPrefix(prefix, data[len(data)-k:]) {
						keep = k
						break
					}
				}
				d.mu.Lock()
				d.write(stream, data[:len(data)-keep])
				d.mu.Unlock()
				carry = append(carry, data[len(data)-keep:]...)
				break
			}
			if len(data) < i+childsink.MarkerLen {
				d.mu.Lock()
				d.write(stream, data[:i])
				d.mu.Unlock()
				carry = append(carry, data[i:]...)
				break
			}
			seq, ok := childsink.ParseMarker(d.token, data[i:i+childsink.MarkerLen])
			d.mu.Lock()
			if !ok {
				// Not a marker after all: text.
				d.write(stream, data[:i+1])
				d.mu.Unlock()
				data = data[i+1:]
				continue
			}
			d.write(stream, data[:i])
			d.seen[stream] = max(d.seen[stream], seq)
			d.cond.Broadcast()
			for d.delivered < seq {
				d.cond.Wait()
			}
			d.mu.Unlock()
			data = data[i+childsink.MarkerLen:]
		}
		if err != nil {
			d.mu.Lock()
			d.write(stream, carry)
			d.seen[stream] = ended
			d.cond.Broadcast()
			d.mu.Unlock()
			return
		}
	}
}

// frames reads the display pipe to its end.
func (d *demux) frames(r io.Reader) {
	br := bufio.NewReader(r)
	for {
		line, err := br.ReadBytes('\n')
		if len(bytes.TrimSpace(line)) > 0 {
			var f childsink.Frame
			if jerr := json.Unmarshal(line, &f); jerr != nil {
				d.mu.Lock()
				d.write(1, []byte("lanes: a display of the program could not be read: "+jerr.Error()+"\n"))
				d.delivered++
				d.cond.Broadcast()
				d.mu.Unlock()
			} else {
				d.mu.Lock()
				for d.seen[0] < f.Seq || d.seen[1] < f.Seq {
					d.cond.Wait()
				}
				d.deliver(f)
				d.delivered = max(d.delivered, f.Seq)
				d.cond.Broadcast()
				d.mu.Unlock()
			}
		}
		if err != nil {
			d.mu.Lock()
			d.delivered = ended
			d.cond.Broadcast()
			d.mu.Unlock()
			return
		}
	}
}

func (d *demux) deliver(f childsink.Frame) {
	p := d.sinks.Display
	switch {
	case f.Op == "clear" && p != nil:
		p.Clear(f.Wait)
	case f.Op == "display" && f.Bundle != nil && p != nil:
		p.Publish(*f.Bundle, f.ID, f.Update)
	case f.Op == "display" && f.Bundle != nil:
		if t, ok := f.Bundle.Data["text/plain"].(string); ok {
			d.write(0, []byte(t+"\n"))
		}
	}
}
