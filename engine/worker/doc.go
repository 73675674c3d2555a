// Package worker is the worker process of the engine: the child that the
// supervisor (package engine) starts with the hidden worker subcommand,
// and the only process in which cell code runs. It owns the yaegi
// interpreter and the session it holds: what cells defined and imported,
// the source of every cell (to place panics), completion and inspection,
// whole programs in interpreters of their own, %%compile cells built and
// run as programs by internal/compiled, and the report of a failed cell.
//
// Outside grading the binary calls LimitMemory (the worker's memory
// limit, which %memlimit changes) and ProtectSupervisor (no signal from a
// cell, or from a program it starts, reaches the supervisor's process)
// before Run.
//
// It speaks to the supervisor only through internal/wire, turns cell text
// into chunks with internal/source, rewrites them with internal/rewrite
// and internal/genstd (the generic standard library, compiled into the
// interpreter on first use) and gives the interpreter the helpers of
// internal/cellrt. The rewrites' type checks get the session's packages
// with their types from sessionImporter: the compiled ones read off the
// symbol table (rewrite.NewImporter), the generic ones (slices, maps, cmp)
// type-checked from genstd's sources. It must never
// import the engine (the supervisor) nor any front end (kernel, repl,
// notebook, grade, lessons).
package worker
