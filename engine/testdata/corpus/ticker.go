// A ticker fires repeatedly until stopped.
package main

import (
	"fmt"
	"time"
)

func main() {
	t := time.NewTicker(20 * time.Millisecond)
	defer t.Stop()
	n := 0
	for range t.C {
		n++
		fmt.Println("tick", n)
		if n == 3 {
			break
		}
	}
	fmt.Println("done")
}
