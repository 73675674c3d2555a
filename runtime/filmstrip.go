package lanes

import (
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/lanes-dev/lanes/display"
)

// Filmstrip shows the tasks of a run as the cells of a grid at moments of
// the run, each cell coloured by what its task was doing then: the
// picture of lesson 6, whose pixels fill as their tasks finish. A cell is
// white before its task's first span, the colour of the span's kind while
// one covers the moment (as in the timeline: a task blocked waiting for a
// slot is red, one ready and queued for a core grey), and black once its
// last span has ended.
//
// Its rich form is the strip of frames side by side, with a legend; Animate
// plays the frames one after the other in one display and then leaves the
// strip, so that saved notebooks and nbconvert keep a still picture.
type Filmstrip struct {
	// Frames is the number of moments in the strip, evenly spread from the
	// start to the end of the run (default 8; fewer than 2 means 8).
	Frames int
	// Columns is the number of cells per row of the grid (default: the
	// square root of the number of tasks, rounded up).
	Columns int
	// Steps is the number of frames Animate plays (default 20), each for
	// Every (default 50 ms): a second in all.
	Steps int
	Every time.Duration

	run *Run
}

// NewFilmstrip returns the filmstrip of r with the given number of frames.
func NewFilmstrip(r *Run, frames int) *Filmstrip { return &Filmstrip{run: r, Frames: frames} }

// cellState is what a task was doing at a moment.
type cellState struct {
	name, color string
	char        rune
}

var (
	notStarted  = cellState{"not started", "#ffffff", '○'}
	finished    = cellState{"done", "#222222", '●'}
	betweenSpan = cellState{"between spans", "#eeeeee", ' '}
)

func kindState(k Kind) cellState {
	st := styleOf(k)
	return cellState{k.String(), st.color, st.char}
}

// state returns what task i of the run was doing at time t.
func (f *Filmstrip) state(spans []Span, t time.Duration) cellState {
	if len(spans) == 0 || t < spans[0].Start {
		return notStarted
	}
	for _, s := range spans {
		// The end of the run shows everything done; any other moment the
		// span it falls in.
		if t >= s.Start && t < s.End {
			return kindState(s.Kind)
		}
	}
	if t >= spans[len(spans)-1].End {
		return finished
	}
	return betweenSpan
}

func (f *Filmstrip) frames() int {
	if f.Frames >= 2 {
		return f.Frames
	}
	return 8
}

func (f *Filmstrip) columns() int {
	if f.Columns > 0 {
		return f.Columns
	}
	return max(1, int(math.Ceil(math.Sqrt(float64(len(f.run.Tasks))))))
}

// moment returns the time of frame i of n.
func (f *Filmstrip) moment(i, n int) time.Duration {
	if n < 2 {
		return f.run.Wall
	}
	return time.Duration(float64(f.run.Wall) * float64(i) / float64(n-1))
}

// grid returns the state of every task at time t.
func (f *Filmstrip) grid(spans [][]Span, t time.Duration) []cellState {
	out := make([]cellState, len(spans))
	for i, s := range spans {
		out[i] = f.state(s, t)
	}
	return out
}

func (f *Filmstrip) taskSpans() [][]Span {
	spans := make([][]Span, len(f.run.Tasks))
	for _, s := range f.run.Spans { // sorted by start
		if s.Task >= 0 && s.Task < len(spans) && s.End > s.Start {
			spans[s.Task] = append(spans[s.Task], s)
		}
	}
	return spans
}

// legend lists the states a cell of the run can be in, in a fixed order,
// the same for every frame so that an animation's legend stands still.
func (f *Filmstrip) legend() []cellState {
	var out []cellState
	late, gaps := false, false
	for _, sp := range f.taskSpans() {
		if len(sp) > 0 && sp[0].Start > 0 {
			late = true
		}
		for i := 1; i < len(sp); i++ {
			gaps = gaps || sp[i].Start > sp[i-1].End
		}
	}
	if late {
		out = append(out, notStarted)
	}
	seen := map[Kind]bool{}
	for _, sp := range f.run.Spans {
		seen[sp.Kind] = true
	}
	for k := 0; k < 256; k++ {
		if seen[Kind(k)] {
			out = append(out, kindState(Kind(k)))
		}
	}
	if gaps {
		out = append(out, betweenSpan)
	}
	return append(out, finished)
}

// htmlFrames draws the frames at the given moments, cell pixels square.
func (f *Filmstrip) htmlFrames(moments []time.Duration, cell int) string {
	spans := f.taskSpans()
	var b strings.Builder
	fmt.Fprintf(&b, `<div style="font-family:sans-serif;font-size:12px"><b>%s</b><div style="display:flex;flex-wrap:wrap;gap:14px;margin-top:4px">`, xmlEscape(f.run.Name))
	for _, t := range moments {
		fmt.Fprintf(&b, `<div style="text-align:center"><div style="display:grid;grid-template-columns:repeat(%d,%dpx);gap:2px">`, f.columns(), cell)
		for i, st := range f.grid(spans, t) {
			fmt.Fprintf(&b, `<div title="%s: %s" style="width:%dpx;height:%dpx;box-sizing:border-box;border:1px solid #999;background:%s"></div>`,
				xmlEscape(f.run.Tasks[i]), st.name, cell, cell, st.color)
		}
		fmt.Fprintf(&b, `</div>t = %s</div>`, xmlEscape(f.label(t)))
	}
	b.WriteString(`</div><div style="margin-top:6px">`)
	for _, st := range f.legend() {
		fmt.Fprintf(&b, `<span style="display:inline-block;width:10px;height:10px;border:1px solid #999;background:%s;margin:0 4px 0 10px"></span>%s`, st.color, st.name)
	}
	b.WriteString(`</div></div>`)
	return b.String()
}

// textFrames draws the frames at the given moments as rows of characters.
func (f *Filmstrip) textFrames(moments []time.Duration, cols int) string {
	spans := f.taskSpans()
	c := f.columns()
	rows := (len(spans) + c - 1) / c
	width := c
	var frames [][]string // frame -> lines
	var labels []string
	for _, t := range moments {
		g := f.grid(spans, t)
		lines := make([]string, rows)
		for i, st := range g {
			lines[i/c] += string(st.char)
		}
		for i := range lines {
			lines[i] = padRight(lines[i], c)
		}
		frames = append(frames, lines)
		labels = append(labels, f.label(t))
	}
	for _, l := range labels {
		width = max(width, len([]rune(l)))
	}
	var b strings.Builder
	b.WriteString(truncate(f.run.Name, cols) + "\n")
	perLine := max(1, (cols+3)/(width+3))
	for start := 0; start < len(frames); start += perLine {
		end := min(start+perLine, len(frames))
		for r := 0; r < rows; r++ {
			var parts []string
			for _, fr := range frames[start:end] {
				parts = append(parts, padRight(fr[r], width))
			}
			b.WriteString(strings.TrimRight(strings.Join(parts, "   "), " ") + "\n")
		}
		var parts []string
		for _, l := range labels[start:end] {
			parts = append(parts, padRight(l, width))
		}
		b.WriteString(strings.TrimRight(strings.Join(parts, "   "), " ") + "\n")
	}
	var legend []string
	for _, st := range f.legend() {
		ch := string(st.char)
		if st.char == ' ' {
			ch = "' '"
		}
		legend = append(legend, ch+" "+st.name)
	}
	b.WriteString(wrapLegend(legend, 0, cols))
	return b.String()
}

// label names a moment, to three significant figures.
func (f *Filmstrip) label(t time.Duration) string {
	if f.run.Virtual {
		return sig3(InUnits(t)) + " u"
	}
	return formatReal(t)
}

func (f *Filmstrip) strip() []time.Duration {
	n := f.frames()
	out := make([]time.Duration, n)
	for i := range out {
		out[i] = f.moment(i, n)
	}
	return out
}

// HTML draws the strip of frames.
func (f *Filmstrip) HTML() string { return f.htmlFrames(f.strip(), 14) }

// Text draws the strip of frames with characters (the kinds' characters of
// the timeline; ○ not started, ● done), in 80 columns.
func (f *Filmstrip) Text() string { return f.textFrames(f.strip(), defaultColumns) }

// String is the text form.
func (f *Filmstrip) String() string { return f.Text() }

// PNG draws the strip of frames as an image, for places that show no
// HTML (GitHub, nbconvert to PDF or Markdown).
func (f *Filmstrip) PNG() []byte {
	const (
		cell, gap, frameGap, width = 14, 2, 18, defaultWidth
		top, labelH, legendRow     = 28, 22, 20
	)
	faces := newChartFaces()
	moments := f.strip()
	spans := f.taskSpans()
	cols := f.columns()
	rows := (len(spans) + cols - 1) / cols
	gridW := max(cols*(cell+gap)-gap, int(faces.text.width("t = 0000 u")))
	gridH := rows*(cell+gap) - gap
	perLine := max(1, (width-2*leftM+frameGap)/(gridW+frameGap))
	lines := (len(moments) + perLine - 1) / perLine
	legendY := top + lines*(gridH+labelH+8)
	legend := f.legend()
	// Lay the legend out first: the canvas grows to fit it.
	type slot struct {
		st   cellState
		x, y int
	}
	var slots []slot
	x, y := leftM, legendY
	for _, st := range legend {
		w := swatch + 4 + int(math.Ceil(faces.text.width(st.name)))
		if x+w > width-leftM && x > leftM {
			x, y = leftM, y+legendRow
		}
		slots = append(slots, slot{st, x, y})
		x += w + 18
	}
	c := newCanvas(width, y+legendRow+4)
	c.text(faces.bold, leftM, 18, faces.bold.fit(f.run.Name, width-2*leftM), "start", "#222222")
	for i, t := range moments {
		fx := leftM + (i%perLine)*(gridW+frameGap)
		fy := top + (i/perLine)*(gridH+labelH+8)
		for j, st := range f.grid(spans, t) {
			cx, cy := float64(fx+(j%cols)*(cell+gap)), float64(fy+(j/cols)*(cell+gap))
			c.rect(cx, cy, cell, cell, "#999999")
			c.rect(cx+1, cy+1, cell-2, cell-2, st.color)
		}
		c.text(faces.text, float64(fx+gridW/2), float64(fy+gridH+15), "t = "+f.label(t), "middle", "#222222")
	}
	for _, sl := range slots {
		c.rect(float64(sl.x), float64(sl.y+2), swatch, swatch, "#999999")
		c.rect(float64(sl.x+1), float64(sl.y+3), swatch-2, swatch-2, sl.st.color)
		c.text(faces.text, float64(sl.x+swatch+4), float64(sl.y+13), sl.st.name, "start", "#222222")
	}
	return c.png()
}

// MIME returns the strip as HTML, PNG and text.
func (f *Filmstrip) MIME() map[string]any {
	return map[string]any{"text/html": f.HTML(), "image/png": f.PNG(), "text/plain": f.Text()}
}

// frame is one moment of the strip, drawn larger: what Animate shows.
type frame struct {
	f *Filmstrip
	t time.Duration
}

func (fr frame) MIME() map[string]any {
	return map[string]any{
		"text/html":  fr.f.htmlFrames([]time.Duration{fr.t}, 28),
		"text/plain": fr.f.textFrames([]time.Duration{fr.t}, defaultColumns),
	}
}

// Animate plays the run in one display: Steps frames from its start to its
// end, each shown for Every, then the strip in its place, which is what a
// saved notebook keeps. Outside a notebook it shows only the strip.
// Interrupting the cell ends the animation at once.
func (f *Filmstrip) Animate() {
	if !display.Live() {
		display.Show(f)
		return
	}
	steps, every := f.Steps, f.Every
	if steps < 2 {
		steps = 20
	}
	if every <= 0 {
		every = 50 * time.Millisecond
	}
	id := display.Show(frame{f, 0})
	for i := 1; i < steps; i++ {
		Sleep(every)
		display.Update(id, frame{f, f.moment(i, steps)})
	}
	Sleep(every)
	display.Update(id, f)
}
