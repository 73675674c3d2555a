package rewrite

import (
	"go/ast"
	"go/token"
	"go/types"
	"path"
	"reflect"
	"strings"

	"github.com/lanes-dev/lanes/internal/rangefunc"
	"github.com/lanes-dev/lanes/internal/source"
)

// Members is what a Session may also tell: the compiled type of a member
// of a package (from its symbol table), or nil. The type checker sees
// packages empty, so without it a range over a compiled iterator such as
// strings.Lines(s) would not be known to range over a function.
type Members interface {
	MemberType(pkg, name string) reflect.Type
}

// rangeFuncs rewrites the range-over-func loops under root (see
// internal/rangefunc), which the interpreter cannot run, before the other
// rewrites, which then see ordinary code. It reports whether it rewrote
// any.
func (r *rewriter) rangeFuncs(root ast.Node, pkg *types.Package, m Members) bool {
	cfg := rangefunc.Config{
		Check:   source.RuntimeName + ".RangeCheck",
		Prefix:  source.Reserved + "rf",
		Package: pkg,
		Qualifier: func(p *types.Package) string {
			if p.Path() == sessionPkg {
				return ""
			}
			return p.Name()
		},
	}
	cfg.Yield = func(x ast.Expr) *types.Signature {
		if y := r.genericYield(x); y != nil {
			return y
		}
		if m != nil {
			return r.compiledYield(x, m)
		}
		return nil
	}
	n, err := rangefunc.Rewrite(root, r.info, cfg)
	if err != nil {
		return false // a loop left as written: the interpreter's error names it
	}
	return n > 0
}

// genericIterators are the iterator functions of the standard library
// that the type checker never sees: the generic ones, which a symbol table
// cannot hold, and those that interpreted sources may provide (strings,
// bytes). Each gives the values it yields: "key" and "elem" of its first
// argument's map type, "index" (int) and "elem" of its slice type,
// "slice" that type itself, or "string" and "bytes" ([]byte).
var genericIterators = map[string][]string{
	"maps.All": {"key", "elem"}, "maps.Keys": {"key"}, "maps.Values": {"elem"},
	"slices.All": {"index", "elem"}, "slices.Backward": {"index", "elem"},
	"slices.Values": {"elem"}, "slices.Chunk": {"slice"},
	"strings.Lines": {"string"}, "strings.SplitSeq": {"string"}, "strings.SplitAfterSeq": {"string"},
	"strings.FieldsSeq": {"string"}, "strings.FieldsFuncSeq": {"string"},
	"bytes.Lines": {"bytes"}, "bytes.SplitSeq": {"bytes"}, "bytes.SplitAfterSeq": {"bytes"},
	"bytes.FieldsSeq": {"bytes"}, "bytes.FieldsFuncSeq": {"bytes"},
}

// genericYield returns the yield func's signature for a call of one of
// genericIterators (under its package's name, or the underscored name the
// interpreted sources of these packages are compiled under) whose first
// argument's type is known.
func (r *rewriter) genericYield(x ast.Expr) *types.Signature {
	call, ok := x.(*ast.CallExpr)
	if !ok || len(call.Args) == 0 || r.info == nil {
		return nil
	}
	sel, ok := call.Fun.(*ast.SelectorExpr)
	if !ok {
		return nil
	}
	id, ok := sel.X.(*ast.Ident)
	if !ok {
		return nil
	}
	values, ok := genericIterators[strings.TrimPrefix(id.Name, "_")+"."+sel.Sel.Name]
	if !ok {
		return nil
	}
	var under types.Type // of the first argument's type, when known
	at := r.info.TypeOf(call.Args[0])
	if at != nil && !containsInvalid(at) {
		under = at.Underlying()
	}
	var params []*types.Var
	for _, v := range values {
		var t types.Type
		switch u := under.(type) {
		case *types.Map:
			t = map[string]types.Type{"key": u.Key(), "elem": u.Elem()}[v]
		case *types.Slice:
			t = map[string]types.Type{"index": types.Typ[types.Int], "elem": u.Elem(), "slice": at}[v]
		}
		switch v {
		case "string":
			t = types.Typ[types.String]
		case "bytes":
			t = types.NewSlice(types.Typ[types.Byte])
		}
		if t == nil {
			return nil
		}
		params = append(params, types.NewParam(token.NoPos, nil, "", t))
	}
	return types.NewSignatureType(nil, nil, nil, types.NewTuple(params...),
		types.NewTuple(types.NewParam(token.NoPos, nil, "", types.Typ[types.Bool])), false)
}

// compiledYield returns the yield func's signature when x calls (or is) a
// member of a compiled package whose type is an iterator.
func (r *rewriter) compiledYield(x ast.Expr, m Members) *types.Signature {
	call, isCall := x.(*ast.CallExpr)
	if isCall {
		x = call.Fun
	}
	sel, ok := x.(*ast.SelectorExpr)
	if !ok {
		return nil
	}
	id, ok := sel.X.(*ast.Ident)
	if !ok || r.isPkg == nil || !r.isPkg(id.Name) {
		return nil
	}
	t := m.MemberType(id.Name, sel.Sel.Name)
	if t == nil {
		return nil
	}
	if isCall {
		if t.Kind() != reflect.Func || t.NumOut() != 1 {
			return nil
		}
		t = t.Out(0)
	}
	return yieldFromReflect(t)
}

// yieldFromReflect returns the yield func's signature of an iterator's
// compiled type, when the types of its values can be spelled.
func yieldFromReflect(t reflect.Type) *types.Signature {
	if t.Kind() != reflect.Func || t.NumIn() != 1 || t.NumOut() != 0 {
		return nil
	}
	y := t.In(0)
	if y.Kind() != reflect.Func || y.NumIn() > 2 || y.IsVariadic() || y.NumOut() != 1 || y.Out(0).Kind() != reflect.Bool {
		return nil
	}
	var params []*types.Var
	for i := range y.NumIn() {
		pt := goType(y.In(i))
		if pt == nil {
			return nil
		}
		params = append(params, types.NewParam(token.NoPos, nil, "", pt))
	}
	return types.NewSignatureType(nil, nil, nil, types.NewTuple(params...),
		types.NewTuple(types.NewParam(token.NoPos, nil, "", types.Typ[types.Bool])), false)
}

// basicKinds maps reflect's basic kinds to go/types'.
var basicKinds = map[reflect.Kind]types.BasicKind{
	reflect.Bool: types.Bool, reflect.String: types.String,
	reflect.Int: types.Int, reflect.Int8: types.Int8, reflect.Int16: types.Int16, reflect.Int32: types.Int32, reflect.Int64: types.Int64,
	reflect.Uint: types.Uint, reflect.Uint8: types.Uint8, reflect.Uint16: types.Uint16, reflect.Uint32: types.Uint32, reflect.Uint64: types.Uint64,
	reflect.Uintptr: types.Uintptr, reflect.Float32: types.Float32, reflect.Float64: types.Float64,
	reflect.Complex64: types.Complex64, reflect.Complex128: types.Complex128,
	reflect.UnsafePointer: types.UnsafePointer,
}

// goType returns a go/types type that spells as t does in Go source, or
// nil when it cannot: only what an iterator of the standard library
// yields is needed (basic types, named basic types, slices, arrays, maps,
// pointers of those, and any).
func goType(t reflect.Type) types.Type {
	if t.Name() != "" && t.PkgPath() != "" {
		b, ok := basicKinds[t.Kind()]
		if !ok || strings.ContainsAny(t.Name(), "[.") || !token.IsExported(t.Name()) {
			return nil
		}
		tn := types.NewTypeName(token.NoPos, types.NewPackage(t.PkgPath(), path.Base(t.PkgPath())), t.Name(), nil)
		return types.NewNamed(tn, types.Typ[b], nil)
	}
	if b, ok := basicKinds[t.Kind()]; ok {
		return types.Typ[b]
	}
	var elem types.Type
	if k := t.Kind(); k == reflect.Slice || k == reflect.Array || k == reflect.Map || k == reflect.Pointer {
		if elem = goType(t.Elem()); elem == nil {
			return nil
		}
	}
	switch t.Kind() {
	case reflect.Slice:
		return types.NewSlice(elem)
	case reflect.Array:
		return types.NewArray(elem, int64(t.Len()))
	case reflect.Pointer:
		return types.NewPointer(elem)
	case reflect.Map:
		key := goType(t.Key())
		if key == nil {
			return nil
		}
		return types.NewMap(key, elem)
	case reflect.Interface:
		if t.NumMethod() == 0 && t.Name() == "" {
			return types.NewInterfaceType(nil, nil)
		}
	}
	return nil
}
