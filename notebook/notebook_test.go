package notebook

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// jupyterFiles are fixtures written by Jupyter's nbformat (see
// testdata/gen_fixtures.py) or by nbconvert.
var jupyterFiles = []string{
	"testdata/rich.ipynb",
	"testdata/minor4.ipynb",
	"../cmd/lanes/testdata/jupyter/cells.ipynb",
}

func read(t testing.TB, file string) []byte {
	t.Helper()
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestRoundTripJupyterFiles(t *testing.T) {
	for _, f := range jupyterFiles {
		t.Run(filepath.Base(f), func(t *testing.T) {
			want := read(t, f)
			nb, err := Parse(want)
			if err != nil {
				t.Fatal(err)
			}
			got, err := nb.Marshal()
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("round trip changed the file:\n%s", diff(string(want), string(got)))
			}
		})
	}
}

// TestRewriteLikeJupyter forgets what was read, so that every cell source
// and output is encoded anew: the result must still be what nbformat wrote.
func TestRewriteLikeJupyter(t *testing.T) {
	for _, f := range jupyterFiles {
		t.Run(filepath.Base(f), func(t *testing.T) {
			want := read(t, f)
			nb, err := Parse(want)
			if err != nil {
				t.Fatal(err)
			}
			for _, c := range nb.Cells {
				c.orig.source = "\x00 changed"
				for _, o := range c.Outputs {
					o.raw, o.orig = nil, nil
				}
				c.orig.outputs = nil
			}
			got, err := nb.Marshal()
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("re-encoded notebook differs from nbformat's:\n%s", diff(string(want), string(got)))
			}
		})
	}
}

func TestClearOutputsLikeJupyter(t *testing.T) {
	nb, err := Parse(read(t, "testdata/rich.ipynb"))
	if err != nil {
		t.Fatal(err)
	}
	nb.ClearOutputs()
	got, err := nb.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	want := read(t, "testdata/rich-cleared.ipynb")
	if !bytes.Equal(got, want) {
		t.Errorf("cleared notebook differs from nbformat's:\n%s", diff(string(want), string(got)))
	}
}

func TestSourceKeepsItsForm(t *testing.T) {
	in := `{"cells": [{"cell_type": "code", "execution_count": null, "metadata": {}, "outputs": [], "source": "a\nb"},
	{"cell_type": "code", "execution_count": null, "metadata": {}, "outputs": [], "source": ["a\n", "b"]}],
	"metadata": {}, "nbformat": 4, "nbformat_minor": 2}`
	nb, err := Parse([]byte(in))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range nb.Cells {
		if c.Source != "a\nb" {
			t.Errorf("source %q", c.Source)
		}
		c.Source = "x\ny\n"
	}
	out, err := nb.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	var back struct {
		Cells []struct {
			Source json.RawMessage `json:"source"`
		} `json:"cells"`
	}
	if err := json.Unmarshal(out, &back); err != nil {
		t.Fatal(err)
	}
	if got := compact(back.Cells[0].Source); got != `"x\ny\n"` {
		t.Errorf("string source written as %s", got)
	}
	if got := compact(back.Cells[1].Source); got != `["x\n","y\n"]` {
		t.Errorf("list source written as %s", got)
	}
	// A second pass is stable.
	nb2, err := Parse(out)
	if err != nil {
		t.Fatal(err)
	}
	out2, _ := nb2.Marshal()
	if !bytes.Equal(out, out2) {
		t.Errorf("not stable:\n%s", diff(string(out), string(out2)))
	}
}

func compact(raw json.RawMessage) string {
	var b bytes.Buffer
	json.Compact(&b, raw)
	return b.String()
}

func TestNewNotebook(t *testing.T) {
	nb := New()
	nb.Cells = append(nb.Cells, NewCell(Markdown, "# Hi\n"), NewCell(Code, "1 + 1"))
	nb.Cells[0].ID, nb.Cells[1].ID = "a", "b"
	got, err := nb.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	want := `{
 "cells": [
  {
   "cell_type": "markdown",
   "id": "a",
   "metadata": {},
   "source": [
    "# Hi\n"
   ]
  },
  {
   "cell_type": "code",
   "execution_count": null,
   "id": "b",
   "metadata": {},
   "outputs": [],
   "source": [
    "1 + 1"
   ]
  }
 ],
 "metadata": {},
 "nbformat": 4,
 "nbformat_minor": 5
}
`
	if string(got) != want {
		t.Errorf("new notebook:\n%s", diff(want, string(got)))
	}
	if _, err := Parse(got); err != nil {
		t.Error(err)
	}
}

func TestSyntaxErrorPosition(t *testing.T) {
	cases := []struct {
		name      string
		in        string
		line, col int
	}{
		{"missing value", "{\n \"cells\": ,\n}", 2, 11},
		{"trailing comma", "{\n \"a\": 1,\n}\n", 3, 1},
		{"truncated", "{\n \"cells\": [\n", 3, 1},
		{"unicode before", "{\"é\": 1 2}", 1, 9},
		{"empty", "", 1, 1},
		{"garbage", "hello", 1, 1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Parse([]byte(c.in))
			var se *SyntaxError
			if !errors.As(err, &se) {
				t.Fatalf("error %v (%T), want *SyntaxError", err, err)
			}
			if se.Line != c.line || se.Column != c.col {
				t.Errorf("position %d:%d, want %d:%d (%v)", se.Line, se.Column, c.line, c.col, err)
			}
		})
	}
	// ReadFile puts the file name in front, as compilers do.
	f := filepath.Join(t.TempDir(), "broken.ipynb")
	os.WriteFile(f, []byte("{\n \"cells\": ,\n}"), 0o644)
	_, err := ReadFile(f)
	if err == nil || !strings.HasPrefix(err.Error(), f+":2:11: invalid JSON: invalid character ','") {
		t.Errorf("ReadFile error: %v", err)
	}
}

func TestValidation(t *testing.T) {
	cell := func(s string) string {
		return `{"cells": [` + s + `], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}`
	}
	cases := []struct {
		name, in, want string
	}{
		{"array", `[]`, "not an object"},
		{"no nbformat", `{"cells": [], "metadata": {}}`, `no "nbformat"`},
		{"nbformat 3", `{"nbformat": 3, "nbformat_minor": 0, "worksheets": []}`, "nbformat 3 is not supported"},
		{"minor string", `{"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": "5"}`, `"nbformat_minor" must be an integer`},
		{"no cells", `{"metadata": {}, "nbformat": 4, "nbformat_minor": 5}`, `no "cells"`},
		{"cells object", `{"cells": {}, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}`, `"cells" must be a list`},
		{"metadata list", `{"cells": [], "metadata": [], "nbformat": 4, "nbformat_minor": 5}`, `"metadata" must be an object`},
		{"cell not object", cell(`"x"`), "cell 1: a cell must be an object"},
		{"bad type", cell(`{"cell_type": "python", "metadata": {}, "source": ""}`), `cell 1: unknown cell_type "python"`},
		{"no source", cell(`{"cell_type": "markdown", "metadata": {}}`), `cell 1: no "source"`},
		{"source number", cell(`{"cell_type": "markdown", "metadata": {}, "source": 3}`), `"source" must be a string or a list of strings`},
		{"source mixed list", cell(`{"cell_type": "markdown", "metadata": {}, "source": ["a", 1]}`), `"source" must be a string or a list of strings`},
		{"no outputs", cell(`{"cell_type": "code", "execution_count": null, "metadata": {}, "source": ""}`), `needs "outputs"`},
		{"no count", cell(`{"cell_type": "code", "metadata": {}, "outputs": [], "source": ""}`), `needs "execution_count"`},
		{"count string", cell(`{"cell_type": "code", "execution_count": "1", "metadata": {}, "outputs": [], "source": ""}`), `"execution_count" must be a number or null`},
		{"output no type", cell(`{"cell_type": "code", "execution_count": 1, "metadata": {}, "outputs": [{}], "source": ""}`), `cell 1: output 1: no "output_type"`},
		{"id number", cell(`{"cell_type": "raw", "id": 7, "metadata": {}, "source": ""}`), `"id" must be a string`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Parse([]byte(c.in))
			var ve *ValidationError
			if !errors.As(err, &ve) || !strings.Contains(err.Error(), c.want) {
				t.Errorf("error %v, want a *ValidationError with %q", err, c.want)
			}
		})
	}
}

func TestSplitLines(t *testing.T) {
	cases := []struct {
		in   string
		want []string
	}{
		{"", []string{}},
		{"a", []string{"a"}},
		{"a\n", []string{"a\n"}},
		{"a\nb", []string{"a\n", "b"}},
		{"a\r\nb\rc", []string{"a\r\n", "b\r", "c"}},
		{"\n\n", []string{"\n", "\n"}},
		{"a\vb\fc\x1cd\u0085e\u2028f\u2029g", []string{"a\v", "b\f", "c\x1c", "d\u0085", "e\u2028", "f\u2029", "g"}},
	}
	for _, c := range cases {
		if got := splitLines(c.in); !reflect.DeepEqual(got, c.want) {
			t.Errorf("splitLines(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestAppendStringLikePython(t *testing.T) {
	cases := []struct{ in, want string }{
		{"plain", `"plain"`},
		{`q"b\`, `"q\"b\\"`},
		{"<a>&", `"<a>&"`},
		{"\n\r\t\b\f", `"\n\r\t\b\f"`},
		{"\x01\x1f\x7f", `"\u0001\u001f` + "\x7f" + `"`},
		{"é😀\u2028", "\"é😀\u2028\""},
		{"bad\xffbyte", "\"bad\ufffdbyte\""},
	}
	for _, c := range cases {
		if got := string(appendString(nil, c.in)); got != c.want {
			t.Errorf("appendString(%q) = %s, want %s", c.in, got, c.want)
		}
	}
}

// diff shows the first differing line of two texts.
func diff(want, got string) string {
	wl, gl := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < len(wl) || i < len(gl); i++ {
		var w, g string
		if i < len(wl) {
			w = wl[i]
		}
		if i < len(gl) {
			g = gl[i]
		}
		if w != g {
			return "line " + itoa(i+1) + ":\nwant: " + w + "\ngot:  " + g
		}
	}
	return "(same lines)"
}

func itoa(n int) string { b, _ := json.Marshal(n); return string(b) }
