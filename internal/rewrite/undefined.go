package rewrite

import (
	"go/token"
	"go/types"
	"strings"

	"github.com/lanes-dev/lanes/internal/source"
)

// Undefined returns the first name of names that chunk c of a cell uses
// without it being declared, as the type checker resolves the chunk
// against the session (its prelude and imports), and the cell line of
// that use; "" when there is none or the chunk does not parse. The
// worker asks it about names whose declaration failed, which the
// interpreter keeps as broken entries instead of leaving them undefined.
func Undefined(cell int, code string, c source.Chunk, s Session, names map[string]bool) (string, int) {
	if len(names) == 0 || c.Kind == source.KindImport {
		return "", 0
	}
	fset := token.NewFileSet()
	files, err := chunkFiles(fset, cell, code, c, s, s.ImportSpecs())
	if err != nil {
		return "", 0
	}
	var (
		name string
		line int
	)
	typeCheckFiles(fset, files, importerOf(s), func(te types.Error) {
		if n, ok := strings.CutPrefix(te.Msg, "undefined: "); ok && names[n] && name == "" {
			name, line = n, te.Fset.Position(te.Pos).Line
		}
	})
	return name, line
}
