package rangefunc

import (
	"bytes"
	"errors"
	"fmt"
	"go/ast"
	"go/importer"
	"go/parser"
	"go/printer"
	"go/token"
	"go/types"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/traefik/yaegi/interp"

	"github.com/lanes-dev/lanes/engine/symbols"
)

// rtPath is where the interpreted programs of the tests find Check.
const rtPath = "lanes.test/rangefunc"

// iterSource is package iter for the interpreter: the symbol table of the
// standard library cannot hold its generic types.
const iterSource = `package iter

type Seq[V any] func(yield func(V) bool)

type Seq2[K, V any] func(yield func(K, V) bool)
`

// outcome is what a program shows: its standard output and the first
// line of a panic that ended it.
type outcome struct {
	stdout string
	panic  string
}

func (o outcome) String() string {
	s := o.stdout
	if o.panic != "" {
		s += "[" + o.panic + "]"
	}
	return s
}

// goRun runs src with the Go toolchain.
func goRun(t *testing.T, src string) outcome {
	t.Helper()
	if _, err := exec.LookPath("go"); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("the go toolchain is needed: %v", err)
		}
		t.Skipf("no go toolchain: %v", err)
	}
	dir := t.TempDir()
	file := filepath.Join(dir, "main.go")
	if err := os.WriteFile(file, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	cmd := exec.Command("go", "run", file)
	cmd.Dir = dir
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	o := outcome{stdout: stdout.String()}
	// The last of a chain of panics is the one that ended the program.
	for _, line := range strings.Split(stderr.String(), "\n") {
		if strings.HasPrefix(line, "goroutine ") {
			break
		}
		if p, ok := strings.CutPrefix(strings.TrimLeft(line, "\t"), "panic: "); ok {
			o.panic = p
		}
	}
	if o.panic == "" && err != nil {
		t.Fatalf("go run: %v\n%s", err, stderr.String())
	}
	return o
}

var (
	importMu  sync.Mutex
	importGo  types.Importer
	goSymbols interp.Exports
)

// rewriteSource type-checks src, rewrites its range-over-func loops and
// returns the printed result, importing Check from rtPath.
func rewriteSource(t *testing.T, src string) (string, int) {
	t.Helper()
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "main.go", src, 0)
	if err != nil {
		t.Fatal(err)
	}
	info := &types.Info{Types: map[ast.Expr]types.TypeAndValue{}, Selections: map[*ast.SelectorExpr]*types.Selection{}, Uses: map[*ast.Ident]types.Object{}, Defs: map[*ast.Ident]types.Object{}}
	importMu.Lock()
	if importGo == nil {
		importGo = importer.Default()
	}
	pkg, err := (&types.Config{Importer: importGo}).Check("main", fset, []*ast.File{f}, info)
	importMu.Unlock()
	if err != nil {
		t.Fatalf("type-checking: %v", err)
	}
	n, err := Rewrite(f, info, Config{Check: "_rfrt.Check", Package: pkg})
	if err != nil {
		t.Fatal(err)
	}
	f.Decls = append([]ast.Decl{&ast.GenDecl{Tok: token.IMPORT, Specs: []ast.Spec{
		&ast.ImportSpec{Name: ast.NewIdent("_rfrt"), Path: &ast.BasicLit{Kind: token.STRING, Value: strconv.Quote(rtPath)}},
	}}}, f.Decls...)
	var b bytes.Buffer
	if err := printer.Fprint(&b, token.NewFileSet(), f); err != nil {
		t.Fatal(err)
	}
	return b.String(), n
}

// interpret runs src in a yaegi interpreter with the standard library,
// package iter as source and Check.
func interpret(t *testing.T, src string) outcome {
	t.Helper()
	gopath := t.TempDir()
	if err := os.MkdirAll(filepath.Join(gopath, "src", "iter"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(gopath, "src", "iter", "iter.go"), []byte(iterSource), 0o644); err != nil {
		t.Fatal(err)
	}
	importMu.Lock()
	if goSymbols == nil {
		goSymbols = interp.Exports{}
		for k, v := range symbols.Load() {
			if k != "iter/iter" {
				goSymbols[k] = v
			}
		}
		goSymbols[rtPath+"/rangefunc"] = map[string]reflect.Value{
			"Check": reflect.ValueOf(Check),
			"Error": reflect.ValueOf((*Error)(nil)),
		}
	}
	importMu.Unlock()
	var stdout bytes.Buffer
	ip := interp.New(interp.Options{GoPath: gopath, Stdout: &stdout, Stderr: io.Discard})
	if err := ip.Use(goSymbols); err != nil {
		t.Fatal(err)
	}
	_, err := ip.Eval(src)
	o := outcome{stdout: stdout.String()}
	var p interp.Panic
	switch {
	case errors.As(err, &p):
		o.panic = panicText(p.Value)
	case err != nil:
		t.Fatalf("interpreter: %v\n%s", err, numbered(src))
	}
	return o
}

// panicText is the first line Go prints for a panic with value v.
func panicText(v any) string {
	switch v := v.(type) {
	case error:
		return v.Error()
	case fmt.Stringer:
		return v.String()
	case string:
		return v
	}
	return fmt.Sprint(v)
}

func numbered(src string) string {
	var b strings.Builder
	for i, l := range strings.Split(src, "\n") {
		fmt.Fprintf(&b, "%3d  %s\n", i+1, l)
	}
	return b.String()
}
