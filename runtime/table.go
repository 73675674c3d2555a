package lanes

import (
	"fmt"
	"strings"
)

// Table compares runs of the same work: for each, the wall time, the CPU
// time, the speedup over the first run (the baseline: T1 / T), the
// efficiency (speedup ÷ p, p the processors the run could use, Run.Cores),
// the peak concurrency (tasks in progress at once) and the peak parallelism
// (tasks computing at once). Under the table, notes say how real runs were
// measured and which ran interpreted code; a real run that could not be
// measured shows no CPU time or parallelism ("—"), since what its tasks
// declared is no measurement of them. It shows itself as HTML,
// Markdown and text.
type Table struct {
	Runs []*Run
	// Columns is the width the text form tries to fit (default 80): when
	// the full headings do not fit, shorter ones are used.
	Columns int
}

// Table returns a one-row table for the run.
func (r *Run) Table() *Table { return &Table{Runs: []*Run{r}} }

// NewTable returns a table of the runs; the first is the baseline.
func NewTable(runs ...*Run) *Table { return &Table{Runs: runs} }

var (
	tableHead      = []string{"strategy", "wall", "CPU", "speedup", "efficiency", "peak concurrency", "peak parallelism"}
	tableHeadShort = []string{"strategy", "wall", "CPU", "speedup", "eff.", "conc.", "par."}
)

// rows returns the cells of the table, already formatted.
func (t *Table) rows() [][]string {
	var out [][]string
	var base *Run
	if len(t.Runs) > 0 {
		base = t.Runs[0]
	}
	for _, r := range t.Runs {
		cpu, par := formatDur(r.CPU(), r.Virtual), itoa(r.PeakParallelism())
		if r.unmeasured() { // what the tasks declared is no measurement of the CPU
			cpu, par = "—", "—"
		}
		out = append(out, []string{
			r.Name,
			formatDur(r.Wall, r.Virtual),
			cpu,
			formatNum(r.Speedup(base), 2) + "×",
			fmt.Sprintf("%.0f%%", 100*r.Efficiency(base)),
			itoa(r.PeakConcurrency),
			par,
		})
	}
	return out
}

// notes are the lines under the table: how its real runs were measured,
// and what their numbers cannot be taken for.
func (t *Table) notes() []string {
	var out []string
	var measured, interpreted []string
	procs := 0
	for _, r := range t.Runs {
		if r.Measured {
			measured = append(measured, r.Name)
			procs = max(procs, r.Procs)
		}
		if r.Interpreted {
			interpreted = append(interpreted, r.Name)
		}
	}
	if len(measured) > 0 {
		out = append(out, fmt.Sprintf("Measured from the Go scheduler's trace: CPU is the time the tasks' goroutines ran on one of %d Ps (GOMAXPROCS).", procs))
	}
	if len(interpreted) > 0 {
		out = append(out, "Interpreted: the tasks of "+strings.Join(interpreted, ", ")+" ran cell code in the interpreter, which computes some 100× more slowly than compiled Go and allocates; its garbage collection shares the cores, so these times say as much about the interpreter as about the strategy.")
	}
	var busy []string
	for _, r := range t.Runs {
		if r.busy() {
			busy = append(busy, r.Name)
		}
	}
	if len(busy) > 0 {
		out = append(out, "Busy machine: during "+strings.Join(busy, ", ")+" other programs had the cores for part of the time Go counted as running, so those runs are slower than this machine is.")
	}
	for _, r := range t.Runs {
		if r.Note != "" {
			out = append(out, r.Name+": "+r.Note+".")
		}
	}
	return out
}

// Text renders the table with aligned columns.
func (t *Table) Text() string {
	cols := t.Columns
	if cols <= 0 {
		cols = defaultColumns
	}
	body := t.rows()
	var rows [][]string
	var w []int
	for _, head := range [][]string{tableHead, tableHeadShort} {
		rows = append([][]string{head}, body...)
		w = make([]int, len(head))
		total := 2 * (len(head) - 1)
		for _, row := range rows {
			for i, c := range row {
				w[i] = max(w[i], len([]rune(c)))
			}
		}
		for _, x := range w {
			total += x
		}
		if total <= cols {
			break
		}
	}
	var b strings.Builder
	for n, row := range rows {
		for i, c := range row {
			if i > 0 {
				b.WriteString("  ")
			}
			if i == 0 {
				b.WriteString(padRight(c, w[i]))
			} else {
				b.WriteString(strings.Repeat(" ", w[i]-len([]rune(c))) + c)
			}
		}
		b.WriteString("\n")
		if n == 0 {
			total := len(w)*2 - 2
			for _, x := range w {
				total += x
			}
			b.WriteString(strings.Repeat("─", total) + "\n")
		}
	}
	if rows[0][4] == "eff." {
		b.WriteString(truncate("eff. = efficiency, conc. = peak concurrency, par. = peak parallelism", cols) + "\n")
	}
	for _, n := range t.notes() {
		b.WriteString(wrap(n, cols))
	}
	return b.String()
}

// wrap breaks s into lines of at most width runes at spaces; each line
// ends with a newline.
func wrap(s string, width int) string {
	var b strings.Builder
	line := 0
	for i, w := range strings.Fields(s) {
		n := len([]rune(w))
		if i > 0 && line+1+n > width {
			b.WriteString("\n")
			line = 0
		} else if i > 0 {
			b.WriteString(" ")
			line++
		}
		b.WriteString(w)
		line += n
	}
	b.WriteString("\n")
	return b.String()
}

// String is the text form of the table.
func (t *Table) String() string { return t.Text() }

// Markdown renders the table as a Markdown (GitHub) table.
func (t *Table) Markdown() string {
	var b strings.Builder
	b.WriteString("| " + strings.Join(tableHead, " | ") + " |\n|")
	for i := range tableHead {
		if i == 0 {
			b.WriteString(" --- |")
		} else {
			b.WriteString(" ---: |")
		}
	}
	b.WriteString("\n")
	for _, row := range t.rows() {
		for i := range row {
			row[i] = strings.ReplaceAll(row[i], "|", `\|`)
		}
		b.WriteString("| " + strings.Join(row, " | ") + " |\n")
	}
	for _, n := range t.notes() {
		b.WriteString("\n" + n + "\n")
	}
	return b.String()
}

// HTML renders the table as an HTML table.
func (t *Table) HTML() string {
	var b strings.Builder
	b.WriteString(`<table class="lanes-table">` + "\n<thead><tr>")
	for i, h := range tableHead {
		align := "right"
		if i == 0 {
			align = "left"
		}
		fmt.Fprintf(&b, `<th style="text-align:%s">%s</th>`, align, xmlEscape(h))
	}
	b.WriteString("</tr></thead>\n<tbody>\n")
	for _, row := range t.rows() {
		b.WriteString("<tr>")
		for i, c := range row {
			align := "right"
			if i == 0 {
				align = "left"
			}
			fmt.Fprintf(&b, `<td style="text-align:%s">%s</td>`, align, xmlEscape(c))
		}
		b.WriteString("</tr>\n")
	}
	b.WriteString("</tbody>\n</table>\n")
	for _, n := range t.notes() {
		b.WriteString("<p>" + xmlEscape(n) + "</p>\n")
	}
	return b.String()
}

// MIME returns the table as HTML, Markdown and text.
func (t *Table) MIME() map[string]any {
	return map[string]any{
		"text/html":     t.HTML(),
		"text/markdown": t.Markdown(),
		"text/plain":    t.Text(),
	}
}

// Comparison is several strategies run on one workload: one table and the
// timelines stacked on a shared time axis.
type Comparison struct {
	Table    *Table
	Timeline *Timeline
}

// Compare puts runs side by side; the first is the baseline of the
// speedups.
func Compare(runs ...*Run) *Comparison {
	return &Comparison{Table: NewTable(runs...), Timeline: Timelines(runs...)}
}

// CompareSim simulates w under each strategy on machine m and compares the
// runs.
func CompareSim(w Workload, m Machine, strategies ...Strategy) *Comparison {
	runs := make([]*Run, len(strategies))
	for i, s := range strategies {
		runs[i] = s.Simulate(w, m)
	}
	return Compare(runs...)
}

// CompareRun runs w for real under each strategy, one after the other, and
// compares the runs.
func CompareRun(w Workload, strategies ...Strategy) *Comparison {
	runs := make([]*Run, len(strategies))
	for i, s := range strategies {
		runs[i] = s.Run(w)
	}
	return Compare(runs...)
}

// Text is the table followed by the text timelines.
func (c *Comparison) Text() string { return c.Table.Text() + "\n" + c.Timeline.Text() }

// String is the text form of the comparison.
func (c *Comparison) String() string { return c.Text() }

// MIME returns the charts of the timelines (every run's header carries its
// wall and CPU time) with the table in HTML, Markdown and text.
func (c *Comparison) MIME() map[string]any {
	m := c.Timeline.MIME()
	m["text/html"] = c.Table.HTML() + c.Timeline.SVG()
	m["text/markdown"] = c.Table.Markdown()
	m["text/plain"] = c.Text()
	return m
}
