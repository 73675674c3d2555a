package cellrt

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/traefik/yaegi/interp"

	"github.com/lanes-dev/lanes/internal/cellstop"
)

// TestFrameNames: the frame names derived from the code are the ones a
// stack dump shows, so a rename or a move cannot silently turn the
// deadlock detector off.
func TestFrameNames(t *testing.T) {
	for name, got := range map[string]string{
		"interpreter package": interpPkg,
		"evaluation frame":    evalFrame,
		"sleep frame":         sleepFrame,
		"registry receiver":   Receiver((*registry).of),
	} {
		if got == "" || strings.HasPrefix(got, ".") || strings.Contains(got, "..") {
			t.Errorf("%s: %q is no function name", name, got)
		}
	}
	if want := "github.com/traefik/yaegi/interp."; interpPkg != want {
		t.Errorf("interpPkg = %q, want %q", interpPkg, want)
	}
	if want := "github.com/lanes-dev/lanes/internal/cellrt.(*registry)"; Receiver((*registry).of) != want {
		t.Errorf("Receiver((*registry).of) = %q, want %q", Receiver((*registry).of), want)
	}

	// A cell blocked on a receive: its goroutine shows the evaluation
	// frame and, through the interpreter's frames, Go's state.
	ip := interp.New(interp.Options{})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		_, err := ip.EvalWithContext(ctx, "ch := make(chan int)\n<-ch")
		done <- err
	}()
	// A sleep of cellstop, as the cells' time.Sleep.
	stop := cellstop.Begin()
	slept := make(chan struct{})
	go func() { cellstop.Sleep(time.Hour); close(slept) }()
	defer func() { stop(); <-slept }()

	var eval, sleep bool
	for try := 0; try < 500 && !(eval && sleep); try++ {
		time.Sleep(10 * time.Millisecond)
		eval, sleep = false, false
		for _, g := range Stacks() {
			for _, f := range g.Frames {
				if IsEvalFrame(f) && g.State == "chan receive" {
					eval = true
				}
				if strings.HasPrefix(f, sleepFrame) && g.State == "sleep" {
					sleep = true
				}
			}
		}
	}
	if !eval {
		t.Errorf("no goroutine in %q blocked on a receive", evalFrame)
	}
	if !sleep {
		t.Errorf("no goroutine in %q sleeping", sleepFrame)
	}
	cancel()
	<-done
}

func TestOwnFrames(t *testing.T) {
	cases := []struct {
		frame string
		own   bool
	}{
		{Receiver((*registry).of) + ".of(0x0)", true},
		{"github.com/lanes-dev/lanes/internal/cellrt.goStart(0x1)", false},
		{interpPkg + "runCfg(0x1)", false},
	}
	for _, c := range cases {
		if got := ownFrame(c.frame); got != c.own {
			t.Errorf("ownFrame(%q) = %v, want %v", c.frame, got, c.own)
		}
	}
}
