// Package repl is the terminal front end of Lanes: a prompt over the
// engine, for experimenting with Go concurrency in a terminal.
//
// # Modes
//
// With Config.Interactive set (standard input is a terminal and CI is
// unset; cmd/lanes decides), the REPL reads with github.com/chzyer/readline:
// a prompt numbered like IPython's ("In [3]: "), continuation lines
// ("   ...: ") until the engine's IsComplete says the input is complete,
// auto-indent after an opening bracket and a dedent when a closing one is
// typed at the start of a line, Tab completion from the engine (Tab on a
// blank line indents), and history in DefaultHistoryFile, searchable with
// Ctrl-R. Otherwise (piped input) there are no prompts and no colour: each
// complete input is run in turn, values and output go to Stdout, errors to
// Stderr, and Run reports whether a cell failed, so "lanes < script.go" is
// a script runner. In piped mode a cell reading its standard input sees end
// of input: the REPL's standard input is the script.
//
// # Interrupts
//
// Cells run in the engine's worker, in its own process group. While a cell
// runs the terminal is in cooked mode, so Ctrl-C raises SIGINT in the REPL,
// which the REPL catches and turns into an interrupt of the cell (the engine
// restarts a worker that does not stop); it never ends the REPL. At the
// prompt the terminal is raw: Ctrl-C clears the input, Ctrl-D on an empty
// line exits. A cell reading standard input (fmt.Scanln) gets a line read at
// the terminal, with the text the cell printed before it as the prompt;
// Ctrl-C there interrupts the cell.
//
// # History
//
// The line editor's history holds lines, so a multi-line cell is saved as
// one line with the semicolons Go would insert (joinCell); it is recalled,
// edited and run as a whole. Cells that cannot be joined (line comments,
// multi-line raw strings) are saved line by line.
//
// # Output
//
// Display bundles are shown by their text/plain form. Views may colour that
// text with ANSI escapes; the REPL strips them unless Config.Color is set
// (stdout is a terminal and NO_COLOR is unset). Each line of a display is
// fitted to the terminal width (cut with "…", never wrapped, so tables and
// timelines keep their shape), and the width is given to the worker as
// COLUMNS so that views can size themselves. A display updated in place
// (display.Update) is redrawn in place when nothing was printed since.
// Errors show the traceback with its first line and the "cell N, line L"
// positions highlighted, followed by the failing source line; a worker
// restart is announced in one line.
//
// # Commands
//
// Lines starting with ":" are the REPL's own commands (:help, :reset,
// :load FILE.go, :lesson NAME, :quit); lines starting with "%" are the
// engine's magics, shared with the Jupyter kernel. Lessons come from a
// Lessons catalogue (NotebookLessons reads .ipynb files from an fs.FS).
package repl

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/chzyer/readline"

	"github.com/lanes-dev/lanes/engine"
)

// Config wires the REPL to its streams and chooses its mode.
type Config struct {
	// Stdin, Stdout and Stderr are the REPL's streams. In interactive
	// mode they must be the terminal (os.Stdin, os.Stdout, os.Stderr).
	Stdin          io.Reader
	Stdout, Stderr io.Writer
	// Interactive selects the line editor, prompts and history.
	Interactive bool
	// Color enables ANSI colour (interactive mode only).
	Color bool
	// HistoryFile is where history is kept; empty keeps none.
	HistoryFile string
	// Lessons is the catalogue of :lesson; nil means none installed.
	Lessons Lessons
	// Engine configures the engine (Command locates the worker).
	Engine engine.Options
}

// IsTerminal reports whether f is a terminal (an *os.File on a tty).
func IsTerminal(f any) bool {
	file, ok := f.(*os.File)
	return ok && readline.IsTerminal(int(file.Fd()))
}

// Run reads and runs inputs until end of input or :quit. In piped mode
// it reports whether any cell (or command) failed; an interactive session
// never reports failure.
func Run(cfg Config) (failed bool, err error) {
	if cfg.Stdin == nil {
		cfg.Stdin = os.Stdin
	}
	if cfg.Stdout == nil {
		cfg.Stdout = os.Stdout
	}
	if cfg.Stderr == nil {
		cfg.Stderr = os.Stderr
	}
	if !cfg.Interactive {
		cfg.Color = false
	}
	s := &session{cfg: cfg, cells: map[int]origin{}, out: cfg.Stdout, errw: cfg.Stderr}
	if cfg.Color {
		s.st = colorStyle
	}
	s.sink = &termSink{s: s}
	opts := cfg.Engine
	if w := s.width(); w > 0 {
		opts.Env = append(append([]string(nil), opts.Env...), fmt.Sprintf("COLUMNS=%d", w))
	}
	s.eng, err = engine.New(opts)
	if err != nil {
		return false, fmt.Errorf("repl: starting the engine: %w", err)
	}
	defer s.eng.Close()
	if cfg.Interactive {
		err = s.interactive()
	} else {
		err = s.piped()
	}
	return s.failed && !cfg.Interactive, err
}

// session is one run of the REPL.
type session struct {
	cfg  Config
	eng  *engine.Engine
	st   style
	sink *termSink
	rl   *readline.Instance // interactive mode only
	sigc chan os.Signal     // SIGINT, in interactive mode

	atPrompt atomic.Bool // the line editor is reading a line

	mu        sync.Mutex // guards out, errw, the sink's state and pending
	out, errw io.Writer
	pending   []string // lines of the cell being typed, for completion

	n      int // number of the last cell run
	cells  map[int]origin
	failed bool
	quit   bool

	cellMu     sync.Mutex
	cancelCell func() // interrupts the running cell, if any
}

// piped runs the inputs read from a non-terminal standard input.
func (s *session) piped() error {
	sc := bufio.NewScanner(s.cfg.Stdin)
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	var buf []string
	start, lineNo := 1, 0
	flush := func() {
		code := strings.Join(buf, "\n")
		buf = nil
		if strings.TrimSpace(code) == "" {
			return
		}
		s.runCell(code, origin{file: "stdin", line: start})
	}
	for !s.quit && sc.Scan() {
		lineNo++
		line := sc.Text()
		if len(buf) == 0 {
			start = lineNo
			if strings.TrimSpace(line) == "" {
				continue
			}
			if isCommand(line) {
				s.command(line)
				continue
			}
		}
		buf = append(buf, line)
		if st, _ := s.eng.IsComplete(strings.Join(buf, "\n")); st != "incomplete" {
			flush()
		}
	}
	if !s.quit {
		flush()
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("repl: reading input: %w", err)
	}
	return nil
}

func isCommand(line string) bool {
	t := strings.TrimSpace(line)
	return strings.HasPrefix(t, ":") && !strings.HasPrefix(t, ":=")
}

// printf writes to the REPL's standard output.
func (s *session) printf(format string, args ...any) {
	s.mu.Lock()
	defer s.mu.Unlock()
	fmt.Fprintf(s.out, format, args...)
	s.sink.wrote()
}

// errorf writes to the REPL's standard error.
func (s *session) errorf(format string, args ...any) {
	s.mu.Lock()
	defer s.mu.Unlock()
	fmt.Fprintf(s.errw, format, args...)
	s.sink.wrote()
}

// width is the terminal's width, or 0 when output is not a terminal.
func (s *session) width() int {
	if !s.cfg.Interactive {
		return 0
	}
	f, ok := s.cfg.Stdout.(*os.File)
	if !ok {
		return 0
	}
	w, _, err := readline.GetSize(int(f.Fd()))
	if err != nil || w <= 0 {
		return 0
	}
	return w
}
