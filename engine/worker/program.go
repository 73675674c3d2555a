package worker

import (
	"context"
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"strings"

	"github.com/traefik/yaegi/interp"

	"github.com/lanes-dev/lanes/internal/cellrt"
	"github.com/lanes-dev/lanes/internal/genstd"
	"github.com/lanes-dev/lanes/internal/rewrite"
	"github.com/lanes-dev/lanes/internal/source"
)

// runProgram runs a whole program as go run would: in an interpreter of
// its own, so that its declarations do not touch the session; its
// goroutines stop when main returns.
func (w *worker) runProgram(ctx context.Context, cell int, code string, f *ast.File) error {
	ip := w.newInterp()
	src := source.LineDirective(cell, code, 0) + code
	fset := token.NewFileSet()
	if pf, err := parser.ParseFile(fset, source.FileName(cell), code, parser.SkipObjectResolution); err == nil {
		if s, ok := rewrite.Program(fset, cell, pf, w); ok {
			src = s
		}
		var err error
		if src, err = genstd.Prepare(ip, src, genstd.FileImports(pf)); err != nil {
			fmt.Fprintln(os.Stderr, "lanes worker: loading the generic standard library:", err)
		}
	}
	_, err := ip.EvalWithContext(ctx, src)
	if compilePanic(err) {
		err = fmt.Errorf("cell%d:1:1: the interpreter could not compile this program: %v", cell, panicValue(err))
	}
	stopInterp(ip)
	// Main has returned, and with it the program: none of its goroutines
	// is the session's to list or report. The interpreter stops a running
	// one at its next statement; one parked on a channel since before the
	// stop never runs again (it waits on the evaluation that has ended).
	for _, g := range cellrt.Of(cell) {
		cellrt.Forget(g)
	}
	return err
}

// stopInterp stops every goroutine still running code of ip, at its next
// statement, as the end of main stops a compiled program's goroutines.
//
// The interpreter stops its frames only when an evaluation's context ends
// while that evaluation runs, so stopInterp evaluates a short declaration
// with a context that is already done. The source names a package other
// than main: every evaluation in package main runs func main again. The
// select inside EvalWithContext may still see the evaluation finish first
// (it returns nil instead of the context's error); then it tries again.
func stopInterp(ip *interp.Interpreter) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	for range 10 {
		if _, err := ip.EvalWithContext(ctx, stopSrc); errors.Is(err, context.Canceled) {
			return
		}
	}
}

// stopSrc is what stopInterp evaluates: a package of its own whose init
// naps, so that the evaluation is still running when the context is seen.
const stopSrc = "package " + source.Reserved + "stop\nimport \"time\"\nfunc init() { time.Sleep(20 * time.Millisecond) }\n"

// compilePanic reports whether err is the interpreter panicking while
// compiling (not the cell's code panicking while running).
func compilePanic(err error) bool {
	var p interp.Panic
	if !errors.As(err, &p) {
		return false
	}
	st := string(p.Stack)
	return strings.Contains(st, "interp.(*Interpreter).cfg") || strings.Contains(st, "interp.(*Interpreter).gta") ||
		strings.Contains(st, "interp.(*Interpreter).CompileAST") || strings.Contains(st, "interp.genRun") ||
		(strings.Contains(st, "interp.(*Interpreter).eval") && !strings.Contains(st, "interp.runCfg"))
}

func panicValue(err error) any {
	var p interp.Panic
	if errors.As(err, &p) {
		return p.Value
	}
	return err
}

// checkRedefinition refuses a type declaration that changes a type the
// session defined before: the interpreter would silently keep the old one.
func (w *worker) checkRedefinition(cell int, p *source.Parsed) error {
	specs := p.TypeSpecs()
	for _, ts := range specs {
		if old, ok := w.sess.typeOf(ts.Name); ok && old.text != ts.Text {
			return fmt.Errorf("cell%d:%d:1: type %s was defined differently in cell %d, and the interpreter cannot change a type once defined: give the new type another name, or run %%reset (or restart the kernel) and run the cells again", cell, ts.Line, ts.Name, old.cell)
		}
	}
	for _, ts := range specs {
		w.sess.addType(ts.Name, typeDef{text: ts.Text, cell: cell})
	}
	return nil
}
