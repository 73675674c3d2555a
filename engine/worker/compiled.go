package worker

import (
	"context"
	"errors"
	"fmt"
	"os"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/lanes-dev/lanes/internal/compiled"
	"github.com/lanes-dev/lanes/internal/wire"
)

// EnvCompile set to "off" in the worker's environment refuses %%compile
// cells: the grader sets it unless an assignment allows compiled cells,
// which run outside the interpreter's sandbox.
const EnvCompile = "LANES_COMPILE"

// compiledState is what %%compile cells need of the session: the source
// of the interpreted cells that succeeded (their imports, types, funcs
// and consts are compiled with the cell) and the names of the session's
// variables. A compiled cell adds nothing to the session.
type compiledState struct {
	session *compiled.Session
	cells   []compiled.Decl
	vars    map[string]bool
}

// remember records, for later compiled cells, the source of successful
// interpreted cells (or of replayed declarations) and the names of the
// variables they defined.
func (w *worker) remember(decls []compiled.Decl, vars []string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.comp.cells = append(w.comp.cells, decls...)
	if w.comp.vars == nil {
		w.comp.vars = map[string]bool{}
	}
	for _, v := range vars {
		w.comp.vars[v] = true
	}
}

// execCompiled runs a %%compile cell; args are its go build flags. The
// program's output goes to the worker's own streams and displays, in the
// order the program wrote them. With timed (%time) the cell ends with the
// build's time and the program's own wall and CPU time.
func (w *worker) execCompiled(ctx context.Context, cell int, code, args string, timed bool) *wire.Error {
	if os.Getenv(EnvCompile) == "off" {
		return compileError("NotAllowed", "compiled cells (%%compile) are not allowed here", wire.KindMagic)
	}
	w.mu.Lock()
	if w.comp.session == nil {
		s, err := compiled.New(compiled.Options{})
		if err != nil {
			w.mu.Unlock()
			return compileError("CompileError", err.Error(), wire.KindCompile)
		}
		w.comp.session = s
	}
	s := w.comp.session
	decls := append([]compiled.Decl(nil), w.comp.cells...)
	vars := make([]string, 0, len(w.comp.vars))
	for v := range w.comp.vars {
		vars = append(vars, v)
	}
	w.mu.Unlock()
	sort.Strings(vars)

	c := compiled.Cell{Number: cell, Source: code, Decls: decls, Vars: vars, Flags: strings.Fields(args)}
	st, err := s.Run(ctx, c, compiled.Sinks{Stdout: os.Stdout, Stderr: os.Stderr, Display: w})
	if timed && st.Wall > 0 {
		fmt.Fprintf(os.Stdout, "build time: %s, wall time: %s, CPU time: %s\n", fmtDur(st.Build), fmtDur(st.Wall), fmtDur(st.CPU))
	}
	var be *compiled.BuildError
	var ee *compiled.ExitError
	switch {
	case err == nil:
		return nil
	case errors.Is(err, context.Canceled):
		return compileError("Interrupted", "the cell was interrupted", wire.KindInterrupted)
	case errors.As(err, &be):
		return compileError("CompileError", be.Message, wire.KindCompile)
	case errors.As(err, &ee) && ee.Race:
		return compileError("DataRace", ee.Error(), wire.KindExit)
	case errors.As(err, &ee):
		return compileError("ExitError", ee.Error(), wire.KindExit)
	}
	return compileError("CompileError", err.Error(), wire.KindWorker)
}

// closeCompiled removes the compiled cells' temporary module.
func (w *worker) closeCompiled() {
	w.mu.Lock()
	s := w.comp.session
	w.comp.session = nil
	w.mu.Unlock()
	if s != nil {
		s.Close()
	}
}

// compiledPosRE finds the first position a compiled cell's error names.
var compiledPosRE = regexp.MustCompile(`cell (\d+), line (\d+)`)

func compileError(name, msg string, kind wire.ErrorKind) *wire.Error {
	e := &wire.Error{Name: name, Message: msg, Traceback: strings.Split(msg, "\n"), Kind: kind}
	if m := compiledPosRE.FindStringSubmatch(msg); m != nil {
		e.Cell, _ = strconv.Atoi(m[1])
		e.Line, _ = strconv.Atoi(m[2])
	}
	return e
}
