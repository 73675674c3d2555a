package main

import (
	"go/token"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/lanes-dev/lanes/internal/source"
	"github.com/lanes-dev/lanes/notebook"
)

// lessonFiles lists the lesson notebooks built into the binary.
func lessonFiles(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("..", "..", "lessons", "*.ipynb"))
	if err != nil {
		t.Fatal(err)
	}
	return files
}

func TestLessonsList(t *testing.T) {
	files := lessonFiles(t)
	stdout, stderr, code := lanes(t, "", "lessons")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	lines := strings.Split(strings.TrimSpace(stdout), "\n")
	if len(files) == 0 {
		if !strings.Contains(stderr, "no lessons") {
			t.Errorf("no lessons: stdout %q, stderr %q", stdout, stderr)
		}
		return
	}
	if len(lines) != len(files) {
		t.Fatalf("%d lines for %d lessons:\n%s", len(lines), len(files), stdout)
	}
	for i, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".ipynb")
		fields := strings.Fields(lines[i])
		if fields[0] != name || len(fields) < 2 {
			t.Errorf("line %q, want %s and a title", lines[i], name)
		}
	}
}

func TestLessonsUsage(t *testing.T) {
	cases := []struct {
		args   []string
		errOut string
	}{
		{[]string{"lessons", "extra"}, `unknown argument "extra"`},
		{[]string{"lessons", "copy"}, "Usage: lanes lessons"},
		{[]string{"lessons", "copy", "a", "b"}, "Usage: lanes lessons"},
		{[]string{"lessons", "copy", "--bogus", "a"}, "flag provided but not defined"},
	}
	for _, c := range cases {
		_, errOut, code := lanes(t, "", c.args...)
		if code != 2 || !strings.Contains(errOut, c.errOut) {
			t.Errorf("%v: exit %d, stderr %q; want 2 and %q", c.args, code, errOut, c.errOut)
		}
	}
}

func TestLessonsCopy(t *testing.T) {
	files := lessonFiles(t)
	if len(files) == 0 {
		t.Skip("no lessons are embedded yet")
	}
	dir := filepath.Join(t.TempDir(), "course")
	stdout, stderr, code := lanes(t, "", "lessons", "copy", dir)
	if code != 0 || strings.Count(stdout, "wrote ") != len(files) {
		t.Fatalf("copy: exit %d\n%s\n%s", code, stdout, stderr)
	}
	first := filepath.Join(dir, filepath.Base(files[0]))
	data, err := os.ReadFile(first)
	if err != nil {
		t.Fatal(err)
	}
	nb, err := notebook.Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range nb.Cells {
		if strings.Contains(c.Source, notebook.BeginSolution) || len(c.Outputs) > 0 {
			t.Fatalf("student copy has solutions or outputs:\n%s", c.Source)
		}
	}

	// Copying again changes nothing and says so.
	stdout, _, code = lanes(t, "", "lessons", "copy", dir)
	if code != 0 || strings.Count(stdout, "is up to date") != len(files) {
		t.Errorf("second copy: exit %d\n%s", code, stdout)
	}

	// A student's edits are kept, unless --force.
	edited := append([]byte(nil), data...)
	edited = append(edited[:len(edited)-2], []byte(" \n}\n")...) // still the same notebook, different bytes
	os.WriteFile(first, edited, 0o644)
	_, stderr, code = lanes(t, "", "lessons", "copy", dir)
	if code != 0 || !strings.Contains(stderr, "kept "+first) {
		t.Errorf("copy over an edited lesson: exit %d, stderr %q", code, stderr)
	}
	if got, _ := os.ReadFile(first); string(got) != string(edited) {
		t.Error("an edited lesson was overwritten without --force")
	}
	_, _, code = lanes(t, "", "lessons", "copy", dir, "--force")
	if got, _ := os.ReadFile(first); code != 0 || string(got) != string(data) {
		t.Errorf("--force: exit %d, lesson not restored", code)
	}

	// Instructor versions are the embedded files themselves.
	idir := t.TempDir()
	if _, stderr, code := lanes(t, "", "lessons", "copy", "--instructor", idir); code != 0 {
		t.Fatalf("--instructor: exit %d: %s", code, stderr)
	}
	for _, f := range files {
		want, _ := os.ReadFile(f)
		got, _ := os.ReadFile(filepath.Join(idir, filepath.Base(f)))
		if string(got) != string(want) {
			t.Errorf("instructor copy of %s differs from the lesson", filepath.Base(f))
		}
	}
}

// TestLessonsRun runs every lesson with "lanes run": the instructor
// version top to bottom without an error (but in cells tagged
// raises-exception) and with no number the machine could not show
// (impossible), and the student version with every graded test cell
// failing, since no answer is written yet.
func TestLessonsRun(t *testing.T) {
	files := lessonFiles(t)
	if len(files) == 0 {
		t.Skip("no lessons are embedded yet")
	}
	if testing.Short() {
		t.Skip("runs every lesson twice")
	}
	dir := t.TempDir()
	if _, stderr, code := lanes(t, "", "lessons", "copy", dir); code != 0 {
		t.Fatalf("copy: %s", stderr)
	}
	for _, f := range files {
		name := filepath.Base(f)
		t.Run(strings.TrimSuffix(name, ".ipynb"), func(t *testing.T) {
			ran := filepath.Join(dir, "instructor-"+name)
			if _, stderr, code := lanes(t, "", "run", f, "-o", ran); code != 0 {
				t.Errorf("instructor version: exit %d\n%s", code, stderr)
			} else {
				for _, p := range impossible(readNotebook(t, ran)) {
					t.Errorf("instructor version shows what the machine cannot do: %s", p)
				}
			}
			student := filepath.Join(dir, name)
			out := filepath.Join(dir, "run-"+name)
			if _, stderr, code := lanes(t, "", "run", student, "--allow-errors", "-o", out); code != 0 {
				t.Fatalf("student version: exit %d\n%s", code, stderr)
			}
			nb := readNotebook(t, out)
			for i, c := range nb.Cells {
				meta, _ := c.Nbgrader()
				if !meta.Grade || c.Type != notebook.Code {
					continue
				}
				failed := false
				for _, o := range c.Outputs {
					failed = failed || o.Type == notebook.Error
				}
				if !failed {
					t.Errorf("student version: graded cell %d (%s) passes without an answer", i+1, meta.GradeID)
				}
			}
		})
	}
}

// experimentRE recognises a lesson's experiment cells: they run a workload
// (simulated or for real), compare strategies, trace the scheduler or
// measure a speedup.
var experimentRE = regexp.MustCompile(`\.(Simulate|Run)\(|Compare(Sim|Run)?\(|Speedup\(|Trace(Procs)?\(|NewGroup\(|NewRecorder\(`)

// TestLessonsNbconvert executes every lesson with "jupyter nbconvert
// --execute" and the installed kernelspec: no cell may fail (but those
// tagged raises-exception), no number may be impossible, and every
// experiment cell must show a timeline or a table (SVG, PNG or HTML). The
// executed lesson is then converted to HTML, which must show every
// heading, code cell and image (checkHTML).
func TestLessonsNbconvert(t *testing.T) {
	if testing.Short() {
		t.Skip("runs every lesson through Jupyter")
	}
	requirePython(t, "nbformat", "nbconvert", "nbclient")
	files := lessonFiles(t)
	env := jupyterEnv(t)
	dir := t.TempDir()
	sem := make(chan struct{}, 2) // two lessons at a time on two cores
	var wg sync.WaitGroup
	for _, f := range files {
		name := filepath.Base(f)
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			out := filepath.Join(dir, name)
			cmd := exec.Command(python, "-m", "nbconvert", "--to", "notebook", "--execute",
				"--ExecutePreprocessor.kernel_name=lanes", "--ExecutePreprocessor.timeout=300",
				"--output", out, f)
			cmd.Env = env
			if b, err := cmd.CombinedOutput(); err != nil {
				t.Errorf("%s: nbconvert: %v\n%s", name, err, lastLines(b, 30))
				return
			}
			nb, err := notebook.ReadFile(out)
			if err != nil {
				t.Errorf("%s: %v", name, err)
				return
			}
			experiments := 0
			for i, c := range nb.Cells {
				if c.Type != notebook.Code {
					continue
				}
				shown := false
				for _, o := range c.Outputs {
					if o.Type == notebook.Error && !c.HasTag("raises-exception") {
						t.Errorf("%s: cell %d failed: %s: %s", name, i+1, o.EName, o.EValue)
					}
					for _, mime := range []string{"image/svg+xml", "image/png", "text/html"} {
						shown = shown || o.Data[mime] != nil
					}
				}
				if meta, _ := c.Nbgrader(); meta.Grade || meta.Solution || !experimentRE.MatchString(c.Source) || endsWithDecl(c.Source) {
					continue
				}
				experiments++
				if !shown {
					t.Errorf("%s: experiment cell %d shows no timeline or table:\n%s", name, i+1, c.Source)
				}
			}
			if experiments == 0 {
				t.Errorf("%s: no experiment cells found", name)
			}
			for _, p := range impossible(nb) {
				t.Errorf("%s shows what the machine cannot do: %s", name, p)
			}
			// The executed lesson as a web page, as nbconvert publishes it.
			page := strings.TrimSuffix(out, ".ipynb") + ".html"
			conv := exec.Command(python, "-m", "nbconvert", "--to", "html", "--output", page, out)
			conv.Env = env
			if b, err := conv.CombinedOutput(); err != nil {
				t.Errorf("%s: nbconvert --to html: %v\n%s", name, err, lastLines(b, 20))
				return
			}
			data, err := os.ReadFile(page)
			if err != nil {
				t.Errorf("%s: %v", name, err)
				return
			}
			checkHTML(t, name, nb, data)
		}()
	}
	wg.Wait()
}

// endsWithDecl reports whether a cell's last top-level item is a
// declaration: such a cell defines what later cells run.
func endsWithDecl(src string) bool {
	depth := 0
	var first, second token.Token
	atStart := true
	for _, t := range source.Scan(src) {
		switch t.Tok {
		case token.LPAREN, token.LBRACK, token.LBRACE:
			depth++
		case token.RPAREN, token.RBRACK, token.RBRACE:
			depth--
		}
		if depth == 0 && t.Tok == token.SEMICOLON {
			atStart = true
			continue
		}
		if atStart && depth <= 1 {
			first, second, atStart = t.Tok, token.ILLEGAL, false
			continue
		}
		if second == token.ILLEGAL {
			second = t.Tok
		}
	}
	switch first {
	case token.TYPE, token.VAR, token.CONST, token.IMPORT:
		return true
	case token.FUNC:
		return second == token.IDENT || second == token.LPAREN
	}
	return false
}
