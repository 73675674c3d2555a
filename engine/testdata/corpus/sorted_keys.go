// Sorted map keys and values the Go 1.23 way: slices.Sorted, slices.Collect
// over maps.Keys and maps.Values, and range over maps.Keys.
package main

import (
	"fmt"
	"maps"
	"slices"
)

type score struct {
	name string
	pts  int
}

func main() {
	ages := map[string]int{"grace": 85, "ada": 36, "alan": 41}
	for _, name := range slices.Sorted(maps.Keys(ages)) {
		fmt.Println(name, ages[name])
	}
	keys := slices.Collect(maps.Keys(ages))
	slices.Sort(keys)
	fmt.Println(keys, len(keys))
	fmt.Println(slices.Sorted(maps.Values(ages)))
	n := 0
	for k := range maps.Keys(ages) {
		n += len(k)
	}
	fmt.Println("letters:", n)
	byID := map[int]score{2: {"b", 20}, 1: {"a", 10}}
	for _, id := range slices.Sorted(maps.Keys(byID)) {
		fmt.Println(id, byID[id].name, byID[id].pts)
	}
}
