package lanes

import (
	"fmt"
	"strings"
	"time"
)

// chartGeom is the geometry shared by the SVG and PNG forms.
type chartGeom struct {
	width, height int
	labelW        int // left margin, where lane names go
	plotW         int
	titleH        int
	runs          []runGeom
	axisY         int // top of the axis
	legendY       int
	end           time.Duration
}

type runGeom struct {
	runLayout
	headerY int // baseline of the header
	laneY   int // top of the first lane row
	noteY   int // baseline of the hidden-lanes note (0: none)
}

const (
	rowH    = 18
	barH    = 14
	headH   = 22
	runGap  = 8
	axisH   = 34
	legendH = 20
	rightM  = 16
)

// geometry lays the chart out; charW is the width of one character of the
// label font.
func (t *Timeline) geometry(charW int) chartGeom {
	g := chartGeom{width: t.width(), end: t.end()}
	g.labelW = min(max(maxLabel(t)*charW+14, 60), g.width/3)
	g.plotW = g.width - g.labelW - rightM
	if t.Title != "" {
		g.titleH = 26
	}
	y := g.titleH + 4
	for _, rl := range t.layout(g.plotW) {
		rg := runGeom{runLayout: rl, headerY: y + 15, laneY: y + headH}
		y = rg.laneY + rl.lanes*rowH
		if rl.hidden > 0 {
			rg.noteY = y + 13
			y += rowH
		}
		y += runGap
		g.runs = append(g.runs, rg)
	}
	g.axisY = y
	g.legendY = y + axisH
	rows, x := 1, g.labelW
	for _, it := range t.styler().items {
		w := 16 + 7*len([]rune(it.name)) + 18
		if x+w > g.width && x > g.labelW {
			rows, x = rows+1, g.labelW
		}
		x += w
	}
	g.height = g.legendY + rows*legendH + 4
	return g
}

func (g *chartGeom) x(d time.Duration) float64 {
	return float64(g.labelW) + float64(d)/float64(g.end)*float64(g.plotW)
}

// SVG draws the timeline as an SVG document; hovering a bar shows its
// task, kind, start and duration.
func (t *Timeline) SVG() string {
	g := t.geometry(7)
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" font-family="sans-serif" font-size="12">`+"\n",
		g.width, g.height, g.width, g.height)
	fmt.Fprintf(&b, `<rect width="%d" height="%d" fill="#ffffff"/>`+"\n", g.width, g.height)
	if t.Title != "" {
		fmt.Fprintf(&b, `<text x="%d" y="18" font-size="15" font-weight="bold">%s</text>`+"\n", 8, xmlEscape(t.Title))
	}
	st := t.styler()
	ticks, div, unit := t.ticks(8)
	top := g.titleH + 4
	for _, tk := range ticks {
		x := ff(g.x(tk))
		fmt.Fprintf(&b, `<line x1="%s" y1="%d" x2="%s" y2="%d" stroke="#e4e4e4"/>`+"\n", x, top, x, g.axisY)
	}
	for _, rg := range g.runs {
		r := rg.run
		fmt.Fprintf(&b, `<text x="8" y="%d" font-weight="bold">%s</text>`+"\n", rg.headerY, xmlEscape(runHeader(r)))
		for lane := 0; lane < rg.lanes; lane++ {
			y := rg.laneY + lane*rowH
			if lane%2 == 1 {
				fmt.Fprintf(&b, `<rect x="%d" y="%d" width="%d" height="%d" fill="#000000" fill-opacity="0.03"/>`+"\n", g.labelW, y, g.plotW, rowH)
			}
			fmt.Fprintf(&b, `<text x="%d" y="%d" text-anchor="end">%s</text>`+"\n", g.labelW-6, y+13, xmlEscape(r.Lanes[lane]))
		}
		for _, br := range rg.bars {
			x0, x1 := g.x(br.start), g.x(br.end)
			w := max(x1-x0, 0.5)
			y := rg.laneY + br.lane*rowH + (rowH-barH)/2
			fmt.Fprintf(&b, `<rect x="%s" y="%d" width="%s" height="%d" fill="%s" stroke="#ffffff" stroke-width="0.5"><title>%s</title></rect>`+"\n",
				ff(x0), y, ff(w), barH, st.items[st.of(r, br)].color, xmlEscape(barTitle(r, br)))
		}
		if rg.noteY > 0 {
			fmt.Fprintf(&b, `<text x="%d" y="%d" fill="#666666">… %d more lanes</text>`+"\n", g.labelW, rg.noteY, rg.hidden)
		}
	}
	fmt.Fprintf(&b, `<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="#333333"/>`+"\n", g.labelW, g.axisY, g.labelW+g.plotW, g.axisY)
	for _, tk := range ticks {
		x := ff(g.x(tk))
		fmt.Fprintf(&b, `<line x1="%s" y1="%d" x2="%s" y2="%d" stroke="#333333"/>`+"\n", x, g.axisY, x, g.axisY+4)
		fmt.Fprintf(&b, `<text x="%s" y="%d" text-anchor="middle">%s</text>`+"\n", x, g.axisY+16, formatNum(float64(tk)/div, 3))
	}
	fmt.Fprintf(&b, `<text x="%d" y="%d" text-anchor="end" fill="#333333">time (%s)</text>`+"\n", g.labelW+g.plotW, g.axisY+30, unit)
	x := g.labelW
	y := g.legendY
	for _, it := range st.items {
		w := 16 + 7*len([]rune(it.name)) + 18
		if x+w > g.width && x > g.labelW {
			x, y = g.labelW, y+legendH
		}
		fmt.Fprintf(&b, `<rect x="%d" y="%d" width="12" height="12" fill="%s"/>`+"\n", x, y+2, it.color)
		fmt.Fprintf(&b, `<text x="%d" y="%d">%s</text>`+"\n", x+16, y+12, xmlEscape(it.name))
		x += w
	}
	b.WriteString("</svg>\n")
	return b.String()
}

// ff formats an SVG coordinate with two decimals at most.
func ff(x float64) string { return formatNum(x, 2) }
