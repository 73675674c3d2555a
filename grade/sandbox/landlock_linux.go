package sandbox

import (
	"debug/elf"
	"fmt"
	"io"
	"strings"

	"github.com/landlock-lsm/go-landlock/landlock"
	llsys "github.com/landlock-lsm/go-landlock/landlock/syscall"
)

// landlockConfig is the newest Landlock ABI the worker asks for; with
// BestEffort it gets what the running kernel has of it.
var landlockConfig = landlock.V7.BestEffort()

// compileConfig is the domain of a worker that may build and run
// %%compile cells with the Go toolchain, which must execute programs and
// write its build cache: the network and the scopes only.
var compileConfig = landlock.Config{
	HandledAccessNet: llsys.AccessNetBindTCP | llsys.AccessNetConnectTCP,
	Scoped:           llsys.ScopeSignal | llsys.ScopeAbstractUnixSocket,
}.BestEffort()

// readOnly is what the worker may do with files: read them and list
// directories (the Go runtime reads /proc, time zones, …), not execute
// them.
const readOnly = llsys.AccessFSReadFile | llsys.AccessFSReadDir

// restrictOS puts the process in a Landlock domain, for all its threads
// and for good: files can be read, not written, created, removed or
// executed (unless compile: %%compile cells need the Go toolchain); TCP
// bind and connect are refused (ABI 4); signals to processes outside the
// domain, the supervisor included, and abstract Unix sockets are refused
// (ABI 6). Where the kernel has no Landlock it does nothing (OSLayer says
// so on the grader's side).
//
// The worker's own executable (exe) may also be executed, so that the
// confined process can execute itself again (see Confine). It reports
// whether the process is now confined.
func restrictOS(compile bool, exe string) (bool, error) {
	abi, err := llsys.LandlockGetABIVersion()
	if err != nil || abi < 1 {
		return false, nil
	}
	if compile {
		return true, compileConfig.Restrict()
	}
	rules := []landlock.Rule{
		landlock.PathAccess(readOnly, "/"),
		landlock.PathAccess(llsys.AccessFSExecute|llsys.AccessFSReadFile, exe),
	}
	if ld := elfInterpreter(exe); ld != "" { // execve opens it for execution too
		rules = append(rules, landlock.PathAccess(llsys.AccessFSExecute|llsys.AccessFSReadFile, ld))
	}
	return true, landlockConfig.Restrict(rules...)
}

// elfInterpreter is the dynamic loader a binary names (PT_INTERP), or ""
// for a static one.
func elfInterpreter(exe string) string {
	f, err := elf.Open(exe)
	if err != nil {
		return ""
	}
	defer f.Close()
	for _, p := range f.Progs {
		if p.Type != elf.PT_INTERP {
			continue
		}
		b, err := io.ReadAll(p.Open())
		if err != nil {
			return ""
		}
		return strings.TrimRight(string(b), "\x00")
	}
	return ""
}

// OSLayer describes the operating system's part of the sandbox on this
// machine: what Landlock enforces for grading workers (compile: for an
// assignment that allows %%compile cells), or that it is not available
// and only the allow-list and the limits hold.
func OSLayer(compile bool) string {
	abi, err := llsys.LandlockGetABIVersion()
	files := "write or execute files"
	if compile {
		files = "(files are open to them: %%compile cells need the Go toolchain)"
	}
	switch {
	case err != nil || abi < 1:
		return fmt.Sprintf("note: Landlock is not available on this kernel (%v): grading workers are held by the allow-list and the limits only", err)
	case abi < 4:
		if compile {
			return fmt.Sprintf("note: Landlock ABI %d restricts neither files (%%%%compile cells need the Go toolchain) nor the network (ABI 4 or later does that): grading workers are held by the allow-list and the limits only", abi)
		}
		return fmt.Sprintf("sandbox: Landlock ABI %d: grading workers cannot write or execute files; note: the network is not restricted by the kernel (Landlock ABI 4 or later does that), only by the allow-list", abi)
	case abi < 6:
		if compile {
			return fmt.Sprintf("sandbox: Landlock ABI %d: grading workers cannot use TCP %s", abi, files)
		}
		return fmt.Sprintf("sandbox: Landlock ABI %d: grading workers cannot %s or use TCP", abi, files)
	}
	if compile {
		return fmt.Sprintf("sandbox: Landlock ABI %d: grading workers cannot use TCP or signal other processes %s", abi, files)
	}
	return fmt.Sprintf("sandbox: Landlock ABI %d: grading workers cannot %s, use TCP, or signal other processes", abi, files)
}
