package lanes

import (
	"bytes"
	"encoding/json"
	"fmt"
	"image/png"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// switches is lesson 2's picture of time slicing: A and B take turns on
// one lane, with a switch between every two turns.
func switches(slice, cost float64) *Run {
	var w Workload
	for i := 0; i < int(20/slice); i++ {
		if i > 0 {
			w = append(w, NewTask("switch", Compute(Units(cost))))
		}
		w = append(w, NewTask("A", Compute(Units(slice))), NewTask("switch", Compute(Units(cost))), NewTask("B", Compute(Units(slice))))
	}
	r := Sequential().Simulate(w, Machine{})
	r.Name = fmt.Sprintf("slice %g", slice)
	r.ColorByTask = true
	return r
}

// textLane returns the bars of the named lane in a text timeline.
func textLane(text, lane string) string {
	for _, l := range strings.Split(text, "\n") {
		if strings.HasPrefix(l, lane+" ") {
			return strings.Trim(l[strings.Index(l, "│"):], "│")
		}
	}
	return ""
}

func TestTextShowsEveryTask(t *testing.T) {
	for _, tc := range []struct {
		name string
		run  *Run
		// groups is the number of runs of one character the lane must
		// show: one per task, in a row of tasks of one kind too.
		groups int
		note   string
	}{
		{"two turns and a switch", switches(20, 0.5), 3, ""},
		{"eight turns and seven switches", switches(5, 0.5), 15, ""},
		{"eight identical tasks in a row", Sequential().Simulate(Identical(8, Compute(Unit)), Machine{}), 8, ""},
		{"more tasks than characters", switches(1, 0.5), 0, "spans too short for a character"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			text := tc.run.Timeline().Text()
			lane := strings.TrimRight(textLane(text, "main"), " ")
			if lane == "" {
				t.Fatalf("no main lane in\n%s", text)
			}
			if tc.groups > 0 {
				groups := 0
				var prev rune
				for _, c := range lane {
					if c != prev {
						groups++
					}
					prev = c
				}
				if groups != tc.groups {
					t.Errorf("lane %q shows %d tasks, want %d", lane, groups, tc.groups)
				}
			}
			if tc.note != "" && !strings.Contains(text, tc.note) {
				t.Errorf("no note %q on the spans left out:\n%s", tc.note, text)
			}
		})
	}
}

func TestTextLettersNameTasks(t *testing.T) {
	text := switches(5, 0.5).Timeline().Text()
	for _, want := range []string{"A = A", "s = switch", "B = B"} {
		if !strings.Contains(text, want) {
			t.Errorf("legend has no %q:\n%s", want, text)
		}
	}
	if lane := textLane(text, "main"); !strings.Contains(lane, "AsB") {
		t.Errorf("lane %q does not show A, a switch, B", lane)
	}
	tl := lettersOf([]string{"main", "g1", "g2", "g10", "other"})
	if want := "m120o"; tl != want {
		t.Errorf("letters of main, g1, g2, g10, other: %q, want %q", tl, want)
	}
}

// lettersOf returns the letters the text form gives tasks of these names.
func lettersOf(names []string) string {
	r := &Run{Lanes: []string{"P0"}, Tasks: names, ColorByTask: true}
	for i := range names {
		r.Spans = append(r.Spans, Span{Lane: 0, Task: i, Kind: Computing, Start: Units(float64(i)), End: Units(float64(i + 1))})
	}
	var b strings.Builder
	for _, tl := range newTaskLetters([]*Run{r}).order {
		b.WriteRune(tl.letter)
	}
	return b.String()
}

func TestMaxLanesKeepsTheTail(t *testing.T) {
	r := EventLoop().Simulate(Identical(50, Compute(Unit)), Machine{})
	tl := r.Timeline()
	tl.MaxLanes = 10
	text, svg := tl.Text(), tl.SVG()
	vl, err := json.Marshal(tl.VegaLite())
	if err != nil {
		t.Fatal(err)
	}
	for _, lane := range []string{"T1", "T5", "T46", "T50"} {
		if textLane(text, lane) == "" {
			t.Errorf("text form does not draw %s:\n%s", lane, text)
		}
		if !strings.Contains(svg, ">"+lane+"<") {
			t.Errorf("SVG does not draw %s", lane)
		}
		if !bytes.Contains(vl, []byte(`"lane":"`+lane+`"`)) {
			t.Errorf("Vega-Lite does not draw %s", lane)
		}
	}
	for _, lane := range []string{"T6", "T45"} {
		if textLane(text, lane) != "" {
			t.Errorf("text form draws %s, which MaxLanes leaves out", lane)
		}
	}
	const note = "40 lanes not drawn (T6 … T45"
	for form, s := range map[string]string{"text": text, "svg": svg, "vega-lite": string(vl)} {
		if !strings.Contains(s, note) {
			t.Errorf("%s form does not say %q", form, note)
		}
	}
	// The last lane ends where the run ends: at the right edge.
	if last := textLane(text, "T50"); !strings.HasSuffix(last, "█") {
		t.Errorf("T50 = %q does not end at the run's end", last)
	}
}

func TestMaxLanesOne(t *testing.T) {
	tl := EventLoop().Simulate(Identical(3, Compute(Unit)), Machine{}).Timeline()
	tl.MaxLanes = 1
	text := tl.Text()
	if textLane(text, "T1") == "" || textLane(text, "T2") != "" || !strings.Contains(text, "2 lanes not drawn (T2 … T3; MaxLanes 1)") {
		t.Errorf("MaxLanes 1 should draw T1 and name T2 … T3:\n%s", text)
	}
	_ = tl.SVG()
	_ = tl.PNG()
}

var fillRE = regexp.MustCompile(`<rect x="[^"]*" y="[^"]*" width="[^"]*" height="14" fill="(#[0-9a-f]{6})"><title>`)

func TestColourMeansKind(t *testing.T) {
	kindColours := map[string]bool{}
	for _, st := range kindStyles {
		kindColours[st.color] = true
	}
	if len(kindColours) != len(kindStyles) || kindColours[otherStyle.color] {
		t.Fatalf("kinds share colours: %v", kindStyles)
	}
	for _, c := range taskStripes {
		if kindColours[c] {
			t.Errorf("task stripe %s is also a kind's colour", c)
		}
	}
	for _, tc := range []struct {
		name string
		tl   *Timeline
	}{
		{"by kind", pixelsComparison().Timeline},
		{"by task", Timelines(switches(5, 0.5), switches(20, 0.5))},
	} {
		t.Run(tc.name, func(t *testing.T) {
			svg := tc.tl.SVG()
			m := fillRE.FindAllStringSubmatch(svg, -1)
			if len(m) == 0 {
				t.Fatal("no bars")
			}
			for _, f := range m {
				if !kindColours[f[1]] {
					t.Fatalf("a bar is filled %s, not a kind's colour", f[1])
				}
			}
			legend := map[string]string{}
			for _, it := range tc.tl.kindLegend() {
				if other, ok := legend[it.color]; ok {
					t.Errorf("legend: %s and %s share %s", other, it.name, it.color)
				}
				legend[it.color] = it.name
				if slices.Contains(tc.tl.Runs()[0].Tasks, it.name) {
					t.Errorf("the kinds' legend names a task, %s", it.name)
				}
			}
		})
	}
}

func TestNewKindIsOneLine(t *testing.T) {
	const gc Kind = 9 // a kind without a line in kindStyles
	r := &Run{Name: "gc", Virtual: true, Lanes: []string{"L"}, Tasks: []string{"t"}, Wall: 2 * Unit,
		Spans: []Span{{Kind: Computing, End: Unit}, {Kind: gc, Start: Unit, End: 2 * Unit}}}
	tl := r.Timeline()
	if lane := textLane(tl.Text(), "L"); !strings.ContainsRune(lane, otherStyle.char) {
		t.Errorf("the unknown kind is not drawn %q: %q", otherStyle.char, lane)
	}
	if !strings.Contains(tl.SVG(), otherStyle.color) || !strings.Contains(tl.SVG(), gc.String()) {
		t.Error("SVG does not draw or name the unknown kind")
	}
}

func TestSVGBarsKeepApart(t *testing.T) {
	// Eight identical tasks in a row: eight bars, each a pixel short of the
	// next, so that none touch.
	tl := Sequential().Simulate(Identical(8, Compute(Unit)), Machine{}).Timeline()
	g := tl.geometry(newChartFaces())
	bars := g.runs[0].bars
	if len(bars) != 8 {
		t.Fatalf("%d bars, want 8", len(bars))
	}
	for i := 1; i < len(bars); i++ {
		x0, w0 := g.barBox(bars[i-1])
		x1, _ := g.barBox(bars[i])
		if gap := x1 - (x0 + w0); gap < 0.99 {
			t.Errorf("bars %d and %d are %.2f px apart", i-1, i, gap)
		}
	}
	if n := len(fillRE.FindAllString(tl.SVG(), -1)); n != 8 {
		t.Errorf("SVG draws %d bars, want 8", n)
	}
}

func TestCanvasFitsLegend(t *testing.T) {
	tl := Timelines(pixelsComparison().Timeline.Runs()...)
	tl.Runs()[0].ColorByTask = true // a second legend row, of tasks
	defer func() { tl.Runs()[0].ColorByTask = false }()
	for _, width := range []int{200, 320, 800} {
		tl.Width = width
		g := tl.geometry(newChartFaces())
		f := newChartFaces()
		for _, it := range g.legend {
			right := it.x + int(f.text.width(it.name))
			if it.color != "" {
				right += swatch + 4
			}
			if it.x < 0 || right > g.width || it.y+legendH > g.height {
				t.Errorf("width %d: legend entry %q at (%d, %d) to x %d leaves the %dx%d canvas", width, it.name, it.x, it.y, right, g.width, g.height)
			}
		}
		img, err := png.Decode(bytes.NewReader(tl.PNG()))
		if err != nil {
			t.Fatal(err)
		}
		if b := img.Bounds(); b.Dx() != g.width || b.Dy() != g.height {
			t.Errorf("width %d: PNG is %v, layout %dx%d", width, b, g.width, g.height)
		}
	}
}

func TestVegaLiteTooltipAndZoom(t *testing.T) {
	spec := pixelsComparison().Timeline.VegaLite()
	js, err := json.Marshal(spec)
	if err != nil {
		t.Fatal(err)
	}
	var v struct {
		Spec struct {
			Layer []struct {
				Params []struct {
					Select struct {
						Type      string   `json:"type"`
						Encodings []string `json:"encodings"`
					} `json:"select"`
					Bind string `json:"bind"`
				} `json:"params"`
				Encoding struct {
					X       struct{ Title string }   `json:"x"`
					Y       struct{ Title string }   `json:"y"`
					Tooltip []struct{ Field string } `json:"tooltip"`
				} `json:"encoding"`
			} `json:"layer"`
		} `json:"spec"`
	}
	if err := json.Unmarshal(js, &v); err != nil {
		t.Fatal(err)
	}
	if len(v.Spec.Layer) == 0 {
		t.Fatal("no layers")
	}
	bars := v.Spec.Layer[0]
	var fields []string
	for _, tt := range bars.Encoding.Tooltip {
		fields = append(fields, tt.Field)
	}
	for _, want := range []string{"task", "kind", "start", "end", "duration"} {
		if !slices.Contains(fields, want) {
			t.Errorf("tooltip has no %s: %v", want, fields)
		}
	}
	if bars.Encoding.X.Title != "time (units)" || bars.Encoding.Y.Title != "lane" {
		t.Errorf("axis titles %q and %q", bars.Encoding.X.Title, bars.Encoding.Y.Title)
	}
	if len(bars.Params) != 1 || bars.Params[0].Bind != "scales" || !slices.Equal(bars.Params[0].Select.Encodings, []string{"x"}) {
		t.Errorf("no zoom on the time axis: %+v", bars.Params)
	}
}

func TestStripesAllOrNone(t *testing.T) {
	for _, tc := range []struct {
		tasks, stripes int
	}{{len(taskStripes), len(taskStripes)}, {len(taskStripes) + 1, 0}} {
		r := Pool(2).Simulate(Identical(tc.tasks, Compute(Unit)), Machine{})
		r.ColorByTask = true
		svg := r.Timeline().SVG()
		got := map[string]bool{}
		for _, m := range regexp.MustCompile(`height="3" fill="(#[0-9a-f]{6})" pointer-events`).FindAllStringSubmatch(svg, -1) {
			got[m[1]] = true
		}
		if len(got) != tc.stripes {
			t.Errorf("%d tasks: %d stripe colours, want %d", tc.tasks, len(got), tc.stripes)
		}
		if tc.stripes == 0 && !strings.Contains(svg, fmt.Sprintf("%d tasks: named in their bars", tc.tasks)) {
			t.Errorf("%d tasks: the legend does not say how tasks are told apart", tc.tasks)
		}
	}
}
