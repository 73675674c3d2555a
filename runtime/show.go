package lanes

import (
	"fmt"
	"regexp"

	"github.com/lanes-dev/lanes/display"
)

// HTML is a string of HTML that shows itself rendered:
// lanes.Display(lanes.HTML("<b>bold</b>")). Text-only front ends (the
// REPL, jupyter console) show its text: tables as aligned columns, one
// line per paragraph, break or list item.
type HTML string

// HTML returns the markup.
func (h HTML) HTML() string { return string(h) }

// String returns the text of the HTML, without its markup.
func (h HTML) String() string { return htmlText(string(h)) }

// MIME returns the HTML and its text.
func (h HTML) MIME() map[string]any {
	return map[string]any{"text/html": string(h), "text/plain": h.String()}
}

// Markdown is Markdown text that shows itself rendered. Text-only front
// ends show the text itself, with the columns of its tables aligned.
type Markdown string

// Markdown returns the text.
func (m Markdown) Markdown() string { return string(m) }

// String returns the text with its tables aligned.
func (m Markdown) String() string { return markdownText(string(m)) }

// MIME returns the Markdown and its text.
func (m Markdown) MIME() map[string]any {
	return map[string]any{"text/markdown": string(m), "text/plain": m.String()}
}

// SVG is an SVG document that shows itself as a picture.
type SVG string

// SVG returns the document.
func (s SVG) SVG() string { return string(s) }

// svgSize finds the width and height attributes of an SVG document.
var svgSize = regexp.MustCompile(`<svg[^>]*?\swidth="([^"]+)"[^>]*?\sheight="([^"]+)"`)

// String says what the picture is, for front ends that show no images:
// its size and the text it contains.
func (s SVG) String() string {
	size := ""
	if m := svgSize.FindStringSubmatch(string(s)); m != nil {
		size = " " + m[1] + "×" + m[2]
	}
	text := htmlText(string(s))
	if text == "" {
		return fmt.Sprintf("[SVG picture%s]", size)
	}
	return fmt.Sprintf("[SVG picture%s] %s", size, text)
}

// MIME returns the picture and its description.
func (s SVG) MIME() map[string]any {
	return map[string]any{"image/svg+xml": string(s), "text/plain": s.String()}
}

// NewDisplay shows v like Display and returns the id of the display, so that
// UpdateDisplay can replace it later: a progress line, an animation.
func NewDisplay(v any) string { return display.Show(v) }

// UpdateDisplay replaces the display with the given id (from NewDisplay) by v.
func UpdateDisplay(id string, v any) { display.Update(id, v) }

// ClearOutput clears what the cell has shown so far.
func ClearOutput() { display.Clear(false) }
