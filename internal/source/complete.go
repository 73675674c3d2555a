package source

import (
	"go/parser"
	"go/token"
	"strings"
)

// IsComplete decides whether code can be run as it is: "incomplete" while a
// block, call or string is still open, with the indentation of the next
// line; "invalid" for a syntax error that more lines cannot fix.
func IsComplete(code string) (status, indent string) {
	_, rest, err := ParseMagics(code)
	if err != nil {
		return "invalid", ""
	}
	if strings.TrimSpace(rest) == "" {
		return "complete", ""
	}
	depth := 0
	toks := Scan(rest)
	for _, t := range toks {
		switch t.Tok {
		case token.LPAREN, token.LBRACK, token.LBRACE:
			depth++
		case token.RPAREN, token.RBRACK, token.RBRACE:
			depth--
		}
	}
	if strings.Count(rest, "`")%2 == 1 || depth > 0 {
		lastLine := rest[strings.LastIndexByte(rest, '\n')+1:]
		lead := lastLine[:len(lastLine)-len(strings.TrimLeft(lastLine, " \t"))]
		if t := strings.TrimSpace(lastLine); strings.HasSuffix(t, "{") || strings.HasSuffix(t, "(") || strings.HasSuffix(t, "[") {
			lead += "    "
		}
		return "incomplete", lead
	}
	if depth < 0 {
		return "invalid", ""
	}
	// A label on its own (loop:) waits for the statement it labels.
	if n := len(toks); n >= 2 && toks[n-1].Tok == token.COLON && toks[n-2].Tok == token.IDENT &&
		(n == 2 || toks[n-3].Tok == token.SEMICOLON) {
		return "incomplete", ""
	}
	// Balanced: does it parse as declarations and statements?
	for _, c := range Split(rest) {
		src := rest[c.Start:c.End]
		var err error
		if c.Kind == KindStmt {
			_, err = parser.ParseFile(token.NewFileSet(), "", "package p;func _(){\n"+src+"\n}", 0)
		} else {
			_, err = parser.ParseFile(token.NewFileSet(), "", "package p\n"+src, 0)
		}
		if err != nil {
			if strings.Contains(err.Error(), "EOF") {
				return "incomplete", ""
			}
			return "invalid", ""
		}
	}
	return "complete", ""
}
