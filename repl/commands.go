package repl

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/chzyer/readline"

	"github.com/lanes-dev/lanes/engine"
)

// command is one of the REPL's ":" commands.
type command struct {
	name, args, help string
	run              func(s *session, arg string)
}

var commands []command

func init() {
	commands = []command{
		{":help", "", "this text", (*session).help},
		{":reset", "", "start a fresh worker: every definition is forgotten", (*session).reset},
		{":load", "FILE.go", "run a Go file as one cell; its func main runs, as main_", (*session).load},
		{":compile", "[FLAGS] FILE.go", "build a Go file (a program, or statements with the session's declarations) with the Go toolchain and run it; FLAGS are go build flags such as -race", (*session).compile},
		{":lesson", "[NAME]", "walk a lesson's cells; without NAME, list the lessons", (*session).lesson},
		{":quit", "", "leave (Ctrl-D on an empty line too)", func(s *session, _ string) { s.quit = true }},
	}
}

// command runs a ":" line.
func (s *session) command(line string) {
	name, arg, _ := strings.Cut(strings.TrimSpace(line), " ")
	arg = strings.TrimSpace(arg)
	switch name {
	case ":q", ":exit":
		name = ":quit"
	case ":h", ":?":
		name = ":help"
	}
	for _, c := range commands {
		if c.name == name {
			c.run(s, arg)
			return
		}
	}
	s.errorf("unknown command %s (:help lists them)\n", name)
	s.failed = true
}

func (s *session) help(string) {
	var b strings.Builder
	b.WriteString("Type Go: declarations, statements and expressions. A cell runs when it is\n")
	b.WriteString("complete; the value of a final expression is shown.\n\n")
	b.WriteString("Keys: Tab completes, Ctrl-R searches history, Ctrl-C interrupts a running\n")
	b.WriteString("cell or clears the line, Ctrl-D on an empty line exits.\n\n")
	b.WriteString("Commands:\n")
	for _, c := range commands {
		fmt.Fprintf(&b, "  %-18s %s\n", strings.TrimSpace(c.name+" "+c.args), c.help)
	}
	b.WriteString("\n")
	s.printf("%s", b.String())
	// The magics are the engine's; let it describe them.
	s.eng.Execute(context.Background(), engine.Cell{Code: "%help"}, s.sink)
}

func (s *session) reset(string) {
	if err := s.eng.Restart(); err != nil {
		s.errorf("%s\n", s.st.paint(s.st.err, "reset: "+err.Error()))
		s.failed = true
		return
	}
	s.printf("%s\n", s.st.paint(s.st.notice, "A fresh worker was started: every definition is forgotten."))
}

// compile runs a Go file as a %%compile cell. The magic takes the line
// before the file's first, so the cell's line n is the file's line n-1.
func (s *session) compile(arg string) {
	fields := strings.Fields(arg)
	if len(fields) == 0 {
		s.errorf("usage: :compile [FLAGS] FILE.go\n")
		s.failed = true
		return
	}
	file := fields[len(fields)-1]
	data, err := os.ReadFile(expandHome(file))
	if err != nil {
		s.errorf("%s\n", s.st.paint(s.st.err, fmt.Sprintf(":compile: %v", err)))
		s.failed = true
		return
	}
	magic := strings.TrimSpace("%%compile " + strings.Join(fields[:len(fields)-1], " "))
	s.runCell(magic+"\n"+string(data), origin{file: file, line: 0})
}

// expandHome expands a leading ~/ to the home directory.
func expandHome(path string) string {
	if strings.HasPrefix(path, "~/") {
		if home, err := os.UserHomeDir(); err == nil {
			return filepath.Join(home, path[2:])
		}
	}
	return path
}

// packageRE finds a file's package clause.
var packageRE = regexp.MustCompile(`(?m)^[ \t]*package[ \t]+[\p{L}_][\p{L}\p{N}_]*[ \t]*;?`)

// mainRE finds a func main declaration.
var mainRE = regexp.MustCompile(`(?m)^func[ \t]+main[ \t]*\(\)`)

// loadedMain is what :load renames a file's func main to.
const loadedMain = "main_"

func (s *session) load(arg string) {
	if arg == "" {
		s.errorf("usage: :load FILE.go\n")
		s.failed = true
		return
	}
	data, err := os.ReadFile(expandHome(arg))
	if err != nil {
		s.errorf("%s\n", s.st.paint(s.st.err, fmt.Sprintf(":load: %v", err)))
		s.failed = true
		return
	}
	code := string(data)
	if loc := packageRE.FindStringIndex(code); loc != nil {
		// Blank it out so that line numbers still match the file.
		code = code[:loc[0]] + strings.Repeat(" ", loc[1]-loc[0]) + code[loc[1]:]
	}
	if loc := mainRE.FindStringIndex(code); loc != nil {
		// The interpreter runs a func main after every later cell too;
		// under another name it runs once, here, and can be called again.
		code = code[:loc[0]] + "func " + loadedMain + "()" + code[loc[1]:] + "\n" + loadedMain + "()\n"
	}
	s.runCell(code, origin{file: arg, line: 1})
}

func (s *session) lesson(name string) {
	if s.cfg.Lessons == nil {
		s.errorf("no lessons are installed\n")
		return
	}
	if name == "" {
		names := s.cfg.Lessons.Names()
		if len(names) == 0 {
			s.printf("no lessons are installed\n")
			return
		}
		s.printf("Lessons (:lesson NAME):\n  %s\n", strings.Join(names, "\n  "))
		return
	}
	l, err := s.cfg.Lessons.Lesson(name)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			s.errorf("no lesson %q; :lesson lists them\n", name)
		} else {
			s.errorf("%v\n", err)
		}
		s.failed = true
		return
	}
	code := 0
	for _, c := range l.Cells {
		if c.Code {
			code++
		}
	}
	s.printf("%s\n\n", s.st.paint(s.st.bold, fmt.Sprintf("── lesson %s: %d code cells ──", l.Name, code)))
	if s.cfg.Interactive {
		s.printf("%s\n\n", s.st.paint(s.st.dim, "Each code cell is shown first: Enter runs it, s skips it, q leaves the lesson."))
	}
	for _, c := range l.Cells {
		if !c.Code {
			s.printf("%s\n", renderMarkdown(c.Source, s.st))
			continue
		}
		src := strings.TrimRight(c.Source, "\n")
		if strings.TrimSpace(src) == "" {
			continue
		}
		s.showCode(src)
		if s.cfg.Interactive {
			switch s.askLesson() {
			case "skip":
				s.printf("%s\n\n", s.st.paint(s.st.dim, "(skipped)"))
				continue
			case "quit":
				s.printf("%s\n", s.st.paint(s.st.dim, "(left the lesson)"))
				return
			}
			s.saveHistory(src)
		}
		s.runCell(src, origin{file: "lesson " + l.Name})
		if s.quit {
			return
		}
	}
	s.printf("%s\n", s.st.paint(s.st.bold, fmt.Sprintf("── end of lesson %s ──", l.Name)))
}

// showCode prints a lesson's code cell under the prompt it will run with.
func (s *session) showCode(src string) {
	var b strings.Builder
	for i, l := range strings.Split(src, "\n") {
		p := s.prompt()
		if i > 0 {
			p = s.contPrompt()
		}
		b.WriteString(p + l + "\n")
	}
	s.printf("%s", b.String())
}

// askLesson asks what to do with the code cell shown: "run", "skip" or
// "quit".
func (s *session) askLesson() string {
	old := s.rl.Config.Prompt
	defer s.rl.SetPrompt(old)
	s.rl.SetPrompt(s.st.paint(s.st.dim, "⏎ run · s skip · q quit › "))
	for {
		ans, err := s.readline(s.rl.Readline)
		if err == readline.ErrInterrupt || err != nil {
			return "quit"
		}
		switch strings.ToLower(strings.TrimSpace(ans)) {
		case "":
			return "run"
		case "s", "skip", "n":
			return "skip"
		case "q", "quit", ":q", ":quit":
			return "quit"
		}
	}
}
