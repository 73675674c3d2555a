package lanes

import (
	"strings"
	"time"
)

// Text draws the timeline with Unicode characters in Columns columns:
// █ compute, ░ wait, ▚ blocked, · ready. Of two tasks in a row of the same
// kind the second is drawn in another shade (▓ ▒ ▞ ∙), so that every task
// boundary shows. Runs coloured by task draw the computing of each task
// with a letter of its own (the first of its name when free), named in the
// legend.
//
// Each character shows what covers most of its stretch of time, except that
// a span too short to win a character of its own takes one from a
// neighbour that has several; spans that still find no character are
// counted under their run, so that nothing disappears without a word.
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
	letters := newTaskLetters(t.runs)
	kindsUsed := map[Kind]*[2]bool{} // kind -> (plain, alternate) drawn
	for _, rl := range t.layout(plot) {
		r := rl.run
		b.WriteString(truncate(runHeader(r), cols) + "\n")
		byRow := make([][]bar, len(rl.rows))
		for _, br := range rl.bars {
			byRow[br.row] = append(byRow[br.row], br)
		}
		undrawn := 0
		for i, lane := range rl.rows {
			if rl.elided > 0 && i == rl.elideAt {
				b.WriteString(truncate(padRight("", labelW)+"  "+rl.elisionNote(), cols) + "\n")
			}
			owner, lost := textCells(byRow[i], plot, end)
			undrawn += lost
			b.WriteString(padRight(truncate(r.Lanes[lane], labelW), labelW))
			b.WriteString(" │")
			for _, o := range owner {
				if o < 0 {
					b.WriteByte(' ')
					continue
				}
				br := byRow[i][o]
				if ch, ok := letters.of(r, br); ok {
					b.WriteRune(ch)
					continue
				}
				st := styleOf(br.kind)
				used := kindsUsed[br.kind]
				if used == nil {
					used = new([2]bool)
					kindsUsed[br.kind] = used
				}
				if br.alt {
					used[1] = true
					b.WriteRune(st.alt)
				} else {
					used[0] = true
					b.WriteRune(st.char)
				}
			}
			b.WriteString("│\n")
		}
		if rl.elided > 0 && rl.elideAt == len(rl.rows) {
			b.WriteString(truncate(padRight("", labelW)+"  "+rl.elisionNote(), cols) + "\n")
		}
		if undrawn > 0 {
			note := "  … " + itoa(undrawn) + " " + plural(undrawn, "span") + " too short for a character at this width (Columns)"
			b.WriteString(truncate(padRight("", labelW)+note, cols) + "\n")
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
	if len(kindsUsed) == 0 && len(letters.order) == 0 {
		kindsUsed[Computing] = &[2]bool{true, false} // an empty chart still says what █ is
	}
	for _, it := range t.kindLegend() {
		k := it.kind
		used := kindsUsed[k]
		if used == nil {
			continue // not drawn, or drawn as task letters only
		}
		st := styleOf(k)
		glyphs := string(st.char)
		switch {
		case used[0] && used[1]:
			glyphs += string(st.alt)
		case used[1]:
			glyphs = string(st.alt)
		}
		legend = append(legend, glyphs+" "+it.name)
	}
	for _, tl := range letters.order {
		if tl.letter != '*' {
			legend = append(legend, string(tl.letter)+" = "+tl.name)
		}
	}
	if letters.several {
		legend = append(legend, "* = several or other tasks")
	}
	b.WriteString(wrapLegend(legend, labelW+2, cols))
	return b.String()
}

// wrapLegend joins legend items three spaces apart in lines of at most cols
// characters, each indented by indent spaces.
func wrapLegend(items []string, indent, cols int) string {
	var b strings.Builder
	line := padRight("", indent)
	n := 0
	for _, item := range items {
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

// textCells gives each of n character cells to the bar (an index into bars)
// covering most of it, -1 for none. A bar left without a cell then takes
// one of the cells it overlaps from a bar that keeps at least one other;
// lost counts the bars that find none.
func textCells(bars []bar, n int, end time.Duration) (owner []int, lost int) {
	owner = make([]int, n)
	best := make([]float64, n)
	for i := range owner {
		owner[i] = -1
	}
	span := func(br bar) (float64, float64) {
		return float64(br.start) / float64(end) * float64(n), float64(br.end) / float64(end) * float64(n)
	}
	for i, br := range bars {
		x0, x1 := span(br)
		for c := int(x0); c < n && float64(c) < x1; c++ {
			cover := min(x1, float64(c+1)) - max(x0, float64(c))
			// A tie (to rounding) goes to the lower kind: compute before wait.
			if cover > 0 && (owner[c] < 0 || cover > best[c]+1e-9 || cover > best[c]-1e-9 && br.kind < bars[owner[c]].kind) {
				owner[c], best[c] = i, cover
			}
		}
	}
	cells := make([]int, len(bars))
	for _, o := range owner {
		if o >= 0 {
			cells[o]++
		}
	}
	for i, br := range bars {
		if cells[i] > 0 {
			continue
		}
		x0, x1 := span(br)
		pick := -1
		for c := int(x0); c < n && float64(c) < x1; c++ {
			if o := owner[c]; o >= 0 && cells[o] >= 2 && (pick < 0 || cells[o] > cells[owner[pick]]) {
				pick = c
			}
		}
		if pick < 0 {
			lost++
			continue
		}
		cells[owner[pick]]--
		owner[pick] = i
		cells[i] = 1
	}
	return owner, lost
}

// taskLetter is the letter that draws a task in the text form.
type taskLetter struct {
	name   string
	letter rune
}

// taskLetters gives the tasks of runs coloured by task a letter each: a
// character of the task's name if one is free (its last digit for numbered
// names such as g1, g2, else its first letter), else the first free one of
// A–Z, a–z, 0–9. Tasks beyond those 62 are drawn '*'.
type taskLetters struct {
	order   []taskLetter
	byName  map[string]rune
	several bool // some character drew several tasks
}

// letterChoices lists the characters of name in the order they are tried.
func letterChoices(name string) string {
	r := []rune(name)
	if len(r) == 0 {
		return ""
	}
	if last := r[len(r)-1]; last >= '0' && last <= '9' {
		return string(last) + name
	}
	return name
}

func newTaskLetters(runs []*Run) *taskLetters {
	tl := &taskLetters{byName: map[string]rune{}}
	taken := map[rune]bool{}
	const pool = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
	for _, r := range runs {
		if !r.ColorByTask {
			continue
		}
		used := make([]bool, len(r.Tasks))
		for _, sp := range r.Spans {
			if sp.Kind == Computing && sp.Task >= 0 && sp.Task < len(used) {
				used[sp.Task] = true
			}
		}
		for i, name := range r.Tasks {
			if _, ok := tl.byName[name]; ok || !used[i] {
				continue
			}
			letter := '*'
			for _, c := range letterChoices(name) + pool {
				if strings.ContainsRune(pool, c) && !taken[c] {
					letter = c
					break
				}
			}
			taken[letter] = true
			tl.byName[name] = letter
			tl.order = append(tl.order, taskLetter{name, letter})
		}
	}
	return tl
}

// of returns the letter of a computing bar of a run coloured by task; a bar
// merging several tasks is drawn '*'.
func (tl *taskLetters) of(r *Run, br bar) (rune, bool) {
	if !r.ColorByTask || br.kind != Computing {
		return 0, false
	}
	if br.task >= 0 && br.task < len(r.Tasks) {
		if l, ok := tl.byName[r.Tasks[br.task]]; ok && l != '*' {
			return l, true
		}
	}
	tl.several = true
	return '*', true
}

func padRight(s string, n int) string {
	if k := len([]rune(s)); k < n {
		return s + strings.Repeat(" ", n-k)
	}
	return s
}

func itoa(n int) string { return formatNum(float64(n), 0) }
