package worker

import (
	"go/types"
	"testing"

	"github.com/lanes-dev/lanes/internal/rewrite"
)

// TestSessionImporterGenerics: the packages genstd gives whole have their
// generic funcs, with type parameters, as the cells run them ([]E).
func TestSessionImporterGenerics(t *testing.T) {
	im := newSessionImporter(rewrite.NewImporter(nil))
	for _, tc := range []struct{ pkg, fn, sig string }{
		{"slices", "Clone", "func[E any](s []E) []E"},
		{"slices", "Max", "func[E cmp.Ordered](x []E) E"},
		{"maps", "Keys", "func[K comparable, V any](m map[K]V) iter.Seq[K]"},
		{"cmp", "Compare", "func[T cmp.Ordered](x T, y T) int"},
	} {
		p, err := im.Import(tc.pkg)
		if err != nil {
			t.Fatalf("%s: %v", tc.pkg, err)
		}
		obj, ok := p.Scope().Lookup(tc.fn).(*types.Func)
		if !ok {
			t.Errorf("%s.%s: no func", tc.pkg, tc.fn)
			continue
		}
		if got := types.TypeString(obj.Type(), func(p *types.Package) string { return p.Name() }); got != tc.sig {
			t.Errorf("%s.%s: %s, want %s", tc.pkg, tc.fn, got, tc.sig)
		}
	}
	if a, _ := im.Import("slices"); a != must(im.Import("slices")) {
		t.Error("slices built twice")
	}
}

func must(p *types.Package, err error) *types.Package {
	if err != nil {
		panic(err)
	}
	return p
}
