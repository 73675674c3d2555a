// Package size reads and writes amounts of memory in binary units (512
// MiB, 2 GiB), for the memory limits of the worker and of grading, and
// reads how much memory the running process holds.
package size

import (
	"fmt"
	"os"
	"strconv"
	"strings"
)

// Format writes n bytes in binary units, one decimal: 512 MiB, 10.5 GiB.
func Format(n int64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	div, exp := int64(unit), 0
	for m := n / unit; m >= unit; m /= unit {
		div *= unit
		exp++
	}
	v := float64(n) / float64(div)
	s := strconv.FormatFloat(v, 'f', 1, 64)
	s = strings.TrimSuffix(s, ".0")
	return s + " " + string("KMGTPE"[exp]) + "iB"
}

// Parse reads a size: a number of bytes, or with a unit (K, M, G, KB, MB,
// GB, KiB, MiB, GiB; all binary).
func Parse(s string) (int64, error) {
	t := strings.TrimSpace(strings.ToUpper(s))
	mult := int64(1)
	for _, u := range []struct {
		suf string
		m   int64
	}{{"GIB", 1 << 30}, {"MIB", 1 << 20}, {"KIB", 1 << 10}, {"GB", 1 << 30}, {"MB", 1 << 20}, {"KB", 1 << 10}, {"G", 1 << 30}, {"M", 1 << 20}, {"K", 1 << 10}, {"B", 1}} {
		if strings.HasSuffix(t, u.suf) {
			t, mult = strings.TrimSpace(strings.TrimSuffix(t, u.suf)), u.m
			break
		}
	}
	f, err := strconv.ParseFloat(t, 64)
	if err != nil || f < 0 || f*float64(mult) > 1<<62 {
		return 0, fmt.Errorf("%q is not a size (such as 512M or 2G)", s)
	}
	return int64(f * float64(mult)), nil
}

// Resident reads the resident set size of the running process from
// /proc/self/statm, which it keeps open to read again at each sample.
type Resident struct {
	statm *os.File
	page  int64
}

// OpenResident returns a reader of the process's resident set size. Where
// there is no /proc its reads give 0.
func OpenResident() *Resident {
	f, _ := os.Open("/proc/self/statm")
	return &Resident{statm: f, page: int64(os.Getpagesize())}
}

// Bytes returns the resident set size in bytes (0 where it is unknown).
func (r *Resident) Bytes() int64 {
	if r == nil || r.statm == nil {
		return 0
	}
	var buf [128]byte
	n, err := r.statm.ReadAt(buf[:], 0)
	if n == 0 && err != nil {
		return 0
	}
	f := strings.Fields(string(buf[:n]))
	if len(f) < 2 {
		return 0
	}
	pages, _ := strconv.ParseInt(f[1], 10, 64)
	return pages * r.page
}
