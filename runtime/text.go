package lanes

import (
	"strings"
	"time"
)

// Text draws the timeline with Unicode characters in Columns columns:
// █ compute, ░ wait, ▚ blocked, · ready (or a letter per task, for runs
// coloured by task). Each character shows what covers most of its stretch
// of time.
func (t *Timeline) Text() string {
	var b strings.Builder
	cols := t.columns()
	labelW := min(maxLabel(t), max(cols/4, 6))
	plot := cols - labelW - 2 // label, space, │ ... │ minus one
	plot = max(plot-1, 10)
	end := t.end()
	if t.Title != "" {
		b.WriteString(truncate(t.Title, cols) + "\n")
	}
	st := t.styler()
	for _, rl := range t.layout(plot) {
		r := rl.run
		b.WriteString(truncate(runHeader(r), cols) + "\n")
		cells := make([][]float64, plot)
		for i := range cells {
			cells[i] = make([]float64, len(st.items))
		}
		for lane := 0; lane < rl.lanes; lane++ {
			for _, c := range cells {
				clear(c)
			}
			for _, br := range rl.bars {
				if br.lane != lane {
					continue
				}
				addCover(cells, br, st.of(r, br), end)
			}
			b.WriteString(padRight(truncate(r.Lanes[lane], labelW), labelW))
			b.WriteString(" │")
			for _, c := range cells {
				k, best := -1, 0.0
				for i, w := range c {
					if w > best {
						k, best = i, w
					}
				}
				if k < 0 {
					b.WriteByte(' ')
				} else {
					b.WriteRune(st.items[k].char)
				}
			}
			b.WriteString("│\n")
		}
		if rl.hidden > 0 {
			b.WriteString(padRight("", labelW) + "  … " + itoa(rl.hidden) + " more lanes\n")
		}
	}
	// The axis: a rule with tick marks, then labels under them.
	ticks, div, unit := t.ticks(max(plot/12, 2))
	rule := []rune(strings.Repeat("─", plot))
	labels := []rune(strings.Repeat(" ", plot+labelW+8))
	lastEnd := -1
	for _, tk := range ticks {
		c := int(float64(tk) / float64(end) * float64(plot))
		if c >= plot {
			c = plot - 1
		}
		rule[c] = '┴'
		s := formatNum(float64(tk)/div, 3)
		pos := labelW + 2 + c - len(s)/2
		if pos > lastEnd && pos+len(s) <= len(labels) {
			copy(labels[pos:], []rune(s))
			lastEnd = pos + len(s)
		}
	}
	b.WriteString(padRight("", labelW) + " └" + string(rule) + "┘\n")
	axis := strings.TrimRight(string(labels), " ")
	legend := []string{}
	if len([]rune(axis))+1+len(unit) <= cols {
		axis += " " + unit
	} else {
		legend = append(legend, "time in "+unit+":")
	}
	b.WriteString(truncate(axis, cols) + "\n")
	for _, it := range st.items {
		legend = append(legend, string(it.char)+" "+it.name)
	}
	line := padRight("", labelW+2)
	indent := len(line)
	n := 0
	for _, item := range legend {
		w := len([]rune(item))
		if n > 0 && len([]rune(line))+3+w > cols {
			b.WriteString(line + "\n")
			line, n = padRight("", indent), 0
		}
		if n > 0 {
			line += "   "
		}
		line += item
		n++
	}
	b.WriteString(truncate(line, cols) + "\n")
	return b.String()
}

// addCover adds the time a bar covers in each text cell to cells.
func addCover(cells [][]float64, br bar, style int, end time.Duration) {
	n := float64(len(cells))
	x0 := float64(br.start) / float64(end) * n
	x1 := float64(br.end) / float64(end) * n
	for c := int(x0); c < len(cells) && float64(c) < x1; c++ {
		lo, hi := max(x0, float64(c)), min(x1, float64(c+1))
		if hi > lo {
			cells[c][style] += hi - lo
		}
	}
}

func padRight(s string, n int) string {
	if k := len([]rune(s)); k < n {
		return s + strings.Repeat(" ", n-k)
	}
	return s
}

func itoa(n int) string { return formatNum(float64(n), 0) }
