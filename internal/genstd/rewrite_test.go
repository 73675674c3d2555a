package genstd

import (
	"net/url"
	"reflect"
	"strings"
	"testing"
)

func TestRewrite(t *testing.T) {
	imports := map[string]string{"s": "slices", "slices": "slices", "sync": "sync", "strings": "strings", "atomic": "sync/atomic", "rand": "math/rand/v2"}
	pkgOf := func(name string) string { return imports[name] }
	cases := []struct{ name, src, want string }{
		{"generic function", "slices.Sort(xs)", "_slices.Sort_slices(xs)"},
		{"aliased import", "s.Index(xs, 1)", "_slices.Index_slices(xs, 1)"},
		{"unknown member keeps the compiled error", "slices.Sortt(xs)", "slices.Sortt(xs)"},
		{"compiled member stays", "var mu sync.Mutex; sync.OnceFunc(f)", "var mu sync.Mutex; sync.OnceFunc(f)"},
		{"generic member of a mixed package", "g := sync.OnceValue(f)", "g := _sync.OnceValue_sync(f)"},
		{"iterator function", "strings.Lines(s)", "_strings.Lines(s)"},
		{"generic type", "var p atomic.Pointer[int]", "var p _atomic.Pointer[int]"},
		{"math/rand/v2", "rand.N(10)", "_rand.N_rand(10)"},
		{"a field of the same name", "x.slices.Sort(xs)", "x.slices.Sort(xs)"},
		{"not a package", "maps.Keys(m)", "maps.Keys(m)"},
		{"strings and comments", "s := \"slices.Sort\" // slices.Sort\nslices.Sort(x)", "s := \"slices.Sort\" // slices.Sort\n_slices.Sort_slices(x)"},
		{"lines kept", "slices.Sort(a)\n\nslices.Reverse(a)", "_slices.Sort_slices(a)\n\n_slices.Reverse_slices(a)"},
		{"does not scan", "slices.Sort(\"", "slices.Sort(\""},
	}
	for _, c := range cases {
		if got := Rewrite(c.src, pkgOf); got != c.want {
			t.Errorf("%s: Rewrite(%q) = %q, want %q", c.name, c.src, got, c.want)
		}
	}
}

func TestNames(t *testing.T) {
	cases := []struct{ in, want string }{
		{"slices", "slices"}, {"sync/atomic", "atomic"}, {"math/rand/v2", "rand"}, {"v2", "v2"}, {"example.com/x/v10", "x"},
	}
	for _, c := range cases {
		if got := ImportName(c.in); got != c.want {
			t.Errorf("ImportName(%q) = %q, want %q", c.in, got, c.want)
		}
	}
	std := []struct{ in, want string }{
		{"slices", "slices"}, {"atomic", "sync/atomic"}, {"rand", "math/rand/v2"}, {"fmt", ""}, {"x", ""},
	}
	for _, c := range std {
		if got := StdPackage(c.in); got != c.want {
			t.Errorf("StdPackage(%q) = %q, want %q", c.in, got, c.want)
		}
	}
	if got := Name("sync/atomic"); got != "_atomic" {
		t.Errorf("Name(sync/atomic) = %q", got)
	}
	if Members("fmt") != nil || len(Members("slices")) < 40 {
		t.Errorf("Members: fmt %v, slices %d names", Members("fmt"), len(Members("slices")))
	}
}

func TestTopLevelGeneric(t *testing.T) {
	cases := []struct {
		src  string
		name string
		line int
	}{
		{"xs := []int{1}\nys := slices.Clone(xs)", "ys", 2},
		{"//line cell4:7:1\nk := slices.Sorted(maps.Keys(m))", "k", 7},
		{"n := slices.Index(xs, 1)", "", 0},
		{"get := sync.OnceValue(f)", "get", 1},
		{"func() { ys := slices.Clone(xs) }()", "", 0},
		{"fmt.Println(slices.Clone(xs))", "", 0},
		{"ys := strings.Lines(s)", "", 0},
	}
	for _, c := range cases {
		name, pos, ok := TopLevelGeneric(Rewrite(c.src, StdPackage))
		if name != c.name || ok != (c.name != "") || (ok && pos.Line != c.line) {
			t.Errorf("TopLevelGeneric(%q) = %q, line %d, %v; want %q, line %d", c.src, name, pos.Line, ok, c.name, c.line)
		}
	}
}

func TestLocalVars(t *testing.T) {
	cases := []struct{ name, src, want string }{
		{"typed", "func f() { var n int = slices.Index(xs, 1) }", "func f() { var n int; n = _slices.Index_slices(xs, 1) }"},
		{"untyped", "func f() {\n\tvar ys = slices.Clone(xs)\n\tuse(ys)\n}", "func f() {\n\tys := _slices.Clone_slices(xs)\n\tuse(ys)\n}"},
		{"two names", "func f() { var i, ok = slices.BinarySearch(xs, 1) }", "func f() { i, ok := _slices.BinarySearch_slices(xs, 1) }"},
		{"composite type", "func f() { var m map[string][]int = maps.Clone(n); g() }", "func f() { var m map[string][]int; m = _maps.Clone_maps(n); g() }"},
		{"top level stays", "var n int = slices.Index(xs, 1)", "var n int = _slices.Index_slices(xs, 1)"},
		{"no generic call", "func f() { var s = strings.Lines(x); var n int = len(xs) }", "func f() { var s = _strings.Lines(x); var n int = len(xs) }"},
		{"no value", "func f() { var p atomic.Pointer[int] }", "func f() { var p _atomic.Pointer[int] }"},
		{"var block stays", "func f() { var (\n\tn = slices.Index(xs, 1)\n) }", "func f() { var (\n\tn = _slices.Index_slices(xs, 1)\n) }"},
	}
	for _, c := range cases {
		if got := Rewrite(c.src, StdPackage); got != c.want {
			t.Errorf("%s: Rewrite(%q)\n got %q\nwant %q", c.name, c.src, got, c.want)
		}
	}
}

func TestLocalVarsInLiteral(t *testing.T) {
	src := "put(func() string { var n int = slices.Index(xs, 1); return g(n) }())"
	want := "put(func() string { var n int; n = _slices.Index_slices(xs, 1); return g(n) }())"
	if got := Rewrite(src, StdPackage); got != want {
		t.Errorf("got %q\nwant %q", got, want)
	}
}

func TestConvertResults(t *testing.T) {
	lookup := func(path, name string) (reflect.Type, bool) {
		fns := map[string]any{
			"strings.Fields": strings.Fields, "strings.ToUpper": strings.ToUpper, "strings.Cut": strings.Cut,
			"net/url.ParseQuery": url.ParseQuery, "strings.NewReader": strings.NewReader,
		}
		f, ok := fns[path+"."+name]
		if !ok {
			return nil, false
		}
		return reflect.TypeOf(f), true
	}
	pkgOf := func(name string) string { return map[string]string{"strings": "strings", "url": "net/url"}[name] }
	cases := []struct{ name, src, want string }{
		{"assigned", "ws := strings.Fields(s)", "ws := ([]string)(strings.Fields(s))"},
		{"argument", "_slices.Sort_slices(strings.Fields(s))", "_slices.Sort_slices(([]string)(strings.Fields(s)))"},
		{"two arguments", "f(strings.Fields(a), strings.Fields(b))", "f(([]string)(strings.Fields(a)), ([]string)(strings.Fields(b)))"},
		{"nested call in the arguments", "ws = strings.Fields(strings.ToUpper(s))\n", "ws = ([]string)(strings.Fields(strings.ToUpper(s)))\n"},
		{"a basic result", "u := strings.ToUpper(s)", "u := strings.ToUpper(s)"},
		{"two results", "a, b := strings.Cut(s, \",\")", "a, b := strings.Cut(s, \",\")"},
		{"a named result", "v, err := url.ParseQuery(q)", "v, err := url.ParseQuery(q)"},
		{"a pointer to a named type", "r := strings.NewReader(s)", "r := strings.NewReader(s)"},
		{"an operand", "n := len(strings.Fields(s)[0])", "n := len(strings.Fields(s)[0])"},
		{"ranged over", "for _, w := range strings.Fields(s) {}", "for _, w := range strings.Fields(s) {}"},
		{"converted already", "ws := ([]string)(strings.Fields(s))", "ws := ([]string)(strings.Fields(s))"},
	}
	for _, c := range cases {
		if got := convertResults(c.src, pkgOf, lookup); got != c.want {
			t.Errorf("%s: convertResults(%q)\n got %q\nwant %q", c.name, c.src, got, c.want)
		}
	}
}

func TestSplitTopLevel(t *testing.T) {
	src := Rewrite("/*line cell3:1:1*/xs := []int{2, 1}\nys := slices.Clone(xs)\nfmt.Println(ys)", StdPackage)
	before, name, call, after, ok := SplitTopLevel(src)
	if !ok {
		t.Fatalf("SplitTopLevel(%q) found nothing", src)
	}
	if before != "/*line cell3:1:1*/xs := []int{2, 1}\n" || name != "ys" || call != "_slices.Clone_slices(xs)" || after != "/*line cell3:3:1*/fmt.Println(ys)" {
		t.Errorf("SplitTopLevel = %q, %q, %q, %q", before, name, call, after)
	}
	if _, _, _, after, ok := SplitTopLevel(Rewrite("k := slices.Sorted(maps.Keys(m))", StdPackage)); !ok || after != "" {
		t.Errorf("last statement: after %q, ok %v", after, ok)
	}
	for _, c := range []struct {
		typ  reflect.Type
		want string
		ok   bool
	}{
		{reflect.TypeFor[[]string](), "[]string", true},
		{reflect.TypeFor[int](), "int", true},
		{reflect.TypeFor[func() int](), "func() int", true},
		{reflect.TypeFor[map[string][]int](), "map[string][]int", true},
		{reflect.TypeFor[url.Values](), "", false},
		{reflect.TypeFor[[]url.URL](), "", false},
		{reflect.TypeFor[error](), "", false},
		{reflect.TypeFor[[]struct{ A int }](), "", false},
	} {
		if got, ok := Spell(c.typ); got != c.want || ok != c.ok {
			t.Errorf("Spell(%v) = %q, %v; want %q, %v", c.typ, got, ok, c.want, c.ok)
		}
	}
}

func TestSplitTopLevelLineOnly(t *testing.T) {
	src := Rewrite("\n//line cell2:1\nm := 1\nkeys := slices.Sorted(maps.Keys(x))\nfmt.Println(keys)", StdPackage)
	_, _, _, after, ok := SplitTopLevel(src)
	if !ok || after != "/*line cell2:3*/fmt.Println(keys)" {
		t.Errorf("after %q, ok %v", after, ok)
	}
}
