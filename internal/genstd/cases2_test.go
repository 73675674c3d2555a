package genstd

import (
	"bytes"
	"os"
	"os/exec"
	"strings"
	"testing"
)

// TestCompiledAgree runs every case in a cell and compares its result
// with the compiled standard library's.
func TestCompiledAgree(t *testing.T) {
	var out bytes.Buffer
	ip := newInterp(t, &out)
	for _, c := range append(callCases, textCases()...) {
		t.Run(strings.Join(c.names, ","), func(t *testing.T) {
			// The body runs inside a func: the interpreter cannot yet
			// declare a top-level variable from a generic call's result.
			put = "(nothing)"
			_, err := eval(ip, "genstdtest.Put(func() string {"+c.src+"\n}())")
			if err != nil {
				t.Fatalf("%v\n%s", err, c.src)
			}
			if got, want := put, c.want(); got != want {
				t.Errorf("cell: %s\ngo:   %s", got, want)
			}
		})
	}
}

// TestEveryMemberCallable lists the generic and iterator members of each
// package with go doc and checks that a case calls each one.
func TestEveryMemberCallable(t *testing.T) {
	goTool, err := exec.LookPath("go")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("the go toolchain is needed to list the standard library's members")
		}
		t.Skip("no go toolchain")
	}
	covered := map[string]bool{}
	for _, c := range append(callCases, textCases()...) {
		for _, n := range c.names {
			covered[n] = true
		}
	}
	for _, p := range Packages() {
		b, err := exec.Command(goTool, "doc", "-short", p).Output()
		if err != nil {
			t.Fatalf("go doc -short %s: %v", p, err)
		}
		var want []string
		for _, line := range strings.Split(string(b), "\n") {
			name, generic, ok := docMember(line)
			if !ok {
				continue
			}
			// Of a package with compiled members, the ones the
			// interpreter lacks: generic ones, and iterator functions.
			if !allGeneric(p) && !generic && !strings.Contains(line, "iter.Seq") {
				continue
			}
			want = append(want, name)
		}
		if len(want) == 0 {
			t.Errorf("go doc -short %s lists no member to provide", p)
		}
		have := map[string]bool{}
		for _, m := range Members(p) {
			have[m] = true
		}
		for _, n := range want {
			if !have[n] {
				t.Errorf("%s.%s: not in the sources", p, n)
			}
			if !covered[p+"."+n] {
				t.Errorf("%s.%s: no case calls it", p, n)
			}
		}
	}
}

// allGeneric reports whether every member of the package is ours.
func allGeneric(p string) bool {
	switch p {
	case "cmp", "iter", "maps", "slices":
		return true
	}
	return false
}

// docMember reads one line of go doc -short: the member's name and
// whether it has type parameters.
func docMember(line string) (name string, generic, ok bool) {
	var rest string
	switch {
	case strings.HasPrefix(line, "func "):
		rest = line[len("func "):]
	case strings.HasPrefix(line, "type "):
		rest = line[len("type "):]
	default:
		return "", false, false
	}
	end := strings.IndexAny(rest, "[( ")
	if end < 0 {
		return "", false, false
	}
	return rest[:end], rest[end] == '[', true
}
