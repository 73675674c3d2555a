package kernel

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
)

// FuzzFrameReader feeds the kernel's ZMTP size check arbitrary streams,
// as any peer that reaches a port can send them: it must pass the bytes
// through unchanged, or stop with errTooLarge and a line in the log, and
// never let a frame or a message over the limit through.
func FuzzFrameReader(f *testing.F) {
	greeting := bytes.Repeat([]byte{0xff}, greetingSize)
	f.Add(append(append([]byte(nil), greeting...), zmtpFrame([]byte("hello"), false)...))
	f.Add(append(append([]byte(nil), greeting...), zmtpFrame(bytes.Repeat([]byte("x"), 300), true)...))
	f.Add(append(append([]byte(nil), greeting...), 0x02, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff))
	f.Add(greeting[:10])
	f.Fuzz(func(t *testing.T, stream []byte) {
		var log strings.Builder
		lim := &messageLimit{max: 256, socket: "shell", log: func(f string, a ...any) { fmt.Fprintf(&log, f, a...) }}
		fr := &frameReader{r: bufio.NewReader(bytes.NewReader(stream)), limit: lim, greeting: greetingSize}
		got, err := io.ReadAll(fr)
		if !bytes.HasPrefix(stream, got) {
			t.Fatalf("the reader changed the stream")
		}
		switch {
		case err == nil:
			if !bytes.Equal(got, stream) {
				t.Fatalf("read %d of %d bytes without an error", len(got), len(stream))
			}
		case errors.Is(err, errTooLarge):
			if log.Len() == 0 {
				t.Fatal("a refused message left no line in the log")
			}
		default:
			t.Fatalf("unexpected error %v", err)
		}
		checkFrames(t, got[min(len(got), greetingSize):], lim.max)
	})
}

// checkFrames walks the ZMTP frames of a stream that was let through and
// fails if one frame, or one multipart message, is over max.
func checkFrames(t *testing.T, b []byte, max int64) {
	var msg int64
	for len(b) >= 2 {
		flags, size, hdr := b[0], int64(b[1]), 2
		if flags&0x02 != 0 {
			if len(b) < 9 {
				return
			}
			u := uint64(0)
			for _, c := range b[1:9] {
				u = u<<8 | uint64(c)
			}
			if u > uint64(max) {
				t.Fatalf("a frame of %d bytes was let through", u)
			}
			size, hdr = int64(u), 9
		}
		msg += size
		if size > max || msg > max {
			t.Fatalf("a message of %d bytes was let through", msg)
		}
		if flags&0x01 == 0 {
			msg = 0
		}
		if int64(len(b)-hdr) < size {
			return
		}
		b = b[int64(hdr)+size:]
	}
}
