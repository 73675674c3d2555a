// A cell-defined type's String and Error methods inside slices, maps,
// structs and pointers.
package main

import (
	"errors"
	"fmt"
)

type Celsius float64

func (c Celsius) String() string { return fmt.Sprintf("%.1f°C", float64(c)) }

type Reading struct {
	Place string
	Temp  Celsius
}

type Day struct {
	Name     string
	Readings []Reading
	ByHour   map[int]Celsius
}

type Fault struct{ Code int }

func (f Fault) Error() string { return fmt.Sprintf("fault %d", f.Code) }

func main() {
	fmt.Println(Celsius(1))
	fmt.Println([]Celsius{1, 2})
	fmt.Println(map[string]Celsius{"noon": 20, "dawn": 5})
	fmt.Println(Reading{"roof", 3})
	c := Celsius(4)
	fmt.Println(&c)
	r := &Reading{"cellar", 12}
	fmt.Println(r, *r)
	temps := []Celsius{7, 8}
	fmt.Println(temps, len(temps))
	d := Day{"mon", []Reading{{"a", 1}, {"b", 2}}, map[int]Celsius{9: 10}}
	fmt.Println(d)
	fmt.Printf("%v|%+v|%s\n", temps, d.Readings[0], []Celsius{3})
	s := fmt.Sprint([]*Celsius{&c}, [2]Celsius{5, 6})
	fmt.Println(s)
	fmt.Println(fmt.Sprintln([][]Celsius{{1}, {2, 3}}))
	fmt.Println([]Fault{{1}, {2}}, []error{Fault{3}, errors.New("plain")})
}
