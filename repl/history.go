package repl

import (
	"fmt"
	"go/scanner"
	"go/token"
	"os"
	"path/filepath"
	"strings"
)

// DefaultHistoryFile is where the REPL keeps its history:
// $XDG_STATE_HOME/lanes/history, or ~/.local/state/lanes/history.
func DefaultHistoryFile() (string, error) {
	dir := os.Getenv("XDG_STATE_HOME")
	if dir == "" || !filepath.IsAbs(dir) {
		home, err := os.UserHomeDir()
		if err != nil {
			return "", fmt.Errorf("repl: locating the history file: %w", err)
		}
		dir = filepath.Join(home, ".local", "state")
	}
	return filepath.Join(dir, "lanes", "history"), nil
}

// historyEntries turns a cell into history entries. The line editor's
// history holds single lines, so a multi-line cell becomes one line with
// semicolons where Go would insert them ("func f() int { return 1 }"),
// which can be recalled, edited and run as a whole. Cells that cannot be
// joined safely (line comments, multi-line raw strings) are kept line by
// line.
func historyEntries(code string) []string {
	code = strings.TrimRight(code, "\n")
	if strings.TrimSpace(code) == "" {
		return nil
	}
	if !strings.Contains(code, "\n") {
		return []string{code}
	}
	if j, ok := joinCell(code); ok {
		return []string{j}
	}
	var out []string
	for _, l := range strings.Split(code, "\n") {
		if strings.TrimSpace(l) != "" {
			out = append(out, l)
		}
	}
	return out
}

// joinCell writes a multi-line cell on one line.
func joinCell(code string) (string, bool) {
	if strings.HasPrefix(strings.TrimSpace(code), "%") {
		return "", false // magics are line-oriented
	}
	src := []byte(code)
	fset := token.NewFileSet()
	file := fset.AddFile("", fset.Base(), len(src))
	var s scanner.Scanner
	bad := false
	s.Init(file, src, func(token.Position, string) { bad = true }, scanner.ScanComments)
	semi := map[int]bool{} // offsets of newlines that end a statement
	for {
		pos, tok, lit := s.Scan()
		if tok == token.EOF {
			break
		}
		off := file.Offset(pos)
		switch {
		case tok == token.COMMENT:
			if strings.HasPrefix(lit, "//") || strings.Contains(lit, "\n") {
				return "", false
			}
		case tok == token.SEMICOLON && lit == "\n":
			semi[off] = true
		case strings.Contains(lit, "\n"):
			return "", false // a raw string over several lines
		}
	}
	if bad {
		return "", false
	}
	var b strings.Builder
	needSemi := false
	off := 0
	for _, l := range strings.SplitAfter(code, "\n") {
		end := off + len(l) - 1 // the newline ending l, if any
		off += len(l)
		t := strings.TrimSpace(l)
		if t == "" {
			continue
		}
		if b.Len() > 0 {
			if needSemi && !strings.HasPrefix(t, "}") && !strings.HasPrefix(t, ")") {
				b.WriteString("; ")
			} else {
				b.WriteString(" ")
			}
		}
		b.WriteString(t)
		needSemi = semi[end]
	}
	return b.String(), true
}
