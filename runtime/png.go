package lanes

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"strconv"
)

// PNG draws the timeline as a PNG image, for places that show no SVG or
// JavaScript (GitHub, nbconvert, untrusted notebooks). Same layout as SVG.
func (t *Timeline) PNG() []byte {
	g := t.geometry(12)
	img := image.NewRGBA(image.Rect(0, 0, g.width, g.height))
	fill(img, 0, 0, g.width, g.height, rgb("#ffffff"))
	ink, grey, grid := rgb("#222222"), rgb("#666666"), rgb("#e4e4e4")
	if t.Title != "" {
		drawText(img, 8, 6, t.Title, ink, 2)
	}
	st := t.styler()
	ticks, div, unit := t.ticks(8)
	top := g.titleH + 4
	for _, tk := range ticks {
		fill(img, int(g.x(tk)), top, 1, g.axisY-top, grid)
	}
	for _, rg := range g.runs {
		r := rg.run
		drawText(img, 8, rg.headerY-13, runHeader(r), ink, 2)
		for lane := 0; lane < rg.lanes; lane++ {
			y := rg.laneY + lane*rowH
			if lane%2 == 1 {
				fill(img, g.labelW, y, g.plotW, rowH, rgb("#f7f7f7"))
			}
			name := truncate(r.Lanes[lane], (g.labelW-10)/12)
			drawText(img, g.labelW-6-textWidth(name, 2), y+2, name, ink, 2)
		}
		for _, br := range rg.bars {
			x0, x1 := g.x(br.start), g.x(br.end)
			xi := int(x0)
			w := max(int(x1+0.5)-xi, 1)
			y := rg.laneY + br.lane*rowH + (rowH-barH)/2
			fill(img, xi, y, w, barH, rgb(st.items[st.of(r, br)].color))
			if w >= 4 { // a white edge shows where one task ends and the next begins
				fill(img, xi, y, 1, barH, rgb("#ffffff"))
			}
		}
		if rg.noteY > 0 {
			drawText(img, g.labelW, rg.noteY-12, "… "+strconv.Itoa(rg.hidden)+" more lanes", grey, 2)
		}
	}
	fill(img, g.labelW, g.axisY, g.plotW+1, 1, ink)
	lastEnd := -1
	for _, tk := range ticks {
		x := int(g.x(tk))
		fill(img, x, g.axisY, 1, 5, ink)
		s := formatNum(float64(tk)/div, 3)
		lx := x - textWidth(s, 1)/2
		if lx > lastEnd {
			lastEnd = drawText(img, lx, g.axisY+8, s, ink, 1)
		}
	}
	label := "time (" + unit + ")"
	drawText(img, g.labelW+g.plotW-textWidth(label, 1), g.axisY+22, label, grey, 1)
	x := g.labelW
	y := g.legendY
	for _, it := range st.items {
		if x+16+textWidth(it.name, 2) > g.width && x > g.labelW {
			x, y = g.labelW, y+legendH
		}
		fill(img, x, y+2, 12, 12, rgb(it.color))
		x = drawText(img, x+16, y+1, it.name, ink, 2) + 16
	}
	var buf bytes.Buffer
	enc := png.Encoder{CompressionLevel: png.DefaultCompression}
	if err := enc.Encode(&buf, img); err != nil {
		return nil // cannot happen with an in-memory RGBA image
	}
	return buf.Bytes()
}

func fill(img *image.RGBA, x, y, w, h int, c color.RGBA) {
	r := image.Rect(x, y, x+w, y+h).Intersect(img.Bounds())
	for yy := r.Min.Y; yy < r.Max.Y; yy++ {
		for xx := r.Min.X; xx < r.Max.X; xx++ {
			img.SetRGBA(xx, yy, c)
		}
	}
}

// rgb parses "#rrggbb".
func rgb(s string) color.RGBA {
	v, _ := strconv.ParseUint(s[1:], 16, 32)
	return color.RGBA{uint8(v >> 16), uint8(v >> 8), uint8(v), 255}
}
