// Type arguments inferred from variadic arguments alone (Go 1.21, 1.22):
// cmp.Or, slices.Concat, slices.Insert without values, and a generic
// func of one's own.
package main

import (
	"cmp"
	"fmt"
	"os"
	"slices"
)

type Number interface{ int | float64 }

func Sum[T Number](xs ...T) T {
	var s T
	for _, x := range xs {
		s += x
	}
	return s
}

func main() {
	fmt.Println(cmp.Or("", "x"), cmp.Or(0, 0, 3))
	port := cmp.Or(os.Getenv("LANES_CORPUS_NO_SUCH_VAR"), "8080")
	fmt.Println("port", port)
	a, b := []int{1, 2}, []int{3}
	c := slices.Concat(a, b, a)
	fmt.Println(c, len(c))
	words := []string{"go", "run"}
	words = slices.Insert(words, 1)
	fmt.Println(words, len(words))
	words = slices.Insert(words, 1, "lanes")
	fmt.Println(words)
	fmt.Println(slices.Replace(words, 0, 1))
	fmt.Println(Sum(1.5, 2), Sum(1, 2, 3))
}
