package rangefunc

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
	"strings"
)

// jumps rewrites the statements of one loop body that leave it: break,
// continue, goto and return, and defer, whose call belongs to the
// enclosing function.
type jumps struct {
	r     *rewriter
	fn    *funcCtx
	label string          // the loop's own label, "" when it has none
	inner map[string]bool // labels declared inside the body

	state, next string
	codes       []ast.Stmt // jumps done after the loop: code i+1 is codes[i]
	returns     bool       // a return with values
	bare        bool       // a return without values
	results     []string   // the variables of the return values
	resultTypes []ast.Expr
	defers      string // the list of deferred calls, "" until one is met
	gotoSelf    bool   // a goto to the loop's own label

	// The function's panic, taken by the defer runner for the deferred
	// literals of the body that call recover ("" when none does).
	panicVal, panicking string
}

func (j *jumps) stateIs(op token.Token, s State) ast.Expr {
	return &ast.BinaryExpr{X: ast.NewIdent(j.state), Op: op, Y: intLit(int(s))}
}

func (j *jumps) setState(s State) ast.Stmt {
	return &ast.AssignStmt{Lhs: []ast.Expr{ast.NewIdent(j.state)}, Tok: token.ASSIGN, Rhs: []ast.Expr{intLit(int(s))}}
}

// after is the statement after the iterator call that does the jump with
// the given code.
func (j *jumps) after(code int, jump ast.Stmt) ast.Stmt {
	return &ast.IfStmt{
		Cond: &ast.BinaryExpr{X: ast.NewIdent(j.next), Op: token.EQL, Y: intLit(code)},
		Body: block(jump),
	}
}

// leave ends the yield func: with true to go on with the next iteration,
// with false (after noting code in the next variable, unless it is 0) to
// end the loop.
func (j *jumps) leave(more bool, code int, pos token.Pos) ast.Stmt {
	var l []ast.Stmt
	if code != 0 {
		l = append(l, &ast.AssignStmt{Lhs: []ast.Expr{ast.NewIdent(j.next)}, Tok: token.ASSIGN, Rhs: []ast.Expr{intLit(code)}})
	}
	result, state := "false", Done
	if more {
		result, state = "true", Ready
	}
	l = append(l, j.setState(state), &ast.ReturnStmt{Return: pos, Results: []ast.Expr{ast.NewIdent(result)}})
	return &ast.BlockStmt{Lbrace: pos, List: l}
}

func (j *jumps) list(l []ast.Stmt, brk, cont int) []ast.Stmt {
	for i, s := range l {
		l[i] = j.stmt(s, brk, cont)
	}
	return l
}

// stmt rewrites s, inside brk statements a break can end and cont loops,
// both within the body.
func (j *jumps) stmt(s ast.Stmt, brk, cont int) ast.Stmt {
	switch s := s.(type) {
	case *ast.BranchStmt:
		return j.branch(s, brk, cont)
	case *ast.ReturnStmt:
		return j.ret(s)
	case *ast.DeferStmt:
		return j.deferred(s)
	case *ast.BlockStmt:
		s.List = j.list(s.List, brk, cont)
	case *ast.LabeledStmt:
		s.Stmt = j.stmt(s.Stmt, brk, cont)
	case *ast.IfStmt:
		s.Body.List = j.list(s.Body.List, brk, cont)
		if s.Else != nil {
			s.Else = j.stmt(s.Else, brk, cont)
		}
	case *ast.ForStmt:
		s.Body.List = j.list(s.Body.List, brk+1, cont+1)
	case *ast.RangeStmt:
		s.Body.List = j.list(s.Body.List, brk+1, cont+1)
	case *ast.SwitchStmt:
		j.clauses(s.Body, brk+1, cont)
	case *ast.TypeSwitchStmt:
		j.clauses(s.Body, brk+1, cont)
	case *ast.SelectStmt:
		j.clauses(s.Body, brk+1, cont)
	}
	return s
}

func (j *jumps) clauses(b *ast.BlockStmt, brk, cont int) {
	for _, c := range b.List {
		switch c := c.(type) {
		case *ast.CaseClause:
			c.Body = j.list(c.Body, brk, cont)
		case *ast.CommClause:
			c.Body = j.list(c.Body, brk, cont)
		}
	}
}

func (j *jumps) branch(s *ast.BranchStmt, brk, cont int) ast.Stmt {
	label := ""
	if s.Label != nil {
		label = s.Label.Name
		if j.inner[label] {
			return s
		}
	}
	switch s.Tok {
	case token.BREAK:
		if label == "" && brk > 0 {
			return s
		}
		if label == "" || label == j.label {
			return j.leave(false, 0, s.Pos())
		}
	case token.CONTINUE:
		if label == "" && cont > 0 {
			return s
		}
		if label == "" || label == j.label {
			return j.leave(true, 0, s.Pos())
		}
	case token.GOTO:
		if label == j.label {
			j.gotoSelf = true
		}
	default: // fallthrough stays in its switch
		return s
	}
	j.codes = append(j.codes, s)
	return j.leave(false, len(j.codes), s.Pos())
}

// ret rewrites a return from the enclosing function.
func (j *jumps) ret(s *ast.ReturnStmt) ast.Stmt {
	if j.fn.top {
		return s // not in a function: the error is the compiler's to give
	}
	if len(s.Results) == 0 {
		j.bare = true
		return j.leave(false, bareCode, s.Pos())
	}
	if !j.returns {
		j.returns = true
		if j.fn.results != nil {
			for _, f := range j.fn.results.List {
				for range max(1, len(f.Names)) {
					j.results = append(j.results, j.r.name("ret"))
					j.resultTypes = append(j.resultTypes, f.Type)
				}
			}
		}
	}
	// One assignment per value: the interpreter fails on a nil among
	// several ("reflect: New(nil)"). Nothing but this code reads the
	// result variables, so assigning them in turn is the same as at once.
	var set []ast.Stmt
	if len(s.Results) == len(j.results) {
		for i, e := range s.Results {
			set = append(set, &ast.AssignStmt{Lhs: []ast.Expr{ast.NewIdent(j.results[i])}, TokPos: s.Pos(), Tok: token.ASSIGN, Rhs: []ast.Expr{e}})
		}
	} else { // return f() of a function with several results
		set = append(set, &ast.AssignStmt{Lhs: idents(j.results), TokPos: s.Pos(), Tok: token.ASSIGN, Rhs: s.Results})
	}
	b := j.leave(false, returnCode, s.Pos()).(*ast.BlockStmt)
	b.List = append(set, b.List...)
	return b
}

// deferred turns a defer of the body into an append to the loop's list of
// deferred calls, evaluating the function value and the arguments now.
func (j *jumps) deferred(s *ast.DeferStmt) ast.Stmt {
	if j.defers == "" {
		j.defers = j.r.name("defers")
	}
	call := s.Call
	var pre []ast.Stmt
	temp := func(e ast.Expr) ast.Expr {
		name := j.r.name("d")
		pre = append(pre, &ast.AssignStmt{Lhs: []ast.Expr{ast.NewIdent(name)}, Tok: token.DEFINE, Rhs: []ast.Expr{e}})
		return ast.NewIdent(name)
	}
	if se, ok := call.Fun.(*ast.SelectorExpr); ok {
		if recv := j.r.valueReceiver(se); recv != nil {
			// The interpreter's method value does not copy a value
			// receiver: copy it here, as the defer in Go does.
			call = &ast.CallExpr{Fun: &ast.SelectorExpr{X: temp(recv), Sel: se.Sel}, Args: call.Args, Ellipsis: call.Ellipsis}
		}
	}
	if fl, ok := call.Fun.(*ast.FuncLit); ok {
		j.recover(fl.Body)
	}
	var fn ast.Expr
	if len(call.Args) == 0 && j.r.isFuncNoResult(call.Fun) {
		// A func() value is the deferred call itself: evaluated now.
		fn = call.Fun
		if !j.r.stable(call.Fun) {
			fn = temp(call.Fun)
		}
	} else {
		f := call.Fun
		if !j.r.stable(f) {
			f = temp(f)
		}
		args := make([]ast.Expr, len(call.Args))
		for i, a := range call.Args {
			args[i] = a
			if !j.r.constant(a) {
				args[i] = temp(a)
			}
		}
		fn = &ast.FuncLit{
			Type: &ast.FuncType{Params: &ast.FieldList{}},
			Body: block(&ast.ExprStmt{X: &ast.CallExpr{Fun: f, Args: args, Ellipsis: call.Ellipsis}}),
		}
	}
	add := &ast.AssignStmt{
		Lhs: []ast.Expr{ast.NewIdent(j.defers)}, TokPos: s.Pos(), Tok: token.ASSIGN,
		Rhs: []ast.Expr{&ast.CallExpr{Fun: ast.NewIdent("append"), Args: []ast.Expr{ast.NewIdent(j.defers), fn}}},
	}
	return &ast.BlockStmt{Lbrace: s.Pos(), List: append(pre, add)}
}

// isFuncNoResult reports whether e is a value of type func().
func (r *rewriter) isFuncNoResult(e ast.Expr) bool {
	if fl, ok := e.(*ast.FuncLit); ok {
		return fl.Type.Params.NumFields() == 0 && fl.Type.Results.NumFields() == 0
	}
	if r.info == nil {
		return false
	}
	tv, ok := r.info.Types[e]
	if !ok || !tv.IsValue() {
		return false
	}
	sig, ok := tv.Type.Underlying().(*types.Signature)
	return ok && sig.Params().Len() == 0 && sig.Results().Len() == 0
}

// stable reports whether evaluating the function expression e later
// gives what it gives now: a function literal, a builtin, a declared
// function, a package's function.
func (r *rewriter) stable(e ast.Expr) bool {
	switch e := e.(type) {
	case *ast.FuncLit:
		return true
	case *ast.ParenExpr:
		return r.stable(e.X)
	case *ast.Ident:
		if r.info == nil {
			return false
		}
		switch r.info.Uses[e].(type) {
		case *types.Builtin, *types.Func:
			return true
		}
	case *ast.SelectorExpr:
		if id, ok := e.X.(*ast.Ident); ok && r.info != nil {
			_, pkg := r.info.Uses[id].(*types.PkgName)
			return pkg
		}
	}
	return false
}

// constant reports whether the argument e needs no evaluation: a constant
// (which a variable could not replace, being untyped) or nil.
func (r *rewriter) constant(e ast.Expr) bool {
	if _, ok := e.(*ast.BasicLit); ok {
		return true
	}
	if r.info == nil {
		return false
	}
	tv, ok := r.info.Types[e]
	return ok && (tv.Value != nil || tv.IsNil())
}

// valueReceiver returns the receiver that the method value se copies when
// its method has a value receiver (dereferenced when se.X is a pointer),
// and nil otherwise.
func (r *rewriter) valueReceiver(se *ast.SelectorExpr) ast.Expr {
	if r.info == nil || r.info.Selections == nil {
		return nil
	}
	sel, ok := r.info.Selections[se]
	if !ok || sel.Kind() != types.MethodVal {
		return nil
	}
	recv := sel.Obj().(*types.Func).Signature().Recv()
	if recv == nil {
		return nil
	}
	if _, ptr := recv.Type().(*types.Pointer); ptr {
		return nil
	}
	if _, ptr := r.info.TypeOf(se.X).Underlying().(*types.Pointer); ptr {
		return &ast.StarExpr{X: se.X}
	}
	return se.X
}

// recover makes the recover() calls of body (a deferred function literal
// of the loop body, outside the literals inside it) take the panic that
// the defer runner recovered:
//
//	func() any { if !panicking { return nil }; panicking = false; return panicVal }()
func (j *jumps) recover(body *ast.BlockStmt) {
	ast.Inspect(body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.CallExpr:
			id, ok := n.Fun.(*ast.Ident)
			if !ok || id.Name != "recover" || len(n.Args) != 0 {
				return true
			}
			if j.r.info != nil { // the rewrite's own recover calls have no object
				if obj, ok := j.r.info.Uses[id]; ok {
					if _, builtin := obj.(*types.Builtin); !builtin {
						return true
					}
				}
			}
			if j.panicVal == "" {
				j.panicVal, j.panicking = j.r.name("panic"), j.r.name("panicking")
			}
			src := strings.NewReplacer("PV", j.panicVal, "PP", j.panicking).Replace(
				`func() any { if !PP { return nil }; PP = false; return PV }`)
			fn, err := parser.ParseExpr(src)
			if err != nil {
				panic(fmt.Sprintf("rangefunc: the recover replacement does not parse: %v", err)) // a bug of this package
			}
			n.Fun = fn
		}
		return true
	})
}
