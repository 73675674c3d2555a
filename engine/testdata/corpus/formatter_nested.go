// A cell-defined type's Format method inside slices and struct fields.
package main

import "fmt"

type Money int

func (m Money) Format(f fmt.State, verb rune) { fmt.Fprintf(f, "$%d.%02d", int(m)/100, int(m)%100) }

type Line struct {
	Item string
	Cost Money
}

func main() {
	fmt.Println(Money(150))
	fmt.Println([]Money{150, 5})
	fmt.Printf("%v\n", Line{"tea", 250})
}
