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
// variadic arguments alone (cmp.Or(a, b), slices.Concat(a, b)): a cell
// writes them, cmp.Or[string](a, b), until the engine writes them out.
// The sources avoid range over integers and functions, min, max and clear,
// which the interpreter lacks.
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
	"sort"
	"strconv"
	"strings"

	"github.com/traefik/yaegi/interp"
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
}

// pkgs lists the packages in an order in which each one's imports come
// before it.
var pkgs = mustScan(sources, []string{
	"cmp", "iter", "slices", "maps",
	"errors", "sync", "sync/atomic", "strings", "bytes", "math/rand/v2",
})

// whole lists the packages that are all generic: their compiled tables
// are empty.
var whole = map[string]bool{"cmp": true, "iter": true, "maps": true, "slices": true}

// byPath indexes pkgs by import path.
var byPath = func() map[string]*pkg {
	m := map[string]*pkg{}
	for _, p := range pkgs {
		m[p.path] = p
	}
	return m
}()

// Packages returns the standard import paths this package provides
// members of, sorted.
func Packages() []string {
	var list []string
	for _, p := range pkgs {
		list = append(list, p.path)
	}
	sort.Strings(list)
	return list
}

// Members returns the exported names the sources of the package at the
// standard import path define, sorted; nil for another path.
func Members(importPath string) []string {
	p := byPath[importPath]
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

// Name returns the name under which [Load] compiles the package at the
// standard import path, or "" if there is none.
func Name(importPath string) string {
	if p := byPath[importPath]; p != nil {
		return p.name
	}
	return ""
}

// mustScan reads the exported names of each package's sources.
func mustScan(fsys fs.FS, paths []string) []*pkg {
	var list []*pkg
	for _, ip := range paths {
		p := &pkg{path: ip, members: map[string]bool{}, whole: whole[ip]}
		for _, f := range mustParse(fsys, ip) {
			p.name = "_" + f.Name.Name
			for _, d := range f.Decls {
				switch d := d.(type) {
				case *ast.FuncDecl:
					if d.Recv == nil && d.Name.IsExported() {
						p.members[d.Name.Name] = true
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

// mustParse parses the sources of the package at import path ip.
func mustParse(fsys fs.FS, ip string) []*ast.File {
	files, err := parseDir(fsys, ip)
	if err != nil {
		panic(err) // the embedded sources are tested
	}
	return files
}

func parseDir(fsys fs.FS, ip string) ([]*ast.File, error) {
	dir := path.Join("src", ip)
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return nil, fmt.Errorf("genstd: %w", err)
	}
	var files []*ast.File
	fset := token.NewFileSet()
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
	for _, p := range pkgs {
		if path.Base(p.path) == name {
			return p.path
		}
	}
	return ""
}

// Rewrite returns src with each selector X.M, where pkgOf(X) is the
// import path of one of this package's packages and M a member its
// sources define, written with the name [Load] compiled that package
// under (slices.Sort → _slices.Sort). pkgOf returns "" for an identifier
// that names no package in src's scope (a variable, a type). Lines keep
// their numbers; columns after a rewritten selector shift by one. Source
// that does not scan is returned unchanged.
func Rewrite(src string, pkgOf func(name string) string) string {
	var s scanner.Scanner
	fset := token.NewFileSet()
	file := fset.AddFile("", fset.Base(), len(src))
	failed := false
	s.Init(file, []byte(src), func(token.Position, string) { failed = true }, 0)
	type tok struct {
		off int
		t   token.Token
		lit string
	}
	var toks []tok
	for {
		pos, t, lit := s.Scan()
		if t == token.EOF {
			break
		}
		toks = append(toks, tok{file.Offset(pos), t, lit})
	}
	if failed {
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
		p := byPath[pkgOf(x.lit)]
		if p == nil || !p.members[m.lit] {
			continue
		}
		b.WriteString(src[last:x.off])
		b.WriteString(p.name)
		last = x.off + len(x.lit)
	}
	if last == 0 {
		return src
	}
	b.WriteString(src[last:])
	return b.String()
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

// Load compiles the packages into ip, which must already hold the
// standard library's compiled tables (the sources import sort, sync,
// strings, bytes and math/rand/v2). Call it once per interpreter, before
// the cells that [Rewrite] prepares.
//
// A package that does not compile (its compiled imports are missing from
// ip's tables) is left out; the others are loaded, and the error names
// each one left out.
func Load(ip *interp.Interpreter) error {
	var errs []error
	for _, p := range pkgs {
		if err := load(ip, p); err != nil {
			errs = append(errs, err)
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

// Source returns the source [Load] compiles for the package at the
// standard import path: its files joined, the package clause naming it
// [Name], and its selectors of the other packages rewritten.
func Source(importPath string) (string, error) {
	p := byPath[importPath]
	if p == nil {
		return "", fmt.Errorf("genstd: no package %q", importPath)
	}
	files, err := parseDir(sources, p.path)
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
			if q := byPath[ip]; q == nil || !q.whole {
				continue
			}
			if !g.Lparen.IsValid() {
				blank(off(g.Pos()), off(g.End()))
			} else {
				blank(off(is.Pos()), off(is.End()))
			}
		}
	}
	// Rename the package clause (the doc comment before it stays).
	start := off(f.Name.Pos())
	out := string(src[:start]) + p.name + string(src[start+len(f.Name.Name):])
	return Rewrite(out, FileImports(f)), nil
}
