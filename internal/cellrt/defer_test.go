package cellrt

import (
	"reflect"
	"testing"
)

func TestRunDeferred(t *testing.T) {
	cases := []struct {
		name     string
		calls    []string // "p" panics with its index, anything else records it
		order    []string
		panicked any
	}{
		{name: "none"},
		{name: "last in, first out", calls: []string{"a", "b", "c"}, order: []string{"c", "b", "a"}},
		{name: "a panic does not stop the others, the first is kept", calls: []string{"a", "p1", "p2", "d"}, order: []string{"d", "p2", "p1", "a"}, panicked: "p2"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var order []string
			for _, name := range c.calls {
				deferCall(func() {
					order = append(order, name)
					if name[0] == 'p' {
						panic(name)
					}
				})
			}
			v, ok := RunDeferred()
			if !reflect.DeepEqual(order, c.order) {
				t.Errorf("order %v, want %v", order, c.order)
			}
			if ok != (c.panicked != nil) || (ok && v != c.panicked) {
				t.Errorf("panic %v %v, want %v", v, ok, c.panicked)
			}
			if v, ok := RunDeferred(); ok || v != nil {
				t.Errorf("calls ran twice")
			}
		})
	}
	deferCall(func() { t.Error("a dropped call ran") })
	DropDeferred()
	RunDeferred()
}
