package lanes

import "math"

const vegaSchema = "https://vega.github.io/schema/vega-lite/v5.json"

// VegaLite returns the timeline as a Vega-Lite v5 specification, ready to
// be encoded as JSON: bars per lane, coloured by kind, with a tooltip; one
// row per run on a shared time axis.
func (t *Timeline) VegaLite() map[string]any {
	g := t.geometry(7)
	div, unit := timeScale(t.end(), t.virtual())
	var values []any
	var runNames []any
	st := t.styler()
	for _, rg := range g.runs {
		r := rg.run
		header := runHeader(r)
		runNames = append(runNames, header)
		for _, br := range rg.bars {
			task := "several tasks"
			if br.task >= 0 && br.task < len(r.Tasks) {
				task = r.Tasks[br.task]
			}
			values = append(values, map[string]any{
				"run":      header,
				"lane":     r.Lanes[br.lane],
				"task":     task,
				"spans":    br.n,
				"kind":     br.kind.String(),
				"colour":   st.items[st.of(r, br)].name,
				"start":    round4(float64(br.start) / div),
				"end":      round4(float64(br.end) / div),
				"duration": round4(float64(br.end-br.start) / div),
			})
		}
	}
	domain := make([]any, len(st.items))
	colors := make([]any, len(st.items))
	for i, it := range st.items {
		domain[i], colors[i] = it.name, it.color
	}
	laneSort := []any{}
	seen := map[string]bool{}
	for _, rg := range g.runs {
		for i := 0; i < rg.lanes; i++ {
			if l := rg.run.Lanes[i]; !seen[l] {
				seen[l] = true
				laneSort = append(laneSort, l)
			}
		}
	}
	timeTitle := "time (" + unit + ")"
	spec := map[string]any{
		"width":  g.plotW,
		"height": map[string]any{"step": rowH},
		"mark":   map[string]any{"type": "bar", "cornerRadius": 0},
		"encoding": map[string]any{
			"x":  map[string]any{"field": "start", "type": "quantitative", "title": timeTitle, "scale": map[string]any{"domain": []any{0, round4(float64(t.end()) / div)}}},
			"x2": map[string]any{"field": "end"},
			"y":  map[string]any{"field": "lane", "type": "nominal", "sort": laneSort, "title": nil},
			"color": map[string]any{"field": "colour", "type": "nominal", "title": nil,
				"scale":  map[string]any{"domain": domain, "range": colors},
				"legend": map[string]any{"orient": "bottom"}},
			"tooltip": []any{
				map[string]any{"field": "task", "type": "nominal"},
				map[string]any{"field": "kind", "type": "nominal"},
				map[string]any{"field": "lane", "type": "nominal"},
				map[string]any{"field": "start", "type": "quantitative", "title": "start (" + unit + ")"},
				map[string]any{"field": "duration", "type": "quantitative", "title": "duration (" + unit + ")"},
				map[string]any{"field": "spans", "type": "quantitative", "title": "spans merged"},
			},
		},
	}
	out := map[string]any{
		"$schema": vegaSchema,
		"data":    map[string]any{"values": values},
		"config":  map[string]any{"view": map[string]any{"stroke": nil}},
	}
	if t.Title != "" {
		out["title"] = t.Title
	}
	out["facet"] = map[string]any{"row": map[string]any{"field": "run", "type": "nominal", "sort": runNames, "title": nil,
		"header": map[string]any{"labelAngle": 0, "labelAlign": "left", "labelAnchor": "start", "labelFontWeight": "bold"}}}
	out["spec"] = spec
	out["resolve"] = map[string]any{"scale": map[string]any{"y": "independent"}}
	return out
}

func round4(x float64) float64 { return math.Round(x*1e4) / 1e4 }
