// Arguments of a go statement are evaluated where the go statement is.
package main

import "fmt"

func report(label string, v int, done chan<- string) {
	done <- fmt.Sprint(label, "=", v)
}

func next(n *int) int { *n++; return *n }

func main() {
	done := make(chan string)
	x := 1
	go report("x", x, done)
	x = 100
	fmt.Println(<-done)
	n := 0
	go report("n", next(&n), done)
	fmt.Println(<-done, "n is", n)
}
