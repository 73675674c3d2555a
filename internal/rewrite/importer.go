package rewrite

import (
	"go/constant"
	"go/token"
	"go/types"
	"path"
	"reflect"
	"strings"
	"sync"
)

// Typed is implemented by a Session whose compiled packages have types:
// the rewrites then know the types of expressions that use them
// (min(d, time.Second), n := runtime.NumCPU()), where an empty package
// leaves them invalid and the rewrite undone.
type Typed interface {
	// Importer returns the importer the session's cells are
	// type-checked with.
	Importer() types.Importer
}

// importerOf is the importer of a Session or Members that is Typed, else
// nil (every package empty).
func importerOf(s any) types.Importer {
	if t, ok := s.(Typed); ok {
		return t.Importer()
	}
	return nil
}

// NewImporter returns an importer of the packages that symbols describes:
// a table of the interpreter's compiled packages, keyed "path/name" (as
// yaegi's tables are), each mapping a member's name to its value. The types
// are read from the values with package reflect, so they are exactly what
// the interpreter can use; a package not in the table is empty and
// complete, as the checker sees every package without one. Generic members
// do not exist as values and stay undefined; package iter has its two
// generic types (see iterPkg).
//
// A member's kind is read from its value: a nil pointer that cannot be set
// stands for the type it points to, a value that can be set is a variable,
// a constant.Value is an untyped constant, a function is a function, and
// any other value of a boolean, numeric or string type is a typed constant
// (time.Second). Packages are built on first import and kept: the importer
// is safe for concurrent use, and packages it returned never change.
func NewImporter(symbols map[string]map[string]reflect.Value) types.Importer {
	im := &symbolImporter{
		byPath: map[string]string{},
		syms:   symbols,
		pkgs:   map[string]*types.Package{},
		named:  map[reflect.Type]types.Type{},
	}
	for k := range symbols {
		p, name := path.Split(k)
		im.byPath[strings.TrimSuffix(p, "/")] = name
	}
	return im
}

type symbolImporter struct {
	byPath map[string]string // import path → the package's name
	syms   map[string]map[string]reflect.Value

	mu    sync.Mutex
	pkgs  map[string]*types.Package // built or referred to, by path
	done  map[string]bool           // paths whose members are in
	named map[reflect.Type]types.Type
}

// Import returns the package at path p.
func (im *symbolImporter) Import(p string) (*types.Package, error) {
	if p == "iter" {
		return iterPkg(), nil
	}
	im.mu.Lock()
	defer im.mu.Unlock()
	pkg := im.pkg(p)
	if im.done == nil {
		im.done = map[string]bool{}
	}
	if !im.done[p] {
		im.done[p] = true
		im.fill(pkg, im.syms[p+"/"+im.byPath[p]])
		pkg.MarkComplete()
	}
	return pkg, nil
}

// pkg returns the package object of path p, made empty if new.
func (im *symbolImporter) pkg(p string) *types.Package {
	if pkg := im.pkgs[p]; pkg != nil {
		return pkg
	}
	name := im.byPath[p]
	if name == "" {
		name = path.Base(p)
	}
	pkg := types.NewPackage(p, name)
	im.pkgs[p] = pkg
	return pkg
}

// fill declares the members of pkg from its symbol table.
func (im *symbolImporter) fill(pkg *types.Package, members map[string]reflect.Value) {
	scope := pkg.Scope()
	for name, v := range members {
		if !token.IsExported(name) || !v.IsValid() {
			continue // yaegi's interface wrappers are named "_Reader" and so on
		}
		if obj := im.object(pkg, name, v); obj != nil {
			scope.Insert(obj)
		}
	}
}

// object is the declaration of member name with value v.
func (im *symbolImporter) object(pkg *types.Package, name string, v reflect.Value) types.Object {
	t := v.Type()
	switch {
	case t.Implements(reflect.TypeFor[constant.Value]()):
		c, ok := v.Interface().(constant.Value)
		if !ok || c == nil {
			return nil
		}
		return types.NewConst(token.NoPos, pkg, name, untypedOf(c), c)
	case t.Kind() == reflect.Pointer && v.IsNil() && !v.CanSet():
		tn, ok := im.typeOf(t.Elem()).(*types.Named)
		if !ok {
			return nil
		}
		return tn.Obj()
	case v.CanSet():
		return types.NewVar(token.NoPos, pkg, name, im.typeOf(t))
	case t.Kind() == reflect.Func:
		sig, ok := im.typeOf(t).(*types.Signature)
		if !ok {
			return nil
		}
		return types.NewFunc(token.NoPos, pkg, name, sig)
	}
	if c := constOf(v); c != nil {
		return types.NewConst(token.NoPos, pkg, name, im.typeOf(t), c)
	}
	return types.NewVar(token.NoPos, pkg, name, im.typeOf(t))
}

// untypedOf is the untyped type of a constant of value c.
func untypedOf(c constant.Value) types.Type {
	switch c.Kind() {
	case constant.Bool:
		return types.Typ[types.UntypedBool]
	case constant.String:
		return types.Typ[types.UntypedString]
	case constant.Float:
		return types.Typ[types.UntypedFloat]
	case constant.Complex:
		return types.Typ[types.UntypedComplex]
	}
	return types.Typ[types.UntypedInt]
}

// constOf is the value of v as a constant, or nil if its type has none.
func constOf(v reflect.Value) constant.Value {
	switch v.Kind() {
	case reflect.Bool:
		return constant.MakeBool(v.Bool())
	case reflect.String:
		return constant.MakeString(v.String())
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return constant.MakeInt64(v.Int())
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return constant.MakeUint64(v.Uint())
	case reflect.Float32, reflect.Float64:
		return constant.MakeFloat64(v.Float())
	}
	return nil
}

// typeOf converts a compiled type; the caller holds im.mu.
func (im *symbolImporter) typeOf(t reflect.Type) types.Type {
	if t.Name() != "" {
		if t.PkgPath() == "" { // predeclared: int, string, error, ...
			if t.Kind() == reflect.Interface {
				return types.Universe.Lookup("error").Type()
			}
			return types.Typ[basicKinds[t.Kind()]]
		}
		return im.namedOf(t)
	}
	return im.literal(t, nil)
}

// namedOf converts a defined type, its methods included. The type is
// recorded before its underlying type is converted, so that types that
// refer to themselves end.
func (im *symbolImporter) namedOf(t reflect.Type) types.Type {
	if n, ok := im.named[t]; ok {
		return n
	}
	pkg := im.pkg(t.PkgPath())
	// An instance of a generic type (atomic.Pointer[T] inside a struct)
	// is named as reflect names it, "Pointer[int]": a distinct type of
	// that structure, which is what the checker needs of it.
	tn := types.NewTypeName(token.NoPos, pkg, t.Name(), nil)
	n := types.NewNamed(tn, nil, nil)
	im.named[t] = n
	if t.Kind() == reflect.Interface {
		n.SetUnderlying(im.literal(t, pkg))
		return n
	}
	if basic, ok := basicKinds[t.Kind()]; ok {
		n.SetUnderlying(types.Typ[basic])
	} else {
		n.SetUnderlying(im.literal(t, pkg))
	}
	// Methods: those of T have a value receiver, those only *T has a
	// pointer receiver.
	value := map[string]bool{}
	for i := range t.NumMethod() {
		m := t.Method(i)
		value[m.Name] = true
		n.AddMethod(im.method(pkg, m, n))
	}
	pt := reflect.PointerTo(t)
	for i := range pt.NumMethod() {
		if m := pt.Method(i); !value[m.Name] {
			n.AddMethod(im.method(pkg, m, types.NewPointer(n)))
		}
	}
	return n
}

// method converts a method of a concrete type, whose reflect type takes
// the receiver first.
func (im *symbolImporter) method(pkg *types.Package, m reflect.Method, recv types.Type) *types.Func {
	ft := m.Type
	params := make([]*types.Var, 0, ft.NumIn())
	for i := 1; i < ft.NumIn(); i++ {
		params = append(params, types.NewParam(token.NoPos, pkg, "", im.typeOf(ft.In(i))))
	}
	sig := types.NewSignatureType(types.NewParam(token.NoPos, pkg, "", recv), nil, nil,
		types.NewTuple(params...), im.results(pkg, ft), ft.IsVariadic())
	return types.NewFunc(token.NoPos, pkg, m.Name, sig)
}

func (im *symbolImporter) results(pkg *types.Package, ft reflect.Type) *types.Tuple {
	out := make([]*types.Var, ft.NumOut())
	for i := range out {
		out[i] = types.NewParam(token.NoPos, pkg, "", im.typeOf(ft.Out(i)))
	}
	return types.NewTuple(out...)
}

// literal converts the structure of t (its underlying type for a defined
// one); pkg is the package of a defined type, for its unexported fields.
func (im *symbolImporter) literal(t reflect.Type, pkg *types.Package) types.Type {
	if basic, ok := basicKinds[t.Kind()]; ok {
		return types.Typ[basic]
	}
	switch t.Kind() {
	case reflect.Pointer:
		return types.NewPointer(im.typeOf(t.Elem()))
	case reflect.Slice:
		return types.NewSlice(im.typeOf(t.Elem()))
	case reflect.Array:
		return types.NewArray(im.typeOf(t.Elem()), int64(t.Len()))
	case reflect.Map:
		return types.NewMap(im.typeOf(t.Key()), im.typeOf(t.Elem()))
	case reflect.Chan:
		dir := types.SendRecv
		switch t.ChanDir() {
		case reflect.SendDir:
			dir = types.SendOnly
		case reflect.RecvDir:
			dir = types.RecvOnly
		}
		return types.NewChan(dir, im.typeOf(t.Elem()))
	case reflect.Func:
		params := make([]*types.Var, t.NumIn())
		for i := range params {
			params[i] = types.NewParam(token.NoPos, pkg, "", im.typeOf(t.In(i)))
		}
		return types.NewSignatureType(nil, nil, nil, types.NewTuple(params...), im.results(pkg, t), t.IsVariadic())
	case reflect.Struct:
		fields := make([]*types.Var, t.NumField())
		tags := make([]string, t.NumField())
		for i := range fields {
			f := t.Field(i)
			fp := pkg
			if f.PkgPath != "" {
				fp = im.pkg(f.PkgPath)
			}
			fields[i] = types.NewField(token.NoPos, fp, f.Name, im.typeOf(f.Type), f.Anonymous)
			tags[i] = string(f.Tag)
		}
		return types.NewStruct(fields, tags)
	case reflect.Interface:
		methods := make([]*types.Func, t.NumMethod())
		for i := range methods {
			m := t.Method(i)
			mp := pkg
			if m.PkgPath != "" {
				mp = im.pkg(m.PkgPath)
			}
			sig, _ := im.literal(m.Type, mp).(*types.Signature)
			methods[i] = types.NewFunc(token.NoPos, mp, m.Name, sig)
		}
		return types.NewInterfaceType(methods, nil).Complete()
	}
	return types.Typ[types.Invalid]
}
