//go:build linux

package repl

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"sort"
	"strings"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// The benchmarks time the binary through a bare pseudo-terminal (opened
// here with /dev/ptmx) rather than tmux, whose screen polling would add
// its own latency to every measurement.

// openPTY returns the controller and the terminal side of a new pty.
func openPTY() (ctl, tty *os.File, err error) {
	fd, err := unix.Open("/dev/ptmx", unix.O_RDWR|unix.O_NOCTTY|unix.O_CLOEXEC, 0)
	if err != nil {
		return nil, nil, fmt.Errorf("opening /dev/ptmx: %w", err)
	}
	ctl = os.NewFile(uintptr(fd), "/dev/ptmx")
	if err := unix.IoctlSetPointerInt(fd, unix.TIOCSPTLCK, 0); err != nil {
		ctl.Close()
		return nil, nil, fmt.Errorf("unlocking the pty: %w", err)
	}
	n, err := unix.IoctlGetInt(fd, unix.TIOCGPTN)
	if err != nil {
		ctl.Close()
		return nil, nil, fmt.Errorf("naming the pty: %w", err)
	}
	tty, err = os.OpenFile(fmt.Sprintf("/dev/pts/%d", n), os.O_RDWR|unix.O_NOCTTY, 0)
	if err != nil {
		ctl.Close()
		return nil, nil, fmt.Errorf("opening the pty: %w", err)
	}
	unix.IoctlSetWinsize(int(tty.Fd()), unix.TIOCSWINSZ, &unix.Winsize{Row: 40, Col: 120})
	return ctl, tty, nil
}

// ptyREPL is lanes running on a pty.
type ptyREPL struct {
	cmd  *exec.Cmd
	ctl  *os.File
	out  chan []byte
	seen bytes.Buffer
}

func startPTY(tb testing.TB) *ptyREPL {
	ctl, tty, err := openPTY()
	if err != nil {
		tb.Skip(err)
	}
	cmd := exec.Command(lanesBin, "repl", "-no-history")
	cmd.Env = append(os.Environ(), "CI=", "NO_COLOR=1", "TERM=xterm")
	cmd.Stdin, cmd.Stdout, cmd.Stderr = tty, tty, tty
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true, Setctty: true}
	if err := cmd.Start(); err != nil {
		tb.Fatal(err)
	}
	tty.Close()
	r := &ptyREPL{cmd: cmd, ctl: ctl, out: make(chan []byte, 64)}
	go func() {
		for {
			buf := make([]byte, 4096)
			n, err := ctl.Read(buf)
			if n > 0 {
				r.out <- buf[:n]
			}
			if err != nil {
				close(r.out)
				return
			}
		}
	}()
	return r
}

// until reads output until it holds want.
func (r *ptyREPL) until(tb testing.TB, want string) {
	timeout := time.After(10 * time.Second)
	for !strings.Contains(r.seen.String(), want) {
		select {
		case b, ok := <-r.out:
			if !ok {
				tb.Fatalf("lanes ended before %q:\n%s", want, r.seen.String())
			}
			r.seen.Write(b)
		case <-timeout:
			tb.Fatalf("no %q in:\n%s", want, r.seen.String())
		}
	}
	rest := r.seen.String()
	rest = rest[strings.Index(rest, want)+len(want):]
	r.seen.Reset()
	r.seen.WriteString(rest)
}

func (r *ptyREPL) close() {
	r.ctl.Write([]byte{4}) // Ctrl-D
	done := make(chan struct{})
	go func() { r.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		r.cmd.Process.Kill()
		<-done
	}
	r.ctl.Close()
}

// reportMedian adds the median of ds as a metric.
func reportMedian(b *testing.B, ds []time.Duration) {
	sort.Slice(ds, func(i, j int) bool { return ds[i] < ds[j] })
	if len(ds) > 0 {
		b.ReportMetric(float64(ds[len(ds)/2].Microseconds())/1000, "median-ms")
	}
}

// BenchmarkLaunchToPrompt times from starting lanes to its first prompt.
func BenchmarkLaunchToPrompt(b *testing.B) {
	var ds []time.Duration
	for i := 0; i < b.N; i++ {
		start := time.Now()
		r := startPTY(b)
		r.until(b, "In [1]: ")
		ds = append(ds, time.Since(start))
		b.StopTimer()
		r.close()
		b.StartTimer()
	}
	reportMedian(b, ds)
}

// BenchmarkRoundTrip times a trivial input: from Enter to the next prompt.
func BenchmarkRoundTrip(b *testing.B) {
	r := startPTY(b)
	defer r.close()
	r.until(b, "In [1]: ")
	var ds []time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		start := time.Now()
		fmt.Fprintf(r.ctl, "%d+1\r", i)
		r.until(b, fmt.Sprintf("Out[%d]: %d", i+1, i+1))
		r.until(b, fmt.Sprintf("In [%d]: ", i+2))
		ds = append(ds, time.Since(start))
	}
	reportMedian(b, ds)
}
