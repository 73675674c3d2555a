package notebook

import (
	"encoding/json"
	"fmt"
	"strings"
)

// Markers of nbgrader regions in Go cells. A line containing one of them
// (after any comment characters and indentation) opens or closes a region.
const (
	BeginSolution    = "BEGIN SOLUTION"
	EndSolution      = "END SOLUTION"
	BeginHiddenTests = "BEGIN HIDDEN TESTS"
	EndHiddenTests   = "END HIDDEN TESTS"
)

// Stubs that replace solutions in the student version.
const (
	// CodeStub replaces a solution region (indented like its marker) or
	// a whole solution code cell without regions.
	CodeStub = "// YOUR CODE HERE\npanic(\"not implemented\")"
	// TextStub replaces a Markdown solution cell.
	TextStub = "YOUR ANSWER HERE"
)

// Nbgrader is the metadata.nbgrader of a cell (nbgrader's schema 3).
type Nbgrader struct {
	// Grade marks a cell that is graded (a test cell, or a Markdown
	// answer); Solution a cell the student answers in.
	Grade    bool `json:"grade"`
	Solution bool `json:"solution"`
	// Locked cells may not be changed by the student.
	Locked bool `json:"locked"`
	// Task marks a task cell (prose graded by hand).
	Task bool `json:"task"`
	// GradeID names the cell in grades.
	GradeID string `json:"grade_id"`
	// Points is the cell's maximum score.
	Points float64 `json:"points"`
	// SchemaVersion is 3 for the current nbgrader.
	SchemaVersion int `json:"schema_version"`
	// Checksum is recorded by nbgrader for graded and locked cells.
	Checksum string `json:"checksum,omitempty"`
}

// Nbgrader returns the cell's nbgrader metadata and whether it has any.
func (c *Cell) Nbgrader() (Nbgrader, bool) {
	var m struct {
		Nbgrader *Nbgrader `json:"nbgrader"`
	}
	if err := json.Unmarshal(c.Metadata, &m); err != nil || m.Nbgrader == nil {
		return Nbgrader{}, false
	}
	return *m.Nbgrader, true
}

// Release turns an instructor notebook into the student version, as
// nbgrader's release does for Go: ClearSolutions, ClearHiddenTests and
// ClearOutputs. Cell ids and metadata are kept.
func Release(nb *Notebook) error {
	if err := ClearSolutions(nb); err != nil {
		return err
	}
	if err := ClearHiddenTests(nb); err != nil {
		return err
	}
	nb.ClearOutputs()
	return nil
}

// ClearSolutions replaces each BEGIN SOLUTION … END SOLUTION region with
// CodeStub (indented like the BEGIN line), and a solution cell without
// regions by CodeStub or TextStub. As in nbgrader, a region outside a cell
// marked as a solution, an unclosed region and nested regions are errors.
func ClearSolutions(nb *Notebook) error {
	for i, c := range nb.Cells {
		meta, _ := c.Nbgrader()
		src, replaced, err := replaceRegions(c.Source, BeginSolution, EndSolution, CodeStub)
		if err != nil {
			return fmt.Errorf("cell %d: %w", i+1, err)
		}
		switch {
		case replaced && !meta.Solution:
			return fmt.Errorf("cell %d: a solution region in a cell not marked as a solution (metadata.nbgrader.solution)", i+1)
		case replaced:
			c.Source = src
		case meta.Solution && c.Type == Code:
			c.Source = CodeStub
		case meta.Solution:
			c.Source = TextStub
		}
	}
	return nil
}

// ClearHiddenTests removes each BEGIN HIDDEN TESTS … END HIDDEN TESTS
// region, marker lines included. A region outside a graded cell is an
// error, as in nbgrader.
func ClearHiddenTests(nb *Notebook) error {
	for i, c := range nb.Cells {
		src, removed, err := replaceRegions(c.Source, BeginHiddenTests, EndHiddenTests, "")
		if err != nil {
			return fmt.Errorf("cell %d: %w", i+1, err)
		}
		if !removed {
			continue
		}
		if meta, _ := c.Nbgrader(); !meta.Grade {
			return fmt.Errorf("cell %d: hidden tests in a cell not marked as graded (metadata.nbgrader.grade)", i+1)
		}
		c.Source = src
	}
	return nil
}

// replaceRegions replaces every begin…end region of src's lines by stub
// (indented like the begin line; an empty stub removes the region).
func replaceRegions(src, begin, end, stub string) (string, bool, error) {
	if !strings.Contains(src, begin) {
		if strings.Contains(src, end) {
			return "", false, fmt.Errorf("%q without %q", end, begin)
		}
		return src, false, nil
	}
	lines := strings.Split(src, "\n")
	out := make([]string, 0, len(lines))
	in, replaced := false, false
	for n, line := range lines {
		switch {
		case strings.Contains(line, begin):
			if in {
				return "", false, fmt.Errorf("line %d: %q inside another region", n+1, begin)
			}
			in, replaced = true, true
			if stub != "" {
				indent := line[:len(line)-len(strings.TrimLeft(line, " \t"))]
				for _, s := range strings.Split(stub, "\n") {
					out = append(out, indent+s)
				}
			}
		case strings.Contains(line, end):
			if !in {
				return "", false, fmt.Errorf("line %d: %q without %q", n+1, end, begin)
			}
			in = false
		case !in:
			out = append(out, line)
		}
	}
	if in {
		return "", false, fmt.Errorf("%q is never closed by %q", begin, end)
	}
	return strings.Join(out, "\n"), replaced, nil
}
