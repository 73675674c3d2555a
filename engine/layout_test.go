package engine

import (
	"os"
	"os/exec"
	"strings"
	"testing"
)

// TestLayout keeps the packages to their jobs (docs/architecture.md): no
// front end links the interpreter, and the layers below the worker do
// not reach up. It reads the real dependency graph with go list -deps.
func TestLayout(t *testing.T) {
	goTool, err := exec.LookPath("go")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("the go toolchain is needed to list dependencies: %v", err)
		}
		t.Skipf("no go toolchain: %v", err)
	}
	// Patterns as the go command reads them: "x/..." is x and below.
	const (
		mod    = "github.com/lanes-dev/lanes/"
		yaegi  = "github.com/traefik/yaegi/..."
		engine = mod + "engine/..."
		super  = mod + "engine" // the supervisor alone
		worker = mod + "engine/worker"
		wire   = mod + "internal/wire"
		cellrt = mod + "internal/cellrt"
	)
	frontEnds := []string{"kernel", "repl", "notebook", "notebook/runner", "grade", "lessons"}
	cases := []struct {
		pkg    string
		forbid []string
	}{
		{"engine", []string{yaegi, worker, cellrt}},
		{"internal/wire", []string{yaegi, engine, cellrt}},
		{"internal/source", []string{yaegi, engine, wire, cellrt}},
		{"internal/rewrite", []string{yaegi, engine, wire, cellrt}},
		{"internal/cellrt", []string{engine, wire}},
		{"engine/worker", []string{super}},
		{"notebook", []string{engine}},
	}
	for _, fe := range frontEnds {
		cases = append(cases, struct {
			pkg    string
			forbid []string
		}{fe, []string{yaegi, worker, cellrt}})
	}
	for _, c := range cases {
		t.Run(c.pkg, func(t *testing.T) {
			out, err := exec.Command(goTool, "list", "-deps", "-f", "{{.ImportPath}}", mod+c.pkg).Output()
			if err != nil {
				t.Fatalf("go list -deps %s: %v", c.pkg, err)
			}
			for _, dep := range strings.Fields(string(out)) {
				for _, f := range c.forbid {
					if matches(f, dep) {
						t.Errorf("%s depends on %s", c.pkg, dep)
					}
				}
			}
		})
	}
}

// matches reports whether import path p matches pattern pat: exactly, or
// as pat's tree when pat ends in "/...".
func matches(pat, p string) bool {
	if tree, ok := strings.CutSuffix(pat, "/..."); ok {
		return p == tree || strings.HasPrefix(p, tree+"/")
	}
	return p == pat
}
