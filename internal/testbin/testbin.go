// Package testbin builds the lanes binary once for the tests of a package
// that drive it (the command line, the REPL in a terminal, the grader's
// workers).
package testbin

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// Main builds github.com/lanes-dev/lanes/cmd/lanes into a temporary
// directory, stores its path in *bin, runs the package's tests and exits
// with their status. Call it from TestMain.
func Main(m *testing.M, bin *string) {
	dir, err := os.MkdirTemp("", "lanes-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	*bin = filepath.Join(dir, "lanes")
	build := exec.Command("go", "build", "-o", *bin, "github.com/lanes-dev/lanes/cmd/lanes")
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "building lanes:", err)
		os.RemoveAll(dir)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}
