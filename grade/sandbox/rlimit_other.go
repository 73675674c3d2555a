//go:build !linux

package sandbox

// limitAddressSpace does nothing where RLIMIT_AS is not dependable; the
// watchdog alone enforces the memory limit.
func limitAddressSpace(memory int64) error { return nil }
