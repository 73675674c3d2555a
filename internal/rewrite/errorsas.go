package rewrite

import (
	"go/ast"
	"go/token"
	"go/types"

	"github.com/lanes-dev/lanes/internal/source"
)

// errorsAs rewrites errors.As(err, &target) whose target has a
// cell-defined error type (not an interface) into a call of
// errors.AsType, which internal/genstd interprets:
//
//	errors.As(err, &nf)   becomes
//	func() bool { v, ok := errors.AsType[*NotFound](err); if ok { nf = v }; return ok }()
//
// The compiled errors.As cannot see the Error method of an interpreted
// type: it panicked with "errors: *target must be interface or implement
// error". Targets of interface types, and those of compiled packages'
// types, stay with the compiled errors.As. It reports whether it rewrote c.
// The operands of errors.Join of such types become values of type error
// (see asError).
func (r *rewriter) errorsAs(c *ast.CallExpr) bool {
	sel, ok := c.Fun.(*ast.SelectorExpr)
	if !ok || r.info == nil || c.Ellipsis.IsValid() {
		return false
	}
	if sel.Sel.Name == "Join" {
		// The interpreter cannot pass a cell-defined error to the
		// compiled errors.Join ("reflect: cannot use *struct { Op string
		// } as type error"), but a value of type error.
		if x, ok := sel.X.(*ast.Ident); ok && r.pkgPath(x) == "errors" {
			for i, a := range c.Args {
				c.Args[i] = r.asError(a)
			}
		}
		return false
	}
	if sel.Sel.Name != "As" || len(c.Args) != 2 {
		return false
	}
	x, ok := sel.X.(*ast.Ident)
	if !ok || r.pkgPath(x) != "errors" {
		return false
	}
	addr, ok := ast.Unparen(c.Args[1]).(*ast.UnaryExpr)
	if !ok || addr.Op != token.AND {
		return false
	}
	t := r.info.TypeOf(addr.X)
	if t == nil || types.IsInterface(t) || containsInvalid(t) || r.methods(t) != "error" {
		return false
	}
	pos := c.Pos()
	v, okName := ident(source.Reserved+"v"), ident(source.Reserved+"ok")
	asType := &ast.CallExpr{
		Fun:  &ast.IndexExpr{X: &ast.SelectorExpr{X: &ast.Ident{NamePos: pos, Name: x.Name}, Sel: ident("AsType")}, Index: ident(r.typeString(t))},
		Args: []ast.Expr{c.Args[0]},
	}
	body := []ast.Stmt{
		&ast.AssignStmt{Lhs: []ast.Expr{v, okName}, TokPos: pos, Tok: token.DEFINE, Rhs: []ast.Expr{asType}},
		&ast.IfStmt{If: pos, Cond: ident(okName.Name), Body: &ast.BlockStmt{List: []ast.Stmt{
			&ast.AssignStmt{Lhs: []ast.Expr{addr.X}, TokPos: pos, Tok: token.ASSIGN, Rhs: []ast.Expr{ident(v.Name)}},
		}}},
		&ast.ReturnStmt{Return: pos, Results: []ast.Expr{ident(okName.Name)}},
	}
	lit := &ast.FuncLit{
		Type: &ast.FuncType{Func: pos, Params: &ast.FieldList{}, Results: &ast.FieldList{List: []*ast.Field{{Type: ident("bool")}}}},
		Body: &ast.BlockStmt{Lbrace: pos, List: body, Rbrace: c.End()},
	}
	r.done[asType] = true
	*c = ast.CallExpr{Fun: lit, Lparen: c.End(), Rparen: c.End()}
	r.done[c] = true
	r.changed = true
	return true
}

// callsErrorsAs reports whether src may call errors.As or errors.Join
// (see errorsAs).
func callsErrorsAs(src string, s Session) bool {
	toks := source.Scan(src)
	for i := 0; i+2 < len(toks); i++ {
		if toks[i].Tok == token.IDENT && toks[i].Lit == "errors" && toks[i+1].Tok == token.PERIOD && (toks[i+2].Lit == "As" || toks[i+2].Lit == "Join") &&
			(i == 0 || toks[i-1].Tok != token.PERIOD) {
			return s.IsPackage("errors") // errors.As or errors.Join
		}
	}
	return false
}
