// Package source holds the pure functions over the text of a cell: the
// magics on its first lines (parsed here and nowhere else), cutting a cell
// into chunks of imports, declarations, var declarations and statements,
// the final expression, the names a chunk declares, whole programs, and
// the names Lanes reserves for rewritten code.
//
// Everything here is a function of its arguments: no interpreter, no
// process, no session. It must never import the interpreter (yaegi), the
// engine, the worker or the protocol (internal/wire).
package source

import "strings"

// Names reserved by Lanes. No Go program can declare them by accident: a
// cell that mentions Reserved is refused (see UsesReserved).
const (
	// Reserved prefixes every name Lanes introduces in rewritten code.
	Reserved = "_lanes"
	// RuntimeName is the name under which rewritten cells refer to the
	// package of run-time helpers (internal/cellrt).
	RuntimeName = Reserved + "rt"
	// RuntimePath is the import path under which the worker registers
	// that package with the interpreter.
	RuntimePath = "lanesinternal/" + RuntimeName
	// MainName is what a cell's func main is renamed to: the interpreter
	// runs a function called main at every evaluation once it exists.
	MainName = Reserved + "main"
)

// UsesReserved reports whether code mentions the names Lanes reserves.
func UsesReserved(code string) bool {
	return strings.Contains(code, Reserved)
}
