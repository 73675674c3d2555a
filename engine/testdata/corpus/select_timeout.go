// select with a timeout: the slow answer loses, the fast one wins.
package main

import (
	"fmt"
	"time"
)

func answer(after time.Duration) <-chan string {
	ch := make(chan string, 1)
	go func() {
		time.Sleep(after)
		ch <- fmt.Sprint("answer after ", after)
	}()
	return ch
}

func main() {
	select {
	case a := <-answer(2 * time.Second):
		fmt.Println(a)
	case <-time.After(100 * time.Millisecond):
		fmt.Println("timed out")
	}
	select {
	case a := <-answer(10 * time.Millisecond):
		fmt.Println(a)
	case <-time.After(2 * time.Second):
		fmt.Println("timed out")
	}
}
