package engine

import (
	"slices"
	"strings"
	"testing"
)

func TestCompleteAndInspect(t *testing.T) {
	e := newTestEngine(t)
	if res, _ := run(t, e, "import (\"fmt\"; \"strings\")\ntype Point struct{ X, Y int }\nfunc (p Point) Norm() int { return p.X + p.Y }\nvar origin = Point{1, 2}\ncounter := 3\n// half halves n.\nfunc half(n int) int { return n / 2 }"); res.Err != nil {
		t.Fatal(res.Err)
	}
	cases := []struct {
		code   string
		cursor int
		want   []string
		start  int
	}{
		{"fmt.Pri", 7, []string{"Print", "Printf", "Println"}, 4},
		{"strings.ToUp", 12, []string{"ToUpper"}, 8},
		{"cou", 3, []string{"counter"}, 0},
		{"ha", 2, []string{"half"}, 0},
		{"origin.", 7, []string{"Norm", "X", "Y"}, 7},
		{"x := \"é\"; fmt.Pri", 17, []string{"Println"}, 14},
	}
	for _, c := range cases {
		got, start, end := e.Complete(c.code, c.cursor)
		for _, w := range c.want {
			if !slices.Contains(got, w) {
				t.Errorf("Complete(%q): %v lacks %q", c.code, got, w)
			}
		}
		if start != c.start || end != c.cursor {
			t.Errorf("Complete(%q): range %d-%d, want %d-%d", c.code, start, end, c.start, c.cursor)
		}
	}
	for _, c := range []struct{ code, want string }{
		{"fmt.Println", "Println formats"},
		{"half(3)", "func half(n int) int"},
		{"origin", "Point"},
	} {
		text, found := e.Inspect(c.code, 2+strings.Index(c.code, "."), 0)
		if !found || !strings.Contains(text, c.want) {
			t.Errorf("Inspect(%q) = %q, %v; want %q", c.code, text, found, c.want)
		}
	}
}
