// Command lanes runs Go cells for seeing concurrency and parallelism: a
// terminal REPL (the default), a Jupyter kernel and its installer, a
// headless notebook runner, the built-in lessons, and a grader.
//
// Usage:
//
//	lanes                      start the REPL
//	lanes kernel -f FILE       serve a Jupyter connection file
//	lanes kernel install       install the Jupyter kernelspec
//	lanes kernel uninstall     remove it
//	lanes run NB.ipynb         execute a notebook's cells, as nbconvert --execute
//	lanes lessons              list the lessons; "lanes lessons copy DIR" writes them
//	lanes grade release|autograde|merge
//	                           release exercises and grade submissions
//	lanes help                 the full usage
//
// The same binary is the engine's worker process (a hidden subcommand):
// user code never runs in the process that serves the front end.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/lanes-dev/lanes/engine"
)

// version is the release of this build.
const version = "0.1.0"

const usage = `lanes — Go cells for seeing concurrency and parallelism

Usage:
  lanes [repl]                   start the interactive REPL (the default)
  lanes kernel -f CONNECTION     run as a Jupyter kernel (Jupyter starts this)
  lanes kernel install [--user | --sys-prefix | --prefix DIR] [--name NAME]
                                 install the Jupyter kernelspec (default --user)
  lanes kernel uninstall [--user | --sys-prefix | --prefix DIR] [--name NAME]
                                 remove the kernelspec
  lanes run NOTEBOOK.ipynb [-o OUT.ipynb] [--timeout PER_CELL] [--allow-errors]
                                 run a notebook's cells headlessly, as nbconvert
                                 --execute does; writes the executed notebook only
                                 with -o; exit status 1 at the first failing cell
  lanes lessons                  list the built-in lessons
  lanes lessons copy DIR [--instructor] [--force]
                                 write the lessons into DIR (student versions
                                 unless --instructor); edited copies are kept
  lanes grade release SOURCE.ipynb... -o DIR
                                 write the student versions of nbgrader notebooks
  lanes grade autograde --source SOURCE.ipynb SUBMISSION... -o DIR [-j N]
                                 grade submissions in sandboxed workers: grades.csv,
                                 grades.json and feedback pages in DIR
  lanes version                  print the version
  lanes help                     print this help

Run "lanes COMMAND -h" for the flags of a command.
`

// errUsage marks a command-line mistake: usage is printed and the exit
// status is 2.
var errUsage = errors.New("usage")

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) > 0 && args[0] == engine.WorkerArg {
		if err := runWorker(); err != nil {
			fmt.Fprintln(stderr, err)
			return 1
		}
		return 0
	}
	cmd := "repl"
	if len(args) > 0 && !isREPLFlag(args[0]) {
		cmd, args = args[0], args[1:]
	}
	var err error
	switch cmd {
	case "repl":
		err = replCmd(args, stdin, stdout, stderr)
	case "kernel":
		err = kernelCmd(args, stdout, stderr)
	case "run":
		err = runCmd(args, stdout, stderr)
	case "lessons":
		err = lessonsCmd(args, stdout, stderr)
	case "grade":
		err = gradeCmd(args, stdout, stderr)
	case "version", "--version":
		fmt.Fprintln(stdout, "lanes", version)
	case "help", "-h", "-help", "--help":
		fmt.Fprint(stdout, usage)
	default:
		fmt.Fprintf(stderr, "lanes: unknown command %q\n\n%s", cmd, usage)
		return 2
	}
	switch {
	case err == nil:
		return 0
	case errors.Is(err, flag.ErrHelp):
		return 0
	case errors.Is(err, errUsage):
		return 2
	case errors.Is(err, errCellsFailed):
		return 1
	}
	fmt.Fprintln(stderr, "lanes:", err)
	return 1
}

// isREPLFlag reports whether arg is a flag of the default command, so that
// "lanes -lessons DIR" means "lanes repl -lessons DIR".
func isREPLFlag(arg string) bool {
	switch arg {
	case "-h", "-help", "--help", "--version":
		return false
	}
	return len(arg) > 1 && arg[0] == '-'
}

// newFlags makes a flag set that reports mistakes as errUsage.
func newFlags(name string, stderr io.Writer, help string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprint(stderr, help)
		fs.PrintDefaults()
	}
	return fs
}

// parseFlags parses and turns a flag error into errUsage.
func parseFlags(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return errUsage
	}
	return nil
}
