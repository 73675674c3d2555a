package source

import "testing"

func TestIsComplete(t *testing.T) {
	cases := []struct{ code, status, indent string }{
		{"x := 1", "complete", ""},
		{"func f() {", "incomplete", "    "},
		{"func f() {\n    if true {", "incomplete", "        "},
		{"fmt.Println(", "incomplete", "    "},
		{"x := `raw", "incomplete", ""},
		{"}", "invalid", ""},
		{"x := := 2", "invalid", ""},
		{"%time", "complete", ""},
		{"%bogus", "invalid", ""},
		{"loop:", "incomplete", ""},
		{"x := 1\nloop:", "incomplete", ""},
		{"loop:\nfor { break loop }", "complete", ""},
		{"m := map[string]int{\"a\": 1}", "complete", ""},
	}
	for _, c := range cases {
		st, ind := IsComplete(c.code)
		if st != c.status || ind != c.indent {
			t.Errorf("IsComplete(%q) = %q, %q; want %q, %q", c.code, st, ind, c.status, c.indent)
		}
	}
}
