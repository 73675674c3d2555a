// An error type with a value receiver, wrapped and found with errors.As.
package main

import (
	"errors"
	"fmt"
)

type Code struct{ N int }

func (c Code) Error() string { return fmt.Sprint("code ", c.N) }

func main() {
	err := fmt.Errorf("request: %w", Code{404})
	fmt.Println(err)
	var c Code
	fmt.Println(errors.As(err, &c), c.N)
}
