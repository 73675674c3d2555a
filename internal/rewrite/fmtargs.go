package rewrite

import (
	"fmt"
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"
	"strings"

	"github.com/lanes-dev/lanes/internal/source"
)

// fmtPrints maps the fmt functions that print their operands with %v to
// the index of their first operand; fmtFormats (typeverb.go) lists those
// with a format.
var fmtPrints = map[string]int{"Print": 0, "Println": 0, "Sprint": 0, "Sprintln": 0, "Fprint": 1, "Fprintln": 1}

// displayArgs makes fmt honour the String, Error and Format methods of
// cell-defined types inside the values it prints. The interpreter gives
// such methods only to fmt's operands themselves (fmt.Println(c) prints
// 1.0°C); a Celsius inside a slice, a map's value, a struct's exported
// field or behind a pointer reaches fmt as its underlying value
// (fmt.Println([]Celsius{1, 2}) printed [1 2] for [1.0°C 2.0°C]). So an
// operand whose static type holds such a type (and has no method of its
// own) is converted, in interpreted code, into a value of the same shape
// whose elements are interfaces holding the cell's values, which the
// interpreter wraps with their methods:
//
//	fmt.Println(temps)   becomes   fmt.Println(func(x []Celsius) []fmt.Stringer {...}(temps))
//
// fmt prints the converted value as Go prints the original for the verbs
// that call those methods, so a call with a format is converted only when
// its verbs are all %v, %s or %q (a %d, %T or %x prints the underlying
// value, or the type, which the conversion would change). Map keys, embedded
// fields, values of interface types and types the rewrite cannot spell
// (those of compiled packages) are left as they are.
func (r *rewriter) displayArgs(c *ast.CallExpr) {
	sel, ok := c.Fun.(*ast.SelectorExpr)
	if !ok || r.info == nil || c.Ellipsis.IsValid() {
		return
	}
	x, ok := sel.X.(*ast.Ident)
	if !ok || r.pkgPath(x) != "fmt" {
		return
	}
	first, ok := fmtPrints[sel.Sel.Name]
	names := false // %+v: fields are printed with their names
	if !ok {
		fi, ok := fmtFormats[sel.Sel.Name]
		if !ok || len(c.Args) <= fi {
			return
		}
		tv, ok := r.info.Types[c.Args[fi]]
		if !ok || tv.Value == nil || tv.Value.Kind() != constant.String {
			return
		}
		format := constant.StringVal(tv.Value)
		verbs, ok := formatVerbs(format)
		if !ok {
			return
		}
		r.wrapOperands(c, fi, verbs)
		for _, v := range verbs {
			if v.verb != 'v' && v.verb != 's' && v.verb != 'q' {
				return
			}
			flags := format[strings.LastIndexByte(format[:v.end], '%'):v.end]
			if strings.ContainsRune(flags, '#') {
				return // %#v prints the types' names
			}
			names = names || strings.ContainsRune(flags, '+')
		}
		first = fi + 1
	}
	for i := first; i < len(c.Args); i++ {
		t := r.info.TypeOf(c.Args[i])
		if t == nil || r.methods(t) != "" || !r.needsDisplay(t, 0) {
			continue
		}
		conv, _, ok := r.displayConv(t, 0, names)
		if !ok {
			continue
		}
		// The converter's source text in an identifier: see wrapFunc.
		call := &ast.CallExpr{Fun: &ast.Ident{NamePos: c.Args[i].Pos(), Name: conv}, Lparen: c.Args[i].Pos(), Args: []ast.Expr{c.Args[i]}, Rparen: c.Args[i].End()}
		r.done[call] = true
		c.Args[i] = call
		r.changed = true
	}
}

// pkgPath returns the path of the package x names: from its import, or,
// for a package in scope without one, its name; "" when x is no package.
func (r *rewriter) pkgPath(x *ast.Ident) string {
	switch obj := r.info.Uses[x].(type) {
	case *types.PkgName:
		return obj.Imported().Path()
	case nil:
		if r.isPkg != nil && r.isPkg(x.Name) {
			return x.Name
		}
	}
	return ""
}

// methods returns the interface of fmt through which fmt prints values of
// type t, a type the cells declared (or a pointer to one): "fmt.Formatter",
// "error" or "fmt.Stringer", in fmt's order; "" for none.
func (r *rewriter) methods(t types.Type) string {
	named := t
	if p, ok := t.(*types.Pointer); ok {
		named = p.Elem()
	}
	n, ok := named.(*types.Named)
	if !ok || n.Obj().Pkg() == nil || n.Obj().Pkg().Path() != sessionPkg || types.IsInterface(n) {
		return ""
	}
	ms := types.NewMethodSet(t)
	has := func(name string, params int) bool {
		s := ms.Lookup(n.Obj().Pkg(), name)
		if s == nil {
			return false
		}
		sig := s.Obj().Type().(*types.Signature)
		if sig.Params().Len() != params {
			return false
		}
		if params == 0 {
			return sig.Results().Len() == 1 && types.Identical(sig.Results().At(0).Type(), types.Typ[types.String])
		}
		return sig.Results().Len() == 0
	}
	switch {
	case has("Format", 2):
		return "fmt.Formatter"
	case has("Error", 0):
		return "error"
	case has("String", 0):
		return "fmt.Stringer"
	}
	return ""
}

// needsDisplay reports whether a value of type t holds, where fmt would
// call its methods, a value of a cell-defined type with String, Error or
// Format.
func (r *rewriter) needsDisplay(t types.Type, depth int) bool {
	if depth > 0 && r.methods(t) != "" {
		return true
	}
	if depth > 8 {
		return false
	}
	switch u := t.Underlying().(type) {
	case *types.Slice:
		return r.needsDisplay(u.Elem(), depth+1)
	case *types.Array:
		return r.needsDisplay(u.Elem(), depth+1)
	case *types.Map:
		return r.needsDisplay(u.Elem(), depth+1) && !r.needsDisplay(u.Key(), depth+1)
	case *types.Pointer:
		// fmt follows a pointer to a struct, array, slice or map only
		// at the top (&{...}); deeper it prints the address.
		return depth == 0 && r.needsDisplay(u.Elem(), depth)
	case *types.Struct:
		for i := range u.NumFields() {
			f := u.Field(i)
			if f.Embedded() {
				return false
			}
			if f.Exported() && r.needsDisplay(f.Type(), depth+1) {
				return true
			}
		}
	}
	return false
}

// displayConv returns the source of a func that converts a value of type
// t into the value fmt should print (see displayArgs), and the source of
// that value's type; ok is false when a type cannot be spelled.
//
// With names, fmt prints struct fields with their names (%+v): a struct
// with an unexported field cannot be converted then, as the interpreter
// renames such fields of the struct types it makes (t becomes Xt).
func (r *rewriter) displayConv(t types.Type, depth int, names bool) (conv, typ string, ok bool) {
	ts := r.typeString(t)
	if containsInvalid(t) || strings.Contains(ts, "invalid type") {
		return "", "", false
	}
	x := source.Reserved + "x"
	if depth > 0 {
		if m := r.methods(t); m != "" {
			if _, isPtr := t.(*types.Pointer); isPtr {
				// A nil pointer prints <nil>, as Go prints it.
				return fmt.Sprintf("func(%s %s) %s { if %s == nil { return nil }; return %s }", x, ts, m, x, x), m, true
			}
			return fmt.Sprintf("func(%s %s) %s { return %s }", x, ts, m, x), m, true
		}
	}
	if !r.needsDisplay(t, depth) {
		return fmt.Sprintf("func(%s %s) %s { return %s }", x, ts, ts, x), ts, true
	}
	i, k, v := source.Reserved+"i", source.Reserved+"k", source.Reserved+"v"
	switch u := t.Underlying().(type) {
	case *types.Slice, *types.Array:
		var elem types.Type
		if s, isSlice := u.(*types.Slice); isSlice {
			elem = s.Elem()
		} else {
			elem = u.(*types.Array).Elem()
		}
		ec, et, ok := r.displayConv(elem, depth+1, names)
		if !ok {
			return "", "", false
		}
		o := source.Reserved + "o"
		return fmt.Sprintf("func(%s %s) []%s { %s := make([]%s, len(%s)); for %s := range %s { %s[%s] = (%s)(%s[%s]) }; return %s }",
			x, ts, et, o, et, x, i, x, o, i, ec, x, i, o), "[]" + et, true
	case *types.Map:
		ec, et, ok := r.displayConv(u.Elem(), depth+1, names)
		kt := r.typeString(u.Key())
		if !ok || containsInvalid(u.Key()) {
			return "", "", false
		}
		o := source.Reserved + "o"
		return fmt.Sprintf("func(%s %s) map[%s]%s { if %s == nil { return nil }; %s := make(map[%s]%s, len(%s)); for %s, %s := range %s { %s[%s] = (%s)(%s) }; return %s }",
			x, ts, kt, et, x, o, kt, et, x, k, v, x, o, k, ec, v, o), "map[" + kt + "]" + et, true
	case *types.Pointer:
		ec, et, ok := r.displayConv(u.Elem(), depth, names)
		if !ok {
			return "", "", false
		}
		d := source.Reserved + "d"
		return fmt.Sprintf("func(%s %s) *%s { if %s == nil { return nil }; %s := (%s)(*%s); return &%s }",
			x, ts, et, x, d, ec, x, d), "*" + et, true
	case *types.Struct:
		var fields, vals []string
		for n := range u.NumFields() {
			f := u.Field(n)
			fc, ft := "", r.typeString(f.Type())
			if containsInvalid(f.Type()) || (names && !f.Exported()) {
				return "", "", false
			}
			if f.Exported() {
				var ok bool
				if fc, ft, ok = r.displayConv(f.Type(), depth+1, names); !ok {
					return "", "", false
				}
			}
			fields = append(fields, f.Name()+" "+ft)
			if fc == "" {
				vals = append(vals, x+"."+f.Name())
			} else {
				vals = append(vals, "("+fc+")("+x+"."+f.Name()+")")
			}
		}
		st := "struct{ " + strings.Join(fields, "; ") + " }"
		return fmt.Sprintf("func(%s %s) %s { return %s{%s} }", x, ts, st, st, strings.Join(vals, ", ")), st, true
	}
	return "", "", false
}

// callsFmtPrint reports whether src calls a fmt print function while the
// session or src declares a method fmt would call (String, Error or
// Format): only then can displayArgs change it.
func callsFmtPrint(src string, s Session) bool {
	toks := source.Scan(src)
	found := false
	for i := 0; i+2 < len(toks); i++ {
		if toks[i].Tok == token.IDENT && toks[i].Lit == "fmt" && toks[i+1].Tok == token.PERIOD && toks[i+2].Tok == token.IDENT {
			name := toks[i+2].Lit
			if _, ok := fmtPrints[name]; ok {
				found = true
				break
			}
			if _, ok := fmtFormats[name]; ok {
				found = true
				break
			}
		}
	}
	if !found || !s.IsPackage("fmt") {
		return false
	}
	has := func(text string) bool {
		return strings.Contains(text, "String() string") || strings.Contains(text, "Error() string") || strings.Contains(text, "Format(")
	}
	return has(src) || has(s.Prelude())
}

// wrapOperands makes each %w operand of fmt.Errorf (fi is the format's
// index) whose static type is a cell-defined error type an error value:
// the interpreter hands fmt such an operand without its Error method
// (fmt.Errorf("lookup: %w", &NotFound{n}) printed "lookup: %!w(*struct {
// Name string }=&{bob})" and wrapped nothing), but a value of type error
// with it. The operand becomes func(x *NotFound) error { return x }(...).
func (r *rewriter) wrapOperands(c *ast.CallExpr, fi int, verbs []verb) {
	for _, v := range verbs {
		k := fi + 1 + v.arg
		if v.verb != 'w' || k >= len(c.Args) {
			continue
		}
		c.Args[k] = r.asError(c.Args[k])
	}
}

// asError returns e as a value of type error when its static type is a
// cell-defined error type (see wrapOperands), or e itself.
func (r *rewriter) asError(e ast.Expr) ast.Expr {
	t := r.info.TypeOf(e)
	if t == nil || types.IsInterface(t) || r.methods(t) != "error" || containsInvalid(t) {
		return e
	}
	x := source.Reserved + "x"
	conv := fmt.Sprintf("func(%s %s) error { return %s }", x, r.typeString(t), x)
	call := &ast.CallExpr{Fun: &ast.Ident{NamePos: e.Pos(), Name: conv}, Lparen: e.Pos(), Args: []ast.Expr{e}, Rparen: e.End()}
	r.done[call] = true
	r.changed = true
	return call
}
