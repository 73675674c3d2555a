package worker

import (
	"github.com/landlock-lsm/go-landlock/landlock"
	llsys "github.com/landlock-lsm/go-landlock/landlock/syscall"
)

// ProtectSupervisor keeps cells from signalling the supervisor (the
// kernel, the REPL) or any other process that is not the worker or one
// it started: the worker enters a Landlock domain scoped for signals
// (ABI 6), which its children inherit, so neither
// p.Signal(os.Kill) on os.Getppid() nor exec.Command("kill", "-9", …)
// reaches the supervisor. Files and the network stay open to cells. It
// reports whether the kernel enforces it; where it does not, only the
// symbol tables' refusal of os.FindProcess for the supervisor's pid
// holds. Landlock holds the threads that exist when it is entered, and Go
// starts new threads from a template thread that may predate it, so when
// it returns true the caller must execute the worker again (execve keeps
// the domain, and every later thread descends from a confined one).
func ProtectSupervisor() (bool, error) {
	abi, err := llsys.LandlockGetABIVersion()
	if err != nil || abi < 6 {
		return false, nil
	}
	cfg := landlock.Config{Scoped: llsys.ScopeSignal}
	if err := cfg.BestEffort().RestrictScoped(); err != nil {
		return false, err
	}
	return true, nil
}
