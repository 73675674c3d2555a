package engine

import (
	"reflect"
	"testing"

	"github.com/lanes-dev/lanes/internal/wire"
)

func TestCoalescer(t *testing.T) {
	type in struct {
		s     stream
		epoch uint64
		text  string
	}
	cases := []struct {
		name      string
		add       []in
		delivered uint64
		final     bool
		want      []string // "stream:text" emitted
		left      int      // segments still held
	}{
		{"runs merge", []in{{stdout, 0, "a"}, {stdout, 0, "b"}, {stderr, 0, "c"}}, 0, false, []string{"stdout:ab", "stderr:c"}, 0},
		{"a later epoch waits for its message", []in{{stdout, 0, "a"}, {stdout, 1, "b"}}, 0, false, []string{"stdout:a"}, 1},
		{"its message delivered", []in{{stdout, 0, "a"}, {stdout, 1, "b"}}, 1, false, []string{"stdout:a", "stdout:b"}, 0},
		{"incomplete UTF-8 held back", []in{{stdout, 0, "x\xc3"}}, 0, false, []string{"stdout:x"}, 1},
		{"the end flushes everything", []in{{stdout, 0, "x\xc3"}, {stdout, 5, "y"}}, 0, true, []string{"stdout:x\xc3", "stdout:y"}, 0},
	}
	for _, c := range cases {
		var co coalescer
		for _, a := range c.add {
			co.add(a.s, a.epoch, []byte(a.text))
		}
		var got []string
		co.flush(c.delivered, c.final, func(s stream, b []byte) { got = append(got, s.String()+":"+string(b)) })
		if !reflect.DeepEqual(got, c.want) || len(co.segs) != c.left {
			t.Errorf("%s: emitted %q, %d held; want %q, %d", c.name, got, len(co.segs), c.want, c.left)
		}
	}
}

func TestOrderer(t *testing.T) {
	var o orderer
	o.held = []*wire.Message{{Op: wire.OpDisplay, Seq: 1}, {Op: wire.OpDone, Seq: 2}}
	if m := o.next(); m != nil {
		t.Fatalf("released %v before any marker", m.Op)
	}
	o.seqs[stdout] = 1
	if m := o.next(); m != nil {
		t.Fatalf("released %v before stderr's marker", m.Op)
	}
	o.seqs[stderr] = 2
	if m := o.next(); m == nil || m.Seq != 1 {
		t.Fatalf("next = %v, want seq 1", m)
	}
	if m := o.next(); m != nil {
		t.Fatalf("released seq %d before stdout's marker 2", m.Seq)
	}
	if rest := o.rest(); len(rest) != 1 || rest[0].Seq != 2 {
		t.Errorf("rest = %v", rest)
	}
}

func TestCrashWatch(t *testing.T) {
	cases := []struct {
		name         string
		writes       []string // on stderr
		shown, dumps string
	}{
		{"plain text", []string{"warning\n"}, "warning\n", ""},
		{"a dump at a line start", []string{"before\npanic: boom\n", "goroutine 1 [running]:\n"}, "before\n", "panic: boom\ngoroutine 1 [running]:\n"},
		{"mid-line is no dump", []string{"say ", "panic: no\n"}, "say panic: no\n", ""},
	}
	for _, c := range cases {
		w := crashWatch{atLineStart: [2]bool{true, true}}
		var shown, dumps string
		for _, text := range c.writes {
			s, d := w.split(stderr, []byte(text))
			shown += string(s)
			dumps += string(d)
		}
		if shown != c.shown || dumps != c.dumps {
			t.Errorf("%s: shown %q, kept %q; want %q, %q", c.name, shown, dumps, c.shown, c.dumps)
		}
	}
}
