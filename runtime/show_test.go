package lanes

import (
	"strings"
	"testing"

	"github.com/lanes-dev/lanes/display"
)

func TestRichValuesHaveText(t *testing.T) {
	for _, tc := range []struct {
		name string
		v    any
		want string
	}{
		{"html bold", HTML("<b>bold</b> and <i>slanted</i>"), "bold and slanted"},
		{"html entities", HTML("a &lt; b &amp;&amp; c&nbsp;d"), "a < b && c d"},
		{"html breaks", HTML("one<br>two<p>three</p><ul><li>x</li><li>y</li></ul>"), "one\ntwo\nthree\n- x\n- y"},
		{"html table", HTML("<table><tr><th>n</th><th>wall</th></tr><tr><td>1</td><td>100</td></tr><tr><td>16</td><td>7</td></tr></table>"),
			"n  │ wall\n1  │ 100\n16 │ 7"},
		{"html script dropped", HTML("<script>alert(1)</script><style>b{}</style>text"), "text"},
		{"markdown table", Markdown("Before\n\n| goroutine | step |\n|---|---:|\n| g1 | read x |\n| g22 | write |\nafter"),
			"Before\n\ngoroutine │ step\n──────────────────\ng1        │ read x\ng22       │ write\nafter"},
		{"markdown text", Markdown("*slanted* and `code`"), "*slanted* and `code`"},
		{"svg", SVG(`<svg xmlns="http://www.w3.org/2000/svg" width="40" height="30"><text x="1" y="2">hello</text></svg>`), "[SVG picture 40×30] hello"},
		{"svg empty", SVG(`<svg xmlns="http://www.w3.org/2000/svg"/>`), "[SVG picture]"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := display.Render(tc.v)
			got, _ := b.Data["text/plain"].(string)
			if got != tc.want {
				t.Errorf("text/plain = %q, want %q", got, tc.want)
			}
			if len(b.Data) < 2 {
				t.Errorf("bundle %v lost its rich form", b.Data)
			}
			if strings.HasPrefix(got, "<lanes.") {
				t.Errorf("text/plain is the type name %q", got)
			}
		})
	}
}
