// A loop body that changes its variable, with a closure capturing it and
// continue statements: the post statement sees the change.
package main

import "fmt"

func main() {
	var fs []func() int
	for i := 0; i < 10; i++ {
		if i%3 == 0 {
			i++
			continue
		}
		fs = append(fs, func() int { return i })
		i++
	}
	for _, f := range fs {
		fmt.Print(f(), " ")
	}
	fmt.Println()
}
