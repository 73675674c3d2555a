package rewrite

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/constant"
	"go/printer"
	"go/token"
	"go/types"
	"strconv"
	"strings"

	"github.com/lanes-dev/lanes/internal/source"
)

// rewriter turns one parsed chunk of a cell into code that behaves under
// the interpreter as it would under the Go toolchain (see the package doc,
// "Compatibility layer"). It edits the AST in place; positions of the
// original nodes are kept so that the printed code carries //line
// directives naming the cell's own lines.
type rewriter struct {
	cell       int
	info       *types.Info       // types of the chunk; entries may be missing
	files      []*ast.File       // the files info describes (the chunk, the session's declarations)
	isPkg      func(string) bool // names an imported package
	aliases    map[string]string // import path → the name the chunk imports it under, where not its own
	shadowed   map[string]bool   // builtins the session redefines
	rangeInts  bool              // treat range expressions of unknown type as integers
	changed    bool
	tmp        int
	done       map[ast.Node]bool   // nodes made by the rewrite, not to be rewritten again
	labels     map[ast.Stmt]string // labels of labelled statements
	loopDefers map[*ast.DeferStmt]bool
	cellDefers map[*ast.DeferStmt]bool // defers at a cell's top level (markCellDefers)
	fset       *token.FileSet
}

func (r *rewriter) newName(what string) string {
	r.tmp++
	return fmt.Sprintf("%s%s%d", source.Reserved, what, r.tmp)
}

func ident(name string) *ast.Ident { return ast.NewIdent(name) }

func rtCall(fn string, args ...ast.Expr) *ast.CallExpr {
	return &ast.CallExpr{Fun: &ast.SelectorExpr{X: ident(source.RuntimeName), Sel: ident(fn)}, Args: args}
}

func intLit(n int) *ast.BasicLit {
	return &ast.BasicLit{Kind: token.INT, Value: strconv.Itoa(n)}
}

func strLit(s string) *ast.BasicLit {
	return &ast.BasicLit{Kind: token.STRING, Value: strconv.Quote(s)}
}

// rewrite edits every function body, statement list and expression under
// root.
func (r *rewriter) rewrite(root ast.Node) {
	ast.Inspect(root, func(n ast.Node) bool {
		if n == nil || r.done[n] {
			return n != nil // made by the rewrite: only its children may need work
		}
		switch x := n.(type) {
		case *ast.BlockStmt:
			x.List = r.stmts(x.List)
		case *ast.CaseClause:
			x.Body = r.stmts(x.Body)
		case *ast.ForStmt:
			r.forLoop(x)
		case *ast.RangeStmt:
			r.rangeLoop(x)
		case *ast.CallExpr:
			r.call(x)
		case *ast.FuncLit:
			r.nameParams(x.Type, nil)
		case *ast.FuncDecl:
			r.nameParams(x.Type, x.Recv)
		case *ast.CommClause:
			x.Body = r.stmts(x.Body)
			r.selectAssign(x)
			if x.Comm != nil {
				r.done[x.Comm] = true // a select's receive stays as written
			}
		case *ast.AssignStmt:
			r.blankConsts(x)
			r.litValues(x.Rhs)
			if len(x.Lhs) == 1 {
				r.parenRecv(x.Rhs)
			}
		case *ast.ValueSpec:
			r.litValues(x.Values)
			if len(x.Names) == 1 {
				r.parenRecv(x.Values)
			}
		case *ast.ReturnStmt:
			r.parenRecv(x.Results)
		}
		return true
	})
}

// parenRecv works around the interpreter's receive of a struct or array:
// the value it assigns from "v := <-ch" (or returns from "return <-ch")
// cannot be changed afterwards ("reflect.Value.Set using unaddressable
// value" at v.n = 1); a parenthesized receive is copied. (The two-value
// form "v, ok := <-ch" is left alone: parentheses there are not
// supported.)
func (r *rewriter) parenRecv(vals []ast.Expr) {
	for i, v := range vals {
		if u, ok := v.(*ast.UnaryExpr); ok && u.Op == token.ARROW && !r.done[u] {
			r.done[u] = true
			vals[i] = &ast.ParenExpr{Lparen: u.Pos(), X: u, Rparen: u.End()}
			r.changed = true
		}
	}
}

// selectAssign works around the interpreter's select case that assigns
// a receive to anything but a variable ("case s.v = <-ch:", "case a[0],
// ok = <-ch:" panic with "reflect.Select: invalid Dir"): the case defines
// fresh variables, and its body assigns them first.
func (r *rewriter) selectAssign(cc *ast.CommClause) {
	as, ok := cc.Comm.(*ast.AssignStmt)
	if !ok || as.Tok != token.ASSIGN || r.done[as] {
		return
	}
	plain := true
	for _, l := range as.Lhs {
		if _, ok := ast.Unparen(l).(*ast.Ident); !ok {
			plain = false
		}
	}
	if plain {
		return
	}
	r.changed = true
	tmps := make([]ast.Expr, len(as.Lhs))
	for i := range as.Lhs {
		tmps[i] = &ast.Ident{NamePos: as.Pos(), Name: r.newName("s")}
	}
	set := &ast.AssignStmt{Lhs: as.Lhs, Tok: token.ASSIGN, TokPos: as.TokPos, Rhs: tmps}
	cc.Comm = &ast.AssignStmt{Lhs: tmps, Tok: token.DEFINE, TokPos: as.TokPos, Rhs: as.Rhs}
	cc.Body = append([]ast.Stmt{set}, cc.Body...)
}

// blankConsts works around the interpreter's assignment of a constant
// expression to the blank identifier: "_ = 8 * 5" panics while it
// compiles ("CFG post-order panic"), while "_ = 40" works. The expression
// becomes its value.
func (r *rewriter) blankConsts(as *ast.AssignStmt) {
	if as.Tok != token.ASSIGN || r.info == nil {
		return
	}
	for i, v := range as.Rhs {
		if i >= len(as.Lhs) || !isBlank(as.Lhs[i]) {
			continue
		}
		if _, ok := ast.Unparen(v).(*ast.BasicLit); ok {
			continue
		}
		tv, ok := r.info.Types[v]
		if !ok || tv.Value == nil {
			continue
		}
		if lit := constLit(tv.Value); lit != nil {
			as.Rhs[i] = lit
			r.changed = true
		}
	}
}

// litValues works around the interpreter's multiple assignment with a
// composite literal among the values: every other value is lost
// ("p, q := Point{1, 2}, 7" leaves q 0). A literal written *&T{...} is the
// same value and escapes the fault.
func (r *rewriter) litValues(vals []ast.Expr) {
	if len(vals) < 2 {
		return
	}
	for i, v := range vals {
		if lit, ok := ast.Unparen(v).(*ast.CompositeLit); ok && !r.done[lit] {
			r.done[lit] = true
			vals[i] = &ast.StarExpr{Star: lit.Pos(), X: &ast.UnaryExpr{OpPos: lit.Pos(), Op: token.AND, X: v}}
			r.changed = true
		}
	}
}

// nameParams names the unnamed parameters (and receiver) of a function
// with a body "_": the interpreter mislays the arguments of a function
// whose parameters have no names once its body calls a compiled function
// ("reflect.Set: value of type int is not assignable to type func(string)
// error" for func(int) error { return errors.New("x") }).
func (r *rewriter) nameParams(ft *ast.FuncType, recv *ast.FieldList) {
	for _, fl := range []*ast.FieldList{recv, ft.Params} {
		if fl == nil || len(fl.List) == 0 || len(fl.List[0].Names) > 0 {
			continue
		}
		for _, f := range fl.List {
			f.Names = []*ast.Ident{{NamePos: f.Type.Pos(), Name: "_"}}
		}
		r.changed = true
	}
}

// stmts rewrites the go statements of a statement list.
func (r *rewriter) stmts(list []ast.Stmt) []ast.Stmt {
	for i, s := range list {
		list[i] = r.loopBranches(s)
	}
	for i, s := range list {
		lab, _ := s.(*ast.LabeledStmt)
		if lab != nil {
			s = lab.Stmt
			r.labels[s] = lab.Label.Name
		}
		if d, ok := s.(*ast.DeferStmt); ok && r.cellDefers[d] {
			ns := r.cellDefer(d)
			if lab != nil {
				lab.Stmt = ns
			} else {
				list[i] = ns
			}
			continue
		}
		if d, ok := s.(*ast.DeferStmt); ok && !r.done[d] && r.loopDefers[d] {
			// In a loop, the interpreter shares the variables a deferred
			// literal captures: bind the closure first. (Not for one that
			// recovers: the interpreter only lets a deferred literal do.)
			if lit, ok := ast.Unparen(d.Call.Fun).(*ast.FuncLit); ok && !mentions(lit.Body, "recover") {
				r.done[d] = true
				r.changed = true
				t := r.newName("d")
				bind := &ast.AssignStmt{Lhs: []ast.Expr{&ast.Ident{NamePos: d.Defer, Name: t}}, Tok: token.DEFINE, TokPos: d.Defer, Rhs: []ast.Expr{lit}}
				d.Call.Fun = ident(t)
				ns := &ast.BlockStmt{Lbrace: d.Defer, List: []ast.Stmt{bind, d}, Rbrace: d.End()}
				if lab != nil {
					lab.Stmt = ns
				} else {
					list[i] = ns
				}
			}
			continue
		}
		if rs, ok := s.(*ast.RangeStmt); ok && !r.done[rs] && (r.isInt(rs.X) || r.chanElems(rs)) {
			var b ast.Stmt
			if r.isInt(rs.X) {
				b = r.rangeInt(rs)
			} else {
				b = r.rangeIndex(rs)
			}
			if lab != nil {
				// The label stays on the loop, inside the new block.
				b := b.(*ast.BlockStmt)
				lab.Stmt = b.List[1]
				b.List[1] = lab
				list[i] = b
			} else {
				list[i] = b
			}
			continue
		}
		g, ok := s.(*ast.GoStmt)
		if !ok || r.done[g] {
			continue
		}
		ns := r.goStmt(g)
		if lab != nil {
			lab.Stmt = ns
		} else {
			list[i] = ns
		}
	}
	return list
}

// loopBranches works around the interpreter's break and continue inside a
// select: they leave the select only, so "for { select { case <-done:
// break loop } }" never ends and a continue runs the rest of the body.
// For a loop statement s (labelled or not), the continue statements that
// target it from inside a select become gotos to a label at the end of the
// body (the body moves into a block of its own, so that none of its
// variables comes into scope at the label); the break statements that
// target its label from inside a select become gotos to a label just after
// the loop, and s becomes a block holding both. It returns the statement
// that replaces s.
func (r *rewriter) loopBranches(s ast.Stmt) ast.Stmt {
	loop, name := s, ""
	if lab, ok := s.(*ast.LabeledStmt); ok {
		loop, name = lab.Stmt, lab.Label.Name
	}
	var body *ast.BlockStmt
	switch l := loop.(type) {
	case *ast.ForStmt:
		body = l.Body
	case *ast.RangeStmt:
		body = l.Body
	default:
		return s
	}
	var brk, cont []*ast.BranchStmt
	var walk func(n ast.Node, inSelect, nested bool)
	walk = func(n ast.Node, inSelect, nested bool) {
		ast.Inspect(n, func(m ast.Node) bool {
			if m == n {
				return true
			}
			switch x := m.(type) {
			case *ast.FuncLit:
				return false
			case *ast.SelectStmt:
				walk(x, true, nested)
				return false
			case *ast.ForStmt, *ast.RangeStmt:
				walk(x, inSelect, true)
				return false
			case *ast.BranchStmt:
				switch {
				case !inSelect:
				case x.Label != nil && x.Label.Name == name && x.Tok == token.BREAK:
					brk = append(brk, x)
				case x.Label != nil && x.Label.Name == name && x.Tok == token.CONTINUE,
					x.Label == nil && x.Tok == token.CONTINUE && !nested:
					cont = append(cont, x)
				}
			}
			return true
		})
	}
	walk(body, false, false)
	if len(cont) > 0 {
		r.changed = true
		label := r.newName("cont")
		for _, b := range cont {
			b.Tok, b.Label = token.GOTO, &ast.Ident{NamePos: b.TokPos, Name: label}
		}
		inner := &ast.BlockStmt{Lbrace: body.Lbrace, List: body.List, Rbrace: body.Rbrace}
		body.List = []ast.Stmt{inner, &ast.LabeledStmt{Label: &ast.Ident{NamePos: body.Rbrace, Name: label}, Colon: body.Rbrace, Stmt: &ast.EmptyStmt{Semicolon: body.Rbrace, Implicit: true}}}
	}
	if len(brk) == 0 {
		return s
	}
	r.changed = true
	label := r.newName("brk")
	for _, b := range brk {
		b.Tok, b.Label = token.GOTO, &ast.Ident{NamePos: b.TokPos, Name: label}
	}
	end := s.End()
	return &ast.BlockStmt{Lbrace: s.Pos(), List: []ast.Stmt{s, &ast.LabeledStmt{Label: &ast.Ident{NamePos: end, Name: label}, Colon: end, Stmt: &ast.EmptyStmt{Semicolon: end, Implicit: true}}}, Rbrace: end}
}

// goStmt makes the goroutine of a go statement report a panic instead of
// crashing the process, and register itself so that it can be listed and
// named. The function value and the arguments are evaluated at the go
// statement, as Go does: a function literal keeps its parameters; any
// other call binds them to temporaries first.
func (r *rewriter) goStmt(g *ast.GoStmt) ast.Stmt {
	r.changed = true
	pos := r.fset.Position(g.Go)
	name := goroutineName(g.Call.Fun)
	tok := r.newName("t")
	start := &ast.AssignStmt{Lhs: []ast.Expr{&ast.Ident{NamePos: g.Go, Name: tok}}, Tok: token.DEFINE, TokPos: g.Go,
		Rhs: []ast.Expr{rtCall("GoStart", intLit(r.cell), intLit(pos.Line), strLit(name))}}
	enter := &ast.ExprStmt{X: rtCall("GoEnter", ident(tok))}
	exit := &ast.DeferStmt{Call: &ast.CallExpr{Fun: &ast.FuncLit{
		Type: &ast.FuncType{Params: &ast.FieldList{}},
		Body: &ast.BlockStmt{List: []ast.Stmt{&ast.ExprStmt{X: rtCall("GoExit", &ast.CallExpr{Fun: ident("recover")})}}},
	}}}
	r.done[exit.Call] = true
	if lit, ok := ast.Unparen(g.Call.Fun).(*ast.FuncLit); ok {
		// The body runs one call deeper, so that the interpreter reports
		// the line that panicked before the goroutine recovers.
		inner := &ast.FuncLit{Type: &ast.FuncType{Func: lit.Type.Func, Params: &ast.FieldList{}, Results: lit.Type.Results}, Body: lit.Body}
		lit.Type = &ast.FuncType{Func: lit.Type.Func, Params: lit.Type.Params}
		lit.Body = &ast.BlockStmt{Lbrace: lit.Body.Lbrace, List: []ast.Stmt{enter, exit, &ast.ExprStmt{X: &ast.CallExpr{Fun: inner}}}, Rbrace: lit.Body.Rbrace}
		r.done[lit.Body] = true
		r.done[g] = true
		return &ast.BlockStmt{Lbrace: g.Go, List: []ast.Stmt{start, g}, Rbrace: g.End()}
	}
	var lhs, rhs []ast.Expr
	call := &ast.CallExpr{Fun: g.Call.Fun, Lparen: g.Call.Lparen, Ellipsis: g.Call.Ellipsis, Rparen: g.Call.Rparen}
	if sel, ok := ast.Unparen(g.Call.Fun).(*ast.SelectorExpr); ok && r.method(sel) != nil {
		// x.M(...): bind the receiver (its address for a pointer method
		// on an addressable value), as the method value would.
		recv := ast.Expr(sel.X)
		if r.method(sel).addr {
			recv = &ast.UnaryExpr{Op: token.AND, X: sel.X}
		}
		t := r.newName("r")
		lhs, rhs = append(lhs, ident(t)), append(rhs, recv)
		call.Fun = &ast.SelectorExpr{X: ident(t), Sel: sel.Sel}
	} else if !r.static(g.Call.Fun) {
		t := r.newName("f")
		lhs, rhs = append(lhs, ident(t)), append(rhs, g.Call.Fun)
		call.Fun = ident(t)
	}
	for _, a := range g.Call.Args {
		if r.constant(a) {
			call.Args = append(call.Args, a)
			continue
		}
		t := r.newName("a")
		lhs, rhs = append(lhs, ident(t)), append(rhs, a)
		call.Args = append(call.Args, ident(t))
	}
	r.litValues(rhs)
	body := &ast.BlockStmt{List: []ast.Stmt{enter, exit, &ast.ExprStmt{X: call}}}
	ng := &ast.GoStmt{Go: g.Go, Call: &ast.CallExpr{Fun: &ast.FuncLit{Type: &ast.FuncType{Params: &ast.FieldList{}}, Body: body}}}
	r.done[ng] = true
	r.done[body] = true
	list := []ast.Stmt{start}
	if len(lhs) > 0 {
		list = append(list, &ast.AssignStmt{Lhs: lhs, Tok: token.DEFINE, TokPos: g.Go, Rhs: rhs})
	}
	return &ast.BlockStmt{Lbrace: g.Go, List: append(list, ng), Rbrace: g.End()}
}

type methodInfo struct{ addr bool }

// method tells whether sel is a method call on a value the rewrite can
// bind, and whether the receiver is taken by address.
func (r *rewriter) method(sel *ast.SelectorExpr) *methodInfo {
	if r.info == nil || r.info.Selections == nil {
		return nil
	}
	s, ok := r.info.Selections[sel]
	if !ok || s.Kind() != types.MethodVal {
		return nil
	}
	sig, ok := s.Obj().Type().(*types.Signature)
	if !ok || sig.Recv() == nil {
		return nil
	}
	_, ptrRecv := sig.Recv().Type().(*types.Pointer)
	_, ptrX := s.Recv().Underlying().(*types.Pointer)
	if _, isIface := s.Recv().Underlying().(*types.Interface); isIface {
		return &methodInfo{}
	}
	return &methodInfo{addr: ptrRecv && !ptrX}
}

// goroutineName names a goroutine after the function it runs.
func goroutineName(fun ast.Expr) string {
	switch f := ast.Unparen(fun).(type) {
	case *ast.Ident:
		return UserNames(f.Name)
	case *ast.SelectorExpr:
		return UserNames(types.ExprString(f))
	case *ast.FuncLit:
		return "func literal"
	}
	return types.ExprString(fun)
}

// static reports whether evaluating fun early or late makes no difference:
// a function name or a package-qualified one.
func (r *rewriter) static(fun ast.Expr) bool {
	switch f := ast.Unparen(fun).(type) {
	case *ast.Ident:
		if r.info != nil {
			if _, ok := r.info.Uses[f].(*types.Func); ok {
				return true
			}
			if _, ok := r.info.Uses[f].(*types.Var); ok {
				return false
			}
		}
		return true // an unknown name: most likely a function of an earlier cell
	case *ast.SelectorExpr:
		if id, ok := f.X.(*ast.Ident); ok && r.isPkg != nil && r.isPkg(id.Name) {
			return true
		}
	}
	return false
}

// constant reports whether e needs no temporary: a literal or a constant.
func (r *rewriter) constant(e ast.Expr) bool {
	switch x := ast.Unparen(e).(type) {
	case *ast.BasicLit:
		return true
	case *ast.Ident:
		if x.Name == "nil" || x.Name == "true" || x.Name == "false" {
			return true
		}
	case *ast.FuncLit:
		return true // a closure made now or at the go statement is the same
	}
	if r.info != nil {
		if tv, ok := r.info.Types[e]; ok && tv.Value != nil {
			return true
		}
	}
	return false
}

// call rewrites builtins the interpreter lacks or gets wrong, recover (so
// that recovered runtime errors use Go's wording), and function literals
// passed to other functions (the interpreter shares their captured loop
// variables when it converts them to compiled funcs).
func (r *rewriter) call(c *ast.CallExpr) {
	if r.done[c] {
		return
	}
	r.typeVerbs(c)
	r.displayArgs(c)
	if r.errorsAs(c) {
		return
	}
	if id, ok := c.Fun.(*ast.Ident); ok && !r.shadowed[id.Name] && r.builtin(id) {
		switch id.Name {
		case "min", "max":
			if e := r.minMax(c, id.Name); e != nil {
				*c = *e
				r.done[c] = true
				r.changed = true
				return
			}
		case "clear":
			c.Fun = &ast.SelectorExpr{X: &ast.Ident{NamePos: id.NamePos, Name: source.RuntimeName}, Sel: &ast.Ident{NamePos: id.NamePos, Name: "Clear"}}
			r.changed = true
		case "print", "println":
			c.Fun = &ast.SelectorExpr{X: &ast.Ident{NamePos: id.NamePos, Name: source.RuntimeName}, Sel: &ast.Ident{NamePos: id.NamePos, Name: map[string]string{"print": "Print", "println": "Println"}[id.Name]}}
			r.changed = true
		case "panic":
			// Note where the panic happens: the interpreter reports the
			// first line of the panicking function instead.
			if len(c.Args) == 1 {
				pos := r.fset.Position(c.Pos())
				c.Args[0] = rtCall("At", c.Args[0], intLit(r.cell), intLit(pos.Line))
				r.done[c] = true
				r.changed = true
			}
		case "recover":
			inner := &ast.CallExpr{Fun: id, Lparen: c.Lparen, Rparen: c.Rparen}
			r.done[inner] = true
			c.Fun = &ast.SelectorExpr{X: &ast.Ident{NamePos: id.NamePos, Name: source.RuntimeName}, Sel: &ast.Ident{NamePos: id.NamePos, Name: "Recovered"}}
			c.Args = []ast.Expr{inner}
			r.changed = true
			return
		}
	}
	if !r.stdTypeArg(c) {
		r.typeArgs(c)
	}
	// A function named Go or AfterFunc takes a func and runs it in a
	// goroutine of its own (sync.WaitGroup.Go, errgroup.Group.Go,
	// time.AfterFunc, lanes.Group.Go): its func arguments are guarded
	// like go statements, so that a panic in them is reported instead of
	// crashing the worker. A func declared in the session, passed by name,
	// is wrapped in a literal first.
	sel, _ := c.Fun.(*ast.SelectorExpr)
	runsInGoroutine := sel != nil && (sel.Sel.Name == "Go" || sel.Sel.Name == "AfterFunc")
	for i, a := range c.Args {
		lit, ok := ast.Unparen(a).(*ast.FuncLit)
		if !ok && runsInGoroutine {
			lit = r.wrapFunc(a)
			ok = lit != nil
		}
		if !ok || r.done[lit] {
			continue
		}
		r.nameParams(lit.Type, nil) // the walk does not visit it again
		r.done[lit] = true
		r.changed = true
		if runsInGoroutine {
			r.guard(lit, sel)
		}
		c.Args[i] = &ast.CallExpr{Fun: freshClosure(lit)}
	}
}

// typeArgs writes out the type arguments of a call of a generic func
// that leaves them to inference: the interpreter infers them from the
// first arguments only, and gets Map(xs, func(int) string {...}) wrong
// ("cannot use type func(int) string as type func(int) int"). Type
// arguments the checker does not know (a member of a package the
// session's importer lacks) leave the call as it is.
func (r *rewriter) typeArgs(c *ast.CallExpr) {
	if r.info == nil {
		return
	}
	id, ok := c.Fun.(*ast.Ident)
	if !ok {
		return
	}
	inst, ok := r.info.Instances[id]
	if !ok || inst.TypeArgs.Len() == 0 {
		return
	}
	if _, ok := r.info.Uses[id].(*types.Func); !ok {
		return
	}
	var args []ast.Expr
	for i := range inst.TypeArgs.Len() {
		t := r.typeString(inst.TypeArgs.At(i))
		if strings.Contains(t, "invalid type") {
			return
		}
		// The type's source text in an identifier: see wrapFunc.
		args = append(args, &ast.Ident{NamePos: id.End(), Name: t})
	}
	c.Fun = &ast.IndexListExpr{X: id, Lbrack: id.End(), Indices: args, Rbrack: id.End()}
	r.changed = true
}

// wrapFunc returns func(p0 T0, ...) R { return f(p0, ...) } for an
// argument f that names a func declared in the session, or nil.
//
// The parameter and result types are copied as written in f's
// declaration, which the cell's imports can spell. They go into the literal as
// identifiers holding the type's source text: the rewritten cell is only
// printed back to source, and the printer writes an identifier's name as
// it is.
func (r *rewriter) wrapFunc(f ast.Expr) *ast.FuncLit {
	id, ok := ast.Unparen(f).(*ast.Ident)
	if !ok || r.info == nil {
		return nil
	}
	fn, ok := r.info.Uses[id].(*types.Func)
	if !ok {
		return nil
	}
	decl := r.funcDecl(fn.Pos())
	if decl == nil || decl.Type.TypeParams != nil {
		return nil
	}
	pos := f.Pos()
	src := func(e ast.Expr) ast.Expr {
		var b strings.Builder
		printer.Fprint(&b, r.fset, e)
		return &ast.Ident{NamePos: pos, Name: b.String()}
	}
	ft := &ast.FuncType{Func: pos, Params: &ast.FieldList{}}
	call := &ast.CallExpr{Fun: f, Lparen: pos, Rparen: pos}
	for _, field := range decl.Type.Params.List {
		for range max(1, len(field.Names)) {
			name := r.newName("p")
			ft.Params.List = append(ft.Params.List, &ast.Field{Names: []*ast.Ident{ident(name)}, Type: src(field.Type)})
			call.Args = append(call.Args, ident(name))
			if _, ok := field.Type.(*ast.Ellipsis); ok {
				call.Ellipsis = pos
			}
		}
	}
	if res := decl.Type.Results; res != nil && len(res.List) > 0 {
		ft.Results = &ast.FieldList{}
		for _, field := range res.List {
			for range max(1, len(field.Names)) {
				ft.Results.List = append(ft.Results.List, &ast.Field{Type: src(field.Type)})
			}
		}
	}
	r.done[call] = true
	var body ast.Stmt = &ast.ExprStmt{X: call}
	if ft.Results != nil {
		body = &ast.ReturnStmt{Return: pos, Results: []ast.Expr{call}}
	}
	return &ast.FuncLit{Type: ft, Body: &ast.BlockStmt{Lbrace: pos, List: []ast.Stmt{body}, Rbrace: pos}}
}

// funcDecl finds the declaration of the func (not method) declared at
// pos in the checked files.
func (r *rewriter) funcDecl(pos token.Pos) *ast.FuncDecl {
	for _, f := range r.files {
		for _, d := range f.Decls {
			if fd, ok := d.(*ast.FuncDecl); ok && fd.Recv == nil && fd.Name.Pos() == pos {
				return fd
			}
		}
	}
	return nil
}

// freshClosure returns func() T { return lit }: called, it makes the
// closure in a frame of its own.
func freshClosure(lit *ast.FuncLit) *ast.FuncLit {
	return &ast.FuncLit{
		Type: &ast.FuncType{Func: lit.Type.Func, Params: &ast.FieldList{}, Results: &ast.FieldList{List: []*ast.Field{{Type: lit.Type}}}},
		Body: &ast.BlockStmt{Lbrace: lit.Type.Func, List: []ast.Stmt{&ast.ReturnStmt{Return: lit.Type.Func, Results: []ast.Expr{lit}}}, Rbrace: lit.Body.Rbrace},
	}
}

// chanElems reports whether a range loop with a value ranges over a slice
// or array of channels, which the interpreter gets wrong.
func (r *rewriter) chanElems(s *ast.RangeStmt) bool {
	if r.info == nil || s.Value == nil {
		return false
	}
	tv, ok := r.info.Types[s.X]
	if !ok || tv.Type == nil {
		return false
	}
	t := tv.Type.Underlying()
	if p, ok := t.(*types.Pointer); ok {
		t = p.Elem().Underlying()
	}
	var elem types.Type
	switch x := t.(type) {
	case *types.Slice:
		elem = x.Elem()
	case *types.Array:
		elem = x.Elem()
	default:
		return false
	}
	_, isChan := elem.Underlying().(*types.Chan)
	return isChan
}

// rangeIndex rewrites a range loop over a slice or array as a loop over
// its indices:
//
//	{ x' := x; for k' := 0; k' < len(x'); k'++ { k, v := k', x'[k']; body } }
func (r *rewriter) rangeIndex(s *ast.RangeStmt) ast.Stmt {
	r.changed = true
	x, k := r.newName("x"), r.newName("k")
	r.markLoopDefers(s.Body)
	var lhs, rhs []ast.Expr
	if s.Key != nil && !isBlank(s.Key) {
		lhs, rhs = append(lhs, s.Key), append(rhs, ident(k))
	}
	if s.Value != nil && !isBlank(s.Value) {
		lhs, rhs = append(lhs, s.Value), append(rhs, &ast.IndexExpr{X: ident(x), Index: ident(k)})
	}
	body := s.Body
	if len(lhs) > 0 {
		tok := s.Tok
		if tok != token.DEFINE {
			tok = token.ASSIGN
		}
		body.List = append([]ast.Stmt{&ast.AssignStmt{Lhs: lhs, Tok: tok, TokPos: body.Lbrace, Rhs: rhs}}, body.List...)
	}
	f := &ast.ForStmt{
		For:  s.For,
		Init: &ast.AssignStmt{Lhs: []ast.Expr{ident(k)}, Tok: token.DEFINE, TokPos: s.For, Rhs: []ast.Expr{intLit(0)}},
		Cond: &ast.BinaryExpr{X: ident(k), Op: token.LSS, Y: &ast.CallExpr{Fun: ident("len"), Args: []ast.Expr{ident(x)}}},
		Post: &ast.IncDecStmt{X: ident(k), Tok: token.INC},
		Body: body,
	}
	r.done[f] = true
	return &ast.BlockStmt{Lbrace: s.For, List: []ast.Stmt{
		&ast.AssignStmt{Lhs: []ast.Expr{ident(x)}, Tok: token.DEFINE, TokPos: s.For, Rhs: []ast.Expr{s.X}}, f,
	}}
}

func isBlank(e ast.Expr) bool {
	id, ok := e.(*ast.Ident)
	return ok && id.Name == "_"
}

// guard makes a function literal run by a compiled function in its own
// goroutine report a panic rather than crash the process.
func (r *rewriter) guard(lit *ast.FuncLit, sel *ast.SelectorExpr) {
	pos := r.fset.Position(lit.Type.Func)
	enter := &ast.ExprStmt{X: rtCall("GoRun", intLit(r.cell), intLit(pos.Line), strLit(types.ExprString(sel)+" func"))}
	exit := &ast.DeferStmt{Call: &ast.CallExpr{Fun: &ast.FuncLit{
		Type: &ast.FuncType{Params: &ast.FieldList{}},
		Body: &ast.BlockStmt{List: []ast.Stmt{&ast.ExprStmt{X: rtCall("GoExit", &ast.CallExpr{Fun: ident("recover")})}}},
	}}}
	r.done[exit.Call] = true
	inner := &ast.FuncLit{Type: &ast.FuncType{Params: &ast.FieldList{}, Results: lit.Type.Results}, Body: lit.Body}
	call := &ast.CallExpr{Fun: inner}
	var last ast.Stmt = &ast.ExprStmt{X: call}
	if lit.Type.Results != nil && len(lit.Type.Results.List) > 0 {
		last = &ast.ReturnStmt{Results: []ast.Expr{call}}
	}
	lit.Body = &ast.BlockStmt{Lbrace: lit.Body.Lbrace, List: []ast.Stmt{enter, exit, last}, Rbrace: lit.Body.Rbrace}
}

// builtin reports whether id names the predeclared function.
func (r *rewriter) builtin(id *ast.Ident) bool {
	if r.info == nil {
		return true
	}
	obj, ok := r.info.Uses[id]
	if !ok {
		return true
	}
	_, isB := obj.(*types.Builtin)
	return isB
}

// minMax rewrites min and max: a constant result becomes its value; other
// calls become a function literal over the operands' type.
func (r *rewriter) minMax(c *ast.CallExpr, name string) *ast.CallExpr {
	if r.info == nil {
		return nil
	}
	tv, ok := r.info.Types[c]
	if !ok || tv.Type == nil || tv.Type == types.Typ[types.Invalid] {
		return nil
	}
	if tv.Value != nil {
		lit := constLit(tv.Value)
		if lit == nil {
			return nil
		}
		return &ast.CallExpr{Fun: &ast.FuncLit{
			Type: &ast.FuncType{Params: &ast.FieldList{}, Results: &ast.FieldList{List: []*ast.Field{{Type: ident(r.typeString(tv.Type))}}}},
			Body: &ast.BlockStmt{List: []ast.Stmt{&ast.ReturnStmt{Results: []ast.Expr{lit}}}},
		}, Lparen: c.Lparen, Rparen: c.Rparen}
	}
	t := r.typeString(tv.Type)
	op := token.LSS
	if name == "max" {
		op = token.GTR
	}
	// func(x T, ys ...T) T { for _, y := range ys { if y < x || y != y { x = y } }; return x }
	// (y != y keeps Go's rule that a NaN operand makes the result NaN.)
	cond := ast.Expr(&ast.BinaryExpr{X: ident("y"), Op: op, Y: ident("x")})
	if b, ok := tv.Type.Underlying().(*types.Basic); ok && b.Info()&types.IsFloat != 0 {
		cond = &ast.BinaryExpr{X: cond, Op: token.LOR, Y: &ast.BinaryExpr{X: ident("y"), Op: token.NEQ, Y: ident("y")}}
		cond = &ast.BinaryExpr{X: cond, Op: token.LAND, Y: &ast.BinaryExpr{X: ident("x"), Op: token.EQL, Y: ident("x")}}
	}
	fn := &ast.FuncLit{
		Type: &ast.FuncType{
			Params: &ast.FieldList{List: []*ast.Field{
				{Names: []*ast.Ident{ident("x")}, Type: ident(t)},
				{Names: []*ast.Ident{ident("ys")}, Type: &ast.Ellipsis{Elt: ident(t)}},
			}},
			Results: &ast.FieldList{List: []*ast.Field{{Type: ident(t)}}},
		},
		Body: &ast.BlockStmt{List: []ast.Stmt{
			&ast.RangeStmt{Key: ident("_"), Value: ident("y"), Tok: token.DEFINE, X: ident("ys"), Body: &ast.BlockStmt{List: []ast.Stmt{
				&ast.IfStmt{Cond: cond, Body: &ast.BlockStmt{List: []ast.Stmt{&ast.AssignStmt{Lhs: []ast.Expr{ident("x")}, Tok: token.ASSIGN, Rhs: []ast.Expr{ident("y")}}}}},
			}}},
			&ast.ReturnStmt{Results: []ast.Expr{ident("x")}},
		}},
	}
	r.done[fn] = true
	return &ast.CallExpr{Fun: fn, Args: c.Args, Lparen: c.Lparen, Rparen: c.Rparen}
}

// typeString writes a type as the cell would: names of the cell's package
// unqualified, a package imported under another name by that name.
func (r *rewriter) typeString(t types.Type) string { return typeStringIn(t, r.aliases) }

// typeStringIn writes a type as a file with the given import aliases (path
// → name; see importAliases) would.
func typeStringIn(t types.Type, aliases map[string]string) string {
	if b, ok := t.(*types.Basic); ok && b.Info()&types.IsUntyped != 0 {
		t = types.Default(t)
	}
	return types.TypeString(t, func(p *types.Package) string {
		if p.Path() == sessionPkg {
			return ""
		}
		if a, ok := aliases[p.Path()]; ok {
			return a
		}
		return p.Name()
	})
}

// importAliases maps the path of each package f imports under a name of
// its own (import t "time") to that name.
func importAliases(f *ast.File) map[string]string {
	out := map[string]string{}
	for _, im := range f.Imports {
		if im.Name != nil && im.Name.Name != "_" && im.Name.Name != "." {
			out[strings.Trim(im.Path.Value, `"`)] = im.Name.Name
		}
	}
	return out
}

func constLit(v constant.Value) ast.Expr {
	switch v.Kind() {
	case constant.Int:
		return &ast.BasicLit{Kind: token.INT, Value: v.ExactString()}
	case constant.Float:
		f, _ := constant.Float64Val(v)
		return &ast.BasicLit{Kind: token.FLOAT, Value: strconv.FormatFloat(f, 'g', -1, 64)}
	case constant.String:
		return &ast.BasicLit{Kind: token.STRING, Value: v.ExactString()}
	}
	return nil
}

// captured reports whether a loop variable's per-iteration identity can be
// observed in body: a function literal mentions it, or its address (or a
// part's) is taken.
func captured(body ast.Node, name string) bool {
	found := false
	ast.Inspect(body, func(n ast.Node) bool {
		if found {
			return false
		}
		switch x := n.(type) {
		case *ast.FuncLit:
			if mentions(x.Body, name) {
				found = true
			}
			return false
		case *ast.UnaryExpr:
			if x.Op == token.AND && rootIdent(x.X) == name {
				found = true
			}
		}
		return true
	})
	return found
}

func mentions(n ast.Node, name string) bool {
	found := false
	ast.Inspect(n, func(n ast.Node) bool {
		if id, ok := n.(*ast.Ident); ok && id.Name == name {
			found = true
		}
		return !found
	})
	return found
}

func rootIdent(e ast.Expr) string {
	for {
		switch x := e.(type) {
		case *ast.Ident:
			return x.Name
		case *ast.SelectorExpr:
			e = x.X
		case *ast.IndexExpr:
			e = x.X
		case *ast.ParenExpr:
			e = x.X
		default:
			return ""
		}
	}
}

// assigned reports whether body may change the variable: an assignment, an
// increment or its address taken.
func assigned(body ast.Node, name string) bool {
	found := false
	ast.Inspect(body, func(n ast.Node) bool {
		switch x := n.(type) {
		case *ast.AssignStmt:
			if x.Tok != token.DEFINE {
				for _, l := range x.Lhs {
					if rootIdent(l) == name {
						found = true
					}
				}
			}
		case *ast.IncDecStmt:
			if rootIdent(x.X) == name {
				found = true
			}
		case *ast.UnaryExpr:
			if x.Op == token.AND && rootIdent(x.X) == name {
				found = true
			}
		}
		return !found
	})
	return found
}

// markLoopDefers notes the defer statements of a loop body (not those of
// function literals in it).
func (r *rewriter) markLoopDefers(body *ast.BlockStmt) {
	ast.Inspect(body, func(n ast.Node) bool {
		switch x := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.DeferStmt:
			r.loopDefers[x] = true
		}
		return true
	})
}

// forLoop gives a three-clause loop per-iteration variables (Go 1.22) when
// that can be observed, and rewrites "for i := range n" over an integer.
func (r *rewriter) forLoop(f *ast.ForStmt) {
	r.markLoopDefers(f.Body)
	if r.done[f] {
		return
	}
	as, ok := f.Init.(*ast.AssignStmt)
	if !ok || as.Tok != token.DEFINE {
		return
	}
	var names []string
	for _, l := range as.Lhs {
		if id, ok := l.(*ast.Ident); ok && id.Name != "_" && captured(f.Body, id.Name) {
			names = append(names, id.Name)
		}
	}
	if len(names) == 0 {
		return
	}
	r.done[f] = true
	r.changed = true
	writes := false
	for _, n := range names {
		writes = writes || assigned(f.Body, n)
	}
	// The clauses use fresh names (the interpreter confuses "i := i" in
	// the body with the loop's own i at the top level of a cell); the
	// body declares the user's names, per iteration.
	pos := f.Body.Lbrace
	fresh := map[string]string{}
	var l, rr []ast.Expr
	for _, n := range names {
		fresh[n] = r.newName("v")
		l, rr = append(l, &ast.Ident{NamePos: pos, Name: n}), append(rr, ident(fresh[n]))
	}
	for _, n := range []ast.Node{f.Init, f.Cond, f.Post} {
		if n != nil {
			renameIdents(n, fresh)
		}
	}
	decl := &ast.AssignStmt{Lhs: l, Tok: token.DEFINE, TokPos: pos, Rhs: rr}
	if !writes {
		f.Body.List = append([]ast.Stmt{decl}, f.Body.List...)
		return
	}
	// The body changes the variable: copy it back at the end of the
	// iteration (continue jumps there), so the post statement sees the
	// change.
	var back []ast.Stmt
	for _, n := range names {
		back = append(back, &ast.AssignStmt{Lhs: []ast.Expr{ident(fresh[n])}, Tok: token.ASSIGN, Rhs: []ast.Expr{ident(n)}})
	}
	label := r.newName("next")
	if r.continues(f.Body, r.labels[f], label) {
		back[0] = &ast.LabeledStmt{Label: ident(label), Stmt: back[0]}
	}
	inner := &ast.BlockStmt{Lbrace: f.Body.Lbrace, List: f.Body.List, Rbrace: f.Body.Rbrace}
	f.Body = &ast.BlockStmt{Lbrace: f.Body.Lbrace, List: append([]ast.Stmt{decl, inner}, back...), Rbrace: f.Body.Rbrace}
}

// renameIdents renames identifiers in n (a loop clause).
func renameIdents(n ast.Node, to map[string]string) {
	ast.Inspect(n, func(m ast.Node) bool {
		if id, ok := m.(*ast.Ident); ok {
			if nn, ok := to[id.Name]; ok {
				id.Name = nn
			}
		}
		return true
	})
}

// continues turns the continue statements of body that target loop into
// "goto label" and reports whether there were any.
func (r *rewriter) continues(body *ast.BlockStmt, loopLabel, label string) bool {
	found := false
	var walk func(n ast.Node, depth int)
	walk = func(n ast.Node, depth int) {
		ast.Inspect(n, func(m ast.Node) bool {
			switch x := m.(type) {
			case *ast.FuncLit:
				return false
			case *ast.ForStmt, *ast.RangeStmt:
				if m != n {
					walk(x, depth+1)
					return false
				}
			case *ast.BranchStmt:
				if x.Tok == token.CONTINUE && ((x.Label == nil && depth == 0) || (x.Label != nil && x.Label.Name == loopLabel)) {
					x.Tok = token.GOTO
					x.Label = ident(label)
					found = true
				}
			}
			return true
		})
	}
	walk(body, 0)
	return found
}

// rangeLoop gives a range loop per-iteration variables when that can be
// observed, and rewrites ranging over an integer as a counting loop.
func (r *rewriter) rangeLoop(s *ast.RangeStmt) {
	r.markLoopDefers(s.Body)
	if r.done[s] {
		return
	}
	if s.Tok != token.DEFINE {
		return
	}
	var l, rr []ast.Expr
	for _, e := range []ast.Expr{s.Key, s.Value} {
		if id, ok := e.(*ast.Ident); ok && id.Name != "_" && captured(s.Body, id.Name) {
			fresh := r.newName("v")
			l, rr = append(l, &ast.Ident{NamePos: s.Body.Lbrace, Name: id.Name}), append(rr, ident(fresh))
			id.Name = fresh
		}
	}
	if len(l) == 0 {
		return
	}
	r.done[s] = true
	r.changed = true
	s.Body.List = append([]ast.Stmt{&ast.AssignStmt{Lhs: l, Tok: token.DEFINE, TokPos: s.Body.Lbrace, Rhs: rr}}, s.Body.List...)
}

// isInt reports whether a range expression is an integer (Go 1.22), which
// the interpreter cannot range over.
func (r *rewriter) isInt(e ast.Expr) bool {
	if r.info != nil {
		if tv, ok := r.info.Types[e]; ok && tv.Type != nil {
			if b, ok := tv.Type.Underlying().(*types.Basic); ok {
				return b.Info()&types.IsInteger != 0
			}
			if tv.Type != types.Typ[types.Invalid] {
				return false
			}
		}
	}
	if lit, ok := ast.Unparen(e).(*ast.BasicLit); ok {
		return lit.Kind == token.INT
	}
	return r.rangeInts
}

// rangeInt rewrites "for i := range n" over an integer as
//
//	{ n' := n; for i' := n' - n'; i' < n'; i'++ { i := i'; _ = i; body } }
//
// n is evaluated once and i has n's type, as in Go; i is per iteration and
// changing it in the body does not change the iteration.
func (r *rewriter) rangeInt(s *ast.RangeStmt) ast.Stmt {
	r.changed = true
	n, i := r.newName("n"), r.newName("i")
	body := s.Body
	r.markLoopDefers(body)
	if id, ok := s.Key.(*ast.Ident); ok && id.Name != "_" && s.Tok == token.DEFINE {
		body.List = append([]ast.Stmt{
			&ast.AssignStmt{Lhs: []ast.Expr{&ast.Ident{NamePos: body.Lbrace, Name: id.Name}}, Tok: token.DEFINE, TokPos: body.Lbrace, Rhs: []ast.Expr{ident(i)}},
			&ast.AssignStmt{Lhs: []ast.Expr{ident("_")}, Tok: token.ASSIGN, Rhs: []ast.Expr{ident(id.Name)}},
		}, body.List...)
	} else if s.Key != nil && s.Tok == token.ASSIGN {
		body.List = append([]ast.Stmt{&ast.AssignStmt{Lhs: []ast.Expr{s.Key}, Tok: token.ASSIGN, TokPos: body.Lbrace, Rhs: []ast.Expr{ident(i)}}}, body.List...)
	}
	f := &ast.ForStmt{
		For:  s.For,
		Init: &ast.AssignStmt{Lhs: []ast.Expr{ident(i)}, Tok: token.DEFINE, TokPos: s.For, Rhs: []ast.Expr{&ast.BinaryExpr{X: ident(n), Op: token.SUB, Y: ident(n)}}},
		Cond: &ast.BinaryExpr{X: ident(i), Op: token.LSS, Y: ident(n)},
		Post: &ast.IncDecStmt{X: ident(i), Tok: token.INC},
		Body: body,
	}
	r.done[f] = true
	return &ast.BlockStmt{Lbrace: s.For, List: []ast.Stmt{
		&ast.AssignStmt{Lhs: []ast.Expr{ident(n)}, Tok: token.DEFINE, TokPos: s.For, Rhs: []ast.Expr{s.X}}, f,
	}}
}

// printNode prints rewritten code with //line directives so that the
// interpreter reports positions in the cell.
func printNode(fset *token.FileSet, n any) (string, error) {
	var b bytes.Buffer
	b.WriteByte('\n')
	if err := (&printer.Config{Mode: printer.SourcePos | printer.UseSpaces | printer.TabIndent, Tabwidth: 8}).Fprint(&b, fset, n); err != nil {
		return "", fmt.Errorf("printing rewritten cell: %w", err)
	}
	return b.String(), nil
}
