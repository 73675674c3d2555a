package repl

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/lanes-dev/lanes/internal/testbin"
)

// lanesBin is the lanes binary built once for the package's tests: the
// REPL starts its workers from it, and the terminal tests run it.
var lanesBin string

func TestMain(m *testing.M) { testbin.Main(m, &lanesBin) }

// The terminal tests drive the real binary in tmux: capture-pane gives the
// screen a user sees (after the line editor's redraws and the terminal's
// own echo), and send-keys types keys, Ctrl-C included, through a real
// pseudo-terminal with job control, so SIGINT reaches the REPL's process
// group exactly as it would from a person at a terminal.

// needTmux skips the test without tmux, except under CI where a missing
// tmux is a failure.
func needTmux(t *testing.T) string {
	t.Helper()
	p, err := exec.LookPath("tmux")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("tmux is required for the terminal tests under CI: %v", err)
		}
		t.Skip("tmux not installed")
	}
	return p
}

// term is one REPL running in a private tmux server.
type term struct {
	t      *testing.T
	tmux   string
	dir    string
	conf   string
	socket string
	home   string
	starts int
}

// newTerm makes a tmux server and a home directory for REPLs.
func newTerm(t *testing.T) *term {
	tm := &term{t: t, tmux: needTmux(t)}
	tm.dir = t.TempDir()
	tm.home = filepath.Join(tm.dir, "home")
	if err := os.Mkdir(tm.home, 0o755); err != nil {
		t.Fatal(err)
	}
	// Keep the window after lanes exits, to read its exit status.
	tm.conf = filepath.Join(tm.dir, "tmux.conf")
	if err := os.WriteFile(tm.conf, []byte("set -g remain-on-exit on\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	return tm
}

// start runs lanes with args in a new 120×40 window; env adds variables.
func (tm *term) start(env []string, args ...string) {
	tm.t.Helper()
	cmd := []string{"env", "-u", "CI", "-u", "NO_COLOR", "HOME=" + tm.home,
		"XDG_STATE_HOME=" + filepath.Join(tm.home, "state"), "TERM=xterm-256color"}
	cmd = append(cmd, env...)
	cmd = append(cmd, lanesBin)
	cmd = append(cmd, args...)
	// A server of its own for each start: a server whose last session
	// was killed may still be on its way out.
	tm.starts++
	tm.socket = filepath.Join(tm.dir, fmt.Sprintf("tmux%d", tm.starts))
	socket := tm.socket
	tm.t.Cleanup(func() { exec.Command(tm.tmux, "-S", socket, "kill-server").Run() })
	tm.run(append([]string{"new-session", "-d", "-x", "120", "-y", "40", "-s", "lanes", "--"}, cmd...)...)
	tm.wait("In [1]:")
}

func (tm *term) run(args ...string) string {
	tm.t.Helper()
	out, err := exec.Command(tm.tmux, append([]string{"-S", tm.socket, "-f", tm.conf}, args...)...).CombinedOutput()
	if err != nil {
		tm.t.Fatalf("tmux %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

// typ types text literally, then the named keys (Enter, Tab, C-c...).
func (tm *term) typ(text string, keys ...string) {
	tm.t.Helper()
	if text != "" {
		tm.run("send-keys", "-t", "lanes", "-l", text)
	}
	if len(keys) > 0 {
		tm.run(append([]string{"send-keys", "-t", "lanes"}, keys...)...)
	}
}

// line types a line and Enter.
func (tm *term) line(text string) { tm.t.Helper(); tm.typ(text, "Enter") }

// screen is the visible text.
func (tm *term) screen() string {
	tm.t.Helper()
	return tm.run("capture-pane", "-p", "-t", "lanes")
}

// wait waits until the screen holds want and returns the screen.
func (tm *term) wait(want string) string {
	tm.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		s := tm.screen()
		if strings.Contains(s, want) {
			return s
		}
		if time.Now().After(deadline) {
			tm.t.Fatalf("screen never showed %q:\n%s", want, s)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// exited waits for lanes to end and returns its exit status.
func (tm *term) exited() int {
	tm.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		out := strings.TrimSpace(tm.run("display-message", "-p", "-t", "lanes", "#{pane_dead} #{pane_dead_status}"))
		var dead, status int
		fmt.Sscan(out, &dead, &status)
		if dead == 1 {
			return status
		}
		if time.Now().After(deadline) {
			tm.t.Fatalf("lanes did not exit:\n%s", tm.screen())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// kill ends the window (and lanes in it).
func (tm *term) kill() {
	tm.t.Helper()
	tm.run("kill-session", "-t", "lanes")
}
