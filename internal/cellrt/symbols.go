package cellrt

import (
	"context"
	"fmt"
	"reflect"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/lanes-dev/lanes/display"
	"github.com/lanes-dev/lanes/internal/cellstop"
	"github.com/lanes-dev/lanes/internal/rangefunc"
)

// What the worker gives the interpreter: the helper package of rewritten
// code, the result slot, the wrapped time and context constructors.

// Symbols is the helper package rewritten cells import as rtName.
func Symbols() map[string]reflect.Value {
	return map[string]reflect.Value{
		"GoStart":     reflect.ValueOf(goStart),
		"GoEnter":     reflect.ValueOf(goEnter),
		"GoRun":       reflect.ValueOf(goRun),
		"GoExit":      reflect.ValueOf(goExit),
		"Clear":       reflect.ValueOf(clearValue),
		"Print":       reflect.ValueOf(printArgs),
		"Println":     reflect.ValueOf(printlnArgs),
		"Recovered":   reflect.ValueOf(recovered),
		"At":          reflect.ValueOf(panicAt),
		"Result":      reflect.ValueOf(setResult),
		"Defer":       reflect.ValueOf(deferCall),
		"RunDeferred": reflect.ValueOf(runDeferred),
		// A range-over-func loop whose iterator breaks the protocol
		// (internal/rangefunc).
		"RangeCheck": reflect.ValueOf(rangefunc.Check),
		// The name of a cell-defined type for %T (see internal/rewrite).
		"TypeName": reflect.ValueOf(func(name string, _ any) string { return name }),
	}
}

// The final value of the running cell, handed over by the rewritten final
// expression (_lanesrt.Result(expr)). Calling a compiled function lets the
// interpreter wrap values of cell-defined types into the display
// interfaces (see MapTypes), so that their MIME, HTML, ... methods
// are seen.
var (
	resultMu  sync.Mutex
	resultVal any
	resultSet bool
)

func setResult(vs ...any) {
	resultMu.Lock()
	defer resultMu.Unlock()
	resultSet = true
	switch len(vs) {
	case 0:
		resultSet = false
	case 1:
		resultVal = vs[0]
	default:
		resultVal = tuple(vs)
	}
}

// TakeResult returns the value handed over by setResult, if any, and
// forgets it.
func TakeResult() (any, bool) {
	resultMu.Lock()
	defer resultMu.Unlock()
	v, ok := resultVal, resultSet
	resultVal, resultSet = nil, false
	return v, ok
}

// tuple shows the results of a call with several, as Go would print them
// with fmt.Println.
type tuple []any

// String prints the values as fmt.Println would, without the newline.
func (t tuple) String() string {
	return strings.TrimSuffix(fmt.Sprintln([]any(t)...), "\n")
}

// MapTypes registers, for setResult and the display functions cells
// can call, the interfaces values are wrapped into when their cell-defined
// type has the methods.
func MapTypes() map[reflect.Value][]reflect.Type {
	ifaces := DisplayInterfaces()
	m := map[reflect.Value][]reflect.Type{}
	for _, f := range []any{setResult, display.Show, display.ShowID, display.Update, display.Render, display.Rich} {
		m[reflect.ValueOf(f)] = ifaces
	}
	return m
}

// DisplayInterfaces lists the interfaces a value of a cell-defined type is
// wrapped into when it is passed to a compiled function that shows values
// (most specific first). A front end that exports its own display
// functions to cells registers them with these in yaegi's MapTypes.
func DisplayInterfaces() []reflect.Type {
	return []reflect.Type{
		reflect.TypeFor[display.MIMEer](), reflect.TypeFor[display.HTMLer](),
		reflect.TypeFor[display.SVGer](), reflect.TypeFor[display.PNGer](),
		reflect.TypeFor[display.Markdowner](), reflect.TypeFor[fmt.Stringer](),
		reflect.TypeFor[error](),
	}
}

// clearValue is the clear builtin: it deletes every entry of a map, or
// sets every element of a slice to its zero value.
func clearValue(x any) {
	v := reflect.ValueOf(x)
	switch v.Kind() {
	case reflect.Map, reflect.Slice:
		v.Clear()
	case reflect.Pointer:
		if v.Elem().Kind() == reflect.Map || v.Elem().Kind() == reflect.Slice {
			v.Elem().Clear()
		}
	}
}

// TimeSymbols wraps the functions that make timers so that the deadlock
// detector knows a timer may still wake a goroutine, and makes Sleep stop
// with the cell (see stoppableSleep).
func TimeSymbols(orig map[string]reflect.Value) map[string]reflect.Value {
	m := make(map[string]reflect.Value, len(orig))
	for k, v := range orig {
		m[k] = v
	}
	m["Sleep"] = reflect.ValueOf(stoppableSleep)
	m["After"] = reflect.ValueOf(func(d time.Duration) <-chan time.Time { reg.timerIn(d); return time.After(d) })
	m["NewTimer"] = reflect.ValueOf(func(d time.Duration) *time.Timer { reg.timerIn(d); return time.NewTimer(d) })
	m["AfterFunc"] = reflect.ValueOf(func(d time.Duration, f func()) *time.Timer { reg.timerIn(d); return time.AfterFunc(d, f) })
	m["Tick"] = reflect.ValueOf(func(d time.Duration) <-chan time.Time { reg.tickers.Add(1); return time.Tick(d) })
	m["NewTicker"] = reflect.ValueOf(func(d time.Duration) *time.Ticker { reg.tickers.Add(1); return time.NewTicker(d) })
	return m
}

// stoppableSleep is the cells' time.Sleep. When the cell is stopped
// (interrupted, timed out, or ended by a goroutine's panic) it does not
// return: the goroutine that called it ends there (runtime.Goexit, which
// runs its deferred calls), as the whole program would have ended. A
// sleep that returned early would let the statements after it run at
// full speed before the interpreter noticed the stop: the rest of a tick
// loop printed in a millisecond, or a line after a goroutine's panic.
func stoppableSleep(d time.Duration) {
	done := cellstop.Done()
	cellstop.Sleep(d)
	if done != nil && cellstop.Stopped(done) {
		runtime.Goexit()
	}
}

// LanesSymbols wraps the functions of package lanes (the runtime) that
// return early when the cell is stopped, Sleep and Work, so that in a
// cell they end the calling goroutine then, as the cells' time.Sleep does
// (see stoppableSleep): lanes.Sleep(time.Hour); fmt.Println("after")
// printed "after" on an interrupt. Only the cells' table changes: the
// runtime's own callers of Sleep and Work (its executors, compiled cells)
// still see them return.
func LanesSymbols(orig map[string]reflect.Value) map[string]reflect.Value {
	m := make(map[string]reflect.Value, len(orig))
	for k, v := range orig {
		m[k] = v
	}
	for _, name := range []string{"Sleep", "Work"} {
		if v, ok := orig[name]; ok && v.IsValid() {
			if f, ok := v.Interface().(func(time.Duration)); ok {
				m[name] = reflect.ValueOf(endIfStopped(f))
			}
		}
	}
	return m
}

// endIfStopped returns f, which returns early when the cell is stopped,
// made to end its calling goroutine instead when the cell was stopped
// during the call.
func endIfStopped(f func(time.Duration)) func(time.Duration) {
	return func(d time.Duration) {
		done := cellstop.Done()
		f(d)
		if done != nil && cellstop.Stopped(done) {
			runtime.Goexit()
		}
	}
}

// ContextSymbols does the same for contexts with deadlines.
func ContextSymbols(orig map[string]reflect.Value) map[string]reflect.Value {
	m := make(map[string]reflect.Value, len(orig))
	for k, v := range orig {
		m[k] = v
	}
	m["WithTimeout"] = reflect.ValueOf(func(p context.Context, d time.Duration) (context.Context, context.CancelFunc) {
		reg.timerIn(d)
		return context.WithTimeout(p, d)
	})
	m["WithDeadline"] = reflect.ValueOf(func(p context.Context, t time.Time) (context.Context, context.CancelFunc) {
		reg.timerAt(t)
		return context.WithDeadline(p, t)
	})
	m["WithTimeoutCause"] = reflect.ValueOf(func(p context.Context, d time.Duration, cause error) (context.Context, context.CancelFunc) {
		reg.timerIn(d)
		return context.WithTimeoutCause(p, d, cause)
	})
	m["WithDeadlineCause"] = reflect.ValueOf(func(p context.Context, t time.Time, cause error) (context.Context, context.CancelFunc) {
		reg.timerAt(t)
		return context.WithDeadlineCause(p, t, cause)
	})
	return m
}
