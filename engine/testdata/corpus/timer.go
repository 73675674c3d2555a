// Timers fire once; a stopped timer never fires.
package main

import (
	"fmt"
	"time"
)

func main() {
	t := time.NewTimer(30 * time.Millisecond)
	<-t.C
	fmt.Println("fired")
	t2 := time.NewTimer(time.Hour)
	fmt.Println("stopped before firing:", t2.Stop())
	fired := make(chan string)
	time.AfterFunc(10*time.Millisecond, func() { fired <- "after func ran" })
	fmt.Println(<-fired)
}
