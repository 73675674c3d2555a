// Package genstd gives interpreted cells the generic parts of the
// standard library, which the compiled symbol tables cannot hold.
//
// A compiled generic function does not exist until it is instantiated, so
// yaegi's extractor leaves it out of a symbol table: the tables of cmp,
// iter, maps and slices are empty, and sync.OnceValue, atomic.Pointer,
// errors.AsType and rand.N (math/rand/v2) are missing from theirs. This
// package holds those members as Go source (src/, embedded), which the
// interpreter compiles, and the strings and bytes iterator functions
// (Lines, SplitSeq, ...) too, so that their results are interpreted values
// from which the interpreter can infer type arguments.
//
// # Use
//
// The worker passes each piece of source it evaluates through [Prepare],
// with a pkgOf that names the package an identifier denotes in the
// session (PackagePath of the worker; [FileImports] for a whole program;
// [StdPackage] without imports). Prepare rewrites the piece and compiles,
// on first use in that interpreter, the packages the result needs. On a
// compile failure of top-level statements the worker asks
// [SplitTopLevel] and [TopLevelGeneric] whether they hold the one form
// the interpreter cannot compile. [Packages], [Members], [Name] and [Source] describe the sources.
//
// # One import path, two packages
//
// yaegi resolves an import path to its compiled table when it has one, and
// a selector on a compiled package only looks in that table. So the
// sources are not loaded under the standard import paths: each package is
// compiled under a name of its own, an underscore before the package name
// (_slices, _maps, _cmp, _iter, _errors, _sync, _atomic, _strings, _bytes,
// _rand), and [Rewrite] turns a cell's selectors of the members these
// packages define (slices.Sort, sync.OnceValue, atomic.Pointer,
// strings.Lines) into selectors of those names (_slices.Sort). Every other
// member (sync.Mutex, strings.ToUpper) stays the compiled one, imports stay
// as written, and an unknown member (slices.Sortt) keeps the compiled
// table's error. The alternative, sources under the standard paths with
// the compiled members re-exported, breaks the interpreter's wrappers for
// interfaces of those packages (an interpreted sync.Locker passed to
// sync.NewCond crashes it), and yaegi v0.16.0 already compiles its own Go
// 1.22 sources of cmp, maps and slices under those package names.
//
// # Names of generic functions
//
// yaegi v0.16.0 keeps the instances of generic functions in one table for
// the whole interpreter, keyed by the function's name and type arguments
// only: slices.Compare[int] and cmp.Compare[int], or a cell's own
// Contains[int] and slices.Contains[int], would be taken for one another.
// So each generic function of the sources is compiled under its name and
// its package's (Compare_slices, Compare_cmp), and Rewrite writes that
// name: slices.Compare(a, b) becomes _slices.Compare_slices(a, b). A cell
// declaring a generic function of such a name would collide again; none
// of Go's names ends so.
//
// The rewrite works on tokens: an identifier followed by a period and a
// member name, not itself preceded by a period, whose package the caller
// names. A dot import of one of these packages is not rewritten.
//
// # What the interpreter imposes
//
// yaegi v0.16.0 cannot infer a type parameter that appears only in
// another's constraint (S ~[]E), nor one from an argument of a generic
// named func type (iter.Seq[E]), so the sources take []E, map[K]V and
// func(yield func(E) bool) where Go's take S, M and iter.Seq[E] (see the
// package comments under src/). It cannot infer type arguments from
// variadic arguments alone (cmp.Or(a, b), slices.Concat(a, b)): package
// rewrite writes them out before Rewrite runs (cmp.Or[string](a, b), one
// type argument, the sources' E), when the arguments' types are known.
// The sources avoid range over integers and functions, min, max and clear,
// which the interpreter lacks, and these faults of its own, each noted
// where it is avoided: return <-ch, a type switch on interface literals
// over compiled values, a conversion to a type parameter standing for an
// untyped constant or a compiled named type, a method named like a type
// parameter, a package name that the cells' packages shadow.
//
// The interpreter types the result of a compiled function by the compiled
// type, from which it cannot infer a type argument: words :=
// strings.Fields(s) then slices.Sort(words) crashed it. [Prepare] writes a
// conversion around such a call where it is assigned or an argument, when
// its one result is a composite of predeclared types (words :=
// ([]string)(strings.Fields(s))); a value of a compiled named type
// (url.Values) is not converted.
//
// Inside a function, the interpreter gives var n int = slices.Index(xs,
// 1) (a var declaration whose value calls a generic function) the zero
// value; Rewrite writes it n := ... or var n int; n = ..., on the same
// line. At a cell's top level the worker already declares and assigns in
// turn.
//
// Two faults remain, each with a test that fails once it is gone:
//
//   - A cell's top-level x := slices.Clone(xs) (any generic call whose
//     result has a type parameter's type) fails to compile; inside a func,
//     or assigned to a declared variable (var x []int; x = ...), it works
//     (TestTopLevelGenericResult). The worker then runs the chunk in
//     pieces ([SplitTopLevel]): it declares x with the type of the call's
//     value when [Spell] can write it, or the worker can with the
//     session's types (a []P of a cell's struct P), and otherwise reports
//     the fault in a sentence with the Go that works ([TopLevelGeneric]).
//     A top-level var x = slices.Clone(xs) runs the same way.
//   - A recovered panic value is no string for fmt (the interpreter's
//     fault, not this package's; TestRecoveredNotString).
//
// Compiled help the sources need is in packages of its own, whose tables
// [Prepare] and [Load] register: errtree (the wrapped errors of a compiled
// error, for errors.AsType), ordered (slices.Sort of integers, floats
// and strings in compiled code) and randn (the result of rand.N). The
// sources import nothing else but sort, sync, strings and bytes, which
// the grader's allow-list keeps.
package genstd

import (
	"embed"
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/scanner"
	"go/token"
	"io/fs"
	"path"
	"reflect"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"weak"

	"github.com/traefik/yaegi/interp"

	"github.com/lanes-dev/lanes/internal/genstd/errtree"
	"github.com/lanes-dev/lanes/internal/genstd/ordered"
	"github.com/lanes-dev/lanes/internal/genstd/randn"
)

//go:embed src
var sources embed.FS

// FS returns the Go sources of the packages, one directory per import
// path under src/ (src/slices/slices.go, src/sync/atomic/atomic.go).
func FS() fs.FS {
	return sources
}

// pkg describes one package of sources.
type pkg struct {
	path    string          // standard import path: "sync/atomic"
	name    string          // the name the interpreter knows it by: "_atomic"
	members map[string]bool // exported names the sources define
	whole   bool            // the sources are the whole package (no compiled members)
	// generic maps each generic function to the name it is compiled
	// under (see "Names of generic functions" in the package comment).
	generic map[string]string
	// paramResult holds the generic functions (by compiled name) a result
	// of which has a type parameter in its type.
	paramResult map[string]bool
	deps        []string // the packages of this package its sources use
}

// internal returns the name the interpreter knows member m by.
func (p *pkg) internal(m string) string {
	if n, ok := p.generic[m]; ok {
		return n
	}
	return m
}

// catalog describes the packages of the sources.
type catalog struct {
	pkgs    []*pkg          // in an order in which each one's imports come before it
	byPath  map[string]*pkg // by standard import path
	byName  map[string]*pkg // by the name the interpreter knows them by
	generic map[string]bool // every generic function as the interpreter knows it ("_slices.Clone_slices")
}

// cat returns the catalog, read from the sources the first time: only a
// worker that runs cells pays for it.
var cat = sync.OnceValue(func() *catalog {
	c := &catalog{
		pkgs: mustScan(sources, []string{
			"cmp", "iter", "slices", "maps",
			"errors", "sync", "sync/atomic", "strings", "bytes", "math/rand/v2",
		}),
		byPath: map[string]*pkg{}, byName: map[string]*pkg{}, generic: map[string]bool{},
	}
	for _, p := range c.pkgs {
		c.byPath[p.path] = p
		c.byName[p.name] = p
		for _, n := range p.generic {
			c.generic[p.name+"."+n] = true
		}
	}
	// Each package's dependencies among the others, from its source.
	for _, p := range c.pkgs {
		src, err := c.source(p.path)
		if err != nil {
			panic(err) // the embedded sources are tested
		}
		for _, d := range c.uses(src) {
			if d != p.path {
				p.deps = append(p.deps, d)
			}
		}
	}
	return c
})

// helpers is the symbol table of the compiled help the sources import.
var helpers = interp.Exports{
	"github.com/lanes-dev/lanes/internal/genstd/errtree/errtree": {
		"Children": reflect.ValueOf(errtree.Children),
		"As":       reflect.ValueOf(errtree.As),
	},
	"github.com/lanes-dev/lanes/internal/genstd/ordered/ordered": {
		"Sort": reflect.ValueOf(ordered.Sort),
	},
	"github.com/lanes-dev/lanes/internal/genstd/randn/randn": {
		"Set": reflect.ValueOf(randn.Set),
	},
}

// whole lists the packages that are all generic: their compiled tables
// are empty.
var whole = map[string]bool{"cmp": true, "iter": true, "maps": true, "slices": true}

// Packages returns the standard import paths this package provides
// members of, sorted.
func Packages() []string {
	var list []string
	for _, p := range cat().pkgs {
		list = append(list, p.path)
	}
	sort.Strings(list)
	return list
}

// Whole reports whether the sources are the whole package at the standard
// import path (cmp, iter, maps, slices): its compiled table is empty.
func Whole(importPath string) bool { return whole[importPath] }

// Members returns the exported names the sources of the package at the
// standard import path define, sorted; nil for another path.
func Members(importPath string) []string {
	p := cat().byPath[importPath]
	if p == nil {
		return nil
	}
	var list []string
	for m := range p.members {
		list = append(list, m)
	}
	sort.Strings(list)
	return list
}

// Name returns the name under which [Prepare] compiles the package at the
// standard import path, or "" if there is none.
func Name(importPath string) string {
	if p := cat().byPath[importPath]; p != nil {
		return p.name
	}
	return ""
}

// mustScan reads the exported names of each package's sources.
func mustScan(fsys fs.FS, paths []string) []*pkg {
	var list []*pkg
	for _, ip := range paths {
		p := &pkg{path: ip, members: map[string]bool{}, whole: whole[ip], generic: map[string]string{}, paramResult: map[string]bool{}}
		for _, f := range mustParse(fsys, ip) {
			p.name = "_" + f.Name.Name
			for _, d := range f.Decls {
				switch d := d.(type) {
				case *ast.FuncDecl:
					if d.Recv == nil && d.Name.IsExported() {
						p.members[d.Name.Name] = true
					}
					if d.Recv == nil && d.Type.TypeParams != nil {
						n := d.Name.Name + "_" + f.Name.Name
						p.generic[d.Name.Name] = n
						p.paramResult[n] = resultHasParam(d.Type)
					}
				case *ast.GenDecl:
					for _, s := range d.Specs {
						switch s := s.(type) {
						case *ast.TypeSpec:
							if s.Name.IsExported() {
								p.members[s.Name.Name] = true
							}
						case *ast.ValueSpec:
							for _, n := range s.Names {
								if n.IsExported() {
									p.members[n.Name] = true
								}
							}
						}
					}
				}
			}
		}
		list = append(list, p)
	}
	return list
}

// resultHasParam reports whether a result of the generic function type ft
// mentions one of its type parameters.
func resultHasParam(ft *ast.FuncType) bool {
	params := map[string]bool{}
	for _, f := range ft.TypeParams.List {
		for _, n := range f.Names {
			params[n.Name] = true
		}
	}
	found := false
	if ft.Results != nil {
		ast.Inspect(ft.Results, func(n ast.Node) bool {
			if id, ok := n.(*ast.Ident); ok && params[id.Name] {
				found = true
			}
			return !found
		})
	}
	return found
}

// mustParse parses the sources of the package at import path ip.
func mustParse(fsys fs.FS, ip string) []*ast.File {
	files, err := parseDir(token.NewFileSet(), fsys, ip)
	if err != nil {
		panic(err) // the embedded sources are tested
	}
	return files
}

// ParseFiles parses, into fset, the sources of the package at the
// standard import path, as written (package clause and names as in the
// standard library): for a type checker that wants their signatures.
func ParseFiles(fset *token.FileSet, importPath string) ([]*ast.File, error) {
	return parseDir(fset, sources, importPath)
}

func parseDir(fset *token.FileSet, fsys fs.FS, ip string) ([]*ast.File, error) {
	dir := path.Join("src", ip)
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return nil, fmt.Errorf("genstd: %w", err)
	}
	var files []*ast.File
	for _, e := range entries {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".go") || strings.HasSuffix(e.Name(), "_test.go") {
			continue
		}
		b, err := fs.ReadFile(fsys, path.Join(dir, e.Name()))
		if err != nil {
			return nil, fmt.Errorf("genstd: %w", err)
		}
		f, err := parser.ParseFile(fset, e.Name(), b, parser.SkipObjectResolution)
		if err != nil {
			return nil, fmt.Errorf("genstd: %w", err)
		}
		files = append(files, f)
	}
	return files, nil
}

// StdPackage returns the standard import path of the package that name
// denotes in a cell without an import of its own, if it is one of this
// package's: "slices" → "slices", "atomic" → "sync/atomic", "rand" →
// "math/rand/v2" (math/rand has no generic members). Use it as the pkgOf
// of [Rewrite] when nothing better is known.
func StdPackage(name string) string {
	if name == "rand" {
		return "math/rand/v2"
	}
	for _, p := range cat().pkgs {
		if path.Base(p.path) == name {
			return p.path
		}
	}
	return ""
}

// Rewrite returns src with each selector X.M, where pkgOf(X) is the
// import path of one of this package's packages and M a member its
// sources define, written with the name [Prepare] compiles that package
// under (slices.Sort → _slices.Sort). pkgOf returns "" for an identifier
// that names no package in src's scope (a variable, a type). Lines keep
// their numbers; columns after a rewritten selector shift by one. Source
// that does not scan is returned unchanged.
func Rewrite(src string, pkgOf func(name string) string) string {
	return cat().rewrite(src, pkgOf)
}

func (c *catalog) rewrite(src string, pkgOf func(name string) string) string {
	toks, ok := scan(src)
	if !ok {
		return src
	}
	var b strings.Builder
	last := 0
	for i := 0; i+2 < len(toks); i++ {
		x, dot, m := toks[i], toks[i+1], toks[i+2]
		if x.t != token.IDENT || dot.t != token.PERIOD || m.t != token.IDENT {
			continue
		}
		if i > 0 && toks[i-1].t == token.PERIOD {
			continue
		}
		p := c.byPath[pkgOf(x.lit)]
		if p == nil || !p.members[m.lit] {
			continue
		}
		b.WriteString(src[last:x.off])
		b.WriteString(p.name + "." + p.internal(m.lit))
		last = m.off + len(m.lit)
	}
	if last == 0 {
		return src
	}
	b.WriteString(src[last:])
	return c.localVars(b.String())
}

// tok is one token of a source and its byte offset.
type tok struct {
	off int
	t   token.Token
	lit string
}

// scan returns the tokens of src, or false if it does not scan.
func scan(src string) ([]tok, bool) {
	var s scanner.Scanner
	fset := token.NewFileSet()
	file := fset.AddFile("", fset.Base(), len(src))
	failed := false
	s.Init(file, []byte(src), func(token.Position, string) { failed = true }, 0)
	var toks []tok
	for {
		pos, t, lit := s.Scan()
		if t == token.EOF {
			break
		}
		toks = append(toks, tok{file.Offset(pos), t, lit})
	}
	return toks, !failed
}

// localVars rewrites the var declarations inside functions whose value
// calls a generic function of the sources: the interpreter gives such a
// variable its zero value instead (var n int = slices.Index(xs, 1) makes
// n 0). var x = v becomes x := v, and var x T = v becomes var x T; x = v,
// on the same line. A var declaration at a cell's top level is left to
// the worker, which declares and assigns in turn.
func (c *catalog) localVars(src string) string {
	toks, ok := scan(src)
	if !ok {
		return src
	}
	type edit struct {
		from, to int
		text     string
	}
	var edits []edit
	// depth counts braces; nest, parentheses and brackets within the
	// innermost brace (outer ones are kept on outer).
	depth, nest := 0, 0
	var outer []int
	for i := 0; i < len(toks); i++ {
		switch toks[i].t {
		case token.LBRACE:
			depth++
			outer = append(outer, nest)
			nest = 0
		case token.RBRACE:
			depth--
			if len(outer) > 0 {
				nest, outer = outer[len(outer)-1], outer[:len(outer)-1]
			}
		case token.LPAREN, token.LBRACK:
			nest++
		case token.RPAREN, token.RBRACK:
			nest--
		}
		if toks[i].t != token.VAR || depth == 0 || nest != 0 || i+1 >= len(toks) || toks[i+1].t != token.IDENT {
			continue
		}
		// var NAME {, NAME} [TYPE] = EXPR, up to the statement's end.
		j := i + 1
		var names []string
		for j < len(toks) && toks[j].t == token.IDENT {
			names = append(names, toks[j].lit)
			if j+1 < len(toks) && toks[j+1].t == token.COMMA {
				j += 2
				continue
			}
			j++
			break
		}
		typeStart, assign := j, -1
		d, n := 0, 0
		end := len(toks)
		for k := j; k < len(toks); k++ {
			switch toks[k].t {
			case token.LBRACE:
				d++
			case token.RBRACE:
				d--
			case token.LPAREN, token.LBRACK:
				n++
			case token.RPAREN, token.RBRACK:
				n--
			}
			if d < 0 || (d == 0 && n == 0 && toks[k].t == token.SEMICOLON) {
				end = k
				break
			}
			if d == 0 && n == 0 && toks[k].t == token.ASSIGN && assign < 0 {
				assign = k
			}
		}
		if assign < 0 || assign+1 >= end {
			continue
		}
		calls := false
		for k := assign + 1; k+2 < end; k++ {
			if toks[k].t == token.IDENT && toks[k+1].t == token.PERIOD && c.generic[toks[k].lit+"."+toks[k+2].lit] {
				calls = true
				break
			}
		}
		if !calls {
			continue
		}
		list := strings.Join(names, ", ")
		from, to := toks[i].off, toks[assign].off+1
		if typeStart == assign {
			edits = append(edits, edit{from, to, list + " :="})
		} else {
			typ := src[toks[typeStart].off:toks[assign].off]
			edits = append(edits, edit{from, to, "var " + list + " " + strings.TrimSpace(typ) + "; " + list + " ="})
		}
		i = end - 1
	}
	for k := len(edits) - 1; k >= 0; k-- {
		e := edits[k]
		src = src[:e.from] + e.text + src[e.to:]
	}
	return src
}

// ImportName returns the name an import of the path declares when the
// import names none: the last element, or the one before a major
// version ("math/rand/v2" → "rand").
func ImportName(importPath string) string {
	base := path.Base(importPath)
	if len(base) > 1 && base[0] == 'v' && strings.Trim(base[1:], "0123456789") == "" {
		if dir := path.Dir(importPath); dir != "." {
			return path.Base(dir)
		}
	}
	return base
}

// FileImports returns, for a parsed Go file, the pkgOf of [Rewrite]: the
// path of the package the file imports under a name.
func FileImports(f *ast.File) func(name string) string {
	names := map[string]string{}
	for _, spec := range f.Imports {
		p, err := strconv.Unquote(spec.Path.Value)
		if err != nil {
			continue
		}
		name := ImportName(p)
		if spec.Name != nil {
			name = spec.Name.Name
		}
		names[name] = p
	}
	return func(id string) string { return names[id] }
}

// Load compiles every package into ip, which must already hold the
// standard library's compiled tables (the sources import sort, sync,
// strings, bytes and math/rand/v2). [Prepare] loads only what a cell
// uses; Load is for an interpreter that should have everything at once.
//
// A package that does not compile (its compiled imports are missing from
// ip's tables) is left out; the others are loaded, and the error names
// each one left out.
func Load(ip *interp.Interpreter) error {
	return require(ip, Packages())
}

// Prepare returns src rewritten ([Rewrite]) and makes sure ip holds the
// packages the result uses, compiling those it does not yet hold (about
// 10 ms for all of them, which a worker that never needs them does not
// pay). It is idempotent: source it returned comes back unchanged, so
// replayed declarations can pass through it again. The error names the
// packages that could not be compiled; src is rewritten all the same.
func Prepare(ip *interp.Interpreter, src string, pkgOf func(name string) string) (string, error) {
	c := cat()
	out := convertResults(c.rewrite(src, pkgOf), pkgOf, binaryFuncs(ip))
	return out, require(ip, c.uses(out))
}

// binaryFuncs returns the lookup of convertResults for ip: the type of a
// function of ip's compiled tables.
func binaryFuncs(ip *interp.Interpreter) func(path, name string) (reflect.Type, bool) {
	tables := map[string]map[string]reflect.Value{}
	return func(path, name string) (reflect.Type, bool) {
		t, ok := tables[path]
		if !ok {
			t = ip.Symbols(path)[path]
			tables[path] = t
		}
		v, ok := t[name]
		if !ok || !v.IsValid() || v.Kind() != reflect.Func {
			return nil, false
		}
		return v.Type(), true
	}
}

// convertResults writes a conversion around each call of a compiled
// function whose one result has a composite type of predeclared types
// only (strings.Fields → ([]string)(strings.Fields(s))), where the call is
// a value assigned or an argument. The interpreter types such a result by
// the compiled type, from which it cannot infer a type argument
// (slices.Sort(strings.Fields(s)) fails to compile); converted, it has the
// interpreter's own type. lookup returns the type of the compiled function
// path.name. A call converted already is left as it is.
func convertResults(src string, pkgOf func(string) string, lookup func(path, name string) (reflect.Type, bool)) string {
	toks, ok := scan(src)
	if !ok {
		return src
	}
	type edit struct {
		off  int
		text string
	}
	var edits []edit
	for i := 0; i+3 < len(toks); i++ {
		x, dot, f, open := toks[i], toks[i+1], toks[i+2], toks[i+3]
		if x.t != token.IDENT || dot.t != token.PERIOD || f.t != token.IDENT || open.t != token.LPAREN {
			continue
		}
		if i == 0 {
			continue
		}
		switch prev := toks[i-1].t; {
		case prev == token.PERIOD:
			continue // a method or a field's call
		case prev == token.LPAREN && i >= 2 && toks[i-2].t == token.RPAREN:
			continue // converted already: (T)(pkg.F(...))
		case prev != token.DEFINE && prev != token.ASSIGN && prev != token.LPAREN && prev != token.COMMA:
			continue
		}
		path := pkgOf(x.lit)
		if path == "" {
			continue
		}
		ft, ok := lookup(path, f.lit)
		if !ok || ft.NumOut() != 1 || !spellable(ft.Out(0)) {
			continue
		}
		// The call's closing parenthesis.
		depth, end := 0, -1
		for k := i + 3; k < len(toks); k++ {
			switch toks[k].t {
			case token.LPAREN, token.LBRACK, token.LBRACE:
				depth++
			case token.RPAREN, token.RBRACK, token.RBRACE:
				depth--
			}
			if depth == 0 {
				end = k
				break
			}
		}
		if end < 0 {
			continue
		}
		if next := end + 1; next < len(toks) {
			switch toks[next].t {
			case token.SEMICOLON, token.RPAREN, token.COMMA, token.RBRACE:
			default:
				continue // an operand of something else: f(x).y, f(x)[i]
			}
		}
		edits = append(edits, edit{x.off, "(" + ft.Out(0).String() + ")("}, edit{toks[end].off + 1, ")"})
	}
	sort.SliceStable(edits, func(a, b int) bool { return edits[a].off > edits[b].off })
	for _, e := range edits {
		src = src[:e.off] + e.text + src[e.off:]
	}
	return src
}

// spellable reports whether t is a slice, array, map, pointer, channel or
// func type built of predeclared types only (no struct, no interface): one that converting to
// changes nothing but the interpreter's idea of it, and that t.String()
// spells in Go ([]string, map[string][]int, []uint8).
func spellable(t reflect.Type) bool {
	switch t.Kind() {
	case reflect.Slice, reflect.Array, reflect.Map, reflect.Pointer, reflect.Chan, reflect.Func:
		// No struct: the interpreter's value of a cell's named struct
		// type has an unnamed struct type at run time.
		str := t.String()
		return t.Name() == "" && !strings.Contains(str, ".") && !strings.Contains(str, "interface") && !strings.Contains(str, "struct")
	}
	return false
}

// uses returns the standard import paths of the packages whose compiled
// names src mentions (_slices.), in load order.
func (c *catalog) uses(src string) []string {
	if !strings.Contains(src, "_") {
		return nil
	}
	toks, _ := scan(src)
	seen := map[string]bool{}
	for i := 0; i+1 < len(toks); i++ {
		if toks[i].t == token.IDENT && toks[i+1].t == token.PERIOD && c.byName[toks[i].lit] != nil {
			seen[c.byName[toks[i].lit].path] = true
		}
	}
	var list []string
	for _, p := range c.pkgs {
		if seen[p.path] {
			list = append(list, p.path)
		}
	}
	return list
}

// loaded records, per interpreter, the packages compiled into it. An
// interpreter is held weakly: its entry goes when it is collected.
var loaded = struct {
	sync.Mutex
	m map[weak.Pointer[interp.Interpreter]]map[string]bool
}{m: map[weak.Pointer[interp.Interpreter]]map[string]bool{}}

// require compiles into ip the packages of paths it does not hold, with
// the packages they use first, and the compiled helpers once.
func require(ip *interp.Interpreter, paths []string) error {
	if len(paths) == 0 {
		return nil
	}
	c := cat()
	loaded.Lock()
	defer loaded.Unlock()
	key := weak.Make(ip)
	have := loaded.m[key]
	var errs []error
	if have == nil {
		have = map[string]bool{}
		loaded.m[key] = have
		runtime.AddCleanup(ip, func(k weak.Pointer[interp.Interpreter]) {
			loaded.Lock()
			defer loaded.Unlock()
			delete(loaded.m, k)
		}, key)
		if err := ip.Use(helpers); err != nil {
			errs = append(errs, fmt.Errorf("genstd: loading the compiled helpers: %w", err))
		}
	}
	var visit func(path string)
	visit = func(path string) {
		if have[path] {
			return
		}
		have[path] = true // a failed package is not tried again
		p := c.byPath[path]
		for _, dep := range p.deps {
			visit(dep)
		}
		if err := load(ip, p); err != nil {
			errs = append(errs, err)
		}
	}
	for _, path := range paths {
		if c.byPath[path] != nil {
			visit(path)
		}
	}
	return errors.Join(errs...)
}

// load compiles and runs the sources of one package.
func load(ip *interp.Interpreter, p *pkg) (err error) {
	defer func() {
		// The interpreter panics on some faults of its own.
		if r := recover(); r != nil {
			err = fmt.Errorf("genstd: compiling %s: interpreter panic: %v", p.path, r)
		}
	}()
	src, err := Source(p.path)
	if err != nil {
		return err
	}
	prog, err := ip.Compile(src)
	if err != nil {
		return fmt.Errorf("genstd: compiling %s: %w", p.path, err)
	}
	if _, err := ip.Execute(prog); err != nil {
		return fmt.Errorf("genstd: loading %s: %w", p.path, err)
	}
	return nil
}

// Source returns the source [Prepare] compiles for the package at the
// standard import path: its files joined, the package clause naming it
// [Name], and its selectors of the other packages rewritten.
func Source(importPath string) (string, error) {
	return cat().source(importPath)
}

func (c *catalog) source(importPath string) (string, error) {
	p := c.byPath[importPath]
	if p == nil {
		return "", fmt.Errorf("genstd: no package %q", importPath)
	}
	files, err := parseDir(token.NewFileSet(), sources, p.path)
	if err != nil {
		return "", err
	}
	if len(files) != 1 {
		return "", fmt.Errorf("genstd: package %s must be one file, has %d", p.path, len(files))
	}
	dir := path.Join("src", p.path)
	entries, err := fs.ReadDir(sources, dir)
	if err != nil {
		return "", fmt.Errorf("genstd: %w", err)
	}
	var b []byte
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".go") && !strings.HasSuffix(e.Name(), "_test.go") {
			if b, err = fs.ReadFile(sources, path.Join(dir, e.Name())); err != nil {
				return "", fmt.Errorf("genstd: %w", err)
			}
		}
	}
	f := files[0]
	src := []byte(string(b))
	off := func(p token.Pos) int { return int(p) - int(f.FileStart) }
	blank := func(from, to int) {
		for i := from; i < to; i++ {
			if src[i] != '\n' {
				src[i] = ' '
			}
		}
	}
	// Drop the imports of this package's own packages: every use of
	// them is rewritten, and the interpreter's tables of them are empty
	// or missing.
	for _, d := range f.Decls {
		g, ok := d.(*ast.GenDecl)
		if !ok || g.Tok != token.IMPORT {
			continue
		}
		for _, spec := range g.Specs {
			is := spec.(*ast.ImportSpec)
			ip, _ := strconv.Unquote(is.Path.Value)
			if q := c.byPath[ip]; q == nil || !q.whole {
				continue
			}
			if !g.Lparen.IsValid() {
				blank(off(g.Pos()), off(g.End()))
			} else {
				blank(off(is.Pos()), off(is.End()))
			}
		}
	}
	// Rename the generic functions where they are declared and called.
	for _, id := range identOffsets(src) {
		if n, ok := p.generic[id.name]; ok {
			src = append(src[:id.off], append([]byte(n), src[id.off+len(id.name):]...)...)
		}
	}
	// Rename the package clause (the doc comment before it stays).
	start := off(f.Name.Pos())
	out := string(src[:start]) + p.name + string(src[start+len(f.Name.Name):])
	return c.rewrite(out, FileImports(f)), nil
}

// ident is an identifier of a source, not a selector's member.
type ident struct {
	name string
	off  int
}

// identOffsets returns the identifiers of src that do not follow a
// period, last first (so that src can be edited at each in turn).
func identOffsets(src []byte) []ident {
	var s scanner.Scanner
	fset := token.NewFileSet()
	file := fset.AddFile("", fset.Base(), len(src))
	s.Init(file, src, nil, 0)
	var list []ident
	prev := token.ILLEGAL
	for {
		pos, t, lit := s.Scan()
		if t == token.EOF {
			break
		}
		if t == token.IDENT && prev != token.PERIOD {
			list = append(list, ident{lit, file.Offset(pos)})
		}
		prev = t
	}
	for i, j := 0, len(list)-1; i < j; i, j = i+1, j-1 {
		list[i], list[j] = list[j], list[i]
	}
	return list
}

// TopLevelGeneric finds, in src (top-level statements, after [Rewrite]),
// the first short variable declaration whose value is the result of a
// call of one of this package's generic functions with a type parameter
// in its result's type (slices.Clone, not slices.Index), the form the
// interpreter cannot compile (see the package comment). It returns the
// variable's name and where it is, as src's //line directives place it.
func TopLevelGeneric(src string) (name string, pos token.Position, ok bool) {
	var s scanner.Scanner
	fset := token.NewFileSet()
	file := fset.AddFile("", fset.Base(), len(src))
	s.Init(file, []byte(src), nil, 0)
	generic := map[string]bool{}
	for _, p := range cat().pkgs {
		for _, n := range p.generic {
			generic[p.name+"."+n] = p.paramResult[n]
		}
	}
	depth := 0
	start := true // at the start of a top-level statement
	var toks []struct {
		pos token.Pos
		t   token.Token
		lit string
	}
	for {
		p, t, lit := s.Scan()
		if t == token.EOF {
			break
		}
		toks = append(toks, struct {
			pos token.Pos
			t   token.Token
			lit string
		}{p, t, lit})
	}
	for i, tk := range toks {
		switch tk.t {
		case token.LBRACE, token.LPAREN, token.LBRACK:
			depth++
		case token.RBRACE, token.RPAREN, token.RBRACK:
			depth--
		}
		if start && depth == 0 && tk.t == token.IDENT && i+4 < len(toks) && toks[i+1].t == token.DEFINE &&
			toks[i+2].t == token.IDENT && toks[i+3].t == token.PERIOD && toks[i+4].t == token.IDENT &&
			generic[toks[i+2].lit+"."+toks[i+4].lit] {
			return tk.lit, fset.Position(tk.pos), true
		}
		start = depth == 0 && tk.t == token.SEMICOLON
	}
	return "", token.Position{}, false
}

// SplitTopLevel splits src (top-level statements, after [Prepare]) at the
// statement [TopLevelGeneric] finds, name := call: before is the
// source up to it, after the source past it (each starting with a //line
// comment that keeps its positions), so that a caller can run before,
// then call, declare name with the type of call's value, and run after.
func SplitTopLevel(src string) (before, name, call, after string, ok bool) {
	toks, ok := scan(src)
	if !ok {
		return "", "", "", "", false
	}
	name, pos, ok := TopLevelGeneric(src)
	if !ok {
		return "", "", "", "", false
	}
	// The statement: from its name to the semicolon ending it at depth 0.
	start := -1
	for i, tk := range toks {
		if tk.t == token.IDENT && tk.lit == name && i+1 < len(toks) && toks[i+1].t == token.DEFINE {
			if p := adjusted(src, tk.off); p.Line == pos.Line && p.Column == pos.Column {
				start = i
				break
			}
		}
	}
	if start < 0 || start+2 >= len(toks) {
		return "", "", "", "", false
	}
	depth, end := 0, len(toks)
	for k := start + 2; k < len(toks); k++ {
		switch toks[k].t {
		case token.LPAREN, token.LBRACK, token.LBRACE:
			depth++
		case token.RPAREN, token.RBRACK, token.RBRACE:
			depth--
		}
		if depth == 0 && toks[k].t == token.SEMICOLON {
			end = k
			break
		}
	}
	callEnd := len(src)
	if end < len(toks) {
		callEnd = toks[end].off
	}
	call = strings.TrimSpace(src[toks[start+2].off:callEnd])
	before = src[:toks[start].off]
	if end < len(toks) {
		rest := min(toks[end].off+len(toks[end].lit), len(src)) // an inserted semicolon may end src
		if toks[end].lit == "\n" || toks[end].lit == ";" {
			p := adjusted(src, rest)
			if strings.TrimSpace(src[rest:]) != "" {
				after = lineComment(p) + src[rest:]
			}
		}
	}
	return before, name, call, after, true
}

// lineComment returns the /*line*/ comment that places what follows it at
// p (without a column when p has none, as after a //line comment).
func lineComment(p token.Position) string {
	if p.Column == 0 {
		return fmt.Sprintf("/*line %s:%d*/", p.Filename, p.Line)
	}
	return fmt.Sprintf("/*line %s:%d:%d*/", p.Filename, p.Line, p.Column)
}

// adjusted returns the position of byte offset off of src, as src's
// //line and /*line*/ comments place it.
func adjusted(src string, off int) token.Position {
	var s scanner.Scanner
	fset := token.NewFileSet()
	file := fset.AddFile("", fset.Base(), len(src))
	s.Init(file, []byte(src), nil, scanner.ScanComments)
	for {
		_, t, _ := s.Scan()
		if t == token.EOF {
			break
		}
	}
	return fset.Position(file.Pos(off))
}

// Spell returns t written in Go, for declaring a variable of it, when t is
// a predeclared type or a composite of predeclared types ([]string,
// map[string]int, func() int); false otherwise.
func Spell(t reflect.Type) (string, bool) {
	if t.Name() != "" {
		if t.PkgPath() == "" && t.Kind() != reflect.Interface {
			return t.String(), true // int, string, ...
		}
		return "", false
	}
	if spellable(t) {
		return t.String(), true
	}
	return "", false
}
