package rewrite

import (
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
	"path"
	"strings"

	"github.com/lanes-dev/lanes/internal/source"
)

// Session is what a rewrite needs to know of the session a chunk runs in.
// Its methods are called only for chunks that may need rewriting.
type Session interface {
	// ImportSpecs returns the session's import specs ([name] "path"),
	// sorted.
	ImportSpecs() []string
	// Prelude returns Go source (a file of package p) that declares what
	// the session defined, or "".
	Prelude() string
	// IsPackage reports whether name is an imported package (or one in
	// scope without an import).
	IsPackage(name string) bool
}

// Chunk returns the source the interpreter evaluates for chunk c of a
// cell: the chunk as written, or rewritten where the interpreter departs
// from Go (see rewriter). rangeInts makes range expressions of unknown
// type count as integers (a retry after the interpreter failed on one).
func Chunk(cell int, code string, c source.Chunk, s Session, rangeInts bool) string {
	orig := source.LineDirective(cell, code, c.Start) + c.Text(code)
	if c.Kind == source.KindImport || !MayRewrite(c.Text(code)) {
		return orig
	}
	fset := token.NewFileSet()
	imports := s.ImportSpecs()
	f, err := source.ParseChunk(fset, cell, code, c, imports)
	if err != nil {
		return orig // the interpreter reports the error
	}
	files := []*ast.File{f}
	if pre := s.Prelude(); pre != "" {
		if pf, err := parser.ParseFile(fset, "prelude", pre, parser.SkipObjectResolution); err == nil {
			files = append(files, pf)
		}
	}
	r := newRewriter(cell, fset, typeCheckFiles(fset, files), files, s.IsPackage)
	r.rangeInts = rangeInts
	var node any
	if c.Kind == source.KindStmt {
		body := f.Decls[len(f.Decls)-1].(*ast.FuncDecl).Body
		r.rewrite(body)
		node = body.List
	} else {
		decls := f.Decls[len(imports):]
		for _, d := range decls {
			r.rewrite(d)
		}
		node = decls
	}
	if !r.changed {
		return orig
	}
	src, err := printNode(fset, node)
	if err != nil {
		return orig
	}
	return src
}

// Program rewrites a whole program (a cell with package main and func
// main), parsed into f with fset. It returns the source to evaluate, or
// false when nothing needed a rewrite.
func Program(fset *token.FileSet, cell int, f *ast.File) (string, bool) {
	r := newRewriter(cell, fset, typeCheckFiles(fset, []*ast.File{f}), []*ast.File{f},
		func(name string) bool { return fileImports(f, name) })
	for _, d := range f.Decls {
		r.rewrite(d)
	}
	if !r.changed {
		return "", false
	}
	s, err := printNode(fset, f)
	if err != nil {
		return "", false
	}
	return s, true
}

func newRewriter(cell int, fset *token.FileSet, info *types.Info, files []*ast.File, isPkg func(string) bool) *rewriter {
	return &rewriter{
		cell: cell, fset: fset, info: info, files: files, isPkg: isPkg,
		done:   map[ast.Node]bool{},
		labels: map[ast.Stmt]string{}, loopDefers: map[*ast.DeferStmt]bool{},
	}
}

// fileImports reports whether f imports a package under name.
func fileImports(f *ast.File, name string) bool {
	for _, im := range f.Imports {
		p := strings.Trim(im.Path.Value, `"`)
		if (im.Name != nil && im.Name.Name == name) || (im.Name == nil && p[strings.LastIndexByte(p, '/')+1:] == name) {
			return true
		}
	}
	return false
}

// rewriteBuiltins are the builtins the rewriter replaces or annotates.
var rewriteBuiltins = map[string]bool{
	"min": true, "max": true, "clear": true, "print": true, "println": true,
	"panic": true, "recover": true,
}

// MayRewrite reports whether the rewriter could change src: every rewrite
// starts at a loop, a go or defer statement, a function literal, a call
// of one of rewriteBuiltins or a method named Go or AfterFunc, a receive
// assigned or returned, or an assignment of several values with a
// composite literal among them. Most cells have none, and are spared parsing
// and type-checking the whole session's declarations (which grows with
// the session: 2.5 ms per cell after 200 declarations).
func MayRewrite(src string) bool {
	toks := source.Scan(src)
	for i, t := range toks {
		switch t.Tok {
		case token.FOR, token.RANGE, token.GO, token.DEFER, token.FUNC:
			return true
		case token.IDENT:
			if rewriteBuiltins[t.Lit] {
				return true
			}
			// x.Go(…, f) and x.AfterFunc(…, f) run f in a goroutine:
			// the rewriter guards it.
			if (t.Lit == "Go" || t.Lit == "AfterFunc") && i > 0 && toks[i-1].Tok == token.PERIOD {
				return true
			}
		case token.ARROW:
			// v := <-ch and return <-ch: see rewriter.parenRecv.
			if i > 0 && (toks[i-1].Tok == token.DEFINE || toks[i-1].Tok == token.ASSIGN || toks[i-1].Tok == token.RETURN) {
				return true
			}
		}
	}
	return multiValueLit(toks)
}

// multiValueLit reports whether a statement of toks assigns several
// values, one of them a composite literal (see rewriter.litValues): a
// comma and a brace after its = or :=.
func multiValueLit(toks []source.Token) bool {
	assigned, comma, brace := false, false, false
	depth := 0
	for _, t := range toks {
		switch t.Tok {
		case token.SEMICOLON:
			if depth == 0 {
				assigned, comma, brace = false, false, false
			}
		case token.DEFINE, token.ASSIGN:
			assigned, comma, brace = true, false, false
		case token.COMMA:
			comma = comma || assigned
		case token.LBRACE:
			brace = brace || assigned
			depth++
		case token.RBRACE:
			depth--
		}
		if assigned && comma && brace {
			return true
		}
	}
	return false
}

// typeCheckFiles type-checks files as one package. Packages are empty
// (their members have invalid types) and errors are ignored: the types
// found are those of the cell's own code, which is what the rewrite needs.
func typeCheckFiles(fset *token.FileSet, files []*ast.File) *types.Info {
	info := &types.Info{
		Types: map[ast.Expr]types.TypeAndValue{},
		Uses:  map[*ast.Ident]types.Object{},
		Defs:  map[*ast.Ident]types.Object{},

		Selections: map[*ast.SelectorExpr]*types.Selection{},
		Instances:  map[*ast.Ident]types.Instance{},
	}
	conf := types.Config{
		Importer: emptyImporter{},
		Error:    func(error) {},
	}
	func() {
		defer func() { recover() }() // a checker failure only loses types
		conf.Check(sessionPkg, fset, files, info)
	}()
	return info
}

// sessionPkg is the path of the package the session's cells are
// type-checked as; typeString leaves its names unqualified.
const sessionPkg = "p"

type emptyImporter struct{}

func (emptyImporter) Import(p string) (*types.Package, error) {
	pkg := types.NewPackage(p, path.Base(p))
	pkg.MarkComplete()
	return pkg, nil
}
