package rewrite

import (
	"go/ast"
	"go/constant"
	"go/parser"
	"go/token"
	"go/types"
	"io"
	"math/rand/v2"
	"reflect"
	"sync"
	"testing"
	"time"
)

// testSymbols is a table in the interpreter's format: "path/name" →
// member → value.
var testSymbols = map[string]map[string]reflect.Value{
	"time/time": {
		"Second":   reflect.ValueOf(time.Second),
		"Duration": reflect.ValueOf((*time.Duration)(nil)),
		"Now":      reflect.ValueOf(time.Now),
		"RFC3339":  reflect.ValueOf(constant.MakeFromLiteral(`"2006-01-02T15:04:05Z07:00"`, token.STRING, 0)),
		"Local":    reflect.ValueOf(&time.Local).Elem(),
	},
	"sync/sync": {
		"Mutex":     reflect.ValueOf((*sync.Mutex)(nil)),
		"WaitGroup": reflect.ValueOf((*sync.WaitGroup)(nil)),
	},
	"math/rand/v2/rand": {"IntN": reflect.ValueOf(rand.IntN)},
	"io/io": {
		"Reader":  reflect.ValueOf((*io.Reader)(nil)),
		"_Reader": reflect.ValueOf((*struct{ WRead func([]byte) (int, error) })(nil)),
		"EOF":     reflect.ValueOf(&io.EOF).Elem(),
	},
}

// TestImporter type-checks expressions over packages read from a symbol
// table and compares their types with Go's.
func TestImporter(t *testing.T) {
	src := `package p
import ("io"; "math/rand/v2"; "sync"; "time"; "unknown/pkg")
var mu sync.Mutex
var wg sync.WaitGroup
var r io.Reader
func f() {
	_ = time.Second
	_ = time.Now().Sub(time.Now())
	_ = min(time.Second, 3*time.Second)
	_ = time.RFC3339
	_ = time.Local
	_ = rand.IntN(3)
	_ = io.EOF
	_ = pkg.Anything
	mu.Lock()
	wg.Go(func() {})
	_, _ = r.Read(nil)
}
`
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "p.go", src, 0)
	if err != nil {
		t.Fatal(err)
	}
	imp := NewImporter(testSymbols)
	info := &types.Info{Types: map[ast.Expr]types.TypeAndValue{}}
	var errs []error
	conf := types.Config{Importer: imp, Error: func(err error) { errs = append(errs, err) }}
	conf.Check("p", fset, []*ast.File{f}, info)
	// Only the unknown package's member is an error: every other use
	// type-checks, methods and all.
	if len(errs) != 1 {
		t.Errorf("errors %v, want one (pkg.Anything)", errs)
	}
	want := map[string]string{
		"time.Second":                       "time.Duration (constant 1000000000)",
		"time.Now().Sub(time.Now())":        "time.Duration",
		"min(time.Second, 3 * time.Second)": "time.Duration (constant 1000000000)",
		"time.RFC3339":                      "string (constant)",
		"time.Local":                        "*time.Location",
		"rand.IntN(3)":                      "int",
		"io.EOF":                            "error",
		"r.Read(nil)":                       "(n int, err error)",
	}
	got := map[string]string{}
	for e, tv := range info.Types {
		s := types.ExprString(e)
		if _, ok := want[s]; !ok {
			continue
		}
		desc := types.TypeString(tv.Type, nil)
		if tv.Value != nil {
			desc += " (constant"
			if tv.Value.Kind() == constant.Int {
				desc += " " + tv.Value.ExactString()
			}
			desc += ")"
		}
		got[s] = desc
	}
	for e, w := range want {
		if g := got[e]; g != w && !(e == "r.Read(nil)" && g == "(int, error)") {
			t.Errorf("%s: %q, want %q", e, g, w)
		}
	}
	p, err := imp.Import("math/rand/v2")
	if err != nil || p.Name() != "rand" {
		t.Errorf("math/rand/v2: %v %v, want package rand", p, err)
	}
	if p, _ := imp.Import("io"); p.Scope().Lookup("_Reader") != nil {
		t.Error("the interpreter's wrapper _Reader became a member of io")
	}
	again, _ := imp.Import("time")
	if first, _ := imp.Import("time"); first != again {
		t.Error("a second import built the package again")
	}
}

// TestImporterConcurrent imports from many goroutines at once (run with
// -race): every goroutine gets the same package.
func TestImporterConcurrent(t *testing.T) {
	imp := NewImporter(testSymbols)
	pkgs := make([]*types.Package, 8)
	var wg sync.WaitGroup
	for i := range pkgs {
		wg.Go(func() { pkgs[i], _ = imp.Import("sync") })
	}
	wg.Wait()
	for _, p := range pkgs[1:] {
		if p != pkgs[0] {
			t.Fatal("concurrent imports built different packages")
		}
	}
}
