package rewrite

import (
	"go/ast"
	"go/token"
	"go/types"
	"strconv"
	"strings"

	"github.com/lanes-dev/lanes/internal/source"
)

// methodExprs replaces the method expressions under root ((*T).M, T.M)
// with function literals that call the method: the interpreter calls a
// method expression with the receiver counted twice ("reflect: Call with
// too many input arguments").
//
//	(*T).M   becomes   func(r *T, a A) R { return r.M(a) }
//
// Only method expressions whose type the type checker knows, in the
// places a value is written (operands of calls, assignments, returns,
// composite literals), are replaced.
func (r *rewriter) methodExprs(root ast.Node) {
	if r.info == nil || r.info.Selections == nil {
		return
	}
	repl := func(e ast.Expr) ast.Expr {
		if fl := r.methodLit(e); fl != nil {
			r.changed = true
			return fl
		}
		return e
	}
	each := func(l []ast.Expr) {
		for i, e := range l {
			l[i] = repl(e)
		}
	}
	ast.Inspect(root, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.CallExpr:
			n.Fun = repl(n.Fun)
			each(n.Args)
		case *ast.AssignStmt:
			each(n.Rhs)
		case *ast.ValueSpec:
			each(n.Values)
		case *ast.ReturnStmt:
			each(n.Results)
		case *ast.CompositeLit:
			each(n.Elts)
		case *ast.KeyValueExpr:
			n.Value = repl(n.Value)
		}
		return true
	})
}

// methodLit returns the function literal for the method expression e, or
// nil when e is none (or its types cannot be spelled).
func (r *rewriter) methodLit(e ast.Expr) *ast.FuncLit {
	sel, ok := ast.Unparen(e).(*ast.SelectorExpr)
	if !ok {
		return nil
	}
	s, ok := r.info.Selections[sel]
	if !ok || s.Kind() != types.MethodExpr {
		return nil
	}
	sig, ok := s.Type().(*types.Signature)
	if !ok || sig.Params().Len() == 0 {
		return nil
	}
	spell := func(t types.Type) ast.Expr {
		ts := r.typeString(t)
		if ts == "" || containsInvalid(t) {
			return nil
		}
		// The type's source text in an identifier: see wrapFunc.
		return &ast.Ident{NamePos: sel.Pos(), Name: ts}
	}
	var params []*ast.Field
	var args []ast.Expr
	for i := range sig.Params().Len() {
		t := sig.Params().At(i).Type()
		name := source.Reserved + "m" + strconv.Itoa(i)
		var typ ast.Expr
		if sig.Variadic() && i == sig.Params().Len()-1 {
			elem := spell(t.(*types.Slice).Elem())
			if elem == nil {
				return nil
			}
			typ = &ast.Ellipsis{Elt: elem}
		} else if typ = spell(t); typ == nil {
			return nil
		}
		params = append(params, &ast.Field{Names: []*ast.Ident{ident(name)}, Type: typ})
		if i > 0 {
			args = append(args, ident(name))
		}
	}
	call := &ast.CallExpr{Fun: &ast.SelectorExpr{X: ident(source.Reserved + "m0"), Sel: ident(sel.Sel.Name)}, Args: args}
	if sig.Variadic() {
		call.Ellipsis = sel.End()
	}
	var results []*ast.Field
	for i := range sig.Results().Len() {
		typ := spell(sig.Results().At(i).Type())
		if typ == nil {
			return nil
		}
		results = append(results, &ast.Field{Type: typ})
	}
	var body ast.Stmt = &ast.ExprStmt{X: call}
	if len(results) > 0 {
		body = &ast.ReturnStmt{Return: sel.Pos(), Results: []ast.Expr{call}}
	}
	fl := &ast.FuncLit{
		Type: &ast.FuncType{Func: sel.Pos(), Params: &ast.FieldList{List: params}, Results: &ast.FieldList{List: results}},
		Body: &ast.BlockStmt{Lbrace: sel.Pos(), List: []ast.Stmt{body}, Rbrace: sel.End()},
	}
	r.done[fl] = true
	return fl
}

// containsInvalid reports whether t is or holds the invalid type (a type
// of a package the type checker saw empty).
func containsInvalid(t types.Type) bool {
	return strings.Contains(types.TypeString(t, nil), "invalid type")
}

// isMethodExprToken reports whether toks, from i, start a method
// expression of a pointer type: ( * T ) . M
func isMethodExprToken(toks []source.Token, i int) bool {
	return i+5 < len(toks) && toks[i].Tok == token.LPAREN && toks[i+1].Tok == token.MUL &&
		toks[i+2].Tok == token.IDENT && toks[i+3].Tok == token.RPAREN && toks[i+4].Tok == token.PERIOD && toks[i+5].Tok == token.IDENT
}
