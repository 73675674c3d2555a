package repl

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

func TestPiped(t *testing.T) {
	t.Parallel()
	script, err := filepath.Abs("testdata/script_ok.go")
	if err != nil {
		t.Fatal(err)
	}
	lessons, err := filepath.Abs("testdata/lessons")
	if err != nil {
		t.Fatal(err)
	}
	race, err := filepath.Abs("testdata/race.go")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name       string
		args       []string
		input      string
		code       int
		stdout     string // exact, when not empty
		stderr     []string
		stderrNone bool
	}{
		{name: "values", input: "x := 1\nx+1\n\nfunc f() int {\n\treturn 3\n}\nf()\n", code: 0, stdout: "2\n3\n", stderrNone: true},
		{name: "print", input: "import \"fmt\"\nfmt.Println(\"hi\")\n", code: 0, stdout: "hi\n", stderrNone: true},
		{name: "compile error", input: "x := 1\n\nundefined_x\nx\n", code: 1, stdout: "1\n",
			stderr: []string{"cell 2, line 1: undefined: undefined_x", "stdin:3 │ undefined_x"}},
		{name: "panic", input: "var a []int\n_ = a[5]\n", code: 1, stderr: []string{"panic:", "stdin:2 │ _ = a[5]"}},
		{name: "goroutine panic", input: "import \"time\"\ngo func() { panic(\"boom\") }()\ntime.Sleep(2 * time.Second)\n\"after\"\n",
			code: 1, stdout: "\"after\"\n", stderr: []string{"panic: boom", "created by a go statement"}},
		{name: "stdin is the script", input: "import \"fmt\"\nvar s string\n_, err := fmt.Scanln(&s)\nerr != nil\n", code: 0, stdout: "true\n"},
		{name: "no colour", input: "nope\n", code: 1, stderr: []string{"undefined: nope"}},
		{name: "magic", input: "%env LANES_TEST=yes\nimport \"os\"\nos.Getenv(\"LANES_TEST\")\n", code: 0, stdout: "env: LANES_TEST=yes\n\"yes\"\n"},
		{name: "load", input: ":load " + script + "\ndouble(4)\n", code: 0, stdout: "double: 42\n8\n"},
		{name: "load missing", input: ":load /nonexistent.go\n1\n", code: 1, stdout: "1\n", stderr: []string{":load:"}},
		{name: "compile magic", input: ":load " + script + "\n%%compile\nfmt.Println(double(2))\n\ndouble(3)\n", code: 0, stdout: "double: 42\n4\n6\n"},
		{name: "compile race", input: ":compile -race " + race + "\n1\n", code: 1, stdout: "2\n1\n",
			stderr: []string{"WARNING: DATA RACE", "exit status 66: the race detector found a data race"}},
		{name: "compile missing", input: ":compile /nonexistent.go\n", code: 1, stderr: []string{":compile:"}},
		{name: "unknown command", input: ":frobnicate\n", code: 1, stderr: []string{"unknown command :frobnicate"}},
		{name: "quit", input: "1\n:quit\n2\n", code: 0, stdout: "1\n"},
		{name: "lesson", args: []string{"repl", "-lessons", lessons}, input: ":lesson intro\n", code: 0,
			stderrNone: true},
		{name: "usage", args: []string{"repl", "extra"}, code: 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			cmd := exec.Command(lanesBin, tt.args...)
			cmd.Stdin = strings.NewReader(tt.input)
			var stdout, stderr bytes.Buffer
			cmd.Stdout, cmd.Stderr = &stdout, &stderr
			cmd.Env = append(os.Environ(), "CI=", "HOME="+t.TempDir())
			err := cmd.Run()
			code := 0
			var ee *exec.ExitError
			if errors.As(err, &ee) {
				code = ee.ExitCode()
			} else if err != nil {
				t.Fatal(err)
			}
			if code != tt.code {
				t.Errorf("exit status %d, want %d\nstdout:\n%s\nstderr:\n%s", code, tt.code, stdout.String(), stderr.String())
			}
			if tt.stdout != "" && stdout.String() != tt.stdout {
				t.Errorf("stdout = %q, want %q", stdout.String(), tt.stdout)
			}
			for _, w := range tt.stderr {
				if !strings.Contains(stderr.String(), w) {
					t.Errorf("stderr lacks %q:\n%s", w, stderr.String())
				}
			}
			if tt.stderrNone && stderr.Len() > 0 {
				t.Errorf("unexpected stderr:\n%s", stderr.String())
			}
			if strings.Contains(stdout.String()+stderr.String(), "\x1b[") {
				t.Errorf("escape sequences in piped output")
			}
			if !strings.HasPrefix(tt.name, "lesson") && strings.Contains(stdout.String(), "In [") {
				t.Errorf("prompt in piped output")
			}
		})
	}
}

func TestPipedLessonOutput(t *testing.T) {
	t.Parallel()
	lessons, err := filepath.Abs("testdata/lessons")
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(lanesBin, "repl", "-lessons", lessons)
	cmd.Stdin = strings.NewReader(":lesson intro\n")
	cmd.Env = append(os.Environ(), "CI=")
	out, err := cmd.Output()
	if err != nil {
		t.Fatal(err)
	}
	want := "── lesson intro: 3 code cells ──\n\nTwo lanes\n\nGoroutines run side by side.\n\n" +
		"In [1]: lanes := 2\n   ...: lanes * 21\n42\n" +
		"In [2]: lanes * 1000\n2000\n" +
		"That is all.\n\n" +
		"In [3]: lanes + 1\n3\n" +
		"── end of lesson intro ──\n"
	if string(out) != want {
		t.Errorf("output:\n%s\nwant:\n%s", out, want)
	}
}
