// Each call gets its own timeout; slow calls are abandoned.
package main

import (
	"fmt"
	"time"
)

func call(d time.Duration) (string, bool) {
	ch := make(chan string, 1)
	go func() {
		time.Sleep(d)
		ch <- "ok"
	}()
	select {
	case r := <-ch:
		return r, true
	case <-time.After(150 * time.Millisecond):
		return "", false
	}
}

func main() {
	for _, d := range []time.Duration{time.Millisecond, time.Second, 2 * time.Millisecond} {
		r, ok := call(d)
		fmt.Printf("%v: %q %v\n", d, r, ok)
	}
}
