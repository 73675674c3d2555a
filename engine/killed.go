package engine

import "syscall"

// killedBy reports whether the worker ended by signal sig. Called after
// it ended, and only when the engine had not killed it, a SIGKILL comes
// from someone else: on a machine out of memory, the kernel's
// out-of-memory killer.
func (p *proc) killedBy(sig syscall.Signal) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.state == nil {
		return false
	}
	ws, ok := p.state.Sys().(syscall.WaitStatus)
	return ok && ws.Signaled() && ws.Signal() == sig
}
