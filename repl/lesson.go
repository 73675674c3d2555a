package repl

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"
)

// LessonCell is one cell of a lesson: prose or code.
type LessonCell struct {
	// Code is set for a code cell; other cells are prose (Markdown).
	Code bool
	// Source is the cell's text.
	Source string
}

// Lesson is a named sequence of cells walked by :lesson.
type Lesson struct {
	Name  string
	Cells []LessonCell
}

// Lessons is the catalogue :lesson reads from.
type Lessons interface {
	// Names lists the lessons, in the order to offer them.
	Names() []string
	// Lesson returns the named lesson; an unknown name is an error
	// wrapping fs.ErrNotExist.
	Lesson(name string) (Lesson, error)
}

// NotebookLessons serves the Jupyter notebooks (NAME.ipynb) at the root of
// fsys as lessons named NAME. It is meant for an embed.FS of lesson
// notebooks, or os.DirFS of a directory.
func NotebookLessons(fsys fs.FS) Lessons { return notebookLessons{fsys} }

type notebookLessons struct{ fsys fs.FS }

func (n notebookLessons) Names() []string {
	matches, _ := fs.Glob(n.fsys, "*.ipynb")
	names := make([]string, 0, len(matches))
	for _, m := range matches {
		names = append(names, strings.TrimSuffix(m, ".ipynb"))
	}
	sort.Strings(names)
	return names
}

func (n notebookLessons) Lesson(name string) (Lesson, error) {
	if name == "" || strings.ContainsAny(name, `/\`) || !fs.ValidPath(name) {
		return Lesson{}, fmt.Errorf("lesson %q: %w", name, fs.ErrNotExist)
	}
	data, err := fs.ReadFile(n.fsys, path.Clean(name)+".ipynb")
	if err != nil {
		return Lesson{}, fmt.Errorf("lesson %q: %w", name, err)
	}
	cells, err := ParseNotebook(data)
	if err != nil {
		return Lesson{}, fmt.Errorf("lesson %q: %w", name, err)
	}
	return Lesson{Name: name, Cells: cells}, nil
}

// ParseNotebook reads the cells of a Jupyter notebook (nbformat 4): code
// cells and Markdown cells; raw cells are dropped. A cell's source may be
// a string or a list of strings, as nbformat allows.
func ParseNotebook(data []byte) ([]LessonCell, error) {
	var nb struct {
		Cells []struct {
			CellType string          `json:"cell_type"`
			Source   json.RawMessage `json:"source"`
		} `json:"cells"`
	}
	if err := json.Unmarshal(data, &nb); err != nil {
		return nil, fmt.Errorf("reading notebook: %w", err)
	}
	if nb.Cells == nil {
		return nil, errors.New("reading notebook: no cells")
	}
	var out []LessonCell
	for i, c := range nb.Cells {
		var src string
		if len(c.Source) > 0 && c.Source[0] == '[' {
			var parts []string
			if err := json.Unmarshal(c.Source, &parts); err != nil {
				return nil, fmt.Errorf("reading notebook: cell %d: %w", i+1, err)
			}
			src = strings.Join(parts, "")
		} else if len(c.Source) > 0 {
			if err := json.Unmarshal(c.Source, &src); err != nil {
				return nil, fmt.Errorf("reading notebook: cell %d: %w", i+1, err)
			}
		}
		switch c.CellType {
		case "code":
			out = append(out, LessonCell{Code: true, Source: src})
		case "markdown":
			out = append(out, LessonCell{Source: src})
		}
	}
	return out, nil
}

// renderMarkdown prints prose for the terminal: headings in bold without
// their marks, fences dropped, everything else as written.
func renderMarkdown(src string, s style) string {
	var b strings.Builder
	for _, l := range strings.Split(strings.TrimRight(src, "\n"), "\n") {
		t := strings.TrimSpace(l)
		switch {
		case strings.HasPrefix(t, "```"):
			continue
		case strings.HasPrefix(t, "#"):
			b.WriteString(s.paint(s.bold, strings.TrimSpace(strings.TrimLeft(t, "#"))))
		default:
			b.WriteString(l)
		}
		b.WriteByte('\n')
	}
	return b.String()
}
