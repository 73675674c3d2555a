package compiled

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"maps"
	"path"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/lanes-dev/lanes/internal/source"
)

// Import paths inside the temporary module.
const (
	modulePath  = "github.com/lanes-dev/lanes"
	runtimePath = modulePath + "/runtime"
	sinkPath    = modulePath + "/internal/compiled/childsink"
	// cellsPkg is the folder of the cell's package main.
	cellsPkg = "cell"
	// sinkName is what the cell's main file calls package childsink.
	sinkName = "lanes_sink_"
)

// file is one generated file of the cell's package main.
type file struct {
	name string
	src  string
}

// program is a cell turned into the files of a package main.
type program struct {
	files []file
	// shown is the cell-relative line of the final expression whose
	// value the program displays, 0 if none.
	shown int
}

// item is one top-level statement or declaration of a cell's source.
type item struct {
	kind       source.ChunkKind
	start, end int // byte offsets in the source
	line, col  int // position of start (1-based)
	toks       []source.Token
}

func (it item) text(src string) string { return src[it.start:it.end] }

// tokEnd returns the offset just after t.
func tokEnd(t source.Token) int {
	if t.Lit != "" && t.Tok != token.SEMICOLON {
		return t.Pos + len(t.Lit)
	}
	return t.Pos + len(t.Tok.String())
}

// split cuts src into its top-level items, at the semicolons (written or
// automatic) outside brackets.
func split(src string) []item {
	toks := source.Scan(src)
	var items []item
	depth, first := 0, 0
	flush := func(j int) {
		if j > first {
			ts := toks[first:j]
			it := item{start: ts[0].Pos, end: tokEnd(ts[len(ts)-1]), line: ts[0].Line, toks: ts}
			it.col = it.start - strings.LastIndexByte(src[:it.start], '\n')
			it.kind = source.ItemKind(ts)
			items = append(items, it)
		}
		first = j + 1
	}
	for j, t := range toks {
		switch t.Tok {
		case token.LPAREN, token.LBRACK, token.LBRACE:
			depth++
		case token.RPAREN, token.RBRACK, token.RBRACE:
			depth--
		case token.SEMICOLON:
			if depth == 0 {
				flush(j)
			}
		}
	}
	flush(len(toks))
	return items
}

// blank returns src with every byte outside the kept items (in source
// order) turned into a space, newlines kept, so that what remains keeps its lines and columns.
func blank(src string, keep []item) string {
	b := []byte(src)
	last := 0
	clear := func(from, to int) {
		for i := from; i < to; i++ {
			if b[i] != '\n' {
				b[i] = ' '
			}
		}
	}
	for _, it := range keep {
		clear(last, it.start)
		last = it.end
	}
	clear(last, len(b))
	return string(b)
}

// rewriteImports points imports of "lanes" at the runtime's real path in
// the temporary module. Only the string literal changes, so lines keep
// their numbers.
func rewriteImports(src string, items []item) string {
	var out strings.Builder
	last := 0
	for _, it := range items {
		if it.kind != source.KindImport {
			continue
		}
		for _, t := range it.toks {
			if t.Tok == token.STRING && (t.Lit == `"lanes"` || t.Lit == "`lanes`") {
				out.WriteString(src[last:t.Pos])
				out.WriteString(strconv.Quote(runtimePath))
				last = t.Pos + len(t.Lit)
			}
		}
	}
	out.WriteString(src[last:])
	return out.String()
}

// prepare rewrites the imports of src and splits the result into items.
func prepare(src string) (string, []item) {
	src = rewriteImports(src, split(src))
	return src, split(src)
}

// importSpec is one import of the session: the name it binds and its path.
type importSpec struct{ name, path string }

// imports returns the named imports of an import declaration (paths as
// rewritten by rewriteImports).
func imports(text string) []importSpec {
	f, err := parser.ParseFile(token.NewFileSet(), "", "package p\n"+text, parser.ImportsOnly)
	if err != nil {
		return nil
	}
	var out []importSpec
	for _, s := range f.Imports {
		p, err := strconv.Unquote(s.Path.Value)
		if err != nil {
			continue
		}
		if p == "lanes" {
			p = runtimePath
		}
		name := defaultName(p)
		if s.Name != nil {
			name = s.Name.Name
		}
		if name == "_" || name == "." {
			continue // nothing to find uses of
		}
		out = append(out, importSpec{name, p})
	}
	return out
}

// defaultName is the package name an import path binds when the import
// does not name it: the last element, or the one before a major version.
func defaultName(p string) string {
	if p == runtimePath {
		return "lanes"
	}
	base := path.Base(p)
	if len(base) > 1 && base[0] == 'v' && strings.Trim(base[1:], "0123456789") == "" && path.Dir(p) != "." {
		return path.Base(path.Dir(p))
	}
	return base
}

// selectorBases returns the identifiers written before a dot (pkg.Name):
// the packages a piece of source may use.
func selectorBases(ts []source.Token, into map[string]bool) {
	for i, t := range ts {
		if t.Tok == token.IDENT && i+1 < len(ts) && ts[i+1].Tok == token.PERIOD && (i == 0 || ts[i-1].Tok != token.PERIOD) {
			into[t.Lit] = true
		}
	}
}

// idents adds every identifier of ts to into.
func idents(ts []source.Token, into map[string]bool) {
	for _, t := range ts {
		if t.Tok == token.IDENT {
			into[t.Lit] = true
		}
	}
}

// declared returns the names a declaration item declares and, for a
// method, its receiver's base type (names is then "Type.Method", which
// no identifier matches).
func declared(text string) (names []string, recv string) {
	f, err := parser.ParseFile(token.NewFileSet(), "", "package p\n"+text, parser.SkipObjectResolution)
	if err != nil {
		return nil, ""
	}
	names = source.FileDeclNames(f)
	for _, n := range names {
		if t, _, method := strings.Cut(n, "."); method {
			recv = t
		}
	}
	return names, recv
}

// sessionItem is a declaration of an earlier cell.
type sessionItem struct {
	decl  int // index in Cell.Decls
	item  item
	names []string
	recv  string
}

// generate turns a cell into the files of a package main. With show, a
// final expression's value is displayed.
func generate(c Cell, show bool) (*program, error) {
	src, items := prepare(c.Source)
	sink := file{name: "zz_lanes_sink.go", src: "package main\n\nimport _ \"" + sinkPath + "\"\n"}
	if len(items) > 0 && items[0].toks[0].Tok == token.PACKAGE {
		// A whole program, as it is.
		if len(items[0].toks) < 2 || items[0].toks[1].Lit != "main" {
			return nil, &BuildError{Cell: c.Number, Message: fmt.Sprintf("cell %d, line %d: a compiled program must be package main", c.Number, items[0].line)}
		}
		return &program{files: []file{{name: "main.go", src: lineDirective(c.Number, 1) + src}, sink}}, nil
	}
	sh := shapeOf(src, items)
	if sh.hasMain {
		for _, it := range items[sh.firstStmt:] {
			if it.kind == source.KindStmt {
				return nil, &BuildError{Cell: c.Number, Message: fmt.Sprintf("cell %d, line %d: a cell that declares func main holds declarations only; this is a statement", c.Number, it.line)}
			}
		}
	}
	idx := indexSession(c.Decls)
	var p program
	p.files = idx.files(c.Decls, idx.reach(sh.used, sh.cellNames))
	p.files = append(p.files, sh.mainFile(c, src, items, idx.importOf, show, &p), sink)
	return &p, nil
}

// cellShape is what generate needs to know of a cell's items.
type cellShape struct {
	firstStmt int             // index of the first statement, len(items) if none
	cellNames map[string]bool // declared at package level by the cell
	own       map[string]bool // names the cell's own imports give
	hasMain   bool            // the cell declares func main
	used      map[string]bool // every identifier of the cell
	bases     map[string]bool // the X of the cell's selectors X.Sel: the packages it may name
}

func shapeOf(src string, items []item) *cellShape {
	sh := &cellShape{firstStmt: len(items), cellNames: map[string]bool{}, own: map[string]bool{}, used: map[string]bool{}, bases: map[string]bool{}}
	for i, it := range items {
		if it.kind == source.KindStmt {
			sh.firstStmt = i
			break
		}
	}
	for i, it := range items {
		idents(it.toks, sh.used)
		selectorBases(it.toks, sh.bases)
		switch {
		case it.kind == source.KindImport:
			for _, s := range imports(it.text(src)) {
				sh.own[s.name] = true
			}
		case sh.pkgLevel(i, it):
			names, _ := declared(it.text(src))
			for _, n := range names {
				sh.cellNames[n] = true
				sh.hasMain = sh.hasMain || n == "main" && it.kind == source.KindDecl
			}
		}
	}
	return sh
}

// pkgLevel reports whether the cell's item i stays at package level: its
// imports, types, consts, funcs, and the vars before its first statement.
func (sh *cellShape) pkgLevel(i int, it item) bool {
	return it.kind == source.KindImport || it.kind == source.KindDecl || it.kind == source.KindVar && i < sh.firstStmt
}

// mainFile is main.go: the cell's package-level items, then its
// statements as func main (a final expression shown when show is set, its
// line noted in p).
func (sh *cellShape) mainFile(c Cell, src string, items []item, importOf map[string]string, show bool, p *program) file {
	var keep, stmts []item
	for i, it := range items {
		if sh.pkgLevel(i, it) {
			keep = append(keep, it)
		} else {
			stmts = append(stmts, it)
		}
	}
	decls, body := blank(src, keep), blank(src, stmts)
	extra := map[string]string{}
	if show && len(stmts) > 0 {
		last := stmts[len(stmts)-1]
		if isValueExpr(last.text(src)) {
			body = body[:last.start] + sinkName + ".Show(" +
				fmt.Sprintf("/*line cell %d:%d:%d*/", c.Number, last.line, last.col) +
				body[last.start:last.end] + ",)" + body[last.end:]
			extra[sinkName] = sinkPath
			p.shown = last.line
		}
	}
	for k, v := range importOf {
		if _, ok := extra[k]; !ok {
			extra[k] = v
		}
	}
	bases := sh.bases
	if sinkPath == extra[sinkName] {
		bases = maps.Clone(sh.bases)
		bases[sinkName] = true
	}
	var main strings.Builder
	main.WriteString("package main" + importLine(extra, bases, sh.own) + "\n")
	main.WriteString(lineDirective(c.Number, 1) + decls + "\n")
	if !sh.hasMain {
		main.WriteString("func main() {\n" + lineDirective(c.Number, 1) + body + "\n}\n")
	}
	return file{name: "main.go", src: main.String()}
}

// sessionIndex is the session's declarations: the latest of each name,
// the methods of each type, and the imports.
type sessionIndex struct {
	items    []sessionItem
	latest   map[string]int            // name (or Type.Method) -> index in items
	methods  map[string]map[string]int // type -> Type.Method -> index
	importOf map[string]string         // package name -> path
}

func indexSession(decls []Decl) *sessionIndex {
	idx := &sessionIndex{latest: map[string]int{}, methods: map[string]map[string]int{}, importOf: map[string]string{}}
	for d, decl := range decls {
		dsrc, ditems := prepare(decl.Src)
		for _, it := range ditems {
			switch it.kind {
			case source.KindImport:
				for _, s := range imports(it.text(dsrc)) {
					idx.importOf[s.name] = s.path
				}
			case source.KindDecl:
				names, recv := declared(it.text(dsrc))
				idx.items = append(idx.items, sessionItem{decl: d, item: it, names: names, recv: recv})
				k := len(idx.items) - 1
				for _, n := range names {
					idx.latest[n] = k
				}
				if recv != "" {
					if idx.methods[recv] == nil {
						idx.methods[recv] = map[string]int{}
					}
					for _, n := range names {
						idx.methods[recv][n] = k // a later method of the same name wins
					}
				}
			}
		}
	}
	return idx
}

// reach returns the session's items that the identifiers used refer to,
// and what those refer to, but for the names the cell declares itself.
func (idx *sessionIndex) reach(used, cellNames map[string]bool) map[int]bool {
	include := map[int]bool{}
	var queue []string
	for n := range used {
		queue = append(queue, n)
	}
	seen := map[string]bool{}
	for len(queue) > 0 {
		n := queue[0]
		queue = queue[1:]
		if seen[n] || cellNames[n] {
			continue
		}
		seen[n] = true
		var ks []int
		if k, ok := idx.latest[n]; ok {
			ks = append(ks, k)
		}
		for _, k := range idx.methods[n] {
			ks = append(ks, k)
		}
		for _, k := range ks {
			if include[k] {
				continue
			}
			if recv := idx.items[k].recv; recv != "" {
				if _, ok := idx.latest[recv]; !ok {
					continue // a method of a type declared no more
				}
			}
			include[k] = true
			ids := map[string]bool{}
			idents(idx.items[k].item.toks, ids)
			for id := range ids {
				queue = append(queue, id)
			}
		}
	}
	return include
}

// files writes the included items, one file per earlier cell, in the
// cells' order, each importing the packages its items name.
func (idx *sessionIndex) files(decls []Decl, include map[int]bool) []file {
	byDecl := map[int][]item{}
	for k := range include {
		byDecl[idx.items[k].decl] = append(byDecl[idx.items[k].decl], idx.items[k].item)
	}
	var out []file
	for _, d := range slices.Sorted(maps.Keys(byDecl)) {
		its := byDecl[d]
		sort.Slice(its, func(i, j int) bool { return its[i].start < its[j].start })
		dsrc, _ := prepare(decls[d].Src)
		bases := map[string]bool{}
		for _, it := range its {
			selectorBases(it.toks, bases)
		}
		out = append(out, file{
			name: fmt.Sprintf("session%03d.go", d),
			src:  "package main" + importLine(idx.importOf, bases, nil) + "\n" + lineDirective(decls[d].Cell, 1) + blank(dsrc, its) + "\n",
		})
	}
	return out
}

// lineDirective makes the next line line n of the cell, for the compiler's
// messages and the program's stack traces.
func lineDirective(cell, n int) string {
	return fmt.Sprintf("//line cell %d:%d:1\n", cell, n)
}

// importLine imports, on the package clause's line, the session's
// packages that a file may use and does not import itself.
func importLine(importOf map[string]string, bases, own map[string]bool) string {
	var names []string
	for n := range importOf {
		if bases[n] && !own[n] {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	var b strings.Builder
	for _, n := range names {
		fmt.Fprintf(&b, "; import %s %q", n, importOf[n])
	}
	return b.String()
}

// noValue are calls that a final statement makes for their effect and
// that have no value (beyond those source.Shown knows): not tried as
// values, which would cost a second build.
var noValue = map[string]bool{
	"Wait": true, "Lock": true, "Unlock": true, "RLock": true, "RUnlock": true,
	"Done": true, "Add": true, "Sleep": true, "Display": true, "Work": true,
}

// isValueExpr reports whether a final statement is an expression whose
// value is shown, by the interpreter's rule (source.Shown).
func isValueExpr(text string) bool {
	e, err := parser.ParseExpr(text)
	if err != nil || !source.Shown(e) {
		return false
	}
	if call, ok := ast.Unparen(e).(*ast.CallExpr); ok {
		if sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr); ok && noValue[sel.Sel.Name] {
			return false
		}
	}
	return true
}
