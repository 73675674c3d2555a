// %T of a cell-defined type held in a standard library interface
// (fmt.Stringer, error).
package main

import "fmt"

type Celsius float64

func (c Celsius) String() string { return fmt.Sprintf("%.1f°C", float64(c)) }

type NotFound struct{ Name string }

func (e *NotFound) Error() string { return e.Name + " not found" }

func main() {
	var s fmt.Stringer = Celsius(5)
	var err error = &NotFound{"x"}
	fmt.Printf("%T %T\n", s, err)
}
