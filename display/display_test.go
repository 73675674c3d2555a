package display

import (
	"encoding/base64"
	"errors"
	"testing"
)

type html string

func (h html) HTML() string { return string(h) }

type pic struct{}

func (pic) PNG() []byte { return []byte{0x89, 'P', 'N', 'G'} }

type chart struct{}

func (chart) MIME() map[string]any {
	return map[string]any{"image/svg+xml": []byte("<svg/>"), "text/plain": "chart"}
}

type wrapper struct {
	IValue any
	WHTML  func() string
}

func (w wrapper) HTML() string { return w.WHTML() }

func TestRender(t *testing.T) {
	cases := []struct {
		name string
		v    any
		want map[string]any
	}{
		{"string quoted", "hi", map[string]any{"text/plain": `"hi"`}},
		{"number", 42, map[string]any{"text/plain": "42"}},
		{"error", errors.New("boom"), map[string]any{"text/plain": "boom"}},
		{"html", html("<b>x</b>"), map[string]any{"text/html": "<b>x</b>", "text/plain": "<display.html>"}},
		{"png as base64", pic{}, map[string]any{"image/png": base64.StdEncoding.EncodeToString([]byte{0x89, 'P', 'N', 'G'}), "text/plain": "<display.pic>"}},
		{"mime bytes as text", chart{}, map[string]any{"image/svg+xml": "<svg/>", "text/plain": "chart"}},
		{"interpreter wrapper", wrapper{IValue: 7, WHTML: func() string { return "<i>7</i>" }},
			map[string]any{"text/html": "<i>7</i>", "text/plain": "7"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := Render(c.v).Data
			if len(got) != len(c.want) {
				t.Fatalf("Render = %v, want %v", got, c.want)
			}
			for k, v := range c.want {
				if got[k] != v {
					t.Errorf("%s = %#v, want %#v", k, got[k], v)
				}
			}
		})
	}
}

type recorder struct {
	ids     []string
	updates []bool
	clears  int
}

func (r *recorder) Publish(b Bundle, id string, update bool) {
	r.ids = append(r.ids, id)
	r.updates = append(r.updates, update)
}
func (r *recorder) Clear(bool) { r.clears++ }

func TestPublish(t *testing.T) {
	r := &recorder{}
	SetPublisher(r)
	defer SetPublisher(nil)
	id := Show(1)
	Update(id, 2)
	Clear(false)
	if len(r.ids) != 2 || r.ids[0] != id || r.ids[1] != id || r.updates[0] || !r.updates[1] || r.clears != 1 {
		t.Errorf("published ids %v updates %v clears %d", r.ids, r.updates, r.clears)
	}
	if Show(1) == id {
		t.Error("display ids repeat")
	}
}

func TestLive(t *testing.T) {
	if Live() {
		t.Fatal("live without a publisher")
	}
	SetPublisher(nopPublisher{})
	defer SetPublisher(nil)
	if !Live() {
		t.Fatal("not live with a publisher")
	}
}

type nopPublisher struct{}

func (nopPublisher) Publish(Bundle, string, bool) {}
func (nopPublisher) Clear(bool)                   {}
