// Closures made in a loop keep their own state; a shared one is shared.
package main

import "fmt"

func main() {
	var incs []func() int
	for i := 0; i < 3; i++ {
		count := i * 10
		incs = append(incs, func() int { count++; return count })
	}
	for _, inc := range incs {
		inc()
		fmt.Print(inc(), " ")
	}
	fmt.Println()
	shared := 0
	add := func() { shared++ }
	for range 5 {
		add()
	}
	fmt.Println(shared)
}
