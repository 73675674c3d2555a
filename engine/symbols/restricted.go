package symbols

import (
	"errors"
	"fmt"
	"io"
	"log"
	"os"
)

// The yaegi extractor does not bind a few standard library symbols directly:
// for os.Exit, os.FindProcess, log.Fatal, log.Fatalf, log.Fatalln, log.New
// and log.Logger it emits references to the package-local names below
// (package name + symbol name). They keep interpreted code from terminating
// or signalling the kernel process that hosts the interpreter.

// errOwnProcess is returned by osFindProcess for the kernel's own pid.
var errOwnProcess = errors.New("os.FindProcess: access to the interpreter's own process is not allowed")

// errSupervisor is returned by osFindProcess for the supervisor's pid.
var errSupervisor = errors.New("os.FindProcess: the process that runs the cells' worker (the kernel or the REPL) cannot be signalled from a cell")

// osExit stands in for os.Exit: it panics with a message naming the code,
// which the interpreter reports as a failure of the running cell, instead of
// ending the process.
func osExit(code int) {
	panic(fmt.Sprintf("os.Exit(%d)", code))
}

// osFindProcess stands in for os.FindProcess and refuses the current
// process and its parent (the supervisor), so that a cell cannot kill or
// signal its own kernel.
func osFindProcess(pid int) (*os.Process, error) {
	if pid == os.Getpid() {
		return nil, errOwnProcess
	}
	if pid == os.Getppid() {
		return nil, errSupervisor
	}
	return os.FindProcess(pid)
}

// logFatal stands in for log.Fatal and panics instead of exiting.
func logFatal(v ...any) { log.Panic(v...) }

// logFatalf stands in for log.Fatalf and panics instead of exiting.
func logFatalf(format string, v ...any) { log.Panicf(format, v...) }

// logFatalln stands in for log.Fatalln and panics instead of exiting.
func logFatalln(v ...any) { log.Panicln(v...) }

// logLogger is the type interpreted code sees as log.Logger. It offers the
// same method set as *log.Logger, but its Fatal methods panic.
type logLogger struct {
	l *log.Logger
}

// logNew stands in for log.New.
func logNew(out io.Writer, prefix string, flag int) *logLogger {
	return &logLogger{l: log.New(out, prefix, flag)}
}

// Fatal logs like Print, then panics instead of exiting.
func (w *logLogger) Fatal(v ...any) { w.l.Panic(v...) }

// Fatalf logs like Printf, then panics instead of exiting.
func (w *logLogger) Fatalf(format string, v ...any) { w.l.Panicf(format, v...) }

// Fatalln logs like Println, then panics instead of exiting.
func (w *logLogger) Fatalln(v ...any) { w.l.Panicln(v...) }

// Flags returns the output flags of the logger.
func (w *logLogger) Flags() int { return w.l.Flags() }

// Output writes a log entry, see [log.Logger.Output].
func (w *logLogger) Output(calldepth int, s string) error { return w.l.Output(calldepth+1, s) }

// Panic logs like Print, then panics.
func (w *logLogger) Panic(v ...any) { w.l.Panic(v...) }

// Panicf logs like Printf, then panics.
func (w *logLogger) Panicf(format string, v ...any) { w.l.Panicf(format, v...) }

// Panicln logs like Println, then panics.
func (w *logLogger) Panicln(v ...any) { w.l.Panicln(v...) }

// Prefix returns the output prefix of the logger.
func (w *logLogger) Prefix() string { return w.l.Prefix() }

// Print logs its arguments in the manner of fmt.Print.
func (w *logLogger) Print(v ...any) { w.l.Print(v...) }

// Printf logs its arguments in the manner of fmt.Printf.
func (w *logLogger) Printf(format string, v ...any) { w.l.Printf(format, v...) }

// Println logs its arguments in the manner of fmt.Println.
func (w *logLogger) Println(v ...any) { w.l.Println(v...) }

// SetFlags sets the output flags of the logger.
func (w *logLogger) SetFlags(flag int) { w.l.SetFlags(flag) }

// SetOutput sets the destination of the logger.
func (w *logLogger) SetOutput(out io.Writer) { w.l.SetOutput(out) }

// SetPrefix sets the output prefix of the logger.
func (w *logLogger) SetPrefix(prefix string) { w.l.SetPrefix(prefix) }

// Writer returns the destination of the logger.
func (w *logLogger) Writer() io.Writer { return w.l.Writer() }
