// A cell-defined type's String method inside slices, maps, structs and
// pointers.
package main

import "fmt"

type Celsius float64

func (c Celsius) String() string { return fmt.Sprintf("%.1f°C", float64(c)) }

type Reading struct {
	Place string
	Temp  Celsius
}

func main() {
	fmt.Println(Celsius(1))
	fmt.Println([]Celsius{1, 2})
	fmt.Println(map[string]Celsius{"noon": 20})
	fmt.Println(Reading{"roof", 3})
	c := Celsius(4)
	fmt.Println(&c)
}
