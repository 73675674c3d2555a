// Package rewrite is the compatibility layer: it rewrites a chunk of a
// cell (or a whole program) so that it behaves under the interpreter
// (yaegi v0.16.0) as it would under the Go toolchain, with //line
// directives so that errors still name "cell N, line L". Only chunks that
// need it are rewritten (MayRewrite); the rest run as written.
//
// The rewrites (see the engine's package doc for the user's view):
// per-iteration loop variables, range over an integer, min and max, clear,
// print and println, function literals in frames of their own, range over
// a slice of channels by index, recover and panic with Go's wording and
// line, go statements registered with the run-time helpers, parenthesized
// receives, var declarations as statements (VarStatements), select cases
// that receive into fields or elements, constants assigned to the blank
// identifier as their values, top-level defers run when the cell ends,
// names of their own for the variables of nested scopes at a cell's top
// level (UserNames turns them back), top-level statements that define
// several variables from one value in a function literal, the type
// arguments of generic calls the interpreter cannot infer (typeArgs,
// stdTypeArgs), fmt's operands that hold cell-defined types with String,
// Error or Format (displayArgs), %T of cell-defined types (typeVerbs),
// errors.As into a cell-defined error type (errorsAs), top-level values
// that call a generic func in a function literal (topGenericValues); before them,
// range over functions (internal/rangefunc, see rangefunc.go), and after
// them the top-level init clauses in blocks of their own (scopeInits).
//
// A chunk is rewritten only when it may need it (MayRewrite and the
// checks beside it in prepare.go): a chunk calling fmt's print functions
// is type-checked only when the session or the chunk declares a String,
// Error or Format method: after 200 declarations such a cell costs a
// median 1.2 ms to rewrite, against 5 µs for one that is left alone
// (BenchmarkChunkFmt, BenchmarkChunkFmtPlain; 2 shared cores, 5 runs).
// DefinedTypes tells the worker the types of the variables a chunk
// defines, as the session spells them, with one type-check of the same
// cost for each chunk that defines variables.
//
// # Types
//
// The rewrites read types from go/types. The session's declarations come
// in as a prelude file; the compiled packages come from the Session's
// importer (Typed, NewImporter), which reads them off the interpreter's
// own symbol table with package reflect, so the checker knows exactly the
// members a cell can use: min(d, time.Second) or workers :=
// min(runtime.NumCPU(), 8) get a type. A rewrite spells a type as the
// chunk's imports name its package (t.Duration after import t "time").
// Building a package costs 0.04–1.8 ms once per worker (fmt, time,
// os, net/http; all 168: 21 ms).
//
// It is pure: source in, source out. Rewritten code calls the helpers of
// internal/cellrt by name (source.RuntimeName), but this package must
// never import cellrt, the interpreter, the worker or the engine.
package rewrite
