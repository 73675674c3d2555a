package lanes

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"math"
	"strconv"

	"golang.org/x/image/vector"
)

// canvas draws anti-aliased shapes (golang.org/x/image/vector) and text
// (the Go fonts) on an RGBA image: the PNG forms of the charts.
type canvas struct {
	img *image.RGBA
	z   *vector.Rasterizer // reused for every shape, sized to its box
}

func newCanvas(w, h int) *canvas {
	c := &canvas{img: image.NewRGBA(image.Rect(0, 0, w, h)), z: vector.NewRasterizer(1, 1)}
	c.rect(0, 0, float64(w), float64(h), "#ffffff")
	return c
}

// path fills the polygon pts in colour col.
func (c *canvas) path(col color.RGBA, pts ...[2]float64) {
	if len(pts) < 3 {
		return
	}
	minX, minY, maxX, maxY := math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
	for _, p := range pts {
		minX, minY = min(minX, p[0]), min(minY, p[1])
		maxX, maxY = max(maxX, p[0]), max(maxY, p[1])
	}
	box := image.Rect(int(math.Floor(minX)), int(math.Floor(minY)), int(math.Ceil(maxX)), int(math.Ceil(maxY))).Intersect(c.img.Bounds())
	if box.Empty() {
		return
	}
	c.z.Reset(box.Dx(), box.Dy())
	ox, oy := float64(box.Min.X), float64(box.Min.Y)
	c.z.MoveTo(float32(pts[0][0]-ox), float32(pts[0][1]-oy))
	for _, p := range pts[1:] {
		c.z.LineTo(float32(p[0]-ox), float32(p[1]-oy))
	}
	c.z.ClosePath()
	c.z.Draw(c.img, box, image.NewUniform(col), image.Point{})
}

// rect fills a rectangle; fractional edges are blended.
func (c *canvas) rect(x, y, w, h float64, col string) {
	c.path(rgb(col), [2]float64{x, y}, [2]float64{x + w, y}, [2]float64{x + w, y + h}, [2]float64{x, y + h})
}

// line strokes a segment width pixels wide, dashed 4 on, 3 off if asked.
func (c *canvas) line(x0, y0, x1, y1, width float64, col string, dashed bool) {
	dx, dy := x1-x0, y1-y0
	n := math.Hypot(dx, dy)
	if n == 0 {
		return
	}
	ux, uy := dx/n, dy/n
	px, py := -uy*width/2, ux*width/2
	seg := func(a, b float64) {
		ax, ay, bx, by := x0+ux*a, y0+uy*a, x0+ux*b, y0+uy*b
		c.path(rgb(col), [2]float64{ax + px, ay + py}, [2]float64{bx + px, by + py}, [2]float64{bx - px, by - py}, [2]float64{ax - px, ay - py})
	}
	if !dashed {
		seg(0, n)
		return
	}
	for a := 0.0; a < n; a += 7 {
		seg(a, min(a+4, n))
	}
}

// dot fills a circle.
func (c *canvas) dot(cx, cy, r float64, col string) {
	pts := make([][2]float64, 32)
	for i := range pts {
		a := 2 * math.Pi * float64(i) / float64(len(pts))
		pts[i] = [2]float64{cx + r*math.Cos(a), cy + r*math.Sin(a)}
	}
	c.path(rgb(col), pts...)
}

// text writes s with its baseline at y, anchored at x by its start,
// middle or end.
func (c *canvas) text(f typeface, x, y float64, s, anchor, col string) {
	switch anchor {
	case "middle":
		x -= f.width(s) / 2
	case "end":
		x -= f.width(s)
	}
	f.draw(c.img, x, y, s, rgb(col))
}

func (c *canvas) png() []byte {
	var buf bytes.Buffer
	if err := png.Encode(&buf, c.img); err != nil {
		return nil // cannot happen with an in-memory RGBA image
	}
	return buf.Bytes()
}

// PNG draws the timeline as a PNG image, for places that show no SVG or
// JavaScript (GitHub, nbconvert, untrusted notebooks). Same layout as SVG.
func (t *Timeline) PNG() []byte {
	f := newChartFaces()
	g := t.geometry(f)
	c := newCanvas(g.width, g.height)
	const ink, grey = "#222222", "#666666"
	if g.title != "" {
		c.text(f.title, leftM, 18, g.title, "start", ink)
	}
	ticks, div, unit := t.ticks(8)
	top := float64(g.titleH + 4)
	for _, tk := range ticks {
		c.rect(math.Round(g.x(tk))-0.5, top, 1, float64(g.axisY)-top, "#e4e4e4")
	}
	for _, rg := range g.runs {
		r := rg.run
		c.text(f.bold, leftM, float64(rg.headerY), rg.header, "start", ink)
		for i, lane := range rg.rows {
			y := float64(rg.rowY(i))
			if i%2 == 1 {
				c.rect(float64(g.labelW), y, float64(g.plotW), rowH, "#f7f7f7")
			}
			c.text(f.text, float64(g.labelW-6), y+13, f.text.fit(r.Lanes[lane], float64(g.labelW-10)), "end", ink)
		}
		for _, br := range rg.bars {
			x, w := g.barBox(br)
			y := float64(rg.rowY(br.row) + (rowH-barH)/2)
			color := styleOf(br.kind).color
			c.rect(x, y, w, barH, color)
			if sc := g.stripe(&rg.runLayout, br); sc != "" {
				c.rect(x, y, w, stripeH, sc)
			}
			if l := barLabel(&rg.runLayout, br, w, f.small); l != "" {
				c.text(f.small, x+3, y+barH-3, l, "start", inkOn(color))
			}
		}
		if rg.noteY > 0 {
			c.text(f.text, float64(g.labelW), float64(rg.noteY+13), f.text.fit(rg.elisionNote(), float64(g.plotW)), "start", grey)
		}
	}
	axisY := float64(g.axisY)
	c.rect(float64(g.labelW), axisY, float64(g.plotW), 1, "#333333")
	lastEnd := math.Inf(-1)
	for _, tk := range ticks {
		x := math.Round(g.x(tk))
		c.rect(x-0.5, axisY, 1, 5, "#333333")
		s := formatNum(float64(tk)/div, 3)
		if w := f.text.width(s); x-w/2 > lastEnd+4 {
			c.text(f.text, x, axisY+17, s, "middle", ink)
			lastEnd = x + w/2
		}
	}
	c.text(f.text, float64(g.labelW+g.plotW/2), axisY+34, "time ("+unit+")", "middle", "#333333")
	for _, it := range g.legend {
		tx := float64(it.x)
		switch {
		case it.stripe:
			c.rect(tx, float64(it.y+2), swatch, stripeH+1, it.color)
			tx += swatch + 4
		case it.color != "":
			c.rect(tx, float64(it.y+2), swatch, swatch, it.color)
			tx += swatch + 4
		}
		c.text(f.text, tx, float64(it.y+13), it.name, "start", ink)
	}
	return c.png()
}

// rgb parses "#rrggbb".
func rgb(s string) color.RGBA {
	v, _ := strconv.ParseUint(s[1:], 16, 32)
	return color.RGBA{uint8(v >> 16), uint8(v >> 8), uint8(v), 255}
}
