package source

import (
	"strings"
	"testing"
)

func TestTimeMagics(t *testing.T) {
	cases := []struct {
		cell    string
		timed   string // what TimedStatement gives; "" when the whole cell is timed
		code    string // the code ParseMagics leaves
		blanked string // BlankMagics
		err     string
	}{
		{cell: "%time lanes.Fib(30)", timed: "lanes.Fib(30)", code: "", blanked: "lanes.Fib(30)"},
		{cell: "%time x := f()\nx", timed: "x := f()\n", code: "\nx", blanked: "x := f()\nx"},
		{cell: "\n%time  f() \ng()", timed: "\nf()\n", code: "\n\ng()", blanked: "\nf()\ng()"},
		{cell: "%time\nf()", code: "\nf()", blanked: "\nf()"},
		{cell: "%%time\nf()\ng()", code: "\nf()\ng()", blanked: "\nf()\ng()"},
		{cell: "%%time f()", err: "line 1: %%time: a cell magic takes no arguments"},
		{cell: "%%env X=1", err: "unknown magic %%env"},
	}
	for _, c := range cases {
		ms, code, err := ParseMagics(c.cell)
		if c.err != "" {
			if err == nil || !strings.Contains(err.Error(), c.err) {
				t.Errorf("%q: error %v, want %q", c.cell, err, c.err)
			}
			continue
		}
		if err != nil || len(ms) != 1 {
			t.Errorf("%q: %v, %d magics", c.cell, err, len(ms))
			continue
		}
		if code != c.code {
			t.Errorf("%q: code %q, want %q", c.cell, code, c.code)
		}
		timed, ok := TimedStatement(code, ms[0])
		if ok != (c.timed != "") || timed != c.timed {
			t.Errorf("%q: timed statement %q (%v), want %q", c.cell, timed, ok, c.timed)
		}
		if got := BlankMagics(c.cell); got != c.blanked {
			t.Errorf("%q: BlankMagics %q, want %q", c.cell, got, c.blanked)
		}
	}
}
