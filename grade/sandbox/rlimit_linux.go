package sandbox

import "syscall"

// addressSpaceHeadroom is what RLIMIT_AS allows beyond the memory limit:
// a worker reserves about 1.8 GiB of address space it never uses.
const addressSpaceHeadroom = 4 << 30

// limitAddressSpace is the backstop of the watchdog: an allocation far
// beyond the limit (make([]byte, 10<<30)) fails at once, and the Go
// runtime stops with "fatal error: runtime: out of memory", instead of
// succeeding untouched between two samples.
func limitAddressSpace(memory int64) error {
	lim := uint64(memory) + addressSpaceHeadroom
	return syscall.Setrlimit(syscall.RLIMIT_AS, &syscall.Rlimit{Cur: lim, Max: lim})
}
