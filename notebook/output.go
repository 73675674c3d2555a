package notebook

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
)

// Output types.
const (
	Stream        = "stream"
	DisplayData   = "display_data"
	ExecuteResult = "execute_result"
	Error         = "error"
)

// Output is one output of a code cell. Only the fields of its Type are
// used. An output read from a file and not changed is written back as it
// was; a changed one is written with the fields below only.
type Output struct {
	// Type is Stream, DisplayData, ExecuteResult or Error (output_type).
	Type string
	// Name ("stdout" or "stderr") and Text belong to a stream.
	Name, Text string
	// Data is the MIME bundle of display_data and execute_result. Text
	// values are strings (lists of lines in the file are joined); JSON
	// values are decoded with numbers as json.Number.
	Data map[string]any
	// Metadata goes with Data.
	Metadata map[string]any
	// ExecutionCount is an execute_result's prompt number.
	ExecutionCount *int
	// EName, EValue and Traceback describe an error.
	EName, EValue string
	Traceback     []string

	raw  json.RawMessage // as read
	orig *Output         // decoded from raw, to tell whether it changed
}

// DataText returns the text of the given MIME type in the bundle ("" when
// absent or not text).
func (o *Output) DataText(mime string) string {
	s, _ := o.Data[mime].(string)
	return s
}

func parseOutput(raw json.RawMessage) (*Output, error) {
	o, err := decodeOutput(raw)
	if err != nil {
		return nil, err
	}
	o.raw = raw
	o.orig, _ = decodeOutput(raw)
	return o, nil
}

// isJSONMIME reports the MIME types whose values nbformat keeps as JSON.
func isJSONMIME(mime string) bool {
	return mime == "application/json" ||
		strings.HasPrefix(mime, "application/") && strings.HasSuffix(mime, "+json")
}

func decodeOutput(raw json.RawMessage) (*Output, error) {
	var v struct {
		OutputType     string                     `json:"output_type"`
		Name           string                     `json:"name"`
		Text           json.RawMessage            `json:"text"`
		Data           map[string]json.RawMessage `json:"data"`
		Metadata       map[string]any             `json:"metadata"`
		ExecutionCount *int                       `json:"execution_count"`
		EName          string                     `json:"ename"`
		EValue         string                     `json:"evalue"`
		Traceback      []string                   `json:"traceback"`
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if err := dec.Decode(&v); err != nil {
		return nil, fmt.Errorf("malformed output: %v", err)
	}
	o := &Output{Type: v.OutputType, Name: v.Name, Metadata: v.Metadata,
		ExecutionCount: v.ExecutionCount, EName: v.EName, EValue: v.EValue, Traceback: v.Traceback}
	switch o.Type {
	case "":
		return nil, errors.New(`no "output_type"`)
	case Stream:
		if v.Text != nil {
			var err error
			if o.Text, _, err = decodeText(v.Text); err != nil {
				return nil, fmt.Errorf(`stream "text" %v`, err)
			}
		}
	}
	if v.Data != nil {
		o.Data = make(map[string]any, len(v.Data))
		for k, r := range v.Data {
			if !isJSONMIME(k) {
				if s, _, err := decodeText(r); err == nil {
					o.Data[k] = s
					continue
				}
			}
			d := json.NewDecoder(bytes.NewReader(r))
			d.UseNumber()
			var val any
			if err := d.Decode(&val); err != nil {
				return nil, err
			}
			o.Data[k] = val
		}
	}
	return o, nil
}

func (o *Output) unchanged() bool {
	if o.raw == nil || o.orig == nil {
		return false
	}
	cp := *o
	cp.raw, cp.orig = nil, nil
	return deepEqual(&cp, o.orig)
}

// splitMIME lists the non-text/ MIME types nbformat writes as lists of
// lines.
var splitMIME = map[string]bool{"application/javascript": true, "image/svg+xml": true}

func (o *Output) marshal() (json.RawMessage, error) {
	if o.unchanged() {
		return o.raw, nil
	}
	m := map[string]any{"output_type": o.Type}
	bundle := func() {
		data := make(map[string]any, len(o.Data))
		for k, v := range o.Data {
			if s, ok := v.(string); ok && (strings.HasPrefix(k, "text/") || splitMIME[k]) {
				data[k] = splitLines(s)
			} else {
				data[k] = v
			}
		}
		m["data"] = data
		meta := o.Metadata
		if meta == nil {
			meta = map[string]any{}
		}
		m["metadata"] = meta
	}
	switch o.Type {
	case Stream:
		m["name"] = o.Name
		m["text"] = splitLines(o.Text)
	case DisplayData:
		bundle()
	case ExecuteResult:
		bundle()
		if o.ExecutionCount != nil {
			m["execution_count"] = *o.ExecutionCount
		} else {
			m["execution_count"] = nil
		}
	case Error:
		m["ename"] = o.EName
		m["evalue"] = o.EValue
		tb := o.Traceback
		if tb == nil {
			tb = []string{}
		}
		m["traceback"] = tb
	default:
		if o.raw != nil {
			return o.raw, nil // an output type this package does not know
		}
		return nil, fmt.Errorf("unknown output type %q", o.Type)
	}
	return encode(m)
}
