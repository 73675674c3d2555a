//go:build !linux

package worker

// ProtectSupervisor does nothing where there is no Landlock: only the
// symbol tables' refusal of os.FindProcess for the supervisor's pid holds.
func ProtectSupervisor() (bool, error) { return false, nil }
