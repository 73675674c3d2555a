package engine

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"testing"
)

func TestDbgRewrite(t *testing.T) {
	src, _ := os.ReadFile(os.Getenv("DBG"))
	fset := token.NewFileSet()
	pf, err := parser.ParseFile(fset, "cell1", src, parser.SkipObjectResolution)
	if err != nil {
		t.Fatal(err)
	}
	r := &rewriter{cell: 1, fset: fset, info: typeCheckFile(fset, pf), isPkg: func(name string) bool { return fileImports(pf, name) }, done: map[ast.Node]bool{}, labels: map[ast.Stmt]string{}}
	for _, d := range pf.Decls {
		r.rewrite(d)
	}
	s, _ := printNode(fset, pf)
	fmt.Println(s)
}
