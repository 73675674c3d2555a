// Drains a, then b: every value arrives, but not as it arrives.
func merge(a, b <-chan int) <-chan int {
	out := make(chan int)
	go func() {
		defer close(out)
		for v := range a {
			out <- v
		}
		for v := range b {
			out <- v
		}
	}()
	return out
}
