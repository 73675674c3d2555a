package lanes

import (
	"fmt"
	"strings"
	"time"
)

// Timeline draws the lanes of one or more runs over time: one row per lane,
// coloured by what the lane was doing (compute, wait, blocked, ready) and
// labelled by task, with a gap wherever one task ends and the next begins. Several
// runs are stacked on one shared time axis, so that their lengths compare at
// a glance. It shows itself in a notebook as an interactive Vega-Lite chart,
// SVG, PNG and a text chart (see MIME).
//
// Spans narrower than a pixel (or a text column) are merged with their
// neighbours, so a run of 100,000 spans draws as quickly, and as small, as
// one of a few hundred.
type Timeline struct {
	// Title is drawn above the chart (none if empty).
	Title string
	// Width is the width in pixels of the SVG, PNG and Vega-Lite forms
	// (default 800).
	Width int
	// Columns is the width in characters of the text form (default 80).
	Columns int
	// MaxLanes caps the lanes drawn per run (default 32). A run with more
	// lanes shows its first half and its last half (where a serialised
	// tail ends), with a note between them naming the lanes left out.
	MaxLanes int

	runs []*Run
}

// Timeline returns the timeline of the run.
func (r *Run) Timeline() *Timeline { return &Timeline{runs: []*Run{r.withOther()}} }

// Timelines stacks the timelines of several runs on one time axis.
func Timelines(runs ...*Run) *Timeline {
	drawn := make([]*Run, len(runs))
	for i, r := range runs {
		drawn[i] = r.withOther()
	}
	return &Timeline{runs: drawn}
}

// Runs returns the runs the timeline draws.
func (t *Timeline) Runs() []*Run { return t.runs }

const (
	defaultWidth   = 800
	defaultColumns = 80
	defaultLanes   = 32
	maxBars        = 3000 // per chart, over all runs: caps every output's size
)

func (t *Timeline) width() int {
	if t.Width >= 200 {
		return t.Width
	}
	return defaultWidth
}

func (t *Timeline) columns() int {
	if t.Columns >= 30 {
		return t.Columns
	}
	return defaultColumns
}

func (t *Timeline) maxLanes() int {
	if t.MaxLanes > 0 {
		return t.MaxLanes
	}
	return defaultLanes
}

// end is the length of the shared time axis.
func (t *Timeline) end() time.Duration {
	var e time.Duration
	for _, r := range t.runs {
		e = max(e, r.Wall)
		for _, s := range r.Spans {
			e = max(e, s.End)
		}
	}
	if e <= 0 {
		e = 1
	}
	return e
}

func (t *Timeline) virtual() bool { return len(t.runs) > 0 && t.runs[0].Virtual }

// bar is what gets drawn: one span, or several merged ones.
type bar struct {
	row        int // index into the run layout's rows
	start, end time.Duration
	kind       Kind // the kind that covers most of the bar
	task       int  // -1 when the bar merges several tasks
	n          int  // spans merged
	weight     []time.Duration
	// alt is set on the second, fourth, ... of consecutive bars of one
	// kind and different tasks: the text form draws it in another shade
	// so that the boundary stays visible.
	alt bool
}

func (b *bar) add(k Kind, d time.Duration) {
	for int(k) >= len(b.weight) {
		b.weight = append(b.weight, 0)
	}
	b.weight[k] += d
}

// majority returns the kind that covers most of the bar (the lowest kind
// of a tie).
func (b *bar) majority() Kind {
	k := 0
	for i, w := range b.weight {
		if w > b.weight[k] {
			k = i
		}
	}
	return Kind(k)
}

// mergeBars turns the spans of the lanes in rows into bars at a resolution
// of px per pixel: consecutive spans of a lane closer than a pixel merge
// when both are narrower than a pixel (the bar then takes the kind that
// covers most of it), or when they are the same kind of the same task. A
// lane so gets at most about two bars per pixel, however many spans it has;
// bars of different tasks stay apart whenever each is a pixel or wider.
func mergeBars(r *Run, rows []int, px time.Duration) []bar {
	rowOf := make(map[int]int, len(rows))
	for i, lane := range rows {
		rowOf[lane] = i
	}
	byRow := make([][]Span, len(rows))
	for _, s := range r.Spans { // sorted by start
		if row, ok := rowOf[s.Lane]; ok && s.End > s.Start {
			byRow[row] = append(byRow[row], s)
		}
	}
	var out []bar
	for row, spans := range byRow {
		var cur *bar
		flush := func() {
			if cur == nil {
				return
			}
			if n := len(out); n > 0 {
				prev := out[n-1]
				cur.alt = prev.row == cur.row && cur.start-prev.end < px && prev.kind == cur.kind && prev.task != cur.task && !prev.alt
			}
			out = append(out, *cur)
		}
		for _, s := range spans {
			d := s.End - s.Start
			if cur != nil && s.Start-cur.end < px &&
				((d < px && cur.end-cur.start < px) || (s.Kind == cur.kind && s.Task == cur.task)) {
				cur.end = max(cur.end, s.End)
				cur.add(s.Kind, d)
				cur.n++
				if cur.task != s.Task {
					cur.task = -1
				}
				cur.kind = cur.majority()
				continue
			}
			flush()
			cur = &bar{row: row, start: s.Start, end: s.End, kind: s.Kind, task: s.Task, n: 1}
			cur.add(s.Kind, d)
		}
		flush()
	}
	return out
}

// runLayout is what one run contributes to a chart.
type runLayout struct {
	run     *Run
	rows    []int // the lanes drawn, in order
	elideAt int   // the row before which the note on elided lanes goes
	elided  int   // lanes not drawn
	bars    []bar
}

// shownLanes picks the lanes drawn of n when at most limit fit: all of
// them, or the first half and the last half of limit, with the rest elided
// before row elideAt.
func shownLanes(n, limit int) (rows []int, elideAt int) {
	if n <= limit {
		rows = make([]int, n)
		for i := range rows {
			rows[i] = i
		}
		return rows, n
	}
	limit = max(limit, 1)
	head := (limit + 1) / 2
	for i := 0; i < head; i++ {
		rows = append(rows, i)
	}
	for i := n - (limit - head); i < n; i++ {
		rows = append(rows, i)
	}
	return rows, head
}

// elisionNote says which lanes a run layout leaves out.
func (rl *runLayout) elisionNote() string {
	if rl.elided == 0 {
		return ""
	}
	l := rl.run.Lanes
	first, last := rl.rows[rl.elideAt-1]+1, len(l)-1
	if rl.elideAt < len(rl.rows) {
		last = rl.rows[rl.elideAt] - 1
	}
	if first == last {
		return fmt.Sprintf("… 1 lane not drawn (%s; MaxLanes %d)", l[first], len(rl.rows))
	}
	return fmt.Sprintf("… %d lanes not drawn (%s … %s; MaxLanes %d)", rl.elided, l[first], l[last], len(rl.rows))
}

// layout merges the bars of every run for a plot plotW pixels wide,
// coarsening until the whole chart has at most maxBars bars.
func (t *Timeline) layout(plotW int) []runLayout {
	end := t.end()
	px := end / time.Duration(max(plotW, 1))
	px = max(px, 1)
	for {
		out := make([]runLayout, len(t.runs))
		total := 0
		for i, r := range t.runs {
			rows, at := shownLanes(len(r.Lanes), t.maxLanes())
			out[i] = runLayout{run: r, rows: rows, elideAt: at, elided: len(r.Lanes) - len(rows), bars: mergeBars(r, rows, px)}
			total += len(out[i].bars)
		}
		if total <= maxBars || px > end {
			return out
		}
		px *= 2
	}
}

// header is the line above each run: its name and totals.
func runHeader(r *Run) string {
	h := fmt.Sprintf("%s — wall %s, CPU %s", r.Name, formatDur(r.Wall, r.Virtual), formatDur(r.CPU(), r.Virtual))
	if r.Measured { // the plan beside the measurement
		var declared time.Duration
		for _, s := range r.Plan {
			if s.Kind == Computing {
				declared += s.Duration()
			}
		}
		h += fmt.Sprintf(" measured (declared compute %s)", formatDur(declared, false))
	}
	return h
}

// taskName is the task of a bar, or what it merges.
func taskName(r *Run, b bar) string {
	if b.task >= 0 && b.task < len(r.Tasks) {
		return r.Tasks[b.task]
	}
	return fmt.Sprintf("%d spans of several tasks", b.n)
}

// kindName is the kind of a bar; "mostly" when it merges other kinds too.
func kindName(b bar) string {
	if b.n > 1 && b.weight[b.kind] < b.end-b.start {
		return "mostly " + b.kind.String()
	}
	return b.kind.String()
}

// barTitle is the hover text of a bar of the run layout rl.
func barTitle(rl *runLayout, b bar) string {
	r := rl.run
	who := taskName(r, b)
	if b.n > 1 && b.task >= 0 {
		who = fmt.Sprintf("%s (%d spans)", who, b.n)
	}
	return fmt.Sprintf("%s · %s · %s: %s to %s (%s)", who, kindName(b), r.Lanes[rl.rows[b.row]],
		formatDur(b.start, r.Virtual), formatDur(b.end, r.Virtual), formatDur(b.end-b.start, r.Virtual))
}

// ticks returns the tick positions (as durations) of the shared axis.
func (t *Timeline) ticks(n int) ([]time.Duration, float64, string) {
	end := t.end()
	div, unit := timeScale(end, t.virtual())
	step := niceStep(float64(end)/div, n)
	var out []time.Duration
	for i := 0; ; i++ {
		v := time.Duration(float64(i) * step * div)
		if v > end {
			break
		}
		out = append(out, v)
	}
	return out, div, unit
}

func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	if n <= 1 {
		return string(r[:n])
	}
	return string(r[:n-1]) + "…"
}

// maxLabel is the length in characters of the longest lane name drawn.
func maxLabel(t *Timeline) int {
	n := 4
	for _, r := range t.runs {
		rows, _ := shownLanes(len(r.Lanes), t.maxLanes())
		for _, lane := range rows {
			n = max(n, len([]rune(r.Lanes[lane])))
		}
	}
	return n
}

// String is the text form of the timeline.
func (t *Timeline) String() string { return t.Text() }

// MIME returns the timeline as Vega-Lite, SVG, PNG and text.
func (t *Timeline) MIME() map[string]any {
	return map[string]any{
		"application/vnd.vegalite.v5+json": t.VegaLite(),
		"image/svg+xml":                    t.SVG(),
		"image/png":                        t.PNG(),
		"text/plain":                       t.Text(),
	}
}

// MIME shows a run as its timeline.
func (r *Run) MIME() map[string]any { return r.Timeline().MIME() }

// xmlEscaper is built once: it is immutable and safe for concurrent use.
var xmlEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;")

func xmlEscape(s string) string { return xmlEscaper.Replace(s) }
