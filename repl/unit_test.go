package repl

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/lanes-dev/lanes/display"
	"github.com/lanes-dev/lanes/engine"
)

func TestHistoryEntries(t *testing.T) {
	tests := []struct {
		code string
		want []string
	}{
		{"x := 1", []string{"x := 1"}},
		{"  \n", nil},
		{"func f() int {\n    return 1\n}", []string{"func f() int { return 1 }"}},
		{"for i := 0; i < 3; i++ {\n\tx++\n\ty++\n}\n", []string{"for i := 0; i < 3; i++ { x++; y++ }"}},
		{"fmt.Println(1,\n\t2)", []string{"fmt.Println(1, 2)"}},
		{"x := 1\n\ny := 2", []string{"x := 1; y := 2"}},
		{"if x {\n} else {\n}", []string{"if x { } else { }"}},
		{"x := 1 // one\ny := 2", []string{"x := 1 // one", "y := 2"}},
		{"s := `a\nb`", []string{"s := `a", "b`"}},
		{"%time\nx", []string{"%time", "x"}},
	}
	for _, tt := range tests {
		if got := historyEntries(tt.code); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("historyEntries(%q) = %q, want %q", tt.code, got, tt.want)
		}
	}
}

func TestDefaultHistoryFile(t *testing.T) {
	t.Setenv("XDG_STATE_HOME", "/state")
	if got, _ := DefaultHistoryFile(); got != "/state/lanes/history" {
		t.Errorf("with XDG_STATE_HOME: %q", got)
	}
	t.Setenv("XDG_STATE_HOME", "")
	t.Setenv("HOME", "/home/g")
	if got, _ := DefaultHistoryFile(); got != "/home/g/.local/state/lanes/history" {
		t.Errorf("without XDG_STATE_HOME: %q", got)
	}
}

func TestFitLine(t *testing.T) {
	tests := []struct {
		in    string
		width int
		want  string
	}{
		{"abcdef", 0, "abcdef"},
		{"abcdef", 6, "abcdef"},
		{"abcdef", 4, "abc…"},
		{"▇▇▇▇▇", 3, "▇▇…"},
		{"\x1b[31mabcdef\x1b[0m", 4, "\x1b[31mabc…\x1b[0m"},
		{"\x1b[31mab\x1b[0m", 4, "\x1b[31mab\x1b[0m"},
	}
	for _, tt := range tests {
		if got := fitLine(tt.in, tt.width); got != tt.want {
			t.Errorf("fitLine(%q, %d) = %q, want %q", tt.in, tt.width, got, tt.want)
		}
	}
}

func TestRenderBundle(t *testing.T) {
	timeline := "\x1b[32mw0\x1b[0m |████    |\n\x1b[32mw1\x1b[0m |  ██████████████|\n"
	tests := []struct {
		name  string
		b     display.Bundle
		color bool
		width int
		want  string
	}{
		{"plain", display.Bundle{Data: map[string]any{"text/plain": "42"}}, false, 80, "42\n"},
		{"colour kept", display.Bundle{Data: map[string]any{"text/plain": timeline}}, true, 80, timeline},
		{"colour stripped", display.Bundle{Data: map[string]any{"text/plain": timeline}}, false, 80,
			"w0 |████    |\nw1 |  ██████████████|\n"},
		{"fitted", display.Bundle{Data: map[string]any{"text/plain": timeline}}, false, 12,
			"w0 |████   …\nw1 |  █████…\n"},
		{"lines as list", display.Bundle{Data: map[string]any{"text/plain": []any{"a\n", "b"}}}, false, 0, "a\nb\n"},
		{"no text", display.Bundle{Data: map[string]any{"image/png": "..."}}, false, 0, "<image/png output: open a notebook to see it>\n"},
		{"empty", display.Bundle{Data: map[string]any{"text/plain": ""}}, false, 0, ""},
	}
	for _, tt := range tests {
		if got := renderBundle(tt.b, tt.color, tt.width); got != tt.want {
			t.Errorf("%s: renderBundle = %q, want %q", tt.name, got, tt.want)
		}
	}
}

func TestFormatError(t *testing.T) {
	cells := map[int]origin{
		3: {code: "x := 1\ny := nope"},
		4: {code: "go f()\nselect {}", file: "stdin", line: 10},
	}
	tests := []struct {
		name    string
		err     engine.Error
		restart *engine.Restart
		style   style
		want    string
	}{
		{"compile", engine.Error{Name: "CompileError", Traceback: []string{"cell 3, line 2: undefined: nope"}, Cell: 3, Line: 2}, nil, style{},
			"cell 3, line 2: undefined: nope\n  line 2 │ y := nope\n"},
		{"colour", engine.Error{Name: "CompileError", Traceback: []string{"cell 3, line 2: undefined: nope"}, Cell: 3, Line: 2}, nil, colorStyle,
			"\x1b[1;31m\x1b[1;33mcell 3, line 2\x1b[0m: undefined: nope\x1b[0m\n  \x1b[2mline 2\x1b[0m \x1b[2m│\x1b[0m \x1b[36my := nope\x1b[0m\n"},
		{"crash", engine.Error{Name: "panic", Message: "boom", Cell: 4, Line: 1, Traceback: []string{
			"panic: boom", "", "goroutine stack (interpreted):", "main.func(...)\n\tcell 4, line 1", "",
			"This crashed the worker."}},
			&engine.Restart{Reason: engine.RestartCrash, Replayed: true, LostVars: []string{"x", "y"}}, style{},
			"panic: boom\n\ngoroutine stack (interpreted):\nmain.func(...)\n\tcell 4, line 1\n\nThis crashed the worker.\n" +
				"  stdin:10 │ go f()\n↻ the worker was restarted; earlier definitions were replayed; lost: x, y\n"},
		{"lost definitions", engine.Error{Name: "Exit", Message: "the program called os.Exit(1)", Traceback: []string{"exit status 1"}},
			&engine.Restart{Reason: engine.RestartCrash, Replayed: true, LostDecls: []string{"f (cell 3): undefined: g"}}, style{},
			"exit status 1\nThese definitions could not be replayed:\n  f (cell 3): undefined: g\n↻ the worker was restarted; earlier definitions were replayed\n"},
		{"restart failed", engine.Error{Name: "Exit", Message: "the program called os.Exit(1)", Traceback: []string{"exit status 1"}},
			&engine.Restart{Reason: engine.RestartCrash, Failed: "no binary"}, style{},
			"exit status 1\nStarting a fresh worker failed: no binary\n↻ the worker was restarted\n"},
		{"asked for", engine.Error{Name: "CompileError", Traceback: []string{"cell 3, line 2: undefined: nope"}, Cell: 3, Line: 2},
			&engine.Restart{Reason: engine.RestartReset}, style{},
			"cell 3, line 2: undefined: nope\n  line 2 │ y := nope\n"},
		{"no traceback", engine.Error{Name: "Interrupted", Message: "stop"}, nil, style{}, "Interrupted: stop\n"},
	}
	for _, tt := range tests {
		var b bytes.Buffer
		formatError(&b, tt.style, &tt.err, tt.restart, cells)
		if b.String() != tt.want {
			t.Errorf("%s:\n got %q\nwant %q", tt.name, b.String(), tt.want)
		}
	}
}

func TestParseNotebook(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "lessons", "intro.ipynb"))
	if err != nil {
		t.Fatal(err)
	}
	cells, err := ParseNotebook(data)
	if err != nil {
		t.Fatal(err)
	}
	want := []LessonCell{
		{Source: "# Two lanes\n\nGoroutines run side by side."},
		{Code: true, Source: "lanes := 2\nlanes * 21"},
		{Code: true, Source: "lanes * 1000"},
		{Source: "That is all."},
		{Code: true, Source: "lanes + 1"},
	}
	if !reflect.DeepEqual(cells, want) {
		t.Errorf("cells = %+v\nwant %+v", cells, want)
	}
	for _, bad := range []string{"", "{", `{"cells": [{"cell_type": "code", "source": 3}]}`, `{"nbformat": 4}`} {
		if _, err := ParseNotebook([]byte(bad)); err == nil {
			t.Errorf("ParseNotebook(%q): no error", bad)
		}
	}
}

func TestNotebookLessons(t *testing.T) {
	fsys := fstest.MapFS{
		"b.ipynb":   {Data: []byte(`{"cells": []}`)},
		"a.ipynb":   {Data: []byte(`{"cells": [{"cell_type": "code", "source": "1"}]}`)},
		"notes.txt": {Data: []byte("x")},
	}
	ls := NotebookLessons(fsys)
	if got := ls.Names(); !reflect.DeepEqual(got, []string{"a", "b"}) {
		t.Errorf("Names = %q", got)
	}
	l, err := ls.Lesson("a")
	if err != nil || len(l.Cells) != 1 || l.Name != "a" {
		t.Errorf("Lesson(a) = %+v, %v", l, err)
	}
	for _, name := range []string{"missing", "../a", ""} {
		if _, err := ls.Lesson(name); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("Lesson(%q): %v, want ErrNotExist", name, err)
		}
	}
}

func TestDedent(t *testing.T) {
	tests := []struct {
		line    string
		pos     int
		key     rune
		want    string
		wantPos int
		ok      bool
	}{
		{"    }", 5, '}', "}", 1, true},
		{"        }", 9, '}', "    }", 5, true},
		{"\t}", 2, '}', "}", 1, true},
		{"  )", 3, ')', ")", 1, true},
		{"}", 1, '}', "", 0, false},
		{"  x}", 4, '}', "", 0, false},
		{"    a", 5, 'a', "", 0, false},
	}
	for _, tt := range tests {
		got, pos, ok := dedent([]rune(tt.line), tt.pos, tt.key)
		if ok != tt.ok || (ok && (string(got) != tt.want || pos != tt.wantPos)) {
			t.Errorf("dedent(%q, %d) = %q, %d, %v", tt.line, tt.pos, string(got), pos, ok)
		}
	}
}

func TestCompleteCommand(t *testing.T) {
	s := &session{cfg: Config{Lessons: NotebookLessons(fstest.MapFS{
		"intro.ipynb": {Data: []byte(`{"cells": []}`)},
		"mutex.ipynb": {Data: []byte(`{"cells": []}`)},
	})}}
	tests := []struct {
		before string
		want   []string
		n      int
	}{
		{":l", []string{"esson ", "oad "}, 2},
		{":lesson m", []string{"utex"}, 1},
		{":lesson ", []string{"intro", "mutex"}, 0},
		{":quit now", nil, 0},
	}
	for _, tt := range tests {
		got, n := s.completeCommand(tt.before)
		var gs []string
		for _, g := range got {
			gs = append(gs, string(g))
		}
		if !reflect.DeepEqual(gs, tt.want) || n != tt.n {
			t.Errorf("completeCommand(%q) = %q, %d; want %q, %d", tt.before, gs, n, tt.want, tt.n)
		}
	}
}

func TestMarkdown(t *testing.T) {
	got := renderMarkdown("## Title\n\n```go\nx := 1\n```\ntext\n", style{})
	if want := "Title\n\nx := 1\ntext\n"; got != want {
		t.Errorf("renderMarkdown = %q, want %q", got, want)
	}
	if strings.Contains(renderMarkdown("# T", colorStyle), "#") {
		t.Error("heading marks kept")
	}
}

// TestStderrStartsALine checks that on a terminal, text on standard error
// after an unfinished line of standard output starts a line of its own,
// and that piped output is left as the cell wrote it.
func TestStderrStartsALine(t *testing.T) {
	for _, c := range []struct {
		interactive bool
		want        string
	}{{true, "partial\nnote\n"}, {false, "partialnote\n"}} {
		var b strings.Builder
		s := &session{cfg: Config{Interactive: c.interactive}, out: &b, errw: &b}
		sink := &termSink{s: s}
		sink.Stream("stdout", "partial")
		sink.Stream("stderr", "note\n")
		if b.String() != c.want {
			t.Errorf("interactive=%v: %q, want %q", c.interactive, b.String(), c.want)
		}
	}
}
