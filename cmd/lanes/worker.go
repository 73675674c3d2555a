package main

import (
	"fmt"
	"log"
	"os"
	"reflect"
	"syscall"

	"github.com/traefik/yaegi/interp"

	"github.com/lanes-dev/lanes/engine/symbols"
	"github.com/lanes-dev/lanes/engine/worker"
	"github.com/lanes-dev/lanes/grade/sandbox"
	lanesrt "github.com/lanes-dev/lanes/runtime"
	"github.com/lanes-dev/lanes/runtime/export"
)

// runWorker serves the supervisor: it is the process cells run in. In
// grading mode (sandbox.EnvGrading in the environment, set by "lanes
// grade") cells see only the allow-listed packages and the process runs
// under the memory and goroutine limits of the environment. Otherwise the
// worker holds itself to its memory limit (worker.LimitMemory) and cannot
// signal the supervisor (worker.ProtectSupervisor).
func runWorker() error {
	limits, grading, err := sandbox.FromEnv(os.Getenv)
	if err != nil {
		return err
	}
	// First the Landlock domain, then, in the process that executes
	// itself again inside it, everything else (see sandbox.Confine).
	if os.Getenv(envConfined) != "1" {
		var confined bool
		if grading {
			confined, err = sandbox.Confine(limits)
		} else {
			confined, err = worker.ProtectSupervisor()
		}
		if err != nil {
			return err
		}
		if confined {
			return reexecConfined()
		}
	}
	lanesrt.SetLive(true)
	syms := workerSymbols()
	if grading {
		if !limits.Compile {
			os.Setenv(worker.EnvCompile, "off")
		}
		if os.Getenv(sandbox.EnvTestUnfiltered) != "1" {
			syms = sandbox.Filter(syms)
		}
		if err := sandbox.Enter(limits); err != nil {
			return err
		}
		return worker.Run(syms)
	}
	// Outside grading: a memory limit (and, above, no signals to the
	// supervisor).
	if err := worker.LimitMemory(os.Getenv); err != nil {
		return err
	}
	return worker.Run(syms)
}

// envConfined marks a worker that executed itself again inside its
// Landlock domain.
const envConfined = "LANES_WORKER_CONFINED"

// reexecConfined executes the worker again, with its arguments, its
// environment and its file descriptors (the protocol's 3 and 4), so that
// every thread of the process that serves cells is in the domain.
func reexecConfined() error {
	exe, err := os.Executable()
	if err != nil {
		return fmt.Errorf("lanes worker: %w", err)
	}
	env := append(os.Environ(), envConfined+"=1")
	return fmt.Errorf("lanes worker: executing itself in its sandbox: %w", syscall.Exec(exe, os.Args, env))
}

// workerSymbols is what cells can import: the standard library and the
// runtime as "lanes". The worker is a process of its own, so os.Exit and
// log.Fatal end it for real, as they would end a compiled program; the
// engine reports the exit and starts a fresh worker.
func workerSymbols() interp.Exports {
	syms := interp.Exports{}
	for k, v := range symbols.Load() {
		syms[k] = v
	}
	for k, v := range export.Exports() {
		syms[k] = v
	}
	override := func(key string, names map[string]reflect.Value) {
		m := map[string]reflect.Value{}
		for n, v := range syms[key] {
			m[n] = v
		}
		for n, v := range names {
			m[n] = v
		}
		syms[key] = m
	}
	// Values of cell-defined types passed to the runtime's display
	// functions are wrapped so that their MIME, HTML, ... methods are seen.
	mapTypes := map[reflect.Value][]reflect.Type{}
	if m, ok := syms["."]["MapTypes"].Interface().(map[reflect.Value][]reflect.Type); ok {
		for k, v := range m {
			mapTypes[k] = v
		}
	}
	for _, f := range []any{lanesrt.Display, lanesrt.NewDisplay, lanesrt.UpdateDisplay} {
		mapTypes[reflect.ValueOf(f)] = worker.DisplayInterfaces()
	}
	override(".", map[string]reflect.Value{"MapTypes": reflect.ValueOf(mapTypes)})
	override("os/os", map[string]reflect.Value{"Exit": reflect.ValueOf(os.Exit)})
	override("syscall/syscall", map[string]reflect.Value{"Tgkill": reflect.ValueOf(tgkill)})
	override("log/log", map[string]reflect.Value{
		"Fatal": reflect.ValueOf(log.Fatal), "Fatalf": reflect.ValueOf(log.Fatalf), "Fatalln": reflect.ValueOf(log.Fatalln),
	})
	return syms
}

// tgkill is syscall.Tgkill for cells: the one signalling call in the
// syscall table (Kill is left out of it) refuses the worker's own process
// and its supervisor's, as os.FindProcess does, also where the kernel has
// no Landlock to scope the worker's signals.
func tgkill(tgid, tid int, sig syscall.Signal) error {
	if tgid == os.Getpid() || tgid == os.Getppid() {
		return syscall.EPERM
	}
	return syscall.Tgkill(tgid, tid, sig)
}
