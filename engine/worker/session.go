package worker

import (
	"fmt"
	"go/parser"
	"path"
	"reflect"
	"sort"
	"strconv"
	"strings"

	"github.com/lanes-dev/lanes/internal/genstd"
	"github.com/lanes-dev/lanes/internal/source"
)

// ImportSpecs returns the import specs of the session, for type-checking.
func (w *worker) ImportSpecs() []string {
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

// IsPackage reports whether name is an imported package (or one in scope
// without an import).
func (w *worker) IsPackage(name string) bool {
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

// PackagePath returns the import path of the package that name denotes
// in the session's cells, or "" when it denotes none (a session
// definition shadows a package): the pkgOf of genstd.Rewrite.
func (w *worker) PackagePath(name string) string {
	w.mu.Lock()
	defer w.mu.Unlock()
	if _, def := w.defs[name]; def {
		return ""
	}
	if _, def := w.prelude[name]; def {
		return ""
	}
	for k := range w.imports {
		n, p, _ := strings.Cut(k, " ")
		if n == name || (n == "" && genstd.ImportName(p) == name) {
			return p
		}
	}
	return genstd.StdPackage(name)
}

// typeCheck type-checks a chunk together with what the session declared
// before. Packages are empty (their members have invalid types) and errors
// are ignored: the types found are those of the cell's own code, which is
// what the rewrite needs.
// It returns the files checked: the chunk's and the prelude's.

// Prelude declares the session's definitions.
func (w *worker) Prelude() string {
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
func (w *worker) learn(src string, c source.Chunk, names []string) {
	switch c.Kind {
	case source.KindDecl, source.KindVar:
		w.mu.Lock()
		for _, n := range names {
			w.prelude[n] = src
		}
		w.mu.Unlock()
	case source.KindStmt:
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
