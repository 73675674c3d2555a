package repl

import (
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/chzyer/readline"
)

// interactive runs the REPL at a terminal.
func (s *session) interactive() error {
	if s.cfg.HistoryFile != "" {
		if err := os.MkdirAll(filepath.Dir(s.cfg.HistoryFile), 0o700); err != nil {
			s.errorf("lanes: history is off: %v\n", err)
			s.cfg.HistoryFile = ""
		}
	}
	rlc := &readline.Config{
		Prompt:                 s.prompt(),
		HistoryFile:            s.cfg.HistoryFile,
		HistoryLimit:           5000,
		DisableAutoSaveHistory: true,
		HistorySearchFold:      true,
		AutoComplete:           completer{s},
		InterruptPrompt:        "^C",
		EOFPrompt:              "",
	}
	if f, ok := s.cfg.Stdout.(*os.File); ok {
		rlc.Stdout = f
	}
	if f, ok := s.cfg.Stderr.(*os.File); ok {
		rlc.Stderr = f
	}
	rlc.SetListener(dedent)
	rl, err := readline.NewEx(rlc)
	if err != nil {
		return fmt.Errorf("repl: starting the line editor: %w", err)
	}
	defer rl.Close()
	s.sigc = make(chan os.Signal, 1)
	signal.Notify(s.sigc, os.Interrupt)
	defer signal.Stop(s.sigc)

	s.mu.Lock()
	s.rl = rl
	s.out = &promptWriter{s: s, direct: s.cfg.Stdout, redraw: rl.Stdout()}
	s.errw = &promptWriter{s: s, direct: s.cfg.Stderr, redraw: rl.Stderr()}
	s.mu.Unlock()

	s.printf("%s\n", s.st.paint(s.st.dim, "Lanes — Go cells for seeing concurrency. :help for help, Ctrl-D to quit."))
	var buf []string
	indent := ""
	hinted := false
	for !s.quit {
		if len(buf) == 0 {
			rl.SetPrompt(s.prompt())
		} else {
			rl.SetPrompt(s.contPrompt())
		}
		s.setPending(buf)
		line, err := s.readline(func() (string, error) { return rl.ReadlineWithDefault(indent) })
		switch {
		case errors.Is(err, readline.ErrInterrupt):
			if len(buf) == 0 && strings.TrimSpace(line) == "" && !hinted {
				s.printf("%s\n", s.st.paint(s.st.dim, "(Ctrl-D on an empty line or :quit exits)"))
				hinted = true
			}
			buf, indent = nil, ""
			continue
		case errors.Is(err, io.EOF):
			if len(buf) > 0 { // abandon the unfinished cell
				buf, indent = nil, ""
				continue
			}
			return nil
		case err != nil:
			return fmt.Errorf("repl: reading a line: %w", err)
		}
		if len(buf) == 0 {
			if strings.TrimSpace(line) == "" {
				continue
			}
			if isCommand(line) {
				s.saveHistory(line)
				s.command(line)
				continue
			}
		}
		buf = append(buf, line)
		code := strings.Join(buf, "\n")
		if st, ind := s.eng.IsComplete(code); st == "incomplete" {
			indent = ind
			continue
		}
		buf, indent = nil, ""
		s.saveHistory(code)
		s.runCell(code, origin{})
	}
	return nil
}

// readline runs read with the prompt on screen: output written meanwhile
// (by goroutines of earlier cells) is printed above the prompt, which is
// then redrawn.
func (s *session) readline(read func() (string, error)) (string, error) {
	s.atPrompt.Store(true)
	defer s.atPrompt.Store(false)
	return read()
}

// promptWriter writes straight to the terminal, or through the line
// editor while a prompt is on screen. (The editor's own writer decides by
// whether it is reading keys, which lags behind the end of a Readline
// call, so output right after a cell could be redrawn out of order.)
type promptWriter struct {
	s      *session
	direct io.Writer
	redraw io.Writer
}

func (w *promptWriter) Write(p []byte) (int, error) {
	if w.s.atPrompt.Load() {
		return w.redraw.Write(p)
	}
	return w.direct.Write(p)
}

// prompt is the prompt of a new cell.
func (s *session) prompt() string {
	return s.st.paint(s.st.prompt, fmt.Sprintf("In [%d]: ", s.n+1))
}

// contPrompt is the prompt of a continuation line, aligned with prompt.
func (s *session) contPrompt() string {
	w := utf8.RuneCountInString(fmt.Sprintf("In [%d]: ", s.n+1))
	return s.st.paint(s.st.prompt, fmt.Sprintf("%*s", w, "...: "))
}

func (s *session) setPending(lines []string) {
	s.mu.Lock()
	s.pending = append([]string(nil), lines...)
	s.mu.Unlock()
}

func (s *session) saveHistory(code string) {
	if s.rl == nil || s.cfg.HistoryFile == "" {
		return
	}
	for _, e := range historyEntries(code) {
		s.rl.SaveHistory(e)
	}
}

// dedent removes one level of indentation when a closing bracket is typed
// on a line that holds only indentation.
func dedent(line []rune, pos int, key rune) ([]rune, int, bool) {
	if (key != '}' && key != ')' && key != ']') || pos < 1 || pos > len(line) || line[pos-1] != key {
		return nil, 0, false
	}
	lead := line[:pos-1]
	if len(lead) == 0 || strings.TrimSpace(string(lead)) != "" {
		return nil, 0, false
	}
	cut := 1
	if lead[len(lead)-1] == ' ' {
		cut = 0
		for cut < 4 && cut < len(lead) && lead[len(lead)-1-cut] == ' ' {
			cut++
		}
	}
	nl := append(append([]rune{}, line[:pos-1-cut]...), line[pos-1:]...)
	return nl, pos - cut, true
}

// completer asks the engine for completions of the cell being typed.
type completer struct{ s *session }

// Do implements readline.AutoCompleter.
func (c completer) Do(line []rune, pos int) ([][]rune, int) {
	before := string(line[:pos])
	if strings.TrimSpace(before) == "" {
		return [][]rune{[]rune("    ")}, 0 // Tab on a blank line indents
	}
	c.s.mu.Lock()
	pending := c.s.pending
	c.s.mu.Unlock()
	if len(pending) == 0 && isCommand(before) {
		return c.s.completeCommand(before)
	}
	prefix := ""
	if len(pending) > 0 {
		prefix = strings.Join(pending, "\n") + "\n"
	}
	base := utf8.RuneCountInString(prefix)
	matches, start, _ := c.s.eng.Complete(prefix+string(line), base+pos)
	if start < base || start > base+pos {
		return nil, 0
	}
	word := string(line[start-base : pos])
	return suffixes(matches, word), utf8.RuneCountInString(word)
}

// suffixes returns what each candidate adds to word.
func suffixes(cands []string, word string) [][]rune {
	var out [][]rune
	for _, m := range cands {
		if strings.HasPrefix(m, word) {
			out = append(out, []rune(m[len(word):]))
		}
	}
	return out
}

// completeCommand completes a ":" command and lesson names.
func (s *session) completeCommand(before string) ([][]rune, int) {
	t := strings.TrimLeft(before, " ")
	if name, arg, ok := strings.Cut(t, " "); ok {
		if name == ":lesson" && s.cfg.Lessons != nil {
			arg = strings.TrimLeft(arg, " ")
			return suffixes(s.cfg.Lessons.Names(), arg), utf8.RuneCountInString(arg)
		}
		return nil, 0
	}
	names := make([]string, 0, len(commands))
	for _, c := range commands {
		names = append(names, c.name+" ")
	}
	sort.Strings(names)
	return suffixes(names, t), utf8.RuneCountInString(t)
}
