package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lanes-dev/lanes/internal/testbin"
)

// lanesBin is the binary under test, built once by TestMain.
var lanesBin string

func TestMain(m *testing.M) { testbin.Main(m, &lanesBin) }

// lanes runs the binary and returns its output and exit status.
func lanes(t *testing.T, stdin string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	cmd := exec.Command(lanesBin, args...)
	cmd.Stdin = strings.NewReader(stdin)
	var o, e bytes.Buffer
	cmd.Stdout, cmd.Stderr = &o, &e
	err := cmd.Run()
	if ee, ok := err.(*exec.ExitError); ok {
		return o.String(), e.String(), ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return o.String(), e.String(), 0
}

func TestCommandLine(t *testing.T) {
	cases := []struct {
		args        []string
		code        int
		out, errOut string
	}{
		{args: []string{"help"}, code: 0, out: "lanes kernel install"},
		{args: []string{"version"}, code: 0, out: "lanes " + version},
		{args: []string{"frobnicate"}, code: 2, errOut: `unknown command "frobnicate"`},
		{args: []string{"kernel", "--bogus"}, code: 2, errOut: "flag provided but not defined"},
		{args: []string{"kernel"}, code: 2, errOut: "Usage: lanes kernel"},
		{args: []string{"kernel", "install", "--user", "--prefix", "/x"}, code: 2, errOut: "choose one of"},
		{args: []string{"kernel", "-f", "/nonexistent.json"}, code: 1, errOut: "nonexistent.json"},
	}
	for _, c := range cases {
		t.Run(strings.Join(c.args, " "), func(t *testing.T) {
			out, errOut, code := lanes(t, "", c.args...)
			if code != c.code || !strings.Contains(out, c.out) || !strings.Contains(errOut, c.errOut) {
				t.Errorf("exit %d, stdout %q, stderr %q; want exit %d, stdout with %q, stderr with %q",
					code, out, errOut, c.code, c.out, c.errOut)
			}
		})
	}
}

func TestKernelInstall(t *testing.T) {
	prefix := t.TempDir()
	for i := 0; i < 2; i++ { // installing twice is harmless
		if out, errOut, code := lanes(t, "", "kernel", "install", "--prefix", prefix); code != 0 {
			t.Fatalf("install: exit %d: %s %s", code, out, errOut)
		}
	}
	dir := filepath.Join(prefix, "share", "jupyter", "kernels", "lanes")
	b, err := os.ReadFile(filepath.Join(dir, "kernel.json"))
	if err != nil {
		t.Fatal(err)
	}
	var spec struct {
		Argv          []string `json:"argv"`
		DisplayName   string   `json:"display_name"`
		Language      string   `json:"language"`
		InterruptMode string   `json:"interrupt_mode"`
	}
	if err := json.Unmarshal(b, &spec); err != nil {
		t.Fatal(err)
	}
	if !filepath.IsAbs(spec.Argv[0]) || spec.Argv[len(spec.Argv)-1] != "{connection_file}" ||
		spec.Language != "go" || spec.InterruptMode != "message" || spec.DisplayName == "" {
		t.Errorf("kernel.json: %+v", spec)
	}
	for _, logo := range []string{"logo-32x32.png", "logo-64x64.png", "logo-svg.svg"} {
		if _, err := os.Stat(filepath.Join(dir, logo)); err != nil {
			t.Error(err)
		}
	}
	if _, _, code := lanes(t, "", "kernel", "uninstall", "--prefix", prefix); code != 0 {
		t.Fatalf("uninstall: exit %d", code)
	}
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Errorf("kernelspec still there after uninstall: %v", err)
	}
}

// python is the interpreter that owns Debian's Jupyter packages.
const python = "/usr/bin/python3"

// requirePython checks that the Jupyter client packages are installed. It
// fails when CI is set (CI must test with the real clients) and skips
// otherwise.
func requirePython(t *testing.T, modules ...string) {
	t.Helper()
	args := []string{"-c", "import " + strings.Join(modules, ", ")}
	if out, err := exec.Command(python, args...).CombinedOutput(); err != nil {
		msg := fmt.Sprintf("%s cannot import %v (install python3-jupyter-client python3-jupyter-kernel-test python3-nbclient python3-nbconvert jupyter-console): %s",
			python, modules, out)
		if os.Getenv("CI") != "" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
}

// jupyterEnv installs the kernelspec into a fresh prefix and returns the
// environment that makes Jupyter find it (and nothing of the user's).
func jupyterEnv(t *testing.T) []string {
	t.Helper()
	prefix := t.TempDir()
	if out, errOut, code := lanes(t, "", "kernel", "install", "--prefix", prefix); code != 0 {
		t.Fatalf("install: %s %s", out, errOut)
	}
	home := t.TempDir()
	return append(os.Environ(),
		"JUPYTER_PATH="+filepath.Join(prefix, "share", "jupyter"),
		"JUPYTER_DATA_DIR="+filepath.Join(home, "data"),
		"JUPYTER_CONFIG_DIR="+filepath.Join(home, "config"),
		"JUPYTER_RUNTIME_DIR="+filepath.Join(home, "runtime"),
		"IPYTHONDIR="+filepath.Join(home, "ipython"),
		"PYTHONDONTWRITEBYTECODE=1",
	)
}

// TestJupyterClients runs the Python suites in testdata/jupyter against the
// installed kernelspec with Debian's real Jupyter clients.
func TestJupyterClients(t *testing.T) {
	suites := []struct {
		module  string
		imports []string
	}{
		{"test_conformance", []string{"jupyter_client", "jupyter_kernel_test"}},
		{"test_faults", []string{"jupyter_client", "zmq"}},
		{"test_semantics", []string{"jupyter_client"}},
		{"test_compiled", []string{"jupyter_client"}},
		{"test_clients", []string{"jupyter_client", "nbformat", "nbconvert", "jupyter_console"}},
	}
	for _, s := range suites {
		t.Run(s.module, func(t *testing.T) {
			requirePython(t, s.imports...)
			cmd := exec.Command(python, "-m", "unittest", "-v", s.module)
			cmd.Dir = filepath.Join("testdata", "jupyter")
			cmd.Env = jupyterEnv(t)
			out, err := cmd.CombinedOutput()
			if err != nil {
				t.Fatalf("%s failed: %v\n%s", s.module, err, out)
			}
			if !bytes.Contains(out, []byte("\nOK")) {
				t.Fatalf("%s: no OK line:\n%s", s.module, out)
			}
			t.Logf("%s", lastLines(out, 3))
		})
	}
}

func lastLines(b []byte, n int) string {
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}
