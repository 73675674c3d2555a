package lanes

import (
	"sync"
	"testing"
	"time"

	"github.com/lanes-dev/lanes/display"
)

type fakePublisher struct {
	mu      sync.Mutex
	shows   int
	updates int
	ids     map[string]bool
	last    display.Bundle
}

// Clear implements display.Publisher; the live timeline never clears.
func (p *fakePublisher) Clear(bool) {}

func (p *fakePublisher) Publish(b display.Bundle, id string, update bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if update {
		p.updates++
	} else {
		p.shows++
	}
	p.ids[id] = true
	p.last = b
}

func TestLiveTimeline(t *testing.T) {
	if testing.Short() {
		t.Skip("takes most of a second")
	}
	p := &fakePublisher{ids: map[string]bool{}}
	display.SetPublisher(p)
	SetLive(true)
	defer func() { SetLive(false); display.SetPublisher(nil) }()

	// A short run shows nothing live.
	Pool(2).Run(Identical(2, Wait(10*time.Millisecond)))
	if p.shows+p.updates != 0 {
		t.Fatalf("a 10 ms run published %d displays", p.shows+p.updates)
	}
	// A longer run shows its timeline once, updates it while it runs,
	// and ends with the final picture under the same id. The task runs
	// until it has seen a live update (drawing is slow under the race
	// detector, so a fixed length would make this a test of speed).
	g := NewGroup(2)
	g.Go("watch", func(t *Task) {
		for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); {
			p.mu.Lock()
			seen := p.updates >= 1
			p.mu.Unlock()
			if seen {
				return
			}
			t.Wait(20 * time.Millisecond)
		}
	})
	r := g.Wait()
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.shows != 1 || p.updates < 2 || len(p.ids) != 1 {
		t.Fatalf("shows %d, updates %d, ids %v; want 1 show, at least 2 updates, one id", p.shows, p.updates, p.ids)
	}
	if got, want := p.last.Data["text/plain"], r.Timeline().Text(); got != want {
		t.Errorf("the last update is not the final timeline:\n%v\nwant:\n%v", got, want)
	}
	for _, typ := range []string{"application/vnd.vegalite.v5+json", "image/svg+xml", "image/png", "text/plain"} {
		if p.last.Data[typ] == nil {
			t.Errorf("live bundle has no %s", typ)
		}
	}
}
