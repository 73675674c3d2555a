// Package compiled runs a cell as a compiled Go program: built by the
// installed Go toolchain, run as a child process, its output streamed as it
// is written and its displays handed to the front end.
//
// A cell is either a whole program (a package clause and a func main), run
// as it is, or top-level items the way a notebook has them: imports,
// declarations and statements. The statements become the body of a func
// main; the cell's imports, types, consts, funcs and the vars declared
// before its first statement stay at package level; and the session's
// declarations that the cell refers to, directly or through each other,
// are written beside it, each in a file of its own. Values of the
// interpreted session's variables are not carried over: a build error
// about one of them says so.
//
// # Positions
//
// Every generated file places its source with //line directives, so the
// compiler's messages, panics and the race detector's reports name cell N
// line L themselves ("cell 3:5"); build errors are then worded as the
// interpreter words them ("cell 3, line 5: ..."). Reports are not rewritten
// while they stream: they come out as Go prints them.
//
// # Offline
//
// The cell builds in a temporary module (one per Session, reused so that
// the toolchain's build cache hits) holding the source of package lanes
// and what it imports inside this module, written from the source the
// binary embeds (package github.com/lanes-dev/lanes, the module's root).
// `import "lanes"` is pointed at that copy. Other modules come from the
// module cache only: the toolchain runs with GOPROXY=off, GOFLAGS=-mod=mod,
// GOTOOLCHAIN=local and GOWORK=off, and the module's go.sum is the
// project's own, so nothing is fetched or looked up.
//
// # Reuse
//
// A built program is kept by the hash of its generated files, its flags and
// the toolchain, so running the same cell again costs a process start; a
// changed cell recompiles only its own package. A session keeps its last
// 32 programs; the temporary modules of processes that died without
// removing theirs are removed by the next New.
//
// # Displays and order
//
// The program writes its displays to an extra pipe (package childsink,
// imported by a generated file of every program) and marks its output
// streams before each one, so that text and displays reach the sinks in
// the order the program produced them.
//
// # Interrupt
//
// Cancelling the context sends SIGINT to the program's process group (a
// Go program exits at once by default), then SIGKILL after Options.Grace.
package compiled

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	embedded "github.com/lanes-dev/lanes"
	"github.com/lanes-dev/lanes/internal/compiled/childsink"
)

// ErrNoToolchain is returned where no Go toolchain is installed.
var ErrNoToolchain = errors.New("compiled cells need the Go toolchain: no go command found in PATH")

// Decl is a declaration of an earlier cell of the session: its source,
// padded with newlines so that its lines have the numbers they have in
// that cell.
type Decl struct {
	Cell int
	Src  string
}

// Cell is one compiled cell.
type Cell struct {
	// Number is the cell's execution count, N in "cell N, line L".
	Number int
	// Source is the cell's Go source, magic lines blanked so that line
	// numbers are those of the cell.
	Source string
	// Decls are the session's declarations (imports, types, consts,
	// funcs), oldest first; a later declaration of a name wins.
	Decls []Decl
	// Vars names the interpreted session's variables.
	Vars []string
	// Flags are go build flags: -race, -tags a,b, -gcflags=..., ...
	Flags []string
}

// Options configure a Session.
type Options struct {
	// Go is the go command; "" finds it in PATH.
	Go string
	// Grace is how long an interrupted program has between SIGINT and
	// SIGKILL; 0 means half a second (under the engine's 1.5 s budget
	// for an interrupt).
	Grace time.Duration
}

// Session builds and runs the compiled cells of one notebook session.
type Session struct {
	goCmd string
	tool  string // identifies the toolchain in cache keys
	dir   string
	grace time.Duration

	mu    sync.Mutex // guards the module directory, built and order
	built map[string]*built
	order []string // keys of built, oldest first
}

// keepPrograms is how many built programs a session keeps (a few MB
// each); the oldest goes first.
const keepPrograms = 32

// dirPrefix names the sessions' temporary modules; the creating process's
// id follows it, so that New can remove the modules of processes that died
// without a Close (a worker killed after an interrupt).
const dirPrefix = "lanes-compiled-"

// built is the outcome of one build.
type built struct {
	bin string
	err error
}

// New writes a session's temporary module. It fails with ErrNoToolchain
// when there is no go command.
func New(opts Options) (*Session, error) {
	goCmd := opts.Go
	if goCmd == "" {
		p, err := exec.LookPath("go")
		if err != nil {
			return nil, ErrNoToolchain
		}
		goCmd = p
	}
	st, err := os.Stat(goCmd)
	if err != nil {
		return nil, ErrNoToolchain
	}
	removeOrphans()
	dir, err := os.MkdirTemp("", dirPrefix+strconv.Itoa(os.Getpid())+"-")
	if err != nil {
		return nil, fmt.Errorf("compiled cells: %w", err)
	}
	s := &Session{
		goCmd: goCmd,
		tool:  fmt.Sprintf("%s %d %d", goCmd, st.Size(), st.ModTime().UnixNano()),
		dir:   dir,
		grace: opts.Grace,
		built: map[string]*built{},
	}
	if s.grace <= 0 {
		s.grace = 500 * time.Millisecond
	}
	if err := writeModule(dir); err != nil {
		os.RemoveAll(dir)
		return nil, fmt.Errorf("compiled cells: writing the lanes module: %w", err)
	}
	return s, nil
}

// Close removes the session's temporary module and programs.
func (s *Session) Close() error { return os.RemoveAll(s.dir) }

// writeModule writes the embedded source, without tests and without the
// go.mod's tool lines (tools are not built here).
func writeModule(dir string) error {
	return fs.WalkDir(embedded.FS, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.HasSuffix(p, "_test.go") {
			return err
		}
		data, err := fs.ReadFile(embedded.FS, p)
		if err != nil {
			return err
		}
		if p == "go.mod" {
			var keep []string
			for _, l := range strings.Split(string(data), "\n") {
				if !strings.HasPrefix(l, "tool ") {
					keep = append(keep, l)
				}
			}
			data = []byte(strings.Join(keep, "\n"))
		}
		out := filepath.Join(dir, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
			return err
		}
		return os.WriteFile(out, data, 0o644)
	})
}

// BuildError is a cell that did not build, with the toolchain's messages
// placed in the cells.
type BuildError struct {
	Cell    int
	Message string
}

func (e *BuildError) Error() string { return e.Message }

// ExitError is a program that ended with a non-zero status.
type ExitError struct {
	Code int
	// Race is set when the race detector ended the program (status 66 in
	// a -race build).
	Race bool
}

func (e *ExitError) Error() string {
	if e.Race {
		return fmt.Sprintf("exit status %d: the race detector found a data race", e.Code)
	}
	return fmt.Sprintf("exit status %d", e.Code)
}

// Stats are the costs of a compiled cell.
type Stats struct {
	// Build is the time spent building (0 when a program built before
	// was reused).
	Build time.Duration
	// Wall is the program's run from its start to its exit (the fork
	// included, so CPU ≤ Wall × cores always holds); CPU is the
	// processor time it used (user and system, all its threads).
	Wall, CPU time.Duration
}

// Run builds the cell and runs it, writing its output to the sinks. The
// error is a *BuildError, an *ExitError, ctx's error when the cell was
// interrupted (the program stopped), or another error of the machinery.
func (s *Session) Run(ctx context.Context, c Cell, sinks Sinks) (Stats, error) {
	var st Stats
	start := time.Now()
	bin, reused, err := s.build1(ctx, c)
	if !reused {
		st.Build = time.Since(start)
	}
	if err != nil {
		return st, err
	}
	return s.run(ctx, bin, sinks, slices.Contains(c.Flags, "-race"), st)
}

// Build builds the cell and returns its program, reusing a program built
// before from the same files and flags.
func (s *Session) Build(ctx context.Context, c Cell) (string, error) {
	bin, _, err := s.build1(ctx, c)
	return bin, err
}

// build1 is Build, which also reports whether the outcome (a program or
// a build error) was one found before.
func (s *Session) build1(ctx context.Context, c Cell) (string, bool, error) {
	if err := checkFlags(c.Flags); err != nil {
		return "", true, &BuildError{Cell: c.Number, Message: fmt.Sprintf("cell %d: %v", c.Number, err)}
	}
	p, err := generate(c, true)
	if err != nil {
		return "", true, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	key := s.key(p, c.Flags)
	if b, ok := s.built[key]; ok {
		return b.bin, true, b.err
	}
	bin, out, err := s.build(ctx, p, c.Flags, key)
	if err != nil && p.shown > 0 && noValueAt(out, c.Number, p.shown) {
		// The final expression has no value: run the cell without
		// showing it.
		q, gerr := generate(c, false)
		if gerr != nil {
			return "", false, gerr
		}
		bin, out, err = s.build(ctx, q, c.Flags, key)
	}
	if err != nil {
		if ctx.Err() != nil {
			return "", false, ctx.Err() // not a fact about the cell: not kept
		}
		if out == "" {
			return "", false, err
		}
		err = &BuildError{Cell: c.Number, Message: buildMessage(out, c.Vars)}
	}
	s.built[key] = &built{bin: bin, err: err}
	s.order = append(s.order, key)
	if len(s.order) > keepPrograms {
		old := s.order[0]
		s.order = s.order[1:]
		if b := s.built[old]; b.bin != "" {
			os.Remove(b.bin)
		}
		delete(s.built, old)
	}
	return bin, false, err
}

// removeOrphans removes the temporary modules of processes that are gone.
func removeOrphans() {
	tmp := os.TempDir()
	entries, err := os.ReadDir(tmp)
	if err != nil {
		return
	}
	for _, e := range entries {
		rest, ok := strings.CutPrefix(e.Name(), dirPrefix)
		if !ok || !e.IsDir() {
			continue
		}
		pidText, _, _ := strings.Cut(rest, "-")
		pid, err := strconv.Atoi(pidText)
		if err != nil || pid == os.Getpid() {
			continue
		}
		// Signal 0 checks that the process exists (EPERM: it does, as
		// another user's).
		if err := syscall.Kill(pid, 0); errors.Is(err, syscall.ESRCH) {
			os.RemoveAll(filepath.Join(tmp, e.Name()))
		}
	}
}

func (s *Session) key(p *program, flags []string) string {
	h := sha256.New()
	fmt.Fprintf(h, "%s\x00%q\x00", s.tool, flags)
	for _, f := range p.files {
		fmt.Fprintf(h, "%s\x00%d\x00%s", f.name, len(f.src), f.src)
	}
	return hex.EncodeToString(h.Sum(nil))[:24]
}

// build writes the program's files and runs go build; out is the
// toolchain's output when it failed.
func (s *Session) build(ctx context.Context, p *program, flags []string, key string) (bin, out string, err error) {
	pkg := filepath.Join(s.dir, cellsPkg)
	if err := os.RemoveAll(pkg); err != nil {
		return "", "", fmt.Errorf("compiled cells: %w", err)
	}
	if err := os.MkdirAll(pkg, 0o755); err != nil {
		return "", "", fmt.Errorf("compiled cells: %w", err)
	}
	for _, f := range p.files {
		if err := os.WriteFile(filepath.Join(pkg, f.name), []byte(f.src), 0o644); err != nil {
			return "", "", fmt.Errorf("compiled cells: %w", err)
		}
	}
	bin = filepath.Join(s.dir, "bin", key)
	// Without DWARF the link is about a quarter faster; stack traces and
	// race reports need only the program's line tables. A cell's own
	// -ldflags replaces these.
	args := append([]string{"build", "-trimpath", "-ldflags=-s -w", "-o", bin}, flags...)
	cmd := exec.CommandContext(ctx, s.goCmd, append(args, "./"+cellsPkg)...)
	cmd.Dir = s.dir
	cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod", "GOPROXY=off", "GOTOOLCHAIN=local", "GOWORK=off")
	var buf bytes.Buffer
	cmd.Stdout, cmd.Stderr = &buf, &buf
	if err := cmd.Run(); err != nil {
		if buf.Len() == 0 {
			return "", "", fmt.Errorf("compiled cells: go build: %w", err)
		}
		return "", buf.String(), err
	}
	return bin, "", nil
}

// valueFlags are the build flags that take a value as the next argument.
var valueFlags = map[string]bool{
	"tags": true, "gcflags": true, "ldflags": true, "asmflags": true, "p": true,
	"pgo": true, "covermode": true, "coverpkg": true, "buildmode": true,
}

// forbidden are build flags that would build something else, or elsewhere.
var forbidden = map[string]bool{"o": true, "C": true, "mod": true, "modfile": true, "overlay": true, "pkgdir": true}

func checkFlags(flags []string) error {
	for i := 0; i < len(flags); i++ {
		f := flags[i]
		name, _, hasValue := strings.Cut(strings.TrimLeft(f, "-"), "=")
		switch {
		case !strings.HasPrefix(f, "-"):
			return fmt.Errorf("%q is not a build flag", f)
		case forbidden[name]:
			return fmt.Errorf("the build flag %s cannot be used in a compiled cell", f)
		case valueFlags[name] && !hasValue:
			if i+1 == len(flags) {
				return fmt.Errorf("the build flag %s needs a value", f)
			}
			i++
		}
	}
	return nil
}

// run runs a built program until it ends or ctx is done.
func (s *Session) run(ctx context.Context, bin string, sinks Sinks, race bool, st Stats) (Stats, error) {
	tok := make([]byte, childsink.TokenLen/2)
	rand.Read(tok)
	token := hex.EncodeToString(tok)

	var pipes [3][2]*os.File // stdout, stderr, displays: read, write ends
	closeAll := func() {
		for _, p := range pipes {
			for _, f := range p {
				if f != nil {
					f.Close()
				}
			}
		}
	}
	for i := range pipes {
		r, w, err := os.Pipe()
		if err != nil {
			closeAll()
			return st, fmt.Errorf("compiled cells: %w", err)
		}
		pipes[i] = [2]*os.File{r, w}
	}
	cmd := exec.Command(bin)
	cmd.Stdout, cmd.Stderr = pipes[0][1], pipes[1][1]
	cmd.ExtraFiles = []*os.File{pipes[2][1]} // fd 3
	cmd.Env = append(os.Environ(), childsink.EnvFD+"=3", childsink.EnvToken+"="+token)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	// The clock starts before the process does, so that the wall time
	// holds its whole life: Start can return after the program has run
	// on another core (the parent lost its thread), and a clock started
	// then showed 281 µs of wall for 2.7 ms of CPU.
	started := time.Now()
	if err := cmd.Start(); err != nil {
		closeAll()
		return st, fmt.Errorf("compiled cells: starting the program: %w", err)
	}
	for i := range pipes {
		pipes[i][1].Close()
		pipes[i][1] = nil
	}

	d := newDemux(sinks, token)
	var readers sync.WaitGroup
	readers.Add(3)
	go func() { defer readers.Done(); d.stream(0, pipes[0][0]) }()
	go func() { defer readers.Done(); d.stream(1, pipes[1][0]) }()
	go func() { defer readers.Done(); d.frames(pipes[2][0]) }()

	exited := make(chan error, 1)
	go func() {
		err := cmd.Wait()
		st.Wall = time.Since(started)
		if ps := cmd.ProcessState; ps != nil {
			st.CPU = ps.UserTime() + ps.SystemTime()
		}
		exited <- err
	}()
	var err error
	interrupted := false
	select {
	case err = <-exited:
	case <-ctx.Done():
		interrupted = true
		pgid := cmd.Process.Pid
		syscall.Kill(-pgid, syscall.SIGINT)
		t := time.NewTimer(s.grace)
		select {
		case err = <-exited:
		case <-t.C:
			syscall.Kill(-pgid, syscall.SIGKILL)
			err = <-exited
		}
		t.Stop()
	}
	// What the program started dies with it; then its pipes close.
	syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
	done := make(chan struct{})
	go func() { readers.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(time.Second):
		// Something outside the group holds a pipe open.
		closeAll()
		<-done
	}
	closeAll()

	if interrupted {
		return st, fmt.Errorf("interrupted: %w", ctx.Err())
	}
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		code := ee.ExitCode()
		if ws, ok := ee.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
			return st, fmt.Errorf("the program was killed by %v", ws.Signal())
		}
		return st, &ExitError{Code: code, Race: race && code == 66}
	}
	if err != nil {
		return st, fmt.Errorf("compiled cells: %w", err)
	}
	return st, nil
}
