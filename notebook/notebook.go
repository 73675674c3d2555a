package notebook

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
)

// Cell types.
const (
	Code     = "code"
	Markdown = "markdown"
	Raw      = "raw"
)

// Notebook is an nbformat 4 notebook. Fields not listed here (and every
// byte of values that were not changed) are kept from the file it was read
// from.
type Notebook struct {
	// Format and FormatMinor are nbformat and nbformat_minor.
	Format, FormatMinor int
	// Metadata is the notebook's metadata object, as written in the file.
	Metadata json.RawMessage
	// Cells are the notebook's cells, in order.
	Cells []*Cell

	members    []member // top-level keys in file order
	origFormat [2]int
}

// Cell is one cell. Type, ID, Source, ExecutionCount and Outputs may be
// changed; Marshal writes a field anew only when it differs from what was
// read.
type Cell struct {
	// Type is Code, Markdown or Raw.
	Type string
	// ID is the cell id of nbformat 4.5 ("" when the cell has none).
	ID string
	// Source is the cell's text (a list of lines in the file is joined).
	Source string
	// Metadata is the cell's metadata object, as written in the file.
	Metadata json.RawMessage
	// ExecutionCount is the cell's prompt number (code cells; nil is null).
	ExecutionCount *int
	// Outputs are a code cell's outputs.
	Outputs []*Output

	members []member
	orig    struct {
		typ, id, source string
		sourceList      bool
		count           *int
		outputs         []*Output
	}
}

// New returns an empty notebook of nbformat 4.5.
func New() *Notebook {
	return &Notebook{Format: 4, FormatMinor: 5, Metadata: json.RawMessage("{}")}
}

// NewCell returns a cell of the given type with a fresh id. Its source is
// written as a list of lines, as Jupyter does.
func NewCell(typ, source string) *Cell {
	c := &Cell{Type: typ, ID: newID(), Source: source, Metadata: json.RawMessage("{}")}
	c.orig.sourceList = true
	return c
}

func newID() string {
	var b [4]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// ValidationError is a notebook that is valid JSON but not a valid
// nbformat 4 notebook.
type ValidationError struct {
	// Cell is the 1-based position of the offending cell, 0 for the
	// notebook itself.
	Cell int
	// Msg says what is wrong.
	Msg string
}

// Error names the cell, if any, and the problem.
func (e *ValidationError) Error() string {
	if e.Cell == 0 {
		return "not a valid notebook: " + e.Msg
	}
	return fmt.Sprintf("not a valid notebook: cell %d: %s", e.Cell, e.Msg)
}

func invalid(cell int, format string, args ...any) error {
	return &ValidationError{Cell: cell, Msg: fmt.Sprintf(format, args...)}
}

// ReadFile reads and validates the notebook in file. Errors name the file
// (and, for broken JSON, the line and column).
func ReadFile(file string) (*Notebook, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	nb, err := Parse(data)
	if err != nil {
		var se *SyntaxError
		if errors.As(err, &se) {
			se.File = file
			return nil, se
		}
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	return nb, nil
}

// Parse reads and validates a notebook. Broken JSON is a *SyntaxError with
// its position; a notebook of the wrong shape is a *ValidationError.
func Parse(data []byte) (*Notebook, error) {
	if !json.Valid(data) {
		return nil, syntaxError(data)
	}
	top, isObj, err := decodeObject(data)
	if err != nil {
		return nil, syntaxError(data)
	}
	if !isObj {
		return nil, invalid(0, "the file is JSON but not an object")
	}
	nb := &Notebook{members: top}
	if err := intField(top, "nbformat", &nb.Format); err != nil {
		return nil, err
	}
	if nb.Format != 4 {
		return nil, invalid(0, "nbformat %d is not supported, only 4 (convert it with: jupyter nbconvert --to notebook --nbformat 4)", nb.Format)
	}
	if err := intField(top, "nbformat_minor", &nb.FormatMinor); err != nil {
		return nil, err
	}
	nb.origFormat = [2]int{nb.Format, nb.FormatMinor}
	if nb.Metadata, err = objectField(top, "metadata", 0); err != nil {
		return nil, err
	}
	rawCells := get(top, "cells")
	var cells []json.RawMessage
	if rawCells == nil {
		return nil, invalid(0, `no "cells"`)
	}
	if err := json.Unmarshal(rawCells, &cells); err != nil {
		return nil, invalid(0, `"cells" must be a list`)
	}
	nb.Cells = make([]*Cell, len(cells))
	for i, raw := range cells {
		if nb.Cells[i], err = parseCell(raw, i+1); err != nil {
			return nil, err
		}
	}
	return nb, nil
}

func intField(ms []member, key string, dst *int) error {
	raw := get(ms, key)
	if raw == nil {
		return invalid(0, "no %q field", key)
	}
	if err := json.Unmarshal(raw, dst); err != nil {
		return invalid(0, "%q must be an integer, not %s", key, short(raw))
	}
	return nil
}

func objectField(ms []member, key string, cell int) (json.RawMessage, error) {
	raw := get(ms, key)
	if raw == nil {
		return nil, invalid(cell, "no %q", key)
	}
	if t := bytes.TrimLeft(raw, " \t\r\n"); len(t) == 0 || t[0] != '{' {
		return nil, invalid(cell, "%q must be an object, not %s", key, short(raw))
	}
	return raw, nil
}

// short quotes the start of a JSON value for an error message.
func short(raw json.RawMessage) string {
	s := string(bytes.TrimSpace(raw))
	if len(s) > 40 {
		s = s[:40] + "…"
	}
	return s
}

func parseCell(raw json.RawMessage, n int) (*Cell, error) {
	ms, isObj, err := decodeObject(raw)
	if err != nil || !isObj {
		return nil, invalid(n, "a cell must be an object, not %s", short(raw))
	}
	c := &Cell{members: ms}
	if err := json.Unmarshal(get(ms, "cell_type"), &c.Type); err != nil || c.Type == "" {
		return nil, invalid(n, `"cell_type" must be "code", "markdown" or "raw"`)
	}
	switch c.Type {
	case Code, Markdown, Raw:
	default:
		return nil, invalid(n, `unknown cell_type %q (want "code", "markdown" or "raw")`, c.Type)
	}
	if id := get(ms, "id"); id != nil {
		if err := json.Unmarshal(id, &c.ID); err != nil {
			return nil, invalid(n, `"id" must be a string`)
		}
	}
	if c.Metadata, err = objectField(ms, "metadata", n); err != nil {
		return nil, err
	}
	src := get(ms, "source")
	if src == nil {
		return nil, invalid(n, `no "source"`)
	}
	if c.Source, c.orig.sourceList, err = decodeText(src); err != nil {
		return nil, invalid(n, `"source" %v`, err)
	}
	if c.Type == Code {
		count := get(ms, "execution_count")
		if count == nil {
			return nil, invalid(n, `a code cell needs "execution_count" (a number or null)`)
		}
		if err := json.Unmarshal(count, &c.ExecutionCount); err != nil {
			return nil, invalid(n, `"execution_count" must be a number or null, not %s`, short(count))
		}
		outs := get(ms, "outputs")
		if outs == nil {
			return nil, invalid(n, `a code cell needs "outputs" (a list)`)
		}
		var rawOuts []json.RawMessage
		if err := json.Unmarshal(outs, &rawOuts); err != nil {
			return nil, invalid(n, `"outputs" must be a list`)
		}
		for j, ro := range rawOuts {
			o, err := parseOutput(ro)
			if err != nil {
				return nil, invalid(n, "output %d: %v", j+1, err)
			}
			c.Outputs = append(c.Outputs, o)
		}
	}
	c.orig.typ, c.orig.id, c.orig.source = c.Type, c.ID, c.Source
	c.orig.count = c.ExecutionCount
	c.orig.outputs = append([]*Output(nil), c.Outputs...)
	return c, nil
}

// ClearOutputs removes the outputs and execution counts of every code cell.
func (nb *Notebook) ClearOutputs() {
	for _, c := range nb.Cells {
		if c.Type == Code {
			c.Outputs = nil
			c.ExecutionCount = nil
		}
	}
}

// Marshal writes the notebook as Jupyter does: keys in their order (sorted
// for new ones), one-space indentation, a final newline. A notebook read
// from a file Jupyter wrote and not changed is written byte for byte as it
// was read. Changed text is written in the form it had (a string or a list
// of lines); new text as a list of lines.
func (nb *Notebook) Marshal() ([]byte, error) {
	ms := append([]member(nil), nb.members...)
	if len(ms) == 0 {
		for _, k := range []string{"cells", "metadata", "nbformat", "nbformat_minor"} {
			ms = append(ms, member{key: k})
		}
	}
	buf := []byte{'['}
	for i, c := range nb.Cells {
		if i > 0 {
			buf = append(buf, ',')
		}
		raw, err := c.marshal()
		if err != nil {
			return nil, fmt.Errorf("cell %d: %w", i+1, err)
		}
		buf = append(buf, raw...)
	}
	buf = append(buf, ']')
	ms = set(ms, "cells", buf)
	meta := nb.Metadata
	if meta == nil {
		meta = json.RawMessage("{}")
	} else if !json.Valid(meta) {
		return nil, errors.New("notebook metadata is not valid JSON")
	}
	ms = set(ms, "metadata", meta)
	if nb.Format != nb.origFormat[0] || get(ms, "nbformat") == nil {
		ms = set(ms, "nbformat", mustEncode(nb.Format))
	}
	if nb.FormatMinor != nb.origFormat[1] || get(ms, "nbformat_minor") == nil {
		ms = set(ms, "nbformat_minor", mustEncode(nb.FormatMinor))
	}
	out, err := indentJupyter(appendObject(nil, ms))
	if err != nil {
		return nil, fmt.Errorf("writing notebook: %w", err)
	}
	return out, nil
}

func mustEncode(v any) json.RawMessage {
	b, err := encode(v)
	if err != nil {
		panic(err)
	}
	return b
}

func (c *Cell) marshal() (json.RawMessage, error) {
	ms := append([]member(nil), c.members...)
	if c.Type != c.orig.typ || get(ms, "cell_type") == nil {
		ms = set(ms, "cell_type", mustEncode(c.Type))
	}
	switch {
	case c.ID == "" && c.orig.id != "":
		ms = remove(ms, "id")
	case c.ID != "" && (c.ID != c.orig.id || get(ms, "id") == nil):
		ms = set(ms, "id", mustEncode(c.ID))
	}
	meta := c.Metadata
	if meta == nil {
		meta = json.RawMessage("{}")
	} else if !json.Valid(meta) {
		return nil, errors.New("metadata is not valid JSON")
	}
	ms = set(ms, "metadata", meta)
	if c.Source != c.orig.source || get(ms, "source") == nil {
		if c.orig.sourceList {
			ms = set(ms, "source", mustEncode(splitLines(c.Source)))
		} else {
			ms = set(ms, "source", mustEncode(c.Source))
		}
	}
	if c.Type != Code {
		ms = remove(remove(ms, "outputs"), "execution_count")
		return appendObject(nil, ms), nil
	}
	if !sameCount(c.ExecutionCount, c.orig.count) || get(ms, "execution_count") == nil {
		if c.ExecutionCount == nil {
			ms = set(ms, "execution_count", json.RawMessage("null"))
		} else {
			ms = set(ms, "execution_count", mustEncode(*c.ExecutionCount))
		}
	}
	if !c.outputsUnchanged() || get(ms, "outputs") == nil {
		buf := []byte{'['}
		for i, o := range c.Outputs {
			if i > 0 {
				buf = append(buf, ',')
			}
			raw, err := o.marshal()
			if err != nil {
				return nil, fmt.Errorf("output %d: %w", i+1, err)
			}
			buf = append(buf, raw...)
		}
		ms = set(ms, "outputs", append(buf, ']'))
	}
	return appendObject(nil, ms), nil
}

func sameCount(a, b *int) bool {
	if a == nil || b == nil {
		return a == b
	}
	return *a == *b
}

func (c *Cell) outputsUnchanged() bool {
	if len(c.Outputs) != len(c.orig.outputs) {
		return false
	}
	for i, o := range c.Outputs {
		if o != c.orig.outputs[i] || !o.unchanged() {
			return false
		}
	}
	return true
}

// WriteFile writes the notebook to file through a temporary file in the
// same directory, renamed over file, so a reader never sees half a
// notebook and a failed write leaves the old file as it was.
func (nb *Notebook) WriteFile(file string) error {
	data, err := nb.Marshal()
	if err != nil {
		return fmt.Errorf("%s: %w", file, err)
	}
	return WriteFileAtomic(file, data)
}

// WriteFileAtomic writes data to file through a temporary file renamed over
// it. An existing file keeps its permissions.
func WriteFileAtomic(file string, data []byte) error {
	dir := filepath.Dir(file)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(file)+".*.tmp")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // after a successful rename, a no-op
	mode := os.FileMode(0o644)
	if st, err := os.Stat(file); err == nil {
		mode = st.Mode().Perm()
	}
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return fmt.Errorf("writing %s: %w", file, err)
	}
	if err := tmp.Chmod(mode); err != nil {
		tmp.Close()
		return fmt.Errorf("writing %s: %w", file, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("writing %s: %w", file, err)
	}
	if err := os.Rename(tmp.Name(), file); err != nil {
		return fmt.Errorf("writing %s: %w", file, err)
	}
	return nil
}

// deepEqual compares decoded outputs.
var deepEqual = reflect.DeepEqual

// Runnable reports whether a notebook run (notebook/runner) executes the cell: a code cell with a
// non-blank source and without the "skip-execution" tag, as nbclient
// decides.
func (c *Cell) Runnable() bool {
	return c.Type == Code && strings.TrimSpace(c.Source) != "" && !c.HasTag("skip-execution")
}

// HasTag reports whether the cell's metadata.tags contain tag.
func (c *Cell) HasTag(tag string) bool {
	var m struct {
		Tags []string `json:"tags"`
	}
	json.Unmarshal(c.Metadata, &m)
	for _, t := range m.Tags {
		if t == tag {
			return true
		}
	}
	return false
}

// SetMetadata sets key in the notebook's metadata to v, keeping the
// other members' bytes.
func (nb *Notebook) SetMetadata(key string, v any) error {
	meta, err := setKey(nb.Metadata, key, v)
	if err != nil {
		return fmt.Errorf("notebook metadata: %w", err)
	}
	nb.Metadata = meta
	return nil
}

// setKey sets key in a raw JSON object, keeping the other members' bytes.
func setKey(obj json.RawMessage, key string, v any) (json.RawMessage, error) {
	if obj == nil {
		obj = json.RawMessage("{}")
	}
	ms, ok, err := decodeObject(obj)
	if err != nil || !ok {
		return nil, errors.New("not a JSON object")
	}
	val, err := encode(v)
	if err != nil {
		return nil, err
	}
	return appendObject(nil, set(ms, key, val)), nil
}
