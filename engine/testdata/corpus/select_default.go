// select with default never blocks.
package main

import "fmt"

func main() {
	ch := make(chan int, 1)
	for i := 0; i < 4; i++ {
		select {
		case ch <- i:
			fmt.Println("put", i)
		default:
			fmt.Println("busy, dropped", i)
		}
		if i%2 == 1 {
			select {
			case v := <-ch:
				fmt.Println("took", v)
			default:
				fmt.Println("nothing")
			}
		}
	}
}
