package engine

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
	"path"
	"reflect"
	"sort"
	"strconv"
	"strings"
)

// prepare returns the source the interpreter evaluates for chunk c of a
// cell: the chunk as written, or rewritten where the interpreter departs
// from Go (see rewriter). rangeInts makes range expressions of unknown
// type count as integers (a retry after the interpreter failed on one).
func (w *worker) prepare(cell int, code string, c chunk, rangeInts bool) string {
	orig := lineDirective(cell, code, c.start) + code[c.start:c.last.end]
	if c.kind == kindImport || !mayRewrite(code[c.start:c.last.end]) {
		return orig
	}
	fset := token.NewFileSet()
	imports := w.importList()
	f, err := parseChunk(fset, cell, code, c, imports)
	if err != nil {
		return orig // the interpreter reports the error
	}
	info, files := w.typeCheck(fset, f)
	r := &rewriter{
		cell: cell, fset: fset, rangeInts: rangeInts,
		info: info, files: files,
		isPkg:  w.isPkg,
		done:   map[ast.Node]bool{},
		labels: map[ast.Stmt]string{}, loopDefers: map[*ast.DeferStmt]bool{},
	}
	var node any
	if c.kind == kindStmt {
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

// rewriteBuiltins are the builtins the rewriter replaces or annotates.
var rewriteBuiltins = map[string]bool{
	"min": true, "max": true, "clear": true, "print": true, "println": true,
	"panic": true, "recover": true,
}

// mayRewrite reports whether the rewriter could change src: every rewrite
// starts at a loop, a go or defer statement, a function literal, a call
// of one of rewriteBuiltins or a method named Go or AfterFunc, a receive
// assigned or returned, or an assignment of several values with a
// composite literal among them. Most cells have none, and are spared parsing
// and type-checking the whole session's declarations (which grows with
// the session: 2.5 ms per cell after 200 declarations).
func mayRewrite(src string) bool {
	toks := scanTokens(src)
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
func multiValueLit(toks []tok) bool {
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

// importList returns the import specs of the session, for type-checking.
func (w *worker) importList() []string {
	w.mu.Lock()
	defer w.mu.Unlock()
	var list []string
	for k := range w.imports {
		name, p, _ := strings.Cut(k, " ")
		list = append(list, strings.TrimSpace(name+" "+strconv.Quote(p)))
	}
	sort.Strings(list)
	return list
}

// isPkg reports whether name is an imported package (or one in scope
// without an import).
func (w *worker) isPkg(name string) bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	if _, def := w.defs[name]; def {
		return false
	}
	if _, def := w.prelude[name]; def {
		return false
	}
	for k := range w.imports {
		n, p, _ := strings.Cut(k, " ")
		if n == name || (n == "" && path.Base(p) == name) {
			return true
		}
	}
	for k := range w.symbols {
		if path.Base(path.Dir(k)) == name {
			return true
		}
	}
	return false
}

// typeCheck type-checks a chunk together with what the session declared
// before. Packages are empty (their members have invalid types) and errors
// are ignored: the types found are those of the cell's own code, which is
// what the rewrite needs.
// It returns the files checked: the chunk's and the prelude's.
func (w *worker) typeCheck(fset *token.FileSet, f *ast.File) (*types.Info, []*ast.File) {
	files := []*ast.File{f}
	if pre := w.preludeSource(); pre != "" {
		if pf, err := parser.ParseFile(fset, "prelude", pre, parser.SkipObjectResolution); err == nil {
			files = append(files, pf)
		}
	}
	return typeCheckFiles(fset, files), files
}

// typeCheckFile type-checks a whole program.
func typeCheckFile(fset *token.FileSet, f *ast.File) *types.Info {
	return typeCheckFiles(fset, []*ast.File{f})
}

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

// preludeSource declares the session's definitions.
func (w *worker) preludeSource() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	if len(w.prelude) == 0 {
		return ""
	}
	var b strings.Builder
	b.WriteString("package p\n")
	for k := range w.imports {
		name, p, _ := strings.Cut(k, " ")
		fmt.Fprintf(&b, "import %s %q\n", name, p)
	}
	seen := map[string]bool{}
	names := make([]string, 0, len(w.prelude))
	for n := range w.prelude {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		if src := w.prelude[n]; !seen[src] {
			seen[src] = true
			b.WriteString(src + "\n")
		}
	}
	return b.String()
}

// learn records the declarations of an evaluated chunk for the prelude;
// variables defined by statements are declared with the type the
// interpreter gave them, when Go can spell it.
func (w *worker) learn(src string, c chunk, names []string) {
	switch c.kind {
	case kindDecl, kindVar:
		w.mu.Lock()
		for _, n := range names {
			w.prelude[n] = src
		}
		w.mu.Unlock()
	case kindStmt:
		if len(names) == 0 {
			return
		}
		globals := w.ip.Globals()
		w.mu.Lock()
		defer w.mu.Unlock()
		for _, n := range names {
			v, ok := globals[n]
			if !ok || !v.IsValid() {
				continue
			}
			if t := goTypeString(v.Type()); t != "" {
				w.prelude[n] = "var " + n + " " + t
			}
		}
	}
}

// goTypeString spells a reflect type as Go source, or returns "" when the
// interpreter's type has no Go spelling.
func goTypeString(t reflect.Type) string {
	s := t.String()
	if strings.Contains(s, "interp.") || strings.Contains(s, "struct {") || strings.Contains(s, "interface {") {
		return ""
	}
	s = strings.ReplaceAll(s, "main.", "")
	if _, err := parser.ParseExpr(s); err != nil {
		return ""
	}
	return s
}
