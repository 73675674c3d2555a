package rewrite

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"regexp"

	"github.com/lanes-dev/lanes/internal/source"
)

// renameNested works around the interpreter's scopes at a cell's top
// level: a variable declared in a nested scope there (a loop's body or
// clauses, an if, a switch, a block) is taken for the session's variable
// of the same name, if there is one. "x := i * 2" in a loop body after an
// earlier cell's x := "text" assigns the int to the string variable
// (reflect.Set panics); with a variable of the same type it overwrites
// the session's one; and the loop variable an earlier cell's loop left
// behind makes a later loop's goroutines share one variable. Every
// variable and constant declared in a nested scope of the statement
// chunk body, outside function literals (whose scopes the interpreter
// keeps), gets a name of its own, unique in the session: its cell, line
// and column and its name (UserNames turns it back in messages).
func (r *rewriter) renameNested(body *ast.BlockStmt) {
	if r.info == nil {
		return
	}
	top := map[*ast.Ident]bool{} // declared by the body's own statements
	for _, s := range body.List {
		if lab, ok := s.(*ast.LabeledStmt); ok {
			s = lab.Stmt
		}
		switch s := s.(type) {
		case *ast.AssignStmt:
			if s.Tok == token.DEFINE {
				for _, l := range s.Lhs {
					if id, ok := l.(*ast.Ident); ok {
						top[id] = true
					}
				}
			}
		case *ast.DeclStmt:
			if g, ok := s.Decl.(*ast.GenDecl); ok {
				for _, sp := range g.Specs {
					if vs, ok := sp.(*ast.ValueSpec); ok {
						for _, id := range vs.Names {
							top[id] = true
						}
					}
				}
			}
		}
	}
	// The identifiers inside function literals, found by structure and
	// not by position: the literals a range over a function became
	// (rangeFuncs) carry the positions of the loop they replace.
	inLit := map[*ast.Ident]bool{}
	ast.Inspect(body, func(n ast.Node) bool {
		fl, ok := n.(*ast.FuncLit)
		if !ok {
			return true
		}
		ast.Inspect(fl, func(m ast.Node) bool {
			if id, ok := m.(*ast.Ident); ok {
				inLit[id] = true
			}
			return true
		})
		return false
	})
	to := map[types.Object]string{}
	for id, obj := range r.info.Defs {
		if obj == nil || id.Name == "_" || top[id] || id.Pos() < body.Lbrace || id.Pos() > body.Rbrace || inLit[id] {
			continue
		}
		switch obj.(type) {
		case *types.Var, *types.Const:
		default:
			continue
		}
		p := r.fset.Position(id.Pos())
		to[obj] = fmt.Sprintf("%sb%d_%d_%d_%s", source.Reserved, r.cell, p.Line, p.Column, id.Name)
		id.Name = to[obj]
		r.changed = true
	}
	if len(to) == 0 {
		return
	}
	for id, obj := range r.info.Uses {
		if n, ok := to[obj]; ok {
			id.Name = n
		}
	}
}

var nestedRE = regexp.MustCompile(regexp.QuoteMeta(source.Reserved) + `b\d+_\d+_\d+_`)

// UserNames writes the names renameNested gave back as the cell wrote
// them, in a message of the interpreter.
func UserNames(s string) string { return nestedRE.ReplaceAllString(s, "") }

// nestedDecl reports whether statement source src may declare a variable
// in a nested scope (see renameNested): a := or a var or const
// declaration inside braces, or in the header of an if, for, switch or
// select.
func nestedDecl(src string) bool {
	depth, header := 0, false
	for _, t := range source.Scan(src) {
		switch t.Tok {
		case token.LBRACE:
			depth++
		case token.RBRACE:
			depth--
		case token.SEMICOLON:
			if depth == 0 {
				header = false
			}
		case token.IF, token.FOR, token.SWITCH, token.SELECT:
			if depth == 0 {
				header = true
			}
		case token.DEFINE, token.VAR, token.CONST:
			if depth > 0 || header {
				return true
			}
		}
	}
	return false
}

// inFuncs wraps a statement at a chunk's top level in a function literal
// called at once, when a nested scope of it defines several variables
// from one value ("a, b := f()", "v, ok := <-ch"): the interpreter leaves
// such variables undefined at the top level ("undefined: a"), and handles
// them inside a function. Nothing the statement declares is seen after
// it, so only a return or a goto out of it, which the function would
// change, keep it as it is.
func (r *rewriter) inFuncs(list []ast.Stmt) {
	for i, s := range list {
		inner := s
		if lab, ok := s.(*ast.LabeledStmt); ok {
			inner = lab.Stmt
		}
		switch inner.(type) {
		case *ast.ForStmt, *ast.RangeStmt, *ast.IfStmt, *ast.SwitchStmt, *ast.TypeSwitchStmt, *ast.SelectStmt, *ast.BlockStmt:
		default:
			continue
		}
		if !multiDefine(s) || leaves(s) {
			continue
		}
		r.changed = true
		list[i] = &ast.ExprStmt{X: &ast.CallExpr{Fun: &ast.FuncLit{
			Type: &ast.FuncType{Func: s.Pos(), Params: &ast.FieldList{}},
			Body: &ast.BlockStmt{Lbrace: s.Pos(), List: []ast.Stmt{s}, Rbrace: s.End()},
		}, Lparen: s.End(), Rparen: s.End()}}
	}
}

// multiDefine reports whether s defines several variables from one
// value, outside function literals.
func multiDefine(s ast.Stmt) bool {
	found := false
	ast.Inspect(s, func(n ast.Node) bool {
		switch x := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.AssignStmt:
			found = found || (x.Tok == token.DEFINE && len(x.Lhs) > 1 && len(x.Rhs) == 1)
		case *ast.ValueSpec:
			found = found || (len(x.Names) > 1 && len(x.Values) == 1)
		}
		return !found
	})
	return found
}

// leaves reports whether s has a return, or a goto to a label it does not
// define, outside function literals.
func leaves(s ast.Stmt) bool {
	labels := map[string]bool{}
	var gotos []string
	ret := false
	ast.Inspect(s, func(n ast.Node) bool {
		switch x := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.ReturnStmt:
			ret = true
		case *ast.LabeledStmt:
			labels[x.Label.Name] = true
		case *ast.BranchStmt:
			if x.Tok == token.GOTO && x.Label != nil {
				gotos = append(gotos, x.Label.Name)
			}
		}
		return true
	})
	for _, g := range gotos {
		if !labels[g] {
			return true
		}
	}
	return ret
}
