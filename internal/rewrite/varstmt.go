package rewrite

import (
	"go/ast"
	"go/printer"
	"go/token"
	"strings"

	"github.com/lanes-dev/lanes/internal/source"
)

// VarStatements rewrites a var declaration chunk as statements, for the
// interpreter's "variable definition loop": it refuses a var declaration
// whose initializer names a variable of an earlier evaluation ("var total
// = len(results)" after "results := ..." in another cell), while the same
// definition as a statement works. Each spec becomes one piece, evaluated
// in order: "a, b := x, y" without a type, "a := (T)(x)" with one, "var a,
// b T" then "a, b = f()" for a typed call of several results, and "var a
// T" without values. It returns nil when the chunk does not parse. (The
// statements are what the cell does at its top level, where variables are
// the session's either way.)
func VarStatements(cell int, code string, c source.Chunk) []string {
	fset := token.NewFileSet()
	f, err := source.ParseChunk(fset, cell, code, c, nil)
	if err != nil {
		return nil
	}
	text := func(n ast.Node) string {
		var b strings.Builder
		printer.Fprint(&b, fset, n)
		return b.String()
	}
	var parts []string
	for _, d := range f.Decls {
		g, ok := d.(*ast.GenDecl)
		if !ok || g.Tok != token.VAR {
			return nil
		}
		for _, sp := range g.Specs {
			vs := sp.(*ast.ValueSpec)
			var names []string
			for _, n := range vs.Names {
				names = append(names, n.Name)
			}
			lhs := strings.Join(names, ", ")
			pos := fset.Position(vs.Pos())
			at := source.LineDirective(cell, code, source.OffsetOf(code, pos.Line, pos.Column))
			var vals []string
			for _, v := range vs.Values {
				vals = append(vals, text(v))
			}
			switch {
			case len(vals) == 0:
				parts = append(parts, at+"var "+lhs+" "+text(vs.Type))
			case vs.Type == nil:
				parts = append(parts, at+lhs+" := "+strings.Join(vals, ", "))
			case len(vals) == len(names):
				t := text(vs.Type)
				for i, v := range vals {
					vals[i] = "(" + t + ")(" + v + ")"
				}
				parts = append(parts, at+lhs+" := "+strings.Join(vals, ", "))
			default:
				parts = append(parts, at+"var "+lhs+" "+text(vs.Type), at+lhs+" = "+strings.Join(vals, ", "))
			}
		}
	}
	return parts
}
