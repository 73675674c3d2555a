package source

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"strings"
)

// FirstToken returns the first token of src and its offset.
func FirstToken(src string) (token.Token, int) {
	toks := Scan(src)
	if len(toks) == 0 {
		return token.EOF, 0
	}
	return toks[0].Tok, toks[0].Pos
}

// Program reports whether a cell is a whole program: a package clause and
// a func main. It returns the parsed file.
func Program(code string) (*ast.File, bool) {
	if t, _ := FirstToken(code); t != token.PACKAGE {
		return nil, false
	}
	f, err := parser.ParseFile(token.NewFileSet(), "", code, parser.SkipObjectResolution)
	if err != nil {
		return nil, false
	}
	for _, d := range f.Decls {
		if fd, ok := d.(*ast.FuncDecl); ok && fd.Recv == nil && fd.Name.Name == "main" {
			return f, true
		}
	}
	return nil, false
}

// BlankPackage removes a package clause from the top of a cell (a program
// split into cells): the session is the package.
func BlankPackage(code string) string {
	toks := Scan(code)
	if len(toks) < 2 || toks[0].Tok != token.PACKAGE || toks[1].Tok != token.IDENT {
		return code
	}
	end := toks[1].Pos + len(toks[1].Lit)
	return code[:toks[0].Pos] + strings.Repeat(" ", end-toks[0].Pos) + code[end:]
}

// RenameMain renames a top-level "func main" of a cell to MainName; every
// other line keeps its offsets.
func RenameMain(code string) (string, bool) {
	toks := Scan(code)
	depth := 0
	for i, t := range toks {
		switch t.Tok {
		case token.LBRACE, token.LPAREN, token.LBRACK:
			depth++
		case token.RBRACE, token.RPAREN, token.RBRACK:
			depth--
		case token.FUNC:
			if depth == 0 && i+2 < len(toks) && toks[i+1].Tok == token.IDENT && toks[i+1].Lit == "main" && toks[i+2].Tok == token.LPAREN {
				at := toks[i+1].Pos
				return code[:at] + MainName + code[at+len("main"):], true
			}
		}
	}
	return code, false
}

// LineDirective returns the comment that makes the interpreter report
// positions after it as "cellN:line:col", where line and col are those of
// offset off in src.
func LineDirective(cell int, src string, off int) string {
	line := strings.Count(src[:off], "\n") + 1
	col := off - (strings.LastIndexByte(src[:off], '\n') + 1) + 1
	return fmt.Sprintf("/*line cell%d:%d:%d*/", cell, line, col)
}

// OffsetOf converts a line and column of code (both from 1) to a byte
// offset.
func OffsetOf(code string, line, col int) int {
	off := 0
	for l := 1; l < line; l++ {
		i := strings.IndexByte(code[off:], '\n')
		if i < 0 {
			return len(code)
		}
		off += i + 1
	}
	return min(off+col-1, len(code))
}

// FileName is the file name positions in cell n are reported under
// ("cell3:2:7").
func FileName(cell int) string { return fmt.Sprintf("cell%d", cell) }

// ParseChunk parses the source of a chunk at its position in the cell,
// after the given import specs: fset.Position of a node is its line and
// column in the cell. Statements are parsed as the body of a function.
func ParseChunk(fset *token.FileSet, cell int, code string, c Chunk, imports []string) (*ast.File, error) {
	var b strings.Builder
	b.WriteString("package p;")
	for _, im := range imports {
		b.WriteString("import " + im + ";")
	}
	if c.Kind == KindStmt {
		b.WriteString("func _(){")
	}
	// Positions after the wrapper are the cell's, columns of its first
	// line included.
	fmt.Fprintf(&b, "/*line %s:1:1*/", FileName(cell))
	b.WriteString(Pad(code, c.Start))
	b.WriteString(c.Text(code))
	if c.Kind == KindStmt {
		b.WriteString("\n}")
	}
	return parser.ParseFile(fset, FileName(cell), b.String(), parser.SkipObjectResolution)
}
