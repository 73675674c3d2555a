// Range over functions (Go 1.23): break, continue, labelled jumps,
// return from inside the body, defers of the body, fresh variables per
// iteration.
package main

import "fmt"

func count(n int) func(func(int) bool) {
	return func(yield func(int) bool) {
		for i := 0; i < n; i++ {
			if !yield(i) {
				fmt.Println("count stopped at", i)
				return
			}
		}
	}
}

func pairs(words []string) func(func(int, string) bool) {
	return func(yield func(int, string) bool) {
		for i, w := range words {
			if !yield(i, w) {
				return
			}
		}
	}
}

func find(words []string, want string) (int, bool) {
	for i, w := range pairs(words) {
		if w == want {
			return i, true
		}
	}
	return -1, false
}

func deferred() {
	defer fmt.Println("function's own defer")
	for x := range count(3) {
		defer fmt.Println("body defer", x)
	}
	fmt.Println("end of deferred")
}

func main() {
	for x := range count(10) {
		if x%2 == 1 {
			continue
		}
		if x > 5 {
			break
		}
		fmt.Println("x", x)
	}
outer:
	for i := range count(3) {
		for _, w := range pairs([]string{"a", "b", "c"}) {
			if w == "b" && i == 0 {
				continue outer
			}
			if w == "c" && i == 1 {
				break outer
			}
			fmt.Println(i, w)
		}
	}
	fmt.Println(find([]string{"go", "lanes"}, "lanes"))
	fmt.Println(find(nil, "x"))
	deferred()
	var fs []func()
	for x := range count(3) {
		fs = append(fs, func() { fmt.Print(x, " ") })
	}
	for _, f := range fs {
		f()
	}
	fmt.Println()
}
