// One fetcher after the other: right values, no concurrency.
func firstResult(ctx context.Context, fetchers []func(context.Context) (string, error)) (string, error) {
	var lastErr error
	for _, f := range fetchers {
		v, err := f(ctx)
		if err == nil {
			return v, nil
		}
		lastErr = err
	}
	return "", lastErr
}
