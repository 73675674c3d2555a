// Package export makes package lanes (the runtime in
// github.com/lanes-dev/lanes/runtime) importable by cells as plain "lanes",
// through a yaegi symbol table generated from the compiled package.
//
// Regenerate after changing the runtime's exported API:
//
//	go generate ./runtime/export/
package export

import (
	"reflect"

	"github.com/traefik/yaegi/interp"
)

//go:generate go tool yaegi extract -name export github.com/lanes-dev/lanes/runtime

// Symbols is filled by the generated table, keyed by the runtime's real
// import path.
var Symbols = map[string]map[string]reflect.Value{}

// ImportPath is what cells write to import the runtime.
const ImportPath = "lanes"

// Exports returns the runtime's table under the key the interpreter needs
// for `import "lanes"`.
func Exports() interp.Exports {
	return interp.Exports{ImportPath + "/lanes": Symbols["github.com/lanes-dev/lanes/runtime/lanes"]}
}
