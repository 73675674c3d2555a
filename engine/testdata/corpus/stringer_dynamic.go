// A cell-defined type's String method where only the dynamic type holds
// it: elements of []any, a value in an interface variable, map keys.
package main

import "fmt"

type Celsius float64

func (c Celsius) String() string { return fmt.Sprintf("%.1f°C", float64(c)) }

func main() {
	var x any = []Celsius{3}
	fmt.Println(x)
	fmt.Println([]any{Celsius(1), "two"})
	fmt.Println(map[Celsius]int{2: 1})
}
