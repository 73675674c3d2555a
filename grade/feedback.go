package grade

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"html/template"
	"io"
	"strings"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"

	"github.com/lanes-dev/lanes/notebook"
)

// WriteFeedback writes the feedback page of a result: a self-contained
// HTML page (no scripts, no external resources) with the score, a table
// of the graded cells with what each failing test said, the notes, and
// the executed notebook. Images are embedded as data: URLs, PNG first
// (timelines are PNG), SVG inside <img> (where it cannot run scripts).
// Test cells are shown as students see them: hidden tests are not
// revealed, only what they said when they failed. HTML output of cells
// is not rendered (it is the students' own and would not be
// self-contained); its text/plain form is shown instead.
func WriteFeedback(w io.Writer, src *Source, r *Result) error {
	page := feedbackPage{Title: fmt.Sprintf("%s — %s", src.Name, r.Student), R: r, Src: src}
	if r.Executed != nil {
		failing := map[int]CellGrade{}
		for _, g := range r.Cells {
			if g.Points < g.Max || g.Status == Manual {
				failing[g.Index] = g
			}
		}
		for i, c := range r.Executed.Cells {
			page.Cells = append(page.Cells, renderCell(src, i, c, failing))
		}
	}
	return feedbackTmpl.Execute(w, page)
}

type feedbackPage struct {
	Title string
	R     *Result
	Src   *Source
	Cells []htmlCell
}

type htmlCell struct {
	Anchor  string
	Type    string
	Label   string
	Source  string
	HTML    template.HTML // rendered Markdown
	Outputs []htmlOutput
	Grade   *CellGrade
}

type htmlOutput struct {
	Class string
	Text  string
	HTML  template.HTML // rendered Markdown (a comparison's table)
	Image template.URL
}

func renderCell(src *Source, i int, c *notebook.Cell, failing map[int]CellGrade) htmlCell {
	m, kind := kindOf(c)
	h := htmlCell{Type: c.Type, Source: c.Source}
	if m.GradeID != "" {
		h.Anchor = m.GradeID
		h.Label = m.GradeID
	}
	if kind == KindTest {
		if shown, ok := src.shown[m.GradeID]; ok {
			h.Source = shown
		}
	}
	if g, ok := failing[i]; ok {
		h.Grade = &g
	}
	if c.Type == notebook.Markdown {
		h.HTML = markdown(c.Source)
		return h
	}
	if c.ExecutionCount != nil {
		h.Label = strings.TrimSpace(fmt.Sprintf("In [%d] %s", *c.ExecutionCount, h.Label))
	}
	for _, o := range c.Outputs {
		switch o.Type {
		case notebook.Stream:
			h.Outputs = append(h.Outputs, htmlOutput{Class: o.Name, Text: o.Text})
		case notebook.Error:
			tb := strings.Join(o.Traceback, "\n")
			if tb == "" {
				tb = o.EName + ": " + o.EValue
			}
			h.Outputs = append(h.Outputs, htmlOutput{Class: "error", Text: ansi.ReplaceAllString(tb, "")})
		case notebook.DisplayData, notebook.ExecuteResult:
			h.Outputs = append(h.Outputs, renderBundle(o)...)
		}
	}
	return h
}

func renderBundle(o *notebook.Output) []htmlOutput {
	if png := imageData(o.Data["image/png"]); png != "" {
		out := []htmlOutput{{Class: "image", Image: template.URL("data:image/png;base64," + png)}}
		if t := o.DataText("text/markdown"); t != "" { // a comparison's table
			out = append(out, htmlOutput{Class: "result", HTML: markdown(t)})
		}
		return out
	}
	if svg := o.DataText("image/svg+xml"); svg != "" {
		return []htmlOutput{{Class: "image", Image: template.URL("data:image/svg+xml;base64," + base64.StdEncoding.EncodeToString([]byte(svg)))}}
	}
	if t := o.DataText("text/markdown"); t != "" {
		return []htmlOutput{{Class: "result", HTML: markdown(t)}}
	}
	if t := o.DataText("text/plain"); t != "" {
		return []htmlOutput{{Class: "result", Text: t}}
	}
	return nil
}

// imageData returns base64 image data from a bundle value.
func imageData(v any) string {
	switch v := v.(type) {
	case string:
		return strings.Join(strings.Fields(v), "")
	case []byte:
		return base64.StdEncoding.EncodeToString(v)
	}
	return ""
}

// md renders Markdown as CommonMark with GitHub's tables, task lists,
// strikethrough and autolinks. It is goldmark without html.WithUnsafe: raw
// HTML in a cell is dropped ("<!-- raw HTML omitted -->") and links with
// dangerous schemes (javascript:, vbscript:, file:, data: other than
// images) are emptied; everything else is escaped. The page is opened
// from untrusted submissions, so on top of that images other than data:
// URLs become their alt text (no resource is fetched from elsewhere) and
// headings move down a level (the page's own title is h1).
var md = goldmark.New(
	goldmark.WithExtensions(extension.GFM),
	goldmark.WithParserOptions(parser.WithASTTransformers(util.Prioritized(feedbackTransformer{}, 100))),
)

// feedbackTransformer adapts a cell's Markdown to the feedback page.
type feedbackTransformer struct{}

func (feedbackTransformer) Transform(doc *ast.Document, reader text.Reader, pc parser.Context) {
	var images []*ast.Image
	ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.Heading:
			n.Level = min(n.Level+1, 6)
		case *ast.Image:
			if !strings.HasPrefix(string(n.Destination), "data:image/") {
				images = append(images, n)
			}
		}
		return ast.WalkContinue, nil
	})
	for _, img := range images {
		alt := ast.NewString([]byte("[image: " + string(img.Text(reader.Source())) + "]"))
		img.Parent().ReplaceChild(img.Parent(), img, alt)
	}
}

// markdown renders a cell's Markdown for the feedback page (see md).
func markdown(src string) template.HTML {
	var b bytes.Buffer
	if err := md.Convert([]byte(src), &b); err != nil {
		return template.HTML("<pre>" + template.HTMLEscapeString(src) + "</pre>")
	}
	return template.HTML(b.String())
}

var feedbackTmpl = template.Must(template.New("feedback").Funcs(template.FuncMap{
	"num":  num,
	"lost": func(g CellGrade) bool { return g.Points < g.Max || g.Status == Manual },
}).Parse(`<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data:; style-src 'unsafe-inline'">
<title>{{.Title}}</title>
<style>
body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222;line-height:1.45}
pre{white-space:pre-wrap;word-break:break-word;margin:.3rem 0;padding:.5rem;border-radius:4px;font-size:.85rem}
pre.code{background:#f4f4f6;border-left:3px solid #99a}
pre.stdout,pre.result{background:#fff;border:1px solid #eee}
pre.stderr{background:#fff4e5}
pre.error{background:#fdecec;color:#900}
table{border-collapse:collapse;margin:1rem 0}td,th{border:1px solid #ddd;padding:.3rem .6rem;text-align:left;vertical-align:top}
.passed{color:#176b2c}.failed,.timeout,.error{color:#a00}.partial,.manual,.not-run{color:#8a5a00}
.cell{margin:1rem 0}.label{font-size:.75rem;color:#777}.verdict{padding:.4rem .6rem;margin:.3rem 0;border-radius:4px;background:#fdecec}
.verdict.ok{background:#eaf6ec}img{max-width:100%}
</style></head><body>
<h1>{{.Src.Name}}: {{.R.Student}}</h1>
<p class="score"><b>Score: {{num .R.Score}} / {{num .R.Max}}</b>{{if eq .R.Status "error"}} — <span class="error">could not be graded: {{.R.Reason}}</span>{{end}}</p>
{{with .R.Notes}}<ul class="notes">{{range .}}<li>{{.}}</li>{{end}}</ul>{{end}}
<table><tr><th>test</th><th>points</th><th>status</th><th>what it said</th></tr>
{{range .R.Cells}}<tr><td>{{if $.Cells}}<a href="#{{.GradeID}}">{{.GradeID}}</a>{{else}}{{.GradeID}}{{end}}</td><td>{{num .Points}} / {{num .Max}}</td><td class="{{.Status}}">{{.Status}}</td><td>{{.Reason}}</td></tr>
{{end}}</table>
{{range .Cells}}<div class="cell"{{if .Anchor}} id="{{.Anchor}}"{{end}}>
{{if eq .Type "markdown"}}{{.HTML}}{{else}}{{if .Label}}<div class="label">{{.Label}}</div>{{end}}
<pre class="code">{{.Source}}</pre>
{{range .Outputs}}{{if .Image}}<img src="{{.Image}}" alt="output">{{else if .HTML}}<div class="{{.Class}} md">{{.HTML}}</div>{{else}}<pre class="{{.Class}}">{{.Text}}</pre>{{end}}
{{end}}{{with .Grade}}<div class="verdict"><b>{{.GradeID}}: {{num .Points}} / {{num .Max}} ({{.Status}})</b> {{.Reason}}</div>{{end}}{{end}}
</div>
{{end}}</body></html>
`))
