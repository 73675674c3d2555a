package rewrite

import (
	"go/ast"
	"go/token"
	"go/types"

	"github.com/lanes-dev/lanes/internal/source"
)

// stdTypeArgs are the generic functions of the standard library whose
// type argument the interpreter must infer from variadic arguments, which
// it cannot: cmp.Or("", "x") and slices.Concat(a, b) failed with
// "undefined type for T", and slices.Insert(s, i) with no values crashed
// it. Each entry finds the type argument from the call's arguments, or
// nil when their types are unknown.
//
// The type argument written is that of the interpreted sources of
// internal/genstd, which take []E where Go's take S ~[]E: one type
// argument, the element type. The call is rewritten before genstd's own
// rewrite, which renames the selector and keeps the index expression
// (slices.Concat[int](a, b) becomes _slices.Concat_slices[int](a, b)).
var stdTypeArgs = map[string]func(r *rewriter, args []ast.Expr) types.Type{
	"cmp.Or":         orTypeArg,
	"slices.Concat":  concatTypeArg,
	"slices.Insert":  insertTypeArg,
	"slices.Replace": insertTypeArg,
}

// orTypeArg is T of cmp.Or[T](vals ...T): the type of the first typed
// argument, or else the default type of the first untyped constant (Go's
// rule). An argument of a compiled package's function has no type here
// (cmp.Or(os.Getenv("PORT"), "8080")): the constant's default type is
// taken then, and a wrong guess is the interpreter's type error.
func orTypeArg(r *rewriter, args []ast.Expr) types.Type {
	var untyped types.Type
	for _, a := range args {
		t := r.info.TypeOf(a)
		switch {
		case t == nil || containsInvalid(t):
		case isUntyped(t):
			if untyped == nil {
				untyped = types.Default(t)
			}
		default:
			return t
		}
	}
	return untyped
}

// concatTypeArg is E of slices.Concat[E](slices ...[]E): the element type
// of the first argument of a known slice type.
func concatTypeArg(r *rewriter, args []ast.Expr) types.Type {
	for _, a := range args {
		if e := r.sliceElem(a); e != nil {
			return e
		}
	}
	return nil
}

// insertTypeArg is E of slices.Insert[E](s []E, i int, v ...E) and
// slices.Replace[E](s []E, i, j int, v ...E): the element type of s.
func insertTypeArg(r *rewriter, args []ast.Expr) types.Type {
	if len(args) == 0 {
		return nil
	}
	return r.sliceElem(args[0])
}

// sliceElem returns the element type of e's slice type, or nil.
func (r *rewriter) sliceElem(e ast.Expr) types.Type {
	t := r.info.TypeOf(e)
	if t == nil {
		return nil
	}
	s, ok := t.Underlying().(*types.Slice)
	if !ok || containsInvalid(s.Elem()) {
		return nil
	}
	return s.Elem()
}

func isUntyped(t types.Type) bool {
	b, ok := t.(*types.Basic)
	return ok && b.Info()&types.IsUntyped != 0
}

// stdTypeArg writes out the type argument of a call of one of
// stdTypeArgs that leaves it to inference, and reports whether it did.
func (r *rewriter) stdTypeArg(c *ast.CallExpr) bool {
	if r.info == nil {
		return false
	}
	sel, ok := c.Fun.(*ast.SelectorExpr)
	if !ok {
		return false
	}
	x, ok := sel.X.(*ast.Ident)
	if !ok {
		return false
	}
	// The package's path: from its import, or, for a package in scope
	// without one, its name.
	var path string
	switch obj := r.info.Uses[x].(type) {
	case *types.PkgName:
		path = obj.Imported().Path()
	case nil:
		if r.isPkg == nil || !r.isPkg(x.Name) {
			return false
		}
		path = x.Name
	default:
		return false // a session variable named like the package
	}
	infer, ok := stdTypeArgs[path+"."+sel.Sel.Name]
	if !ok {
		return false
	}
	t := infer(r, c.Args)
	if t == nil {
		return false
	}
	// The type's source text in an identifier: see wrapFunc.
	c.Fun = &ast.IndexExpr{X: sel, Lbrack: sel.End(), Index: &ast.Ident{NamePos: sel.End(), Name: r.typeString(t)}, Rbrack: sel.End()}
	r.changed = true
	return true
}

// callsStdVariadic reports whether src calls one of stdTypeArgs through
// a package name of the session: pkg.Member(.
func callsStdVariadic(src string, s Session) bool {
	toks := source.Scan(src)
	for i := 0; i+3 < len(toks); i++ {
		if toks[i].Tok != token.IDENT || toks[i+1].Tok != token.PERIOD || toks[i+2].Tok != token.IDENT || toks[i+3].Tok != token.LPAREN {
			continue
		}
		if i > 0 && toks[i-1].Tok == token.PERIOD {
			continue
		}
		if _, ok := stdTypeArgs[toks[i].Lit+"."+toks[i+2].Lit]; ok && s.IsPackage(toks[i].Lit) {
			return true
		}
	}
	return false
}
