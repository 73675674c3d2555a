//go:build !linux

package lanes

import "time"

// threadCPU cannot tell a thread's CPU time on this system.
func threadCPU() (time.Duration, bool) { return 0, false }
