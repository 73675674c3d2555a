package grade

import (
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"

	"github.com/lanes-dev/lanes/notebook"
)

// Cell statuses in grades.
const (
	Passed  = "passed"  // full points
	Partial = "partial" // a numeric result below the maximum
	Failed  = "failed"  // an error or standard error output
	Timeout = "timeout" // the cell ran out of time
	NotRun  = "not run" // the run ended before the cell
	Manual  = "manual"  // graded by hand (nbgrader's manually graded cells)
)

// CellGrade is the grade of one graded cell.
type CellGrade struct {
	// GradeID is the cell's nbgrader grade_id.
	GradeID string `json:"grade_id"`
	// Points and Max are the points earned and possible.
	Points float64 `json:"points"`
	Max    float64 `json:"max"`
	// Status is one of Passed, Partial, Failed, Timeout, NotRun, Manual.
	Status string `json:"status"`
	// Reason says why points were lost ("" for full points).
	Reason string `json:"reason,omitempty"`
	// Index is the cell's position in the graded notebook (0-based).
	Index int `json:"-"`
}

// ansi matches terminal colour codes in tracebacks.
var ansi = regexp.MustCompile("\x1b\\[[0-9;]*[A-Za-z]")

// scoreCell grades one cell of an executed notebook by nbgrader's rules
// (utils.determine_grade): a test cell earns its points unless an output
// is an error or text on standard error, which score 0; the first
// execute_result whose text/plain is a number between 0 and the maximum
// gives that partial credit; any other result, or none, gives full
// points. nbgrader gives full points for a negative number too and fails
// the whole notebook for one above the maximum; here both score 0 with the
// reason, so one cell cannot stop a batch. Manually graded cells and task
// cells score 0 with status Manual. A test cell the run never reached
// (no execution count) scores 0.
func scoreCell(c *notebook.Cell, index int, m notebook.Nbgrader, kind string, notRun string) CellGrade {
	g := CellGrade{GradeID: m.GradeID, Max: m.Points, Index: index}
	if kind == KindManual || kind == KindTask {
		g.Status, g.Reason = Manual, "graded by hand"
		return g
	}
	if c.Type != notebook.Code {
		g.Status, g.Reason = Failed, "not a code cell"
		return g
	}
	if c.ExecutionCount == nil {
		g.Status, g.Reason = NotRun, notRun
		return g
	}
	for _, o := range c.Outputs {
		switch {
		case o.Type == notebook.Error:
			g.Status, g.Reason = Failed, errorReason(o)
			if o.EName == "CellTimeoutError" {
				g.Status = Timeout
			}
			return g
		case o.Type == notebook.Stream && o.Name == "stderr":
			g.Status, g.Reason = Failed, "wrote to standard error: "+clip(firstLine(o.Text), 200)
			return g
		}
	}
	for _, o := range c.Outputs {
		if o.Type != notebook.ExecuteResult {
			continue
		}
		text := strings.TrimSpace(o.DataText("text/plain"))
		f, err := strconv.ParseFloat(text, 64)
		if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
			break
		}
		switch {
		case f < 0:
			g.Status, g.Reason = Failed, fmt.Sprintf("partial credit %s is negative", text)
		case f > m.Points:
			g.Status, g.Reason = Failed, fmt.Sprintf("partial credit %s is more than the cell's %s points", text, pyFloat(m.Points))
		case f < m.Points:
			g.Points, g.Status, g.Reason = f, Partial, fmt.Sprintf("partial credit: %s of %s", text, pyFloat(m.Points))
		default:
			g.Points, g.Status = f, Passed
		}
		return g
	}
	g.Points, g.Status = m.Points, Passed
	return g
}

// errorReason is the message of an error output: its name and value, or
// the first lines of its traceback.
func errorReason(o *notebook.Output) string {
	msg := strings.TrimSpace(ansi.ReplaceAllString(o.EValue, ""))
	name := strings.TrimSpace(o.EName)
	if msg == "" && len(o.Traceback) > 0 {
		msg = ansi.ReplaceAllString(o.Traceback[0], "")
	}
	msg = strings.TrimPrefix(msg, name+": ") // "fatal error: fatal error: …"
	if name != "" {
		msg = name + ": " + msg
	}
	return clip(msg, 500)
}

func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	cut := n
	for cut > 0 && !isRuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}

func isRuneStart(b byte) bool { return b&0xC0 != 0x80 }
