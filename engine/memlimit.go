package engine

// The worker holds itself to its memory limit (package worker); the
// supervisor remembers the last %memlimit of the session, so that a fresh
// worker (after the limit stopped the old one, a crash or %reset) starts
// with it instead of the default.

// setMemLimit records a %memlimit argument (a size or "off").
func (e *Engine) setMemLimit(arg string) {
	e.memMu.Lock()
	e.memlimit = arg
	e.memMu.Unlock()
}

// memLimit is the last %memlimit argument, "" for none.
func (e *Engine) memLimit() string {
	e.memMu.Lock()
	defer e.memMu.Unlock()
	return e.memlimit
}
