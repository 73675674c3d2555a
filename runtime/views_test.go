package lanes

import (
	"bytes"
	"encoding/json"
	"flag"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// golden compares got with testdata/name, or rewrites it with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatalf("writing golden file: %v", err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("reading golden file (run go test -update to create it): %v", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file (run go test -update if the change is intended)\ngot:\n%s", name, firstLines(got, 30))
	}
}

func firstLines(b []byte, n int) string {
	lines := strings.SplitN(string(b), "\n", n+1)
	return strings.Join(lines[:min(n, len(lines))], "\n")
}

// pixels is the fixed simulated workload of the golden files: 16 pixels,
// load then render, at most 8 at once.
func pixelsComparison() *Comparison {
	w := LoadRender(16, 10*Unit, 5*Unit).Jitter(0.3, 7)
	return CompareSim(w, Machine{}, Sequential(), EventLoop().Limit(8), Pool(8))
}

func TestGoldenViews(t *testing.T) {
	c := pixelsComparison()
	c.Timeline.Title = "16 pixels: load then render, at most 8 at once"
	vl, err := json.MarshalIndent(c.Timeline.VegaLite(), "", " ")
	if err != nil {
		t.Fatal(err)
	}
	slice := Threads().Simulate(Workload{NewTask("A", Compute(20*Unit)), NewTask("B", Compute(20*Unit))}, Machine{Cores: 1, Slice: 5 * Unit})
	sp := Speedup(SerialParallel(20*Unit, 80*Unit, 8), 8)
	spvl, err := json.MarshalIndent(sp.VegaLite(), "", " ")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		got  []byte
	}{
		{"pixels.svg", []byte(c.Timeline.SVG())},
		{"pixels.vl.json", append(vl, '\n')},
		{"pixels.txt", []byte(c.Text())},
		{"pixels.md", []byte(c.Table.Markdown())},
		{"pixels.html", []byte(c.Table.HTML())},
		{"pixels.trace.json", c.Timeline.ChromeTrace()},
		{"slices.txt", []byte(slice.Timeline().Text())},
		{"speedup.svg", []byte(sp.SVG())},
		{"speedup.vl.json", append(spvl, '\n')},
		{"speedup.txt", []byte(sp.Text())},
	} {
		t.Run(tc.name, func(t *testing.T) { golden(t, tc.name, tc.got) })
	}
}

func TestViewsDeterministic(t *testing.T) {
	a, b := pixelsComparison(), pixelsComparison()
	if a.Timeline.SVG() != b.Timeline.SVG() || !bytes.Equal(a.Timeline.PNG(), b.Timeline.PNG()) || a.Text() != b.Text() {
		t.Fatal("the same run renders differently twice")
	}
}

func TestPNGDecodes(t *testing.T) {
	tl := pixelsComparison().Timeline
	for _, width := range []int{0, 640, 1200} {
		tl.Width = width
		img, err := png.Decode(bytes.NewReader(tl.PNG()))
		if err != nil {
			t.Fatalf("width %d: %v", width, err)
		}
		want := width
		if want == 0 {
			want = defaultWidth
		}
		g := tl.geometry(newChartFaces())
		if b := img.Bounds(); b.Dx() != want || b.Dy() != g.height {
			t.Errorf("width %d: image is %v, want %dx%d", width, b, want, g.height)
		}
	}
	if _, err := png.Decode(bytes.NewReader(Speedup(Identical(4, Compute(Unit)), 4).PNG())); err != nil {
		t.Fatal(err)
	}
}

func TestTextFitsWidth(t *testing.T) {
	c := pixelsComparison()
	for _, cols := range []int{40, 80, 120} {
		c.Timeline.Columns = cols
		for _, line := range strings.Split(c.Timeline.Text(), "\n") {
			if n := len([]rune(line)); n > cols {
				t.Errorf("%d columns: line of %d: %q", cols, n, line)
			}
		}
	}
}

func TestBigTimelineStaysSmall(t *testing.T) {
	w := Random(20000, 10*Unit, 10*Unit, 3)
	r := Pool(16).Simulate(w, Machine{Cores: 4, Slice: Unit})
	if len(r.Spans) < 100000 {
		t.Fatalf("only %d spans; want at least 10^5", len(r.Spans))
	}
	tl := r.Timeline()
	vl, _ := json.Marshal(tl.VegaLite())
	for _, f := range []struct {
		name string
		size int
	}{{"vega-lite", len(vl)}, {"svg", len(tl.SVG())}, {"png", len(tl.PNG())}, {"text", len(tl.Text())}} {
		if f.size > 1<<20 {
			t.Errorf("%s of %d spans is %d bytes, over 1 MB", f.name, len(r.Spans), f.size)
		}
	}
}

func TestMIMEBundles(t *testing.T) {
	r := Pool(2).Simulate(Identical(4, Compute(Unit)), Machine{})
	for _, tc := range []struct {
		name  string
		mime  map[string]any
		types []string
	}{
		{"timeline", r.MIME(), []string{"application/vnd.vegalite.v5+json", "image/svg+xml", "image/png", "text/plain"}},
		{"table", r.Table().MIME(), []string{"text/html", "text/markdown", "text/plain"}},
		{"comparison", Compare(r, r).MIME(), []string{"application/vnd.vegalite.v5+json", "image/svg+xml", "image/png", "text/plain", "text/html", "text/markdown"}},
		{"speedup", Speedup(Identical(4, Compute(Unit)), 4).MIME(), []string{"application/vnd.vegalite.v5+json", "image/svg+xml", "image/png", "text/plain"}},
	} {
		for _, typ := range tc.types {
			if tc.mime[typ] == nil {
				t.Errorf("%s: no %s", tc.name, typ)
			}
		}
		if _, err := json.Marshal(tc.mime); err != nil {
			t.Errorf("%s: bundle does not encode: %v", tc.name, err)
		}
	}
}

func TestChromeTraceIsJSON(t *testing.T) {
	var v struct {
		TraceEvents []map[string]any `json:"traceEvents"`
	}
	tl := pixelsComparison().Timeline
	if err := json.Unmarshal(tl.ChromeTrace(), &v); err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, r := range tl.Runs() {
		n += len(r.Spans)
	}
	x := 0
	for _, e := range v.TraceEvents {
		if e["ph"] == "X" {
			x++
		}
	}
	if x != n {
		t.Errorf("%d complete events, want %d", x, n)
	}
	path := filepath.Join(t.TempDir(), "t.json")
	if err := tl.SaveChromeTrace(path); err != nil {
		t.Fatal(err)
	}
	if err := tl.SaveChromeTrace(filepath.Join(path, "nope")); err == nil {
		t.Error("saving under a file should fail")
	}
}

func TestMergeKeepsTime(t *testing.T) {
	// Merging never loses or invents time: the bars' weights add up to the
	// spans' durations, whatever the resolution.
	r := Random(500, 10*Unit, 10*Unit, 9).Jitter(0.5, 1)
	run := EventLoop().Limit(20).Simulate(r, Machine{})
	var total int64
	for _, s := range run.Spans {
		total += int64(s.Duration())
	}
	for _, px := range []int64{1, 1000, 1e6, 1e8} {
		var got int64
		rows, _ := shownLanes(len(run.Lanes), len(run.Lanes))
		for _, b := range mergeBars(run, rows, timeDur(px)) {
			for _, w := range b.weight {
				got += int64(w)
			}
		}
		if got != total {
			t.Errorf("px %d: bars weigh %d, spans %d", px, got, total)
		}
	}
}

func BenchmarkRender10k(b *testing.B) {
	w := Random(2500, 10*Unit, 10*Unit, 3)
	r := Pool(8).Simulate(w, Machine{Cores: 2, Slice: Unit})
	b.Logf("%d spans", len(r.Spans))
	tl := r.Timeline()
	for _, f := range []struct {
		name string
		fn   func()
	}{
		{"svg", func() { _ = tl.SVG() }},
		{"png", func() { _ = tl.PNG() }},
		{"vegalite", func() { _, _ = json.Marshal(tl.VegaLite()) }},
		{"text", func() { _ = tl.Text() }},
	} {
		b.Run(f.name, func(b *testing.B) {
			for b.Loop() {
				f.fn()
			}
		})
	}
}

func timeDur(n int64) time.Duration { return time.Duration(n) }
