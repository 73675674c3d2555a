// Closing a channel ends the range loops of its receivers.
package main

import "fmt"

func gen(n int) <-chan int {
	ch := make(chan int)
	go func() {
		defer close(ch)
		for i := 1; i <= n; i++ {
			ch <- i
		}
	}()
	return ch
}

func main() {
	sum := 0
	for v := range gen(10) {
		sum += v
	}
	fmt.Println("sum", sum)
	ch := gen(0)
	v, ok := <-ch
	fmt.Println(v, ok)
}
