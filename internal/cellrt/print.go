package cellrt

import (
	"fmt"
	"io"
	"math"
	"os"
	"reflect"
	"strconv"
	"strings"
)

// The print and println builtins, and the labelling of what goroutines
// of ended cells print.

// printArgs and printlnArgs are the print and println builtins: like Go's,
// they write to standard error, in the runtime's own formats.
func printArgs(args ...any) {
	var b strings.Builder
	for _, a := range args {
		b.WriteString(printValue(a))
	}
	writeLabelled(os.Stderr, b.String())
}

func printlnArgs(args ...any) {
	var b strings.Builder
	for i, a := range args {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(printValue(a))
	}
	b.WriteByte('\n')
	writeLabelled(os.Stderr, b.String())
}

// printValue formats a value as the runtime's print does.
func printValue(a any) string {
	if a == nil {
		return "nil"
	}
	v := reflect.ValueOf(a)
	switch v.Kind() {
	case reflect.Bool:
		return strconv.FormatBool(v.Bool())
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return strconv.FormatInt(v.Int(), 10)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return strconv.FormatUint(v.Uint(), 10)
	case reflect.Float32, reflect.Float64:
		return printFloat(v.Float())
	case reflect.Complex64, reflect.Complex128:
		c := v.Complex()
		return "(" + printFloat(real(c)) + printFloat(imag(c)) + "i)"
	case reflect.String:
		return v.String()
	case reflect.Pointer, reflect.Chan, reflect.Map, reflect.Func, reflect.UnsafePointer:
		return fmt.Sprintf("%#x", v.Pointer())
	case reflect.Slice:
		return fmt.Sprintf("[%d/%d]%#x", v.Len(), v.Cap(), v.Pointer())
	}
	return fmt.Sprintf("(%v) %p", v.Type(), a)
}

// printFloat formats like the runtime: +1.500000e+000.
func printFloat(f float64) string {
	switch {
	case f != f:
		return "NaN"
	case math.IsInf(f, 1):
		return "+Inf"
	case math.IsInf(f, -1):
		return "-Inf"
	}
	s := strconv.FormatFloat(f, 'e', 6, 64) // 1.500000e+00
	mant, exp, _ := strings.Cut(s, "e")
	if !strings.HasPrefix(mant, "-") {
		mant = "+" + mant
	}
	sign := exp[0]
	digits := exp[1:]
	for len(digits) < 3 {
		digits = "0" + digits
	}
	return mant + "e" + string(sign) + digits
}

// writeLabelled writes text for the calling Stack: a goroutine of a
// cell that has ended gets each line labelled with its cell and name.
func writeLabelled(w io.Writer, text string) (int, error) {
	if reg.background.Load() > 0 {
		if g := reg.backgroundOf(GoID()); g != nil {
			return io.WriteString(w, labelLines(g, text))
		}
	}
	return io.WriteString(w, text)
}

func labelLines(g *Goroutine, text string) string {
	label := fmt.Sprintf("[cell %d %s] ", g.Cell, g.Name)
	var b strings.Builder
	for _, l := range strings.SplitAfter(text, "\n") {
		if l != "" {
			b.WriteString(label + l)
		}
	}
	return b.String()
}

// LabelWriter is the interpreter's standard output (fmt.Print* and
// friends write there): it labels the lines of goroutines whose cell has
// ended.
type LabelWriter struct{ W io.Writer }

// Write writes p, labelled when the caller is a goroutine of an ended cell.
func (l LabelWriter) Write(p []byte) (int, error) {
	if _, err := writeLabelled(l.W, string(p)); err != nil {
		return 0, err
	}
	return len(p), nil
}
