package worker

import (
	"fmt"
	"go/ast"
	"go/doc"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"sort"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/lanes-dev/lanes/display"
	"github.com/lanes-dev/lanes/internal/source"
)

var goKeywords = []string{"break", "case", "chan", "const", "continue", "default", "defer", "else",
	"fallthrough", "for", "func", "go", "goto", "if", "import", "interface", "map", "package",
	"range", "return", "select", "struct", "switch", "type", "var"}

var goBuiltins = []string{"append", "cap", "clear", "close", "complex", "copy", "delete", "imag",
	"len", "make", "max", "min", "new", "panic", "print", "println", "real", "recover",
	"bool", "byte", "complex128", "complex64", "error", "float32", "float64", "int", "int16",
	"int32", "int64", "int8", "rune", "string", "uint", "uint16", "uint32", "uint64", "uint8",
	"uintptr", "any", "comparable", "true", "false", "nil", "iota"}

// byteOffset converts a cursor in code points to a byte offset in s.
func byteOffset(s string, cursor int) int {
	off := 0
	for i := 0; i < cursor && off < len(s); i++ {
		_, n := utf8.DecodeRuneInString(s[off:])
		off += n
	}
	return off
}

func isIdentRune(r rune) bool { return r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r) }

// identBefore returns the identifier that ends at byte offset off.
func identBefore(s string, off int) string {
	i := off
	for i > 0 {
		r, n := utf8.DecodeLastRuneInString(s[:i])
		if !isIdentRune(r) {
			break
		}
		i -= n
	}
	return s[i:off]
}

// packages returns the packages the cells imported, by the name cells use
// for them, with their symbol tables.
func (w *worker) packages() map[string]map[string]reflect.Value {
	out := map[string]map[string]reflect.Value{}
	for _, key := range w.sess.importList() {
		name, path := key.name, key.path
		for k, syms := range w.symbols {
			if strings.HasPrefix(k, path+"/") && !strings.Contains(k[len(path)+1:], "/") {
				if name == "" {
					name = k[len(path)+1:]
				}
				if name != "_" && name != "." {
					out[name] = syms
				}
			}
		}
	}
	return out
}

// packageByName finds a package that is not imported yet by its name, so
// that "strings.To" completes before the import has run. The shortest path
// wins (math/rand over crypto/rand... by length, then alphabetically).
func (w *worker) packageByName(name string) (map[string]reflect.Value, bool) {
	best := ""
	for k := range w.symbols {
		i := strings.LastIndexByte(k, '/')
		if i <= 0 || k[i+1:] != name {
			continue
		}
		if best == "" || len(k) < len(best) || (len(k) == len(best) && k < best) {
			best = k
		}
	}
	syms, ok := w.symbols[best]
	return syms, ok
}

// complete returns the names that can follow the text before cursor.
func (w *worker) complete(code string, cursor int) ([]string, int, int) {
	off := byteOffset(code, cursor)
	prefix := identBefore(code, off)
	start := cursor - utf8.RuneCountInString(prefix)
	var cands []string
	if dot := off - len(prefix) - 1; dot >= 0 && code[dot] == '.' {
		cands = w.members(identBefore(code, dot))
	} else {
		for n := range w.ip.Globals() {
			cands = append(cands, n)
		}
		for n := range w.sess.defined() {
			if !strings.Contains(n, ".") {
				cands = append(cands, n)
			}
		}
		for n := range w.packages() {
			cands = append(cands, n)
		}
		// Names in the text being edited, which has not run yet.
		for _, t := range source.Scan(code) {
			if t.Tok == token.IDENT && t.Pos+len(t.Lit) != off {
				cands = append(cands, t.Lit)
			}
		}
		cands = append(cands, goKeywords...)
		cands = append(cands, goBuiltins...)
	}
	seen := map[string]bool{}
	var matches []string
	for _, c := range cands {
		if strings.HasPrefix(c, prefix) && !seen[c] && c != "" && !strings.HasPrefix(c, "_") {
			seen[c] = true
			matches = append(matches, c)
		}
	}
	sort.Strings(matches)
	return matches, start, cursor
}

// members lists what can follow "x.": package members, or the fields and
// methods of a variable.
func (w *worker) members(x string) []string {
	syms, ok := w.packages()[x]
	if !ok {
		syms, ok = w.packageByName(x)
	}
	if ok {
		var out []string
		for n := range syms {
			if ast.IsExported(n) {
				out = append(out, n)
			}
		}
		return out
	}
	v, ok := w.ip.Globals()[x]
	if !ok {
		return nil
	}
	out := typeMembers(v.Type())
	if name := w.typeName(v.Type()); name != "" {
		for n := range w.sess.defined() {
			if m, ok := strings.CutPrefix(n, name+"."); ok {
				out = append(out, m)
			}
		}
	}
	return out
}

// typeName finds the cell-defined type that t is (or points to): the
// interpreter's reflect types carry no name and no interpreted methods.
func (w *worker) typeName(t reflect.Type) string {
	if t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	var types []string
	for n, src := range w.sess.defined() {
		if strings.HasPrefix(strings.TrimSpace(src), "type") && !strings.Contains(n, ".") {
			types = append(types, n)
		}
	}
	sort.Strings(types)
	for _, n := range types {
		if v, err := evalQuiet(w.ip, "*new("+n+")"); err == nil && v.IsValid() && v.Type() == t {
			return n
		}
	}
	return ""
}

func typeMembers(t reflect.Type) []string {
	var out []string
	for _, tt := range []reflect.Type{t, reflect.PointerTo(t)} {
		for i := 0; i < tt.NumMethod(); i++ {
			out = append(out, tt.Method(i).Name)
		}
	}
	if t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t.Kind() == reflect.Struct {
		for i := 0; i < t.NumField(); i++ {
			if f := t.Field(i); f.IsExported() || !strings.HasPrefix(f.Name, "X") {
				out = append(out, f.Name)
			}
		}
	}
	return out
}

// inspect describes the name under the cursor: signature and doc for a
// package member, the definition for a name defined in a cell, the type and
// value of a variable.
func (w *worker) inspect(code string, cursor, detail int) (string, bool) {
	off := byteOffset(code, cursor)
	end := off
	for end < len(code) {
		r, n := utf8.DecodeRuneInString(code[end:])
		if !isIdentRune(r) {
			break
		}
		end += n
	}
	name := identBefore(code, end)
	if name == "" {
		return "", false
	}
	begin := end - len(name)
	var qual string
	if begin > 0 && code[begin-1] == '.' {
		qual = identBefore(code, begin-1)
	}
	if qual != "" {
		if syms, ok := w.packages()[qual]; ok {
			v, ok := syms[name]
			if !ok {
				return "", false
			}
			path := w.pathOf(qual)
			sig := fmt.Sprintf("%s.%s: %s", qual, name, describeSymbol(v))
			if d := stdDoc(path, name); d != "" {
				sig += "\n\n" + d
			}
			return sig, true
		}
	}
	src, ok := w.sess.source(name)
	if ok {
		return strings.TrimSpace(src), true
	}
	if v, ok := w.ip.Globals()[name]; ok {
		typ := v.Type().String()
		if n := w.typeName(v.Type()); n != "" {
			typ = n
			if v.Kind() == reflect.Pointer {
				typ = "*" + n
			}
		}
		s := fmt.Sprintf("var %s %s", name, typ)
		if v.CanInterface() {
			s += fmt.Sprintf("\n= %v", display.PlainText(v.Interface()))
		}
		return s, true
	}
	if syms, ok := w.packages()[name]; ok {
		path := w.pathOf(name)
		if d := stdDoc(path, ""); d != "" {
			return fmt.Sprintf("package %s // import %q\n\n%s", name, path, d), true
		}
		return fmt.Sprintf("package %s (%d exported names)", name, len(syms)), true
	}
	return "", false
}

func (w *worker) pathOf(name string) string {
	for _, key := range w.sess.importList() {
		if key.base() == name {
			return key.path
		}
	}
	return name
}

func describeSymbol(v reflect.Value) string {
	if v.Kind() == reflect.Pointer && v.Elem().IsValid() && v.Type().Elem().Kind() == reflect.Interface {
		// Interface types are exported as (*I)(nil).
		return "interface " + v.Type().Elem().String()
	}
	if v.Kind() == reflect.Pointer && v.IsNil() {
		return "type " + v.Type().Elem().String()
	}
	return v.Type().String()
}

var docCache sync.Map // import path → *doc.Package (or nil)

// stdDoc returns the doc comment of name (or of the package when name is
// empty) from the Go installation's sources, when they are there.
func stdDoc(path, name string) string {
	var pkg *doc.Package
	if p, ok := docCache.Load(path); ok {
		pkg, _ = p.(*doc.Package)
	} else {
		pkg = loadDoc(path)
		docCache.Store(path, pkg)
	}
	if pkg == nil {
		return ""
	}
	if name == "" {
		return strings.TrimSpace(pkg.Synopsis(pkg.Doc))
	}
	for _, f := range pkg.Funcs {
		if f.Name == name {
			return strings.TrimSpace(f.Doc)
		}
	}
	for _, t := range pkg.Types {
		if t.Name == name {
			return strings.TrimSpace(t.Doc)
		}
		for _, f := range t.Funcs {
			if f.Name == name {
				return strings.TrimSpace(f.Doc)
			}
		}
	}
	for _, vs := range [][]*doc.Value{pkg.Vars, pkg.Consts} {
		for _, v := range vs {
			for _, n := range v.Names {
				if n == name {
					return strings.TrimSpace(v.Doc)
				}
			}
		}
	}
	return ""
}

func loadDoc(path string) *doc.Package {
	root := os.Getenv("GOROOT")
	if root == "" {
		root = runtime.GOROOT() //nolint:staticcheck // the build's GOROOT is the best guess left
	}
	dir := filepath.Join(root, "src", filepath.FromSlash(path))
	fset := token.NewFileSet()
	pkgs, err := parser.ParseDir(fset, dir, func(fi os.FileInfo) bool {
		return !strings.HasSuffix(fi.Name(), "_test.go")
	}, parser.ParseComments)
	if err != nil {
		return nil
	}
	base := path[strings.LastIndexByte(path, '/')+1:]
	for n, p := range pkgs {
		if n == base || len(pkgs) == 1 {
			return doc.New(p, path, 0)
		}
	}
	return nil
}

// callResults reports, for a final expression, whether it yields a value
// when it is a call, as far as that can be told from the symbol tables and
// the cells' own declarations (known is false otherwise). The
// interpreter's result for a call of a function without results is not
// reliable (it can be a value left over from an earlier cell), so it must
// not decide.
func (w *worker) callResults(x ast.Expr) (hasResults, known bool) {
	call, ok := ast.Unparen(x).(*ast.CallExpr)
	if !ok {
		return true, true
	}
	switch fun := ast.Unparen(call.Fun).(type) {
	case *ast.Ident:
		switch fun.Name {
		case "len", "cap", "append", "make", "new", "min", "max", "complex", "real", "imag", "recover":
			return true, true
		}
		return w.declResults(fun.Name)
	case *ast.SelectorExpr:
		recv, ok := fun.X.(*ast.Ident)
		if !ok {
			return false, false
		}
		name := fun.Sel.Name
		if syms, ok := w.packages()[recv.Name]; ok {
			v, ok := syms[name]
			if !ok {
				return false, false
			}
			if v.Kind() == reflect.Func {
				return v.Type().NumOut() > 0, true
			}
			return true, true // a conversion to a package's type
		}
		g, ok := w.ip.Globals()[recv.Name]
		if !ok || !g.IsValid() {
			return false, false
		}
		t := g.Type()
		for _, tt := range []reflect.Type{t, reflect.PointerTo(t)} {
			if m, ok := tt.MethodByName(name); ok {
				return m.Type.NumOut() > 0, true
			}
		}
		if tn := w.typeName(t); tn != "" {
			return w.declResults(tn + "." + name)
		}
	}
	return false, false
}

// declResults reads a cell-defined function's (or method's, "T.M")
// declaration and tells whether it has results.
func (w *worker) declResults(name string) (hasResults, known bool) {
	src, ok := w.sess.source(name)
	if !ok {
		return false, false
	}
	f, err := parser.ParseFile(token.NewFileSet(), "", "package p\n"+src, parser.SkipObjectResolution)
	if err != nil {
		return false, false
	}
	// The chunk that defined name may declare other types and funcs too
	// (a file given to :load): only name's own declaration counts.
	short := name[strings.LastIndexByte(name, '.')+1:]
	method := strings.Contains(name, ".")
	for _, d := range f.Decls {
		switch d := d.(type) {
		case *ast.FuncDecl:
			if d.Name.Name == short && (d.Recv != nil) == method {
				return d.Type.Results != nil && len(d.Type.Results.List) > 0, true
			}
		case *ast.GenDecl:
			if d.Tok != token.TYPE || method {
				continue
			}
			for _, sp := range d.Specs {
				if ts, ok := sp.(*ast.TypeSpec); ok && ts.Name.Name == short {
					return true, true // a conversion
				}
			}
		}
	}
	return false, false
}
