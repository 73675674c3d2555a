package lanes

import (
	"fmt"
	"math"
	"strings"
)

// Amdahl returns the largest speedup a program whose parallel part is the
// fraction p of its running time (0..1) can reach on n workers:
// 1 / ((1-p) + p/n).
func Amdahl(p float64, n int) float64 {
	if n < 1 {
		return 0
	}
	return 1 / ((1 - p) + p/float64(n))
}

// AmdahlLimit returns the speedup limit with infinitely many workers:
// 1 / (1-p). A program that is 80 % parallel never runs more than 5 times
// faster.
func AmdahlLimit(p float64) float64 {
	if p >= 1 {
		return math.Inf(1)
	}
	return 1 / (1 - p)
}

// SpeedupPoint is one measurement of a speedup curve.
type SpeedupPoint struct {
	Workers int
	Wall    float64 // in the run's time unit (units, or ms)
	Speedup float64
}

// SpeedupCurve is the speedup of one workload on 1..N workers, with the
// Amdahl curve that fits it best.
type SpeedupCurve struct {
	Name    string
	Virtual bool
	Points  []SpeedupPoint
	// Fraction is the parallel fraction p of the Amdahl curve closest to
	// the points (least squares on 1/speedup). Set it to draw another.
	Fraction float64
	// Cores is, for a measured curve, the processors of the machine
	// (GOMAXPROCS): no run can use more, so the ideal speedup on n workers
	// is min(n, Cores) and Amdahl's law is applied to min(n, Cores)
	// processors. 0 for simulated curves, whose machine has a core per
	// worker.
	Cores int
	// Serial says whether the workload has a serial part (a phase of a
	// single task). A measured curve is compared with Amdahl's law only
	// then; without one, it is limited by the cores, not by a serial part.
	Serial bool
	// Note says what a reader should know about the measurements, such as
	// that other programs had the cores during some runs ("" if nothing).
	Note string
}

// procs is how many processors n workers can use.
func (c *SpeedupCurve) procs(n int) int {
	if c.Cores > 0 {
		return min(n, c.Cores)
	}
	return n
}

// amdahl reports whether the curve is compared with Amdahl's law.
func (c *SpeedupCurve) amdahl() bool { return c.Cores == 0 || c.Serial }

// predicted is Amdahl's speedup on n workers.
func (c *SpeedupCurve) predicted(n int) float64 { return Amdahl(c.Fraction, c.procs(n)) }

// hasSerialPart reports whether w has a serial part: a phase of a single
// task followed or preceded by a phase of several.
func hasSerialPart(w Workload) bool {
	ph := w.phases()
	if len(ph) < 2 {
		return false
	}
	for _, p := range ph {
		if len(p) == 1 {
			return true
		}
	}
	return false
}

// Speedup simulates w on pools of 1..maxWorkers workers (one core each)
// and returns the speedup curve.
func Speedup(w Workload, maxWorkers int) *SpeedupCurve {
	c := &SpeedupCurve{Name: "pool(1.." + formatNum(float64(maxWorkers), 0) + ")", Virtual: true}
	var base float64
	for n := 1; n <= maxWorkers; n++ {
		r := Pool(n).Simulate(w, Machine{})
		wall := float64(r.Wall) / float64(Unit)
		if n == 1 {
			base = wall
		}
		c.Points = append(c.Points, SpeedupPoint{Workers: n, Wall: wall, Speedup: base / wall})
	}
	c.Fraction = fitAmdahl(c.Points, 0)
	return c
}

// fitAmdahl finds p minimising the squared error of 1/S = 1 - p(1 - 1/n),
// n the processors the point's workers could use (at most cores, if > 0).
func fitAmdahl(pts []SpeedupPoint, cores int) float64 {
	var num, den float64
	for _, pt := range pts {
		if pt.Speedup <= 0 {
			continue
		}
		n := pt.Workers
		if cores > 0 {
			n = min(n, cores)
		}
		x := 1 - 1/float64(n)
		y := 1 - 1/pt.Speedup
		num += x * y
		den += x * x
	}
	if den == 0 {
		return 0
	}
	return math.Max(0, math.Min(1, num/den))
}

// String is the text form of the curve.
func (c *SpeedupCurve) String() string { return c.Text() }

func (c *SpeedupCurve) maxWorkers() int {
	n := 1
	for _, p := range c.Points {
		n = max(n, p.Workers)
	}
	return n
}

// Text lists the points with a bar each, next to Amdahl's prediction.
func (c *SpeedupCurve) Text() string {
	var b strings.Builder
	if c.amdahl() {
		fmt.Fprintf(&b, "%s — speedup vs Amdahl's law with p = %s (limit %s×)\n", c.Name,
			formatNum(c.Fraction, 3), formatNum(AmdahlLimit(c.Fraction), 2))
	} else {
		fmt.Fprintf(&b, "%s — speedup, limited by %d %s (no serial part: Amdahl's law does not apply)\n", c.Name,
			c.Cores, plural(c.Cores, "core"))
	}
	if c.Cores > 0 && c.amdahl() {
		fmt.Fprintf(&b, "Amdahl's law on min(workers, %d cores)\n", c.Cores)
	}
	top := float64(c.maxWorkers())
	const barW = 40
	for _, p := range c.Points {
		n := int(p.Speedup/top*barW + 0.5)
		ref := "Amdahl " + formatNum(c.predicted(p.Workers), 2)
		if !c.amdahl() {
			ref = "ideal " + formatNum(float64(c.procs(p.Workers)), 2)
		}
		fmt.Fprintf(&b, "%3d %-7s  %6s×  %-*s  %s×\n", p.Workers, plural(p.Workers, "worker"), formatNum(p.Speedup, 2),
			barW, strings.Repeat("█", min(max(n, 0), barW)), ref)
	}
	if c.Note != "" {
		b.WriteString(c.Note + "\n")
	}
	return b.String()
}

// VegaLite returns the curve as a Vega-Lite v5 specification: measured
// speedups, Amdahl's curve and the ideal line.
func (c *SpeedupCurve) VegaLite() map[string]any {
	var values []any
	n := c.maxWorkers()
	for w := 1; w <= n; w++ {
		values = append(values, map[string]any{"workers": w, "series": "ideal", "speedup": float64(c.procs(w))})
		if c.amdahl() {
			values = append(values, map[string]any{"workers": w, "series": "Amdahl p=" + formatNum(c.Fraction, 3), "speedup": round4(c.predicted(w))})
		}
	}
	for _, p := range c.Points {
		values = append(values, map[string]any{"workers": p.Workers, "series": "measured", "speedup": round4(p.Speedup)})
	}
	return map[string]any{
		"$schema": vegaSchema,
		"title":   c.Name + ": speedup",
		"width":   400, "height": 300,
		"data": map[string]any{"values": values},
		"mark": map[string]any{"type": "line", "point": true},
		"encoding": map[string]any{
			"x": map[string]any{"field": "workers", "type": "quantitative", "title": "workers", "axis": map[string]any{"tickMinStep": 1}},
			"y": map[string]any{"field": "speedup", "type": "quantitative", "title": "speedup (×)"},
			"color": map[string]any{"field": "series", "type": "nominal", "title": nil,
				"scale": map[string]any{"range": []any{"#b0aca8", "#d8504d", "#4c78a8"}}},
			"strokeDash": map[string]any{"field": "series", "type": "nominal", "legend": nil},
			"tooltip": []any{
				map[string]any{"field": "series", "type": "nominal"},
				map[string]any{"field": "workers", "type": "quantitative"},
				map[string]any{"field": "speedup", "type": "quantitative"},
			},
		},
	}
}

// plotter draws the curve's primitives: SVG and PNG implement it.
type plotter interface {
	line(x0, y0, x1, y1 float64, color string, dashed bool)
	dot(x, y float64, color string)
	text(x, y float64, s string, anchor string)
	title(x, y float64, s string)
}

const (
	spW, spH            = 480, 340
	spL, spR, spT, spB  = 50, 150, 44, 40
	spIdeal, spAmdahl   = "#b0aca8", "#d8504d"
	spMeasured, spInkCl = "#4c78a8", "#333333"
)

func (c *SpeedupCurve) draw(p plotter) {
	n := c.maxWorkers()
	ymax := float64(n)
	pw, ph := float64(spW-spL-spR), float64(spH-spT-spB)
	X := func(w float64) float64 { return spL + (w-1)/math.Max(float64(n-1), 1)*pw }
	Y := func(s float64) float64 { return spT + ph - s/ymax*ph }
	p.title(8, 18, c.Name+": speedup")
	p.text(8, spT-12, "speedup (×)", "start")
	step := niceStep(ymax, 5)
	for v := 0.0; v <= ymax+1e-9; v += step {
		p.line(spL, Y(v), spL+pw, Y(v), "#e4e4e4", false)
		p.text(spL-6, Y(v)+4, formatNum(v, 2), "end")
	}
	xs := niceStep(float64(n-1), 8)
	xs = math.Max(1, math.Round(xs))
	for w := 1.0; w <= float64(n)+1e-9; w += xs {
		p.line(X(w), spT+ph, X(w), spT+ph+4, spInkCl, false)
		p.text(X(w), spT+ph+16, formatNum(w, 0), "middle")
	}
	p.line(spL, spT+ph, spL+pw, spT+ph, spInkCl, false)
	p.line(spL, spT, spL, spT+ph, spInkCl, false)
	p.text(spL+pw, spT+ph+32, "workers", "end")
	if c.Cores == 0 || c.Cores >= n {
		p.line(X(1), Y(1), X(float64(n)), Y(float64(n)), spIdeal, true)
	} else { // rises to the cores, then flat
		p.line(X(1), Y(1), X(float64(c.Cores)), Y(float64(c.Cores)), spIdeal, true)
		p.line(X(float64(c.Cores)), Y(float64(c.Cores)), X(float64(n)), Y(float64(c.Cores)), spIdeal, true)
	}
	for w := 1; w < n; w++ {
		if c.amdahl() {
			p.line(X(float64(w)), Y(c.predicted(w)), X(float64(w+1)), Y(c.predicted(w+1)), spAmdahl, false)
		}
	}
	for i, pt := range c.Points {
		if i > 0 {
			q := c.Points[i-1]
			p.line(X(float64(q.Workers)), Y(q.Speedup), X(float64(pt.Workers)), Y(pt.Speedup), spMeasured, false)
		}
		p.dot(X(float64(pt.Workers)), Y(pt.Speedup), spMeasured)
	}
	lx := float64(spW - spR + 14)
	legend := []struct{ name, color string }{{"measured", spMeasured}, {"Amdahl p=" + formatNum(c.Fraction, 3), spAmdahl}, {"ideal", spIdeal}}
	if !c.amdahl() {
		legend = []struct{ name, color string }{{"measured", spMeasured}, {fmt.Sprintf("ideal: %d cores", c.Cores), spIdeal}}
	}
	for i, item := range legend {
		y := spT + 10 + float64(i)*20
		p.line(lx, y, lx+18, y, item.color, item.color == spIdeal)
		p.text(lx+24, y+4, item.name, "start")
	}
}

type svgPlot struct{ b *strings.Builder }

func (s svgPlot) line(x0, y0, x1, y1 float64, color string, dashed bool) {
	dash := ""
	if dashed {
		dash = ` stroke-dasharray="4 3"`
	}
	fmt.Fprintf(s.b, `<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="%s" stroke-width="1.5"%s/>`+"\n", ff(x0), ff(y0), ff(x1), ff(y1), color, dash)
}
func (s svgPlot) dot(x, y float64, color string) {
	fmt.Fprintf(s.b, `<circle cx="%s" cy="%s" r="3.5" fill="%s"/>`+"\n", ff(x), ff(y), color)
}
func (s svgPlot) title(x, y float64, t string) {
	fmt.Fprintf(s.b, `<text x="%s" y="%s" font-weight="bold">%s</text>`+"\n", ff(x), ff(y), xmlEscape(t))
}
func (s svgPlot) text(x, y float64, t, anchor string) {
	fmt.Fprintf(s.b, `<text x="%s" y="%s" text-anchor="%s">%s</text>`+"\n", ff(x), ff(y), anchor, xmlEscape(t))
}

// SVG draws the curve as an SVG document.
func (c *SpeedupCurve) SVG() string {
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" font-family="Go, sans-serif" font-size="12">`+"\n", spW, spH, spW, spH)
	fmt.Fprintf(&b, `<rect width="%d" height="%d" fill="#ffffff"/>`+"\n", spW, spH)
	c.draw(svgPlot{&b})
	b.WriteString("</svg>\n")
	return b.String()
}

// pngPlot draws the curve on a canvas.
type pngPlot struct {
	c    *canvas
	f, b typeface
}

func (p pngPlot) title(x, y float64, s string) { p.c.text(p.b, x, y, s, "start", spInkCl) }

func (p pngPlot) line(x0, y0, x1, y1 float64, color string, dashed bool) {
	p.c.line(x0, y0, x1, y1, 1.5, color, dashed)
}
func (p pngPlot) dot(x, y float64, color string) { p.c.dot(x, y, 3.5, color) }
func (p pngPlot) text(x, y float64, s, anchor string) {
	p.c.text(p.f, x, y, s, anchor, spInkCl)
}

// PNG draws the curve as a PNG image.
func (c *SpeedupCurve) PNG() []byte {
	cv := newCanvas(spW, spH)
	c.draw(pngPlot{cv, newFace(textSize, false), newFace(textSize, true)})
	return cv.png()
}

// MIME returns the curve as Vega-Lite, SVG, PNG and text.
func (c *SpeedupCurve) MIME() map[string]any {
	return map[string]any{
		"application/vnd.vegalite.v5+json": c.VegaLite(),
		"image/svg+xml":                    c.SVG(),
		"image/png":                        c.PNG(),
		"text/plain":                       c.Text(),
	}
}

func plural(n int, word string) string {
	if n == 1 {
		return word
	}
	return word + "s"
}
