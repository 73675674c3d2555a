// Package grade releases nbgrader-style exercise notebooks and grades
// students' submissions safely and in parallel: the engine of
// "lanes grade release" and "lanes grade autograde".
//
// A course needs nothing but the lanes binary, and the files are
// nbgrader's: instructor notebooks with metadata schema 3, released
// notebooks nbgrader accepts, an autograded notebook per student. A course
// can start on one laptop and move to nbgrader on JupyterHub unchanged.
//
// # Release
//
// Release is notebook.Release (solutions replaced by "// YOUR CODE HERE"
// and a panic, hidden tests removed, outputs cleared) followed by what
// nbgrader's generate_assignment adds: cells that are graded, solutions
// or locked get metadata.deletable false, and those that are graded or
// locked and not solutions metadata.editable false (nbgrader's LockCells);
// metadata.nbgrader.checksum and cell_type are recorded (ComputeChecksums).
// Validate checks schema 3 first.
//
// Checksums are nbgrader's own (utils.compute_checksum), so nbgrader
// accepts them: MD5 in hex of the source, the cell type, Python's
// "True"/"False" for grade, solution and locked (where solution cells are
// never locked and graded cells always are), the grade id and, for graded
// cells, the points as Python prints a float ("1.0"). The grader does not
// rely on them: it restores cells from the source instead of checking.
//
// # Autograde
//
// Each submission is graded in its own engine (a fresh worker process) in
// grading mode (package sandbox: allow-listed standard library, memory
// and goroutine limits, no source imports from disk). Before a cell runs,
// CheckSource refuses imports outside the allow-list, the one file-writing
// method of the runtime (SaveChromeTrace), and declarations of the package
// names the tests use ("var lanes fakeLanes" would turn every check into a
// no-op), top-level declarations of Go's predeclared names ("func
// len(…)" that returns what a test wants), and denied packages used
// without an import (os.ReadFile gives "undefined: os", where the
// interpreter would fail with a nil pointer). A refused cell gets a
// GradingError output and the run goes on. On Linux the worker also runs
// in a Landlock domain (package sandbox) that stops, in the kernel, what
// would get past the allow-list.
//
// The notebook run is assembled from the source (Assemble): answer cells
// from the submission by grade id, test cells and other locked cells from
// the instructor's notebook, hidden tests included, so a student who edits,
// deletes, retypes or moves them changes nothing; deleted answers become the
// stub. Only the source's graded cells are graded, with the source's
// points: cells the student added, graded or not, are run and kept, never
// scored. Cells run in the source's order with errors allowed, each limited
// by Options.CellTimeout (30 s by default), the whole by
// Options.NotebookTimeout. Each cell keeps at most Options.MaxOutput
// (1 MiB) of output, then "[output truncated …]".
//
// A test passes only if it ran to its end: runtime.Goexit in an answer
// would end a test without an error, so each test cell gets a completion
// sentinel the student cannot forge (see sentinel.go). After a cell that
// timed out or lost its worker (a crash, the memory or goroutine limit),
// grading goes on in a fresh worker in which the earlier cells are run
// again, without the ones that timed out or crashed, so later cells are
// graded on their own merits; a test that then finds a name undefined that the
// failing cell would have defined says "could not run: cell N (ID) …",
// the first real cause, not the follow-on "undefined:".
//
// # Scoring
//
// nbgrader's rules (utils.determine_grade) for each test cell: 0 if any
// output is an error or text on standard error; else the first
// execute_result's text/plain, when it is a number from 0 to the cell's
// points, is partial credit; else full points. Two deliberate differences:
// nbgrader gives full points for a negative number and aborts the
// notebook for one above the maximum; here both score 0 with the reason,
// so one cell cannot stop a batch. Manually graded answers and task cells
// score 0 with status "manual". Cells the run did not reach score 0
// ("not run").
//
// Every submission gets a Result, whatever happens: one that cannot be
// read or is not a notebook is "error" with the reason and 0 points; a
// worker that dies (os.Exit, a fatal error, the memory or goroutine
// limit, a kill after a timeout) fails the cell it was running, and the
// next cells run in a fresh worker (see above). Result.Reason is the first
// refused cell, or the first test that lost points; Result.Notes list what
// was restored or changed.
//
// # Output
//
// WriteResults writes grades.json (Report: per submission and per cell
// points, max, status, reason), grades.csv (a row per submission, a column
// per test cell), feedback/STUDENT.html and autograded/STUDENT/NB.ipynb.
// Feedback pages are self-contained: no scripts, no external resources,
// images as data: URLs (timelines are PNG), Markdown rendered by goldmark
// (GitHub's tables and lists) without raw HTML; test cells are shown as
// the student saw them, so hidden tests are not revealed, only what they
// said. Students are named by nbgrader's submitted/STUDENT/ASSIGNMENT/
// layout, else by the nearest directory level that tells the files apart
// (StudentNames), over the whole batch, so shards agree. Shard and Merge
// split a batch across machines (docs/grading.md: array jobs); Merge
// refuses a student graded twice and a shard missing or repeated.
package grade
