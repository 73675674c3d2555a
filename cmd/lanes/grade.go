package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/lanes-dev/lanes/grade"
	"github.com/lanes-dev/lanes/grade/sandbox"
	"github.com/lanes-dev/lanes/notebook"
)

const gradeHelp = `Usage:
  lanes grade release SOURCE.ipynb... -o DIR
  lanes grade autograde --source SOURCE.ipynb SUBMISSION.ipynb... -o DIR
        [-j N] [--shard K/N] [--timeout PER_CELL] [--notebook-timeout D]
        [--memory SIZE] [--goroutines N] [--student NAME]
  lanes grade merge DIR/grades.json... -o DIR

release writes the student version of each instructor notebook into DIR:
solutions replaced by a stub, hidden tests removed, outputs cleared,
graded and locked cells marked read-only, nbgrader checksums recorded.

autograde grades each submission in a fresh worker in grading mode (only
allow-listed packages; time, memory and goroutine limits): test cells and
hidden tests are restored from SOURCE, the notebook is run, and each test
cell scores its points unless it fails (nbgrader's rules). DIR receives
grades.csv, grades.json, feedback/STUDENT.html and autograded/STUDENT/.
A submission that cannot be graded gets a row with the reason and the
batch goes on. Students are named by nbgrader's layout
(submitted/STUDENT/ASSIGNMENT/NB.ipynb), else by the paths, or by
--student for a single submission. --shard K/N grades every N-th
submission (sorted by path) starting with the K-th, for the tasks of an
array job (Slurm, Kubernetes: see docs/grading.md); merge combines the
shards' grades.json and refuses a student graded twice or a missing
shard.

Flags:
`

func gradeCmd(args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, gradeHelp)
		return errUsage
	}
	switch args[0] {
	case "release":
		return gradeRelease(args[1:], stdout, stderr)
	case "autograde":
		return gradeAutograde(args[1:], stdout, stderr)
	case "merge":
		return gradeMerge(args[1:], stdout, stderr)
	case "-h", "-help", "--help", "help":
		fmt.Fprint(stdout, gradeHelp)
		return nil
	}
	fmt.Fprintf(stderr, "lanes grade: unknown subcommand %q\n\n%s", args[0], gradeHelp)
	return errUsage
}

func gradeRelease(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("grade release", stderr, gradeHelp)
	out := fs.String("o", "", "write the student versions into `DIR`")
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if len(pos) == 0 || *out == "" {
		fs.Usage()
		return errUsage
	}
	if err := os.MkdirAll(*out, 0o755); err != nil {
		return err
	}
	for _, in := range pos {
		nb, err := notebook.ReadFile(in)
		if err != nil {
			return err
		}
		if err := grade.Release(nb); err != nil {
			return fmt.Errorf("%s: %w", in, err)
		}
		dst := filepath.Join(*out, filepath.Base(in))
		if abs1, _ := filepath.Abs(in); abs1 == mustAbs(dst) {
			return fmt.Errorf("%s: releasing would overwrite the source; choose another -o", in)
		}
		if err := nb.WriteFile(dst); err != nil {
			return err
		}
		fmt.Fprintf(stderr, "released %s\n", dst)
	}
	return nil
}

func mustAbs(p string) string {
	a, err := filepath.Abs(p)
	if err != nil {
		return p
	}
	return a
}

// shardFlag is --shard K/N.
type shardFlag struct{ k, n int }

func (s *shardFlag) String() string {
	if s.n == 0 {
		return ""
	}
	return fmt.Sprintf("%d/%d", s.k, s.n)
}

func (s *shardFlag) Set(v string) error {
	a, b, ok := strings.Cut(v, "/")
	k, err1 := strconv.Atoi(a)
	n, err2 := strconv.Atoi(b)
	if !ok || err1 != nil || err2 != nil || n < 1 || k < 1 || k > n {
		return fmt.Errorf("want K/N with 1 <= K <= N, got %q", v)
	}
	s.k, s.n = k, n
	return nil
}

// sizeFlag is a memory size such as 512M.
type sizeFlag int64

func (s *sizeFlag) String() string { return sandbox.Bytes(int64(*s)) }
func (s *sizeFlag) Set(v string) error {
	n, err := sandbox.ParseBytes(v)
	if err != nil {
		return err
	}
	*s = sizeFlag(n)
	return nil
}

func gradeAutograde(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("grade autograde", stderr, gradeHelp)
	source := fs.String("source", "", "the instructor's `SOURCE.ipynb`")
	out := fs.String("o", "", "write grades and feedback into `DIR`")
	jobs := fs.Int("j", runtime.NumCPU(), "grade `N` submissions at once")
	var shard shardFlag
	fs.Var(&shard, "shard", "grade only shard `K/N` of the submissions")
	cellTimeout := secondsOrDuration(grade.DefaultCellTimeout)
	fs.Var(&cellTimeout, "timeout", "interrupt a cell after `PER_CELL` (a duration or seconds)")
	nbTimeout := secondsOrDuration(0)
	fs.Var(&nbTimeout, "notebook-timeout", "stop a submission after `D` (0: no limit)")
	mem := sizeFlag(sandbox.DefaultMemory)
	fs.Var(&mem, "memory", "memory limit of each worker (`SIZE`, such as 512M or 2G)")
	goroutines := fs.Int("goroutines", sandbox.DefaultGoroutines, "goroutine limit of each worker")
	student := fs.String("student", "", "name the student of a single submission `NAME` (default: from the path)")
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if *source == "" || *out == "" || len(pos) == 0 {
		fs.Usage()
		return errUsage
	}
	if *student != "" && len(pos) != 1 {
		fmt.Fprintln(stderr, "lanes grade autograde: --student names a single submission; a batch is named by its paths")
		return errUsage
	}
	src, err := grade.ReadSource(*source)
	if err != nil {
		return err
	}
	fmt.Fprintln(stderr, sandbox.OSLayer(grade.AllowsCompile(src.Notebook)))
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	bar := newProgressBar(stderr)
	opts := grade.Options{
		Workers:         *jobs,
		Shard:           shard.k,
		Shards:          shard.n,
		Student:         *student,
		CellTimeout:     time.Duration(cellTimeout),
		NotebookTimeout: time.Duration(nbTimeout),
		Limits:          sandbox.Limits{Memory: int64(mem), Goroutines: *goroutines},
		Progress:        bar.update,
	}
	if os.Getenv("LANES_DEBUG") != "" {
		opts.Log = stderr
	}
	start := time.Now()
	results := grade.Autograde(ctx, src, pos, opts)
	bar.finish()
	rep, err := grade.WriteShardResults(*out, src, results, shard.k, shard.n)
	if err != nil {
		return err
	}
	elapsed := time.Since(start)
	fmt.Fprint(stderr, rep.Summary())
	rate := 0.0
	if elapsed > 0 {
		rate = float64(len(results)) / elapsed.Seconds()
	}
	fmt.Fprintf(stderr, "graded in %.1fs (%.2f submissions/s, -j %d); wrote %s\n", elapsed.Seconds(), rate, *jobs,
		filepath.Join(*out, "grades.csv"))
	if ctx.Err() != nil {
		return errCellsFailed
	}
	return nil
}

func gradeMerge(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("grade merge", stderr, gradeHelp)
	out := fs.String("o", "", "write the merged grades.json and grades.csv into `DIR`")
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if *out == "" || len(pos) == 0 {
		fs.Usage()
		return errUsage
	}
	rep, err := grade.Merge(pos)
	if err != nil {
		return err
	}
	if err := rep.WriteFiles(*out); err != nil {
		return err
	}
	fmt.Fprint(stderr, rep.Summary())
	return nil
}

// progressBar draws "[#####.....] 12/40" on stderr: redrawn in place on a
// terminal, a line per submission otherwise (logs of batch systems).
type progressBar struct {
	w     io.Writer
	tty   bool
	start time.Time
	drawn bool
}

func newProgressBar(w io.Writer) *progressBar {
	tty := false
	if f, ok := w.(*os.File); ok {
		if st, err := f.Stat(); err == nil && st.Mode()&os.ModeCharDevice != 0 {
			tty = true
		}
	}
	return &progressBar{w: w, tty: tty, start: time.Now()}
}

func (b *progressBar) update(done, total int, r *grade.Result) {
	const width = 30
	fill := width * done / max(total, 1)
	bar := strings.Repeat("#", fill) + strings.Repeat(".", width-fill)
	what := fmt.Sprintf("%s %s/%s", r.Student, num(r.Score), num(r.Max))
	if r.Status == grade.Broken {
		what = r.Student + " could not be graded: " + r.Reason
	}
	if b.tty {
		line := fmt.Sprintf("[%s] %d/%d %.0fs  %s", bar, done, total, time.Since(b.start).Seconds(), what)
		if len(line) > 100 {
			line = line[:100]
		}
		fmt.Fprintf(b.w, "\r\x1b[K%s", line)
		b.drawn = true
		return
	}
	fmt.Fprintf(b.w, "[%s] %d/%d %s\n", bar, done, total, what)
}

func (b *progressBar) finish() {
	if b.drawn {
		fmt.Fprintln(b.w)
	}
}

func num(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }
