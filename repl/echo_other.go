//go:build !(linux || darwin || freebsd || netbsd || openbsd || dragonfly)

package repl

func quietTerminal(fd int) (restore func()) { return func() {} }
