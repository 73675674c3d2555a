package rewrite

import (
	"reflect"
	"testing"
)

func TestFormatVerbs(t *testing.T) {
	cases := []struct {
		format string
		want   []verb
		ok     bool
	}{
		{format: "%T %v", want: []verb{{'T', 0, 2}, {'v', 1, 5}}, ok: true},
		{format: "100%% %-8T|%*d", want: []verb{{'T', 0, 10}, {'d', 2, 14}}, ok: true},
		{format: "no verbs", ok: true},
		{format: "%[1]T", ok: false},
		{format: "%", ok: true},
	}
	for _, c := range cases {
		got, ok := formatVerbs(c.format)
		if ok != c.ok || !reflect.DeepEqual(got, c.want) {
			t.Errorf("%q: %v %v, want %v %v", c.format, got, ok, c.want, c.ok)
		}
	}
}
