package rewrite

import (
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
	"path"
	"strings"
	"sync"

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
	if c.Kind == source.KindImport || !(MayRewrite(c.Text(code)) || callsGeneric(c.Text(code), s) || callsStdVariadic(c.Text(code), s) || callsFmtPrint(c.Text(code), s) || callsErrorsAs(c.Text(code), s) || c.Kind == source.KindStmt && nestedDecl(c.Text(code))) {
		return orig
	}
	fset := token.NewFileSet()
	imports := s.ImportSpecs()
	files, err := chunkFiles(fset, cell, code, c, s, imports)
	if err != nil {
		return orig // the interpreter reports the error
	}
	f := files[0]
	info, pkg := typeCheckFiles(fset, files, importerOf(s), nil)
	r := newRewriter(cell, fset, info, files, s.IsPackage)
	r.rangeInts = rangeInts
	members, _ := s.(Members)
	var node any
	if c.Kind == source.KindStmt {
		body := f.Decls[len(f.Decls)-1].(*ast.FuncDecl).Body
		r.changed = r.rangeFuncs(body, pkg, members)
		r.methodExprs(body)
		r.markCellDefers(body)
		r.renameNested(body)
		for _, st := range body.List {
			r.topGenericValues(st)
		}
		r.rewrite(body)
		r.inFuncs(body.List)
		if scopeInits(body.List) {
			r.changed = true
		}
		if list, ok := r.topRecvOK(body.List); ok {
			body.List, r.changed = list, true
		}
		node = body.List
	} else {
		decls := f.Decls[len(imports):]
		for _, d := range decls {
			if c.Kind == source.KindVar {
				r.topGenericValues(d)
			}
			r.changed = r.rangeFuncs(d, pkg, members) || r.changed
			r.methodExprs(d)
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
func Program(fset *token.FileSet, cell int, f *ast.File, m Members) (string, bool) {
	info, pkg := typeCheckFiles(fset, []*ast.File{f}, importerOf(m), nil)
	r := newRewriter(cell, fset, info, []*ast.File{f},
		func(name string) bool { return fileImports(f, name) })
	r.changed = r.rangeFuncs(f, pkg, m)
	for _, d := range f.Decls {
		r.methodExprs(d)
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
	var aliases map[string]string
	if len(files) > 0 {
		aliases = importAliases(files[0])
	}
	return &rewriter{
		cell: cell, fset: fset, info: info, files: files, isPkg: isPkg, aliases: aliases,
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
// assigned or returned, an assignment to the blank identifier, or an
// assignment of several values with a composite literal among them. Most cells have none, and are spared parsing
// and type-checking the whole session's declarations (which grows with
// the session: 2.5 ms per cell after 200 declarations).
func MayRewrite(src string) bool {
	toks := source.Scan(src)
	for i, t := range toks {
		if isMethodExprToken(toks, i) {
			return true // see rewriter.methodExprs
		}
		switch t.Tok {
		case token.FOR, token.RANGE, token.GO, token.DEFER, token.FUNC:
			return true
		case token.IF, token.SWITCH:
			if hasInit(toks[i+1:]) {
				return true // see scopeInits
			}
		case token.STRING:
			if strings.Contains(t.Lit, "T") && strings.Contains(t.Lit, "%") {
				return true // a %T verb, maybe: see rewriter.typeVerbs
			}
		case token.IDENT:
			if rewriteBuiltins[t.Lit] {
				return true
			}
			// _ = 8 * 5: see rewriter.blankConsts.
			if t.Lit == "_" && i+1 < len(toks) && toks[i+1].Tok == token.ASSIGN {
				return true
			}
			// x.Go(…, f) and x.AfterFunc(…, f) run f in a goroutine:
			// the rewriter guards it.
			if (t.Lit == "Go" || t.Lit == "AfterFunc") && i > 0 && toks[i-1].Tok == token.PERIOD {
				return true
			}
		case token.COMMA:
			// v, ok := x.(T) and v, ok := m[k]: see rewriter.topRecvOK.
			if i+3 < len(toks) && toks[i+1].Tok == token.IDENT && toks[i+2].Tok == token.DEFINE {
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

// Generics is what a Session may also tell: whether name is a generic
// func the session declared. A cell that calls one is rewritten even with
// nothing else to rewrite, so that the type arguments are written out
// (see rewriter.typeArgs): the interpreter infers none from variadic
// arguments (Sum(1, 2, 3) failed with "undefined type for T").
// Likewise a method expression of a session type (T.M) is rewritten (see
// rewriter.methodExprs).
type Generics interface {
	IsGenericFunc(name string) bool
	IsType(name string) bool
	// IsGenericPackage reports whether name denotes a package whose
	// funcs are all generic and interpreted (slices, maps, cmp).
	IsGenericPackage(name string) bool
}

// callsGeneric reports whether src calls a generic func of the session,
// names a method of one of its types (T.M), or defines a variable at its
// top level from a call of a generic package (b := slices.Clone(bs): see
// topGenericValues).
func callsGeneric(src string, s Session) bool {
	g, ok := s.(Generics)
	if !ok {
		return false
	}
	toks := source.Scan(src)
	for i, t := range toks {
		if t.Tok != token.IDENT || i+1 == len(toks) || (i > 0 && toks[i-1].Tok == token.PERIOD) {
			continue
		}
		switch toks[i+1].Tok {
		case token.LPAREN, token.LBRACK:
			if g.IsGenericFunc(t.Lit) {
				return true
			}
		case token.PERIOD:
			if g.IsType(t.Lit) || g.IsGenericPackage(t.Lit) && defines(toks) {
				return true
			}
		}
	}
	return false
}

// defines reports whether toks define a variable: := or var.
func defines(toks []source.Token) bool {
	for _, t := range toks {
		if t.Tok == token.DEFINE || t.Tok == token.VAR {
			return true
		}
	}
	return false
}

// hasInit reports whether the if or switch statement whose tokens follow
// has an init statement: a semicolon written before its block.
func hasInit(toks []source.Token) bool {
	for _, t := range toks {
		switch {
		case t.Tok == token.LBRACE:
			return false
		case t.Tok == token.SEMICOLON && t.Lit == ";":
			return true
		}
	}
	return false
}

// scopeInits puts each statement of a cell's top level that declares
// variables in an init clause (for i := 0; ...; if v := f(); ...;
// switch x := g(); ...) in a block of its own: the interpreter makes
// those variables the session's, where Go scopes them to the statement
// (a loop's i was still defined, at its last value, in later cells). It
// reports whether it wrapped any.
func scopeInits(list []ast.Stmt) bool {
	changed := false
	for i, s := range list {
		inner := s
		if l, ok := s.(*ast.LabeledStmt); ok {
			inner = l.Stmt
		}
		var init ast.Stmt
		switch x := inner.(type) {
		case *ast.ForStmt:
			init = x.Init
		case *ast.IfStmt:
			init = x.Init
		case *ast.SwitchStmt:
			init = x.Init
		case *ast.TypeSwitchStmt:
			init = x.Init
		}
		if a, ok := init.(*ast.AssignStmt); ok && a.Tok == token.DEFINE {
			list[i] = &ast.BlockStmt{Lbrace: s.Pos(), List: []ast.Stmt{s}, Rbrace: s.End()}
			changed = true
		}
	}
	return changed
}

// topRecvOK rewrites each comma-ok assignment that defines variables at a
// cell's top level ("v, ok := <-ch", "v, ok := x.(T)", "v, ok := m[k]"),
// which the interpreter fails on ("nil type") when it defines session
// variables, into declarations and an assignment, which it runs:
//
//	var v T
//	var ok bool
//	v, ok = <-ch
//
// T is the channel's or the map's element type, or the asserted type; a
// receive or an index of unknown type is left alone. It returns the new
// list and whether it changed.
func (r *rewriter) topRecvOK(list []ast.Stmt) ([]ast.Stmt, bool) {
	var out []ast.Stmt
	changed := false
	for _, s := range list {
		a, ok := s.(*ast.AssignStmt)
		var elem ast.Expr
		if ok && a.Tok == token.DEFINE && len(a.Lhs) == 2 && len(a.Rhs) == 1 {
			elem = r.commaOKType(a.Rhs[0])
		}
		if elem == nil {
			out = append(out, s)
			continue
		}
		// v := *new(T) rather than var v T: a chunk of statements may not
		// start with a declaration.
		for i, l := range a.Lhs {
			if id, ok := l.(*ast.Ident); ok && id.Name != "_" {
				zero := ast.Expr(ident("false"))
				if i == 0 {
					zero = &ast.StarExpr{Star: a.Pos(), X: &ast.CallExpr{Fun: ident("new"), Args: []ast.Expr{elem}}}
				}
				out = append(out, &ast.AssignStmt{Lhs: []ast.Expr{ident(id.Name)}, TokPos: a.Pos(), Tok: token.DEFINE, Rhs: []ast.Expr{zero}})
			}
		}
		a.Tok = token.ASSIGN
		out = append(out, a)
		changed = true
	}
	return out, changed
}

// commaOKType returns the type of the first value of the comma-ok
// expression e, or nil when e is none or its type is unknown.
func (r *rewriter) commaOKType(e ast.Expr) ast.Expr {
	var t types.Type
	switch x := ast.Unparen(e).(type) {
	case *ast.TypeAssertExpr:
		return x.Type // nil for .(type), which is no comma-ok
	case *ast.UnaryExpr:
		if x.Op != token.ARROW || r.info == nil {
			return nil
		}
		if ct := r.info.TypeOf(x.X); ct != nil {
			if ch, ok := ct.Underlying().(*types.Chan); ok {
				t = ch.Elem()
			}
		}
	case *ast.IndexExpr:
		if r.info == nil {
			return nil
		}
		if mt := r.info.TypeOf(x.X); mt != nil {
			if m, ok := mt.Underlying().(*types.Map); ok {
				t = m.Elem()
			}
		}
	}
	if t == nil || containsInvalid(t) {
		return nil
	}
	typ, err := parser.ParseExpr(r.typeString(t))
	if err != nil {
		return nil
	}
	return typ
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

// chunkFiles parses chunk c of a cell after the given imports, and the
// session's prelude after it when it parses: the files a chunk is
// type-checked as (the chunk first).
func chunkFiles(fset *token.FileSet, cell int, code string, c source.Chunk, s Session, imports []string) ([]*ast.File, error) {
	f, err := source.ParseChunk(fset, cell, code, c, imports)
	if err != nil {
		return nil, err
	}
	files := []*ast.File{f}
	if pre := s.Prelude(); pre != "" {
		if pf, err := parser.ParseFile(fset, "prelude", pre, parser.SkipObjectResolution); err == nil {
			files = append(files, pf)
		}
	}
	return files, nil
}

// typeCheckFiles type-checks files as one package. The types found are
// those of the cell's code and of the members of packages it uses, where
// the importer knows them, which is what the rewrite needs; errors go to
// onErr (nil: they are ignored).
//
// imp imports the packages (nil: every package is empty).
func typeCheckFiles(fset *token.FileSet, files []*ast.File, imp types.Importer, onErr func(types.Error)) (*types.Info, *types.Package) {
	if imp == nil {
		imp = emptyImporter{}
	}
	info := &types.Info{
		Types: map[ast.Expr]types.TypeAndValue{},
		Uses:  map[*ast.Ident]types.Object{},
		Defs:  map[*ast.Ident]types.Object{},

		Selections: map[*ast.SelectorExpr]*types.Selection{},
		Instances:  map[*ast.Ident]types.Instance{},
	}
	conf := types.Config{
		Importer: imp,
		Error: func(err error) {
			if te, ok := err.(types.Error); ok && onErr != nil {
				onErr(te)
			}
		},
	}
	var pkg *types.Package
	func() {
		defer func() { recover() }() // a checker failure only loses types
		pkg, _ = conf.Check(sessionPkg, fset, files, info)
	}()
	return info, pkg
}

// sessionPkg is the path of the package the session's cells are
// type-checked as; typeString leaves its names unqualified.
const sessionPkg = "p"

type emptyImporter struct{}

// iterPkg is package iter as the type checker sees it: its two generic
// types, so that a session's iter.Seq[int] has a type (a range over it is
// a range over a function). It is built once and never changed.
var iterPkg = sync.OnceValue(func() *types.Package {
	const src = "package iter\ntype Seq[V any] func(yield func(V) bool)\ntype Seq2[K, V any] func(yield func(K, V) bool)\n"
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "iter.go", src, 0)
	if err != nil {
		panic(err) // the constant above does not parse: a bug of this package
	}
	pkg, err := (&types.Config{}).Check("iter", fset, []*ast.File{f}, nil)
	if err != nil {
		panic(err)
	}
	return pkg
})

// Import returns an empty, complete package for path p.
func (emptyImporter) Import(p string) (*types.Package, error) {
	if p == "iter" {
		return iterPkg(), nil
	}
	pkg := types.NewPackage(p, path.Base(p))
	pkg.MarkComplete()
	return pkg, nil
}
