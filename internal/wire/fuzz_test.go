package wire

import (
	"bytes"
	"encoding/binary"
	"io"
	"testing"
)

// FuzzRecv feeds the worker protocol's decoder arbitrary bytes, as a
// crashed or misbehaving peer could send them: Recv must return messages
// or errors, never panic, and a message it returns must survive a round
// trip through Send.
func FuzzRecv(f *testing.F) {
	frame := func(s string) []byte {
		b := make([]byte, 4+len(s))
		binary.BigEndian.PutUint32(b, uint32(len(s)))
		copy(b[4:], s)
		return b
	}
	f.Add(frame(`{"op":"exec","id":1,"code":"fmt.Println(1)"}`))
	f.Add(frame(`{"op":"done","id":2,"error":{"name":"panic","message":"boom","frames":[{"func":"f","cell":1,"line":2}]}}`))
	f.Add(frame(`{"op":`))
	f.Add([]byte{0xff, 0xff, 0xff, 0xff})
	f.Add([]byte{0, 0, 0})
	f.Fuzz(func(t *testing.T, data []byte) {
		c := NewConn(bytes.NewReader(data), io.Discard)
		for range 8 {
			m, err := c.Recv()
			if err != nil {
				return
			}
			var out bytes.Buffer
			if err := NewConn(nil, &out).Send(m); err != nil {
				t.Fatalf("a received message does not encode: %v", err)
			}
			if _, err := NewConn(&out, io.Discard).Recv(); err != nil {
				t.Fatalf("an encoded message does not decode: %v", err)
			}
		}
	})
}
