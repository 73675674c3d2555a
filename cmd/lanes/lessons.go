package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/lanes-dev/lanes/lessons"
	"github.com/lanes-dev/lanes/notebook"
)

const lessonsHelp = `Usage: lanes lessons
       lanes lessons copy DIR [--instructor] [--force]

Without arguments, lists the lessons built into lanes: name and title.

"copy" writes every lesson into DIR (created if needed) as NAME.ipynb: the
student versions, or with --instructor the versions with solutions and
hidden tests. A copy already in DIR with the same content is left as it
is; one that differs (a student's work) is kept, with a message, unless
--force is given.

Flags of copy:
`

func lessonsCmd(args []string, stdout, stderr io.Writer) error {
	if len(args) > 0 && args[0] == "copy" {
		return lessonsCopyCmd(args[1:], stdout, stderr)
	}
	fs := newFlags("lessons", stderr, lessonsHelp)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "lanes lessons: unknown argument %q\n\n", fs.Arg(0))
		fs.Usage()
		return errUsage
	}
	ls := lessons.List()
	if len(ls) == 0 {
		fmt.Fprintln(stderr, "lanes: no lessons are built into this binary")
		return nil
	}
	width := 0
	for _, l := range ls {
		width = max(width, len(l.Name))
	}
	for _, l := range ls {
		fmt.Fprintf(stdout, "%-*s  %s\n", width, l.Name, l.Title)
	}
	return nil
}

func lessonsCopyCmd(args []string, stdout, stderr io.Writer) error {
	flags := newFlags("lessons copy", stderr, lessonsHelp)
	instructor := flags.Bool("instructor", false, "copy the instructor versions (with solutions and hidden tests)")
	force := flags.Bool("force", false, "overwrite copies that differ from the lesson (a student's edits are lost)")
	pos, err := parseInterspersed(flags, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		flags.Usage()
		return errUsage
	}
	dir := pos[0]
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	kept := 0
	for _, l := range lessons.List() {
		var data []byte
		if *instructor {
			data, err = lessons.Instructor(l.Name)
		} else {
			data, err = lessons.Student(l.Name)
		}
		if err != nil {
			return err
		}
		file := filepath.Join(dir, l.File)
		old, err := os.ReadFile(file)
		switch {
		case err == nil && bytes.Equal(old, data):
			fmt.Fprintf(stdout, "%s is up to date\n", file)
			continue
		case err == nil && !*force:
			fmt.Fprintf(stderr, "lanes: kept %s: it differs from the lesson (edited?); --force overwrites it\n", file)
			kept++
			continue
		case err != nil && !errors.Is(err, fs.ErrNotExist):
			return err
		}
		if err := notebook.WriteFileAtomic(file, data); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "wrote %s\n", file)
	}
	if kept > 0 {
		fmt.Fprintf(stderr, "lanes: %d edited lesson(s) kept\n", kept)
	}
	return nil
}
