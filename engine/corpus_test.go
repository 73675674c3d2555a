package engine

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lanes-dev/lanes/internal/source"
)

// corpusModes are the ways a corpus program runs through the engine: as
// one cell (a whole program), and split into cells at blank lines (the
// session is the package, func main runs when defined).
var corpusModes = []string{"cell", "cells"}

// TestCorpus runs every program of testdata/corpus with go run (built once
// per test run) and through the engine, and compares standard output
// exactly. Mismatches fail unless KNOWN_DIFFERENCES.md lists them. The
// whole corpus takes about a minute on two cores; LANES_CORPUS=word runs
// only the programs whose file name contains word.
func TestCorpus(t *testing.T) {
	if testing.Short() {
		t.Skip("the corpus needs the go tool")
	}
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go tool")
	}
	files, err := filepath.Glob(filepath.Join("testdata", "corpus", "*.go"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no corpus: %v", err)
	}
	if only := os.Getenv("LANES_CORPUS"); only != "" && only != "all" {
		var keep []string
		for _, f := range files {
			if strings.Contains(filepath.Base(f), only) {
				keep = append(keep, f)
			}
		}
		files = keep
	}
	known := knownDifferences(t)
	bin := t.TempDir()

	type outcome struct {
		name    string
		mode    string
		ok      bool
		detail  string
		elapsed time.Duration
	}
	var mu sync.Mutex
	var outcomes []outcome
	jobs := make(chan string)
	var wg sync.WaitGroup
	workers := max(2, runtime.NumCPU())
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for f := range jobs {
				name := filepath.Base(f)
				src, err := os.ReadFile(f)
				if err != nil {
					t.Error(err)
					continue
				}
				want, err := goToolRun(goTool, f, filepath.Join(bin, strings.TrimSuffix(name, ".go")))
				if err != nil {
					mu.Lock()
					outcomes = append(outcomes, outcome{name: name, mode: "go run", detail: err.Error()})
					mu.Unlock()
					continue
				}
				for _, mode := range corpusModes {
					start := time.Now()
					got, err := engineRun(t, string(src), mode)
					o := outcome{name: name, mode: mode, ok: err == nil && got == want, elapsed: time.Since(start)}
					if !o.ok {
						o.detail = fmt.Sprintf("go run printed:\n%s\nthe engine printed:\n%s", want, got)
						if err != nil {
							o.detail += "\nerror: " + err.Error()
						}
					}
					mu.Lock()
					outcomes = append(outcomes, o)
					mu.Unlock()
				}
			}
		}()
	}
	for _, f := range files {
		jobs <- f
	}
	close(jobs)
	wg.Wait()

	sort.Slice(outcomes, func(i, j int) bool {
		if outcomes[i].name != outcomes[j].name {
			return outcomes[i].name < outcomes[j].name
		}
		return outcomes[i].mode < outcomes[j].mode
	})
	matched := map[string]bool{}
	for _, f := range files {
		matched[filepath.Base(f)] = true
	}
	for _, o := range outcomes {
		if o.ok {
			if _, ok := known[o.name+" "+o.mode]; ok {
				t.Errorf("%s (%s) matches go run now: remove it from KNOWN_DIFFERENCES.md", o.name, o.mode)
			}
			continue
		}
		matched[o.name] = false
		if reason, ok := known[o.name+" "+o.mode]; ok {
			t.Logf("%s (%s): known difference: %s", o.name, o.mode, reason)
			continue
		}
		t.Errorf("%s (%s) does not match:\n%s", o.name, o.mode, o.detail)
	}
	n := 0
	for _, ok := range matched {
		if ok {
			n++
		}
	}
	t.Logf("%d of %d programs match (as one cell and split into cells)", n, len(files))
	fmt.Printf("corpus: %d of %d programs match\n", n, len(files))
}

// goToolRun builds and runs a program with the real toolchain.
func goToolRun(goTool, file, exe string) (string, error) {
	build := exec.Command(goTool, "build", "-o", exe, file)
	build.Env = append(os.Environ(), "GOFLAGS=-mod=mod", "GO111MODULE=off")
	if out, err := build.CombinedOutput(); err != nil {
		return "", fmt.Errorf("go build %s: %v\n%s", file, err, out)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	out, err := exec.CommandContext(ctx, exe).Output()
	if err != nil {
		return string(out), fmt.Errorf("running %s: %w", file, err)
	}
	return string(out), nil
}

// engineRun runs a program through a fresh engine and returns its standard
// output.
func engineRun(t *testing.T, src, mode string) (string, error) {
	e, err := New(Options{
		Command:        []string{os.Args[0], "-test.run=^$"},
		Env:            []string{"LANES_ENGINE_TEST_WORKER=1"},
		InterruptGrace: time.Second,
		Log:            testLog(),
	})
	if err != nil {
		return "", err
	}
	defer e.Close()
	cells := []string{src}
	if mode == "cells" {
		cells = splitAtBlankLines(src)
	}
	r := &recorder{}
	for i, c := range cells {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		res := e.Execute(ctx, Cell{Code: c}, r)
		cancel()
		if res.Err != nil {
			return r.text("stdout"), fmt.Errorf("cell %d: %s: %s\n%s", i+1, res.Err.Name, res.Err.Message, strings.Join(res.Traceback(), "\n"))
		}
	}
	return r.text("stdout"), nil
}

// splitAtBlankLines cuts a program at its blank lines, keeping brackets
// balanced (a blank line inside a function does not cut it).
func splitAtBlankLines(src string) []string {
	var cells []string
	var cur strings.Builder
	depth := 0
	for _, l := range strings.SplitAfter(src, "\n") {
		if strings.TrimSpace(l) == "" && depth == 0 {
			if strings.TrimSpace(cur.String()) != "" {
				cells = append(cells, cur.String())
			}
			cur.Reset()
			continue
		}
		for _, t := range source.Scan(l) {
			switch t.Tok.String() {
			case "(", "[", "{":
				depth++
			case ")", "]", "}":
				depth--
			}
		}
		cur.WriteString(l)
	}
	if strings.TrimSpace(cur.String()) != "" {
		cells = append(cells, cur.String())
	}
	return cells
}

// knownDifferences reads KNOWN_DIFFERENCES.md: lines "- `name.go` mode:
// reason".
func knownDifferences(t *testing.T) map[string]string {
	known := map[string]string{}
	f, err := os.Open(filepath.Join("testdata", "corpus", "KNOWN_DIFFERENCES.md"))
	if err != nil {
		return known
	}
	defer f.Close()
	s := bufio.NewScanner(f)
	for s.Scan() {
		l := s.Text()
		rest, ok := strings.CutPrefix(l, "- `")
		if !ok {
			continue
		}
		name, rest, ok := strings.Cut(rest, "` ")
		if !ok {
			continue
		}
		mode, reason, _ := strings.Cut(rest, ":")
		for _, m := range strings.Split(mode, ",") {
			known[name+" "+strings.TrimSpace(m)] = strings.TrimSpace(reason)
		}
	}
	return known
}
