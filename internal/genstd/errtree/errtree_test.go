package errtree

import (
	"errors"
	"fmt"
	"io/fs"
	"testing"
)

type asErr struct{}

func (asErr) Error() string { return "as" }
func (asErr) As(target any) bool {
	p, ok := target.(*string)
	if ok {
		*p = "set by As"
	}
	return ok
}

func TestChildren(t *testing.T) {
	pe := &fs.PathError{Op: "open", Path: "/x", Err: fs.ErrNotExist}
	a, b := errors.New("a"), errors.New("b")
	cases := []struct {
		name string
		err  error
		want []error
	}{
		{"plain", a, nil},
		{"one wrapped", fmt.Errorf("w: %w", pe), []error{pe}},
		{"joined", errors.Join(a, nil, b), []error{a, b}},
		{"two %w", fmt.Errorf("%w and %w", a, b), []error{a, b}},
		{"path error", pe, []error{fs.ErrNotExist}},
	}
	for _, c := range cases {
		got := Children(c.err)
		if fmt.Sprint(got) != fmt.Sprint(c.want) {
			t.Errorf("%s: Children = %v, want %v", c.name, got, c.want)
		}
	}
}

func TestAs(t *testing.T) {
	var s string
	if !As(asErr{}, &s) || s != "set by As" {
		t.Errorf("As(asErr) = false or target %q", s)
	}
	var n int
	if As(asErr{}, &n) || As(errors.New("x"), &s) {
		t.Error("As accepted a target it should not")
	}
}
