// Package sandbox is the worker's side of grading mode: what a cell may
// import, and the memory and goroutine limits of the worker process.
//
// The grader (package grade) starts each submission's worker with the
// variables of Limits.Env in its environment; the worker (cmd/lanes)
// calls FromEnv before it serves cells and, in grading mode, Confine
// (then executes itself again when it says so), Filter on its symbol
// tables and Enter before the first cell.
//
// # What a cell may import
//
// Cells run in an interpreter that can reach only the compiled packages in
// its symbol tables, so the tables are the sandbox: a package that is not
// in them cannot be called, whether a cell imports it or names it without
// an import. Allowed lists the packages kept. The rule for the list: a
// package is allowed when nothing in it can open a file, start a process,
// use the network, read the environment or touch memory outside Go's type
// system. That keeps the packages of computation (fmt, strings, strconv,
// sort, slices, maps, math and its subpackages, math/rand, containers,
// unicode, bytes, bufio and io over in-memory values, regexp, encoding
// to and from memory, hashes, image codecs over readers and writers),
// concurrency (sync, sync/atomic, context, time, runtime) and the Lanes
// runtime ("lanes"). It drops, among others:
//
//   - os, os/exec, os/signal, os/user, syscall, io/ioutil, path/filepath,
//     io/fs, log (log.Fatal exits), flag (reads os.Args): files, processes,
//     the environment;
//   - net and everything under it, crypto/tls, crypto/x509, expvar: the
//     network, and system certificate files;
//   - unsafe, reflect, plugin: ways around the type system;
//   - runtime/debug (it could lift the memory limit), runtime/pprof,
//     runtime/trace, runtime/metrics, testing, go/* (go/build reads the
//     disk), debug/*, archive/*, mime, text/template and html/template
//     (ParseFiles), database/sql: files or process state a grade should
//     not depend on.
//
// Of runtime, the functions that stop or trace the process (Breakpoint,
// StartTrace, ReadTrace, StopTrace, SetCPUProfileRate) and GOROOT are
// removed. Methods of compiled types cannot be taken out of a table; the
// one method of an allowed package that writes a file,
// lanes.(*Timeline).SaveChromeTrace, is refused by the grader's static
// check of each cell (grade.CheckSource), as are imports outside the list.
//
// An import of a package without a table makes the interpreter look for
// its source on disk (GOPATH, or relative to the working directory). Enter
// moves the worker into an empty directory that it then deletes, so no
// path resolves and such an import fails; the grader rejects it before
// the cell runs anyway, with the list of allowed packages.
//
// # Limits
//
// Memory: debug.SetMemoryLimit makes the garbage collector work to stay
// under the limit, and a watchdog samples, every 10 ms, the bytes of heap
// objects (runtime/metrics) and the resident set (/proc/self/statm). Both
// are needed: make([]byte, 10<<30) succeeds at once on Linux (the pages
// are not touched, so the resident set stays small) but shows in the heap
// metric, and memory outside the Go heap shows only in the resident set.
// Over the limit the watchdog writes a line "fatal error: memory limit of
// … exceeded" on standard error and exits with status 2, as the Go runtime
// does on a fatal error: the engine reports that line as the cell's error
// and starts a fresh worker. An allocation can succeed and be dropped
// between two samples, though, so on Linux RLIMIT_AS is set as a
// backstop, at the memory limit plus 4 GiB: Go reserves address space
// well beyond what it uses (about 1.8 GiB for a worker running a lesson),
// so a tighter limit would fail programs that use little memory. Over it,
// Go stops with "fatal error: runtime: out of memory", which the engine
// reports as well.
//
// # The operating system's layer
//
// The allow-list is the sandbox; on Linux the kernel backs it up, so that
// a way past the allow-list (a bug in the interpreter, a package that can
// do more than it seems) still meets a wall. Confine puts the worker, for
// good, into a Landlock domain (the maintained binding
// github.com/landlock-lsm/go-landlock, best effort up to ABI 7), and the
// worker then executes itself again so that every thread it will ever
// have is in it: Go starts threads from a template thread that can
// predate the domain, and without the second execve 12 of 30 threads
// started later were found outside it. In the domain files may be read
// but not written, created, removed or executed anywhere (but the
// worker's own binary and its dynamic loader, for that execve; the
// scratch directory is the deleted working directory, where nothing can
// be created either); with ABI 4 TCP bind and connect are refused; with
// ABI 6 signals to processes outside the domain (the supervisor, the
// kernel) and abstract Unix sockets are refused. An assignment that
// allows %%compile cells (Limits.Compile) keeps files open to its
// workers, since the Go toolchain executes programs and writes its cache;
// the network and the scopes are restricted all the same. Landlock needs
// no privileges. On a kernel without it the worker runs as before and the
// grader prints a note (OSLayer). The grader's tests prove the layer with
// a worker that keeps the whole standard library (EnvTestUnfiltered, a
// test-only hook) and is still stopped, from every thread.
//
// Goroutines: the same watchdog checks runtime.NumGoroutine and stops the
// worker with "fatal error: goroutine limit of … exceeded". A flood
// overshoots the limit by what it starts in one sampling period, which is
// harmless at the default limit.
package sandbox

import (
	"fmt"
	"os"
	"reflect"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/lanes-dev/lanes/internal/size"
)

// Environment variables of grading mode.
const (
	// EnvGrading set to "1" turns grading mode on.
	EnvGrading = "LANES_GRADING"
	// EnvMemory is the memory limit in bytes.
	EnvMemory = "LANES_GRADING_MEMORY"
	// EnvGoroutines is the goroutine limit.
	EnvGoroutines = "LANES_GRADING_GOROUTINES"
	// EnvTestUnfiltered set to "1" keeps the whole standard library in a
	// grading worker: a test-only hook, to prove that the operating
	// system's layer stops what gets past the allow-list. Only the
	// grader's tests set it; a cell cannot: the worker reads it once, at
	// start, and a fresh worker gets the grader's environment, not what a
	// cell set with %env.
	EnvTestUnfiltered = "LANES_GRADING_TEST_UNFILTERED"
	// EnvCompile set to "1" allows %%compile cells.
	EnvCompile = "LANES_GRADING_COMPILE"
)

// Default limits.
const (
	DefaultMemory     = 1 << 30
	DefaultGoroutines = 10000
)

// Limits of a grading worker.
type Limits struct {
	// Memory is the most memory (heap objects or resident set, in bytes)
	// the worker may use; 0 is DefaultMemory.
	Memory int64
	// Goroutines is the most goroutines the worker may run at once; 0 is
	// DefaultGoroutines.
	Goroutines int
	// Compile allows %%compile cells, which an assignment's notebook
	// metadata turns on (grade.AllowsCompile). They are built by the Go
	// toolchain and run as programs of their own: outside the
	// interpreter's symbol tables, and so outside the sandbox's import
	// rule except for the grader's static check of each cell; the memory
	// limit's RLIMIT_AS and the cell timeout still hold for them.
	Compile bool
}

func (l Limits) withDefaults() Limits {
	if l.Memory <= 0 {
		l.Memory = DefaultMemory
	}
	if l.Goroutines <= 0 {
		l.Goroutines = DefaultGoroutines
	}
	return l
}

// Env returns the environment variables that put a worker in grading mode
// with these limits.
func (l Limits) Env() []string {
	l = l.withDefaults()
	env := []string{
		EnvGrading + "=1",
		EnvMemory + "=" + strconv.FormatInt(l.Memory, 10),
		EnvGoroutines + "=" + strconv.Itoa(l.Goroutines),
	}
	if l.Compile {
		env = append(env, EnvCompile+"=1")
	}
	return env
}

// FromEnv reads grading mode from the environment: ok is false when it is
// off.
func FromEnv(getenv func(string) string) (l Limits, ok bool, err error) {
	if getenv(EnvGrading) != "1" {
		return Limits{}, false, nil
	}
	if s := getenv(EnvMemory); s != "" {
		if l.Memory, err = strconv.ParseInt(s, 10, 64); err != nil || l.Memory < 0 {
			return l, true, fmt.Errorf("sandbox: %s=%q is not a number of bytes", EnvMemory, s)
		}
	}
	if s := getenv(EnvGoroutines); s != "" {
		if l.Goroutines, err = strconv.Atoi(s); err != nil || l.Goroutines < 0 {
			return l, true, fmt.Errorf("sandbox: %s=%q is not a number", EnvGoroutines, s)
		}
	}
	l.Compile = getenv(EnvCompile) == "1"
	return l.withDefaults(), true, nil
}

// Allowed lists the import paths a graded cell may import (see the
// package documentation for the rule).
var Allowed = []string{
	"bufio", "bytes", "cmp", "container/heap", "container/list", "container/ring",
	"context", "crypto/md5", "crypto/sha1", "crypto/sha256", "crypto/sha512",
	"encoding", "encoding/base64", "encoding/binary", "encoding/csv", "encoding/hex", "encoding/json",
	"errors", "fmt", "hash", "hash/adler32", "hash/crc32", "hash/crc64", "hash/fnv", "hash/maphash",
	"html", "image", "image/color", "image/color/palette", "image/draw", "image/gif", "image/jpeg", "image/png",
	"io", "iter", "lanes", "maps", "math", "math/big", "math/bits", "math/cmplx", "math/rand", "math/rand/v2",
	"path", "regexp", "regexp/syntax", "runtime", "slices", "sort", "strconv", "strings",
	"sync", "sync/atomic", "text/scanner", "text/tabwriter", "time",
	"unicode", "unicode/utf16", "unicode/utf8", "unique",
}

var allowed = func() map[string]bool {
	m := map[string]bool{}
	for _, p := range Allowed {
		m[p] = true
	}
	return m
}()

// IsAllowed reports whether a graded cell may import path.
func IsAllowed(path string) bool { return allowed[path] }

// removed are the members taken out of allowed packages' tables.
var removed = map[string][]string{
	"runtime": {"Breakpoint", "StartTrace", "ReadTrace", "StopTrace", "SetCPUProfileRate", "GOROOT"},
}

// Filter returns the symbol tables (yaegi's "path/name" → member → value)
// cut to the allowed packages, without the removed members. Keys that are
// not packages (".", the interpreter's wrapper types) are kept.
func Filter[T ~map[string]map[string]reflect.Value](syms T) T {
	out := T{}
	for key, members := range syms {
		i := strings.LastIndexByte(key, '/')
		if i < 0 {
			out[key] = members // not a package table
			continue
		}
		path := key[:i]
		if !allowed[path] {
			continue
		}
		if drop := removed[path]; len(drop) > 0 {
			cp := make(map[string]reflect.Value, len(members))
			for n, v := range members {
				cp[n] = v
			}
			for _, n := range drop {
				delete(cp, n)
			}
			members = cp
		}
		out[key] = members
	}
	return out
}

// Missing returns the allowed packages that syms has no table for (a
// check for tests and for regenerated tables).
func Missing[T ~map[string]map[string]reflect.Value](syms T) []string {
	have := map[string]bool{}
	for key := range syms {
		if i := strings.LastIndexByte(key, '/'); i >= 0 {
			have[key[:i]] = true
		}
	}
	var miss []string
	for _, p := range Allowed {
		if !have[p] {
			miss = append(miss, p)
		}
	}
	sort.Strings(miss)
	return miss
}

// Confine is the first step of a grading worker: it moves into a
// directory that it then deletes and, on Linux, enters a Landlock domain
// (restrictOS) in which it can write no file. Landlock holds the threads
// that exist when it is entered, and Go starts new threads from a
// template thread that may predate it, so a confined process must then
// execute itself again (reexec true; the caller does it): after execve
// every thread descends from a confined one. Enter is the second step,
// in the process that runs the cells.
func Confine(l Limits) (reexec bool, err error) {
	l = l.withDefaults()
	dir, err := os.MkdirTemp("", "lanes-grading-")
	if err != nil {
		return false, fmt.Errorf("sandbox: %w", err)
	}
	if err := os.Chdir(dir); err != nil {
		return false, fmt.Errorf("sandbox: %w", err)
	}
	if err := os.Remove(dir); err != nil {
		return false, fmt.Errorf("sandbox: %w", err)
	}
	exe, err := os.Executable()
	if err != nil {
		return false, fmt.Errorf("sandbox: %w", err)
	}
	confined, err := restrictOS(l.Compile, exe)
	if err != nil {
		return false, fmt.Errorf("sandbox: Landlock: %w", err)
	}
	return confined, nil
}

// Enter puts the running worker under the limits (after Confine): it
// sets the Go memory limit and the address space limit and starts the
// watchdog.
func Enter(l Limits) error {
	l = l.withDefaults()
	debug.SetMemoryLimit(l.Memory)
	if err := limitAddressSpace(l.Memory); err != nil {
		return fmt.Errorf("sandbox: limiting the address space: %w", err)
	}
	w := &watchdog{limits: l, mem: size.OpenResident(), exit: os.Exit}
	go w.run(10 * time.Millisecond)
	return nil
}

// watchdog stops the process when it goes over its limits.
type watchdog struct {
	limits Limits
	mem    *size.Resident
	exit   func(int)
	sample [1]metrics.Sample
}

func (w *watchdog) run(every time.Duration) {
	w.sample[0].Name = "/memory/classes/heap/objects:bytes"
	t := time.NewTicker(every)
	defer t.Stop()
	for range t.C {
		if msg := w.check(); msg != "" {
			fmt.Fprintf(os.Stderr, "fatal error: %s\n", msg)
			w.exit(2)
			return
		}
	}
}

// check returns why the process is over a limit, or "".
func (w *watchdog) check() string {
	if n := runtime.NumGoroutine(); n > w.limits.Goroutines {
		return fmt.Sprintf("goroutine limit of %d exceeded (%d goroutines are running): the program was stopped", w.limits.Goroutines, n)
	}
	metrics.Read(w.sample[:])
	heap := int64(w.sample[0].Value.Uint64())
	rss := w.mem.Bytes()
	if used := max(heap, rss); used > w.limits.Memory {
		return fmt.Sprintf("memory limit of %s exceeded (the program uses %s): the program was stopped", Bytes(w.limits.Memory), Bytes(used))
	}
	return ""
}

// Bytes formats a size in binary units: 512 MiB, 10.0 GiB.
func Bytes(n int64) string { return size.Format(n) }

// ParseBytes reads a size: a number of bytes, or with a unit (K, M, G,
// KB, MB, GB, KiB, MiB, GiB; all binary).
func ParseBytes(s string) (int64, error) { return size.Parse(s) }
