// Range over the standard library's iterators (Go 1.23, 1.24): maps,
// slices, strings, and a function of iter.Seq's underlying type (the
// engine's tests run on symbol tables without package iter).
package main

import (
	"fmt"
	"maps"
	"slices"
	"strings"
)

func count(n int) func(yield func(int) bool) {
	return func(yield func(int) bool) {
		for i := 0; i < n; i++ {
			if !yield(i) {
				return
			}
		}
	}
}

func main() {
	ages := map[string]int{"ada": 36, "alan": 41, "grace": 85}
	total, names := 0, 0
	for name, age := range maps.All(ages) {
		total += age
		names += len(name)
	}
	fmt.Println(total, names)
	keys := 0
	for range maps.Keys(ages) {
		keys++
	}
	fmt.Println("keys:", keys)
	words := []string{"go", "lanes", "cells"}
	for i, w := range slices.All(words) {
		fmt.Println(i, w)
	}
	for i, w := range slices.Backward(words) {
		if i == 0 {
			break
		}
		fmt.Println("back", i, w)
	}
	for c := range slices.Chunk([]int{1, 2, 3, 4, 5}, 2) {
		fmt.Println(c)
	}
	for line := range strings.Lines("first\nsecond\n") {
		fmt.Printf("%q\n", line)
	}
	for f := range strings.FieldsSeq(" a  b c ") {
		fmt.Print(f, ";")
	}
	fmt.Println()
	for x := range count(4) {
		if x == 2 {
			continue
		}
		fmt.Print(x)
	}
	fmt.Println()
}
