package lanes

// How the views encode a span: its kind by colour (and, in the text form, by
// character); its task by a label in the bar, by the gap between one bar and
// the next, and in the text form by alternating shades (or by a letter per
// task for runs coloured by task). The two never share a channel, so no
// legend entry can mean both a kind and a task.

// kindStyle is how every view draws one kind of span.
type kindStyle struct {
	color string // fill in the SVG, PNG and Vega-Lite forms
	char  rune   // text form
	alt   rune   // text form, for the next of two tasks in a row of one kind
}

// kindStyles is indexed by Kind: a new kind is one line here. The colours
// stay apart for colour-blind readers too (blue, amber, red, grey, purple).
var kindStyles = []kindStyle{
	Computing: {"#4c78a8", '█', '▓'},
	Waiting:   {"#f5b841", '░', '▒'},
	Blocked:   {"#d8504d", '▚', '▞'},
	Ready:     {"#b0aca8", '·', '∙'},
	Other:     {"#8e6bb0", '▪', '▫'},
}

// otherStyle draws kinds without a line in kindStyles.
var otherStyle = kindStyle{"#54a24b", '?', '¿'}

// styleOf returns the style of kind k.
func styleOf(k Kind) kindStyle {
	if int(k) < len(kindStyles) {
		return kindStyles[k]
	}
	return otherStyle
}

// inkOn returns the colour of a label drawn on a bar of the given fill:
// white on dark fills, near-black on light ones.
func inkOn(fill string) string {
	c := rgb(fill)
	// Perceived lightness, ITU-R BT.601 weights.
	if 299*int(c.R)+587*int(c.G)+114*int(c.B) < 150_000 {
		return "#ffffff"
	}
	return "#222222"
}

// taskStripes mark the tasks of runs coloured by task in the SVG, PNG and
// Vega-Lite forms: a stripe along the top of each bar (an outline in
// Vega-Lite), in a colour none of kindStyles uses. When the runs have more
// tasks than there are stripe colours, no task gets one (a colour shared
// by two tasks, or given to some and not others, would mislead): their
// labels and the gaps between their bars tell them apart.
var taskStripes = []string{"#222222", "#e377c2", "#17becf", "#8c564b", "#9467bd", "#bcbd22"}

// legendItem is one entry of a chart's legend.
type legendItem struct {
	name  string
	color string
	kind  Kind // the kind an entry of the kinds' legend stands for
}

// taskLegend gives the tasks of the runs coloured by task their stripe
// colours, in order of first appearance. With more tasks than stripe
// colours it gives none, and tooMany counts the tasks.
func (t *Timeline) taskLegend() (items []legendItem, byName map[string]string, tooMany int) {
	byName = map[string]string{}
	var names []string
	for _, r := range t.runs {
		if !r.ColorByTask {
			continue
		}
		used := make([]bool, len(r.Tasks))
		for _, sp := range r.Spans {
			if sp.Task >= 0 && sp.Task < len(used) {
				used[sp.Task] = true
			}
		}
		for i, name := range r.Tasks {
			if _, ok := byName[name]; ok || !used[i] {
				continue
			}
			byName[name] = ""
			names = append(names, name)
		}
	}
	if len(names) > len(taskStripes) {
		return nil, map[string]string{}, len(names)
	}
	for i, name := range names {
		byName[name] = taskStripes[i]
		items = append(items, legendItem{name: name, color: taskStripes[i]})
	}
	return items, byName, 0
}

// kindLegend lists the kinds the timeline's spans use, in Kind order; a
// timeline without spans gets "compute" so that its legend is not empty.
func (t *Timeline) kindLegend() []legendItem {
	seen := map[Kind]bool{}
	var top Kind
	for _, r := range t.runs {
		for _, sp := range r.Spans {
			if !seen[sp.Kind] {
				seen[sp.Kind] = true
				top = max(top, sp.Kind)
			}
		}
	}
	var out []legendItem
	for k := 0; k <= int(top); k++ {
		if seen[Kind(k)] {
			out = append(out, legendItem{Kind(k).String(), styleOf(Kind(k)).color, Kind(k)})
		}
	}
	if len(out) == 0 {
		out = append(out, legendItem{Computing.String(), styleOf(Computing).color, Computing})
	}
	return out
}
