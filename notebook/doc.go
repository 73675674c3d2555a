// Package notebook reads, writes, runs and releases Jupyter notebooks
// (nbformat 4) for Lanes: the runner behind "lanes run", the lesson
// catalogue and the grader.
//
// # Reading and writing
//
// A notebook is kept close to its file. The top-level object and each cell
// are held as their keys in file order with each value's bytes as read;
// only the fields this package understands (cell type, id, source,
// execution count, outputs, nbformat version) are decoded. Marshal writes a
// field anew only when its value changed, and lays the whole document out
// with encoding/json's Indent and one space, which is exactly nbformat's
// layout (json.dumps with indent=1, sort_keys=True, ensure_ascii=False, and
// a final newline). So a notebook Jupyter wrote, read and written unchanged,
// is byte-identical, and unknown metadata and fields survive untouched
// (numbers keep their spelling: 1.0 stays 1.0). Values written anew follow
// Python's rules: sorted keys, only '"', '\\' and control characters
// escaped (no \u003c for '<', no escape for U+2028), text split into lines
// after every line break Python's str.splitlines knows. A cell's source
// keeps the form it had, a string or a list of lines; new cells and outputs
// use lists, as Jupyter writes them.
//
// Parse validates the structure nbformat 4 requires (top-level fields,
// cell types, source, outputs and execution counts of code cells) and
// reports broken JSON as a *SyntaxError with line and column, a wrong shape
// as a *ValidationError naming the cell. Cell ids are kept but not required,
// so notebooks of nbformat 4.0–4.4 run too.
//
// # Running
//
// Run executes the code cells through an Executor (the engine) and records
// outputs as Jupyter's nbclient does (what "jupyter nbconvert --execute"
// uses), with these decisions:
//
//   - Cells with a blank source or tagged "skip-execution" are not run and
//     keep what they had. Execution counts are 1, 2, … over the cells run,
//     and name the cell in the engine's errors ("cell 3, line 2").
//   - Consecutive text on the same stream is merged into one output, as
//     Jupyter's front ends show it (nbclient stores each message).
//   - display_data with a display id, and updates of it, replace the data of
//     every earlier output with that id in any cell; clear_output empties the
//     cell at once, or with wait=true just before its next output.
//   - Output that goroutines write after their cell finished is dropped,
//     as nbclient stops listening at the cell's end.
//   - Cells get no standard input: reading it sees end of input.
//   - A per-cell timeout cancels the cell's context, which makes the engine
//     interrupt it and restart a worker that does not stop; the cell gets a
//     CellTimeoutError output.
//   - The first error stops the run unless AllowErrors is set or the cell is
//     tagged "raises-exception"; cells after it are left without outputs, so
//     no output of an earlier run passes for a result of this one.
//   - No timing metadata is recorded (nbclient's metadata.execution), so a
//     notebook run twice is written the same; metadata.language_info is set
//     when RunOptions.LanguageInfo is given.
//
// # Releasing
//
// Lesson notebooks are written in nbgrader's format (metadata schema 3).
// Release derives the student version from the instructor's: solution
// regions replaced by CodeStub, hidden test regions removed, outputs
// cleared — nbgrader's rules, with Go comments as markers. The lessons
// package and the grader share it.
package notebook
