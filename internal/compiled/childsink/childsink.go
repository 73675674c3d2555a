// Package childsink is the compiled program's end of the display pipe: a
// compiled cell's program imports it (the cell's generated files do), and
// when the environment names a display pipe its init installs a
// display.Publisher that writes every bundle to that pipe, so that
// lanes.Display and a cell's final value reach the notebook as they do
// from interpreted cells. Without the environment variables it does
// nothing, and display prints text as in any Go program.
//
// The wire format is one JSON object per line (Frame). Text and bundles
// travel on different pipes, so before frame n the publisher writes a
// marker (Marker) to standard output and standard error; the reader
// releases text written after a marker only after the frame it announces,
// and the frame only after the text written before it. Text never
// overtakes a display, nor a display the text printed before it.
//
// The package is shipped, as source, inside the lanes binary with the
// runtime (see the module's root package), so it uses only the standard
// library and package display.
package childsink

import (
	"encoding/json"
	"fmt"
	"os"
	"reflect"
	"strconv"
	"sync"

	"github.com/lanes-dev/lanes/display"
)

// Environment variables set for the compiled program by its parent.
const (
	// EnvFD names the file descriptor of the display pipe.
	EnvFD = "LANES_DISPLAY_FD"
	// EnvToken is the run's marker token (hex, TokenLen characters).
	EnvToken = "LANES_DISPLAY_TOKEN"
)

// TokenLen is the length of a run's token.
const TokenLen = 16

// Frame is one message on the display pipe.
type Frame struct {
	Seq    int             `json:"seq"`
	Op     string          `json:"op"` // "display" or "clear"
	Bundle *display.Bundle `json:"bundle,omitempty"`
	ID     string          `json:"id,omitempty"`
	Update bool            `json:"update,omitempty"`
	Wait   bool            `json:"wait,omitempty"`
}

// Marker is the text written to standard output and standard error before
// frame seq of the run with the given token: a NUL, the token, eight hex
// digits and a NUL.
func Marker(token string, seq int) string {
	return fmt.Sprintf("\x00%s%08x\x00", token, seq)
}

// MarkerLen is the length of a marker.
const MarkerLen = 1 + TokenLen + 8 + 1

// ParseMarker returns the sequence number of a marker of the given token.
func ParseMarker(token string, m []byte) (int, bool) {
	if len(m) != MarkerLen || m[0] != 0 || m[MarkerLen-1] != 0 || string(m[1:1+TokenLen]) != token {
		return 0, false
	}
	n, err := strconv.ParseUint(string(m[1+TokenLen:MarkerLen-1]), 16, 32)
	return int(n), err == nil
}

func init() {
	fd, err := strconv.Atoi(os.Getenv(EnvFD))
	token := os.Getenv(EnvToken)
	if err != nil || fd < 3 || len(token) != TokenLen {
		return
	}
	display.SetPublisher(&publisher{
		pipe:   os.NewFile(uintptr(fd), "display"),
		stdout: os.NewFile(1, "stdout"), // fds 1 and 2 themselves, even if
		stderr: os.NewFile(2, "stderr"), // the program replaces os.Stdout
		token:  token,
	})
}

// publisher writes frames to the display pipe.
type publisher struct {
	mu             sync.Mutex
	pipe           *os.File
	stdout, stderr *os.File
	token          string
	seq            int
}

// Publish implements display.Publisher.
func (p *publisher) Publish(b display.Bundle, id string, update bool) {
	p.send(Frame{Op: "display", Bundle: &b, ID: id, Update: update})
}

// Clear implements display.Publisher.
func (p *publisher) Clear(wait bool) { p.send(Frame{Op: "clear", Wait: wait}) }

func (p *publisher) send(f Frame) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.seq++
	f.Seq = p.seq
	line, err := json.Marshal(f)
	if err != nil {
		// A bundle that does not encode shows as its text.
		text, _ := f.Bundle.Data["text/plain"].(string)
		line, _ = json.Marshal(Frame{Seq: f.Seq, Op: "display", Bundle: &display.Bundle{
			Data: map[string]any{"text/plain": text + " (not shown: " + err.Error() + ")"}}})
	}
	m := Marker(p.token, f.Seq)
	p.stdout.WriteString(m)
	p.stderr.WriteString(m)
	p.pipe.Write(append(line, '\n'))
}

// Show displays the values of a compiled cell's final expression, as the
// interpreter shows a cell's final value: nil values and funcs are not
// shown.
func Show(vs ...any) {
	for _, v := range vs {
		if v == nil || reflect.TypeOf(v).Kind() == reflect.Func {
			continue
		}
		display.Show(v)
	}
}
