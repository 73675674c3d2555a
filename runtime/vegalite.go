package lanes

import (
	"encoding/json"
	"fmt"
	"math"
	"strings"
)

const vegaSchema = "https://vega.github.io/schema/vega-lite/v5.json"

// VegaLite returns the timeline as a Vega-Lite v5 specification, ready to
// be encoded as JSON: one row of bars per lane, coloured by kind and
// labelled by task, with a white edge between neighbouring bars; a tooltip
// per bar (task, kind, lane, start, end, duration); one panel per run on a
// shared time axis, which zooms and pans with the mouse wheel and drag
// (double-click resets it).
func (t *Timeline) VegaLite() map[string]any {
	f := newChartFaces()
	g := t.geometry(f)
	div, unit := timeScale(t.end(), t.virtual())
	var values []any
	var runNames []any
	for _, rg := range g.runs {
		r := rg.run
		header := runHeader(r)
		if note := rg.elisionNote(); note != "" {
			header += " " + note
		}
		runNames = append(runNames, header)
		for _, br := range rg.bars {
			_, w := g.barBox(br)
			v := map[string]any{
				"run":      header,
				"lane":     r.Lanes[rg.rows[br.row]],
				"task":     taskName(r, br),
				"label":    barLabel(&rg.runLayout, br, w, f.small),
				"ink":      inkOn(styleOf(br.kind).color),
				"spans":    br.n,
				"kind":     kindName(br),
				"colour":   br.kind.String(),
				"start":    round4(float64(br.start) / div),
				"end":      round4(float64(br.end) / div),
				"duration": round4(float64(br.end-br.start) / div),
			}
			if len(g.stripes) > 0 { // "" (white) for bars of tasks without a stripe
				v["outline"] = g.stripe(&rg.runLayout, br)
			}
			values = append(values, v)
		}
	}
	legend := t.kindLegend()
	domain := make([]any, len(legend))
	colors := make([]any, len(legend))
	for i, it := range legend {
		domain[i], colors[i] = it.name, it.color
	}
	laneSort := []any{}
	seen := map[string]bool{}
	for _, rg := range g.runs {
		for _, lane := range rg.rows {
			if l := rg.run.Lanes[lane]; !seen[l] {
				seen[l] = true
				laneSort = append(laneSort, l)
			}
		}
	}
	timeTitle := "time (" + unit + ")"
	barEnc := map[string]any{}
	if tasks, _, _ := t.taskLegend(); len(tasks) > 0 {
		// Tasks of runs coloured by task: an outline of their own colour.
		names, outlines := []any{}, []any{}
		for _, it := range tasks {
			names, outlines = append(names, it.name), append(outlines, it.color)
		}
		barEnc["stroke"] = map[string]any{"field": "outline", "type": "nominal", "title": "task (outline)",
			"scale":  map[string]any{"domain": append(append([]any{}, outlines...), ""), "range": append(outlines, "#ffffff")},
			"legend": map[string]any{"orient": "bottom", "direction": "horizontal", "values": outlines, "labelExpr": taskLabelExpr(tasks), "symbolFillColor": "#ffffff"}}
	}
	x := map[string]any{"field": "start", "type": "quantitative", "title": timeTitle,
		"scale": map[string]any{"domain": []any{0, round4(float64(t.end()) / div)}}}
	y := map[string]any{"field": "lane", "type": "nominal", "sort": laneSort, "title": "lane"}
	bars := map[string]any{
		"params": []any{map[string]any{"name": "zoom", "select": map[string]any{"type": "interval", "encodings": []any{"x"}}, "bind": "scales"}},
		"mark":   map[string]any{"type": "bar", "cornerRadius": 0, "stroke": "#ffffff", "strokeWidth": 1.5},
		"encoding": merge(barEnc, map[string]any{
			"x": x, "x2": map[string]any{"field": "end"}, "y": y,
			"color": map[string]any{"field": "colour", "type": "nominal", "title": "kind",
				"scale":  map[string]any{"domain": domain, "range": colors},
				"legend": map[string]any{"orient": "bottom", "direction": "horizontal"}},
			"tooltip": []any{
				map[string]any{"field": "task", "type": "nominal"},
				map[string]any{"field": "kind", "type": "nominal"},
				map[string]any{"field": "lane", "type": "nominal"},
				map[string]any{"field": "start", "type": "quantitative", "title": "start (" + unit + ")"},
				map[string]any{"field": "end", "type": "quantitative", "title": "end (" + unit + ")"},
				map[string]any{"field": "duration", "type": "quantitative", "title": "duration (" + unit + ")"},
				map[string]any{"field": "spans", "type": "quantitative", "title": "spans merged"},
			},
		}),
	}
	labels := map[string]any{
		"mark": map[string]any{"type": "text", "align": "left", "dx": 3, "fontSize": smallSize, "clip": true},
		"encoding": map[string]any{
			"x": map[string]any{"field": "start", "type": "quantitative"}, "y": y,
			"text": map[string]any{"field": "label"},
			"fill": map[string]any{"field": "ink", "type": "nominal", "scale": nil, "legend": nil},
		},
	}
	spec := map[string]any{
		"width":  g.plotW,
		"height": map[string]any{"step": rowH},
		"layer":  []any{bars, labels},
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
		"header": map[string]any{"labelAngle": 0, "labelOrient": "top", "labelAlign": "left", "labelAnchor": "start", "labelFontWeight": "bold"}}}
	out["spec"] = spec
	out["resolve"] = map[string]any{"scale": map[string]any{"y": "independent"}}
	return out
}

func round4(x float64) float64 { return math.Round(x*1e4) / 1e4 }

// merge adds the entries of b to a and returns a.
func merge(a, b map[string]any) map[string]any {
	for k, v := range b {
		a[k] = v
	}
	return a
}

// taskLabelExpr is a Vega expression that names the task of each outline
// colour in the legend.
func taskLabelExpr(tasks []legendItem) string {
	var b strings.Builder
	for _, it := range tasks {
		fmt.Fprintf(&b, "datum.value == %s ? %s : ", jsString(it.color), jsString(it.name))
	}
	b.WriteString("''")
	return b.String()
}

// jsString quotes s as a string literal of a Vega expression.
func jsString(s string) string {
	b, _ := json.Marshal(s) // a string always marshals
	return string(b)
}
