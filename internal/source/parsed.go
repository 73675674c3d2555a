package source

import (
	"go/ast"
	"go/token"
	"strings"
)

// Parsed is a chunk of a cell parsed once, at its position in the cell
// (see ParseChunk), for every question asked of it: the names it
// declares, whether it can be replayed, its final expression, its types.
// The AST is read, never changed (the rewrite parses its own copy).
type Parsed struct {
	Chunk Chunk
	code  string
	fset  *token.FileSet
	file  *ast.File // nil when the chunk does not parse
}

// Parse parses chunk c of cell code (the cell numbered cell).
func Parse(cell int, code string, c Chunk) *Parsed {
	p := &Parsed{Chunk: c, code: code, fset: token.NewFileSet()}
	if f, err := ParseChunk(p.fset, cell, code, c, nil); err == nil {
		p.file = f
	}
	return p
}

// parseText parses src alone as a chunk of kind k.
func parseText(src string, k ChunkKind) *Parsed {
	return Parse(0, src, Chunk{Kind: k, End: len(src)})
}

// OK reports whether the chunk parsed.
func (p *Parsed) OK() bool { return p.file != nil }

// offset returns the byte offset in the cell of pos.
func (p *Parsed) offset(pos token.Pos) int {
	at := p.fset.Position(pos)
	return OffsetOf(p.code, at.Line, at.Column)
}

// body returns the statements of a statement chunk.
func (p *Parsed) body() []ast.Stmt {
	if p.file == nil || p.Chunk.Kind != KindStmt || len(p.file.Decls) == 0 {
		return nil
	}
	fn, ok := p.file.Decls[len(p.file.Decls)-1].(*ast.FuncDecl)
	if !ok {
		return nil
	}
	return fn.Body.List
}

// FinalExpr returns the expression of the chunk's last statement, when
// that is an expression statement, with its byte range in the cell.
func (p *Parsed) FinalExpr() (x ast.Expr, lo, hi int, ok bool) {
	list := p.body()
	if len(list) == 0 {
		return nil, 0, 0, false
	}
	es, isExpr := list[len(list)-1].(*ast.ExprStmt)
	if !isExpr {
		return nil, 0, 0, false
	}
	lo, hi = p.offset(es.Pos()), p.offset(es.End())
	return es.X, lo, hi, lo >= p.Chunk.Start && hi <= p.Chunk.End
}

// DeclNames returns the names a declaration chunk defines ("T.M" for a
// method), for replay messages and for inspection.
func (p *Parsed) DeclNames() []string {
	if p.file == nil {
		return nil
	}
	return FileDeclNames(p.file)
}

// FileDeclNames returns the names the top-level declarations of f define:
// funcs, types, vars and consts, and "T.M" for a method M of type T.
func FileDeclNames(f *ast.File) []string {
	var names []string
	for _, d := range f.Decls {
		switch d := d.(type) {
		case *ast.FuncDecl:
			if d.Recv != nil && len(d.Recv.List) > 0 {
				names = append(names, recvType(d.Recv.List[0].Type)+"."+d.Name.Name)
			} else {
				names = append(names, d.Name.Name)
			}
		case *ast.GenDecl:
			for _, s := range d.Specs {
				switch s := s.(type) {
				case *ast.TypeSpec:
					names = append(names, s.Name.Name)
				case *ast.ValueSpec:
					for _, n := range s.Names {
						names = append(names, n.Name)
					}
				}
			}
		}
	}
	return names
}

// ReplayableVar reports whether a var declaration can be evaluated again
// after a restart without repeating side effects: its initial values call
// nothing but the allocation builtins and conversions of literals.
func (p *Parsed) ReplayableVar() bool {
	if p.file == nil {
		return false
	}
	ok := true
	ast.Inspect(p.file, func(n ast.Node) bool {
		switch x := n.(type) {
		case *ast.CallExpr:
			if id, isID := x.Fun.(*ast.Ident); !isID || (id.Name != "make" && id.Name != "new") {
				ok = false
			}
		case *ast.FuncLit, *ast.UnaryExpr:
			if u, isU := x.(*ast.UnaryExpr); isU && u.Op != token.ARROW {
				return true
			}
			ok = false
		}
		return ok
	})
	return ok
}

// StmtVars returns the names that top-level short variable declarations
// of a statement chunk define.
func (p *Parsed) StmtVars() []string {
	var names []string
	for _, s := range p.body() {
		if as, ok := s.(*ast.AssignStmt); ok && as.Tok == token.DEFINE {
			for _, l := range as.Lhs {
				if id, ok := l.(*ast.Ident); ok && id.Name != "_" {
					names = append(names, id.Name)
				}
			}
		}
	}
	return names
}

// TypeSpec is one type a declaration chunk defines.
type TypeSpec struct {
	Name string
	Text string // the spec with its spaces normalised ("T struct{ x int }")
	Line int    // its line in the cell
}

// TypeSpecs lists the types a declaration chunk defines.
func (p *Parsed) TypeSpecs() []TypeSpec {
	if p.file == nil {
		return nil
	}
	var specs []TypeSpec
	for _, d := range p.file.Decls {
		g, ok := d.(*ast.GenDecl)
		if !ok || g.Tok != token.TYPE {
			continue
		}
		for _, s := range g.Specs {
			ts := s.(*ast.TypeSpec)
			lo, hi := p.offset(ts.Pos()), p.offset(ts.End())
			specs = append(specs, TypeSpec{
				Name: ts.Name.Name,
				Text: strings.Join(strings.Fields(p.code[lo:hi]), " "),
				Line: p.fset.Position(ts.Pos()).Line,
			})
		}
	}
	return specs
}
