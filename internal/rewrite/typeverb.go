package rewrite

import (
	"fmt"
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"
	"sort"
	"strconv"
	"strings"

	"github.com/lanes-dev/lanes/internal/source"
)

// fmtFormats maps the fmt functions that take a format to the index of
// the format among their arguments.
var fmtFormats = map[string]int{"Printf": 0, "Sprintf": 0, "Errorf": 0, "Fprintf": 1, "Appendf": 1}

// typeVerbs makes %T print a cell-defined type's Go name. The interpreter
// gives such types no name of their own (%T of a Celsius printed
// "symbols._fmt_Stringer", of a struct "struct { W float64; H float64 }"),
// so where the static type of a %T operand is known and is not an
// interface, the verb becomes %s of the type's name, spelled as go run
// spells it (main.Celsius, []main.Rect):
//
//	fmt.Printf("%T\n", c)   becomes   fmt.Printf("%s\n", _lanesrt.TypeName("main.Celsius", c))
//
// Formats that are not constants, or that index their operands
// explicitly, are left alone.
func (r *rewriter) typeVerbs(c *ast.CallExpr) {
	sel, ok := c.Fun.(*ast.SelectorExpr)
	if !ok || r.info == nil {
		return
	}
	pkg, ok := sel.X.(*ast.Ident)
	fi, isFmt := fmtFormats[sel.Sel.Name]
	if !ok || !isFmt || pkg.Name != "fmt" || r.isPkg == nil || !r.isPkg("fmt") || len(c.Args) <= fi || c.Ellipsis.IsValid() {
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
	var b strings.Builder
	last, changed := 0, false
	for _, v := range verbs {
		k := fi + 1 + v.arg
		if v.verb != 'T' || k >= len(c.Args) {
			continue
		}
		var nameExpr ast.Expr
		if name, ok := r.cellTypeName(c.Args[k]); ok {
			nameExpr = &ast.BasicLit{ValuePos: c.Args[k].Pos(), Kind: token.STRING, Value: strconv.Quote(name)}
		} else if sw, ok := r.dynamicTypeName(c.Args[k]); ok {
			nameExpr = &ast.CallExpr{Fun: &ast.Ident{NamePos: c.Args[k].Pos(), Name: sw}, Args: []ast.Expr{c.Args[k]}}
		} else {
			continue
		}
		b.WriteString(format[last : v.end-1])
		b.WriteByte('s')
		last = v.end
		c.Args[k] = rtCall("TypeName", nameExpr, c.Args[k])
		changed = true
	}
	if !changed {
		return
	}
	b.WriteString(format[last:])
	c.Args[fi] = &ast.BasicLit{ValuePos: c.Args[fi].Pos(), Kind: token.STRING, Value: strconv.Quote(b.String())}
	r.changed = true
}

// cellTypeName returns the name go run prints for %T of e, when e's type
// is known, is not an interface and involves a type the cells declared.
func (r *rewriter) cellTypeName(e ast.Expr) (string, bool) {
	t := r.info.TypeOf(e)
	if t == nil || types.IsInterface(t) || containsInvalid(t) {
		return "", false
	}
	if b, ok := t.(*types.Basic); ok && b.Info()&types.IsUntyped != 0 {
		return "", false
	}
	local := false
	name := types.TypeString(t, func(p *types.Package) string {
		if p.Path() == sessionPkg {
			local = true
			return "main"
		}
		return p.Name()
	})
	return name, local
}

// verb is one verb of a format: the operand it prints (counted from the
// first operand after the format) and the index just after it.
type verb struct {
	verb rune
	arg  int
	end  int
}

// formatVerbs lists the verbs of a fmt format in order. It fails on
// explicit argument indexes ("%[1]T"), which it does not follow.
func formatVerbs(f string) ([]verb, bool) {
	var out []verb
	arg := 0
	for i := 0; i < len(f); i++ {
		if f[i] != '%' {
			continue
		}
		i++
		for i < len(f) && strings.IndexByte("+-# 0", f[i]) >= 0 {
			i++
		}
		for i < len(f) && (f[i] >= '0' && f[i] <= '9' || f[i] == '.' || f[i] == '*') {
			if f[i] == '*' {
				arg++ // the width or precision is an operand
			}
			i++
		}
		if i >= len(f) {
			break
		}
		switch f[i] {
		case '%':
			continue
		case '[':
			return nil, false
		}
		out = append(out, verb{verb: rune(f[i]), arg: arg, end: i + 1})
		arg++
	}
	return out, true
}

// dynamicTypeName returns the source of a func that names the dynamic
// type of e, an operand of an interface type, as go run prints it for
// %T: a type switch over the types the cells declared (T and *T), and
// fmt's %T for any other. The interpreter's own %T of a cell-defined
// type held in an interface named its wrapper (symbols._fmt_Stringer).
func (r *rewriter) dynamicTypeName(e ast.Expr) (string, bool) {
	t := r.info.TypeOf(e)
	if t == nil || !types.IsInterface(t) || containsInvalid(t) {
		return "", false
	}
	var names []string
	for id, obj := range r.info.Defs {
		tn, ok := obj.(*types.TypeName)
		if !ok || tn.Pkg() == nil || tn.Pkg().Path() != sessionPkg || tn.Parent() != tn.Pkg().Scope() || tn.IsAlias() {
			continue
		}
		if n, ok := tn.Type().(*types.Named); !ok || n.TypeParams().Len() > 0 || types.IsInterface(n) {
			continue
		}
		names = append(names, id.Name)
	}
	if len(names) == 0 {
		return "", false
	}
	sort.Strings(names)
	x := source.Reserved + "x"
	var b strings.Builder
	fmt.Fprintf(&b, "func(%s any) string { switch %s.(type) {", x, x)
	for _, n := range names {
		fmt.Fprintf(&b, " case %s: return %q; case *%s: return %q;", n, "main."+n, n, "*main."+n)
	}
	fmt.Fprintf(&b, " }; return fmt.Sprintf(\"%%T\", %s) }", x)
	return b.String(), true
}
