package lanes

import (
	"fmt"
	"strings"
	"time"
)

// Timeline draws the lanes of one or more runs over time: one row per lane,
// coloured by what the lane was doing (compute, wait, blocked, ready). Several
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
	// MaxLanes caps the lanes drawn per run (default 32); the rest are
	// counted in a note.
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

// kindColors are the fill colours of the kinds, distinct for colour-blind
// readers too (blue, amber, red, grey, purple).
var kindColors = [numKinds]string{"#4c78a8", "#f5b841", "#d8504d", "#b0aca8", "#8e6bb0"}

// kindChars draw the kinds in the text form.
var kindChars = [numKinds]rune{'█', '░', '▚', '·', '▒'}

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
	lane       int // index into the run's lanes
	start, end time.Duration
	kind       Kind // the kind that covers most of the bar
	task       int  // -1 when the bar merges several tasks
	n          int  // spans merged
	weight     [numKinds]time.Duration
}

// mergeBars turns a run's spans into bars at a resolution of px per pixel:
// consecutive spans of a lane closer than a pixel merge when both are
// narrower than a pixel (the bar then takes the kind that covers most of
// it), or when they are the same kind of the same task. A lane so gets at
// most about two bars per pixel, however many spans it has.
func mergeBars(r *Run, lanes int, px time.Duration) []bar {
	byLane := make([][]Span, lanes)
	for _, s := range r.Spans { // sorted by start
		if s.Lane < lanes && s.End > s.Start {
			byLane[s.Lane] = append(byLane[s.Lane], s)
		}
	}
	var out []bar
	for lane, spans := range byLane {
		var cur *bar
		for _, s := range spans {
			d := s.End - s.Start
			if cur != nil && s.Start-cur.end < px &&
				((d < px && cur.end-cur.start < px) || (s.Kind == cur.kind && s.Task == cur.task)) {
				cur.end = max(cur.end, s.End)
				cur.weight[s.Kind%numKinds] += d
				cur.n++
				if cur.task != s.Task {
					cur.task = -1
				}
				k := cur.kind
				for i, w := range cur.weight {
					if w > cur.weight[k] {
						k = Kind(i)
					}
				}
				cur.kind = k
				continue
			}
			if cur != nil {
				out = append(out, *cur)
			}
			cur = &bar{lane: lane, start: s.Start, end: s.End, kind: s.Kind, task: s.Task, n: 1}
			cur.weight[s.Kind%numKinds] = d
		}
		if cur != nil {
			out = append(out, *cur)
		}
	}
	return out
}

// runLayout is what one run contributes to a chart.
type runLayout struct {
	run    *Run
	lanes  int // lanes drawn
	hidden int // lanes not drawn
	bars   []bar
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
			n := min(len(r.Lanes), t.maxLanes())
			out[i] = runLayout{run: r, lanes: n, hidden: len(r.Lanes) - n, bars: mergeBars(r, n, px)}
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
	return fmt.Sprintf("%s — wall %s, CPU %s", r.Name, formatDur(r.Wall, r.Virtual), formatDur(r.CPU(), r.Virtual))
}

// barTitle is the hover text of a bar.
func barTitle(r *Run, b bar) string {
	var who string
	if b.task >= 0 && b.task < len(r.Tasks) {
		who = r.Tasks[b.task]
	} else {
		who = fmt.Sprintf("%d spans of several tasks", b.n)
	}
	if b.n > 1 && b.task >= 0 {
		who = fmt.Sprintf("%s (%d spans)", who, b.n)
	}
	kind := b.kind.String()
	if b.n > 1 && b.weight[b.kind] < b.end-b.start {
		kind = "mostly " + kind
	}
	return fmt.Sprintf("%s · %s · %s: start %s, %s", who, kind, r.Lanes[b.lane],
		formatDur(b.start, r.Virtual), formatDur(b.end-b.start, r.Virtual))
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

func maxLabel(t *Timeline) int {
	n := 4
	for _, r := range t.runs {
		for i, l := range r.Lanes {
			if i >= t.maxLanes() {
				break
			}
			n = max(n, len([]rune(l)))
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
