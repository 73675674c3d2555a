//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

package repl

import "golang.org/x/sys/unix"

// quietTerminal turns off the terminal's echo while a cell runs, so that
// keys typed ahead do not land in the middle of the cell's output; the line
// editor shows them at the next prompt. Signals (Ctrl-C) stay on. It
// returns the function that restores the terminal.
func quietTerminal(fd int) (restore func()) {
	old, err := unix.IoctlGetTermios(fd, ioctlGetTermios)
	if err != nil {
		return func() {}
	}
	quiet := *old
	quiet.Lflag &^= unix.ECHO
	if err := unix.IoctlSetTermios(fd, ioctlSetTermios, &quiet); err != nil {
		return func() {}
	}
	return func() { unix.IoctlSetTermios(fd, ioctlSetTermios, old) }
}
