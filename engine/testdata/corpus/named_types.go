// Cell-defined types as go run shows them: %T, method expressions,
// type arguments inferred from variadic arguments, a struct received
// with the ok flag.
package main

import "fmt"

type Celsius float64

func (c Celsius) String() string { return fmt.Sprintf("%.1f°C", float64(c)) }

type Rect struct{ W, H float64 }

func (r *Rect) Scale(k float64) { r.W *= k; r.H *= k }

func (r Rect) Area() float64 { return r.W * r.H }

func Sum[T int | float64](xs ...T) T {
	var s T
	for _, x := range xs {
		s += x
	}
	return s
}

func main() {
	c := Celsius(21.5)
	fmt.Printf("%T %T %v\n", c, Rect{}, c)
	scale := (*Rect).Scale
	r := &Rect{1, 2}
	scale(r, 3)
	area := Rect.Area
	fmt.Println(*r, area(*r))
	fmt.Println(Sum(1, 2, 3), Sum(1.5, 2.5))
	ch := make(chan Rect, 1)
	ch <- Rect{4, 5}
	close(ch)
	v, ok := <-ch
	fmt.Println(v, ok)
	v, ok = <-ch
	fmt.Println(v, ok)
}
