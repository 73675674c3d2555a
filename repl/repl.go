// Package repl is the terminal front end of Lanes: a prompt over the
// engine.
package repl

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/lanes-dev/lanes/display"
	"github.com/lanes-dev/lanes/engine"
)

// Config wires the REPL to its streams.
type Config struct {
	Stdin          io.Reader
	Stdout, Stderr io.Writer
}

// Run reads inputs until end of input. It reports whether any cell failed.
func Run(cfg Config) (failed bool, err error) {
	eng, err := engine.New(engine.Options{Log: io.Discard})
	if err != nil {
		return false, err
	}
	defer eng.Close()
	sc := bufio.NewScanner(cfg.Stdin)
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	var buf strings.Builder
	out := &textSink{cfg.Stdout, cfg.Stderr}
	runCell := func() {
		code := buf.String()
		buf.Reset()
		if strings.TrimSpace(code) == "" {
			return
		}
		res := eng.Execute(context.Background(), engine.Cell{Code: code}, out)
		if res.Err != nil {
			failed = true
			fmt.Fprintln(cfg.Stderr, strings.Join(res.Err.Traceback, "\n"))
		} else if res.Value != nil {
			fmt.Fprintln(cfg.Stdout, res.Value.Data["text/plain"])
		}
	}
	for sc.Scan() {
		buf.WriteString(sc.Text())
		buf.WriteByte('\n')
		if st, _ := eng.IsComplete(buf.String()); st != "incomplete" {
			runCell()
		}
	}
	runCell()
	return failed, sc.Err()
}

type textSink struct{ out, err io.Writer }

func (s *textSink) Stream(name, text string) {
	if name == "stderr" {
		io.WriteString(s.err, text)
		return
	}
	io.WriteString(s.out, text)
}
func (s *textSink) Display(b display.Bundle, id string, update bool) {
	fmt.Fprintln(s.out, b.Data["text/plain"])
}
func (s *textSink) ClearOutput(bool)                   {}
func (s *textSink) Input(string, bool) (string, error) { return "", io.EOF }
