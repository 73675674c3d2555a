package source

import (
	"go/scanner"
	"go/token"
)

// Token is one token of the source.
type Token struct {
	Pos  int // byte offset in the source
	Line int // 1-based line
	Tok  token.Token
	Lit  string // the literal text of identifiers, literals and automatic semicolons ("\n")
}

// Scan returns the tokens of src, with automatic semicolons and without
// comments. Scanning goes on past errors, which are ignored: the caller
// works with whatever tokens there are.
func Scan(src string) []Token {
	fset := token.NewFileSet()
	file := fset.AddFile("cell", -1, len(src))
	var s scanner.Scanner
	s.Init(file, []byte(src), func(token.Position, string) {}, 0)
	var toks []Token
	for {
		pos, t, lit := s.Scan()
		if t == token.EOF {
			return toks
		}
		p := file.PositionFor(pos, false) // a //line comment in a cell changes nothing
		toks = append(toks, Token{Pos: p.Offset, Line: p.Line, Tok: t, Lit: lit})
	}
}
