package cellrt

import (
	"fmt"
	"reflect"
	"regexp"
	"runtime"
	"strings"
)

// Panic values in Go's words.

// recovered gives a recovered runtime error Go's wording (the interpreter
// reports some through reflect's).
func recovered(r any) any {
	r = unwrapPanic(r)
	if r == nil {
		return nil
	}
	if msg, ok := goRuntimeError(r); ok {
		return runtimeError(msg)
	}
	return r
}

// unwrapPanic returns the value a cell panicked with: a value passed
// through a helper reaches the interpreter's panic as a reflect.Value.
func unwrapPanic(r any) any {
	if v, ok := r.(reflect.Value); ok {
		if !v.IsValid() || !v.CanInterface() {
			return nil
		}
		return v.Interface()
	}
	return r
}

// runtimeError is a runtime error with Go's text; it satisfies
// runtime.Error.
type runtimeError string

// Error returns Go's text of the runtime error.
func (e runtimeError) Error() string { return "runtime error: " + string(e) }

// RuntimeError marks the error as a runtime.Error.
func (e runtimeError) RuntimeError() {}

var posPrefix = regexp.MustCompile(`^(?:\S+?:\d+(?::\d+)?: )+`)

// goRuntimeError maps the interpreter's panic texts for Go runtime errors
// to Go's wording, without the "runtime error: " prefix.
func goRuntimeError(r any) (string, bool) {
	var msg string
	switch x := r.(type) {
	case runtime.Error:
		return "", false // already Go's own
	case error:
		msg = x.Error()
	case string:
		msg = x
	default:
		return "", false
	}
	switch {
	case strings.HasPrefix(msg, "reflect: slice index out of range"),
		strings.HasPrefix(msg, "reflect: array index out of range"),
		strings.HasPrefix(msg, "reflect: string index out of range"):
		return "index out of range", true
	case strings.Contains(msg, "slice index out of bounds"):
		return "slice bounds out of range", true
	case strings.HasPrefix(msg, "reflect: call of reflect.Value.Field on zero Value"),
		strings.HasPrefix(msg, "reflect: call of reflect.Value.Elem on zero Value"),
		strings.HasPrefix(msg, "reflect: indirection through nil pointer"),
		strings.HasPrefix(msg, "reflect: Method on nil interface value"),
		strings.HasPrefix(msg, "reflect: call of reflect.Value.Call on zero Value"):
		return "invalid memory address or nil pointer dereference", true
	}
	if loc := posPrefix.FindStringIndex(msg); loc != nil && strings.HasPrefix(msg[loc[1]:], "interface conversion: ") {
		return "", false
	}
	return "", false
}

// PanicText is the headline Go prints for a panic value.
func PanicText(v any) string {
	v = unwrapPanic(v)
	if msg, ok := goRuntimeError(v); ok {
		return "runtime error: " + msg
	}
	switch x := v.(type) {
	case error:
		msg := x.Error()
		if loc := posPrefix.FindStringIndex(msg); loc != nil && strings.HasPrefix(msg[loc[1]:], "interface conversion: ") {
			msg = msg[loc[1]:]
		}
		return msg
	case fmt.Stringer:
		return x.String()
	}
	return fmt.Sprint(v)
}
