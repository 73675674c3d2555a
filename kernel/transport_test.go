package kernel

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
)

// zmtpFrame encodes one ZMTP 3 frame (more: not the message's last).
func zmtpFrame(body []byte, more bool) []byte {
	var flags byte
	if more {
		flags |= 0x01
	}
	if len(body) > 255 {
		h := make([]byte, 9)
		h[0] = flags | 0x02
		binary.BigEndian.PutUint64(h[1:], uint64(len(body)))
		return append(h, body...)
	}
	return append([]byte{flags, byte(len(body))}, body...)
}

// oneByte reads one byte at a time, as a worst case for the frame reader.
type oneByte struct{ r io.Reader }

func (o oneByte) Read(p []byte) (int, error) { return o.r.Read(p[:min(len(p), 1)]) }

func TestFrameReader(t *testing.T) {
	greeting := bytes.Repeat([]byte{0xff}, greetingSize)
	small, big := bytes.Repeat([]byte("a"), 100), bytes.Repeat([]byte("b"), 1000)
	cases := []struct {
		name   string
		frames [][]byte
		err    string // in the log and the error; "" for a stream passed whole
	}{
		{"small frames", [][]byte{zmtpFrame(small, true), zmtpFrame(small, false)}, ""},
		{"a long frame under the limit", [][]byte{zmtpFrame(big[:900], false)}, ""},
		{"messages each under the limit", [][]byte{zmtpFrame(big[:600], false), zmtpFrame(big[:600], false)}, ""},
		{"a frame over the limit", [][]byte{zmtpFrame(small, true), zmtpFrame(big, false)}, "more than 1100 bytes on the shell socket (the limit is 1000 bytes)"},
		{"a message over the limit", [][]byte{zmtpFrame(big[:600], true), zmtpFrame(big[:600], false)}, "on the shell socket"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			stream := append([]byte(nil), greeting...)
			for _, f := range c.frames {
				stream = append(stream, f...)
			}
			var log strings.Builder
			lim := &messageLimit{max: 1000, socket: "shell", log: func(f string, a ...any) { fmt.Fprintf(&log, f, a...) }}
			fr := &frameReader{r: bufio.NewReader(oneByte{bytes.NewReader(stream)}), limit: lim, greeting: greetingSize}
			got, err := io.ReadAll(fr)
			if c.err == "" {
				if err != nil || !bytes.Equal(got, stream) || log.Len() > 0 {
					t.Errorf("read %d of %d bytes, err %v, log %q", len(got), len(stream), err, log.String())
				}
				return
			}
			if !errors.Is(err, errTooLarge) || !strings.Contains(log.String(), c.err) {
				t.Errorf("err %v, log %q; want errTooLarge and %q", err, log.String(), c.err)
			}
			if len(got) >= len(stream)-len(c.frames[len(c.frames)-1])+2 {
				t.Errorf("passed %d bytes: the refused frame's header reached zmq4", len(got))
			}
		})
	}
}
