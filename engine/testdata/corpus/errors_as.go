// errors.As into error types of one's own, through fmt.Errorf's %w,
// several levels of wrapping and errors.Join.
package main

import (
	"errors"
	"fmt"
)

type NotFoundError struct{ Name string }

func (e *NotFoundError) Error() string { return e.Name + " not found" }

type TimeoutError struct{ Op string }

func (e *TimeoutError) Error() string { return e.Op + " timed out" }

func find(name string) error {
	if name == "" {
		return errors.New("empty name")
	}
	return fmt.Errorf("find %q: %w", name, &NotFoundError{name})
}

func describe(err error) string {
	var nf *NotFoundError
	var te *TimeoutError
	switch {
	case errors.As(err, &nf):
		return "missing: " + nf.Name
	case errors.As(err, &te):
		return "slow: " + te.Op
	}
	return "other: " + err.Error()
}

func main() {
	err := find("bob")
	fmt.Println(err)
	var nf *NotFoundError
	if errors.As(err, &nf) {
		fmt.Println("found", nf.Name)
	}
	fmt.Println(describe(err))
	fmt.Println(describe(find("")))
	deep := fmt.Errorf("load: %w", fmt.Errorf("dial: %w", &TimeoutError{"connect"}))
	fmt.Println(deep)
	fmt.Println(describe(deep))
	joined := errors.Join(errors.New("first"), &TimeoutError{"read"})
	fmt.Println(describe(joined))
}
