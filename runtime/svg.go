package lanes

import (
	"fmt"
	"math"
	"strings"
	"time"
)

// chartGeom is the geometry shared by the SVG, PNG and Vega-Lite forms,
// measured with the Go fonts.
type chartGeom struct {
	width, height int
	labelW        int // left margin, where lane names go
	plotW         int
	titleH        int
	title         string // the title, shortened to the width
	runs          []runGeom
	axisY         int // top of the axis
	legendY       int
	legend        []legendSlot
	stripes       map[string]string // task -> stripe colour
	end           time.Duration
}

type runGeom struct {
	runLayout
	header  string // the run's header, shortened to the width
	headerY int    // baseline of the header
	laneY   int    // top of the first lane row
	noteY   int    // top of the row of the elided-lanes note (0: none)
}

// legendSlot is a legend entry placed: its swatch's top left corner. A
// stripe entry draws a task's stripe; a caption (no colour) is text only.
type legendSlot struct {
	legendItem
	x, y   int
	stripe bool
}

const (
	rowH      = 18
	barH      = 14
	headH     = 22
	runGap    = 8
	axisH     = 40
	legendH   = 20
	rightM    = 16
	leftM     = 8
	swatch    = 12
	minLabelW = 60
)

// rowY returns the top of the row of lane row i of rg.
func (rg *runGeom) rowY(i int) int {
	if rg.elided > 0 && i >= rg.elideAt {
		i++
	}
	return rg.laneY + i*rowH
}

// chartFaces are the faces a chart is measured and drawn with.
type chartFaces struct{ text, bold, small, title typeface }

func newChartFaces() chartFaces {
	return chartFaces{newFace(textSize, false), newFace(textSize, true), newFace(smallSize, false), newFace(titleSize, true)}
}

// geometry lays the chart out. The canvas grows to fit its legend: entries
// wrap onto as many rows as they need.
func (t *Timeline) geometry(f chartFaces) chartGeom {
	g := chartGeom{width: t.width(), end: t.end()}
	lw := 0.0
	for _, r := range t.runs {
		rows, _ := shownLanes(len(r.Lanes), t.maxLanes())
		for _, lane := range rows {
			lw = max(lw, f.text.width(r.Lanes[lane]))
		}
	}
	g.labelW = min(max(int(math.Ceil(lw))+14, minLabelW), g.width/3)
	g.plotW = g.width - g.labelW - rightM
	if t.Title != "" {
		g.titleH = 24
		g.title = f.title.fit(t.Title, float64(g.width-2*leftM))
	}
	y := g.titleH + 4
	for _, rl := range t.layout(g.plotW) {
		rg := runGeom{runLayout: rl, header: f.bold.fit(runHeader(rl.run), float64(g.width-2*leftM)), headerY: y + 15, laneY: y + headH}
		y = rg.laneY + len(rl.rows)*rowH
		if rl.elided > 0 {
			rg.noteY = rg.laneY + rl.elideAt*rowH
			y += rowH
		}
		y += runGap
		g.runs = append(g.runs, rg)
	}
	g.axisY = y
	g.legendY = y + axisH
	x, ly := g.labelW, g.legendY
	right := g.width - rightM
	place := func(it legendItem, stripe bool) {
		sw := 0
		if it.color != "" {
			sw = swatch + 4
		}
		if room := float64(right - g.labelW - sw); f.text.width(it.name) > room {
			it.name = f.text.fit(it.name, room)
		}
		w := sw + int(math.Ceil(f.text.width(it.name)))
		if x+w > right && x > g.labelW {
			x, ly = g.labelW, ly+legendH
		}
		g.legend = append(g.legend, legendSlot{it, x, ly, stripe})
		x += w + 18
	}
	for _, it := range t.kindLegend() {
		place(it, false)
	}
	tasks, stripes, tooMany := t.taskLegend()
	g.stripes = stripes
	switch {
	case len(tasks) > 0:
		x, ly = g.labelW, ly+legendH
		place(legendItem{name: "tasks (stripe on top):"}, false)
		for _, it := range tasks {
			place(it, true)
		}
	case tooMany > 0:
		x, ly = g.labelW, ly+legendH
		place(legendItem{name: fmt.Sprintf("%d tasks: named in their bars", tooMany)}, false)
	}
	g.height = ly + legendH + 4
	return g
}

func (g *chartGeom) x(d time.Duration) float64 {
	return float64(g.labelW) + float64(d)/float64(g.end)*float64(g.plotW)
}

// barBox returns the left edge and width of a bar, leaving a gap of a
// pixel to its neighbours when it is wide enough to spare one, so that two
// tasks in a row never draw as one bar.
func (g *chartGeom) barBox(b bar) (x, w float64) {
	x0, x1 := g.x(b.start), g.x(b.end)
	if x1-x0 >= 3 {
		return x0 + 0.5, x1 - x0 - 1
	}
	return x0, max(x1-x0, 0.5)
}

// stripe returns the stripe colour of a bar of rl ("" for none).
func (g *chartGeom) stripe(rl *runLayout, b bar) string {
	if !rl.run.ColorByTask || b.task < 0 || b.task >= len(rl.run.Tasks) {
		return ""
	}
	return g.stripes[rl.run.Tasks[b.task]]
}

// stripeH is the height of a task's stripe along the top of its bars.
const stripeH = 3

// barLabel is the text drawn in a bar: its task, when that is not already
// the lane's name and fits whole in w pixels (a shortened name could read
// as another task's: part1… is part10 or part11).
func barLabel(rl *runLayout, b bar, w float64, f typeface) string {
	if b.task < 0 || b.task >= len(rl.run.Tasks) || w < 14 {
		return ""
	}
	name := rl.run.Tasks[b.task]
	if name == rl.run.Lanes[rl.rows[b.row]] || f.width(name) > w-6 {
		return ""
	}
	return name
}

// SVG draws the timeline as an SVG document; hovering a bar shows its
// task, kind, start, end and duration.
func (t *Timeline) SVG() string {
	f := newChartFaces()
	g := t.geometry(f)
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" font-family="Go, sans-serif" font-size="%d">`+"\n",
		g.width, g.height, g.width, g.height, textSize)
	fmt.Fprintf(&b, `<rect width="%d" height="%d" fill="#ffffff"/>`+"\n", g.width, g.height)
	if g.title != "" {
		fmt.Fprintf(&b, `<text x="%d" y="18" font-size="%d" font-weight="bold">%s</text>`+"\n", leftM, titleSize, xmlEscape(g.title))
	}
	ticks, div, unit := t.ticks(8)
	top := g.titleH + 4
	for _, tk := range ticks {
		x := ff(g.x(tk))
		fmt.Fprintf(&b, `<line x1="%s" y1="%d" x2="%s" y2="%d" stroke="#e4e4e4"/>`+"\n", x, top, x, g.axisY)
	}
	for _, rg := range g.runs {
		r := rg.run
		fmt.Fprintf(&b, `<text x="%d" y="%d" font-weight="bold">%s</text>`+"\n", leftM, rg.headerY, xmlEscape(rg.header))
		for i, lane := range rg.rows {
			y := rg.rowY(i)
			if i%2 == 1 {
				fmt.Fprintf(&b, `<rect x="%d" y="%d" width="%d" height="%d" fill="#000000" fill-opacity="0.03"/>`+"\n", g.labelW, y, g.plotW, rowH)
			}
			// The label is laid out in the Go font's metrics; textLength
			// holds a browser's fallback font (often wider) to that width,
			// so that no label runs off the left edge.
			label := f.text.fit(r.Lanes[lane], float64(g.labelW-10))
			fmt.Fprintf(&b, `<text x="%d" y="%d" text-anchor="end" textLength="%.0f" lengthAdjust="spacingAndGlyphs">%s</text>`+"\n", g.labelW-6, y+13, math.Ceil(f.text.width(label)), xmlEscape(label))
		}
		for _, br := range rg.bars {
			x, w := g.barBox(br)
			y := rg.rowY(br.row) + (rowH-barH)/2
			color := styleOf(br.kind).color
			fmt.Fprintf(&b, `<rect x="%s" y="%d" width="%s" height="%d" fill="%s"><title>%s</title></rect>`+"\n",
				ff(x), y, ff(w), barH, color, xmlEscape(barTitle(&rg.runLayout, br)))
			if sc := g.stripe(&rg.runLayout, br); sc != "" {
				fmt.Fprintf(&b, `<rect x="%s" y="%d" width="%s" height="%d" fill="%s" pointer-events="none"/>`+"\n", ff(x), y, ff(w), stripeH, sc)
			}
			if l := barLabel(&rg.runLayout, br, w, f.small); l != "" {
				// textLength holds the label to the width measured here,
				// whatever sans-serif the browser substitutes for Go's.
				fmt.Fprintf(&b, `<text x="%s" y="%d" font-size="%s" fill="%s" textLength="%s" lengthAdjust="spacingAndGlyphs" pointer-events="none">%s</text>`+"\n",
					ff(x+3), y+barH-3, ff(smallSize), inkOn(color), ff(f.small.width(l)), xmlEscape(l))
			}
		}
		if rg.noteY > 0 {
			fmt.Fprintf(&b, `<text x="%d" y="%d" fill="#666666">%s</text>`+"\n", g.labelW, rg.noteY+13, xmlEscape(f.text.fit(rg.elisionNote(), float64(g.plotW))))
		}
	}
	fmt.Fprintf(&b, `<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="#333333"/>`+"\n", g.labelW, g.axisY, g.labelW+g.plotW, g.axisY)
	for _, tk := range ticks {
		x := ff(g.x(tk))
		fmt.Fprintf(&b, `<line x1="%s" y1="%d" x2="%s" y2="%d" stroke="#333333"/>`+"\n", x, g.axisY, x, g.axisY+4)
		fmt.Fprintf(&b, `<text x="%s" y="%d" text-anchor="middle">%s</text>`+"\n", x, g.axisY+17, formatNum(float64(tk)/div, 3))
	}
	fmt.Fprintf(&b, `<text x="%d" y="%d" text-anchor="middle" fill="#333333">time (%s)</text>`+"\n", g.labelW+g.plotW/2, g.axisY+34, unit)
	for _, it := range g.legend {
		tx := it.x
		switch {
		case it.stripe:
			fmt.Fprintf(&b, `<rect x="%d" y="%d" width="%d" height="%d" fill="%s"/>`+"\n", it.x, it.y+2, swatch, stripeH+1, it.color)
			tx += swatch + 4
		case it.color != "":
			fmt.Fprintf(&b, `<rect x="%d" y="%d" width="%d" height="%d" fill="%s"/>`+"\n", it.x, it.y+2, swatch, swatch, it.color)
			tx += swatch + 4
		}
		fmt.Fprintf(&b, `<text x="%d" y="%d">%s</text>`+"\n", tx, it.y+13, xmlEscape(it.name))
	}
	b.WriteString("</svg>\n")
	return b.String()
}

// ff formats an SVG coordinate with two decimals at most.
func ff(x float64) string { return formatNum(x, 2) }
