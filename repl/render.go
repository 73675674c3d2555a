package repl

import (
	"fmt"
	"io"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/lanes-dev/lanes/display"
	"github.com/lanes-dev/lanes/engine"
)

// style holds the escape sequences of one colour scheme; the zero value
// is plain text.
type style struct {
	prompt, out, err, loc, src, dim, notice, bold, reset string
}

// colorStyle is the scheme used on a colour terminal.
var colorStyle = style{
	prompt: "\x1b[32m",   // green
	out:    "\x1b[31m",   // red, as IPython's Out
	err:    "\x1b[1;31m", // bold red
	loc:    "\x1b[1;33m", // bold yellow
	src:    "\x1b[36m",   // cyan
	dim:    "\x1b[2m",
	notice: "\x1b[33m", // yellow
	bold:   "\x1b[1m",
	reset:  "\x1b[0m",
}

func (s style) paint(code, text string) string {
	if code == "" || text == "" {
		return text
	}
	return code + text + s.reset
}

// ansiRE matches the escape sequences (CSI and OSC) that views may use to
// colour their text/plain form.
var ansiRE = regexp.MustCompile(`\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)`)

// stripANSI removes escape sequences.
func stripANSI(s string) string {
	if !strings.Contains(s, "\x1b") {
		return s
	}
	return ansiRE.ReplaceAllString(s, "")
}

// visibleWidth is the number of terminal columns of s, ignoring escape
// sequences (every rune counts as one column).
func visibleWidth(s string) int {
	return utf8.RuneCountInString(stripANSI(s))
}

// fitLine cuts s to width visible columns, ending it with "…" when cut.
// Escape sequences are kept, and a reset is added after a cut so that a
// colour does not leak into the next line.
func fitLine(s string, width int) string {
	if width <= 0 || visibleWidth(s) <= width {
		return s
	}
	var b strings.Builder
	cols := 0
	escaped := false
	for i := 0; i < len(s); {
		if loc := ansiRE.FindStringIndex(s[i:]); loc != nil && loc[0] == 0 {
			b.WriteString(s[i : i+loc[1]])
			i += loc[1]
			escaped = true
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if cols == width-1 {
			b.WriteRune('…')
			break
		}
		b.WriteRune(r)
		cols++
		i += n
	}
	if escaped {
		b.WriteString("\x1b[0m")
	}
	return b.String()
}

// plainText returns the text/plain form of a bundle as a string.
func plainText(b display.Bundle) string {
	switch v := b.Data["text/plain"].(type) {
	case nil:
		for _, k := range []string{"text/markdown", "text/html", "image/svg+xml", "image/png"} {
			if _, ok := b.Data[k]; ok {
				return "<" + k + " output: open a notebook to see it>"
			}
		}
		return ""
	case string:
		return v
	case []string:
		return strings.Join(v, "")
	case []any:
		var sb strings.Builder
		for _, x := range v {
			fmt.Fprint(&sb, x)
		}
		return sb.String()
	default:
		return fmt.Sprint(v)
	}
}

// renderBundle turns a display bundle into terminal text: its text/plain
// form, without colour unless color is set, each line fitted to width
// (0: no limit). The result ends with a newline unless it is empty.
func renderBundle(b display.Bundle, color bool, width int) string {
	text := plainText(b)
	if !color {
		text = stripANSI(text)
	}
	text = strings.TrimRight(text, "\n")
	if text == "" {
		return ""
	}
	lines := strings.Split(text, "\n")
	for i, l := range lines {
		lines[i] = fitLine(strings.TrimRight(l, "\r"), width)
	}
	return strings.Join(lines, "\n") + "\n"
}

// cellLocRE finds the positions that tracebacks name, to colour them.
// (Only the colour: where the error is comes from Error.Cell and
// Error.Line.)
var cellLocRE = regexp.MustCompile(`cell \d+, line \d+`)

// origin tells where a cell's source came from, to point at the failing
// line.
type origin struct {
	code string
	// file and line place the cell in a file (piped input, :load); an
	// empty file means the prompt.
	file string
	line int
}

// formatError writes a failed cell: the traceback with its first line and
// the positions it names highlighted, then the failing source line, then
// (after a restart) one line saying what the restart did.
func formatError(w io.Writer, s style, e *engine.Error, rs *engine.Restart, cells map[int]origin) {
	tb := e.Traceback
	if len(tb) == 0 {
		tb = []string{e.Name + ": " + e.Message}
	}
	var lines []string
	for _, t := range tb {
		lines = append(lines, strings.Split(t, "\n")...)
	}
	// A restart the cell's failure caused ends the report; one the cell
	// asked for, or that came before it (RestartDied), is told elsewhere.
	if rs != nil && (rs.Reason.Requested() || rs.Reason == engine.RestartDied) {
		rs = nil
	}
	if rs != nil {
		lines = append(lines, unfolded(rs)...)
	}
	for len(lines) > 0 && strings.TrimSpace(lines[len(lines)-1]) == "" {
		lines = lines[:len(lines)-1]
	}
	for i, l := range lines {
		l = cellLocRE.ReplaceAllStringFunc(l, func(m string) string { return s.paint(s.loc, m) })
		if i == 0 {
			l = s.paint(s.err, l)
		}
		fmt.Fprintln(w, l)
	}
	if o, ok := cells[e.Cell]; ok && e.Line > 0 {
		if src, ok := sourceLine(o.code, e.Line); ok {
			where := fmt.Sprintf("line %d", e.Line)
			if o.file != "" {
				where = fmt.Sprintf("%s:%d", o.file, o.line+e.Line-1)
			}
			fmt.Fprintf(w, "  %s %s %s\n", s.paint(s.dim, where), s.paint(s.dim, "│"), s.paint(s.src, strings.TrimRight(src, " \t")))
		}
	}
	if rs != nil {
		fmt.Fprintln(w, s.paint(s.notice, restartNotice(rs)))
	}
}

// unfolded returns what a restart did that the one-line notice does not
// say: a failure to start the fresh worker, definitions that could not
// be replayed.
func unfolded(rs *engine.Restart) []string {
	if rs.Failed != "" {
		return rs.Lines()
	}
	var lines []string
	if len(rs.LostDecls) > 0 {
		lines = append(lines, "These definitions could not be replayed:")
		for _, l := range rs.LostDecls {
			lines = append(lines, "  "+l)
		}
	}
	return lines
}

// restartNotice is the REPL's one line about a restart.
func restartNotice(rs *engine.Restart) string {
	msg := "↻ the worker was restarted"
	if rs.Replayed {
		msg += "; earlier definitions were replayed"
	}
	if len(rs.LostVars) > 0 {
		msg += "; lost: " + strings.Join(rs.LostVars, ", ")
	}
	return msg
}

// sourceLine returns line ln (from 1) of code.
func sourceLine(code string, ln int) (string, bool) {
	lines := strings.Split(code, "\n")
	if ln < 1 || ln > len(lines) {
		return "", false
	}
	return lines[ln-1], true
}
