// A worker sends heartbeats; the supervisor notices when they stop.
package main

import (
	"fmt"
	"time"
)

func worker(beats int, heartbeat chan<- int) {
	for i := 1; i <= beats; i++ {
		heartbeat <- i
		time.Sleep(5 * time.Millisecond)
	}
}

func main() {
	hb := make(chan int)
	go worker(3, hb)
	for {
		select {
		case b := <-hb:
			fmt.Println("beat", b)
		case <-time.After(300 * time.Millisecond):
			fmt.Println("worker went quiet")
			return
		}
	}
}
