// Package display turns Go values into MIME bundles and publishes them to the
// front end of the running cell.
//
// A value shows itself by implementing one of the interfaces below; the
// widest one wins. MIME bundles are maps from a MIME type ("text/html",
// "image/png", ...) to its data: a string for text types, base64 text or raw
// bytes for images, and JSON-ready values for "application/...+json" types.
//
// Publishing is done through a Publisher installed by the process that hosts
// the cell (the engine's worker). Outside a worker, Show prints the
// text/plain form to standard output, so the same code works in a compiled
// program and in a test.
package display

import (
	"encoding/base64"
	"fmt"
	"os"
	"reflect"
	"sync"
	"sync/atomic"
)

// MIMEer is implemented by values that render themselves as a full bundle.
type MIMEer interface{ MIME() map[string]any }

// HTMLer is implemented by values that render as HTML.
type HTMLer interface{ HTML() string }

// SVGer is implemented by values that render as an SVG document.
type SVGer interface{ SVG() string }

// PNGer is implemented by values that render as a PNG image.
type PNGer interface{ PNG() []byte }

// Markdowner is implemented by values that render as Markdown.
type Markdowner interface{ Markdown() string }

// Bundle is a rendered value: MIME data and its metadata.
type Bundle struct {
	Data     map[string]any `json:"data"`
	Metadata map[string]any `json:"metadata,omitempty"`
}

// Rich reports whether v knows how to show itself through one of the
// interfaces of this package.
func Rich(v any) bool {
	switch v.(type) {
	case MIMEer, HTMLer, SVGer, PNGer, Markdowner:
		return true
	}
	return false
}

// Render returns the bundle of v. Values without a rich form get a
// text/plain entry formatted with fmt's %v verb (strings are quoted, as Go
// would print them with %q, so that "" is visible). Byte slices in image
// entries are encoded as base64, as Jupyter expects.
func Render(v any) Bundle {
	data := map[string]any{}
	switch x := v.(type) {
	case MIMEer:
		for k, val := range x.MIME() {
			data[k] = val
		}
	case HTMLer:
		data["text/html"] = x.HTML()
	case SVGer:
		data["image/svg+xml"] = x.SVG()
	case PNGer:
		data["image/png"] = x.PNG()
	case Markdowner:
		data["text/markdown"] = x.Markdown()
	}
	for k, val := range data {
		if b, ok := val.([]byte); ok {
			if isTextType(k) {
				data[k] = string(b)
			} else {
				data[k] = base64.StdEncoding.EncodeToString(b)
			}
		}
	}
	if _, ok := data["text/plain"]; !ok {
		data["text/plain"] = PlainText(v)
	}
	return Bundle{Data: data, Metadata: map[string]any{}}
}

// PlainText is the text/plain form of a value without one of its own.
func PlainText(v any) string {
	switch x := v.(type) {
	case string:
		return fmt.Sprintf("%q", x)
	case fmt.Stringer:
		return x.String()
	case error:
		return x.Error()
	case MIMEer, HTMLer, SVGer, PNGer, Markdowner:
		if inner, ok := wrapped(v); ok {
			return PlainText(inner)
		}
		return fmt.Sprintf("<%T>", v)
	}
	return fmt.Sprintf("%v", v)
}

// wrapped returns the value inside an interpreter's interface wrapper: a
// value of a type defined in a cell reaches compiled code as a struct whose
// IValue field holds it, with the wrapped interface's methods only.
func wrapped(v any) (any, bool) {
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Struct {
		return nil, false
	}
	f := rv.FieldByName("IValue")
	if !f.IsValid() || f.Kind() != reflect.Interface || !f.CanInterface() {
		return nil, false
	}
	return f.Interface(), true
}

func isTextType(mime string) bool {
	return len(mime) > 5 && mime[:5] == "text/" || mime == "image/svg+xml" ||
		(len(mime) > 5 && mime[len(mime)-5:] == "+json") || mime == "application/json"
}

// Publisher delivers bundles to the front end of the running cell. A non-empty
// id names the display so that a later call with update=true replaces it.
type Publisher interface {
	Publish(b Bundle, id string, update bool)
	// Clear clears the cell's output; with wait, only when new output
	// arrives (to avoid flicker in animations).
	Clear(wait bool)
}

var (
	mu        sync.Mutex
	publisher Publisher // installed once by the hosting process
	nextID    atomic.Uint64
)

// SetPublisher installs p as the destination of Show and Update. The engine's
// worker calls it once at start; nil restores printing to standard output.
// It is process-wide because a cell's output has one destination.
func SetPublisher(p Publisher) {
	mu.Lock()
	publisher = p
	mu.Unlock()
}

// Live reports whether a front end receives what Show and Update publish
// (a publisher is installed), so that a value can be updated in place: an
// animation, a progress line. Outside a worker it is false, and Show prints.
func Live() bool {
	mu.Lock()
	defer mu.Unlock()
	return publisher != nil
}

func publish(b Bundle, id string, update bool) {
	mu.Lock()
	p := publisher
	mu.Unlock()
	if p == nil {
		if t, ok := b.Data["text/plain"].(string); ok {
			fmt.Fprintln(os.Stdout, t)
		}
		return
	}
	p.Publish(b, id, update)
}

// Show displays v now, in the middle of the cell, and returns the id of the
// display, which Update accepts.
func Show(v any) string {
	id := NewID()
	publish(Render(v), id, false)
	return id
}

// ShowID displays v under the given id (a new display each call).
func ShowID(id string, v any) {
	publish(Render(v), id, false)
}

// Update replaces the display with the given id by v.
func Update(id string, v any) {
	publish(Render(v), id, true)
}

// Clear clears the output of the running cell. Outside a worker it does
// nothing.
func Clear(wait bool) {
	mu.Lock()
	p := publisher
	mu.Unlock()
	if p != nil {
		p.Clear(wait)
	}
}

// NewID returns a fresh display id, unique within the process.
func NewID() string {
	return fmt.Sprintf("lanes-%d-%d", os.Getpid(), nextID.Add(1))
}
