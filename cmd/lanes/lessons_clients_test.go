package main

import (
	"fmt"
	"html"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/lanes-dev/lanes/notebook"
)

// The tests in this file open every lesson in the front ends a student
// uses — the REPL's :lesson, jupyter console, nbconvert's HTML and (in
// browser_test.go) the classic Notebook — and check that each shows the
// whole lesson: every heading, every code cell, every check's verdict.

// eachLesson runs f for every lesson file, two at a time (the test
// machines have two cores).
func eachLesson(t *testing.T, f func(t *testing.T, file string, nb *notebook.Notebook)) {
	t.Helper()
	files := lessonFiles(t)
	if len(files) == 0 {
		t.Skip("no lessons are embedded yet")
	}
	sem := make(chan struct{}, 2)
	var wg sync.WaitGroup
	for _, file := range files {
		nb, err := notebook.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			f(t, file, nb)
		}()
	}
	wg.Wait()
}

var (
	headingRE    = regexp.MustCompile(`(?m)^#{1,6} +(.+)$`)
	inlineMarkRE = regexp.MustCompile("[*`]|\\[([^]]*)\\]\\([^)]*\\)")
	tagRE        = regexp.MustCompile(`(?s)<[^>]*>`)
	spaceRE      = regexp.MustCompile(`\s+`)
)

// headings returns the text of every Markdown heading of nb, as written.
func headings(nb *notebook.Notebook) []string {
	var out []string
	for _, c := range nb.Cells {
		if c.Type != notebook.Markdown {
			continue
		}
		for _, m := range headingRE.FindAllStringSubmatch(stripFences(c.Source), -1) {
			out = append(out, strings.TrimSpace(m[1]))
		}
	}
	return out
}

// stripFences removes fenced code blocks, whose "#" lines are not headings.
func stripFences(md string) string {
	var b strings.Builder
	in := false
	for _, line := range strings.Split(md, "\n") {
		if strings.HasPrefix(line, "```") {
			in = !in
			continue
		}
		if !in {
			b.WriteString(line + "\n")
		}
	}
	return b.String()
}

// nonBlankCode returns the non-blank code cells of nb.
func nonBlankCode(nb *notebook.Notebook) []*notebook.Cell {
	var out []*notebook.Cell
	for _, c := range nb.Cells {
		if c.Type == notebook.Code && strings.TrimSpace(c.Source) != "" {
			out = append(out, c)
		}
	}
	return out
}

// gradedTests counts the graded test cells of nb.
func gradedTests(nb *notebook.Notebook) int {
	n := 0
	for _, c := range nb.Cells {
		if meta, _ := c.Nbgrader(); meta.Grade && c.Type == notebook.Code {
			n++
		}
	}
	return n
}

// firstLine is the first non-blank line of src, without indentation.
func firstLine(src string) string {
	for _, l := range strings.Split(src, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			return l
		}
	}
	return ""
}

// plain is Markdown text as a browser shows it: without inline formatting
// (emphasis, code, links), spaces collapsed.
func plain(md string) string {
	return spaceRE.ReplaceAllString(inlineMarkRE.ReplaceAllString(md, "$1"), " ")
}

// TestLessonsREPL pipes ":lesson NAME" into the REPL for every lesson
// (the student version, as a student sees it): the REPL must print every
// heading and every code cell, then the end of the lesson.
func TestLessonsREPL(t *testing.T) {
	if testing.Short() {
		t.Skip("runs every lesson in the REPL")
	}
	eachLesson(t, func(t *testing.T, file string, nb *notebook.Notebook) {
		name := strings.TrimSuffix(filepath.Base(file), ".ipynb")
		// The student version fails its checks, and a piped session with
		// errors exits 1; anything else is a crash.
		stdout, stderr, code := lanes(t, ":lesson "+name+"\n", "repl")
		if code != 0 && code != 1 {
			t.Errorf("%s: exit %d\n%s", name, code, lastLines([]byte(stderr), 10))
			return
		}
		cells := nonBlankCode(nb)
		for _, want := range []string{
			fmt.Sprintf("── lesson %s: %d code cells ──", name, len(cells)),
			fmt.Sprintf("In [%d]:", len(cells)),
			"── end of lesson " + name + " ──",
		} {
			if !strings.Contains(stdout, want) {
				t.Errorf("%s: the REPL did not print %q", name, want)
			}
		}
		for _, h := range headings(nb) {
			if !strings.Contains(stdout, h) {
				t.Errorf("%s: the REPL did not show the heading %q", name, h)
			}
		}
		for _, c := range cells {
			if l := firstLine(c.Source); !strings.Contains(stdout, l) {
				t.Errorf("%s: the REPL did not show the cell starting %q", name, l)
			}
		}
	})
}

// TestLessonsConsole runs every lesson's code cells (the instructor
// version) in jupyter console's shell: no cell may fail, and every graded
// check's verdict must be on the screen.
func TestLessonsConsole(t *testing.T) {
	if testing.Short() {
		t.Skip("runs every lesson in jupyter console")
	}
	requirePython(t, "jupyter_client", "jupyter_console", "nbformat")
	env := jupyterEnv(t)
	script, err := filepath.Abs(filepath.Join("testdata", "jupyter", "console_lesson.py"))
	if err != nil {
		t.Fatal(err)
	}
	eachLesson(t, func(t *testing.T, file string, nb *notebook.Notebook) {
		name := filepath.Base(file)
		cmd := exec.Command(python, script, file)
		cmd.Env = env
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Errorf("%s: console: %v\n%s", name, err, lastLines(out, 30))
			return
		}
		shown := string(out)
		for _, bad := range []string{"panic:", "check failed", "Traceback", "CompileError"} {
			if strings.Contains(shown, bad) {
				t.Errorf("%s: the console shows %q:\n%s", name, bad, lastLines(out, 30))
			}
		}
		verdicts := strings.Count(shown, "✔ passed") + strings.Count(shown, "✔ Right.")
		if want := gradedTests(nb); verdicts != want {
			t.Errorf("%s: %d verdicts on the console screen, want one per graded cell (%d)", name, verdicts, want)
		}
		// Lessons 13 and later show every value as text; the older ones
		// still display some Markdown and HTML values that have no text
		// form yet.
		if name >= "13" && strings.Contains(shown, "<lanes.") {
			t.Errorf("%s: a value shows only its type name on the console:\n%s", name, shown)
		}
	})
}

// checkHTML checks the HTML nbconvert made of an executed lesson: every
// heading, every code cell and every image the notebook's outputs hold.
func checkHTML(t *testing.T, name string, nb *notebook.Notebook, page []byte) {
	t.Helper()
	text := spaceRE.ReplaceAllString(html.UnescapeString(tagRE.ReplaceAllString(string(page), "")), " ")
	for _, h := range headings(nb) {
		if !strings.Contains(text, plain(h)) {
			t.Errorf("%s.html lacks the heading %q", name, h)
		}
	}
	for _, c := range nonBlankCode(nb) {
		// Highlighting splits a line into spans; without tags it reads as written.
		if l := spaceRE.ReplaceAllString(firstLine(c.Source), " "); !strings.Contains(text, l) {
			t.Errorf("%s.html lacks the cell starting %q", name, l)
		}
	}
	images := 0
	for _, c := range nb.Cells {
		for _, o := range c.Outputs {
			// nbconvert shows an output's HTML form when it has one (a
			// filmstrip draws itself in HTML without an image); else its
			// SVG or PNG.
			if h := o.DataText("text/html"); h != "" {
				if strings.Contains(h, "<img") || strings.Contains(h, "<svg") {
					images++
				}
			} else if o.Data["image/png"] != nil || o.Data["image/svg+xml"] != nil {
				images++
			}
		}
	}
	if got := strings.Count(string(page), "<img") + strings.Count(string(page), "<svg"); got < images {
		t.Errorf("%s.html shows %d images, the notebook has %d", name, got, images)
	}
}
