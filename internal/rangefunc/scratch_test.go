package rangefunc

import (
	"testing"
)

func TestScratchRecv(t *testing.T) {
	for _, src := range []string{
		`package main
import "fmt"
type R struct{ W, H float64 }
func main() { ch := make(chan R, 1); ch <- R{3, 4}; var v R; var ok bool; v, ok = <-ch; fmt.Println(v, ok) }`,
		`package main
import "fmt"
type R struct{ W, H float64 }
func main() { ch := make(chan R, 1); ch <- R{3, 4}; var v R; var ok bool; select { case v, ok = <-ch: }; fmt.Println(v, ok) }`,
		`package main
import "fmt"
type R struct{ W, H float64 }
func main() { ch := make(chan R, 1); ch <- R{3, 4}; select { case v, ok := <-ch: fmt.Println(v, ok) } }`,
		`package main
import "fmt"
type R struct{ W, H float64 }
func main() { ch := make(chan R, 1); ch <- R{3, 4}; close(ch); <-ch; v, ok := <-ch; fmt.Println(v, ok) }`,
		`package main
import "fmt"
func main() { ch := make(chan int, 1); ch <- 3; v, ok := <-ch; fmt.Println(v, ok) }`,
		`package main
import "fmt"
type R struct{ W, H float64 }
func main() { ch := make(chan *R, 1); ch <- &R{3, 4}; v, ok := <-ch; fmt.Println(*v, ok) }`,
	} {
		func() {
			defer func() {
				if r := recover(); r != nil {
					t.Logf("PANIC %v", r)
				}
			}()
			t.Logf("%s", interpret(t, src))
		}()
	}
}
