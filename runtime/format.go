package lanes

import (
	"strconv"
	"strings"
	"time"
)

// formatNum formats x with at most prec decimals, trailing zeros dropped.
func formatNum(x float64, prec int) string {
	s := strconv.FormatFloat(x, 'f', prec, 64)
	if strings.Contains(s, ".") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	if s == "-0" {
		s = "0"
	}
	return s
}

// formatDur formats a duration for people: virtual durations in units
// ("12.5 u"), real ones in µs, ms or s with three significant figures.
func formatDur(d time.Duration, virtual bool) string {
	if virtual {
		return formatNum(float64(d)/float64(Unit), 3) + " u"
	}
	return formatReal(d)
}

func formatReal(d time.Duration) string {
	a := d
	if a < 0 {
		a = -a
	}
	switch {
	case a == 0:
		return "0 s"
	case a < time.Millisecond:
		return sig3(float64(d)/1e3) + " µs"
	case a < time.Second:
		return sig3(float64(d)/1e6) + " ms"
	}
	return sig3(float64(d)/1e9) + " s"
}

// sig3 formats with three significant figures (at least), no exponent.
func sig3(x float64) string {
	a := x
	if a < 0 {
		a = -a
	}
	switch {
	case a >= 100:
		return formatNum(x, 0)
	case a >= 10:
		return formatNum(x, 1)
	}
	return formatNum(x, 2)
}

// timeScale picks the unit an axis of length wall is labelled in: the
// divisor that turns a duration into that unit, and its name.
func timeScale(wall time.Duration, virtual bool) (float64, string) {
	if virtual {
		return float64(Unit), "units"
	}
	switch {
	case wall < 2*time.Millisecond:
		return 1e3, "µs"
	case wall < 2*time.Second:
		return 1e6, "ms"
	}
	return 1e9, "s"
}

// niceStep returns a round tick step (1, 2 or 5 times a power of ten) that
// cuts span into at most n intervals.
func niceStep(span float64, n int) float64 {
	if span <= 0 || n < 1 {
		return 1
	}
	raw := span / float64(n)
	p := 1.0
	for p*10 <= raw {
		p *= 10
	}
	for p > raw {
		p /= 10
	}
	for _, m := range []float64{1, 2, 5, 10} {
		if p*m >= raw {
			return p * m
		}
	}
	return p * 10
}
