package lanes

import (
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"math"
	"sync"

	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"
)

// The PNG forms draw text with the Go fonts (sans-serif, hinted,
// anti-aliased) through golang.org/x/image/font/opentype; the SVG and
// Vega-Lite forms lay out with the same metrics, so a label that fits in the
// PNG fits in a browser too (within a few per cent: browsers substitute their
// own sans-serif).

// Text sizes of the charts, in pixels.
const (
	textSize  = 12
	smallSize = 10.5
	titleSize = 15
)

// goFonts are the parsed Go fonts: immutable after parsing, so shared.
var goFonts = sync.OnceValues(func() ([2]*opentype.Font, error) {
	var out [2]*opentype.Font
	for i, ttf := range [][]byte{goregular.TTF, gobold.TTF} {
		f, err := opentype.Parse(ttf)
		if err != nil {
			return out, fmt.Errorf("parsing the Go fonts: %w", err)
		}
		out[i] = f
	}
	return out, nil
})

// typeface is a font at one size. Faces keep a glyph buffer, so each
// drawing makes its own (faces are cheap; the parsed fonts are shared).
type typeface struct {
	face font.Face
}

// newFace returns the regular or bold Go font at size pixels.
func newFace(size float64, bold bool) typeface {
	fonts, err := goFonts()
	if err != nil {
		panic(err) // the fonts are compiled in: they always parse
	}
	f := fonts[0]
	if bold {
		f = fonts[1]
	}
	face, err := opentype.NewFace(f, &opentype.FaceOptions{Size: size, DPI: 72, Hinting: font.HintingFull})
	if err != nil {
		panic(fmt.Errorf("sizing the Go font: %w", err)) // only for invalid options
	}
	return typeface{face}
}

// width returns the advance of s in pixels.
func (t typeface) width(s string) float64 {
	return fix(font.MeasureString(t.face, s))
}

// draw writes s with its baseline at (x, y) in colour c.
func (t typeface) draw(img draw.Image, x, y float64, s string, c color.Color) {
	d := font.Drawer{Dst: img, Src: image.NewUniform(c), Face: t.face,
		Dot: fixed.Point26_6{X: fixed.Int26_6(math.Round(x * 64)), Y: fixed.Int26_6(math.Round(y * 64))}}
	d.DrawString(s)
}

// fit shortens s with an ellipsis until it is at most w pixels wide; it
// returns "" when not even one character and the ellipsis fit.
func (t typeface) fit(s string, w float64) string {
	if t.width(s) <= w {
		return s
	}
	// Estimate the longest prefix from the glyphs' advances, then check
	// with the measured width (which adds kerning).
	r := []rune(s)
	ell := t.width("…")
	n, x := 0, ell
	for n < len(r)-1 {
		adv, ok := t.face.GlyphAdvance(r[n])
		if !ok || x+fix(adv) > w {
			break
		}
		x += fix(adv)
		n++
	}
	for ; n >= 1; n-- {
		if c := string(r[:n]) + "…"; t.width(c) <= w {
			return c
		}
	}
	return ""
}

func fix(v fixed.Int26_6) float64 { return float64(v) / 64 }
