package compiled

import (
	"strings"
	"testing"
)

func TestBuildMessage(t *testing.T) {
	tests := []struct{ out, want string }{
		{"# github.com/lanes-dev/lanes/cell\ncell 3:5:7: undefined: y\n", "cell 3, line 5: undefined: y"},
		{"cell/cell 2:1:8: \"github.com/lanes-dev/lanes/runtime\" imported as lanes and not used\n", "cell 2, line 1: \"lanes\" imported as lanes and not used"},
		{"cell 4:2:13: undefined: total\n", "cell 4, line 2: undefined: total (total is a variable of the interpreted session: compiled cells do not carry its value over; declare it in this cell)"},
	}
	for _, tc := range tests {
		if got := buildMessage(tc.out, []string{"total"}); got != tc.want {
			t.Errorf("buildMessage(%q)\n = %q\nwant %q", tc.out, got, tc.want)
		}
	}
}

func TestCheckFlags(t *testing.T) {
	tests := []struct {
		flags []string
		err   string // "" for none
	}{
		{[]string{"-race"}, ""},
		{[]string{"-race", "-tags", "a,b", "-gcflags=-m"}, ""},
		{[]string{"-tags"}, "needs a value"},
		{[]string{"-o", "x"}, "cannot be used"},
		{[]string{"-modfile=x.mod"}, "cannot be used"},
		{[]string{"./other"}, "not a build flag"},
	}
	for _, tc := range tests {
		err := checkFlags(tc.flags)
		if tc.err == "" && err != nil || tc.err != "" && (err == nil || !strings.Contains(err.Error(), tc.err)) {
			t.Errorf("checkFlags(%q) = %v, want %q", tc.flags, err, tc.err)
		}
	}
}

// TestGenerate checks how a cell is cut: what stays at package level,
// what goes into main, what of the session comes along.
func TestGenerate(t *testing.T) {
	c := Cell{Number: 5, Source: "import \"fmt\"\nvar total int\nfunc add(n int) { total += n }\nadd(1)\nfunc() { fmt.Println(total) }()\nx := total\nx",
		Decls: []Decl{{Cell: 1, Src: "import \"strings\"\nfunc up(s string) string { return strings.ToUpper(s) }"}, {Cell: 2, Src: "func unused() {}"}}}
	c.Source += "\n_ = up"
	p, err := generate(c, true)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	var main string
	for _, f := range p.files {
		names = append(names, f.name)
		if f.name == "main.go" {
			main = f.src
		}
	}
	if got := strings.Join(names, " "); got != "session000.go main.go zz_lanes_sink.go" {
		t.Errorf("files %s: want only the session cell the cell uses", got)
	}
	pkg, body, _ := strings.Cut(main, "func main() {")
	for _, want := range []string{"var total int", "func add(n int)", "import \"fmt\""} {
		if !strings.Contains(pkg, want) {
			t.Errorf("%q not at package level:\n%s", want, pkg)
		}
	}
	for _, want := range []string{"add(1)", "func() { fmt.Println(total) }()", "x := total"} {
		if !strings.Contains(body, want) {
			t.Errorf("%q not in main:\n%s", want, body)
		}
	}
	if p.shown != 0 {
		t.Errorf("shown line %d: the last statement is an assignment", p.shown)
	}
}
