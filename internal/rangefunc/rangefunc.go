// Package rangefunc rewrites range-over-func loops (Go 1.23) into code an
// interpreter without them can run: a call of the iterator with the loop
// body as its yield func, the way the Go compiler lowers them
// (cmd/compile/internal/rangefunc).
//
//	for x := range seq {          {
//		body                           _rfstate1 := 1
//	}                                  seq(func(x T) bool {
//	                                       if _rfstate1 != 1 { rangefunc.Check(_rfstate1) }
//	                                       _rfstate1 = 2
//	                                       body
//	                                       _rfstate1 = 1
//	                                       return true
//	                                   })
//	                                   if _rfstate1 == 2 { rangefunc.Check(4) }
//	                                   _rfstate1 = 3
//	                               }
//
// The loop keeps its meaning:
//
//   - continue (of this loop) ends the yield func with true; break ends it
//     with false;
//   - break, continue and goto to a label outside the loop, and return
//     from the enclosing function, store a code in a variable (_rfnextN),
//     end the yield func with false, and are done after the iterator
//     returns; return values travel in variables of the function's result
//     types. Jumps out of nested range-over-func loops pass through each;
//   - a defer in the body is appended to a list that a defer placed before
//     the iterator call runs in reverse order when the enclosing function
//     ends: deferred calls run in the same order as in Go, and a panic in
//     one does not skip the others. The function value and the arguments
//     are evaluated at the defer statement, as in Go;
//   - each call of the yield func gets fresh loop variables (Go 1.22);
//   - the state variable follows the compiler's protocol (see State): an
//     iterator that calls yield after it returned false, after the loop
//     ended or after the body panicked, or that swallows a panic of the
//     body, panics with Error, whose text is the Go runtime's.
//
// A deferred call of the body is run by the list's runner, not directly
// by the deferred mechanism, so a recover() in it would return nil: the
// runner recovers the function's panic itself when a deferred function
// literal of the body calls recover, hands it to the first such call, and
// panics again with it if none took it.
//
// Two details serve the interpreter the code is for (yaegi v0.16.0): the
// return values are assigned one at a time (it fails on a nil among
// several, "reflect: New(nil)"), and a deferred method value with a value
// receiver copies the receiver explicitly (its method values do not).
// Under the interpreter a deferred call that panics still ends the other
// deferred calls of its function, with or without this rewrite; the
// package's tests list it among their known differences.
//
// The rewrite needs type information: which range expressions are
// functions of the iterator shape (any func(yield func(...) bool), not only
// iter.Seq and iter.Seq2), and the types of the yield func's parameters,
// spelled in the rewritten code. Loops whose range expression has no type
// in the types.Info are left alone.
package rangefunc

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
	"strconv"
	"strings"
)

// Config says how the rewritten code is spelled.
type Config struct {
	// Check is the function that rewritten code calls to panic with a
	// loop's Error, as the rewritten code spells it: this package's Check,
	// under a name the code can reach ("rangefunc.Check" when empty).
	Check string
	// Prefix starts every name the rewrite declares ("_rf" when empty).
	// The caller makes sure that no name of the rewritten code starts with
	// it.
	Prefix string
	// Package is the package of the rewritten code: its types are spelled
	// without a qualifier. Types of other packages are spelled with
	// Qualifier, or else with their package's name.
	Package *types.Package
	// Qualifier, when set, names the package of a type in the rewritten
	// code (see types.TypeString).
	Qualifier types.Qualifier
	// Yield, when set, is asked for the yield func's signature of a range
	// expression that has no valid type in the types.Info (such as a call
	// of a package the type checker did not see); it returns nil when the
	// expression is not an iterator, or not known to be one.
	Yield func(x ast.Expr) *types.Signature
}

// Rewrite rewrites, in place, every range-over-func loop under root (a
// file, a declaration, a block or a statement) and returns how many it
// rewrote. Statements outside any function, such as a block holding the
// statements of a notebook cell, are treated as the body of a function
// without results. info must hold the types of the range expressions (and,
// for deferred calls in loop bodies, of their operands); loops it knows
// nothing about are left as they are. Rewrite fails when it cannot spell
// the type of a yield func's parameter; root is then unchanged only if the
// count is zero.
func Rewrite(root ast.Node, info *types.Info, cfg Config) (int, error) {
	if cfg.Check == "" {
		cfg.Check = "rangefunc.Check"
	}
	if cfg.Prefix == "" {
		cfg.Prefix = "_rf"
	}
	check, err := parser.ParseExpr(cfg.Check)
	if err != nil {
		return 0, fmt.Errorf("rangefunc: check function %q: %w", cfg.Check, err)
	}
	r := &rewriter{info: info, cfg: cfg, check: check}
	top := &funcCtx{top: true}
	switch n := root.(type) {
	case *ast.File:
		for _, d := range n.Decls {
			r.decl(d)
		}
	case ast.Decl:
		r.decl(n)
	case *ast.BlockStmt:
		n.List = r.list(n.List, top)
	case ast.Stmt:
		// The statement itself cannot be replaced: only what is inside it.
		b := &ast.BlockStmt{List: []ast.Stmt{n}}
		b.List = r.list(b.List, top)
		if b.List[0] != n {
			return 0, fmt.Errorf("rangefunc: a range-over-func loop must be rewritten in its block, not on its own")
		}
	default:
		r.exprs(n)
	}
	return r.loops, r.err
}

type rewriter struct {
	info  *types.Info
	cfg   Config
	check ast.Expr
	ids   int // names made so far
	loops int // loops rewritten
	err   error
}

// funcCtx describes the function whose statements are being rewritten.
type funcCtx struct {
	results *ast.FieldList
	top     bool // statements outside any function
}

func (r *rewriter) name(what string) string {
	r.ids++
	return r.cfg.Prefix + what + strconv.Itoa(r.ids)
}

func (r *rewriter) fail(format string, args ...any) {
	if r.err == nil {
		r.err = fmt.Errorf("rangefunc: "+format, args...)
	}
}

func (r *rewriter) decl(d ast.Decl) {
	if fd, ok := d.(*ast.FuncDecl); ok {
		if fd.Body != nil {
			fd.Body.List = r.list(fd.Body.List, &funcCtx{results: fd.Type.Results})
		}
		return
	}
	r.exprs(d)
}

// exprs rewrites the bodies of the function literals under n, which holds
// no statement outside them.
func (r *rewriter) exprs(n ast.Node) {
	if n == nil {
		return
	}
	ast.Inspect(n, func(x ast.Node) bool {
		if fl, ok := x.(*ast.FuncLit); ok {
			fl.Body.List = r.list(fl.Body.List, &funcCtx{results: fl.Type.Results})
			return false
		}
		return true
	})
}

func (r *rewriter) list(l []ast.Stmt, fn *funcCtx) []ast.Stmt {
	for i, s := range l {
		l[i] = r.stmt(s, fn)
	}
	return l
}

// opt rewrites an optional statement (an if's init or else, ...).
func (r *rewriter) opt(s ast.Stmt, fn *funcCtx) ast.Stmt {
	if s == nil {
		return nil
	}
	return r.stmt(s, fn)
}

func (r *rewriter) expr(e ast.Expr) {
	if e != nil {
		r.exprs(e)
	}
}

// stmt rewrites the loops inside s, innermost first, and returns what
// replaces s.
func (r *rewriter) stmt(s ast.Stmt, fn *funcCtx) ast.Stmt {
	switch s := s.(type) {
	case *ast.BlockStmt:
		s.List = r.list(s.List, fn)
	case *ast.LabeledStmt:
		if rs, ok := s.Stmt.(*ast.RangeStmt); ok {
			if y := r.rangeChildren(rs, fn); y != nil {
				return r.loop(rs, y, s.Label, fn)
			}
			return s
		}
		s.Stmt = r.stmt(s.Stmt, fn)
	case *ast.RangeStmt:
		if y := r.rangeChildren(s, fn); y != nil {
			return r.loop(s, y, nil, fn)
		}
	case *ast.IfStmt:
		s.Init = r.opt(s.Init, fn)
		r.expr(s.Cond)
		s.Body.List = r.list(s.Body.List, fn)
		s.Else = r.opt(s.Else, fn)
	case *ast.ForStmt:
		s.Init = r.opt(s.Init, fn)
		r.expr(s.Cond)
		s.Post = r.opt(s.Post, fn)
		s.Body.List = r.list(s.Body.List, fn)
	case *ast.SwitchStmt:
		s.Init = r.opt(s.Init, fn)
		r.expr(s.Tag)
		s.Body.List = r.list(s.Body.List, fn)
	case *ast.TypeSwitchStmt:
		s.Init = r.opt(s.Init, fn)
		s.Assign = r.opt(s.Assign, fn)
		s.Body.List = r.list(s.Body.List, fn)
	case *ast.SelectStmt:
		s.Body.List = r.list(s.Body.List, fn)
	case *ast.CaseClause:
		for _, e := range s.List {
			r.expr(e)
		}
		s.Body = r.list(s.Body, fn)
	case *ast.CommClause:
		s.Comm = r.opt(s.Comm, fn)
		s.Body = r.list(s.Body, fn)
	default:
		r.exprs(s)
	}
	return s
}

// rangeChildren rewrites what is inside a range statement and returns the
// signature of the yield func when it ranges over a function.
func (r *rewriter) rangeChildren(s *ast.RangeStmt, fn *funcCtx) *types.Signature {
	r.expr(s.Key)
	r.expr(s.Value)
	r.expr(s.X)
	s.Body.List = r.list(s.Body.List, fn)
	return r.yieldOf(s.X)
}

// yieldOf returns the yield func's signature when x is a function of the
// iterator shape, func(yield func(...) bool), with at most two values.
func (r *rewriter) yieldOf(x ast.Expr) *types.Signature {
	var t types.Type
	if r.info != nil {
		t = r.info.TypeOf(x)
	}
	if t == nil || t == types.Typ[types.Invalid] {
		if r.cfg.Yield != nil {
			if y := r.cfg.Yield(x); y != nil {
				return IteratorOf(types.NewSignatureType(nil, nil, nil, types.NewTuple(types.NewParam(token.NoPos, nil, "yield", y)), nil, false))
			}
		}
		return nil
	}
	return IteratorOf(t)
}

// IteratorOf returns the yield func's signature when t is a function of
// the iterator shape, func(yield func(...) bool) with at most two values,
// and nil otherwise.
func IteratorOf(t types.Type) *types.Signature {
	sig, ok := t.Underlying().(*types.Signature)
	if !ok || sig.Params().Len() != 1 || sig.Results().Len() != 0 {
		return nil
	}
	y, ok := sig.Params().At(0).Type().Underlying().(*types.Signature)
	if !ok || y.Params().Len() > 2 || y.Results().Len() != 1 || y.Variadic() {
		return nil
	}
	if b, ok := y.Results().At(0).Type().Underlying().(*types.Basic); !ok || b.Kind() != types.Bool {
		return nil
	}
	return y
}

// typeExpr spells t as an expression of the rewritten code.
func (r *rewriter) typeExpr(t types.Type) ast.Expr {
	q := r.cfg.Qualifier
	if q == nil {
		q = func(p *types.Package) string {
			if p == r.cfg.Package {
				return ""
			}
			return p.Name()
		}
	}
	src := types.TypeString(t, q)
	e, err := parser.ParseExpr(src)
	if err != nil {
		r.fail("cannot spell the type %s: %v", src, err)
		return ast.NewIdent("int")
	}
	return e
}

// loop rewrites one range-over-func loop whose body has no such loops
// left, with label (nil when it has none), into a block.
func (r *rewriter) loop(s *ast.RangeStmt, y *types.Signature, label *ast.Ident, fn *funcCtx) ast.Stmt {
	r.loops++
	j := &jumps{r: r, fn: fn, inner: map[string]bool{}}
	j.state = r.name("state")
	j.next = r.name("next")
	if label != nil {
		j.label = label.Name
	}
	collectLabels(s.Body.List, j.inner)
	body := j.list(s.Body.List, 0, 0)

	// The yield func's parameters: the loop variables when the loop
	// declares them, fresh names assigned to them when it assigns them.
	var params []*ast.Field
	var lhs, rhs []ast.Expr
	vars := []ast.Expr{s.Key, s.Value}
	for i := 0; i < y.Params().Len(); i++ {
		name := ast.NewIdent("_")
		if i < 2 && vars[i] != nil {
			if id, ok := vars[i].(*ast.Ident); ok && s.Tok == token.DEFINE {
				name = id
			} else if !ok || id.Name != "_" {
				name = ast.NewIdent(r.name("p"))
				lhs, rhs = append(lhs, vars[i]), append(rhs, ast.NewIdent(name.Name))
			}
		}
		params = append(params, &ast.Field{Names: []*ast.Ident{name}, Type: r.typeExpr(y.Params().At(i).Type())})
	}
	var yieldBody []ast.Stmt
	yieldBody = append(yieldBody,
		&ast.IfStmt{Cond: j.stateIs(token.NEQ, Ready), Body: block(r.checkCall(ast.NewIdent(j.state)))},
		j.setState(Panic))
	if len(lhs) > 0 {
		yieldBody = append(yieldBody, &ast.AssignStmt{Lhs: lhs, Tok: token.ASSIGN, Rhs: rhs})
	}
	yieldBody = append(yieldBody, body...)
	yieldBody = append(yieldBody, j.setState(Ready), &ast.ReturnStmt{Results: []ast.Expr{ast.NewIdent("true")}})
	yield := &ast.FuncLit{
		Type: &ast.FuncType{
			Params:  &ast.FieldList{List: params},
			Results: &ast.FieldList{List: []*ast.Field{{Type: ast.NewIdent("bool")}}},
		},
		Body: &ast.BlockStmt{List: yieldBody},
	}

	var out []ast.Stmt
	if len(j.codes) > 0 || j.returns || j.bare {
		out = append(out, varDecl(j.next, ast.NewIdent("int")))
	}
	for i, name := range j.results {
		out = append(out, varDecl(name, j.resultTypes[i]))
	}
	if j.defers != "" {
		out = append(out, varDecl(j.defers, &ast.ArrayType{Elt: &ast.FuncType{Params: &ast.FieldList{}}}))
		if j.panicVal != "" {
			out = append(out, varDecl(j.panicVal, ast.NewIdent("any")), varDecl(j.panicking, ast.NewIdent("bool")))
		}
		out = append(out, runDefers(j.defers, r.name("i"), j.panicVal, j.panicking))
	}
	out = append(out,
		&ast.AssignStmt{Lhs: []ast.Expr{ast.NewIdent(j.state)}, Tok: token.DEFINE, Rhs: []ast.Expr{intLit(int(Ready))}},
		&ast.ExprStmt{X: &ast.CallExpr{Fun: s.X, Lparen: s.X.End(), Args: []ast.Expr{yield}}},
		&ast.IfStmt{Cond: j.stateIs(token.EQL, Panic), Body: block(r.checkCall(intLit(int(MissingPanic))))},
		j.setState(Exhausted))
	if j.returns {
		out = append(out, j.after(returnCode, &ast.ReturnStmt{Results: idents(j.results)}))
	}
	if j.bare {
		out = append(out, j.after(bareCode, &ast.ReturnStmt{}))
	}
	for i, jump := range j.codes {
		out = append(out, j.after(i+1, jump))
	}
	b := &ast.BlockStmt{Lbrace: s.For, List: out, Rbrace: s.Body.Rbrace}
	if j.gotoSelf {
		return &ast.LabeledStmt{Label: label, Stmt: b}
	}
	return b
}

// The codes of a return from inside the body, in _rfnextN.
const (
	returnCode = -1 // with values, held in the result variables
	bareCode   = -2 // without: the named results as they are
)

// collectLabels adds the labels declared in l (outside function literals)
// to into.
func collectLabels(l []ast.Stmt, into map[string]bool) {
	for _, s := range l {
		ast.Inspect(s, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.FuncLit:
				return false
			case *ast.LabeledStmt:
				into[n.Label.Name] = true
			}
			return true
		})
	}
}

func (r *rewriter) checkCall(arg ast.Expr) ast.Stmt {
	return &ast.ExprStmt{X: &ast.CallExpr{Fun: r.check, Args: []ast.Expr{arg}}}
}

func intLit(n int) ast.Expr {
	if n < 0 {
		return &ast.UnaryExpr{Op: token.SUB, X: intLit(-n)}
	}
	return &ast.BasicLit{Kind: token.INT, Value: strconv.Itoa(n)}
}

func block(l ...ast.Stmt) *ast.BlockStmt { return &ast.BlockStmt{List: l} }

func idents(names []string) []ast.Expr {
	var l []ast.Expr
	for _, n := range names {
		l = append(l, ast.NewIdent(n))
	}
	return l
}

func varDecl(name string, typ ast.Expr) ast.Stmt {
	return &ast.DeclStmt{Decl: &ast.GenDecl{Tok: token.VAR, Specs: []ast.Spec{
		&ast.ValueSpec{Names: []*ast.Ident{ast.NewIdent(name)}, Type: typ},
	}}}
}

// runDefers is the defer that runs the calls a loop body deferred in list,
// last first, each as a deferred call of its own so that a panicking one
// does not keep the others from running. When a deferred function literal
// of the body calls recover, the runner (called directly by the deferred
// mechanism, so its recover works) takes the function's panic into the
// variable pv, with pp telling that there is one; the body's recover
// calls take it from there (see jumps.recover), and the runner panics
// again with it after the calls if none did.
func runDefers(list, i, pv, pp string) ast.Stmt {
	src := `func() { for I := 0; I < len(LIST); I++ { defer LIST[I]() } }`
	if pv != "" {
		src = `func() {
			PV = recover()
			PP = PV != nil
			func() {
				defer func() {
					if PP {
						panic(PV)
					}
				}()
				for I := 0; I < len(LIST); I++ {
					defer LIST[I]()
				}
			}()
		}`
	}
	src = strings.NewReplacer("LIST", list, "I", i, "PV", pv, "PP", pp).Replace(src)
	fn, err := parser.ParseExpr(src)
	if err != nil {
		panic(fmt.Sprintf("rangefunc: the defer runner does not parse: %v", err)) // a bug of this package
	}
	return &ast.DeferStmt{Call: &ast.CallExpr{Fun: fn}}
}
