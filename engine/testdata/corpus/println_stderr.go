// println writes to standard error, not standard output.
package main

import "fmt"

func main() {
	println("to stderr", 42)
	fmt.Println("to stdout")
	print("also stderr\n")
}
