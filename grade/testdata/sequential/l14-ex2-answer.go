// Collects every value first, then passes them on: right values, no overlap.
func stage(in <-chan int, f func(int) int) <-chan int {
	out := make(chan int)
	go func() {
		defer close(out)
		var all []int
		for v := range in {
			all = append(all, v)
		}
		results := make([]int, len(all))
		for i, v := range all {
			results[i] = f(v)
		}
		for _, r := range results {
			out <- r
		}
	}()
	return out
}
