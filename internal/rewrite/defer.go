package rewrite

import (
	"go/ast"
	"go/token"
)

// markCellDefers notes the defer statements at the top level of a
// statement chunk (outside any function literal): see cellDefer.
func (r *rewriter) markCellDefers(body *ast.BlockStmt) {
	ast.Inspect(body, func(n ast.Node) bool {
		switch x := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.DeferStmt:
			if r.cellDefers == nil {
				r.cellDefers = map[*ast.DeferStmt]bool{}
			}
			r.cellDefers[x] = true
		}
		return true
	})
}

// cellDefer rewrites a defer statement at a cell's top level: the
// interpreter runs such a call at once, and again at every later
// evaluation. In Go it runs when main returns; in a cell it runs when the
// cell ends (cellrt.RunDeferred). The function value, its receiver and
// its arguments are evaluated at the defer statement, as Go does, into
// temporaries that the deferred call uses.
func (r *rewriter) cellDefer(d *ast.DeferStmt) ast.Stmt {
	r.changed = true
	call := &ast.CallExpr{Fun: d.Call.Fun, Lparen: d.Call.Lparen, Ellipsis: d.Call.Ellipsis, Rparen: d.Call.Rparen}
	var lhs, rhs []ast.Expr
	bind := func(e ast.Expr, what string) ast.Expr {
		t := &ast.Ident{NamePos: d.Defer, Name: r.newName(what)}
		lhs, rhs = append(lhs, t), append(rhs, e)
		return ident(t.Name)
	}
	switch fun := ast.Unparen(d.Call.Fun).(type) {
	case *ast.FuncLit:
	case *ast.SelectorExpr:
		if m := r.method(fun); m != nil {
			recv := ast.Expr(fun.X)
			if m.addr {
				recv = &ast.UnaryExpr{OpPos: fun.X.Pos(), Op: token.AND, X: fun.X}
			}
			call.Fun = &ast.SelectorExpr{X: bind(recv, "r"), Sel: fun.Sel}
		} else if !r.static(fun) {
			call.Fun = bind(fun, "f")
		}
	default:
		if !r.static(fun) {
			call.Fun = bind(fun, "f")
		}
	}
	for _, a := range d.Call.Args {
		if r.constant(a) {
			call.Args = append(call.Args, a)
			continue
		}
		call.Args = append(call.Args, bind(a, "a"))
	}
	r.litValues(rhs)
	later := &ast.ExprStmt{X: rtCall("Defer", &ast.FuncLit{
		Type: &ast.FuncType{Func: d.Defer, Params: &ast.FieldList{}},
		Body: &ast.BlockStmt{Lbrace: d.Defer, List: []ast.Stmt{&ast.ExprStmt{X: call}}, Rbrace: d.End()},
	})}
	var list []ast.Stmt
	if len(lhs) > 0 {
		list = append(list, &ast.AssignStmt{Lhs: lhs, Tok: token.DEFINE, TokPos: d.Defer, Rhs: rhs})
	}
	return &ast.BlockStmt{Lbrace: d.Defer, List: append(list, later), Rbrace: d.End()}
}
