package lanes

import "github.com/lanes-dev/lanes/display"

// HTML is a string of HTML that shows itself rendered:
// lanes.Display(lanes.HTML("<b>bold</b>")).
type HTML string

// HTML returns the markup.
func (h HTML) HTML() string { return string(h) }

// Markdown is Markdown text that shows itself rendered.
type Markdown string

// Markdown returns the text.
func (m Markdown) Markdown() string { return string(m) }

// SVG is an SVG document that shows itself as a picture.
type SVG string

// SVG returns the document.
func (s SVG) SVG() string { return string(s) }

// NewDisplay shows v like Display and returns the id of the display, so that
// UpdateDisplay can replace it later: a progress line, an animation.
func NewDisplay(v any) string { return display.Show(v) }

// UpdateDisplay replaces the display with the given id (from NewDisplay) by v.
func UpdateDisplay(id string, v any) { display.Update(id, v) }

// ClearOutput clears what the cell has shown so far.
func ClearOutput() { display.Clear(false) }
