// %T of operands of interface types: the dynamic type's name.
package main

import "fmt"

type Shape interface{ Area() float64 }

type Square struct{ S float64 }

func (q Square) Area() float64 { return q.S * q.S }

type Circle struct{ R float64 }

func (c *Circle) Area() float64 { return 3 * c.R * c.R }

func main() {
	var sh Shape = Square{2}
	fmt.Printf("%T\n", sh)
	for _, s := range []Shape{Square{1}, &Circle{2}} {
		fmt.Printf("%T %v\n", s, s.Area())
	}
	describe := func(v any) string { return fmt.Sprintf("%T", v) }
	fmt.Println(describe(Square{3}), describe(4))
}
