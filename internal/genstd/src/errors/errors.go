// Package errors holds the generic member of the standard library's
// errors package for Lanes cells: AsType. The other members are the
// compiled ones.
package errors

import "github.com/lanes-dev/lanes/internal/genstd/errtree"

// AsType finds the first error in err's tree (err, then what its Unwrap
// methods return, depth first) that has type E, or whose As method
// accepts a *E, and returns it and true; otherwise the zero E and false.
func AsType[E error](err error) (E, bool) {
	var found E
	// stack holds the errors still to visit; the next is on top.
	stack := []error{err}
	for len(stack) > 0 {
		e := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if e == nil {
			continue
		}
		if t, ok := e.(E); ok {
			return t, true
		}
		if errtree.As(e, &found) {
			return found, true
		}
		if a, ok := e.(interface{ As(any) bool }); ok && a.As(&found) {
			return found, true
		}
		// The wrapped errors: errtree finds those of compiled errors,
		// the assertions those of errors defined in cells.
		kids := errtree.Children(e)
		if len(kids) == 0 {
			if u, ok := e.(interface{ Unwrap() error }); ok {
				kids = []error{u.Unwrap()}
			} else if u, ok := e.(interface{ Unwrap() []error }); ok {
				kids = u.Unwrap()
			}
		}
		for i := len(kids) - 1; i >= 0; i-- {
			stack = append(stack, kids[i])
		}
	}
	return found, false
}
