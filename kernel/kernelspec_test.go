package kernel

import (
	"bytes"
	"encoding/json"
	"errors"
	"image/png"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
)

func TestInstallKernelSpec(t *testing.T) {
	kernels := filepath.Join(t.TempDir(), "share", "jupyter", "kernels")
	spec := KernelSpec{
		Argv:        []string{"/opt/lanes/bin/lanes", "kernel", "-f", "{connection_file}"},
		DisplayName: "Go (Lanes)",
		Language:    "go",
		Metadata:    map[string]any{"debugger": false},
	}
	for range 2 { // re-installing is harmless
		dir, err := InstallKernelSpec(kernels, "lanes", spec)
		if err != nil {
			t.Fatal(err)
		}
		if dir != filepath.Join(kernels, "lanes") {
			t.Errorf("dir = %s", dir)
		}
	}
	data, err := os.ReadFile(filepath.Join(kernels, "lanes", "kernel.json"))
	if err != nil {
		t.Fatal(err)
	}
	var got map[string]any
	if err := json.Unmarshal(data, &got); err != nil {
		t.Fatal(err)
	}
	if got["display_name"] != "Go (Lanes)" || got["language"] != "go" || got["interrupt_mode"] != "message" {
		t.Errorf("kernel.json = %s", data)
	}
	if argv, _ := got["argv"].([]any); len(argv) != 4 || argv[3] != "{connection_file}" {
		t.Errorf("argv = %v", got["argv"])
	}
	if _, has := got["env"]; has {
		t.Errorf("empty env written: %s", data)
	}
	for _, size := range []int{32, 64} {
		b, err := os.ReadFile(filepath.Join(kernels, "lanes", "logo-"+itoa(size)+"x"+itoa(size)+".png"))
		if err != nil {
			t.Fatal(err)
		}
		img, err := png.Decode(bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		if img.Bounds().Dx() != size || img.Bounds().Dy() != size {
			t.Errorf("logo %d is %v", size, img.Bounds())
		}
	}
	svg, err := os.ReadFile(filepath.Join(kernels, "lanes", "logo-svg.svg"))
	if err != nil || !strings.HasPrefix(string(svg), "<svg") || strings.Count(string(svg), "<rect") != 4 {
		t.Errorf("svg = %s, %v", svg, err)
	}

	if err := UninstallKernelSpec(kernels, "lanes"); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(kernels, "lanes")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("kernelspec still there: %v", err)
	}
	if err := UninstallKernelSpec(kernels, "lanes"); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("second uninstall: %v", err)
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

func TestKernelSpecRejects(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"", "..", "a/b", "../evil", "sp ace"} {
		if _, err := InstallKernelSpec(dir, name, KernelSpec{Argv: []string{"x"}}); err == nil {
			t.Errorf("name %q accepted", name)
		}
		if err := UninstallKernelSpec(dir, name); err == nil {
			t.Errorf("uninstall name %q accepted", name)
		}
	}
	if _, err := InstallKernelSpec(dir, "ok", KernelSpec{}); err == nil {
		t.Error("empty argv accepted")
	}
	// A directory that is not a kernelspec is not removed.
	if err := os.MkdirAll(filepath.Join(dir, "notspec"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := UninstallKernelSpec(dir, "notspec"); err == nil {
		t.Error("removed a directory without kernel.json")
	}
}

func TestKernelsDirs(t *testing.T) {
	t.Setenv("JUPYTER_DATA_DIR", "/data/jupyter")
	if d, err := UserKernelsDir(); err != nil || d != filepath.Join("/data/jupyter", "kernels") {
		t.Errorf("UserKernelsDir = %s, %v", d, err)
	}
	if runtime.GOOS == "linux" {
		t.Setenv("JUPYTER_DATA_DIR", "")
		t.Setenv("XDG_DATA_HOME", "")
		t.Setenv("HOME", "/home/gopher")
		if d, err := UserKernelsDir(); err != nil || d != "/home/gopher/.local/share/jupyter/kernels" {
			t.Errorf("UserKernelsDir = %s, %v", d, err)
		}
	}
	if d := PrefixKernelsDir("/opt/env"); d != filepath.Join("/opt/env", "share", "jupyter", "kernels") {
		t.Errorf("PrefixKernelsDir = %s", d)
	}
}

func TestSysPrefixKernelsDir(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("uses a shell script as a stand-in Python")
	}
	dir := t.TempDir()
	fake := filepath.Join(dir, "fakepython")
	script := "#!/bin/sh\n[ \"$1\" = -c ] || exit 2\necho /opt/conda/envs/lanes\n"
	if err := os.WriteFile(fake, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	d, err := SysPrefixKernelsDir(fake)
	if err != nil || d != "/opt/conda/envs/lanes/share/jupyter/kernels" {
		t.Errorf("SysPrefixKernelsDir = %s, %v", d, err)
	}
	failing := filepath.Join(dir, "failpython")
	if err := os.WriteFile(failing, []byte("#!/bin/sh\necho no such module >&2\nexit 1\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	if _, err := SysPrefixKernelsDir(failing); err == nil || !strings.Contains(err.Error(), "no such module") {
		t.Errorf("failing python: %v", err)
	}
	if _, err := SysPrefixKernelsDir(filepath.Join(dir, "nopython")); err == nil || !strings.Contains(err.Error(), "not found") {
		t.Errorf("missing python: %v", err)
	}
}

func TestLogoPNG(t *testing.T) {
	if _, err := LogoPNG(4); err == nil {
		t.Error("tiny logo accepted")
	}
	b, err := LogoPNG(64)
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	// The corner is transparent; the middle of the first lane is blue.
	if _, _, _, a := img.At(0, 0).RGBA(); a != 0 {
		t.Error("corner not transparent")
	}
	if r, g, bl, _ := img.At(32, 13).RGBA(); !(bl > r && bl > g) {
		t.Errorf("first lane not blue: %d %d %d", r, g, bl)
	}
}
