package lanes

// legendItem is one entry of a chart's legend: a kind, or a task of a run
// coloured by task.
type legendItem struct {
	name  string
	color string
	char  rune
}

// taskColors and taskChars draw the tasks of runs coloured by task.
var (
	taskColors = [...]string{"#4c78a8", "#f58518", "#54a24b", "#e45756", "#72b7b2", "#eeca3b", "#b279a2", "#ff9da6", "#9d755d", "#79706e", "#1f4e79", "#8c6d31"}
	taskChars  = [...]rune{'A', 'B', 'C', 'D', 'E', 'F', 'G', 'H', 'I', 'J', 'K', 'L'}
	mixedItem  = legendItem{name: "several tasks", color: "#cccccc", char: '▒'}
	otherItem  = legendItem{name: "other tasks", color: "#dddddd", char: '·'}
)

// styler decides the colour (and text character) of every bar.
type styler struct {
	items []legendItem
	kinds map[Kind]int
	tasks map[string]int
}

func (t *Timeline) styler() *styler {
	s := &styler{kinds: map[Kind]int{}, tasks: map[string]int{}}
	var seen [numKinds]bool
	anyKind := false
	for _, r := range t.runs {
		if r.ColorByTask {
			continue
		}
		anyKind = true
		for _, sp := range r.Spans {
			seen[sp.Kind%numKinds] = true
		}
	}
	for k, ok := range seen {
		if ok {
			s.kinds[Kind(k)] = len(s.items)
			s.items = append(s.items, legendItem{Kind(k).String(), kindColors[k], kindChars[k]})
		}
	}
	if anyKind && len(s.items) == 0 {
		s.kinds[Computing] = 0
		s.items = append(s.items, legendItem{"compute", kindColors[0], kindChars[0]})
	}
	n := 0
	mixed, other := false, false
	for _, r := range t.runs {
		if !r.ColorByTask {
			continue
		}
		used := make([]bool, len(r.Tasks))
		for _, sp := range r.Spans {
			used[sp.Task] = true
		}
		for i, name := range r.Tasks {
			if _, ok := s.tasks[name]; ok || !used[i] {
				continue
			}
			if n == len(taskColors) {
				other = true
				continue
			}
			s.tasks[name] = len(s.items)
			s.items = append(s.items, legendItem{name, taskColors[n], taskChars[n]})
			n++
		}
		mixed = true
	}
	if mixed {
		s.items = append(s.items, mixedItem)
	}
	if other {
		s.items = append(s.items, otherItem)
	}
	return s
}

// of returns the legend index of a bar of run r.
func (s *styler) of(r *Run, b bar) int {
	if !r.ColorByTask {
		if i, ok := s.kinds[b.kind]; ok {
			return i
		}
		return 0
	}
	if b.task < 0 || b.task >= len(r.Tasks) {
		return s.index(mixedItem.name)
	}
	if i, ok := s.tasks[r.Tasks[b.task]]; ok {
		return i
	}
	return s.index(otherItem.name)
}

func (s *styler) index(name string) int {
	for i := len(s.items) - 1; i >= 0; i-- {
		if s.items[i].name == name {
			return i
		}
	}
	return 0
}
