package notebook

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"strconv"
	"unicode/utf8"
)

// member is one key of a JSON object with its value as written in the file.
type member struct {
	key string
	val json.RawMessage
}

// decodeObject reads a JSON object into its members, in file order, with
// each value's bytes untouched. It reports whether data was an object.
func decodeObject(data []byte) ([]member, bool, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	tok, err := dec.Token()
	if err != nil {
		return nil, false, err
	}
	if d, ok := tok.(json.Delim); !ok || d != '{' {
		return nil, false, nil
	}
	var ms []member
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, true, err
		}
		key, _ := tok.(string)
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return nil, true, err
		}
		ms = append(ms, member{key, raw})
	}
	if _, err := dec.Token(); err != nil {
		return nil, true, err
	}
	return ms, true, nil
}

// get returns the value of key, or nil.
func get(ms []member, key string) json.RawMessage {
	for _, m := range ms {
		if m.key == key {
			return m.val
		}
	}
	return nil
}

// set replaces the value of key, or inserts it before the first key that
// sorts after it (Jupyter writes sorted keys, so the result stays sorted).
func set(ms []member, key string, val json.RawMessage) []member {
	for i := range ms {
		if ms[i].key == key {
			ms[i].val = val
			return ms
		}
	}
	i := len(ms)
	for j, m := range ms {
		if m.key > key {
			i = j
			break
		}
	}
	ms = append(ms, member{})
	copy(ms[i+1:], ms[i:])
	ms[i] = member{key, val}
	return ms
}

// remove deletes key.
func remove(ms []member, key string) []member {
	out := ms[:0]
	for _, m := range ms {
		if m.key != key {
			out = append(out, m)
		}
	}
	return out
}

// appendObject writes members as a compact JSON object (values as given).
func appendObject(buf []byte, ms []member) []byte {
	buf = append(buf, '{')
	for i, m := range ms {
		if i > 0 {
			buf = append(buf, ',')
		}
		buf = appendString(buf, m.key)
		buf = append(buf, ':')
		buf = append(buf, m.val...)
	}
	return append(buf, '}')
}

// encode writes v as JSON the way Python's json module does for nbformat
// (sort_keys, ensure_ascii=False): object keys sorted, strings escaped only
// where JSON requires it. Layout is left to indentJupyter.
func encode(v any) (json.RawMessage, error) {
	return appendValue(nil, v)
}

func appendValue(buf []byte, v any) ([]byte, error) {
	switch x := v.(type) {
	case nil:
		return append(buf, "null"...), nil
	case bool:
		return strconv.AppendBool(buf, x), nil
	case string:
		return appendString(buf, x), nil
	case json.Number:
		return append(buf, x...), nil
	case int:
		return strconv.AppendInt(buf, int64(x), 10), nil
	case json.RawMessage:
		if !json.Valid(x) {
			return nil, errors.New("invalid raw JSON value")
		}
		return append(buf, x...), nil
	case []string:
		buf = append(buf, '[')
		for i, s := range x {
			if i > 0 {
				buf = append(buf, ',')
			}
			buf = appendString(buf, s)
		}
		return append(buf, ']'), nil
	case []any:
		buf = append(buf, '[')
		for i, e := range x {
			if i > 0 {
				buf = append(buf, ',')
			}
			var err error
			if buf, err = appendValue(buf, e); err != nil {
				return nil, err
			}
		}
		return append(buf, ']'), nil
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys) // byte order of UTF-8 is code point order, as Python sorts
		buf = append(buf, '{')
		for i, k := range keys {
			if i > 0 {
				buf = append(buf, ',')
			}
			buf = appendString(buf, k)
			buf = append(buf, ':')
			var err error
			if buf, err = appendValue(buf, x[k]); err != nil {
				return nil, err
			}
		}
		return append(buf, '}'), nil
	}
	// Anything else (floats, structs, typed maps): let encoding/json
	// decide the value, then write it in Jupyter's form.
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	switch v.(type) {
	case float32, float64, int8, int16, int32, int64, uint, uint8, uint16, uint32, uint64:
		return append(buf, b...), nil
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var generic any
	if err := dec.Decode(&generic); err != nil {
		return nil, err
	}
	return appendValue(buf, generic)
}

// appendString quotes s as Python's json.dumps(ensure_ascii=False) does:
// only '"', '\\' and control characters are escaped (\n, \r, \t, \b, \f by
// name, the others as \u00xx). Invalid UTF-8 becomes U+FFFD.
func appendString(buf []byte, s string) []byte {
	const hex = "0123456789abcdef"
	buf = append(buf, '"')
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case c == '"' || c == '\\':
				buf = append(buf, '\\', c)
			case c == '\n':
				buf = append(buf, '\\', 'n')
			case c == '\r':
				buf = append(buf, '\\', 'r')
			case c == '\t':
				buf = append(buf, '\\', 't')
			case c == '\b':
				buf = append(buf, '\\', 'b')
			case c == '\f':
				buf = append(buf, '\\', 'f')
			case c < 0x20:
				buf = append(buf, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
			default:
				buf = append(buf, c)
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			buf = utf8.AppendRune(buf, utf8.RuneError)
		} else {
			buf = append(buf, s[i:i+size]...)
		}
		i += size
	}
	return append(buf, '"')
}

// indentJupyter lays out compact or mixed JSON as nbformat writes it:
// one-space indentation, ", " never, ": " after keys, empty containers as
// [] and {}, and a final newline. Strings and numbers are copied as they
// are, so values that were not changed keep their exact bytes.
func indentJupyter(src []byte) ([]byte, error) {
	var out bytes.Buffer
	out.Grow(len(src) + len(src)/4)
	if err := json.Indent(&out, src, "", " "); err != nil {
		return nil, err
	}
	out.WriteByte('\n')
	return out.Bytes(), nil
}

// splitLines splits s after each line break, as Python's
// str.splitlines(keepends=True) does; nbformat stores multi-line text as
// such a list. The empty string has no lines.
func splitLines(s string) []string {
	lines := []string{}
	start := 0
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		end := -1
		switch r {
		case '\r':
			end = i + 1
			if i+1 < len(s) && s[i+1] == '\n' {
				end = i + 2
			}
		case '\n', '\v', '\f', 0x1c, 0x1d, 0x1e, 0x85, 0x2028, 0x2029:
			end = i + size
		}
		if end < 0 {
			i += size
			continue
		}
		lines = append(lines, s[start:end])
		start, i = end, end
	}
	if start < len(s) {
		lines = append(lines, s[start:])
	}
	return lines
}

// decodeText reads a string or a list of strings (joined), as nbformat
// allows for multi-line text. It reports whether the value was a list.
func decodeText(raw json.RawMessage) (text string, list bool, err error) {
	raw = bytes.TrimLeft(raw, " \t\r\n")
	if len(raw) > 0 && raw[0] == '[' {
		var parts []string
		if err := json.Unmarshal(raw, &parts); err != nil {
			return "", true, errors.New("must be a string or a list of strings")
		}
		n := 0
		for _, p := range parts {
			n += len(p)
		}
		b := make([]byte, 0, n)
		for _, p := range parts {
			b = append(b, p...)
		}
		return string(b), true, nil
	}
	if err := json.Unmarshal(raw, &text); err != nil {
		return "", false, errors.New("must be a string or a list of strings")
	}
	return text, false, nil
}

// SyntaxError is a notebook file that is not valid JSON.
type SyntaxError struct {
	// File is the file's name, when known.
	File string
	// Line and Column (1-based, in characters) locate the first byte
	// encoding/json could not accept.
	Line, Column int
	// Offset is the byte offset of that position.
	Offset int64
	// Msg is encoding/json's description of the problem.
	Msg string
}

// Error reports the position as file:line:column, as compilers do.
func (e *SyntaxError) Error() string {
	if e.File == "" {
		return fmt.Sprintf("invalid JSON at line %d, column %d: %s", e.Line, e.Column, e.Msg)
	}
	return fmt.Sprintf("%s:%d:%d: invalid JSON: %s", e.File, e.Line, e.Column, e.Msg)
}

// syntaxError explains why data is not valid JSON, with its position.
func syntaxError(data []byte) error {
	var v any
	err := json.Unmarshal(data, &v)
	var se *json.SyntaxError
	if !errors.As(err, &se) {
		if err == nil {
			err = io.ErrUnexpectedEOF
		}
		return &SyntaxError{Line: 1, Column: 1, Msg: err.Error()}
	}
	// encoding/json's offset is just past the byte it rejected; at the end
	// of the input it is the length.
	off := se.Offset
	if off > 0 && off <= int64(len(data)) && se.Error() != "unexpected end of JSON input" {
		off--
	}
	if off > int64(len(data)) {
		off = int64(len(data))
	}
	line, col := 1, 1
	for _, r := range string(data[:off]) {
		if r == '\n' {
			line, col = line+1, 1
		} else {
			col++
		}
	}
	return &SyntaxError{Line: line, Column: col, Offset: off, Msg: se.Error()}
}
