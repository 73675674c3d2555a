package rewrite

import (
	"go/ast"
	"go/token"
	"go/types"
)

// topGenericValues wraps the values of a cell's top-level definition n that
// call a generic func in a function literal called at once:
// x := id(3) becomes x := func() int { return id[int](3) }(). The
// interpreter (yaegi v0.16.0) fails on a global whose value calls a
// generic func ("constant definition loop", or a crash in its type
// analysis) but runs the same call inside a function. n is one of the
// cell's top-level statements (a statement chunk) or declarations (a var
// chunk); a value whose type the checker does not know is left as it is.
func (r *rewriter) topGenericValues(n ast.Node) {
	if r.info == nil {
		return
	}
	switch x := n.(type) {
	case *ast.AssignStmt:
		if x.Tok == token.DEFINE {
			if lit := r.valuesFunc(x.Rhs, len(x.Lhs), nil); lit != nil {
				x.Rhs = []ast.Expr{lit}
			}
		}
	case *ast.DeclStmt:
		r.topGenericValues(x.Decl)
	case *ast.GenDecl:
		if x.Tok != token.VAR {
			return
		}
		for _, sp := range x.Specs {
			vs := sp.(*ast.ValueSpec)
			if lit := r.valuesFunc(vs.Values, len(vs.Names), vs.Type); lit != nil {
				vs.Values = []ast.Expr{lit}
			}
		}
	}
}

// valuesFunc returns func() (T1, ..., Tn) { return values }() for the n
// values of a definition, or nil when none calls a generic func or a type
// is unknown; typ is the declared type, if any.
func (r *rewriter) valuesFunc(values []ast.Expr, n int, typ ast.Expr) *ast.CallExpr {
	if len(values) == 0 || !r.callsGenericFunc(values) {
		return nil
	}
	var ts []types.Type
	switch {
	case typ != nil:
		t := r.info.TypeOf(typ)
		for range n {
			ts = append(ts, t)
		}
	case len(values) == n:
		for _, v := range values {
			ts = append(ts, r.info.TypeOf(v))
		}
	case len(values) == 1:
		if tup, ok := r.info.TypeOf(values[0]).(*types.Tuple); ok && tup.Len() == n {
			for i := range n {
				ts = append(ts, tup.At(i).Type())
			}
		}
	}
	if len(ts) != n {
		return nil
	}
	results := &ast.FieldList{}
	for _, t := range ts {
		if t == nil || containsInvalid(t) {
			return nil
		}
		if b, ok := t.(*types.Basic); ok && b.Kind() == types.UntypedNil {
			return nil
		}
		results.List = append(results.List, &ast.Field{Type: ident(r.typeString(t))})
	}
	lit := &ast.FuncLit{
		Type: &ast.FuncType{Func: values[0].Pos(), Params: &ast.FieldList{}, Results: results},
		Body: &ast.BlockStmt{List: []ast.Stmt{&ast.ReturnStmt{Return: values[0].Pos(), Results: values}}},
	}
	r.changed = true
	return &ast.CallExpr{Fun: lit, Lparen: values[0].Pos(), Rparen: values[len(values)-1].End()}
}

// callsGenericFunc reports whether an expression of exprs calls a generic
// func, with its type arguments written or inferred: one of the cells', or
// one of the interpreted generic packages' (slices.Clone), which the
// interpreter runs as source too. (A compiled package has no generic
// funcs: a generic func exists only instantiated.)
func (r *rewriter) callsGenericFunc(exprs []ast.Expr) bool {
	found := false
	for _, e := range exprs {
		ast.Inspect(e, func(n ast.Node) bool {
			if found {
				return false
			}
			if _, ok := n.(*ast.FuncLit); ok {
				return false // a call inside a function is run by it
			}
			c, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			fun := ast.Unparen(c.Fun)
			switch x := fun.(type) {
			case *ast.IndexExpr:
				fun = x.X
			case *ast.IndexListExpr:
				fun = x.X
			}
			if sel, ok := fun.(*ast.SelectorExpr); ok {
				fun = sel.Sel
			}
			if id, ok := fun.(*ast.Ident); ok {
				if fn, ok := r.info.Uses[id].(*types.Func); ok {
					if sig, ok := fn.Type().(*types.Signature); ok && sig.TypeParams().Len() > 0 && sig.Recv() == nil {
						found = true
					}
				}
			}
			return true
		})
	}
	return found
}
