package worker

import (
	"bufio"
	"fmt"
	"os"
	"runtime/debug"
	"runtime/metrics"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/lanes-dev/lanes/internal/size"
	"github.com/lanes-dev/lanes/internal/wire"
)

// EnvMemLimit names the environment variable that sets the worker's
// memory limit outside grading: a size (4G, 512M), or "off". Unset, the
// limit is DefaultMemoryShare of the machine's memory. A kernelspec sets
// it in its "env"; %memlimit changes it for a session.
const EnvMemLimit = wire.EnvMemLimit

// DefaultMemoryShare is the part of the machine's memory (or of the
// cgroup's limit, when lower) a worker may use by default: left alone, a
// leaking cell grows until the system's out-of-memory killer picks a
// victim, which may be the notebook server or the browser.
const DefaultMemoryShare = 0.5

// memoryWatch holds the worker to its memory limit. The worker's sample
// of its memory is the larger of the bytes of Go heap objects (a
// make([]byte, 10<<30) shows there at once, before its pages are
// touched) and the resident set (memory outside the Go heap); every 10
// ms, it is compared with the limit, and over it the worker writes
// "fatal error: the cell used more than …" on standard error and exits,
// as the Go runtime does on a fatal error: the supervisor reports that
// line as the cell's error and starts a fresh worker with the session's
// declarations. debug.SetMemoryLimit makes the garbage collector work to
// stay under the limit first.
type memoryWatch struct {
	limit  atomic.Int64 // bytes; 0 is off
	origin string       // where the limit came from, for %memlimit
	mem    *size.Resident
	sample [1]metrics.Sample
}

// memory is the worker's watch, nil when the worker's limits are not its
// own (grading mode, where the grader sets them). A process has one
// memory, hence one watch.
var memory *memoryWatch

// LimitMemory puts the worker under its memory limit (EnvMemLimit, else
// DefaultMemoryShare of the machine) and lets %memlimit change it. The
// binary calls it before Run outside grading mode.
func LimitMemory(getenv func(string) string) error {
	w := &memoryWatch{}
	w.sample[0].Name = "/memory/classes/heap/objects:bytes"
	switch v := strings.TrimSpace(getenv(EnvMemLimit)); {
	case v == "":
		total := machineMemory()
		if total <= 0 {
			w.origin = "off: the machine's memory is unknown"
			break
		}
		w.setLimit(int64(float64(total) * DefaultMemoryShare))
		w.origin = fmt.Sprintf("half of this machine's %s", size.Format(total))
	case strings.EqualFold(v, "off"):
		w.origin = "off (" + EnvMemLimit + "=off)"
	default:
		n, err := size.Parse(v)
		if err != nil || n <= 0 {
			return fmt.Errorf("lanes worker: %s=%q: want a size such as 4G, or off", EnvMemLimit, v)
		}
		w.setLimit(n)
		w.origin = EnvMemLimit + "=" + v
	}
	w.mem = size.OpenResident()
	memory = w
	go w.run(10 * time.Millisecond)
	return nil
}

func (w *memoryWatch) setLimit(n int64) {
	w.limit.Store(n)
	if n > 0 {
		debug.SetMemoryLimit(n)
	} else {
		debug.SetMemoryLimit(1<<63 - 1)
	}
}

func (w *memoryWatch) run(every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for range t.C {
		limit := w.limit.Load()
		if limit <= 0 {
			continue
		}
		metrics.Read(w.sample[:])
		used := max(int64(w.sample[0].Value.Uint64()), w.mem.Bytes())
		if used > limit {
			fmt.Fprintf(os.Stderr, "fatal error: the cell used more than %s of memory (it reached %s; %%memlimit SIZE or %s changes the limit)\n",
				size.Format(limit), size.Format(used), EnvMemLimit)
			os.Exit(2)
		}
	}
}

// memlimitMagic is %memlimit: without arguments it says the limit, with
// a size or "off" it changes it.
func memlimitMagic(args string) {
	if memory == nil {
		fmt.Fprintln(os.Stderr, "%memlimit: the memory limit here is set by whoever started the worker (the grader), and cannot be changed")
		return
	}
	switch {
	case args == "":
	case strings.EqualFold(args, "off"):
		memory.setLimit(0)
		memory.origin = "off (%memlimit off)"
	default:
		n, _ := size.Parse(args) // checked with the magic
		memory.setLimit(n)
		memory.origin = "%memlimit " + args
	}
	if n := memory.limit.Load(); n > 0 {
		fmt.Fprintf(os.Stdout, "memory limit: %s (%s)\n", size.Format(n), memory.origin)
	} else {
		fmt.Fprintf(os.Stdout, "memory limit: %s\n", memory.origin)
	}
}

// machineMemory is the memory the worker can have: the machine's total,
// or its cgroup's limit when that is lower (0 when unknown).
func machineMemory() int64 {
	var total int64
	if f, err := os.Open("/proc/meminfo"); err == nil {
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			if rest, ok := strings.CutPrefix(sc.Text(), "MemTotal:"); ok {
				kb, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 10, 64)
				total = kb << 10
				break
			}
		}
		f.Close()
	}
	if cg := cgroupLimit(); cg > 0 && (total == 0 || cg < total) {
		total = cg
	}
	return total
}

// cgroupLimit is the memory.max of the process's cgroup (v2), or 0.
func cgroupLimit() int64 {
	data, err := os.ReadFile("/proc/self/cgroup")
	if err != nil {
		return 0
	}
	for _, l := range strings.Split(string(data), "\n") {
		if path, ok := strings.CutPrefix(l, "0::"); ok {
			raw, err := os.ReadFile("/sys/fs/cgroup" + path + "/memory.max")
			if err != nil {
				return 0
			}
			n, err := strconv.ParseInt(strings.TrimSpace(string(raw)), 10, 64)
			if err != nil {
				return 0 // "max"
			}
			return n
		}
	}
	return 0
}
