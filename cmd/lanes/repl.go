package main

import (
	"errors"
	"io"

	"github.com/lanes-dev/lanes/repl"
)

// errCellsFailed makes the exit status 1 when a script's cell failed.
var errCellsFailed = errors.New("a cell failed")

const replHelp = `Usage: lanes [repl]

Starts the interactive REPL. With standard input not a terminal, each
complete input is run in turn and the exit status is 1 if any failed.
`

func replCmd(args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := newFlags("repl", stderr, replHelp)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		fs.Usage()
		return errUsage
	}
	failed, err := repl.Run(repl.Config{Stdin: stdin, Stdout: stdout, Stderr: stderr})
	if err != nil {
		return err
	}
	if failed {
		return errCellsFailed
	}
	return nil
}
