package grade

import (
	"bytes"
	"crypto/md5"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/lanes-dev/lanes/notebook"
)

// Kinds of nbgrader cells.
const (
	KindTest     = "test"     // autograded: grade, not solution (code)
	KindAnswer   = "answer"   // solution, not graded
	KindManual   = "manual"   // solution and graded (graded by hand)
	KindTask     = "task"     // a task cell (graded by hand)
	KindReadOnly = "readonly" // locked, not graded
	KindPlain    = ""         // no nbgrader metadata
)

// kindOf classifies a cell by its nbgrader metadata.
func kindOf(c *notebook.Cell) (notebook.Nbgrader, string) {
	m, ok := c.Nbgrader()
	switch {
	case !ok:
		return m, KindPlain
	case m.Task:
		return m, KindTask
	case m.Grade && m.Solution:
		return m, KindManual
	case m.Grade:
		return m, KindTest
	case m.Solution:
		return m, KindAnswer
	case m.Locked:
		return m, KindReadOnly
	}
	return m, KindPlain
}

// isLocked is nbgrader's is_locked: solution cells never, graded cells
// always, others as marked.
func isLocked(m notebook.Nbgrader) bool {
	switch {
	case m.Solution:
		return false
	case m.Grade:
		return true
	}
	return m.Locked
}

// Checksum is nbgrader's checksum of a cell (utils.compute_checksum):
// the MD5, in hex, of the cell's source, its type, "True"/"False" for
// grade, solution and locked (nbgrader's is_locked), the grade id and,
// for a graded cell, its points as Python writes a float ("1.0"). Same
// inputs, same bytes, so nbgrader accepts the checksums Lanes writes.
func Checksum(c *notebook.Cell) string {
	m, _ := c.Nbgrader()
	h := md5.New()
	h.Write([]byte(c.Source))
	h.Write([]byte(c.Type))
	h.Write([]byte(pyBool(m.Grade)))
	h.Write([]byte(pyBool(m.Solution)))
	h.Write([]byte(pyBool(isLocked(m))))
	h.Write([]byte(m.GradeID))
	if m.Grade {
		h.Write([]byte(pyFloat(m.Points)))
	}
	return hex.EncodeToString(h.Sum(nil))
}

func pyBool(b bool) string {
	if b {
		return "True"
	}
	return "False"
}

// pyFloat writes f as Python's str(float) does for the values points take.
func pyFloat(f float64) string {
	s := strconv.FormatFloat(f, 'g', -1, 64)
	if !strings.ContainsAny(s, ".eEn") {
		s += ".0"
	}
	return s
}

var gradeIDPattern = regexp.MustCompile(`^[a-zA-Z0-9_\-]+$`)

// Validate checks the nbgrader metadata of every cell against schema 3,
// as nbgrader's validator does: required fields, grade ids (present,
// unique, letters, digits, "_" and "-"), points for graded and task cells,
// graded Markdown cells that are also solutions, task cells in Markdown.
func Validate(nb *notebook.Notebook) error {
	seen := map[string]int{}
	for i, c := range nb.Cells {
		var raw struct {
			Nbgrader map[string]json.RawMessage `json:"nbgrader"`
		}
		if err := json.Unmarshal(c.Metadata, &raw); err != nil {
			return fmt.Errorf("cell %d: metadata: %w", i+1, err)
		}
		if raw.Nbgrader == nil {
			continue
		}
		m, _ := c.Nbgrader()
		where := fmt.Sprintf("cell %d", i+1)
		if m.GradeID != "" {
			where = fmt.Sprintf("cell %d (%s)", i+1, m.GradeID)
		}
		for _, k := range []string{"grade", "solution", "locked", "grade_id", "schema_version"} {
			if _, ok := raw.Nbgrader[k]; !ok && (m.Grade || m.Solution || m.Locked || m.Task) {
				return fmt.Errorf("%s: nbgrader metadata has no %q", where, k)
			}
		}
		if !(m.Grade || m.Solution || m.Locked || m.Task) {
			continue
		}
		if m.SchemaVersion != 3 {
			return fmt.Errorf("%s: nbgrader schema_version %d, want 3", where, m.SchemaVersion)
		}
		if !gradeIDPattern.MatchString(m.GradeID) {
			return fmt.Errorf("%s: grade_id %q must be letters, digits, '_' and '-'", where, m.GradeID)
		}
		if j, dup := seen[m.GradeID]; dup {
			return fmt.Errorf("%s: grade_id %q is also cell %d's", where, m.GradeID, j)
		}
		seen[m.GradeID] = i + 1
		if m.Grade || m.Task {
			if _, ok := raw.Nbgrader["points"]; !ok {
				return fmt.Errorf("%s: a graded cell needs \"points\"", where)
			}
			if m.Points < 0 {
				return fmt.Errorf("%s: negative points", where)
			}
		}
		if m.Grade && c.Type == notebook.Markdown && !m.Solution {
			return fmt.Errorf("%s: a graded Markdown cell must also be a solution cell", where)
		}
		if m.Task && c.Type != notebook.Markdown {
			return fmt.Errorf("%s: a task cell must be Markdown", where)
		}
		if m.Task && (m.Grade || m.Solution) {
			return fmt.Errorf("%s: a task cell cannot be a grade or solution cell", where)
		}
	}
	return nil
}

// Release turns an instructor notebook into the student version, as
// "nbgrader generate_assignment" does: notebook.Release (solutions
// stubbed, hidden tests removed, outputs cleared), then nbgrader's
// LockCells (metadata.deletable false for solution, graded and locked
// cells; editable false as well for graded and locked ones that are not
// solutions) and ComputeChecksums (metadata.nbgrader.checksum and
// cell_type for graded, solution and locked cells). The metadata is
// validated first.
func Release(nb *notebook.Notebook) error {
	if err := Validate(nb); err != nil {
		return err
	}
	if err := notebook.Release(nb); err != nil {
		return err
	}
	for i, c := range nb.Cells {
		m, ok := c.Nbgrader()
		if !ok || !(m.Grade || m.Solution || m.Locked) {
			continue
		}
		set := map[string]any{"deletable": false}
		if isLocked(m) {
			set["editable"] = false
		}
		meta, err := setMembers(c.Metadata, set)
		if err != nil {
			return fmt.Errorf("cell %d: %w", i+1, err)
		}
		c.Metadata = meta
		var top map[string]json.RawMessage
		if err := json.Unmarshal(c.Metadata, &top); err != nil {
			return fmt.Errorf("cell %d: %w", i+1, err)
		}
		nbg, err := setMembers(top["nbgrader"], map[string]any{"checksum": Checksum(c), "cell_type": c.Type})
		if err != nil {
			return fmt.Errorf("cell %d: %w", i+1, err)
		}
		if c.Metadata, err = setMembers(c.Metadata, map[string]any{"nbgrader": nbg}); err != nil {
			return fmt.Errorf("cell %d: %w", i+1, err)
		}
	}
	return nil
}

// setMembers sets keys of a JSON object, keeping the other members' bytes.
// The object is written with sorted keys and without HTML escaping, as
// Python's json module writes it.
func setMembers(obj json.RawMessage, set map[string]any) (json.RawMessage, error) {
	m := map[string]json.RawMessage{}
	if len(bytes.TrimSpace(obj)) > 0 {
		if err := json.Unmarshal(obj, &m); err != nil {
			return nil, fmt.Errorf("metadata: %w", err)
		}
	}
	for k, v := range set {
		raw, err := encodeJSON(v)
		if err != nil {
			return nil, err
		}
		m[k] = raw
	}
	return encodeJSON(m)
}

func encodeJSON(v any) (json.RawMessage, error) {
	if r, ok := v.(json.RawMessage); ok {
		return r, nil
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return json.RawMessage(bytes.TrimRight(b.Bytes(), "\n")), nil
}
