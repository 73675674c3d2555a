package worker

import (
	"go/token"
	"go/types"
	"path"
	"slices"
	"strings"
	"sync"

	"github.com/lanes-dev/lanes/internal/genstd"
	"github.com/lanes-dev/lanes/internal/rewrite"
	"github.com/lanes-dev/lanes/internal/source"
)

// sessionImporter imports packages for the rewrites' type checks. The
// packages genstd gives whole (cmp, maps, slices) come from genstd's
// sources, type-checked once, so that their generic functions have types
// as the cells run them ([]E, not S ~[]E): max(slices.Max(xs), 0) is then
// rewritten like any max, and b := slices.Clone(bs) at a cell's top level
// like a session generic's call. Every other package comes from the
// interpreter's symbols (rewrite.NewImporter).
type sessionImporter struct {
	symbols types.Importer
	whole   func() map[string]*types.Package
}

func newSessionImporter(symbols types.Importer) *sessionImporter {
	im := &sessionImporter{symbols: symbols}
	im.whole = sync.OnceValue(im.loadWhole)
	return im
}

// fromSource reports whether the package at path p is type-checked from
// genstd's sources: those it gives whole, but iter, whose two generic
// types the rewrite's own importers hold already.
func fromSource(p string) bool { return p != "iter" && genstd.Whole(p) }

// Import returns the package at path p.
func (im *sessionImporter) Import(p string) (*types.Package, error) {
	if fromSource(p) {
		if pkg := im.whole()[p]; pkg != nil {
			return pkg, nil
		}
	}
	return im.symbols.Import(p)
}

// loadWhole type-checks the sources of genstd's whole packages, each
// after those it imports; a package whose sources do not parse is left
// out (its members then have no types, as before).
func (im *sessionImporter) loadWhole() map[string]*types.Package {
	pkgs := map[string]*types.Package{}
	fset := token.NewFileSet()
	var load func(p string) *types.Package
	load = func(p string) *types.Package {
		if pkg, done := pkgs[p]; done {
			return pkg
		}
		pkgs[p] = nil // a cycle finds nothing
		files, err := genstd.ParseFiles(fset, p)
		if err != nil {
			return nil
		}
		conf := types.Config{
			Importer: importerFunc(func(dep string) (*types.Package, error) {
				if fromSource(dep) {
					if pkg := load(dep); pkg != nil {
						return pkg, nil
					}
				}
				return im.symbols.Import(dep)
			}),
			Error: func(error) {}, // bodies may use helpers the symbols lack; signatures are what counts
		}
		pkg, _ := conf.Check(p, fset, files, nil)
		pkgs[p] = pkg
		return pkg
	}
	for _, p := range genstd.Packages() {
		if fromSource(p) {
			load(p)
		}
	}
	return pkgs
}

// implicitImports records, as imports of the session, the packages the
// cell uses without importing them (every package is in scope without an
// import), so that the rewrites' type checks know their members too. Only
// a name that one package of the symbols or of genstd has as its own name
// counts (rand, of math/rand and crypto/rand, stays unknown, as the
// interpreter decides which one it means), and only where what follows the
// period is a member of that package: user.Name on a variable user is not
// package os/user.
func (w *worker) implicitImports(code string) {
	toks := source.Scan(code)
	var specs []source.ImportSpec
	for i, t := range toks {
		if t.Tok != token.IDENT || i+1 == len(toks) || toks[i+1].Tok != token.PERIOD || i > 0 && toks[i-1].Tok == token.PERIOD {
			continue
		}
		if w.declaresOrImports(t.Lit) {
			continue
		}
		if i+2 == len(toks) || toks[i+2].Tok != token.IDENT {
			continue
		}
		if paths := w.byName()[t.Lit]; len(paths) == 1 && w.isMember(paths[0], toks[i+2].Lit) {
			specs = append(specs, source.ImportSpec{Key: " " + paths[0]})
		}
	}
	w.sess.addImports(specs)
}

// isMember reports whether name is a member of the package at path p, in
// the symbols or in genstd's sources.
func (w *worker) isMember(p, name string) bool {
	if _, ok := w.symbols[p+"/"+path.Base(p)][name]; ok {
		return true
	}
	return slices.Contains(genstd.Members(p), name)
}

// declaresOrImports reports whether name is a definition or an import of
// the session.
func (w *worker) declaresOrImports(name string) bool {
	if w.sess.defines(name) {
		return true
	}
	for _, k := range w.sess.importList() {
		if k.base() == name {
			return true
		}
	}
	return false
}

// byName maps a package name to the import paths of the packages of the
// symbols and of genstd whose last element it is.
func (w *worker) byName() map[string][]string {
	w.namesOnce.Do(func() {
		m := map[string][]string{}
		add := func(p string) {
			n := path.Base(p)
			if !slices.Contains(m[n], p) {
				m[n] = append(m[n], p)
			}
		}
		for k := range w.symbols {
			if dir := path.Dir(k); path.Base(dir) == path.Base(k) && !strings.HasPrefix(dir, "_") && !strings.Contains(dir, "internal") {
				add(dir)
			}
		}
		for _, p := range genstd.Packages() {
			add(p)
		}
		w.pkgNames = m
	})
	return w.pkgNames
}

type importerFunc func(string) (*types.Package, error)

func (f importerFunc) Import(p string) (*types.Package, error) { return f(p) }

var _ rewrite.Typed = (*worker)(nil)
