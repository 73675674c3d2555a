package main

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"sync"

	"github.com/lanes-dev/lanes/lessons"
	"github.com/lanes-dev/lanes/repl"
)

// errCellsFailed makes the exit status 1 when a script's cell failed.
var errCellsFailed = errors.New("a cell failed")

const replHelp = `Usage: lanes [repl] [-lessons DIR] [-no-history]

Starts the interactive REPL. With standard input not a terminal (or CI
set), there are no prompts or colour: each complete input is run in turn,
errors go to standard error and the exit status is 1 if any cell failed,
so "lanes < script.go" runs a script. Colour is used when standard output
is a terminal and NO_COLOR is unset. History is kept in
$XDG_STATE_HOME/lanes/history (default ~/.local/state/lanes/history).

Flags:
`

func replCmd(args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := newFlags("repl", stderr, replHelp)
	lessonsDir := fs.String("lessons", "", "read :lesson notebooks (NAME.ipynb) from `DIR` instead of the built-in lessons")
	noHistory := fs.Bool("no-history", false, "neither read nor write the history file")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		fs.Usage()
		return errUsage
	}
	cfg := repl.Config{Stdin: stdin, Stdout: stdout, Stderr: stderr}
	cfg.Interactive = repl.IsTerminal(stdin) && os.Getenv("CI") == ""
	cfg.Color = cfg.Interactive && repl.IsTerminal(stdout) && os.Getenv("NO_COLOR") == ""
	if cfg.Interactive && !*noHistory {
		if h, err := repl.DefaultHistoryFile(); err == nil {
			cfg.HistoryFile = h
		} else {
			fmt.Fprintln(stderr, "lanes: history is off:", err)
		}
	}
	if *lessonsDir != "" {
		if st, err := os.Stat(*lessonsDir); err != nil || !st.IsDir() {
			fmt.Fprintf(stderr, "lanes: -lessons %s: not a directory\n", *lessonsDir)
			return errUsage
		}
		cfg.Lessons = repl.NotebookLessons(os.DirFS(*lessonsDir))
	} else {
		cfg.Lessons = repl.NotebookLessons(&studentLessons{stderr: stderr})
	}
	failed, err := repl.Run(cfg)
	if err != nil {
		return err
	}
	if failed {
		return errCellsFailed
	}
	return nil
}

// studentLessons serves the built-in lessons' student versions, derived on
// first use: deriving them all costs more than the REPL's whole start.
type studentLessons struct {
	stderr io.Writer
	once   sync.Once
	fsys   fs.FS
}

func (l *studentLessons) Open(name string) (fs.File, error) {
	l.once.Do(func() {
		fsys, err := lessons.StudentFS()
		if err != nil {
			fmt.Fprintln(l.stderr, "lanes: built-in lessons unavailable:", err)
			fsys = fstestEmpty{}
		}
		l.fsys = fsys
	})
	return l.fsys.Open(name)
}

// fstestEmpty is a file system with nothing in it.
type fstestEmpty struct{}

func (fstestEmpty) Open(name string) (fs.File, error) {
	return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
}
