// Package errtree is compiled help for the interpreted errors.AsType of
// package genstd: the interpreter's type assertions to interface literals
// miss the methods of compiled values, so the wrapped errors of a
// compiled error are found here, in compiled code.
package errtree

// Children returns the errors err wraps: what its Unwrap() error method
// returns (if not nil), or the non-nil errors its Unwrap() []error method
// returns; nil if it has neither.
func Children(err error) []error {
	switch u := err.(type) {
	case interface{ Unwrap() error }:
		if e := u.Unwrap(); e != nil {
			return []error{e}
		}
	case interface{ Unwrap() []error }:
		var list []error
		for _, e := range u.Unwrap() {
			if e != nil {
				list = append(list, e)
			}
		}
		return list
	}
	return nil
}

// As calls err's As(any) bool method with target and returns its result;
// false if err has no such method.
func As(err error, target any) bool {
	if a, ok := err.(interface{ As(any) bool }); ok {
		return a.As(target)
	}
	return false
}
