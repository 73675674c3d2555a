package worker

import (
	"fmt"
	"go/parser"
	"go/types"
	"maps"
	"path"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/lanes-dev/lanes/internal/genstd"
	"github.com/lanes-dev/lanes/internal/rewrite"
	"github.com/lanes-dev/lanes/internal/source"
)

// session is what the worker knows of the cells run so far, in one store
// under its own lock: every name the cells defined, every package they
// imported, and the source of every cell.
type session struct {
	mu      sync.Mutex
	names   map[string]*definition // by name; methods as "T.M"
	failed  map[string]int         // names whose only declaration failed, by its cell
	aliased map[string]bool        // "file spec" of the aliased imports made visible to a file's code
	imports map[importKey]bool
	cells   map[int]string // the source of every cell run, to place panics (panicLines)
}

// importKey is one import of the session: the name it was given ("" for
// none) and the path.
type importKey struct{ name, path string }

// base is the name an import is used by.
func (k importKey) base() string {
	if k.name != "" {
		return k.name
	}
	return k.path[strings.LastIndexByte(k.path, '/')+1:]
}

// spec returns the import as Go source: [name] "path".
func (k importKey) spec() string {
	return strings.TrimSpace(k.name + " " + strconv.Quote(k.path))
}

// definition is what the session knows of one name.
type definition struct {
	// src is the source of its latest definition (a declaration chunk or
	// a replayed one), for inspection; "" for variables.
	src string
	// decl is Go source that declares it, for type-checking later cells
	// (see Prelude); "" when Go cannot spell it.
	decl string
	// evaluated is the source the interpreter evaluated for it, to
	// evaluate again when a new declaration of the name fails (see
	// cellRun.declFailed).
	evaluated string
	// typ is the first definition of a type, to refuse a different one
	// (the interpreter would silently keep it).
	typ *typeDef
}

// typeDef is a type as first defined: its spec, spaces normalised.
type typeDef struct {
	text string
	cell int
}

func newSession() *session {
	return &session{names: map[string]*definition{}, failed: map[string]int{}, aliased: map[string]bool{}, imports: map[importKey]bool{}, cells: map[int]string{}}
}

// entry returns the definition of name, made when missing; s.mu is held.
func (s *session) entry(name string) *definition {
	d := s.names[name]
	if d == nil {
		d = &definition{}
		s.names[name] = d
	}
	return d
}

// define records the source that defines names, and the source the
// interpreter evaluated for them ("" if not known).
func (s *session) define(names []string, src, evaluated string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, n := range names {
		d := s.entry(n)
		d.src, d.evaluated = src, evaluated
		delete(s.failed, n)
	}
}

// defines reports whether a cell defined name (which then shadows a
// package of that name).
func (s *session) defines(name string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	d := s.names[name]
	return d != nil && (d.src != "" || d.decl != "")
}

// fail records that the declaration of names in cell failed. It returns
// the sources that defined them before, each once, in the order of
// names; the names without one count as failed from now on.
func (s *session) fail(names []string, cell int) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var before []string
	seen := map[string]bool{}
	for _, n := range names {
		if d := s.names[n]; d != nil && d.evaluated != "" {
			if !seen[d.evaluated] {
				seen[d.evaluated] = true
				before = append(before, d.evaluated)
			}
			continue
		}
		s.failed[n] = cell
	}
	return before
}

// failedNames returns the names whose only declaration failed, each with
// the cell it failed in.
func (s *session) failedNames() map[string]int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return maps.Clone(s.failed)
}

// declare records the Go source that declares names for type-checking.
func (s *session) declare(names []string, decl string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, n := range names {
		s.entry(n).decl = decl
	}
}

// source returns the latest definition of name.
func (s *session) source(name string) (string, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if d := s.names[name]; d != nil && d.src != "" {
		return d.src, true
	}
	return "", false
}

// defined returns the names with a definition, and their sources.
func (s *session) defined() map[string]string {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := map[string]string{}
	for n, d := range s.names {
		if d.src != "" {
			out[n] = d.src
		}
	}
	return out
}

// typeOf returns the first definition of type name.
func (s *session) typeOf(name string) (typeDef, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if d := s.names[name]; d != nil && d.typ != nil {
		return *d.typ, true
	}
	return typeDef{}, false
}

// addType records the first definition of a type.
func (s *session) addType(name string, t typeDef) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if d := s.entry(name); d.typ == nil {
		d.typ = &t
	}
}

// addImports records imports.
func (s *session) addImports(specs []source.ImportSpec) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, sp := range specs {
		name, p, _ := strings.Cut(sp.Key, " ")
		s.imports[importKey{name, p}] = true
	}
}

// newAliases returns the specs of the imports under a name of their own
// ([name] "path") not yet made visible to the code of file, and counts
// them as made visible (see worker.aliasImports).
func (s *session) newAliases(file string) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var specs []string
	for k := range s.imports {
		if k.name == "" || k.name == "_" || k.name == "." {
			continue
		}
		if key := file + " " + k.spec(); !s.aliased[key] {
			s.aliased[key] = true
			specs = append(specs, k.spec())
		}
	}
	sort.Strings(specs)
	return specs
}

// imported reports whether spec was imported before.
func (s *session) imported(spec source.ImportSpec) bool {
	name, p, _ := strings.Cut(spec.Key, " ")
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.imports[importKey{name, p}]
}

// importList returns the session's imports.
func (s *session) importList() []importKey {
	s.mu.Lock()
	defer s.mu.Unlock()
	list := make([]importKey, 0, len(s.imports))
	for k := range s.imports {
		list = append(list, k)
	}
	sort.Slice(list, func(i, j int) bool { return list[i].spec() < list[j].spec() })
	return list
}

// setCell records the source of cell n.
func (s *session) setCell(n int, code string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.cells[n] = code
}

// cell returns the source of cell n.
func (s *session) cell(n int) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.cells[n]
}

// ImportSpecs returns the import specs of the session, for type-checking.
func (w *worker) ImportSpecs() []string {
	var list []string
	for _, k := range w.sess.importList() {
		list = append(list, k.spec())
	}
	return list
}

// IsPackage reports whether name is an imported package (or one in scope
// without an import).
func (w *worker) IsPackage(name string) bool {
	if w.sess.defines(name) {
		return false
	}
	for _, k := range w.sess.importList() {
		if k.name == name || (k.name == "" && path.Base(k.path) == name) {
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

// IsGenericFunc reports whether name is a generic func declared by a cell
// (its declaration has type parameters).
func (w *worker) IsGenericFunc(name string) bool {
	src, ok := w.sess.source(name)
	return ok && strings.Contains(src, "func "+name+"[")
}

// IsGenericPackage reports whether name denotes, in the cells, a package
// that genstd gives whole (slices, maps, cmp; rewrite.Generics).
func (w *worker) IsGenericPackage(name string) bool {
	return fromSource(w.PackagePath(name))
}

// IsType reports whether name is a type declared by a cell.
func (w *worker) IsType(name string) bool {
	src, ok := w.sess.source(name)
	return ok && (strings.Contains(src, "type "+name+" ") || strings.Contains(src, "type "+name+"["))
}

// Importer returns the importer of the packages' types for the rewrites'
// type checks (rewrite.Typed): built once per worker, from the symbols and
// genstd's sources (sessionImporter), its packages as the cells' imports
// first need them.
func (w *worker) Importer() types.Importer {
	w.impOnce.Do(func() { w.imp = newSessionImporter(rewrite.NewImporter(w.symbols)) })
	return w.imp
}

// MemberType returns the compiled type of member name of the package the
// session knows as pkg (imported, or in scope without an import), from its
// symbol table; nil when there is none. The rewrite uses it to see that a
// range over strings.Lines(s) ranges over a function.
func (w *worker) MemberType(pkg, name string) reflect.Type {
	var paths []string
	for _, k := range w.sess.importList() {
		if k.base() == pkg {
			paths = append(paths, k.path+"/"+path.Base(k.path))
		}
	}
	if len(paths) == 0 {
		for k := range w.symbols {
			if path.Base(k) == pkg {
				paths = append(paths, k)
			}
		}
	}
	sort.Strings(paths)
	for _, k := range paths {
		if v, ok := w.symbols[k][name]; ok && v.IsValid() {
			return v.Type()
		}
	}
	return nil
}

// PackagePath returns the import path of the package that name denotes
// in the session's cells, or "" when it denotes none (a session
// definition shadows a package): the pkgOf of genstd.Prepare.
func (w *worker) PackagePath(name string) string {
	if w.sess.defines(name) {
		return ""
	}
	for _, k := range w.sess.importList() {
		if k.name == name || (k.name == "" && genstd.ImportName(k.path) == name) {
			return k.path
		}
	}
	return genstd.StdPackage(name)
}

// Prelude declares the session's definitions.
func (w *worker) Prelude() string {
	s := w.sess
	s.mu.Lock()
	defer s.mu.Unlock()
	var names []string
	for n, d := range s.names {
		if d.decl != "" {
			names = append(names, n)
		}
	}
	if len(names) == 0 {
		return ""
	}
	var b strings.Builder
	b.WriteString("package p\n")
	for k := range s.imports {
		fmt.Fprintf(&b, "import %s %q\n", k.name, k.path)
	}
	sort.Strings(names)
	seen := map[string]bool{}
	for _, n := range names {
		if src := s.names[n].decl; !seen[src] {
			seen[src] = true
			b.WriteString(src + "\n")
		}
	}
	return b.String()
}

// learn records the declarations of an evaluated chunk for the prelude;
// variables defined by statements are declared with the type the
// interpreter gave them, when Go can spell it.
func (w *worker) learn(src string, c source.Chunk, names []string) {
	switch c.Kind {
	case source.KindDecl, source.KindVar:
		w.sess.declare(names, src)
	case source.KindStmt:
		if len(names) == 0 {
			return
		}
		globals := w.ip.Globals()
		for _, n := range names {
			v, ok := globals[n]
			if !ok || !v.IsValid() {
				continue
			}
			if t := goTypeString(v.Type()); t != "" {
				w.sess.declare([]string{n}, "var "+n+" "+t)
			}
		}
	}
}

// learnStmt records the variables names that statement chunk c of a cell
// defined, with the types the type checker gives them (which keep the
// cells' named types: rewrite.DefinedTypes), or else those the
// interpreter gave them.
func (w *worker) learnStmt(cell int, code string, c source.Chunk, names []string) {
	if len(names) == 0 {
		return
	}
	checked := rewrite.DefinedTypes(cell, code, c, w, names)
	var rest []string
	for _, n := range names {
		if t, ok := checked[n]; ok {
			w.sess.declare([]string{n}, "var "+n+" "+t)
		} else {
			rest = append(rest, n)
		}
	}
	w.learn("", c, rest)
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
