package cellrt

import (
	"reflect"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/traefik/yaegi/interp"

	"github.com/lanes-dev/lanes/internal/cellstop"
)

// The frames the detector and the worker recognise in stack dumps are
// named from the code itself, not spelled out: a rename or a package
// move changes them with it (TestFrameNames checks that they resolve).
var (
	// interpPkg prefixes the frames of the interpreter's own functions
	// ("github.com/traefik/yaegi/interp.").
	interpPkg = pkgPrefix(funcName(interp.New))
	// evalFrame is the goroutine in which EvalWithContext runs a cell's
	// code: a closure of that method (the interpreter is pinned, so its
	// name is known).
	evalFrame = funcName((*interp.Interpreter).EvalWithContext) + ".func1"
	// sleepFrame is how cellstop.Sleep, the cells' time.Sleep and the
	// runtime's, appears in a goroutine's stack.
	sleepFrame = funcName(cellstop.Sleep) + "("
)

// own lists the receivers ("path.(*T)") whose methods are the worker's
// own machinery: a goroutine in one of them is not running cell code.
var own = struct {
	sync.Mutex
	prefixes []string
}{prefixes: []string{Receiver((*registry).of)}}

// funcName returns the name the runtime gives the function f.
func funcName(f any) string {
	return runtime.FuncForPC(reflect.ValueOf(f).Pointer()).Name()
}

// pkgPrefix returns "path/pkg." for the name of a package-level function
// "path/pkg.F".
func pkgPrefix(name string) string {
	slash := strings.LastIndexByte(name, '/')
	dot := strings.IndexByte(name[slash+1:], '.')
	return name[:slash+1+dot+1]
}

// Receiver returns the receiver part of a method expression's name:
// "github.com/lanes-dev/lanes/engine/worker.(*worker)" for
// (*worker).serve.
func Receiver(method any) string {
	name := funcName(method)
	return name[:strings.LastIndexByte(name, '.')]
}

// OwnFrames declares the receivers (see Receiver) whose methods are the
// worker's own: goroutines running them are not cell code, for the
// deadlock detector.
func OwnFrames(receivers ...string) {
	own.Lock()
	defer own.Unlock()
	own.prefixes = append(own.prefixes, receivers...)
}

func ownFrame(f string) bool {
	own.Lock()
	defer own.Unlock()
	for _, p := range own.prefixes {
		if strings.HasPrefix(f, p+".") {
			return true
		}
	}
	return false
}

// IsEvalFrame reports whether a frame of a stack dump is the
// interpreter's evaluation of a cell (the cell's main goroutine).
func IsEvalFrame(f string) bool { return strings.HasPrefix(f, evalFrame) }

// panicHandler receives the panics of cells' goroutines (see OnPanic).
var panicHandler atomic.Pointer[func(g *Goroutine, r any, frames []Frame)]

// OnPanic sets what happens when a goroutine of a go statement panics: h
// gets the goroutine, the value it panicked with and its interpreted
// frames. The worker sets it once, before any cell runs.
func OnPanic(h func(g *Goroutine, r any, frames []Frame)) {
	panicHandler.Store(&h)
}
