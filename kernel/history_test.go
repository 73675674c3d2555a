package kernel

import (
	"fmt"
	"strings"
	"testing"
)

func TestGlobMatch(t *testing.T) {
	tests := []struct {
		pattern, s string
		want       bool
	}{
		{"*", "", true},
		{"*", "anything\nat all", true},
		{"", "", true},
		{"", "x", false},
		{"abc", "abc", true},
		{"abc", "abcd", false},
		{"a?c", "abc", true},
		{"a?c", "ac", false},
		{"a*c", "ac", true},
		{"a*c", "abbbc", true},
		{"a*c", "abbbd", false},
		{"*print*", "fmt.println(x)", true},
		{"print*", "fmt.print", false},
		{"*.go", "main.go", true},
		{"?é?", "aéb", true},
		{"a*b*c", "aXbYbZc", true},
		{"a*b*c", "aXcYb", false},
		{"**a", "bbba", true},
		{"[ab]", "[ab]", true},
	}
	for _, tt := range tests {
		if got := globMatch(tt.pattern, tt.s); got != tt.want {
			t.Errorf("globMatch(%q, %q) = %v, want %v", tt.pattern, tt.s, got, tt.want)
		}
	}
}

func TestHistoryQuery(t *testing.T) {
	h := newHistory()
	h.add(1, "x := 1")
	h.add(2, "fmt.Println(x)")
	h.newSession()
	h.add(1, "y := 2")
	h.add(2, "fmt.Println(x)")
	h.add(3, "fmt.Println(y)")
	str := func(es []historyEntry) string {
		var parts []string
		for _, e := range es {
			parts = append(parts, fmt.Sprintf("{%d %d %s}", e.Session, e.Line, e.Input))
		}
		return "[" + strings.Join(parts, " ") + "]"
	}
	tests := []struct {
		name string
		q    historyQuery
		want string
	}{
		{"tail 2", historyQuery{HistAccessType: "tail", N: 2}, "[{2 2 fmt.Println(x)} {2 3 fmt.Println(y)}]"},
		{"tail all", historyQuery{HistAccessType: "tail", N: 0}, "[{1 1 x := 1} {1 2 fmt.Println(x)} {2 1 y := 2} {2 2 fmt.Println(x)} {2 3 fmt.Println(y)}]"},
		{"tail more than stored", historyQuery{HistAccessType: "tail", N: 50}, "[{1 1 x := 1} {1 2 fmt.Println(x)} {2 1 y := 2} {2 2 fmt.Println(x)} {2 3 fmt.Println(y)}]"},
		{"range current", historyQuery{HistAccessType: "range", Session: 0, Start: 2}, "[{2 2 fmt.Println(x)} {2 3 fmt.Println(y)}]"},
		{"range previous", historyQuery{HistAccessType: "range", Session: -1, Start: 1, Stop: 2}, "[{1 1 x := 1}]"},
		{"range absolute", historyQuery{HistAccessType: "range", Session: 1}, "[{1 1 x := 1} {1 2 fmt.Println(x)}]"},
		{"range missing session", historyQuery{HistAccessType: "range", Session: 7}, "[]"},
		{"search", historyQuery{HistAccessType: "search", Pattern: "fmt.*"}, "[{1 2 fmt.Println(x)} {2 2 fmt.Println(x)} {2 3 fmt.Println(y)}]"},
		{"search unique", historyQuery{HistAccessType: "search", Pattern: "fmt.*", Unique: true}, "[{2 2 fmt.Println(x)} {2 3 fmt.Println(y)}]"},
		{"search n", historyQuery{HistAccessType: "search", Pattern: "*", N: 1}, "[{2 3 fmt.Println(y)}]"},
		{"search empty pattern", historyQuery{HistAccessType: "search", N: 1}, "[{2 3 fmt.Println(y)}]"},
		{"search ?", historyQuery{HistAccessType: "search", Pattern: "? := ?"}, "[{1 1 x := 1} {2 1 y := 2}]"},
		{"unknown type", historyQuery{HistAccessType: "bogus"}, "[]"},
	}
	for _, tt := range tests {
		if got := str(h.query(tt.q)); got != tt.want {
			t.Errorf("%s: got %s, want %s", tt.name, got, tt.want)
		}
	}
}

func TestHistoryEntryWire(t *testing.T) {
	out := "42"
	tests := []struct {
		e          historyEntry
		withOutput bool
		want       string
	}{
		{historyEntry{1, 2, "x", nil}, false, "[1 2 x]"},
		{historyEntry{1, 2, "x", &out}, false, "[1 2 x]"},
		{historyEntry{1, 2, "x", &out}, true, "[1 2 [x 42]]"},
		{historyEntry{1, 2, "x", nil}, true, "[1 2 [x <nil>]]"},
	}
	for _, tt := range tests {
		if got := fmt.Sprint(tt.e.wire(tt.withOutput)); got != tt.want {
			t.Errorf("%+v.wire(%v) = %s, want %s", tt.e, tt.withOutput, got, tt.want)
		}
	}
}
