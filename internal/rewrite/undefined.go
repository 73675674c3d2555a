package rewrite

import (
	"go/ast"
	"go/parser"
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
	f, err := source.ParseChunk(fset, cell, code, c, s.ImportSpecs())
	if err != nil {
		return "", 0
	}
	files := []*ast.File{f}
	if pre := s.Prelude(); pre != "" {
		if pf, err := parser.ParseFile(fset, "prelude", pre, parser.SkipObjectResolution); err == nil {
			files = append(files, pf)
		}
	}
	var (
		name string
		line int
	)
	imp := importerOf(s)
	if imp == nil {
		imp = emptyImporter{}
	}
	conf := types.Config{
		Importer: imp,
		Error: func(err error) {
			te, ok := err.(types.Error)
			if !ok || name != "" {
				return
			}
			if n, ok := strings.CutPrefix(te.Msg, "undefined: "); ok && names[n] {
				name, line = n, te.Fset.Position(te.Pos).Line
			}
		},
	}
	func() {
		defer func() { recover() }() // a checker failure finds nothing
		conf.Check(sessionPkg, fset, files, nil)
	}()
	return name, line
}
