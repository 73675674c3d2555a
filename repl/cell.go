package repl

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/chzyer/readline"

	"github.com/lanes-dev/lanes/display"
	"github.com/lanes-dev/lanes/engine"
)

// runCell runs one cell and shows its outcome. It reports whether the
// cell succeeded.
func (s *session) runCell(code string, o origin) bool {
	s.n++
	n := s.n
	o.code = code
	s.cells[n] = o

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	s.cellMu.Lock()
	s.cancelCell = cancel
	s.cellMu.Unlock()
	if s.sigc != nil {
		stop := catchInterrupt(s.sigc, cancel)
		defer stop()
	}
	if f, ok := s.cfg.Stdin.(*os.File); ok && s.cfg.Interactive {
		defer quietTerminal(int(f.Fd()))()
	}
	res := s.eng.Execute(ctx, engine.Cell{Code: code, Number: n}, s.sink)
	s.cellMu.Lock()
	s.cancelCell = nil
	s.cellMu.Unlock()

	s.mu.Lock()
	defer s.mu.Unlock()
	s.sink.endLine()
	if res.LatePanics > 0 {
		// Reported on stderr above; the compiled program would have
		// crashed, so a script fails.
		s.failed = true
	}
	switch {
	case res.Err != nil:
		s.failed = true
		formatError(s.errw, s.st, res.Err, res.Restart, s.cells)
	case res.Value != nil:
		text := renderBundle(*res.Value, s.cfg.Color, s.width())
		if s.cfg.Interactive && text != "" {
			label := s.st.paint(s.st.out, fmt.Sprintf("Out[%d]:", n))
			if strings.Count(text, "\n") > 1 {
				text = label + "\n" + text
			} else {
				text = label + " " + text
			}
		}
		io.WriteString(s.out, text)
	}
	// The engine replaces a worker that died between cells (a goroutine
	// of an earlier cell panicked); say so.
	if res.Restart != nil && res.Restart.Reason == engine.RestartDied {
		fmt.Fprintln(s.errw, s.st.paint(s.st.notice, "↻ the worker had stopped since the last cell (a goroutine may have panicked); a fresh one ran this cell with earlier definitions replayed"))
	}
	if s.cfg.Interactive {
		io.WriteString(s.out, "\n") // a blank line between cells, as IPython
	}
	s.sink.wrote()
	return res.Err == nil
}

// catchInterrupt turns SIGINT into cancel until stop is called. While a
// cell runs the terminal is in cooked mode, so Ctrl-C is a signal; the
// session's channel receives SIGINT for the whole interactive run, so a
// stray one between cells is dropped instead of ending the REPL.
func catchInterrupt(sigc chan os.Signal, cancel func()) (stop func()) {
	for len(sigc) > 0 {
		<-sigc
	}
	done := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		for {
			select {
			case <-sigc:
				cancel()
			case <-done:
				return
			}
		}
	}()
	return func() {
		close(done)
		<-finished
	}
}

// interrupt interrupts the running cell, if any.
func (s *session) interrupt() {
	s.cellMu.Lock()
	c := s.cancelCell
	s.cellMu.Unlock()
	if c != nil {
		c()
	}
}

// termSink shows a cell's output on the terminal (or the REPL's streams).
// Its state is guarded by session.mu.
type termSink struct {
	s *session
	// partial is the text printed after the last newline on stdout: the
	// prompt of a cell that reads a line.
	partial string
	// lastID and lastLines describe the last display, when nothing was
	// written after it, so that an update can redraw it in place.
	lastID    string
	lastLines int
}

// wrote records that something other than a display was written.
func (t *termSink) wrote() {
	t.lastID, t.lastLines = "", 0
	t.partial = ""
}

// endLine ends a line left open by the cell's output.
func (t *termSink) endLine() {
	if t.partial != "" {
		io.WriteString(t.s.out, "\n")
		t.partial = ""
	}
}

// Stream implements engine.Sink.
func (t *termSink) Stream(name, text string) {
	s := t.s
	s.mu.Lock()
	defer s.mu.Unlock()
	w := s.out
	if name == "stderr" {
		w = s.errw
	}
	if !s.cfg.Color {
		text = stripANSI(text)
	}
	if name == "stderr" && s.cfg.Interactive {
		// On a terminal both streams share the screen: stderr starts
		// on a line of its own, not after an unfinished line of stdout.
		t.endLine()
	}
	io.WriteString(w, text)
	partial := t.partial
	t.wrote()
	if name == "stdout" {
		if i := strings.LastIndexByte(text, '\n'); i >= 0 {
			t.partial = text[i+1:]
		} else {
			t.partial = partial + text
		}
	}
}

// Display implements engine.Sink.
func (t *termSink) Display(b display.Bundle, id string, update bool) {
	s := t.s
	s.mu.Lock()
	defer s.mu.Unlock()
	t.endLine()
	text := renderBundle(b, s.cfg.Color, s.width())
	if update && s.cfg.Interactive && id != "" && id == t.lastID && t.lastLines > 0 {
		// Move up over the previous drawing and clear to the end.
		fmt.Fprintf(s.out, "\x1b[%dA\r\x1b[J", t.lastLines)
	}
	io.WriteString(s.out, text)
	t.wrote()
	t.lastID, t.lastLines = id, strings.Count(text, "\n")
}

// ClearOutput implements engine.Sink. A terminal keeps what it printed;
// only a display drawn last is cleared.
func (t *termSink) ClearOutput(wait bool) {
	s := t.s
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cfg.Interactive && t.lastLines > 0 {
		fmt.Fprintf(s.out, "\x1b[%dA\r\x1b[J", t.lastLines)
		t.wrote()
	}
}

// Input implements engine.Sink: it reads a line at the terminal. In piped
// mode the cell sees end of input.
func (t *termSink) Input(prompt string, password bool) (string, error) {
	s := t.s
	if !s.cfg.Interactive || s.rl == nil {
		return "", io.EOF
	}
	s.mu.Lock()
	// The cell's own prompt was printed without a newline: hand it to the
	// line editor, which redraws its prompt from the start of the line.
	p := t.partial + prompt
	t.wrote()
	s.mu.Unlock()
	var line string
	var err error
	if password {
		var b []byte
		b, err = s.rl.ReadPassword(p)
		line = string(b)
	} else {
		old := s.rl.Config.Prompt
		s.rl.SetPrompt(p)
		line, err = s.readline(s.rl.Readline)
		s.rl.SetPrompt(old)
	}
	if err == readline.ErrInterrupt {
		s.interrupt()
	}
	if err != nil {
		return "", fmt.Errorf("repl: reading input: %w", err)
	}
	return line, nil
}
