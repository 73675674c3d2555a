package main

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/lanes-dev/lanes/notebook"
)

// The numbers an executed lesson shows must be possible on the machine
// that ran it. impossible finds those that are not, in two kinds of
// output:
//
//   - a table of measured runs (its Markdown form, whose note names the
//     Ps: "ran on one of N Ps (GOMAXPROCS)"): no row may show more CPU
//     time than wall × N, or a peak parallelism above N. Simulated rows
//     (times in units) and unmeasured ones ("—") are left alone;
//   - a cell that prints measured speedups of its own names the
//     processors, "GOMAXPROCS: N" or "on N Ps": no "X×" it prints may
//     exceed N (its values are speedups of computing on N Ps).
//
// Both bounds allow only for the rounding of the printed figures.

var (
	measuredNoteRE = regexp.MustCompile(`ran on one of (\d+) Ps \(GOMAXPROCS\)`)
	procsRE        = regexp.MustCompile(`GOMAXPROCS: (\d+)|on (\d+) Ps\b`)
	timesRE        = regexp.MustCompile(`(\d+(?:\.\d+)?)×`)
	durationRE     = regexp.MustCompile(`^(\d+(?:\.\d+)?) (s|ms|µs)$`)
)

// impossible returns what the executed cells show that the machine could
// not have done, one line per number, naming the cell.
func impossible(nb *notebook.Notebook) []string {
	var out []string
	for i, c := range nb.Cells {
		if c.Type != notebook.Code {
			continue
		}
		var stream strings.Builder
		for _, o := range c.Outputs {
			switch o.Type {
			case notebook.Stream:
				if o.Name == "stdout" {
					stream.WriteString(o.Text)
				}
			case notebook.DisplayData, notebook.ExecuteResult:
				for _, p := range impossibleRows(o.DataText("text/markdown")) {
					out = append(out, fmt.Sprintf("cell %d: %s", i+1, p))
				}
			}
		}
		for _, p := range impossibleSpeedups(stream.String()) {
			out = append(out, fmt.Sprintf("cell %d: %s", i+1, p))
		}
	}
	return out
}

// impossibleRows checks the rows of a Markdown table of measured runs.
func impossibleRows(md string) []string {
	m := measuredNoteRE.FindStringSubmatch(md)
	if m == nil {
		return nil
	}
	procs, _ := strconv.Atoi(m[1])
	var out []string
	var head []string
	for _, line := range strings.Split(md, "\n") {
		if !strings.HasPrefix(line, "| ") || strings.HasPrefix(line, "| ---") {
			continue
		}
		cells := splitRow(line)
		if head == nil {
			head = cells
			continue
		}
		row := map[string]string{}
		for k, h := range head {
			if k < len(cells) {
				row[h] = cells[k]
			}
		}
		wall, wok := seconds(row["wall"])
		cpu, cok := seconds(row["CPU"])
		if wok && cok && cpu > wall*float64(procs)*1.01 { // 3 significant figures each
			out = append(out, fmt.Sprintf("%s: CPU %s > wall %s × %d Ps", row["strategy"], row["CPU"], row["wall"], procs))
		}
		if par, err := strconv.Atoi(row["peak parallelism"]); err == nil && par > procs {
			out = append(out, fmt.Sprintf("%s: peak parallelism %d > %d Ps", row["strategy"], par, procs))
		}
	}
	return out
}

// impossibleSpeedups checks the speedups a cell printed with the number of
// processors it ran on.
func impossibleSpeedups(text string) []string {
	m := procsRE.FindStringSubmatch(text)
	if m == nil {
		return nil
	}
	procs, _ := strconv.Atoi(m[1] + m[2])
	var out []string
	for _, x := range timesRE.FindAllStringSubmatch(text, -1) {
		if v, _ := strconv.ParseFloat(x[1], 64); v > float64(procs)+0.005 {
			out = append(out, fmt.Sprintf("speedup %s× > %d Ps", x[1], procs))
		}
	}
	return out
}

// splitRow splits a Markdown table row into its cells ("\|" is a bar
// inside a cell).
func splitRow(line string) []string {
	line = strings.TrimSuffix(strings.TrimPrefix(line, "| "), " |")
	parts := strings.Split(strings.ReplaceAll(line, `\|`, "\x00"), " | ")
	for i, p := range parts {
		parts[i] = strings.ReplaceAll(p, "\x00", "|")
	}
	return parts
}

// seconds parses a measured duration as the table prints it ("24.7 ms");
// simulated ("10 u") and unmeasured ("—") times are not durations.
func seconds(s string) (float64, bool) {
	m := durationRE.FindStringSubmatch(s)
	if m == nil {
		return 0, false
	}
	v, _ := strconv.ParseFloat(m[1], 64)
	return v * map[string]float64{"s": 1, "ms": 1e-3, "µs": 1e-6}[m[2]], true
}

// tableMD is a table of measured runs with the given rows, as the runtime
// writes it.
func tableMD(procs int, rows ...string) string {
	return "| strategy | wall | CPU | speedup | efficiency | peak concurrency | peak parallelism |\n" +
		"| --- | ---: | ---: | ---: | ---: | ---: | ---: |\n" + strings.Join(rows, "\n") +
		fmt.Sprintf("\n\nMeasured from the Go scheduler's trace: CPU is the time the tasks' goroutines ran on one of %d Ps (GOMAXPROCS).\n", procs)
}

func TestImpossible(t *testing.T) {
	for _, c := range []struct {
		name   string
		md     string // a display's text/markdown
		stream string // the cell's standard output
		want   []string
	}{
		{name: "possible rows", md: tableMD(2,
			"| sequential | 24.7 ms | 12.1 ms | 1× | 100% | 1 | 1 |",
			"| pool(3) | 12.6 ms | 25.2 ms | 1.96× | 98% | 3 | 2 |",
			"| waits only | 2.75 ms | 0 s | 100.07× | 10007% | 50 | 0 |",
			"| not measured | 1.2 s | — | 1× | 50% | 2 | — |")},
		{name: "CPU above wall × Ps", md: tableMD(2, "| pool(4) | 348 ms | 1.2 s | 2.76× | 138% | 4 | 2 |"),
			want: []string{"cell 1: pool(4): CPU 1.2 s > wall 348 ms × 2 Ps"}},
		{name: "parallelism above Ps", md: tableMD(2, "| a \\| b | 1.11 s | 2.1 s | 1× | 50% | 4 | 3 |"),
			want: []string{"cell 1: a | b: peak parallelism 3 > 2 Ps"}},
		{name: "simulated table", md: "| strategy | wall | CPU | speedup | efficiency | peak concurrency | peak parallelism |\n| --- | ---: | ---: | ---: | ---: | ---: | ---: |\n| pool(8) | 10 u | 80 u | 8× | 100% | 8 | 8 |\n"},
		{name: "printed speedups", stream: "compiled: T1 97ms, T2 50ms, speedup T1/T2 1.94× on 2 Ps\n"},
		{name: "printed speedup above Ps", stream: "GOMAXPROCS: 2\ncutoff 25   232  100ms  2.40×\n",
			want: []string{"cell 1: speedup 2.40× > 2 Ps"}},
		{name: "speedups of no machine", stream: "16 cores: 13.00×\n"},
	} {
		t.Run(c.name, func(t *testing.T) {
			cell := notebook.NewCell(notebook.Code, "")
			if c.md != "" {
				cell.Outputs = append(cell.Outputs, &notebook.Output{Type: notebook.DisplayData, Data: map[string]any{"text/markdown": c.md}})
			}
			if c.stream != "" {
				cell.Outputs = append(cell.Outputs, &notebook.Output{Type: notebook.Stream, Name: "stdout", Text: c.stream})
			}
			nb := notebook.New()
			nb.Cells = []*notebook.Cell{cell}
			got := impossible(nb)
			if strings.Join(got, "\n") != strings.Join(c.want, "\n") {
				t.Errorf("impossible() = %q, want %q", got, c.want)
			}
		})
	}
}
