package size

import "testing"

func TestFormat(t *testing.T) {
	for _, c := range []struct {
		n int64
		s string
	}{{512, "512 B"}, {1 << 20, "1 MiB"}, {512 << 20, "512 MiB"}, {10 << 30, "10 GiB"}, {1536 << 20, "1.5 GiB"}} {
		if got := Format(c.n); got != c.s {
			t.Errorf("Format(%d) = %q, want %q", c.n, got, c.s)
		}
	}
}

func TestParse(t *testing.T) {
	for _, c := range []struct {
		s   string
		n   int64
		bad bool
	}{
		{s: "512M", n: 512 << 20}, {s: "2G", n: 2 << 30}, {s: "1.5GiB", n: 1536 << 20}, {s: "100", n: 100}, {s: "64 kb", n: 64 << 10},
		{s: "much", bad: true}, {s: "-1G", bad: true}, {s: "1e30G", bad: true}, {s: "", bad: true},
	} {
		got, err := Parse(c.s)
		if c.bad {
			if err == nil {
				t.Errorf("Parse(%q) = %d, want an error", c.s, got)
			}
			continue
		}
		if err != nil || got != c.n {
			t.Errorf("Parse(%q) = %d, %v; want %d", c.s, got, err, c.n)
		}
	}
}

func TestResident(t *testing.T) {
	r := OpenResident()
	if got := r.Bytes(); got <= 0 && r.statm != nil {
		t.Errorf("a running process holds %d bytes", got)
	}
	if got := (*Resident)(nil).Bytes(); got != 0 {
		t.Errorf("a nil reader reads %d bytes, want 0", got)
	}
	if got := (&Resident{}).Bytes(); got != 0 {
		t.Errorf("a reader without /proc reads %d bytes, want 0", got)
	}
}
