// go with a method value: the receiver and arguments are evaluated at the
// go statement.
package main

import (
	"fmt"
	"sync"
)

type Greeter struct{ name string }

func (g Greeter) Greet(to string, out chan<- string) { out <- g.name + " greets " + to }

func main() {
	out := make(chan string, 2)
	g := Greeter{"ada"}
	to := "bob"
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { defer wg.Done(); g.Greet(to, out) }()
	wg.Wait()
	go g.Greet(to, out)
	g = Greeter{"changed"}
	to = "changed"
	fmt.Println(<-out)
	fmt.Println(<-out)
}
