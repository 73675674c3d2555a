package grade

import (
	"crypto/rand"
	"encoding/hex"
	"go/ast"
	"go/parser"
	"go/token"

	"github.com/lanes-dev/lanes/internal/source"
)

// A test cell passes only if it ran to its end. A cell can end early
// without an error: runtime.Goexit in a function the test calls ends the
// goroutine that evaluates the cell, and the interpreter then reports the
// cell as finished. So the grader appends a completion sentinel to each
// test cell, a statement that defines a variable whose name carries a
// random nonce of the run,
//
//	lanesGradeDone_<nonce> := true
//
// and after the cell asks the worker for that variable. A cell that did
// not reach its end never defined it, and fails with "the test did not
// run to its end". The nonce is drawn per submission and appears only in
// the instructor's cells as the grader runs them, so a student's code
// cannot define the variable first.
//
// The last statement of a test cell may be an expression whose value is
// partial credit. Its value is kept: the expression is assigned to a
// second variable before the sentinel and that variable ends the cell,
//
//	lanesGradeValue_<nonce> := EXPR
//	lanesGradeDone_<nonce> := true
//	lanesGradeValue_<nonce>
//
// when EXPR surely has one value: it is not a call, or it calls a
// function declared in the notebook with one result. A final call of a
// package's function or of a method (lanes.Equal, fmt.Println) is taken as
// a statement, and the sentinel follows it; partial credit therefore comes
// from a value, an operation or a function of the notebook.
type sentinel struct {
	done, value string
}

// newSentinel draws the names of a submission's sentinel variables.
func newSentinel() sentinel {
	var b [12]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic("grade: no random numbers: " + err.Error()) // crypto/rand does not fail on supported systems
	}
	n := hex.EncodeToString(b[:])
	return sentinel{done: "lanesGradeDone_" + n, value: "lanesGradeValue_" + n}
}

// wrap returns the test cell code with the sentinel; results are the
// result counts of the notebook's functions (see funcResults).
func (s sentinel) wrap(code string, results map[string]int) string {
	blank := source.BlankMagics(code)
	if lo, hi, ok := finalExpr(blank, results); ok && blank == code {
		return code[:lo] + s.value + " := " + code[lo:hi] + "\n" + s.done + " := true\n" + s.value + code[hi:]
	}
	return code + "\n" + s.done + " := true\n"
}

// finalExpr finds the cell's last top-level statement and reports its
// range when it is an expression with surely one value.
func finalExpr(code string, results map[string]int) (lo, hi int, ok bool) {
	toks := source.Scan(code)
	depth, start, end := 0, -1, -1
	atStart := true
	for _, t := range toks {
		if t.Tok == token.SEMICOLON && depth == 0 {
			atStart = true
			continue
		}
		if atStart {
			start, atStart = t.Pos, false
		}
		switch t.Tok {
		case token.LPAREN, token.LBRACK, token.LBRACE:
			depth++
		case token.RPAREN, token.RBRACK, token.RBRACE:
			depth--
		}
		end = t.Pos + len(tokenText(t))
	}
	if start < 0 || end <= start {
		return 0, 0, false
	}
	text := code[start:end]
	x, err := parser.ParseExpr(text)
	if err != nil {
		return 0, 0, false // a statement, or not Go the parser knows alone
	}
	call, isCall := ast.Unparen(x).(*ast.CallExpr)
	if isCall {
		id, named := call.Fun.(*ast.Ident)
		if !named || results[id.Name] != 1 {
			return 0, 0, false
		}
	}
	return start, end, true
}

// tokenText is the source text of a token.
func tokenText(t source.Token) string {
	if t.Lit != "" {
		return t.Lit
	}
	return t.Tok.String()
}

// funcResults collects the number of results of the functions declared
// at the top level of the cells (-1 where two cells disagree).
func funcResults(cells []string, into map[string]int) {
	for _, code := range cells {
		code = source.BlankMagics(code)
		toks := source.Scan(code)
		depth := 0
		for i, t := range toks {
			switch t.Tok {
			case token.LPAREN, token.LBRACK, token.LBRACE:
				depth++
			case token.RPAREN, token.RBRACK, token.RBRACE:
				depth--
			}
			if t.Tok != token.FUNC || depth != 0 || i+1 >= len(toks) || toks[i+1].Tok != token.IDENT {
				continue
			}
			// The declaration runs to the brace that closes its body.
			d, body, end := 0, false, -1
			for _, u := range toks[i+1:] {
				switch u.Tok {
				case token.LPAREN, token.LBRACK:
					d++
				case token.RPAREN, token.RBRACK:
					d--
				case token.LBRACE:
					d++
					body = true
				case token.RBRACE:
					d--
				}
				if body && d == 0 {
					end = u.Pos + 1
					break
				}
			}
			if end < 0 {
				continue
			}
			f, err := parser.ParseFile(token.NewFileSet(), "", "package p\n"+code[t.Pos:end], parser.SkipObjectResolution)
			if err != nil || len(f.Decls) != 1 {
				continue
			}
			fd, ok := f.Decls[0].(*ast.FuncDecl)
			if !ok || fd.Recv != nil {
				continue
			}
			n := fd.Type.Results.NumFields()
			if old, seen := into[fd.Name.Name]; seen && old != n {
				n = -1
			}
			into[fd.Name.Name] = n
		}
	}
}
