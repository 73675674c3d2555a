package wire

import (
	"bytes"
	"encoding/binary"
	"io"
	"reflect"
	"strings"
	"sync"
	"testing"

	"github.com/lanes-dev/lanes/internal/source"
)

func TestConnRoundTrip(t *testing.T) {
	msgs := []*Message{
		{Op: OpExec, ID: 1, Code: "x := 1", Cell: 2, Magics: []source.Magic{{Name: "time", Line: 1}}},
		{Op: OpDone, ID: 1, Error: &Error{Name: "panic", Message: "boom", Kind: KindPanic, Cell: 2, Line: 3,
			Frames: []Frame{{Func: "main.f(...)", Cell: 2, Line: 3}}}},
		{Op: OpTrace, Frame: &Frame{Func: "main.g(...)", Cell: 1, Line: 1}},
		{Op: OpReply, ID: 7, Lost: []string{"f (cell 1): undefined: g"}},
	}
	var buf bytes.Buffer
	c := NewConn(&buf, &buf)
	var wg sync.WaitGroup
	for _, m := range msgs {
		wg.Add(1)
		go func() { defer wg.Done(); c.Send(m) }() // concurrent senders do not interleave frames
	}
	wg.Wait()
	got := map[Op]*Message{}
	for range msgs {
		m, err := c.Recv()
		if err != nil {
			t.Fatal(err)
		}
		got[m.Op] = m
	}
	for _, m := range msgs {
		if !reflect.DeepEqual(got[m.Op], m) {
			t.Errorf("%s: got %+v, want %+v", m.Op, got[m.Op], m)
		}
	}
	if _, err := c.Recv(); err != io.EOF {
		t.Errorf("after the last frame: %v, want EOF", err)
	}
}

func TestConnBadFrames(t *testing.T) {
	huge := make([]byte, 4)
	binary.BigEndian.PutUint32(huge, MaxFrame+1)
	short := append(binary.BigEndian.AppendUint32(nil, 10), "{}"...)
	bad := append(binary.BigEndian.AppendUint32(nil, 3), "{x}"...)
	cases := []struct {
		name string
		in   []byte
		want string
	}{
		{"length over the limit", huge, "exceeds limit"},
		{"cut short", short, "read frame"},
		{"not JSON", bad, "decode frame"},
	}
	for _, c := range cases {
		_, err := NewConn(bytes.NewReader(c.in), io.Discard).Recv()
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want %q", c.name, err, c.want)
		}
	}
}

func TestMarkers(t *testing.T) {
	mk := MarkerText("LANESab:", 42)
	if !bytes.HasPrefix([]byte(mk), MarkerPrefix("LANESab:")) {
		t.Fatalf("marker %q does not start with its prefix", mk)
	}
	rest := []byte(mk)[len(MarkerPrefix("LANESab:")):]
	cases := []struct {
		in   []byte
		seq  uint64
		n    int
		ok   bool
		name string
	}{
		{rest, 42, 3, true, "whole"},
		{append(append([]byte(nil), rest...), "text"...), 42, 3, true, "text after"},
		{rest[:1], 0, 0, false, "cut in half"},
	}
	for _, c := range cases {
		seq, n, ok := ParseSeq(c.in)
		if seq != c.seq || n != c.n || ok != c.ok {
			t.Errorf("%s: ParseSeq(%q) = %d, %d, %v; want %d, %d, %v", c.name, c.in, seq, n, ok, c.seq, c.n, c.ok)
		}
	}
}

func TestFrameString(t *testing.T) {
	if got := (Frame{Func: "main.work(...)", Cell: 2, Line: 5}).String(); got != "main.work(...)\n\tcell 2, line 5" {
		t.Errorf("Frame.String = %q", got)
	}
}
