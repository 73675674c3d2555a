package worker

import (
	"reflect"
	"strings"
	"testing"

	"github.com/traefik/yaegi/interp"

	"github.com/lanes-dev/lanes/internal/source"
)

func TestSession(t *testing.T) {
	w := &worker{sess: newSession(), symbols: interp.Exports{"strings/strings": {}, "math/rand/rand": {}}}
	code := "import (\n\t\"fmt\"\n\tr \"math/rand\"\n)"
	w.sess.addImports(source.ImportSpecs(code, source.Split(code)[0]))
	w.sess.define([]string{"T", "T.M"}, "type T int\nfunc (T) M() {}", "")
	w.sess.declare([]string{"T", "T.M"}, "type T int\nfunc (T) M() {}")
	w.sess.declare([]string{"n"}, "var n int")
	w.sess.addType("T", typeDef{text: "T int", cell: 1})
	w.sess.addType("T", typeDef{text: "T string", cell: 2}) // the first definition stays

	if got, want := w.ImportSpecs(), []string{`"fmt"`, `r "math/rand"`}; !reflect.DeepEqual(got, want) {
		t.Errorf("ImportSpecs = %q, want %q", got, want)
	}
	for _, c := range []struct {
		name string
		pkg  bool
	}{{"fmt", true}, {"r", true}, {"rand", true}, {"strings", true}, {"T", false}, {"n", false}, {"nope", false}} {
		if got := w.IsPackage(c.name); got != c.pkg {
			t.Errorf("IsPackage(%q) = %v, want %v", c.name, got, c.pkg)
		}
	}
	pre := w.Prelude()
	if !strings.HasPrefix(pre, "package p\n") || strings.Count(pre, "type T int") != 1 || !strings.Contains(pre, "var n int") ||
		!strings.Contains(pre, `import r "math/rand"`) {
		t.Errorf("Prelude:\n%s", pre)
	}
	if src, ok := w.sess.source("T.M"); !ok || !strings.Contains(src, "func (T) M()") {
		t.Errorf("source(T.M) = %q, %v", src, ok)
	}
	if _, ok := w.sess.source("n"); ok {
		t.Error("a declared variable has no definition to show")
	}
	if td, ok := w.sess.typeOf("T"); !ok || td.cell != 1 {
		t.Errorf("typeOf(T) = %+v, %v; want the first definition", td, ok)
	}
	if sp := source.ImportSpecs(code, source.Split(code)[0]); !w.sess.imported(sp[0]) {
		t.Error("fmt not imported")
	}
	w.sess.setCell(3, "x := 1")
	if w.sess.cell(3) != "x := 1" || w.sess.cell(4) != "" {
		t.Error("cell sources")
	}
}
