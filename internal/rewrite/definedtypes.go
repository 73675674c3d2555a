package rewrite

import (
	"go/ast"
	"go/token"
	"go/types"

	"github.com/lanes-dev/lanes/internal/source"
)

// DefinedTypes returns the Go types, as the session would spell them, of
// the variables named in names that statement chunk c of a cell defines
// at its top level (r := &Reading{...}), where the type checker knows
// them. The worker declares such variables in the session's prelude with
// these types: the interpreter's own types of them lose the cells' named
// types (a []Celsius is a []float64 to it, a Reading a struct), which
// the rewrites need (see displayArgs).
func DefinedTypes(cell int, code string, c source.Chunk, s Session, names []string) map[string]string {
	if c.Kind != source.KindStmt || len(names) == 0 {
		return nil
	}
	fset := token.NewFileSet()
	files, err := chunkFiles(fset, cell, code, c, s, s.ImportSpecs())
	if err != nil {
		return nil
	}
	f := files[0]
	info, _ := typeCheckFiles(fset, files, importerOf(s), nil)
	aliases := importAliases(f)
	want := map[string]bool{}
	for _, n := range names {
		want[n] = true
	}
	out := map[string]string{}
	note := func(id *ast.Ident) {
		if !want[id.Name] {
			return
		}
		v, ok := info.Defs[id].(*types.Var)
		if !ok || v.Type() == nil || containsInvalid(v.Type()) || isUntyped(v.Type()) {
			return
		}
		out[id.Name] = typeStringIn(v.Type(), aliases)
	}
	body := f.Decls[len(f.Decls)-1].(*ast.FuncDecl).Body
	for _, st := range body.List {
		switch x := st.(type) {
		case *ast.AssignStmt:
			if x.Tok == token.DEFINE {
				for _, l := range x.Lhs {
					if id, ok := l.(*ast.Ident); ok {
						note(id)
					}
				}
			}
		case *ast.DeclStmt:
			if g, ok := x.Decl.(*ast.GenDecl); ok && g.Tok == token.VAR {
				for _, sp := range g.Specs {
					for _, id := range sp.(*ast.ValueSpec).Names {
						note(id)
					}
				}
			}
		}
	}
	return out
}
