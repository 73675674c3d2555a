package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"time"

	"github.com/lanes-dev/lanes/engine"
	"github.com/lanes-dev/lanes/notebook"
	"github.com/lanes-dev/lanes/notebook/runner"
)

const runHelp = `Usage: lanes run NOTEBOOK.ipynb [-o OUT.ipynb] [--timeout PER_CELL] [--allow-errors]

Runs the code cells of a notebook in order, in a fresh session, as
"jupyter nbconvert --to notebook --execute" does with the Lanes kernel, and
prints a line per cell on standard error:

  [3/12] cell 3 ok 0.12s

"cell N" is the cell's execution count, the N of In [N] and of "cell N,
line L" in errors. Blank cells and cells tagged skip-execution are not run.

Without -o nothing is written: the run checks that the notebook works.
With -o the executed notebook (outputs and execution counts as Jupyter
writes them) goes to OUT.ipynb, "-" for standard output; OUT may be
NOTEBOOK itself. The file is replaced at once through a temporary file, and
the input is never modified otherwise.

The run stops at the first cell that fails, whose error is printed, and the
exit status is 1; the output notebook is still written, with the error in
the failing cell and no outputs in the cells after it. With --allow-errors
every cell runs and the exit status is 0, as with nbconvert (cells tagged
raises-exception may always fail). A cell that runs longer than --timeout
is interrupted and counts as failed.

Flags:
`

// defaultCellTimeout bounds a cell when --timeout is not given.
const defaultCellTimeout = 10 * time.Minute

func runCmd(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("run", stderr, runHelp)
	out := fs.String("o", "", "write the executed notebook to `OUT.ipynb` (\"-\": standard output)")
	fs.StringVar(out, "output", "", "same as -o")
	timeout := secondsOrDuration(defaultCellTimeout)
	fs.Var(&timeout, "timeout", "interrupt a cell after `PER_CELL` (a duration such as 90s or 5m, or seconds; 0: no limit)")
	allowErrors := fs.Bool("allow-errors", false, "run every cell even after errors; exit status 0")
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		fs.Usage()
		return errUsage
	}
	in := pos[0]
	nb, err := notebook.ReadFile(in)
	if err != nil {
		return err
	}

	// The engine's own diagnostics (a worker killed at the end, …) are
	// noise here: what happened to a cell is in its error output.
	engLog := io.Discard
	if os.Getenv("LANES_DEBUG") != "" {
		engLog = stderr
	}
	eng, err := engine.New(engine.Options{Log: engLog})
	if err != nil {
		return err
	}
	defer eng.Close()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()

	progress := func(p runner.Progress) {
		status := "ok"
		switch {
		case p.TimedOut:
			status = "timeout"
		case p.Err != nil:
			status = "error"
		}
		fmt.Fprintf(stderr, "[%d/%d] cell %d %s %.2fs\n", p.Count, p.Total, p.Count, status, p.Elapsed.Seconds())
		if p.Err != nil {
			for _, line := range p.Err.Traceback {
				fmt.Fprintln(stderr, "    "+line)
			}
		}
	}
	st, runErr := runner.Run(ctx, nb, eng, runner.RunOptions{
		Timeout:      time.Duration(timeout),
		AllowErrors:  *allowErrors,
		LanguageInfo: languageInfo(),
		Progress:     progress,
	})

	if *out != "" {
		data, err := nb.Marshal()
		if err != nil {
			return err
		}
		if *out == "-" {
			if _, err := stdout.Write(data); err != nil {
				return err
			}
		} else if err := notebook.WriteFileAtomic(*out, data); err != nil {
			return err
		}
	}

	summary := fmt.Sprintf("%s: %s in %.2fs", filepath.Base(in), plural(st.Executed, "cell"), st.Elapsed.Seconds())
	if st.Failed > 0 {
		summary += fmt.Sprintf(", %d failed", st.Failed)
	}
	if *out != "" && *out != "-" {
		summary += "; wrote " + *out
	}
	fmt.Fprintln(stderr, summary)

	var ce *runner.CellError
	switch {
	case errors.As(runErr, &ce):
		fmt.Fprintf(stderr, "lanes run: stopped at cell %d (%s); --allow-errors runs every cell\n", ce.Count, ce.Output.EName)
		return errCellsFailed
	case errors.Is(runErr, context.Canceled):
		fmt.Fprintln(stderr, "lanes run: interrupted")
		return errCellsFailed
	}
	return runErr
}

// plural spells a count with its noun: "1 cell", "3 cells".
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// languageInfo is the kernel's language_info, recorded in the notebook's
// metadata as Jupyter does.
func languageInfo() map[string]any {
	info := (&interpreter{}).Info()
	return map[string]any{
		"name":            info.Name,
		"version":         info.Version,
		"mimetype":        info.MIMEType,
		"file_extension":  info.FileExtension,
		"pygments_lexer":  info.PygmentsLexer,
		"codemirror_mode": info.CodeMirrorMode,
	}
}

// secondsOrDuration is a flag value given as a Go duration ("90s") or a
// number of seconds ("90", as nbconvert's --ExecutePreprocessor.timeout).
type secondsOrDuration time.Duration

func (d *secondsOrDuration) String() string { return time.Duration(*d).String() }

func (d *secondsOrDuration) Set(s string) error {
	if f, err := strconv.ParseFloat(s, 64); err == nil {
		if f < 0 {
			return errors.New("negative timeout")
		}
		*d = secondsOrDuration(f * float64(time.Second))
		return nil
	}
	v, err := time.ParseDuration(s)
	if err != nil || v < 0 {
		return fmt.Errorf("%q is neither a duration (90s, 5m) nor a number of seconds", s)
	}
	*d = secondsOrDuration(v)
	return nil
}

// parseInterspersed parses flags that may come before or after the
// positional arguments ("lanes run nb.ipynb -o out.ipynb"). "--" ends the
// flags.
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := parseFlags(fs, args); err != nil {
			return nil, err
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return pos, nil
		}
		if len(args) > len(rest) && args[len(args)-len(rest)-1] == "--" {
			return append(pos, rest...), nil
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
}
