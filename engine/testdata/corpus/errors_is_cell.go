// errors.Is with a sentinel of a cell-defined error type.
package main

import (
	"errors"
	"fmt"
)

type StatusError struct{ Code int }

func (e *StatusError) Error() string { return fmt.Sprint("status ", e.Code) }

var ErrGone = &StatusError{410}

func main() {
	err := fmt.Errorf("fetch: %w", ErrGone)
	fmt.Println(err, errors.Is(err, ErrGone))
}
