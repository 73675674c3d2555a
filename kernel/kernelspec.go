package kernel

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
)

// KernelSpec is the content of a kernelspec's kernel.json.
type KernelSpec struct {
	// Argv starts the kernel: typically the absolute path of the binary,
	// its arguments, and "{connection_file}".
	Argv        []string `json:"argv"`
	DisplayName string   `json:"display_name"`
	Language    string   `json:"language"`
	// InterruptMode is "message" or "signal"; empty means "message".
	InterruptMode string            `json:"interrupt_mode"`
	Env           map[string]string `json:"env,omitempty"`
	Metadata      map[string]any    `json:"metadata,omitempty"`
}

// UserKernelsDir returns the per-user kernelspec directory:
// $JUPYTER_DATA_DIR/kernels when set, else the platform's Jupyter data
// directory (~/.local/share/jupyter/kernels on Linux).
func UserKernelsDir() (string, error) {
	if d := os.Getenv("JUPYTER_DATA_DIR"); d != "" {
		return filepath.Join(d, "kernels"), nil
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "", fmt.Errorf("user kernelspec directory: %w", err)
	}
	switch runtime.GOOS {
	case "darwin":
		return filepath.Join(home, "Library", "Jupyter", "kernels"), nil
	case "windows":
		if appdata := os.Getenv("APPDATA"); appdata != "" {
			return filepath.Join(appdata, "jupyter", "kernels"), nil
		}
		return filepath.Join(home, "AppData", "Roaming", "jupyter", "kernels"), nil
	}
	if d := os.Getenv("XDG_DATA_HOME"); d != "" {
		return filepath.Join(d, "jupyter", "kernels"), nil
	}
	return filepath.Join(home, ".local", "share", "jupyter", "kernels"), nil
}

// PrefixKernelsDir returns DIR/share/jupyter/kernels, Jupyter's kernelspec
// directory under an installation prefix.
func PrefixKernelsDir(prefix string) string {
	return filepath.Join(prefix, "share", "jupyter", "kernels")
}

// SysPrefixKernelsDir returns the kernelspec directory of the Python
// environment whose interpreter is python (empty means "python3" on
// PATH): sys.prefix/share/jupyter/kernels, where that environment's
// jupyter finds kernels.
func SysPrefixKernelsDir(python string) (string, error) {
	if python == "" {
		python = "python3"
	}
	path, err := exec.LookPath(python)
	if err != nil {
		return "", fmt.Errorf("--sys-prefix needs the Python that runs Jupyter, but %q was not found: %w", python, err)
	}
	out, err := exec.Command(path, "-c", "import sys; print(sys.prefix)").Output()
	if err != nil {
		var ee *exec.ExitError
		if errors.As(err, &ee) && len(ee.Stderr) > 0 {
			return "", fmt.Errorf("asking %s for sys.prefix: %w: %s", path, err, bytes.TrimSpace(ee.Stderr))
		}
		return "", fmt.Errorf("asking %s for sys.prefix: %w", path, err)
	}
	prefix := strings.TrimSpace(string(out))
	if prefix == "" {
		return "", fmt.Errorf("asking %s for sys.prefix: empty answer", path)
	}
	return PrefixKernelsDir(prefix), nil
}

// validKernelName reports whether name is a Jupyter kernel name: ASCII
// letters, digits, '.', '_' and '-', so it is safe as a directory name.
func validKernelName(name string) bool {
	if name == "" || name == "." || name == ".." {
		return false
	}
	for _, r := range name {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '.', r == '_', r == '-':
		default:
			return false
		}
	}
	return true
}

// InstallKernelSpec writes kernelsDir/name/ with kernel.json and the logo
// files (logo-32x32.png, logo-64x64.png, logo-svg.svg), replacing what an
// earlier install left there. It returns the kernelspec directory.
func InstallKernelSpec(kernelsDir, name string, spec KernelSpec) (string, error) {
	if !validKernelName(name) {
		return "", fmt.Errorf("install kernelspec: invalid kernel name %q (use letters, digits, '.', '_', '-')", name)
	}
	if len(spec.Argv) == 0 {
		return "", errors.New("install kernelspec: empty argv")
	}
	if spec.InterruptMode == "" {
		spec.InterruptMode = "message"
	}
	dir := filepath.Join(kernelsDir, name)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", fmt.Errorf("install kernelspec: %w", err)
	}
	js, err := json.MarshalIndent(spec, "", "  ")
	if err != nil {
		return "", fmt.Errorf("install kernelspec: encoding kernel.json: %w", err)
	}
	files := map[string][]byte{"kernel.json": append(js, '\n'), "logo-svg.svg": []byte(LogoSVG())}
	for _, size := range []int{32, 64} {
		img, err := LogoPNG(size)
		if err != nil {
			return "", fmt.Errorf("install kernelspec: %w", err)
		}
		files[fmt.Sprintf("logo-%dx%d.png", size, size)] = img
	}
	for fname, data := range files {
		if err := os.WriteFile(filepath.Join(dir, fname), data, 0o644); err != nil {
			return "", fmt.Errorf("install kernelspec: %w", err)
		}
	}
	return dir, nil
}

// UninstallKernelSpec removes kernelsDir/name. It refuses a directory
// without kernel.json, and reports an error wrapping os.ErrNotExist when
// there is nothing to remove.
func UninstallKernelSpec(kernelsDir, name string) error {
	if !validKernelName(name) {
		return fmt.Errorf("uninstall kernelspec: invalid kernel name %q", name)
	}
	dir := filepath.Join(kernelsDir, name)
	if _, err := os.Stat(filepath.Join(dir, "kernel.json")); err != nil {
		if errors.Is(err, os.ErrNotExist) {
			if _, derr := os.Stat(dir); derr == nil {
				return fmt.Errorf("uninstall kernelspec: %s has no kernel.json, not removing it", dir)
			}
		}
		return fmt.Errorf("uninstall kernelspec %s: %w", name, err)
	}
	if err := os.RemoveAll(dir); err != nil {
		return fmt.Errorf("uninstall kernelspec: %w", err)
	}
	return nil
}

// laneColors returns the colours of the logo's bars, top to bottom.
func laneColors() [4]color.NRGBA {
	return [4]color.NRGBA{
		{0x2b, 0x8a, 0xd8, 0xff}, // blue
		{0x2f, 0xb3, 0x6b, 0xff}, // green
		{0xf2, 0xa9, 0x1e, 0xff}, // amber
		{0xe0, 0x4f, 0x5f, 0xff}, // red
	}
}

// laneBars returns the logo's bars in a size x size square as x0, y0, x1,
// y1 rectangles: four horizontal lanes of staggered length, like
// goroutines running side by side.
func laneBars(size int) []image.Rectangle {
	n := len(laneColors())
	pad := size / 8
	slot := (size - 2*pad) / n
	gap := max(slot/4, 1)
	starts := [...]int{0, 2, 1, 3} // eighths of the width to skip
	ends := [...]int{8, 7, 8, 6}
	inner := size - 2*pad
	bars := make([]image.Rectangle, n)
	for i := range n {
		y0 := pad + i*slot + gap/2
		bars[i] = image.Rect(pad+inner*starts[i]/8, y0, pad+inner*ends[i]/8, y0+slot-gap)
	}
	return bars
}

// LogoPNG draws the Lanes logo as a size x size PNG with a transparent
// background.
func LogoPNG(size int) ([]byte, error) {
	if size < 8 {
		return nil, fmt.Errorf("logo size %d too small", size)
	}
	img := image.NewNRGBA(image.Rect(0, 0, size, size))
	colors := laneColors()
	for i, r := range laneBars(size) {
		for y := r.Min.Y; y < r.Max.Y; y++ {
			for x := r.Min.X; x < r.Max.X; x++ {
				img.SetNRGBA(x, y, colors[i])
			}
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return nil, fmt.Errorf("encoding logo: %w", err)
	}
	return buf.Bytes(), nil
}

// LogoSVG returns the Lanes logo as SVG, the same bars as LogoPNG.
func LogoSVG() string {
	const size = 64
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d">`+"\n", size, size, size, size)
	colors := laneColors()
	for i, r := range laneBars(size) {
		c := colors[i]
		fmt.Fprintf(&b, `  <rect x="%d" y="%d" width="%d" height="%d" rx="%d" fill="#%02x%02x%02x"/>`+"\n",
			r.Min.X, r.Min.Y, r.Dx(), r.Dy(), r.Dy()/3, c.R, c.G, c.B)
	}
	b.WriteString("</svg>\n")
	return b.String()
}
