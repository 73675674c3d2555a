package main

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/lanes-dev/lanes/notebook"
)

// runNotebook copies testdata/run/NAME.ipynb into a temporary directory
// and returns its path.
func runNotebook(t *testing.T, name string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "run", name+".ipynb"))
	if err != nil {
		t.Fatal(err)
	}
	f := filepath.Join(t.TempDir(), name+".ipynb")
	if err := os.WriteFile(f, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return f
}

func readNotebook(t *testing.T, file string) *notebook.Notebook {
	t.Helper()
	nb, err := notebook.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	return nb
}

func TestRunCommandLine(t *testing.T) {
	dir := t.TempDir()
	broken := filepath.Join(dir, "broken.ipynb")
	os.WriteFile(broken, []byte("{\n \"cells\": [\n  {\"cell_type\": \"code\",}\n ]\n}\n"), 0o644)
	wrong := filepath.Join(dir, "wrong.ipynb")
	os.WriteFile(wrong, []byte(`{"cells": [{"cell_type": "code", "metadata": {}, "source": "1"}], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}`), 0o644)
	cases := []struct {
		args   []string
		code   int
		errOut string
	}{
		{[]string{"run"}, 2, "Usage: lanes run NOTEBOOK.ipynb"},
		{[]string{"run", "a.ipynb", "b.ipynb"}, 2, "Usage: lanes run"},
		{[]string{"run", "--bogus", "a.ipynb"}, 2, "flag provided but not defined: -bogus"},
		{[]string{"run", "a.ipynb", "--timeout", "soon"}, 2, `"soon" is neither a duration`},
		{[]string{"run", filepath.Join(dir, "missing.ipynb")}, 1, "missing.ipynb: no such file or directory"},
		{[]string{"run", broken}, 1, broken + ":3:24: invalid JSON: invalid character '}'"},
		{[]string{"run", wrong}, 1, `wrong.ipynb: not a valid notebook: cell 1: a code cell needs "execution_count"`},
		{[]string{"run", "-h"}, 0, "--allow-errors"},
	}
	for _, c := range cases {
		t.Run(strings.Join(c.args, " "), func(t *testing.T) {
			_, errOut, code := lanes(t, "", c.args...)
			if code != c.code || !strings.Contains(errOut, c.errOut) {
				t.Errorf("exit %d, stderr %q; want exit %d with %q", code, errOut, c.code, c.errOut)
			}
		})
	}
}

// progressLine is the line printed per cell.
var progressLine = regexp.MustCompile(`^\[(\d+)/(\d+)\] cell (\d+) (ok|error|timeout) \d+\.\d\ds$`)

func progress(stderr string) []string {
	var out []string
	for _, l := range strings.Split(stderr, "\n") {
		if m := progressLine.FindStringSubmatch(l); m != nil {
			out = append(out, m[1]+"/"+m[2]+" "+m[4])
		}
	}
	return out
}

func TestRunNotebook(t *testing.T) {
	in := runNotebook(t, "outputs")
	before, _ := os.ReadFile(in)
	st, _ := os.Stat(in)
	out := filepath.Join(filepath.Dir(in), "out.ipynb")
	stdout, stderr, code := lanes(t, "", "run", in, "-o", out)
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	if stdout != "" {
		t.Errorf("stdout %q", stdout)
	}
	want := []string{"1/9 ok", "2/9 ok", "3/9 ok", "4/9 ok", "5/9 ok", "6/9 ok", "7/9 ok", "8/9 error", "9/9 ok"}
	if got := progress(stderr); strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("progress %q\n%s", got, stderr)
	}
	if !strings.Contains(stderr, "panic: on purpose") || !strings.Contains(stderr, "9 cells in") {
		t.Errorf("stderr:\n%s", stderr)
	}
	after, _ := os.ReadFile(in)
	st2, _ := os.Stat(in)
	if !bytes.Equal(before, after) || !st.ModTime().Equal(st2.ModTime()) {
		t.Error("the input notebook was modified")
	}

	nb := readNotebook(t, out)
	cells := codeCells(nb)
	check := func(i int, want string) {
		t.Helper()
		if got := describe(cells[i]); got != want {
			t.Errorf("code cell %d:\n got %s\nwant %s", i+1, got, want)
		}
	}
	check(0, "1: stdout:one\ntwo\nthree")
	check(1, "2: stderr:to stderr\n")
	check(2, "3: execute_result[text/plain]:42")
	check(3, `4: display_data[text/html text/plain]:rich & raw | execute_result[text/plain]:"the value"`)
	check(4, "5: display_data[text/markdown text/plain]:step 2 of 2 | stdout:working\n")
	check(5, "6: stdout:after clear\n")
	check(6, "-: ")
	check(8, "8: error:panic:on purpose")
	check(9, "-: ")
	check(10, "9: stdout:unicode é 😀 \t tab\ntrue\n")
	if md := cells[4].Outputs[0].DataText("text/markdown"); md != "step 2 of 2" {
		t.Errorf("updated display shows %q", md)
	}
	// Unknown metadata is kept, language_info recorded.
	var meta map[string]json.RawMessage
	json.Unmarshal(nb.Metadata, &meta)
	if compactJSON(meta["custom"]) != `{"kept":[1.0,"<&>"]}` || !strings.Contains(string(meta["language_info"]), `"name": "go"`) {
		t.Errorf("metadata %s", nb.Metadata)
	}

	// Written to standard output with -o -.
	stdout, _, code = lanes(t, "", "run", in, "-o", "-")
	if code != 0 || !strings.HasPrefix(stdout, "{\n \"cells\": [") {
		t.Errorf("-o -: exit %d, stdout %.80q", code, stdout)
	}
}

func compactJSON(raw json.RawMessage) string {
	var b bytes.Buffer
	json.Compact(&b, raw)
	return b.String()
}

func codeCells(nb *notebook.Notebook) []*notebook.Cell {
	var out []*notebook.Cell
	for _, c := range nb.Cells {
		if c.Type == notebook.Code {
			out = append(out, c)
		}
	}
	return out
}

// describe renders a cell's execution count and outputs for comparison.
func describe(c *notebook.Cell) string {
	n := "-"
	if c.ExecutionCount != nil {
		n = itoa(*c.ExecutionCount)
	}
	var parts []string
	for _, o := range c.Outputs {
		switch o.Type {
		case notebook.Stream:
			parts = append(parts, o.Name+":"+o.Text)
		case notebook.Error:
			parts = append(parts, "error:"+o.EName+":"+o.EValue)
		default:
			var keys []string
			for k := range o.Data {
				keys = append(keys, k)
			}
			slices.Sort(keys)
			parts = append(parts, o.Type+"["+strings.Join(keys, " ")+"]:"+o.DataText("text/plain"))
		}
	}
	return n + ": " + strings.Join(parts, " | ")
}

func TestRunStopsAtFirstError(t *testing.T) {
	in := runNotebook(t, "fail")
	out := filepath.Join(filepath.Dir(in), "out.ipynb")
	_, stderr, code := lanes(t, "", "run", in, "-o", out)
	if code != 1 {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	if got := progress(stderr); strings.Join(got, ",") != "1/3 ok,2/3 error" {
		t.Errorf("progress %q", got)
	}
	if !strings.Contains(stderr, "assignment to entry in nil map") || !strings.Contains(stderr, "stopped at cell 2") {
		t.Errorf("stderr:\n%s", stderr)
	}
	cells := codeCells(readNotebook(t, out))
	if got := describe(cells[1]); !strings.HasPrefix(got, "2: error:panic:assignment to entry in nil map") {
		t.Errorf("failing cell: %s", got)
	}
	if got := describe(cells[2]); got != "-: " {
		t.Errorf("cell after the error: %s", got)
	}

	_, stderr, code = lanes(t, "", "run", in, "-o", out, "--allow-errors")
	if code != 0 {
		t.Fatalf("--allow-errors: exit %d\n%s", code, stderr)
	}
	if got := describe(codeCells(readNotebook(t, out))[2]); got != "3: stdout:never\n" {
		t.Errorf("--allow-errors: last cell %s", got)
	}
}

func TestRunTimeout(t *testing.T) {
	in := runNotebook(t, "slow")
	out := filepath.Join(filepath.Dir(in), "out.ipynb")
	start := time.Now()
	_, stderr, code := lanes(t, "", "run", in, "-o", out, "--timeout", "500ms", "--allow-errors")
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	if d := time.Since(start); d > 20*time.Second {
		t.Errorf("took %v", d)
	}
	if got := progress(stderr); strings.Join(got, ",") != "1/3 timeout,2/3 timeout,3/3 ok" {
		t.Errorf("progress %q\n%s", got, stderr)
	}
	cells := codeCells(readNotebook(t, out))
	for i := 0; i < 2; i++ {
		if got := describe(cells[i]); !strings.Contains(got, "error:CellTimeoutError:cell "+itoa(i+1)+" did not finish within 500ms") {
			t.Errorf("cell %d: %s", i+1, got)
		}
	}
	// The stuck cell's worker was replaced and the session goes on.
	if got := describe(cells[2]); got != `3: execute_result[text/plain]:"still here"` {
		t.Errorf("cell after timeouts: %s", got)
	}
}

func TestRunNoInput(t *testing.T) {
	in := runNotebook(t, "input")
	stdout, stderr, code := lanes(t, "some input that must not be read\n", "run", in, "-o", "-")
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	nb, err := notebook.Parse([]byte(stdout))
	if err != nil {
		t.Fatal(err)
	}
	if got := describe(codeCells(nb)[0]); got != "1: stdout:0 EOF\n" {
		t.Errorf("cell reading stdin: %s", got)
	}
}

func TestRunInPlace(t *testing.T) {
	in := runNotebook(t, "fail")
	os.Chmod(in, 0o600)
	_, stderr, code := lanes(t, "", "run", in, "-o", in, "--allow-errors")
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	if got := describe(codeCells(readNotebook(t, in))[0]); got != "1: stdout:first\n" {
		t.Errorf("in place: %s", got)
	}
	entries, _ := os.ReadDir(filepath.Dir(in))
	if len(entries) != 1 {
		t.Errorf("files left behind: %v", entries)
	}
	if st, _ := os.Stat(in); st.Mode().Perm() != 0o600 {
		t.Errorf("mode %v", st.Mode())
	}
	// Without -o nothing is written.
	before, _ := os.ReadFile(in)
	lanes(t, "", "run", in, "--allow-errors")
	after, _ := os.ReadFile(in)
	if !bytes.Equal(before, after) {
		t.Error("run without -o changed the notebook")
	}
}

// TestRunMatchesNbconvert runs a notebook through "lanes run" and through
// "jupyter nbconvert --execute" with the Lanes kernel and compares the
// outputs: types, stream texts (nbclient keeps each stream message, so
// consecutive ones are joined first), MIME data, errors and execution
// counts. Ids and timing metadata are not compared.
func TestRunMatchesNbconvert(t *testing.T) {
	requirePython(t, "nbformat", "nbconvert", "nbclient")
	for _, name := range []string{"outputs", "fail", "input"} {
		t.Run(name, func(t *testing.T) {
			in := runNotebook(t, name)
			dir := filepath.Dir(in)
			ours := filepath.Join(dir, "lanes.ipynb")
			if _, stderr, code := lanes(t, "", "run", in, "-o", ours, "--allow-errors"); code != 0 {
				t.Fatalf("lanes run: exit %d\n%s", code, stderr)
			}
			cmd := exec.Command(python, "-m", "nbconvert", "--to", "notebook", "--execute",
				"--allow-errors", "--ExecutePreprocessor.kernel_name=lanes",
				"--output", filepath.Join(dir, "jupyter.ipynb"), in)
			cmd.Env = jupyterEnv(t)
			if out, err := cmd.CombinedOutput(); err != nil {
				t.Fatalf("nbconvert: %v\n%s", err, out)
			}
			theirs := filepath.Join(dir, "jupyter.ipynb")
			a, b := codeCells(readNotebook(t, ours)), codeCells(readNotebook(t, theirs))
			if len(a) != len(b) {
				t.Fatalf("%d code cells, nbconvert %d", len(a), len(b))
			}
			for i := range a {
				mergeStreams(b[i])
				if got, want := describe(a[i]), describe(b[i]); got != want {
					t.Errorf("code cell %d:\nlanes run: %s\nnbconvert: %s", i+1, got, want)
				}
				for j := range a[i].Outputs {
					if j < len(b[i].Outputs) && a[i].Outputs[j].Type != notebook.Stream {
						ga, _ := json.Marshal(a[i].Outputs[j].Data)
						gb, _ := json.Marshal(b[i].Outputs[j].Data)
						if !bytes.Equal(ga, gb) {
							t.Errorf("code cell %d, output %d data:\nlanes run: %.300s\nnbconvert: %.300s", i+1, j+1, ga, gb)
						}
					}
				}
			}
			// The files are the same bytes, but for nbclient's timing
			// metadata and its unmerged streams.
			ra, _ := os.ReadFile(ours)
			rb, _ := os.ReadFile(theirs)
			if !bytes.Equal(ra, normalizeNbconvert(t, rb)) {
				t.Errorf("lanes run and nbconvert wrote different files:\n--- lanes run\n%s\n--- nbconvert\n%s", ra, rb)
			}
		})
	}
}

// mergeStreams joins consecutive outputs of the same stream, as "lanes
// run" records them.
func mergeStreams(c *notebook.Cell) {
	var outs []*notebook.Output
	for _, o := range c.Outputs {
		if n := len(outs); n > 0 && o.Type == notebook.Stream && outs[n-1].Type == notebook.Stream && outs[n-1].Name == o.Name {
			outs[n-1] = &notebook.Output{Type: notebook.Stream, Name: o.Name, Text: outs[n-1].Text + o.Text}
			continue
		}
		outs = append(outs, o)
	}
	c.Outputs = outs
}

// normalizeNbconvert removes nbclient's metadata.execution from every cell
// and joins consecutive outputs of the same stream, with nbformat.
func normalizeNbconvert(t *testing.T, data []byte) []byte {
	t.Helper()
	cmd := exec.Command(python, "-c", `import sys, nbformat
nb = nbformat.reads(sys.stdin.read(), as_version=4)
for c in nb.cells:
    c.metadata.pop("execution", None)
    outs = []
    for o in c.get("outputs", []):
        if o.output_type == "stream" and outs and outs[-1].output_type == "stream" and outs[-1].name == o.name:
            outs[-1].text += o.text
        else:
            outs.append(o)
    if c.cell_type == "code":
        c.outputs = outs
sys.stdout.write(nbformat.writes(nb) + "\n")`)
	cmd.Stdin = bytes.NewReader(data)
	out, err := cmd.Output()
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func itoa(n int) string { b, _ := json.Marshal(n); return string(b) }

// BenchmarkRun times "lanes run" on a notebook, from process start to
// exit: worker start, every cell, writing the executed notebook. The
// notebook is $LANES_BENCH_NOTEBOOK (default testdata/run/outputs.ipynb), so
//
//	LANES_BENCH_NOTEBOOK=$PWD/lessons/05-waiting-vs-computing.ipynb \
//	    go test ./cmd/lanes -run '^$' -bench BenchmarkRun -benchtime 10x
//
// benchmarks a lesson. Besides the mean (ns/op) it reports the median and
// the cells run per second.
func BenchmarkRun(b *testing.B) {
	nbFile := os.Getenv("LANES_BENCH_NOTEBOOK")
	if nbFile == "" {
		nbFile = filepath.Join("testdata", "run", "outputs.ipynb")
	}
	nb, err := notebook.ReadFile(nbFile)
	if err != nil {
		b.Fatal(err)
	}
	cells := 0
	for _, c := range nb.Cells {
		if c.Runnable() {
			cells++
		}
	}
	out := filepath.Join(b.TempDir(), "out.ipynb")
	var times []time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		start := time.Now()
		cmd := exec.Command(lanesBin, "run", nbFile, "-o", out, "--allow-errors")
		if msg, err := cmd.CombinedOutput(); err != nil {
			b.Fatalf("lanes run: %v\n%s", err, msg)
		}
		times = append(times, time.Since(start))
	}
	b.StopTimer()
	slices.Sort(times)
	median := times[len(times)/2]
	b.ReportMetric(float64(median.Microseconds())/1000, "median-ms")
	b.ReportMetric(float64(cells)/median.Seconds(), "cells/s")
}

// TestRunCompiledCell runs a notebook whose cells are compiled: its
// displays and output land in the cells, its build errors in the cell
// that failed.
func TestRunCompiledCell(t *testing.T) {
	if _, err := exec.LookPath("go"); err != nil && os.Getenv("CI") == "" {
		t.Skip("no go command:", err)
	}
	nb := notebook.New()
	nb.Cells = []*notebook.Cell{
		notebook.NewCell(notebook.Code, "import \"fmt\"\nfunc twice(n int) int { return 2 * n }"),
		notebook.NewCell(notebook.Code, "%%compile\nimport \"lanes\"\nfmt.Println(twice(21))\nlanes.Sequential().Simulate(lanes.Identical(2, lanes.Compute(lanes.Unit)), lanes.Machine{Cores: 1}).Table()"),
		notebook.NewCell(notebook.Code, "%%compile\nfmt.Println(thrice(1))"),
	}
	in := filepath.Join(t.TempDir(), "compiled.ipynb")
	if err := nb.WriteFile(in); err != nil {
		t.Fatal(err)
	}
	_, stderr, code := lanes(t, "", "run", "--allow-errors", "-o", in, in)
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	cells := codeCells(readNotebook(t, in))
	if got := describe(cells[1]); !strings.HasPrefix(got, "2: stdout:42\n | display_data[text/html text/markdown text/plain]:strategy") {
		t.Errorf("compiled cell: %s", got)
	}
	if got := describe(cells[2]); got != "3: error:CompileError:cell 3, line 2: undefined: thrice" {
		t.Errorf("failing compiled cell: %s", got)
	}
}
