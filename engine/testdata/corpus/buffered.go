// A buffered channel accepts sends until it is full.
package main

import "fmt"

func main() {
	ch := make(chan string, 3)
	for _, s := range []string{"a", "b", "c"} {
		ch <- s
		fmt.Println("sent", s, "len", len(ch), "cap", cap(ch))
	}
	select {
	case ch <- "d":
		fmt.Println("sent d")
	default:
		fmt.Println("full: d would block")
	}
	for len(ch) > 0 {
		fmt.Println("got", <-ch)
	}
}
