// Package lessons embeds the Lanes lesson notebooks and serves them in two
// versions.
//
// Each lesson is one file in this directory, NN-slug.ipynb (for example
// 01-two-words.ipynb), and that file is the instructor version: the full
// notebook in nbgrader's format (metadata schema 3), with solutions between
// "// BEGIN SOLUTION" and "// END SOLUTION" and hidden tests between
// "// BEGIN HIDDEN TESTS" and "// END HIDDEN TESTS". The student version is
// derived from it, never stored: notebook.Release replaces the solutions by
// a stub, removes the hidden tests and clears the outputs, the same
// function "lanes grade release" uses. So the two versions cannot drift
// apart.
//
// The directory is embedded whole ("//go:embed *") and only *.ipynb files at
// its top are lessons, so the package builds with no lesson at all; a
// lesson's name is its file name without .ipynb, its title the first
// heading of its first Markdown cell.
//
// # One course
//
// Every lesson follows the same conventions, so that the sixteen read as
// one course: the first cell's heading and metadata.title are
// "Lesson N — Title"; the kernelspec and language_info are those of
// lesson 1; a graded test cell ends with fmt.Println("✔ passed"); the
// last cell ("What to remember") ends with a "Next:" link to the following
// lesson (the last lesson links back to the first). Cells are written in
// nbformat's own layout (keys sorted, one-space indent), which
// TestEmbeddedLessons checks.
//
// Exercises that teach a concurrency skill are checked on the concurrency
// itself, not only on the result: the test cell measures with plain Go
// (an atomic count of calls in flight and its peak, timestamps,
// runtime.NumGoroutine), and asserts for example that calls overlapped but
// never more than k at once, that two pipeline stages overlapped, that a
// context's cancellation was seen, that no goroutine is left running.
// Such checks never assert a speed: they wait for what they look for with
// a generous limit (a second) and fail only when it never happens. Every
// test cell ends by waiting for the goroutines it started to exit, since
// one still exiting would be reported on standard error, which the grader
// counts as a failure. grade's TestAutogradeConcurrencyExercises grades a
// plain sequential answer to each such exercise (grade/testdata/sequential)
// and requires it to fail, and the instructor's answers to score full
// marks.
//
// Quizzes give feedback at once without showing the answers: a locked
// helper cell holds each right answer's SHA-256 and its explanation sealed
// with it, so a visible check can say "right, because …" or give a hint,
// while the hidden test still decides the grade.
package lessons

import (
	"embed"
	"fmt"
	"io/fs"
	"sort"
	"strings"
	"sync"
	"testing/fstest"

	"github.com/lanes-dev/lanes/notebook"
)

//go:embed *
var embedded embed.FS

// Lesson describes one lesson.
type Lesson struct {
	// Name is the file name without .ipynb, e.g. "01-two-words".
	Name string
	// Title is the first heading of the lesson, e.g. "Two words".
	Title string
	// File is the file name, e.g. "01-two-words.ipynb".
	File string
}

// Catalog serves the lessons of a directory of instructor notebooks.
type Catalog struct {
	fsys fs.FS

	once    sync.Once
	student fs.FS
	err     error
}

// NewCatalog serves the instructor notebooks (*.ipynb) at the root of fsys.
func NewCatalog(fsys fs.FS) *Catalog { return &Catalog{fsys: fsys} }

var std = NewCatalog(embedded)

// List returns the embedded lessons, ordered by name.
func List() []Lesson { return std.List() }

// Instructor returns the embedded instructor version of the named lesson.
func Instructor(name string) ([]byte, error) { return std.Instructor(name) }

// Student returns the student version of the named embedded lesson.
func Student(name string) ([]byte, error) { return std.Student(name) }

// Find returns the embedded lesson called name (see Catalog.Find).
func Find(name string) (Lesson, error) { return std.Find(name) }

// StudentFS serves the student versions of the embedded lessons as
// NAME.ipynb files, e.g. for the REPL's :lesson.
func StudentFS() (fs.FS, error) { return std.StudentFS() }

// List returns the lessons, ordered by name. A lesson that cannot be read
// is listed with its name as title.
func (c *Catalog) List() []Lesson {
	files, _ := fs.Glob(c.fsys, "*.ipynb")
	sort.Strings(files)
	out := make([]Lesson, 0, len(files))
	for _, f := range files {
		l := Lesson{Name: strings.TrimSuffix(f, ".ipynb"), File: f}
		l.Title = l.Name
		if data, err := fs.ReadFile(c.fsys, f); err == nil {
			if nb, err := notebook.Parse(data); err == nil {
				if t := Title(nb); t != "" {
					l.Title = t
				}
			}
		}
		out = append(out, l)
	}
	return out
}

// Find returns the lesson called name: its full name ("01-two-words"), its
// number ("1" or "01") or its slug ("two-words").
func (c *Catalog) Find(name string) (Lesson, error) {
	for _, l := range c.List() {
		num, slug, _ := strings.Cut(l.Name, "-")
		if name == l.Name || name == slug || name == num || "0"+name == num {
			return l, nil
		}
	}
	return Lesson{}, fmt.Errorf("lesson %q: %w", name, fs.ErrNotExist)
}

// Instructor returns the named lesson's instructor notebook, as stored.
func (c *Catalog) Instructor(name string) ([]byte, error) {
	l, err := c.Find(name)
	if err != nil {
		return nil, err
	}
	data, err := fs.ReadFile(c.fsys, l.File)
	if err != nil {
		return nil, fmt.Errorf("lesson %s: %w", l.Name, err)
	}
	return data, nil
}

// Student returns the named lesson's student version: notebook.Release
// applied to the instructor notebook.
func (c *Catalog) Student(name string) ([]byte, error) {
	data, err := c.Instructor(name)
	if err != nil {
		return nil, err
	}
	out, err := Release(data)
	if err != nil {
		l, _ := c.Find(name)
		return nil, fmt.Errorf("lesson %s: %w", l.Name, err)
	}
	return out, nil
}

// StudentFS serves the student versions as NAME.ipynb files.
func (c *Catalog) StudentFS() (fs.FS, error) {
	c.once.Do(func() {
		m := fstest.MapFS{}
		for _, l := range c.List() {
			data, err := c.Student(l.Name)
			if err != nil {
				c.err = err
				return
			}
			m[l.File] = &fstest.MapFile{Data: data, Mode: 0o444}
		}
		c.student = m
	})
	return c.student, c.err
}

// Release returns the student version of an instructor notebook's bytes.
func Release(instructor []byte) ([]byte, error) {
	nb, err := notebook.Parse(instructor)
	if err != nil {
		return nil, err
	}
	if err := notebook.Release(nb); err != nil {
		return nil, err
	}
	return nb.Marshal()
}

// Title returns the text of the first heading in the notebook's first
// Markdown cell, or "".
func Title(nb *notebook.Notebook) string {
	for _, c := range nb.Cells {
		if c.Type != notebook.Markdown {
			continue
		}
		for _, line := range strings.Split(c.Source, "\n") {
			if t := strings.TrimLeft(line, "#"); len(t) < len(line) && strings.HasPrefix(t, " ") {
				return strings.TrimSpace(t)
			}
		}
		return ""
	}
	return ""
}
