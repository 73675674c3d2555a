package source

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"strconv"
	"strings"

	"github.com/lanes-dev/lanes/internal/size"
)

// ChunkKind classifies a run of top-level items of a cell. The interpreter
// evaluates declarations and statements in separate calls, so a cell is cut
// into runs of one kind, evaluated in order.
type ChunkKind int

const (
	KindImport ChunkKind = iota // import declarations
	KindDecl                    // type, func, const
	KindVar                     // var declarations
	KindStmt                    // statements, including short variable declarations
)

// String names the kind: import, decl, var or stmt.
func (k ChunkKind) String() string {
	return [...]string{"import", "decl", "var", "stmt"}[k]
}

// item is one top-level declaration or statement of a cell.
type item struct {
	kind       ChunkKind
	start, end int // byte offsets in the cell source
}

// Chunk is a run of top-level items of the same kind: the bytes
// [Start, End) of the cell.
type Chunk struct {
	Kind       ChunkKind
	Start, End int // byte offsets in the cell source
}

// Text returns the source of c in the cell code.
func (c Chunk) Text(code string) string { return code[c.Start:c.End] }

// Split cuts a cell into chunks of imports, declarations, var
// declarations and statements, in source order. It uses only the scanner,
// so it works on cells that do not parse; the interpreter reports the
// errors.
func Split(src string) []Chunk {
	items := scanItems(src)
	var chunks []Chunk
	for _, it := range items {
		// Each var declaration stays its own chunk so that replay can keep
		// or drop it on its own.
		if n := len(chunks); n > 0 && chunks[n-1].Kind == it.kind && it.kind != KindVar {
			chunks[n-1].End = it.end
			continue
		}
		chunks = append(chunks, Chunk{Kind: it.kind, Start: it.start, End: it.end})
	}
	return chunks
}

// Pad returns the newlines and spaces that put the text at offset off of
// src at the same line and column when evaluated alone.
func Pad(src string, off int) string {
	line := strings.Count(src[:off], "\n")
	col := off - (strings.LastIndexByte(src[:off], '\n') + 1)
	return strings.Repeat("\n", line) + strings.Repeat(" ", col)
}

// scanItems finds the top-level items of src.
func scanItems(src string) []item {
	toks := Scan(src)
	var items []item
	depth := 0
	start := -1
	for i, t := range toks {
		if start < 0 {
			if t.Tok == token.SEMICOLON {
				continue
			}
			start = i
		}
		switch t.Tok {
		case token.LPAREN, token.LBRACK, token.LBRACE:
			depth++
		case token.RPAREN, token.RBRACK, token.RBRACE:
			if depth > 0 {
				depth--
			}
		}
		last := i == len(toks)-1
		if (t.Tok == token.SEMICOLON && depth == 0) || last {
			end := t.Pos
			if t.Tok != token.SEMICOLON {
				end = t.Pos + tokLen(t)
			}
			items = append(items, item{kind: ItemKind(toks[start : i+1]), start: toks[start].Pos, end: end})
			start = -1
		}
	}
	return items
}

func tokLen(t Token) int {
	if t.Lit != "" {
		return len(t.Lit)
	}
	return len(t.Tok.String())
}

// ItemKind tells the kind of one top-level item of a cell (the tokens of
// one statement or declaration, as Scan returns them) by its first tokens.
func ItemKind(ts []Token) ChunkKind {
	switch ts[0].Tok {
	case token.IMPORT:
		return KindImport
	case token.TYPE, token.CONST:
		return KindDecl
	case token.VAR:
		return KindVar
	case token.FUNC:
		if len(ts) > 1 && ts[1].Tok == token.IDENT {
			return KindDecl // func Name(
		}
		if len(ts) > 1 && ts[1].Tok == token.LPAREN {
			// A method has a receiver, then a name, then "(" or "[".
			depth := 0
			for j := 1; j < len(ts); j++ {
				switch ts[j].Tok {
				case token.LPAREN:
					depth++
				case token.RPAREN:
					depth--
				}
				if depth == 0 {
					if j+2 < len(ts) && ts[j+1].Tok == token.IDENT &&
						(ts[j+2].Tok == token.LPAREN || ts[j+2].Tok == token.LBRACK) {
						return KindDecl
					}
					break
				}
			}
		}
	}
	return KindStmt
}

// FinalStmt parses a statement chunk and returns the expression of its
// last statement, when that is an expression statement, with the
// expression's byte range in stmts.
func FinalStmt(stmts string) (x ast.Expr, lo, hi int, ok bool) {
	return parseText(stmts, KindStmt).FinalExpr()
}

// Shown reports whether the user wants to see the value of a final
// expression: not a call to a printing or writing function (those return
// byte counts that no one asked for) or to a builtin without a result.
func Shown(x ast.Expr) bool {
	call, ok := ast.Unparen(x).(*ast.CallExpr)
	if !ok {
		return true
	}
	var name string
	switch fun := ast.Unparen(call.Fun).(type) {
	case *ast.Ident:
		name = fun.Name
		switch name {
		case "print", "println", "panic", "close", "delete", "clear", "copy":
			return false
		}
	case *ast.SelectorExpr:
		name = fun.Sel.Name
	}
	for _, p := range []string{"Print", "Fprint", "Write", "Log", "Output"} {
		if strings.HasPrefix(name, p) {
			return false
		}
	}
	return true
}

// DeclNames returns the names a declaration chunk defines, for replay
// messages and for inspection.
func DeclNames(src string) []string { return parseText(src, KindDecl).DeclNames() }

func recvType(e ast.Expr) string {
	switch t := e.(type) {
	case *ast.StarExpr:
		return recvType(t.X)
	case *ast.IndexExpr:
		return recvType(t.X)
	case *ast.IndexListExpr:
		return recvType(t.X)
	case *ast.ParenExpr:
		return recvType(t.X)
	case *ast.Ident:
		return t.Name
	}
	return "?"
}

// ReplayableVar reports whether a var declaration can be evaluated again
// after a restart without repeating side effects: its initial values call
// nothing but the allocation builtins and conversions of literals.
func ReplayableVar(src string) bool { return parseText(src, KindVar).ReplayableVar() }

// StmtVars returns the names that top-level short variable declarations of
// a statement chunk define.
func StmtVars(stmts string) []string { return parseText(stmts, KindStmt).StmtVars() }

// Magic is one %-command on the first lines of a cell.
type Magic struct {
	Name string `json:"name"` // without the % (or %% of a cell magic)
	Args string `json:"args"` // the rest of the line, trimmed
	Line int    `json:"line"` // 1-based line in the cell
	Cell bool   `json:"cell"` // written with %%: it applies to the whole cell
}

// InSupervisor reports whether the supervisor carries out m: %reset and
// %goroutines stop replace the worker. The worker carries out the others
// (%help, %time, %gomaxprocs, %env, %goroutines), which need its process.
func (m Magic) InSupervisor() bool {
	return m.Name == "reset" || (m.Name == "goroutines" && m.Args == "stop")
}

// MagicHelp documents the magics shared by every front end.
const MagicHelp = `Magics (on the first lines of a cell):
  %help              this text
  %time STATEMENT    run STATEMENT and report its wall and CPU time, then the
                     rest of the cell (IPython's line magic)
  %%time, %time      report the wall and CPU time of the whole cell
  %gomaxprocs N      set runtime.GOMAXPROCS to N (N >= 1) for this session
  %env               list the environment; %env KEY shows one variable
  %env KEY=VALUE     set an environment variable for this session
  %memlimit          show the worker's memory limit; %memlimit 4G sets it,
                     %memlimit off lifts it (a cell over it stops the worker)
  %reset             start a fresh worker: every definition is forgotten
  %goroutines        list the goroutines cells started that are still running
  %goroutines stop   stop them all (a fresh worker; declarations are replayed,
                     variables are lost)
  %%compile [-race] [go build flags]
                     build the cell with the Go toolchain and run it as a
                     program: true timings, the race detector; the session's
                     imports, types, funcs and consts are included, the values
                     of its variables are not
`

var knownMagics = map[string]bool{"help": true, "time": true, "gomaxprocs": true, "env": true, "reset": true, "goroutines": true, "memlimit": true, CompileMagic: true}

// CompileMagic is the name of the %%compile cell magic as ParseMagics
// returns it (its Args are go build flags).
const CompileMagic = "%compile"

// cellMagics are the magics that may also be written with %%.
var cellMagics = map[string]bool{"time": true}

// TimedStatement returns, for a "%time STATEMENT" magic m of a cell whose
// Go code (as ParseMagics returned it) is code, the code to time: blank
// but for the statement, on the magic's own line, so that errors name the
// cell's line. It returns false for a %time or %%time without a
// statement, which times the whole cell.
func TimedStatement(code string, m Magic) (string, bool) {
	if m.Name != "time" || m.Args == "" {
		return "", false
	}
	lines := strings.Split(code, "\n")
	for i := range lines {
		lines[i] = ""
	}
	if m.Line-1 < len(lines) {
		lines[m.Line-1] = m.Args
	}
	return strings.Join(lines, "\n"), true
}

// ParseMagics takes the %-lines off the top of a cell. The returned code has
// those lines blanked, so line numbers are unchanged.
func ParseMagics(src string) ([]Magic, string, error) {
	lines := strings.Split(src, "\n")
	var ms []Magic
	for _, i := range magicLines(lines) {
		t := strings.TrimSpace(lines[i])
		name, args, _ := strings.Cut(t[1:], " ")
		args = strings.TrimSpace(args)
		cell := false
		if n, ok := strings.CutPrefix(name, "%"); ok && cellMagics[n] {
			if args != "" {
				return nil, "", fmt.Errorf("line %d: %%%%%s: a cell magic takes no arguments, got %q (%%%s STATEMENT times one statement)", i+1, n, args, n)
			}
			name, cell = n, true
		}
		if !knownMagics[name] {
			return nil, "", fmt.Errorf("line %d: unknown magic %%%s (%%help lists the magics)", i+1, name)
		}
		if err := checkMagic(name, args); err != nil {
			return nil, "", fmt.Errorf("line %d: %%%s: %w", i+1, name, err)
		}
		ms = append(ms, Magic{Name: name, Args: args, Line: i + 1, Cell: cell})
		lines[i] = ""
	}
	return ms, strings.Join(lines, "\n"), nil
}

// BlankMagics returns the Go code of a cell: src with the %-lines at its
// top blanked, so that line numbers are unchanged, but for the statement
// of a "%time STATEMENT", which stays on its line. Unlike running the
// cell, it does not check the magics.
func BlankMagics(src string) string {
	lines := strings.Split(src, "\n")
	for _, i := range magicLines(lines) {
		if stmt, ok := strings.CutPrefix(strings.TrimSpace(lines[i]), "%time "); ok {
			lines[i] = strings.TrimSpace(stmt)
			continue
		}
		lines[i] = ""
	}
	return strings.Join(lines, "\n")
}

// magicLines returns the indices of the %-lines at the top of a cell
// (blank lines may come between them).
func magicLines(lines []string) []int {
	var idx []int
	for i, l := range lines {
		t := strings.TrimSpace(l)
		if t == "" {
			continue
		}
		if !strings.HasPrefix(t, "%") {
			break
		}
		idx = append(idx, i)
	}
	return idx
}

func checkMagic(name, args string) error {
	switch name {
	case "time": // with a statement, or alone
	case "help", "reset":
		if args != "" {
			return fmt.Errorf("takes no arguments, got %q", args)
		}
	case "goroutines":
		if args != "" && args != "stop" {
			return fmt.Errorf("takes no argument or \"stop\", got %q", args)
		}
	case "gomaxprocs":
		n, err := strconv.Atoi(args)
		if err != nil || n < 1 {
			return fmt.Errorf("want a whole number of processors >= 1, got %q", args)
		}
	case "memlimit":
		if n, err := size.Parse(args); args != "" && !strings.EqualFold(args, "off") && (err != nil || n < 1<<20) {
			return fmt.Errorf("want a size of at least 1M (such as 512M or 4G), or off, got %q", args)
		}
	case "env":
		if k, _, ok := strings.Cut(args, "="); ok && strings.TrimSpace(k) == "" {
			return fmt.Errorf("want KEY=VALUE, got %q", args)
		}
		if strings.ContainsAny(strings.SplitN(args, "=", 2)[0], " \t") {
			return fmt.Errorf("want KEY=VALUE with no spaces in KEY, got %q", args)
		}
	}
	return nil
}

// ImportSpec is one imported package of an import chunk.
type ImportSpec struct {
	Key  string // name and path, to recognise a repeated import
	Text string // the spec as written: [name] "path"
	Off  int    // byte offset in the cell
}

// ImportSpecs lists the packages an import chunk imports.
func ImportSpecs(code string, c Chunk) []ImportSpec {
	src := c.Text(code)
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "", "package p;"+src, parser.ImportsOnly)
	if err != nil {
		return nil
	}
	base := len("package p;")
	var specs []ImportSpec
	for _, s := range f.Imports {
		path, _ := strconv.Unquote(s.Path.Value)
		name := ""
		if s.Name != nil {
			name = s.Name.Name
		}
		lo := fset.Position(s.Pos()).Offset - base
		hi := fset.Position(s.End()).Offset - base
		specs = append(specs, ImportSpec{Key: name + " " + path, Text: src[lo:hi], Off: c.Start + lo})
	}
	return specs
}
