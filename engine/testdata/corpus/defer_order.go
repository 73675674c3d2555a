// Deferred calls run last in, first out, also in goroutines.
package main

import "fmt"

func main() {
	done := make(chan []int)
	go func() {
		var order []int
		func() {
			for i := range 3 {
				defer func() { order = append(order, i) }()
			}
		}()
		done <- order
	}()
	fmt.Println(<-done)
}
