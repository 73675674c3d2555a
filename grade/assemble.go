package grade

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/lanes-dev/lanes/notebook"
)

// Assemble builds the notebook that is run for a submission: the
// instructor's source notebook with the student's answers in it.
//
// The source decides which cells there are and their order:
//
//   - answer cells (nbgrader solution cells) come from the submission,
//     matched by grade id, with the source's cell type; a deleted answer
//     cell is replaced by the released stub, which fails its tests;
//   - test cells and every other locked cell come from the source, hidden
//     tests included, whatever the submission has in their place;
//   - cells without nbgrader metadata come from the submission when it has
//     a cell with the same cell id (the student may have changed an
//     experiment), else from the source;
//   - cells the student added are kept, after the cell that precedes them
//     in the submission.
//
// Only the source's graded cells are graded, with the source's points:
// every cell taken from the submission (added cells, and cells without
// nbgrader metadata in the source) loses its nbgrader metadata, which is
// kept under "lanes_submitted_nbgrader" for the record. A cell the
// student added with "grade": true and any points, or a second copy of a
// test cell, is run but never scored, and a note says so.
//
// Everything restored or changed is reported as a note. Notes do not cost
// points: a tampered test cell is simply restored.
func Assemble(source, sub *notebook.Notebook) (*notebook.Notebook, []string, error) {
	stub, err := releasedCopy(source)
	if err != nil {
		return nil, nil, err
	}
	// Match submission cells to source cells.
	byGradeID := map[string]int{}
	byID := map[string]int{}
	for i, c := range sub.Cells {
		if m, ok := c.Nbgrader(); ok && m.GradeID != "" {
			if _, dup := byGradeID[m.GradeID]; !dup {
				byGradeID[m.GradeID] = i
			}
		}
		if c.ID != "" {
			if _, dup := byID[c.ID]; !dup {
				byID[c.ID] = i
			}
		}
	}
	match := make([]int, len(source.Cells)) // source index → submission index or -1
	used := make([]bool, len(sub.Cells))
	var notes []string
	for i, sc := range source.Cells {
		match[i] = -1
		m, kind := kindOf(sc)
		j, ok := -1, false
		if kind != KindPlain {
			j, ok = byGradeID[m.GradeID]
		} else if sc.ID != "" {
			j, ok = byID[sc.ID]
			if ok {
				if _, k := kindOf(sub.Cells[j]); k != KindPlain {
					ok = false // a graded cell wearing a plain cell's id
				}
			}
		}
		if ok && !used[j] {
			match[i], used[j] = j, true
		}
	}

	out := notebook.New()
	out.Format, out.FormatMinor, out.Metadata = source.Format, source.FormatMinor, source.Metadata
	// Added cells before the first matched cell go first.
	appendExtras := func(from int) {
		for j := from; j < len(sub.Cells) && !used[j]; j++ {
			used[j] = true
			c := copyCell(sub.Cells[j])
			note := fmt.Sprintf("an added %s cell (submission cell %d) was kept", sub.Cells[j].Type, j+1)
			if m, k := kindOf(c); k == KindTest || k == KindManual || k == KindTask {
				note = fmt.Sprintf("an added graded %s cell %q (submission cell %d, %s points) was kept and not scored: only the source's graded cells count", sub.Cells[j].Type, m.GradeID, j+1, pyFloat(m.Points))
			}
			c.Metadata = ungraded(c.Metadata)
			out.Cells = append(out.Cells, c)
			notes = append(notes, note)
		}
	}
	appendExtras(0)
	lastJ, reordered := -1, false
	for i, sc := range source.Cells {
		m, kind := kindOf(sc)
		j := match[i]
		name := m.GradeID
		if name == "" {
			name = fmt.Sprintf("cell %d", i+1)
		}
		if j >= 0 {
			if j < lastJ {
				reordered = true
			}
			lastJ = j
		}
		var c *notebook.Cell
		switch {
		case kind == KindAnswer || kind == KindManual:
			if j < 0 {
				c = copyCell(stub.Cells[i])
				notes = append(notes, fmt.Sprintf("answer cell %s was deleted: it was graded as not answered", name))
				break
			}
			c = copyCell(source.Cells[i])
			c.Source = sub.Cells[j].Source
			if sub.Cells[j].Type != sc.Type {
				notes = append(notes, fmt.Sprintf("answer cell %s was changed to %s: graded as %s", name, sub.Cells[j].Type, sc.Type))
			}
		case kind != KindPlain:
			c = copyCell(sc)
			switch {
			case j < 0:
				notes = append(notes, fmt.Sprintf("%s cell %s was deleted: restored from the source", kindName(kind), name))
			case sub.Cells[j].Type != sc.Type:
				notes = append(notes, fmt.Sprintf("%s cell %s was changed to %s: restored from the source", kindName(kind), name, sub.Cells[j].Type))
			case sub.Cells[j].Source != stub.Cells[i].Source && sub.Cells[j].Source != sc.Source:
				notes = append(notes, fmt.Sprintf("%s cell %s was edited: restored from the source", kindName(kind), name))
			}
		case j >= 0:
			c = copyCell(sub.Cells[j])
			c.Metadata = ungraded(c.Metadata)
		default:
			c = copyCell(sc)
			if sc.ID != "" && len(sub.Cells) > 0 && sub.Cells[0].ID != "" {
				notes = append(notes, fmt.Sprintf("%s of the source was deleted: restored", name))
			}
		}
		out.Cells = append(out.Cells, c)
		if j >= 0 {
			appendExtras(j + 1)
		}
	}
	// Whatever is left (added after reordered cells) goes at the end.
	for j := range sub.Cells {
		if !used[j] {
			appendExtras(j)
		}
	}
	if reordered {
		notes = append(notes, "cells were reordered: they were run in the source's order")
	}
	return out, notes, nil
}

func kindName(kind string) string {
	switch kind {
	case KindTest:
		return "test"
	case KindTask:
		return "task"
	}
	return "read-only"
}

// releasedCopy returns the student version of source (without checksums).
func releasedCopy(source *notebook.Notebook) (*notebook.Notebook, error) {
	data, err := source.Marshal()
	if err != nil {
		return nil, err
	}
	nb, err := notebook.Parse(data)
	if err != nil {
		return nil, err
	}
	if err := notebook.Release(nb); err != nil {
		return nil, fmt.Errorf("releasing the source: %w", err)
	}
	return nb, nil
}

// copyCell returns a new cell with c's type, id, source and metadata and
// no outputs.
func copyCell(c *notebook.Cell) *notebook.Cell {
	n := notebook.NewCell(c.Type, c.Source)
	if c.ID != "" {
		n.ID = c.ID
	}
	n.Metadata = append([]byte(nil), c.Metadata...)
	return n
}

// submittedKey is where a submitted cell's own nbgrader metadata is kept.
const submittedKey = "lanes_submitted_nbgrader"

// ungraded returns cell metadata without its nbgrader member, which moves
// to submittedKey: a cell from the submission cannot make itself graded.
// Metadata that is not a JSON object is dropped.
func ungraded(meta json.RawMessage) json.RawMessage {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(meta, &m); err != nil || m == nil {
		return json.RawMessage("{}")
	}
	nbg, ok := m["nbgrader"]
	if !ok {
		return meta
	}
	delete(m, "nbgrader")
	m[submittedKey] = nbg
	out, err := encodeJSON(m)
	if err != nil {
		return json.RawMessage("{}")
	}
	return out
}

// firstLine returns the first non-blank line of s.
func firstLine(s string) string {
	for _, l := range strings.Split(s, "\n") {
		if t := strings.TrimSpace(l); t != "" {
			return t
		}
	}
	return ""
}
