package sandbox

import (
	"reflect"
	"strings"
	"testing"

	"github.com/lanes-dev/lanes/engine/symbols"
	"github.com/lanes-dev/lanes/runtime/export"
)

// TestAllowedHaveTables checks the allow-list against the worker's
// tables: every allowed package has one, and Filter keeps nothing else.
func TestAllowedHaveTables(t *testing.T) {
	syms := map[string]map[string]reflect.Value{}
	for k, v := range symbols.Load() {
		syms[k] = v
	}
	for k, v := range export.Exports() {
		syms[k] = v
	}
	if miss := Missing(syms); len(miss) > 0 {
		t.Errorf("allowed packages without a symbol table: %v", miss)
	}
	f := Filter(syms)
	for key := range f {
		if i := strings.LastIndexByte(key, '/'); i >= 0 && !IsAllowed(key[:i]) {
			t.Errorf("Filter kept %s", key)
		}
	}
	for _, gone := range []string{"os/os", "os/exec/exec", "net/net", "syscall/syscall", "unsafe/unsafe", "reflect/reflect", "runtime/debug/debug"} {
		if _, ok := f[gone]; ok {
			t.Errorf("Filter kept %s", gone)
		}
	}
	if _, ok := f["runtime/runtime"]["Breakpoint"]; ok {
		t.Error("runtime.Breakpoint kept")
	}
	if _, ok := f["runtime/runtime"]["Gosched"]; !ok {
		t.Error("runtime.Gosched removed")
	}
	if _, ok := syms["runtime/runtime"]["Breakpoint"]; !ok {
		t.Error("Filter changed its input")
	}
}

func TestFromEnv(t *testing.T) {
	cases := []struct {
		env  map[string]string
		ok   bool
		want Limits
		err  bool
	}{
		{env: map[string]string{}, ok: false},
		{env: map[string]string{EnvGrading: "1"}, ok: true, want: Limits{Memory: DefaultMemory, Goroutines: DefaultGoroutines}},
		{env: map[string]string{EnvGrading: "1", EnvMemory: "1048576", EnvGoroutines: "50"}, ok: true, want: Limits{Memory: 1 << 20, Goroutines: 50}},
		{env: map[string]string{EnvGrading: "1", EnvCompile: "1"}, ok: true, want: Limits{Memory: DefaultMemory, Goroutines: DefaultGoroutines, Compile: true}},
		{env: map[string]string{EnvGrading: "1", EnvMemory: "lots"}, ok: true, err: true},
	}
	for _, c := range cases {
		l, ok, err := FromEnv(func(k string) string { return c.env[k] })
		if ok != c.ok || (err != nil) != c.err || !c.err && l != c.want {
			t.Errorf("FromEnv(%v) = %v %v %v", c.env, l, ok, err)
		}
	}
	// Env and FromEnv agree.
	env := map[string]string{}
	for _, kv := range (Limits{Memory: 3 << 20, Goroutines: 7, Compile: true}).Env() {
		k, v, _ := strings.Cut(kv, "=")
		env[k] = v
	}
	if l, ok, _ := FromEnv(func(k string) string { return env[k] }); !ok || l != (Limits{Memory: 3 << 20, Goroutines: 7, Compile: true}) {
		t.Errorf("round trip: %v", l)
	}
}

func TestBytes(t *testing.T) {
	for _, c := range []struct {
		n int64
		s string
	}{{512, "512 B"}, {1 << 20, "1 MiB"}, {512 << 20, "512 MiB"}, {10 << 30, "10 GiB"}, {1536 << 20, "1.5 GiB"}} {
		if got := Bytes(c.n); got != c.s {
			t.Errorf("Bytes(%d) = %q, want %q", c.n, got, c.s)
		}
	}
	for _, c := range []struct {
		s string
		n int64
	}{{"512M", 512 << 20}, {"2G", 2 << 30}, {"1.5GiB", 1536 << 20}, {"100", 100}, {"64 kb", 64 << 10}} {
		if got, err := ParseBytes(c.s); err != nil || got != c.n {
			t.Errorf("ParseBytes(%q) = %d, %v; want %d", c.s, got, err, c.n)
		}
	}
	if _, err := ParseBytes("much"); err == nil {
		t.Error("ParseBytes(much) succeeded")
	}
}

func TestWatchdog(t *testing.T) {
	w := &watchdog{limits: Limits{Memory: 1 << 40, Goroutines: 1}}
	w.sample[0].Name = "/memory/classes/heap/objects:bytes"
	if msg := w.check(); !strings.Contains(msg, "goroutine limit of 1 exceeded") {
		t.Errorf("goroutines: %q", msg)
	}
	w.limits = Limits{Memory: 1 << 10, Goroutines: 1 << 20}
	if msg := w.check(); !strings.Contains(msg, "memory limit of 1 KiB exceeded") {
		t.Errorf("memory: %q", msg)
	}
	w.limits = Limits{Memory: 1 << 40, Goroutines: 1 << 20}
	if msg := w.check(); msg != "" {
		t.Errorf("under the limits: %q", msg)
	}
}
