// Request-scoped values travel with the context to goroutines.
package main

import (
	"context"
	"fmt"
)

type key string

func handle(ctx context.Context, out chan<- string) {
	out <- fmt.Sprint("request ", ctx.Value(key("id")), " by ", ctx.Value(key("user")))
}

func main() {
	ctx := context.WithValue(context.Background(), key("id"), 7)
	ctx = context.WithValue(ctx, key("user"), "ada")
	out := make(chan string)
	go handle(ctx, out)
	fmt.Println(<-out)
}
