package lanes

import (
	"bytes"
	"fmt"
	"image/png"
	"strings"
	"testing"
	"time"

	"github.com/lanes-dev/lanes/display"
)

// statesAt returns the state of every pixel of the lesson's image loaded
// by s at time t (in units).
func statesAt(t *testing.T, s Strategy, at float64) []string {
	t.Helper()
	r := s.Simulate(LoadRender(16, 10*Unit, 5*Unit), Machine{})
	f := NewFilmstrip(r, 8)
	spans := f.taskSpans()
	var out []string
	for _, st := range f.grid(spans, Units(at)) {
		out = append(out, st.name)
	}
	return out
}

func TestFilmstripStates(t *testing.T) {
	for _, tc := range []struct {
		name string
		s    Strategy
		at   float64
		want map[string]int // state -> pixels
	}{
		// Pixels waiting for one of the 8 slots have not loaded: blocked.
		{"capped threads at 0", Threads().Limit(8), 0, map[string]int{"wait": 8, "blocked": 8}},
		{"capped threads at 12", Threads().Limit(8), 12, map[string]int{"compute": 8, "blocked": 8}},
		{"capped threads at 20", Threads().Limit(8), 20, map[string]int{"wait": 8, "done": 8}},
		// Loaded pixels queued for the event loop are ready, not done.
		{"event loop at 20", EventLoop(), 20, map[string]int{"compute": 1, "ready": 13, "done": 2}},
		{"sequential at 0", Sequential(), 0, map[string]int{"wait": 1, "not started": 15}},
		{"sequential at the end", Sequential(), 240, map[string]int{"done": 16}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := map[string]int{}
			for _, s := range statesAt(t, tc.s, tc.at) {
				got[s]++
			}
			if fmt.Sprint(got) != fmt.Sprint(tc.want) {
				t.Errorf("states %v, want %v", got, tc.want)
			}
		})
	}
}

func TestFilmstripForms(t *testing.T) {
	r := Threads().Limit(8).Simulate(LoadRender(16, 10*Unit, 5*Unit), Machine{})
	r.Name = "capped"
	f := NewFilmstrip(r, 4)
	text := f.Text()
	for _, want := range []string{"capped", "▚▚▚▚", "░░░░", "●●●●", "0 u", "30 u", "▚ blocked", "● done"} {
		if !strings.Contains(text, want) {
			t.Errorf("text form has no %q:\n%s", want, text)
		}
	}
	for _, line := range strings.Split(text, "\n") {
		if n := len([]rune(line)); n > defaultColumns {
			t.Errorf("line of %d characters: %q", n, line)
		}
	}
	html := f.HTML()
	if strings.Count(html, "t = ") != 4 || !strings.Contains(html, styleOf(Blocked).color) {
		t.Errorf("HTML has not 4 frames with blocked pixels:\n%s", html)
	}
	pic := f.PNG()
	img, err := png.Decode(bytes.NewReader(pic))
	if err != nil {
		t.Fatalf("PNG: %v", err)
	}
	blocked := rgb(styleOf(Blocked).color)
	found := false
	for y := img.Bounds().Min.Y; y < img.Bounds().Max.Y && !found; y++ {
		for x := img.Bounds().Min.X; x < img.Bounds().Max.X; x++ {
			if r, g, b, _ := img.At(x, y).RGBA(); uint8(r>>8) == blocked.R && uint8(g>>8) == blocked.G && uint8(b>>8) == blocked.B {
				found = true
				break
			}
		}
	}
	if !found {
		t.Error("the PNG shows no blocked pixel")
	}
	if f.HTML() != html || f.Text() != text || !bytes.Equal(f.PNG(), pic) {
		t.Error("the same filmstrip renders differently twice")
	}
	if m := f.MIME(); m["image/png"] == nil || m["text/html"] == nil || m["text/plain"] == nil {
		t.Errorf("bundle has %d forms, want HTML, PNG and text", len(m))
	}
}

func TestFilmstripAnimates(t *testing.T) {
	r := EventLoop().Simulate(LoadRender(16, 10*Unit, 5*Unit), Machine{})
	f := NewFilmstrip(r, 8)
	f.Steps, f.Every = 5, time.Nanosecond
	p := &fakePublisher{ids: map[string]bool{}}
	display.SetPublisher(p)
	defer display.SetPublisher(nil)
	f.Animate()
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.shows != 1 || p.updates != 5 || len(p.ids) != 1 {
		t.Fatalf("shows %d, updates %d, ids %v; want 1 show, 5 updates (4 frames and the strip), one id", p.shows, p.updates, p.ids)
	}
	if p.last.Data["text/html"] != f.HTML() || p.last.Data["text/plain"] != f.Text() {
		t.Error("the animation does not end with the static strip")
	}
}
