package worker

import (
	"go/ast"
	"go/token"
	"strings"

	"github.com/lanes-dev/lanes/internal/source"
	"github.com/lanes-dev/lanes/internal/wire"
)

// The interpreter places every frame of a stack at the first statement of
// its function, not at the statement running: a runtime error on line 5 of
// a function reads "line 2", and a call on line 4 of a cell reads "line 1".
// (Explicit panics are exact: the rewrite records their line, see
// withPanicLine.) panicLines narrows the frames from the cell's source
// where the source leaves no doubt: the innermost frame moves to the only
// statement of its function that can raise that runtime error (an index,
// a map assignment, a division), each outer frame to the only line of its
// function that calls the next frame's function by name. Otherwise a frame
// stays where the interpreter put it.
func (w *worker) panicLines(frames []wire.Frame, msg string) []wire.Frame {
	if len(frames) == 0 {
		return frames
	}
	out := append([]wire.Frame(nil), frames...)
	if l := w.onlyLine(out[0], func(n ast.Node) bool { return raises(n, msg) }); l > 0 {
		out[0].Line = l
	}
	for i := 1; i < len(out); i++ {
		name := strings.TrimSuffix(frames[i-1].Func, "(...)")
		callee := name[strings.LastIndexByte(name, '.')+1:]
		if callee == "" || callee == "func" {
			continue // a function literal has no name to look for
		}
		if l := w.onlyLine(out[i], func(n ast.Node) bool { return calls(n, callee) }); l > 0 {
			out[i].Line = l
		}
	}
	return out
}

// frameLines renders frames as traceback lines.
func frameLines(frames []wire.Frame) []string {
	lines := make([]string, len(frames))
	for i, f := range frames {
		lines[i] = f.String()
	}
	return lines
}

// onlyLine finds the functions of f's cell whose first statement is on
// f.Line and returns the one line of their bodies (nested function
// literals aside) holding nodes that match, or 0 when there is none or
// more than one.
func (w *worker) onlyLine(f wire.Frame, match func(ast.Node) bool) int {
	code := w.sess.cell(f.Cell)
	if code == "" {
		return 0
	}
	lines := map[int]bool{}
	fset := token.NewFileSet()
	for _, c := range source.Split(code) {
		if c.Kind == source.KindImport {
			continue
		}
		file, err := source.ParseChunk(fset, f.Cell, code, c, nil)
		if err != nil {
			continue
		}
		ast.Inspect(file, func(n ast.Node) bool {
			var body *ast.BlockStmt
			switch x := n.(type) {
			case *ast.FuncDecl:
				body = x.Body
			case *ast.FuncLit:
				body = x.Body
			}
			if body == nil || len(body.List) == 0 || fset.Position(body.List[0].Pos()).Line != f.Line {
				return true
			}
			ast.Inspect(body, func(m ast.Node) bool {
				if _, lit := m.(*ast.FuncLit); lit {
					return false
				}
				if m != nil && match(m) {
					lines[fset.Position(m.Pos()).Line] = true
				}
				return true
			})
			return true
		})
	}
	if len(lines) != 1 {
		return 0
	}
	for l := range lines {
		return l
	}
	return 0
}

// raises reports whether n can raise the runtime error msg.
func raises(n ast.Node, msg string) bool {
	switch {
	case strings.Contains(msg, "assignment to entry in nil map"):
		switch x := n.(type) {
		case *ast.AssignStmt:
			for _, l := range x.Lhs {
				if _, ok := ast.Unparen(l).(*ast.IndexExpr); ok {
					return true
				}
			}
		case *ast.IncDecStmt:
			_, ok := ast.Unparen(x.X).(*ast.IndexExpr)
			return ok
		}
	case strings.Contains(msg, "index out of range"):
		_, ok := n.(*ast.IndexExpr)
		return ok
	case strings.Contains(msg, "slice bounds out of range"):
		_, ok := n.(*ast.SliceExpr)
		return ok
	case strings.Contains(msg, "integer divide by zero"):
		switch x := n.(type) {
		case *ast.BinaryExpr:
			return x.Op == token.QUO || x.Op == token.REM
		case *ast.AssignStmt:
			return x.Tok == token.QUO_ASSIGN || x.Tok == token.REM_ASSIGN
		}
	}
	return false
}

// calls reports whether n is a call of a function or method named name.
func calls(n ast.Node, name string) bool {
	c, ok := n.(*ast.CallExpr)
	if !ok {
		return false
	}
	switch f := ast.Unparen(c.Fun).(type) {
	case *ast.Ident:
		return f.Name == name
	case *ast.SelectorExpr:
		return f.Sel.Name == name
	}
	return false
}
